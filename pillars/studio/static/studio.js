/* Pillars studio: the page is a client of the studio's JSON API and of nothing else.
 *
 * Offsets: the API counts Unicode code points (text[start:end] in Python); JavaScript strings
 * count UTF-16 units. The text is split into an array of code points once, and every offset
 * the page sends or reads is a code-point offset.
 */
"use strict";

const state = {
  token: document.querySelector('meta[name="pillars-token"]').content,
  slug: null,
  data: null,
  vocab: null,
  points: [],          // the text as code points
  byName: new Map(),   // resource name -> resource
  evidence: [],        // [{start, end, resource, ev}]
  selection: null,     // {start, end}
  editing: null,       // name of the resource the form edits, or null for a new one
  lastTurtle: "",
  linkMode: false,
  iriTouched: false,
  openKinds: new Map(),  // draft kind -> whether its group is open
};

const $ = (id) => document.getElementById(id);

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (key === "class") node.className = value;
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else if (key === "dataset") Object.assign(node.dataset, value);
    else if (value !== false && value !== null && value !== undefined) node.setAttribute(key, value);
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

async function api(method, path, body) {
  const headers = { Accept: "application/json" };
  const options = { method, headers };
  if (method !== "GET") {
    headers["X-Pillars-Token"] = state.token;
    if (body !== undefined) {
      headers["Content-Type"] = "application/json";
      options.body = JSON.stringify(body);
    }
  }
  const response = await fetch(path, options);
  let data = {};
  try { data = await response.json(); } catch (err) { data = { error: response.statusText }; }
  return { ok: response.ok, status: response.status, data };
}

function status(message, isError) {
  const node = $("status");
  node.textContent = message;
  node.classList.toggle("error", Boolean(isError));
}

function articlePath(suffix) {
  return `/api/articles/${encodeURIComponent(state.slug)}${suffix || ""}`;
}

function localName(name) {
  return name.startsWith("art:") ? name.slice(4) : name;
}

/* ------------------------------------------------------------------ loading */

async function start() {
  const session = await api("GET", "/api/session");
  if (session.ok) state.token = session.data.token;
  const [articles, vocab] = await Promise.all([api("GET", "/api/articles"), api("GET", "/api/vocabulary")]);
  state.vocab = vocab.data;
  fillClassSelect();
  const select = $("article");
  for (const article of articles.data.articles) {
    select.append(el("option", { value: article.slug }, article.title));
  }
  select.addEventListener("change", () => load(select.value));
  wire();
  if (articles.data.articles.length) await load(articles.data.articles[0].slug);
}

async function load(slug) {
  state.slug = slug;
  status("reading the article and checking it…");
  const answer = await api("GET", articlePath());
  if (!answer.ok) { status(answer.data.error, true); return; }
  show(answer.data);
  status("ready");
}

async function reload() {
  const answer = await api("GET", articlePath());
  if (answer.ok) show(answer.data);
}

function show(data) {
  state.data = data;
  state.points = Array.from(data.text);
  state.byName = new Map(data.resources.map((r) => [r.name, r]));
  state.evidence = [];
  for (const resource of data.resources) {
    if (resource.kind === "section") continue;  // headings are drawn as headings
    for (const ev of resource.evidence) state.evidence.push({ ...ev, resource });
  }
  renderText();
  renderCoverage();
  renderDrafts();
  renderFindings();
}

/* ------------------------------------------------------------------ the text */

function renderText() {
  const data = state.data;
  const root = $("text");
  root.replaceChildren();
  const points = state.points;
  const headings = new Map();
  for (const section of data.sections) {
    if (section.heading.in_text) headings.set(section.heading.start, section);
  }
  const untitled = new Map();
  for (const section of data.sections) {
    if (!section.heading.in_text) untitled.set(section.start, section);
  }
  const cuts = new Set([0, points.length]);
  for (const ev of state.evidence) { cuts.add(ev.start); cuts.add(ev.end); }
  for (const s of data.coverage.uncovered) { cuts.add(s.start); cuts.add(s.end); }
  let lineStart = 0;
  for (let i = 0; i <= points.length; i++) {
    if (i === points.length || points[i] === "\n") {
      cuts.add(lineStart); cuts.add(i);
      renderLine(root, lineStart, i, cuts, headings, untitled);
      lineStart = i + 1;
    }
  }
}

