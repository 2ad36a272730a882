// The argument map of an article page. Its data comes from /map/<slug>.json; elkjs (npm,
// copied by `make assets`) lays it out, layered from the thesis down; we only draw: each box
// is a link whose label wraps (HTML over an SVG of the edges), so the full label is read on
// hover, on focus and by screen readers. Nothing here places a node: positions are ELK's.
(function () {
  "use strict";
  var section = document.getElementById("argmap");
  if (!section || typeof ELK === "undefined") return;
  var app = section.querySelector(".argmap-app");
  var viewport = section.querySelector(".argmap-viewport");
  var canvas = section.querySelector(".argmap-canvas");
  var detail = section.querySelector(".argmap-detail");
  var status = section.querySelector(".argmap-status");
  var kindsBox = section.querySelector(".argmap-kinds");
  var sectionSelect = section.querySelector("select[name=section]");
  var elk = new ELK();
  var SVG = "http://www.w3.org/2000/svg";

  // Per view: which links are drawn only on demand, which boxes stand even without a link,
  // and which way a link points in the layered picture (parent above child).
  var VIEWS = {
    argument: {
      direction: "DOWN",
      foldFirst: true,
      onDemand: { concerns: true },
      toggle: "concerns",
      core: function (n) { return n.family === "claim"; },
      // A premise sits below what it supports or attacks; what a claim concerns, below it.
      down: function (e) { return e.relation === "concerns" ? [e.source, e.target] : [e.target, e.source]; },
    },
    taxonomy: {
      direction: "RIGHT",
      foldFirst: false,
      onDemand: { perceiver: true, involves: true },
      toggle: "actors",
      core: function (n) { return n.family !== "actor"; },
      down: function (e) { return [e.source, e.target]; },
    },
  };
  // The legend's order: the thesis and the other claims first, then what they argue about.
  var ORDER = ["Thesis", "Conclusion", "Claim", "Counterpoint", "RejectedExplanation", "pillar", "component",
    "threat", "perception", "limit", "dimension", "convergence", "actor"];
  function rank(k) {
    var i = ORDER.indexOf(k.kind);
    return i >= 0 ? i : ORDER.indexOf(k.family) >= 0 ? ORDER.indexOf(k.family) : ORDER.length;
  }
  var RELATION_WORDS = {
    supports: "supports", attacks: "attacks", concerns: "concerns",
    part: "has part", perceiver: "perceived by", involves: "involves",
  };

  var state = {
    view: "argument", data: null, selected: null, dragged: false,
    transform: { x: 0, y: 0, k: 1 }, size: { width: 0, height: 0 }, layoutRun: 0,
    perView: {},
  };

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function prepare(name, raw) {
    var byId = {};
    raw.nodes.forEach(function (n) { byId[n.id] = n; });
    var edges = raw.edges.filter(function (e) { return byId[e.source] && byId[e.target]; });
    state.perView[name] = {
      nodes: raw.nodes, byId: byId, edges: edges, collapsed: {}, hiddenKinds: {},
      showOnDemand: false, boxes: {}, toggles: {},
    };
    if (VIEWS[name].foldFirst) state.perView[name].collapsed = firstCollapsed(name);
  }

  // The first picture shows each top box and what hangs right below it; deeper reasons are
  // folded (a "+N" button opens them, "Expand all" opens everything). The first article's
  // argument is broad and shallow: drawn whole it is some 60 boxes wide.
  function firstCollapsed(name) {
    var saved = state.view;
    state.view = name;
    var v = state.perView[name];
    v.collapsed = {};
    var shown = visible();
    var collapsed = {};
    shown.nodes.forEach(function (n) {
      var kids = shown.children[n.id] || [];
      if (!kids.length || shown.roots.indexOf(n.id) >= 0) return;
      collapsed[n.id] = true;
    });
    state.view = saved;
    return collapsed;
  }

  // --- Which boxes and links are shown: filters, on-demand links, collapsed subtrees ---

  function visible() {
    var v = state.perView[state.view], spec = VIEWS[state.view];
    var chosenSection = sectionSelect.value;
    var candidate = {};
    v.nodes.forEach(function (n) {
      if (v.hiddenKinds[n.kind]) return;
      if (chosenSection && n.section && n.section !== chosenSection) return;
      candidate[n.id] = true;
    });
    var edges = v.edges.filter(function (e) {
      return candidate[e.source] && candidate[e.target] && (v.showOnDemand || !spec.onDemand[e.relation]);
    });
    var linked = {};
    edges.forEach(function (e) { linked[e.source] = linked[e.target] = true; });
    var shown = v.nodes.filter(function (n) { return candidate[n.id] && (spec.core(n) || linked[n.id]); });
    var children = {}, hasParent = {};
    edges.forEach(function (e) {
      var pc = spec.down(e);
      (children[pc[0]] = children[pc[0]] || []).push(pc[1]);
      hasParent[pc[1]] = true;
    });
    var roots = rootsOf(shown, children, hasParent);
    var reached = walk(roots, children, v.collapsed);
    var nodes = shown.filter(function (n) { return reached[n.id]; });
    var drawn = edges.filter(function (e) { return reached[e.source] && reached[e.target]; });
    return { nodes: nodes, edges: drawn, children: children, reached: reached, roots: roots };
  }

  // The tops of the layered picture: boxes no shown link hangs below another one, plus one
  // box of each cycle that nothing leads into (so a cycle of supports is never lost).
  function rootsOf(shown, children, hasParent) {
    var roots = shown.filter(function (n) { return !hasParent[n.id]; }).map(function (n) { return n.id; });
    var seen = walk(roots, children, {});
    shown.forEach(function (n) {
      if (!seen[n.id]) {
        roots.push(n.id);
        var more = walk([n.id], children, {});
        Object.keys(more).forEach(function (id) { seen[id] = true; });
      }
    });
    return roots;
  }

  function walk(starts, children, collapsed) {
    var seen = {}, queue = starts.slice();
    starts.forEach(function (id) { seen[id] = true; });
    while (queue.length) {
      var id = queue.shift();
      if (collapsed[id]) continue;
      (children[id] || []).forEach(function (child) {
        if (!seen[child]) { seen[child] = true; queue.push(child); }
      });
    }
    return seen;
  }

  function hiddenBelow(id, children, reached) {
    var below = walk(children[id] || [], children, {});
    return Object.keys(below).filter(function (k) { return !reached[k]; }).length;
  }

  // --- Drawing ---

  function box(v, n) {
    if (v.boxes[n.id]) return v.boxes[n.id];
    var a = el("a", "argmap-node f-" + n.family + " k-" + n.kind);
    a.href = n.href;
    a.dataset.id = n.id;
    a.title = n.label + " (" + n.kind_label + ")";
    a.setAttribute("aria-label", n.kind_label + ": " + n.label);
    a.appendChild(el("span", "argmap-kind", n.kind_label));
    a.appendChild(el("span", "argmap-label", n.label));
    a.addEventListener("click", function (event) {
      // A pointer click selects (the page link is in the detail); Enter (detail 0) opens the page.
      if (event.detail === 0 || event.ctrlKey || event.metaKey || event.shiftKey || event.button !== 0) return;
      event.preventDefault();
      if (state.dragged) return;
      select(n.id);
    });
    a.addEventListener("focus", function () { select(n.id); reveal(n.id); });
    v.boxes[n.id] = a;
    return a;
  }

  function toggle(v, id) {
    if (v.toggles[id]) return v.toggles[id];
    var b = el("button", "argmap-toggle");
    b.type = "button";
    b.tabIndex = -1;  // the detail's button does the same from the keyboard
    b.dataset.id = id;
    b.addEventListener("click", function (event) {
      event.stopPropagation();
      setCollapsed(id, !v.collapsed[id]);
    });
    v.toggles[id] = b;
    return b;
  }

  function render(keepView) {
    var v = state.perView[state.view], spec = VIEWS[state.view];
    var shown = visible();
    var run = ++state.layoutRun;
    canvas.textContent = "";
    var svg = document.createElementNS(SVG, "svg");
    svg.setAttribute("class", "argmap-edges");
    svg.setAttribute("aria-hidden", "true");
    svg.appendChild(markers());
    canvas.appendChild(svg);
    shown.nodes.forEach(function (n) { canvas.appendChild(box(v, n)); });
    var graph = {
      id: "root",
      layoutOptions: {
        "elk.algorithm": "layered",
        "elk.direction": spec.direction,
        "elk.edgeRouting": "ORTHOGONAL",
        "elk.layered.mergeEdges": "true",
        "elk.spacing.nodeNode": "18",
        "elk.layered.spacing.nodeNodeBetweenLayers": "44",
        "elk.spacing.componentComponent": "36",
        "elk.layered.considerModelOrder.strategy": "NODES_AND_EDGES",
        "elk.aspectRatio": "1.4",
      },
      children: shown.nodes.map(function (n) {
        var a = v.boxes[n.id];
        return { id: n.id, width: a.offsetWidth, height: a.offsetHeight };
      }),
      edges: shown.edges.map(function (e, i) {
        var pc = spec.down(e);
        return { id: "e" + i, sources: [pc[0]], targets: [pc[1]], data: e };
      }),
    };
    var edgeData = {};
    graph.edges.forEach(function (e) { edgeData[e.id] = e.data; });
    return elk.layout(graph).then(function (laid) {
      if (run !== state.layoutRun) return;  // a newer render has started
      place(v, laid, shown, svg, edgeData);
      if (!keepView) initialView();
      else applyTransform();
      describe(shown);
      if (state.selected && shown.reached[state.selected]) highlightPath(state.selected, shown.edges);
      else state.selected = null;
    });
  }

  function place(v, laid, shown, svg, edgeData) {
    state.size = { width: laid.width, height: laid.height };
    canvas.style.width = laid.width + "px";
    canvas.style.height = laid.height + "px";
    svg.setAttribute("width", laid.width);
    svg.setAttribute("height", laid.height);
    svg.setAttribute("viewBox", "0 0 " + laid.width + " " + laid.height);
    laid.children.forEach(function (c) {
      var a = v.boxes[c.id];
      a.style.left = c.x + "px";
      a.style.top = c.y + "px";
      var below = (shown.children[c.id] || []).length;
      if (below) {
        var b = toggle(v, c.id), hidden = v.collapsed[c.id] ? hiddenBelow(c.id, shown.children, shown.reached) : 0;
        if (!hidden) delete v.collapsed[c.id];  // all it leads to is shown through other boxes
        b.textContent = v.collapsed[c.id] ? "+" + hidden : "\u2212";
        b.title = v.collapsed[c.id] ? "Expand: show the " + hidden + " hidden boxes below" : "Collapse what hangs below";
        b.setAttribute("aria-label", b.title);
        b.style.left = (c.x + c.width / 2) + "px";
        b.style.top = (c.y + c.height) + "px";
        b.classList.toggle("collapsed", !!v.collapsed[c.id]);
        if (VIEWS[state.view].direction === "RIGHT") {
          b.style.left = (c.x + c.width) + "px";
          b.style.top = (c.y + c.height / 2) + "px";
        }
        canvas.appendChild(b);
      }
    });
    (laid.edges || []).forEach(function (e) {
      var data = edgeData[e.id];
      (e.sections || []).forEach(function (s) {
        var points = [s.startPoint].concat(s.bendPoints || [], [s.endPoint]);
        var path = document.createElementNS(SVG, "path");
        path.setAttribute("d", points.map(function (p, i) { return (i ? "L" : "M") + p.x + "," + p.y; }).join(" "));
        path.setAttribute("class", "edge r-" + data.relation);
        path.dataset.source = data.source;
        path.dataset.target = data.target;
        // The arrow points from premise to conclusion, whichever end ELK drew on top.
        var reversed = state.view === "argument" && data.relation !== "concerns";
        path.setAttribute(reversed ? "marker-start" : "marker-end", "url(#argmap-arrow-" + data.relation + ")");
        svg.appendChild(path);
      });
    });
  }

  function markers() {
    var defs = document.createElementNS(SVG, "defs");
    Object.keys(RELATION_WORDS).forEach(function (r) {
      var m = document.createElementNS(SVG, "marker");
      m.setAttribute("id", "argmap-arrow-" + r);
      m.setAttribute("class", "arrow r-" + r);
      m.setAttribute("viewBox", "0 0 10 10");
      m.setAttribute("refX", "9");
      m.setAttribute("refY", "5");
      m.setAttribute("markerWidth", "7");
      m.setAttribute("markerHeight", "7");
      m.setAttribute("orient", "auto-start-reverse");
      var p = document.createElementNS(SVG, "path");
      p.setAttribute("d", "M0,0 L10,5 L0,10 z");
      m.appendChild(p);
      defs.appendChild(m);
    });
    return defs;
  }

  function describe(shown) {
    var v = state.perView[state.view];
    var counts = {};
    shown.edges.forEach(function (e) { counts[e.relation] = (counts[e.relation] || 0) + 1; });
    var links = Object.keys(counts).map(function (r) { return counts[r] + " " + RELATION_WORDS[r]; });
    status.textContent = "Showing " + shown.nodes.length + " of " + v.nodes.length + " boxes" +
      (links.length ? "; links: " + links.join(", ") : "") + ".";
  }

  // --- Selection: the detail, and the path to the thesis ---

  function select(id) {
    var v = state.perView[state.view];
    var n = v.byId[id];
    if (!n) return;
    state.selected = id;
    Array.prototype.forEach.call(canvas.querySelectorAll(".argmap-node.selected"), function (a) { a.classList.remove("selected"); });
    if (v.boxes[id]) v.boxes[id].classList.add("selected");
    showDetail(v, n);
    highlightPath(id, currentEdges());
  }

  function currentEdges() {
    return Array.prototype.map.call(canvas.querySelectorAll("path.edge"), function (p) {
      var e = { source: p.dataset.source, target: p.dataset.target, relation: p.getAttribute("class").split(" r-")[1] };
      e.path = p;
      return e;
    });
  }

  // Breadth first upward along the drawn links (never the on-demand ones) to a thesis (the
  // argument) or the top of the taxonomy: the shortest chain of reasons.
  function highlightPath(id, edges) {
    var spec = VIEWS[state.view], v = state.perView[state.view];
    Array.prototype.forEach.call(canvas.querySelectorAll(".on-path"), function (x) { x.classList.remove("on-path"); });
    var up = {};
    edges.forEach(function (e) {
      if (spec.onDemand[e.relation]) return;
      var pc = spec.down(e);
      (up[pc[1]] = up[pc[1]] || []).push({ to: pc[0], edge: e });
    });
    var from = {}, queue = [id], goal = null;
    from[id] = null;
    while (queue.length && goal === null) {
      var cur = queue.shift();
      if (v.byId[cur].kind === "Thesis") { goal = cur; break; }
      (up[cur] || []).forEach(function (step) {
        if (!(step.to in from)) { from[step.to] = { prev: cur, edge: step.edge }; queue.push(step.to); }
      });
    }
    var steps = 0;
    for (var at = goal; at !== null && from[at]; at = from[at].prev) {
      steps += 1;
      markPath(from[at].edge);
      if (v.boxes[at]) v.boxes[at].classList.add("on-path");
    }
    var note = detail.querySelector(".argmap-path");
    if (note) {
      note.textContent = goal === null ? "No drawn chain of links leads from here to the thesis." :
        goal === id ? "This is the thesis." : steps + (steps === 1 ? " link" : " links") + " to the thesis, highlighted.";
    }
  }

  function markPath(edge) {
    var path = edge.path || canvas.querySelector('path.edge[data-source="' + cssEscape(edge.source) + '"][data-target="' + cssEscape(edge.target) + '"]');
    if (path) path.classList.add("on-path");
  }

  function cssEscape(s) { return window.CSS && CSS.escape ? CSS.escape(s) : s.replace(/"/g, '\\"'); }

  function showDetail(v, n) {
    detail.textContent = "";
    detail.hidden = false;
    detail.appendChild(el("p", "argmap-detail-kind", n.kind_label));
    detail.appendChild(el("p", "argmap-detail-label", n.label));
    if (n.quote) {
      var q = el("blockquote", "argmap-quote");
      q.appendChild(el("p", "", "\u201c" + n.quote + "\u201d"));
      detail.appendChild(q);
    }
    var sec = sectionLabel(n.section);
    if (sec) detail.appendChild(el("p", "argmap-detail-section", "Section: " + sec));
    detail.appendChild(el("p", "argmap-path"));
    var actions = el("p", "argmap-detail-actions");
    var open = el("a", "", "Open its page");
    open.href = n.href;
    actions.appendChild(open);
    var shown = visible();
    if ((shown.children[n.id] || []).length) {
      var b = el("button", "secondary", v.collapsed[n.id] ? "Expand what hangs below" : "Collapse what hangs below");
      b.type = "button";
      b.addEventListener("click", function () { setCollapsed(n.id, !v.collapsed[n.id]); });
      actions.appendChild(document.createTextNode(" "));
      actions.appendChild(b);
    }
    detail.appendChild(actions);
  }

  function sectionLabel(iri) {
    var found = (state.data.sections || []).filter(function (s) { return s.iri === iri; })[0];
    return found ? found.label : null;
  }

  function setCollapsed(id, collapsed) {
    var v = state.perView[state.view];
    if (collapsed) v.collapsed[id] = true;
    else delete v.collapsed[id];
    var a = v.boxes[id], t = state.transform;
    var before = a ? { x: a.offsetLeft * t.k + t.x, y: a.offsetTop * t.k + t.y } : null;
    render(true).then(function () {
      if (before && a.isConnected) {  // keep the box that was folded or opened where it was
        t.x = before.x - a.offsetLeft * t.k;
        t.y = before.y - a.offsetTop * t.k;
        applyTransform();
      }
      if (v.boxes[id] && state.selected === id) showDetail(v, v.byId[id]);
      if (v.boxes[id]) highlightPath(id, currentEdges());
    });
  }

  // --- Zoom and pan: one CSS transform on the canvas ---

  function applyTransform() {
    var t = state.transform;
    canvas.style.transform = "translate(" + t.x + "px," + t.y + "px) scale(" + t.k + ")";
  }

  function zoomAt(factor, cx, cy) {
    var t = state.transform;
    var k = Math.min(2.5, Math.max(0.1, t.k * factor));
    t.x = cx - (cx - t.x) * (k / t.k);
    t.y = cy - (cy - t.y) * (k / t.k);
    t.k = k;
    applyTransform();
  }

  function fit() {
    var w = viewport.clientWidth, h = viewport.clientHeight;
    var k = Math.min(1, w / Math.max(1, state.size.width), h / Math.max(1, state.size.height));
    state.transform = { k: k, x: (w - state.size.width * k) / 2, y: Math.max(0, (h - state.size.height * k) / 2) };
    applyTransform();
  }

  // Start readable: the whole map when it fits at a legible size, else the thesis at the top.
  function initialView() {
    var w = viewport.clientWidth;
    var k = Math.min(1, w / Math.max(1, state.size.width));
    if (k >= 0.75) { fit(); return; }
    k = Math.max(0.75, k);
    var top = topBox();
    var cx = top ? (top.offsetLeft + top.offsetWidth / 2) * k : state.size.width * k / 2;
    state.transform = { k: k, x: w / 2 - cx, y: 8 - (top ? top.offsetTop * k : 0) };
    applyTransform();
  }

  function topBox() {
    return canvas.querySelector(".argmap-node.k-Thesis") || canvas.querySelector(".argmap-node");
  }

  // Keep a box that took the keyboard's focus inside the viewport.
  function reveal(id) {
    var a = state.perView[state.view].boxes[id];
    if (!a) return;
    viewport.scrollTop = viewport.scrollLeft = 0;  // focus may scroll a clipped box: undo it
    var t = state.transform, w = viewport.clientWidth, h = viewport.clientHeight;
    var left = a.offsetLeft * t.k + t.x, top = a.offsetTop * t.k + t.y;
    var right = left + a.offsetWidth * t.k, bottom = top + a.offsetHeight * t.k;
    if (left < 0 || right > w) t.x += w / 2 - (left + right) / 2;
    if (top < 0 || bottom > h) t.y += h / 2 - (top + bottom) / 2;
    applyTransform();
  }

  function wirePanning() {
    var start = null;
    viewport.addEventListener("pointerdown", function (e) {
      if (e.button !== 0 || e.target.closest(".argmap-toggle")) return;
      start = { x: e.clientX, y: e.clientY, tx: state.transform.x, ty: state.transform.y, id: e.pointerId };
      state.dragged = false;
    });
    viewport.addEventListener("pointermove", function (e) {
      if (!start || e.pointerId !== start.id) return;
      var dx = e.clientX - start.x, dy = e.clientY - start.y;
      if (!state.dragged && Math.abs(dx) + Math.abs(dy) < 5) return;
      if (!state.dragged) viewport.setPointerCapture(e.pointerId);
      state.dragged = true;
      state.transform.x = start.tx + dx;
      state.transform.y = start.ty + dy;
      applyTransform();
    });
    function end(e) {
      if (start && e.pointerId === start.id) start = null;
      // The click that ends a drag comes after pointerup: forget the drag after it.
      setTimeout(function () { state.dragged = false; }, 0);
    }
    viewport.addEventListener("pointerup", end);
    viewport.addEventListener("pointercancel", end);
    viewport.addEventListener("wheel", function (e) {
      if (!e.ctrlKey && !e.metaKey) return;  // a plain wheel scrolls the page
      e.preventDefault();
      var r = viewport.getBoundingClientRect();
      zoomAt(e.deltaY < 0 ? 1.15 : 1 / 1.15, e.clientX - r.left, e.clientY - r.top);
    }, { passive: false });
    viewport.addEventListener("scroll", function () { viewport.scrollTop = viewport.scrollLeft = 0; });
    viewport.addEventListener("keydown", function (e) {
      var step = { ArrowLeft: [60, 0], ArrowRight: [-60, 0], ArrowUp: [0, 60], ArrowDown: [0, -60] }[e.key];
      if (step && e.target === viewport) {
        e.preventDefault();
        state.transform.x += step[0];
        state.transform.y += step[1];
        applyTransform();
      } else if (e.key === "+" || e.key === "=") zoomAt(1.25, viewport.clientWidth / 2, viewport.clientHeight / 2);
      else if (e.key === "-") zoomAt(0.8, viewport.clientWidth / 2, viewport.clientHeight / 2);
    });
  }

  // --- Controls: tabs, filters, buttons ---

  function kindControls() {
    var v = state.perView[state.view];
    var kinds = [], seen = {};
    v.nodes.forEach(function (n) {
      if (!seen[n.kind]) { seen[n.kind] = true; kinds.push({ kind: n.kind, label: n.kind_label, family: n.family }); }
    });
    kinds.sort(function (a, b) { return rank(a) - rank(b) || a.label.localeCompare(b.label); });
    Array.prototype.slice.call(kindsBox.querySelectorAll("label")).forEach(function (l) { l.remove(); });
    kinds.forEach(function (k) {
      var label = el("label", "argmap-kind-filter");
      var input = el("input");
      input.type = "checkbox";
      input.checked = !v.hiddenKinds[k.kind];
      input.addEventListener("change", function () {
        if (input.checked) delete v.hiddenKinds[k.kind];
        else v.hiddenKinds[k.kind] = true;
        render(true);
      });
      label.appendChild(input);
      label.appendChild(el("span", "swatch f-" + k.family + " k-" + k.kind));
      label.appendChild(document.createTextNode(k.label));
      kindsBox.appendChild(label);
    });
  }

  function switchView(name) {
    state.view = name;
    state.selected = null;
    detail.hidden = true;
    Array.prototype.forEach.call(section.querySelectorAll("[role=tab]"), function (tab) {
      var on = tab.dataset.view === name;
      tab.setAttribute("aria-selected", on ? "true" : "false");
      tab.tabIndex = on ? 0 : -1;
      if (on) section.querySelector("[role=tabpanel]").setAttribute("aria-labelledby", tab.id);
    });
    Array.prototype.forEach.call(section.querySelectorAll(".argmap-ondemand"), function (l) {
      l.hidden = l.dataset.view !== name;
    });
    kindControls();
    return render(false);
  }

  function wireControls() {
    var tabs = Array.prototype.slice.call(section.querySelectorAll("[role=tab]"));
    tabs.forEach(function (tab, i) {
      tab.addEventListener("click", function () { switchView(tab.dataset.view); });
      tab.addEventListener("keydown", function (e) {
        var next = { ArrowRight: 1, ArrowLeft: -1 }[e.key];
        if (!next) return;
        var other = tabs[(i + next + tabs.length) % tabs.length];
        other.focus();
        switchView(other.dataset.view);
      });
    });
    Object.keys(VIEWS).forEach(function (name) {
      var input = section.querySelector("input[name=" + VIEWS[name].toggle + "]");
      input.addEventListener("change", function () {
        state.perView[name].showOnDemand = input.checked;
        render(true);
      });
    });
    (state.data.sections || []).forEach(function (s) {
      var option = el("option", "", s.label || s.iri);
      option.value = s.iri;
      sectionSelect.appendChild(option);
    });
    sectionSelect.addEventListener("change", function () { render(false); });
    section.querySelector("[data-action=zoom-in]").addEventListener("click", function () {
      zoomAt(1.25, viewport.clientWidth / 2, viewport.clientHeight / 2);
    });
    section.querySelector("[data-action=zoom-out]").addEventListener("click", function () {
      zoomAt(0.8, viewport.clientWidth / 2, viewport.clientHeight / 2);
    });
    section.querySelector("[data-action=fit]").addEventListener("click", fit);
    section.querySelector("[data-action=expand-all]").addEventListener("click", function () {
      state.perView[state.view].collapsed = {};
      render(true);
    });
  }

  fetch(section.dataset.src, { headers: { Accept: "application/json" } })
    .then(function (r) {
      if (!r.ok) throw new Error("the map's data answered " + r.status);
      return r.json();
    })
    .then(function (data) {
      state.data = data;
      prepare("argument", data);
      prepare("taxonomy", data.taxonomy);
      app.hidden = false;
      // On a phone the legend of some 15 kinds would push the map below the first screen.
      var legend = section.querySelector(".argmap-kinds-box");
      if (legend && window.matchMedia("(max-width: 40rem)").matches) legend.open = false;
      wireControls();
      wirePanning();
      return switchView("argument");
    })
    .then(function () { section.classList.add("drawn"); })
    .catch(function (err) {
      status.textContent = "The map could not be drawn: " + err.message + ". The list below holds the same boxes.";
      app.hidden = false;
    });
})();
