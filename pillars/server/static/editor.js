// A small SPARQL editor: the textarea stays the real input (keyboard, screen readers, phones,
// form submission without script); a highlighted copy is drawn underneath it.
(function () {
  "use strict";
  var area = document.getElementById("query");
  var code = document.getElementById("query-highlight");
  if (!area || !code) return;
  var box = area.parentNode;
  var pre = code.parentNode;
  var KEYWORDS = ("select|construct|describe|ask|where|from|named|graph|prefix|base|optional|union|minus|" +
    "filter|bind|values|as|distinct|reduced|order|by|group|having|limit|offset|asc|desc|not|exists|in|" +
    "service|silent|a|count|sum|min|max|avg|sample|group_concat|separator|str|lang|langmatches|datatype|" +
    "bound|iri|uri|bnode|regex|replace|contains|strstarts|strends|strlen|substr|ucase|lcase|concat|" +
    "coalesce|if|isiri|isuri|isblank|isliteral|isnumeric|year|true|false").split("|");
  var KW = {};
  KEYWORDS.forEach(function (k) { KW[k] = true; });
  // One alternation, tried left to right at each position; order matters (comments first).
  var TOKEN = new RegExp([
    "(#[^\\n]*)",                                   // 1 comment
    "(\"\"\"[\\s\\S]*?\"\"\"|'''[\\s\\S]*?'''|\"(?:[^\"\\\\\\n]|\\\\.)*\"|'(?:[^'\\\\\\n]|\\\\.)*')", // 2 string
    "(<[^<>\"{}|^`\\\\\\s]*>)",                     // 3 IRI
    "([?$][A-Za-z0-9_\\u00b7-\\uffff]+)",           // 4 variable
    "((?:[A-Za-z][\\w.-]*)?:[\\w.%-]*)",            // 5 prefixed name
    "(\\b\\d+(?:\\.\\d+)?(?:[eE][+-]?\\d+)?\\b)",   // 6 number
    "([A-Za-z_][\\w]*)"                             // 7 word (keyword or not)
  ].join("|"), "g");
  var CLASSES = [null, "tok-cmt", "tok-str", "tok-iri", "tok-var", "tok-pn", "tok-num", "tok-kw"];

  function esc(s) {
    return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  }

  function highlight(text) {
    var out = "", last = 0, m;
    TOKEN.lastIndex = 0;
    while ((m = TOKEN.exec(text)) !== null) {
      out += esc(text.slice(last, m.index));
      var cls = null;
      for (var i = 1; i < CLASSES.length; i++) {
        if (m[i] !== undefined) { cls = CLASSES[i]; break; }
      }
      if (cls === "tok-kw" && !KW[m[0].toLowerCase()]) cls = null;
      out += cls ? '<span class="' + cls + '">' + esc(m[0]) + "</span>" : esc(m[0]);
      last = TOKEN.lastIndex;
      if (m[0].length === 0) TOKEN.lastIndex++;
    }
    // A trailing newline needs a character after it or the copy ends one line short.
    return out + esc(text.slice(last)) + "\n ";
  }

  function render() {
    code.innerHTML = highlight(area.value);
    sync();
  }
  function sync() {
    pre.scrollTop = area.scrollTop;
    pre.scrollLeft = area.scrollLeft;
  }

  area.setAttribute("wrap", "off");
  box.classList.add("enhanced");
  area.addEventListener("input", render);
  area.addEventListener("scroll", sync);
  area.addEventListener("keydown", function (e) {
    if (help.keydown(e)) return;
    if ((e.ctrlKey || e.metaKey) && e.key === "Enter") {
      e.preventDefault();
      document.getElementById("run").click();
    }
  });
  var help = editorHelp(area, render);
  render();
  // Long PREFIX blocks push the question itself out of view: start at the first other line.
  var lines = area.value.split("\n");
  var first = 0;
  while (first < lines.length && /^\s*(PREFIX|BASE|#|$)/i.test(lines[first])) first++;
  if (first > 3 && first < lines.length) {
    var style = getComputedStyle(area);
    var lineHeight = parseFloat(style.lineHeight) || 18;
    // Past the top padding too, or the line above shows cut in half inside it.
    area.scrollTop = (parseFloat(style.paddingTop) || 0) + (first - 2) * lineHeight;
    sync();
  }

  // ---------------------------------------------------------------- help while typing
  // The ontology's terms and the prefixes (/query/terms.json) drive three things: completion
  // of a prefixed name at the caret (Ctrl+Space, or as one types after a colon), a warning
  // for a pil: term the ontology does not define, and the schema panel's buttons.
  function editorHelp(area, render) {
    var form = document.getElementById("query-form");
    var warnings = document.getElementById("term-warnings");
    var terms = [], prefixes = {}, pilNames = [], PIL = "https://w3id.org/pillars/ontology#";
    var list = document.createElement("ul");
    list.id = "completions";
    list.className = "completions";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", "Completions");
    list.hidden = true;
    area.parentNode.appendChild(list);
    area.setAttribute("aria-autocomplete", "list");
    area.setAttribute("aria-controls", "completions");
    area.setAttribute("aria-expanded", "false");
    var shown = [], active = -1, token = null, timer = null;

    function load(url, then) {
      if (!url || !window.fetch) return;
      fetch(url, { headers: { Accept: "application/json" } })
        .then(function (r) { if (!r.ok) throw new Error(r.status + " " + r.statusText); return r.json(); })
        .then(then)
        .catch(function (err) { then(null, err); });
    }

    load(form && form.getAttribute("data-terms"), function (doc) {
      if (!doc) return; // the server's own warnings stay; completion is just not offered
      terms = doc.terms;
      prefixes = doc.prefixes;
      pilNames = terms.filter(function (t) { return t.iri.indexOf(PIL) === 0; })
        .map(function (t) { return t.iri.slice(PIL.length); }).sort();
      check();
    });
    schemaPanel();

    // The prefixed name or bare word that ends at the caret, with where it starts.
    function tokenAtCaret() {
      var end = area.selectionStart;
      if (end !== area.selectionEnd) return null;
      var before = area.value.slice(0, end);
      var m = /(?:^|[^\w.:?$<>"'-])((?:[A-Za-z][\w-]*)?:[\w.-]*|[A-Za-z][\w-]*)$/.exec(before);
      if (!m) return null;
      var line = before.slice(before.lastIndexOf("\n") + 1);
      if (line.indexOf("#") >= 0 || /^\s*PREFIX\b/i.test(line)) return null;
      return { text: m[1], start: end - m[1].length, end: end };
    }

    function candidates(text, forced) {
      var lower = text.toLowerCase();
      if (text.indexOf(":") < 0) {
        // A bare word may be a keyword being typed: prefixes only on Ctrl+Space, so Enter
        // after "ASK" or "id" stays a new line.
        if (!forced) return [];
        return Object.keys(prefixes).filter(function (p) { return p.indexOf(lower) === 0; })
          .map(function (p) { return { name: p + ":", detail: prefixes[p] }; });
      }
      return terms.filter(function (t) { return t.name.toLowerCase().indexOf(lower) === 0; })
        .sort(function (a, b) {
          var ea = a.name.indexOf(text) === 0 ? 0 : 1, eb = b.name.indexOf(text) === 0 ? 0 : 1;
          return ea - eb || a.name.localeCompare(b.name);
        })
        .slice(0, 40)
        .map(function (t) { return { name: t.name, detail: (t.label || "") + " · " + t.kind }; });
    }

    function open(forced) {
      token = tokenAtCaret();
      shown = token ? candidates(token.text, forced) : [];
      if (shown.length === 1 && shown[0].name === token.text) shown = [];
      if (!shown.length) return close();
      list.innerHTML = "";
      shown.forEach(function (c, i) {
        var item = document.createElement("li");
        item.id = "completion-" + i;
        item.setAttribute("role", "option");
        var name = document.createElement("span");
        name.textContent = c.name;
        var detail = document.createElement("span");
        detail.className = "kind";
        detail.textContent = c.detail;
        item.appendChild(name);
        item.appendChild(detail);
        item.addEventListener("mousedown", function (e) { e.preventDefault(); accept(i); });
        list.appendChild(item);
      });
      list.hidden = false;
      area.setAttribute("aria-expanded", "true");
      select(0);
      position();
    }

    function close() {
      if (!list.hidden) setTimeout(check, 0); // the name being completed may now be checked
      list.hidden = true;
      shown = [];
      active = -1;
      area.setAttribute("aria-expanded", "false");
      area.removeAttribute("aria-activedescendant");
    }

    function select(i) {
      var items = list.children;
      if (active >= 0 && items[active]) items[active].setAttribute("aria-selected", "false");
      active = (i + shown.length) % shown.length;
      items[active].setAttribute("aria-selected", "true");
      area.setAttribute("aria-activedescendant", items[active].id);
      items[active].scrollIntoView({ block: "nearest" });
    }

    // Under the caret: the editor is monospace, so a line and a column give the place.
    function position() {
      var style = getComputedStyle(area);
      var probe = document.createElement("span");
      probe.textContent = "MMMMMMMMMM";
      probe.style.cssText = "position:absolute;visibility:hidden;white-space:pre;font:" + style.font;
      document.body.appendChild(probe);
      var charWidth = probe.getBoundingClientRect().width / 10;
      document.body.removeChild(probe);
      var before = area.value.slice(0, token.start);
      var lines = before.split("\n");
      var lineHeight = parseFloat(style.lineHeight) || 18;
      var top = parseFloat(style.paddingTop) + lines.length * lineHeight - area.scrollTop;
      var left = parseFloat(style.paddingLeft) + lines[lines.length - 1].length * charWidth - area.scrollLeft;
      list.style.top = Math.min(Math.max(top, 0), area.clientHeight) + 2 + "px";
      list.style.left = Math.max(0, Math.min(left, area.clientWidth - 288)) + "px";
    }

    function accept(i) {
      var chosen = shown[i];
      var t = token;
      close();
      if (!chosen || !t) return;
      insert(chosen.name, t.start, t.end);
    }

    // Put a name into the query, declaring its prefix at the top when the query lacks it.
    function insert(name, start, end) {
      var value = area.value;
      var text = value.slice(0, start) + name + value.slice(end);
      var caret = start + name.length;
      var prefix = name.slice(0, name.indexOf(":"));
      var declared = new RegExp("PREFIX\\s+" + prefix + ":", "i").test(text);
      if (prefixes[prefix] && !declared) {
        var line = "PREFIX " + prefix + ": <" + prefixes[prefix] + ">\n";
        text = line + text;
        caret += line.length;
      }
      area.value = text;
      area.focus();
      area.setSelectionRange(caret, caret);
      render();
      check();
    }

    // The same check as the server's (pages/query_help.py): pil: names the ontology lacks.
    function undefinedTerms(query) {
      var declared = {}, bound = {}, m;
      var decl = /\bPREFIX\s+([A-Za-z][\w.-]*)?:\s*<([^<>\s]*)>/gi;
      while ((m = decl.exec(query)) !== null) declared[m[1] || ""] = m[2];
      Object.keys(declared).forEach(function (p) { if (declared[p] === PIL) bound[p] = true; });
      if (!("pil" in declared)) bound.pil = true;
      // Blanked to the same length, so a match's place is its place in the query.
      var bare = query.replace(/<[^<>\s]*>|"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'|#[^\n]*/g,
        function (skipped) { return skipped.replace(/[^\n]/g, " "); });
      var typing = list.hidden ? -1 : area.selectionStart; // a name still being completed
      var name = /(^|[^\w.:?$-])([A-Za-z][\w.-]*)?:([A-Za-z_][\w.-]*)/g, seen = {}, out = [];
      var known = {};
      pilNames.forEach(function (n) { known[n] = true; });
      while ((m = name.exec(bare)) !== null) {
        var prefix = m[2] || "", local = m[3].replace(/\.+$/, "");
        var written = prefix + ":" + local;
        if (m.index + m[0].length === typing) continue;
        if (!bound[prefix] || known[local] || seen[written]) continue;
        seen[written] = true;
        var near = nearest(local);
        out.push(written + " is not defined by the ontology" +
          (near ? "; did you mean " + prefix + ":" + near + "?" : "."));
      }
      return out;
    }

    function nearest(word) {
      var best = null, bestDistance = Infinity;
      pilNames.forEach(function (n) {
        var d = editDistance(word.toLowerCase(), n.toLowerCase());
        if (d < bestDistance) { bestDistance = d; best = n; }
      });
      return bestDistance <= Math.max(2, Math.floor(word.length / 3)) ? best : null;
    }

    function editDistance(a, b) {
      var previous = [], i, j;
      for (j = 0; j <= b.length; j++) previous.push(j);
      for (i = 1; i <= a.length; i++) {
        var current = [i];
        for (j = 1; j <= b.length; j++) {
          current.push(Math.min(previous[j] + 1, current[j - 1] + 1,
            previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1)));
        }
        previous = current;
      }
      return previous[b.length];
    }

    function check() {
      if (!warnings || !pilNames.length) return;
      var found = undefinedTerms(area.value);
      var now = found.join("\n");
      if (warnings.getAttribute("data-shown") === now) return; // unchanged: say nothing again
      warnings.setAttribute("data-shown", now);
      warnings.innerHTML = "";
      found.forEach(function (message) {
        var p = document.createElement("p");
        p.className = "warn";
        p.textContent = message;
        warnings.appendChild(p);
      });
    }

    function schemaPanel() {
      var panel = document.getElementById("schema-panel");
      var status = document.getElementById("schema-status");
      if (!panel || !status) return;
      status.textContent = "Counting the classes and properties\u2026";
      load(panel.getAttribute("data-schema"), function (doc, err) {
        if (!doc) { status.textContent = "The schema could not be loaded (" + err.message + ")."; return; }
        status.textContent = "In the data, the most used first (at most " + doc.bound +
          " of each). A click puts the name into the query at the cursor.";
        [["Classes", doc.classes, "instances"], ["Properties", doc.properties, "uses"]].forEach(function (part) {
          var heading = document.createElement("h3");
          heading.textContent = part[0];
          panel.appendChild(heading);
          var ul = document.createElement("ul");
          ul.setAttribute("aria-label", part[0] + " with counts");
          part[1].forEach(function (term) {
            var li = document.createElement("li");
            var button = document.createElement("button");
            button.type = "button";
            button.className = "term";
            button.textContent = term.name;
            button.title = (term.label ? term.label + ": " : "") + term.iri;
            button.addEventListener("click", function () {
              var at = area.selectionStart, to = area.selectionEnd;
              insert(term.name, at, to);
            });
            var count = document.createElement("span");
            count.className = "count";
            count.textContent = term.count.toLocaleString("en");
            count.setAttribute("aria-label", term.count + " " + part[2]);
            li.appendChild(button);
            li.appendChild(count);
            ul.appendChild(li);
          });
          panel.appendChild(ul);
        });
      });
    }

    area.addEventListener("input", function () {
      open(false);
      clearTimeout(timer);
      timer = setTimeout(check, 250);
    });
    area.addEventListener("blur", close);
    area.addEventListener("scroll", function () { if (!list.hidden) position(); });

    return {
      // Keys the completion list takes while it is open; true when the key was used.
      keydown: function (e) {
        if (e.ctrlKey && (e.key === " " || e.code === "Space")) {
          e.preventDefault();
          open(true);
          return true;
        }
        if (list.hidden) return false;
        if (e.key === "ArrowDown" || e.key === "ArrowUp") {
          e.preventDefault();
          select(active + (e.key === "ArrowDown" ? 1 : -1));
          return true;
        }
        if ((e.key === "Enter" && !e.ctrlKey && !e.metaKey) || e.key === "Tab") {
          if (e.key === "Enter" && token && shown[active].name === token.text) {
            close(); // the name is written out already: Enter is a new line
            return false;
          }
          e.preventDefault();
          accept(active);
          return true;
        }
        if (e.key === "Escape") {
          e.preventDefault();
          close();
          return true;
        }
        return false;
      }
    };
  }
})();