function renderLine(root, start, end, cuts, headings, untitled) {
  for (const [at, section] of untitled) {
    if (at >= start && at <= end && !root.querySelector(`[data-section="${section.name}"]`)) {
      root.append(el(`h${Math.min(section.level + 1, 6)}`, { class: "untitled", dataset: { section: section.name } }, section.label));
    }
  }
  if (end <= start) return;
  const heading = headings.get(start);
  const block = heading && heading.heading.end === end
    ? el(`h${Math.min(heading.level + 1, 6)}`, { dataset: { section: heading.name } })
    : el("p");
  const inside = [...cuts].filter((c) => c > start && c < end).sort((a, b) => a - b);
  let from = start;
  for (const to of [...inside, end]) {
    if (to > from) block.append(segment(from, to));
    from = to;
  }
  root.append(block);
}

function segment(start, end) {
  const text = state.points.slice(start, end).join("");
  const covering = state.evidence.filter((ev) => ev.start < end && ev.end > start);
  const uncovered = state.data.coverage.uncovered.some((s) => s.start < end && s.end > start);
  const span = el("span", { dataset: { start: String(start), end: String(end) } }, text);
  if (covering.length) {
    const curated = covering.filter((ev) => !ev.draft && !ev.resource.draft);
    const shown = (curated.length ? curated : covering).slice().sort((a, b) => (a.end - a.start) - (b.end - b.start))[0];
    span.classList.add("hl", `kind-${shown.resource.kind}`);
    if (!curated.length) span.classList.add("draft");
    if (covering.some((ev) => hasFindings(ev.resource.name))) span.classList.add("has-finding");
    span.dataset.resources = [...new Set(covering.map((ev) => ev.resource.name))].join(" ");
    span.title = [...new Set(covering.map((ev) => `${ev.resource.name} (${ev.resource.types.join(", ")})`))].join("\n");
    span.draggable = state.linkMode;
  }
  if (uncovered) span.classList.add("uncovered");
  return span;
}

function hasFindings(name) {
  return state.data.findings.some((f) => f.name === name && f.severity !== "Info");
}

function renderCoverage() {
  const c = state.data.coverage;
  $("coverage").textContent = `Coverage: ${c.covered} of ${c.sentences} sentences (${c.percent}%)`
    + (c.uncovered.length ? `, ${c.uncovered.length} uncovered (marked)` : "");
}

/* Offsets of the current selection in the text, in code points, or null. */
function selectionOffsets() {
  const sel = window.getSelection();
  if (!sel || sel.isCollapsed || sel.rangeCount === 0) return null;
  const range = sel.getRangeAt(0);
  const start = pointOffset(range.startContainer, range.startOffset);
  const end = pointOffset(range.endContainer, range.endOffset);
  if (start === null || end === null || end <= start) return null;
  return trim(start, end);
}

function pointOffset(node, offset) {
  let span = node.nodeType === Node.TEXT_NODE ? node.parentElement : node;
  if (node.nodeType !== Node.TEXT_NODE) {
    // The boundary is between children: take the child at offset, or the end of the last.
    const child = node.childNodes[offset];
    if (child && child.dataset && child.dataset.start) return Number(child.dataset.start);
    const last = node.childNodes[offset - 1];
    if (last && last.dataset && last.dataset.end) return Number(last.dataset.end);
    return null;
  }
  if (!span || !span.dataset || span.dataset.start === undefined) return null;
  return Number(span.dataset.start) + Array.from(node.textContent.slice(0, offset)).length;
}

function trim(start, end) {
  while (start < end && /\s/.test(state.points[start])) start++;
  while (end > start && /\s/.test(state.points[end - 1])) end--;
  return end > start ? { start, end } : null;
}

