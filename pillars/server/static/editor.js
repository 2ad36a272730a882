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
    if ((e.ctrlKey || e.metaKey) && e.key === "Enter") {
      e.preventDefault();
      document.getElementById("run").click();
    }
  });
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
})();
