// The answer table's tools: hide and reorder columns, group rows by a column. The table is
// rendered by the server and stays as it came without script; these only rearrange its cells.
// Controls are real checkboxes, buttons and a select, each with a label, so the keyboard and a
// screen reader reach them like any form.
(function () {
  "use strict";
  var table = document.getElementById("results");
  if (!table || !table.tHead || !table.tBodies.length) return;
  var head = table.tHead.rows[0];
  var names = [].map.call(head.cells, function (th) { return th.getAttribute("data-column"); });
  if (names.length < 2) return;
  var rows = [].slice.call(table.tBodies[0].rows);
  // Each row's cells in the server's order: moving a cell in the DOM never loses its column.
  var cellsOf = [head].concat(rows).map(function (row) { return [].slice.call(row.cells); });
  var order = names.map(function (_, i) { return i; });
  var hidden = {};
  var isOffset = [].map.call(head.cells, function (th) { return th.classList.contains("col-offset"); });
  var grouped = -1;

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text) node.textContent = text;
    return node;
  }

  function place() {
    [head].concat(rows).forEach(function (row, r) {
      order.forEach(function (c) {
        var cell = cellsOf[r][c];
        cell.classList.toggle("col-hidden", !!hidden[c]);
        row.appendChild(cell);
      });
    });
  }

  function shownColumns() {
    // Offsets count as shown only while their toggle is open (CSS hides them otherwise).
    var offsets = document.getElementById("offsets-toggle");
    var open = offsets && offsets.open;
    return order.filter(function (c) { return !hidden[c] && (!isOffset[c] || open); }).length;
  }

  function regroup() {
    while (table.tBodies.length) table.removeChild(table.tBodies[0]);
    if (grouped < 0) {
      var all = el("tbody");
      rows.forEach(function (row) { all.appendChild(row); });
      table.appendChild(all);
      return;
    }
    var groups = [], byKey = {};
    rows.forEach(function (row, r) {
      var cell = cellsOf[r + 1][grouped];
      var key = cell.textContent.trim();
      if (!Object.prototype.hasOwnProperty.call(byKey, key)) {
        byKey[key] = { cell: cell, rows: [] };
        groups.push(byKey[key]);
      }
      byKey[key].rows.push(row);
    });
    groups.forEach(function (group) {
      var body = el("tbody");
      var title = el("tr", { "class": "group-head" });
      var th = el("th", { scope: "rowgroup", colspan: String(shownColumns()) });
      th.innerHTML = group.cell.innerHTML;
      var n = group.rows.length;
      th.appendChild(el("span", { "class": "note" }, n + (n === 1 ? " row" : " rows")));
      title.appendChild(th);
      body.appendChild(title);
      group.rows.forEach(function (row) { body.appendChild(row); });
      table.appendChild(body);
    });
  }

  function columnList(list) {
    list.innerHTML = "";
    order.forEach(function (c, at) {
      if (isOffset[c]) return; // the offsets have their own toggle
      var item = el("li");
      var box = el("input", { type: "checkbox", id: "show-column-" + c });
      box.checked = !hidden[c];
      box.addEventListener("change", function () {
        hidden[c] = !box.checked;
        place();
        regroup();
      });
      item.appendChild(box);
      item.appendChild(el("label", { "for": "show-column-" + c }, "?" + names[c]));
      [["left", -1, "\u2190"], ["right", 1, "\u2192"]].forEach(function (move) {
        var button = el("button", { type: "button", "class": "secondary",
          "aria-label": "Move ?" + names[c] + " " + move[0], "data-move": move[0] }, move[2]);
        var to = at + move[1];
        button.disabled = to < 0 || to >= order.length;
        button.addEventListener("click", function () {
          order.splice(at, 1);
          order.splice(to, 0, c);
          place();
          columnList(list);
          var again = list.querySelector('[aria-label="' + button.getAttribute("aria-label") + '"]');
          if (again && !again.disabled) again.focus();
          else if (again) list.querySelector("#show-column-" + c).focus();
        });
        item.appendChild(button);
      });
      list.appendChild(item);
    });
  }

  function tools() {
    var bar = el("div", { "class": "table-tools", id: "table-tools" });
    var details = el("details", { id: "column-tools" });
    details.appendChild(el("summary", {}, "Columns: show, hide, reorder"));
    var fieldset = el("fieldset");
    fieldset.appendChild(el("legend", { "class": "note" }, "Tick the columns to show; the arrows move a column"));
    var list = el("ol");
    fieldset.appendChild(list);
    details.appendChild(fieldset);
    columnList(list);
    var group = el("span");
    group.appendChild(el("label", { "for": "group-by" }, "Group rows by "));
    var select = el("select", { id: "group-by" });
    select.appendChild(el("option", { value: "" }, "(no grouping)"));
    names.forEach(function (name, c) {
      if (!isOffset[c]) select.appendChild(el("option", { value: String(c) }, "?" + name));
    });
    select.addEventListener("change", function () {
      grouped = select.value === "" ? -1 : Number(select.value);
      regroup();
    });
    group.appendChild(select);
    bar.appendChild(group);
    bar.appendChild(details);
    return bar;
  }

  var box = table.closest(".tablebox") || table;
  box.parentNode.insertBefore(tools(), box);
  var offsets = document.getElementById("offsets-toggle");
  if (offsets) offsets.addEventListener("toggle", regroup); // group headings span the columns shown
})();