function onTextMouseUp(event) {
  if (state.linkMode) return;
  const offsets = selectionOffsets();
  if (offsets) {
    state.selection = offsets;
    $("selection-quote").textContent = state.points.slice(offsets.start, offsets.end).join("");
    $("selection-panel").hidden = false;
    $("evidence-results").replaceChildren();
    $("evidence-search").value = "";
    return;
  }
  const span = event.target.closest("span.hl");
  if (span) showInfo(span.dataset.resources.split(" "));
}

/* ------------------------------------------------------------------ what a span anchors */

function showInfo(names) {
  const box = $("info");
  box.replaceChildren();
  for (const name of names) {
    const r = state.byName.get(name);
    if (r) box.append(resourceCard(r));
  }
  $("info-panel").hidden = false;
}

function resourceCard(r) {
  const links = Object.entries(r.links).map(([p, targets]) => el("li", {}, `${p} → ${targets.join(", ")}`));
  const values = Object.entries(r.values).map(([p, vs]) => el("li", {}, `${p}: ${vs.join(", ")}`));
  const findings = state.data.findings.filter((f) => f.name === r.name);
  const card = el("div", { class: "card", dataset: { name: r.name } },
    el("h3", {}, r.label || r.name),
    el("p", { class: "meta" }, `${r.name} · ${r.types.join(", ")}${r.draft ? " · draft" : ""}`),
    el("p", { class: "meta" }, r.file ? `${r.file}${r.line ? ":" + r.line : ""}` : ""),
    el("ul", { class: "props" }, links, values),
    el("ul", { class: "findings" }, findings.map(findingItem)),
  );
  const actions = el("div", { class: "actions" });
  if (r.owner === "studio") {
    actions.append(el("button", { type: "button", onclick: () => openForm(r) }, "Edit"));
    actions.append(el("button", { type: "button", onclick: () => removeResource(r) }, "Delete"));
  }
  if (r.draft) {
    actions.append(el("button", { type: "button", onclick: () => draftAction([localName(r.name)], "accept") }, "Accept"));
    actions.append(el("button", { type: "button", onclick: () => editDraft(r) }, "Edit"));
    actions.append(el("button", { type: "button", onclick: () => draftAction([localName(r.name)], "reject") }, "Reject"));
  }
  if (r.owner === "hand") actions.append(el("span", { class: "meta" }, "written by hand: edit it in its file"));
  card.append(actions);
  // Drafted mentions of a curated or shared resource: accepted or rejected one by one here.
  const mentions = r.draft ? [] : r.evidence.filter((ev) => ev.draft);
  if (mentions.length) {
    card.append(el("ul", { class: "props" }, mentions.map((ev) => el("li", { dataset: { draft: localName(ev.name) } },
      `drafted mention “${ev.exact}” `,
      el("button", { type: "button", onclick: () => draftAction([localName(ev.name)], "accept") }, "Accept"),
      el("button", { type: "button", onclick: () => draftAction([localName(ev.name)], "reject") }, "Reject")))));
  }
  return card;
}

/* ------------------------------------------------------------------ drafts */

function draftUnits() {
  const units = [];
  for (const r of state.data.resources) {
    if (r.draft) units.push({ name: localName(r.name), kind: r.types[0] || r.kind, resource: r });
    else for (const ev of r.evidence) {
      if (ev.draft) units.push({ name: localName(ev.name), kind: "mention", resource: r, ev });
    }
  }
  return units;
}

function renderDrafts() {
  const box = $("drafts");
  box.replaceChildren();
  const units = draftUnits();
  if (!units.length) { box.append(el("p", { class: "meta" }, "No drafts (run `pillars draft SLUG`).")); return; }
  const groups = new Map();
  for (const unit of units) {
    if (!groups.has(unit.kind)) groups.set(unit.kind, []);
    groups.get(unit.kind).push(unit);
  }
  for (const [kind, list] of groups) {
    const names = list.map((u) => u.name);
    // Groups stay as the editor left them; small ones start open.
    const open = state.openKinds.has(kind) ? state.openKinds.get(kind) : list.length <= 20;
    const details = el("details", { class: "draft-group", dataset: { kind }, open: open ? "" : null,
      ontoggle: (e) => state.openKinds.set(kind, e.target.open) },
      el("summary", {}, `${kind} (${list.length}) `,
        el("button", { type: "button", onclick: () => draftAction(names, "accept") }, `Accept all ${list.length}`),
        el("button", { type: "button", onclick: () => draftAction(names, "reject") }, `Reject all ${list.length}`)),
      el("ul", {}, list.map((unit) => el("li", { dataset: { draft: unit.name } },
        el("span", { class: "quote" }, unit.ev ? `${unit.resource.label || unit.resource.name}: “${unit.ev.exact}”` : (unit.resource.label || unit.name)),
        " ",
        el("button", { type: "button", onclick: () => draftAction([unit.name], "accept") }, "Accept"),
        unit.ev ? null : el("button", { type: "button", onclick: () => editDraft(unit.resource) }, "Edit"),
        el("button", { type: "button", onclick: () => draftAction([unit.name], "reject") }, "Reject")))));
    box.append(details);
  }
}

async function draftAction(names, verb) {
  const path = names.length === 1 ? articlePath(`/drafts/${encodeURIComponent(names[0])}/${verb}`) : articlePath(`/drafts/${verb}`);
  const answer = await api("POST", path, names.length === 1 ? undefined : { names });
  await afterWrite(answer, `${verb === "accept" ? "accepted" : "rejected"} ${names.length} draft(s)`);
  return answer;
}

async function editDraft(r) {
  const answer = await draftAction([localName(r.name)], "accept");
  if (answer.ok) openForm(state.byName.get(r.name));
}

/* ------------------------------------------------------------------ findings */

function findingItem(f) {
  const where = f.file ? ` (${f.file}${f.line ? ":" + f.line : ""})` : "";
  return el("li", { class: `finding ${f.severity.toLowerCase()}`, dataset: { resource: f.name || "" } },
    el("strong", {}, f.severity), " ", f.name ? el("a", { href: "#", onclick: (e) => { e.preventDefault(); focusResource(f.name); } }, f.name) : "",
    " ", f.message, where);
}

function renderFindings() {
  const list = state.data.findings;
  const count = (severity) => list.filter((f) => f.severity === severity).length;
  $("findings-count").textContent = `(${count("Violation")} violations, ${count("Warning")} warnings, ${count("Info")} for information)`;
  $("findings").replaceChildren(...list.map(findingItem));
}

function focusResource(name) {
  const span = [...document.querySelectorAll("#text span.hl")].find((s) => s.dataset.resources.split(" ").includes(name));
  if (span) span.scrollIntoView({ block: "center" });
  showInfo([name]);
}

/* ------------------------------------------------------------------ the form */

function fillClassSelect() {
  const select = $("form-class");
  for (const cls of state.vocab.classes) select.append(el("option", { value: cls.name }, `${cls.label} (${cls.name})`));
  select.value = "pil:Claim";
  select.addEventListener("change", () => renderFields(select.value, {}, {}));
}

function classInfo(name) {
  return state.vocab.classes.find((c) => c.name === name);
}

function openForm(resource) {
  state.editing = resource ? resource.name : null;
  $("form-title").textContent = resource ? `Edit ${resource.name}` : "New resource";
  const cls = resource ? resource.types.find((t) => classInfo(t)) || "pil:Claim" : $("form-class").value || "pil:Claim";
  $("form-class").value = cls;
  $("form-iri").value = resource ? resource.name : "";
  $("form-iri").readOnly = Boolean(resource);
  state.iriTouched = Boolean(resource);
  $("form-label").value = resource ? resource.label : (state.selection ? state.points.slice(state.selection.start, state.selection.end).join("") : "");
  renderFields(cls, resource ? resource.links : {}, resource ? resource.values : {});
  $("form-error").textContent = "";
  $("form-panel").hidden = false;
  $("form-label").focus();
}

function renderFields(clsName, links, values) {
  const cls = classInfo(clsName);
  $("class-help").textContent = cls ? cls.definition : "";
  $("label-help").textContent = cls && cls.label_help ? cls.label_help : "";
  $("form-label").setAttribute("aria-required", String(Boolean(cls && cls.label_required)));
  $("label-required").hidden = !(cls && cls.label_required);
  const box = $("form-fields");
  box.replaceChildren();
  if (!cls) return;
  for (const field of cls.fields) {
    box.append(field.kind === "link" ? linkField(field, links[field.path] || []) : valueField(field, values[field.path] || []));
  }
}

function fieldLabel(field) {
  return el("span", { class: "field-name" }, field.name, field.required ? el("abbr", { title: "required" }, " *") : (field.recommended ? el("abbr", { title: "recommended" }, " (recommended)") : ""), ` ${field.path}`);
}

const DATATYPES = {
  "xsd:decimal": { pattern: "[+\\-]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)", hint: "a decimal, e.g. 705000000.0" },
  "xsd:integer": { pattern: "[+\\-]?[0-9]+", hint: "a whole number" },
  "xsd:gYear": { pattern: "-?[0-9]{4}", hint: "a four-digit year" },
};

function valueField(field, current) {
  let input;
  if (field.datatype === "xsd:boolean") {
    input = el("select", { name: field.path }, el("option", { value: "" }, "—"), el("option", { value: "true" }, "true"), el("option", { value: "false" }, "false"));
    input.value = current[0] || "";
  } else {
    const type = DATATYPES[field.datatype];
    input = el("input", { name: field.path, value: current[0] || "", pattern: type ? type.pattern : field.pattern, placeholder: type ? type.hint : "", inputmode: type && field.datatype !== "xsd:gYear" ? "decimal" : null });
    input.addEventListener("input", () => {
      input.setCustomValidity(input.validity.patternMismatch ? `${field.path} is ${field.datatype || "text"}: ${type ? type.hint : "see the help"}` : "");
    });
  }
  input.dataset.kind = "value";
  // Required fields are marked, not enforced: a partial resource may be saved, and the check
  // that runs after the save names what is missing. Wrong datatypes are refused here.
  input.setAttribute("aria-required", String(field.required));
  return el("label", { class: "field", dataset: { path: field.path } }, fieldLabel(field), input, el("small", { class: "help" }, field.help));
}

function linkField(field, current) {
  const chosen = el("ul", { class: "chips" });
  const add = (name) => {
    if ([...chosen.children].some((c) => c.dataset.name === name)) return;
    if (field.max === 1) chosen.replaceChildren();
    chosen.append(el("li", { dataset: { name } }, name, el("button", { type: "button", "aria-label": `remove ${name}`, onclick: (e) => e.target.parentElement.remove() }, "×")));
  };
  current.forEach(add);
  const results = el("ul", { class: "results" });
  const search = el("input", { type: "search", placeholder: field.classes.length ? `search a ${field.classes.join(" or ")}` : "search a resource", autocomplete: "off", "aria-label": `${field.path}: search` });
  search.addEventListener("input", async () => {
    const hits = await findResources(search.value, field.classes);
    results.replaceChildren(...hits.map((hit) => el("li", {}, el("button", { type: "button", onclick: () => { add(hit.name); results.replaceChildren(); search.value = ""; } }, `${hit.label || hit.name} (${hit.name}, ${hit.types.join(", ")})`))));
  });
  return el("div", { class: "field link", dataset: { path: field.path, kind: "link" } }, fieldLabel(field), chosen, search, results, el("small", { class: "help" }, field.help));
}

/* Pickers offer only resources of the range classes (any of them). */
async function findResources(query, classes) {
  const asked = classes.length === 1 ? `&class=${encodeURIComponent(classes[0])}` : "";
  const answer = await api("GET", articlePath(`/search?q=${encodeURIComponent(query)}${asked}`));
  if (!answer.ok) return [];
  const supers = state.vocab.all_classes;
  return answer.data.results.filter((hit) => !classes.length || hit.types.some((t) => classes.some((c) => (supers[t] || [t]).includes(c))));
}

function formBody() {
  const body = { type: $("form-class").value };
  const label = $("form-label").value.trim();
  if (label) body.label = label;
  const iri = $("form-iri").value.trim();
  if (iri && !state.editing) body.iri = iri;
  const links = {}; const values = {};
  for (const field of $("form-fields").querySelectorAll(".field")) {
    const path = field.dataset.path;
    if (field.dataset.kind === "link") {
      const names = [...field.querySelectorAll(".chips li")].map((li) => li.dataset.name);
      if (names.length) links[path] = names;
    } else {
      const input = field.querySelector("input, select");
      if (input.value.trim()) values[path] = input.value.trim();
    }
  }
  if (Object.keys(links).length) body.links = links;
  if (Object.keys(values).length) body.values = values;
  if (!state.editing && state.selection) body.evidence = [{ start: state.selection.start, end: state.selection.end, exact: state.points.slice(state.selection.start, state.selection.end).join("") }];
  return body;
}

/* The IRI the studio would mint for the form as it stands, shown (and editable) before the
 * first save; once the editor types one, it is theirs. */
async function proposeIri() {
  if (state.iriTouched || state.editing) return;
  const body = formBody();
  delete body.iri;
  const answer = await api("POST", articlePath("/names"), body);
  if (answer.ok && !state.iriTouched) $("form-iri").value = answer.data.name;
}

async function saveForm(event) {
  event.preventDefault();
  const form = $("resource-form");
  if (!form.reportValidity()) return;
  const body = formBody();
  const answer = state.editing
    ? await api("PUT", articlePath(`/resources/${encodeURIComponent(localName(state.editing))}`), body)
    : await api("POST", articlePath("/resources"), body);
  if (!answer.ok) { $("form-error").textContent = answer.data.error; return; }
  $("form-panel").hidden = true;
  $("selection-panel").hidden = true;
  state.selection = null;
  await afterWrite(answer, `saved ${answer.data.iri ? answer.data.iri.split("/").pop() : ""} in ${answer.data.file}`);
}

async function removeResource(r) {
  const answer = await api("DELETE", articlePath(`/resources/${encodeURIComponent(localName(r.name))}`));
  await afterWrite(answer, `deleted ${r.name}`);
}

async function afterWrite(answer, message) {
  if (!answer.ok) { status(answer.data.error, true); return; }
  state.lastTurtle = answer.data.turtle || "";
  $("turtle").textContent = state.lastTurtle;
  await reload();
  const count = (severity) => answer.data.findings.filter((f) => f.severity === severity).length;
  const violations = count("Violation");
  const warnings = count("Warning") ? ` (${count("Warning")} warning(s))` : "";
  status(`${message}; checked: ${violations ? violations + " violation(s) to fix" : "no violations"}${warnings}`);
  $("info-panel").hidden = true;
}

/* ------------------------------------------------------------------ evidence for an existing resource */

async function searchEvidenceTarget() {
  const query = $("evidence-search").value;
  const results = $("evidence-results");
  if (!query.trim()) { results.replaceChildren(); return; }
  const hits = await findResources(query, []);
  results.replaceChildren(...hits.map((hit) => el("li", {}, el("button", { type: "button", onclick: () => addEvidence(hit) }, `${hit.label || hit.name} (${hit.name})`))));
}

async function addEvidence(hit) {
  const sel = state.selection;
  const name = hit.name.startsWith("art:") ? localName(hit.name) : hit.name;
  const answer = await api("POST", articlePath(`/resources/${encodeURIComponent(name)}/evidence`), { start: sel.start, end: sel.end, exact: state.points.slice(sel.start, sel.end).join("") });
  $("selection-panel").hidden = true;
  state.selection = null;
  await afterWrite(answer, `added evidence to ${hit.name}`);
}

/* ------------------------------------------------------------------ links by dragging */

function toggleLinkMode() {
  state.linkMode = !state.linkMode;
  $("link-mode").setAttribute("aria-pressed", String(state.linkMode));
  $("text").classList.toggle("linking", state.linkMode);
  for (const span of document.querySelectorAll("#text span.hl")) span.draggable = state.linkMode;
}

function onDragStart(event) {
  const span = event.target.closest && event.target.closest("span.hl");
  if (!span) return;
  event.dataTransfer.setData("text/x-pillars-resources", span.dataset.resources);
  event.dataTransfer.effectAllowed = "link";
}

function onDrop(event) {
  const span = event.target.closest && event.target.closest("span.hl");
  const from = event.dataTransfer.getData("text/x-pillars-resources");
  if (!span || !from) return;
  event.preventDefault();
  linkMenu(from.split(" "), span.dataset.resources.split(" "), event.clientX, event.clientY);
}

/* Every (property, source, target) the shapes allow between the two spans' resources. */
function linkChoices(sources, targets) {
  const supers = state.vocab.all_classes;
  const isA = (types, cls) => types.some((t) => (supers[t] || [t]).includes(cls));
  const choices = [];
  for (const s of sources.map((n) => state.byName.get(n)).filter(Boolean)) {
    for (const cls of s.types.map(classInfo).filter(Boolean)) {
      for (const field of cls.fields.filter((f) => f.kind === "link")) {
        for (const t of targets.map((n) => state.byName.get(n)).filter(Boolean)) {
          if (t.name === s.name) continue;
          if (!field.classes.length || field.classes.some((c) => isA(t.types, c))) choices.push({ source: s, target: t, field });
        }
      }
    }
  }
  return choices;
}

function linkMenu(sources, targets, x, y) {
  const menu = $("link-menu");
  const choices = linkChoices(sources, targets);
  menu.replaceChildren(el("p", {}, choices.length ? "Link:" : "No link of the ontology fits these two."),
    ...choices.map((c) => el("button", { type: "button", role: "menuitem", onclick: () => makeLink(c) }, `${c.source.name} ${c.field.path} ${c.target.name}`)),
    el("button", { type: "button", onclick: () => { menu.hidden = true; } }, "Cancel"));
  menu.hidden = false;
  // Kept inside the window, so that every choice can be scrolled to.
  const { width, height } = menu.getBoundingClientRect();
  menu.style.left = `${Math.max(0, Math.min(x, window.innerWidth - width))}px`;
  menu.style.top = `${Math.max(0, Math.min(y, window.innerHeight - height))}px`;
}

async function makeLink(choice) {
  $("link-menu").hidden = true;
  const name = choice.source.name.startsWith("art:") ? localName(choice.source.name) : choice.source.name;
  const answer = await api("POST", articlePath(`/resources/${encodeURIComponent(name)}/links`), { property: choice.field.path, target: choice.target.name });
  await afterWrite(answer, `linked ${choice.source.name} ${choice.field.path} ${choice.target.name}`);
}

async function checkWithOwl() {
  status("checking the article with SHACL, quotes and OWL (HermiT)…");
  const answer = await api("POST", articlePath("/check"), { owl: true });
  if (!answer.ok) { status(answer.data.error, true); return; }
  state.data.findings = answer.data.findings;
  renderFindings();
  const violations = answer.data.findings.filter((f) => f.severity === "Violation").length;
  status(`whole check with OWL: ${violations ? violations + " violation(s) to fix" : "no violations"}`);
}

/* ------------------------------------------------------------------ wiring */

function wire() {
  $("text").addEventListener("mouseup", onTextMouseUp);
  $("text").addEventListener("dragstart", onDragStart);
  $("text").addEventListener("dragover", (e) => { if (state.linkMode) e.preventDefault(); });
  $("text").addEventListener("drop", onDrop);
  $("new-resource").addEventListener("click", () => openForm(null));
  $("resource-form").addEventListener("submit", saveForm);
  $("form-iri").addEventListener("input", () => { state.iriTouched = true; });
  let timer = null;
  $("resource-form").addEventListener("input", (e) => {
    if (e.target.id === "form-iri") return;
    clearTimeout(timer);
    timer = setTimeout(proposeIri, 250);
  });
  $("resource-form").addEventListener("change", () => { clearTimeout(timer); timer = setTimeout(proposeIri, 250); });
  $("check-owl").addEventListener("click", checkWithOwl);
  $("form-cancel").addEventListener("click", () => { $("form-panel").hidden = true; });
  $("evidence-search").addEventListener("input", searchEvidenceTarget);
  $("undo").addEventListener("click", async () => afterWrite(await api("POST", articlePath("/undo")), "undone"));
  $("show-turtle").addEventListener("click", () => { $("turtle-panel").hidden = !$("turtle-panel").hidden; });
  $("link-mode").addEventListener("click", toggleLinkMode);
}

document.addEventListener("DOMContentLoaded", start);
