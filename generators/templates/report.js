// monocut report: the interactive parts of report.html (service details, matrix, search).
// Written for monocut and licensed with it (Apache-2.0); no library, nothing fetched.
(function () {
  "use strict";
  var DATA = JSON.parse(document.getElementById("monocut-data").textContent);
  var SERVICES = DATA.services;
  var MATRIX = DATA.matrix;

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) {
      if (key === "text") { node.textContent = attrs[key]; } else { node.setAttribute(key, attrs[key]); }
    });
    (children || []).forEach(function (child) { if (child) { node.appendChild(child); } });
    return node;
  }

  function list(items, render) {
    var ul = el("ul");
    items.forEach(function (item) { ul.appendChild(el("li", {}, [render(item)])); });
    return ul;
  }

  function text(value) { return document.createTextNode(String(value)); }

  function kinds(record) {
    return Object.keys(record.kinds).sort().map(function (k) { return k + " " + record.kinds[k]; }).join(", ");
  }

  // ------------------------------------------------------------------ service details

  function showService(name) {
    var info = SERVICES[name];
    var details = document.getElementById("details");
    if (!info) { return; }
    details.textContent = "";
    details.setAttribute("data-service", name);
    details.appendChild(el("h3", { text: name }));
    details.appendChild(el("p", { "class": "kv", text: info.modules.length + " modules, " + info.lines + " lines, port " + info.port }));
    var metricNames = Object.keys(info.metrics);
    if (metricNames.length) {
      details.appendChild(el("p", { "class": "kv", text: metricNames.map(function (m) { return m + " " + info.metrics[m]; }).join(" · ") }));
    }
    if (info.entry_points.length) {
      details.appendChild(el("h4", { text: "Entry points" }));
      details.appendChild(list(info.entry_points, function (e) { return el("code", { text: e }); }));
    }
    details.appendChild(el("h4", { text: "Depends on" }));
    if (info.outgoing.length) {
      details.appendChild(list(info.outgoing, function (d) {
        return el("span", {}, [el("b", { text: d.target }), text(" weight " + d.weight + " (" + kinds(d) + "), " + d.pairs + " module pairs; e.g. " + d.examples.slice(0, 2).join("; "))]);
      }));
    } else { details.appendChild(el("p", { text: "No other service." })); }
    details.appendChild(el("h4", { text: "Used by" }));
    if (info.incoming.length) {
      details.appendChild(list(info.incoming, function (d) {
        return el("span", {}, [el("b", { text: d.source }), text(" weight " + d.weight + " (" + kinds(d) + ")")]);
      }));
    } else { details.appendChild(el("p", { text: "No other service." })); }
    if (info.signals.length) {
      details.appendChild(el("h4", { text: "What holds it together" }));
      details.appendChild(el("p", { text: info.signals.slice(0, 5).map(function (s) { return s[0] + " " + Math.round(s[1] * 100) + "%"; }).join(", ") + (info.terms.length ? "; words: " + info.terms.join(", ") : "") }));
    }
    if (info.models.length) {
      details.appendChild(el("h4", { text: "Owns data models" }));
      details.appendChild(el("p", { text: info.models.join(", ") }));
    }
    details.appendChild(el("h4", { text: "API (" + info.api.length + ")" }));
    if (info.api.length) {
      details.appendChild(list(info.api.slice(0, 200), function (a) { return el("code", { text: a }); }));
    } else { details.appendChild(el("p", { text: "Nothing of it is used from other services." })); }
    details.appendChild(el("h4", { text: "Modules and why they are here" }));
    var table = el("table", { "class": "service-modules" });
    var body = el("tbody");
    info.modules.forEach(function (m) {
      body.appendChild(el("tr", { "data-module": m[0] }, [el("td", {}, [el("code", { text: m[0] })]), el("td", { "class": "reason", text: m[1].join("; ") })]));
    });
    table.appendChild(body);
    details.appendChild(table);
    highlightGraph(name);
  }

  function highlightGraph(name) {
    var neighbours = {};
    document.querySelectorAll(".service-edge").forEach(function (edge) {
      var from = edge.getAttribute("data-from"), to = edge.getAttribute("data-to");
      var touches = from === name || to === name;
      edge.classList.toggle("active", touches);
      edge.classList.toggle("dim", !touches);
      if (touches) { neighbours[from] = true; neighbours[to] = true; }
    });
    document.querySelectorAll(".service-node").forEach(function (node) {
      var service = node.getAttribute("data-service");
      node.classList.toggle("selected", service === name);
      node.classList.toggle("neighbour", service !== name && !!neighbours[service]);
      node.classList.toggle("dim", service !== name && !neighbours[service]);
    });
  }

  document.querySelectorAll(".service-node").forEach(function (node) {
    node.addEventListener("click", function () { showService(node.getAttribute("data-service")); });
    node.addEventListener("keydown", function (event) {
      if (event.key === "Enter" || event.key === " ") { event.preventDefault(); showService(node.getAttribute("data-service")); }
    });
  });
  document.querySelectorAll(".service-link").forEach(function (link) {
    link.addEventListener("click", function () { showService(link.getAttribute("data-service")); });
  });

  // ------------------------------------------------------------------ dependency matrix

  var canvas = document.getElementById("dsm");
  var tip = document.getElementById("dsm-tip");
  var caption = document.getElementById("matrix-caption");
  var current = null;

  function buildLevel(level) {
    var labels = [], groupOf = [], keyIndex = {}, rowOf = [];
    MATRIX.modules.forEach(function (m, i) {
      var key = level === "service" ? MATRIX.groups[m[1]] : level === "package" ? m[1] + "\u0000" + m[2] : m[0];
      if (!(key in keyIndex)) {
        keyIndex[key] = labels.length;
        labels.push(level === "service" ? MATRIX.groups[m[1]] : level === "package" ? m[2] : m[0]);
        groupOf.push(m[1]);
      }
      rowOf[i] = keyIndex[key];
    });
    var cells = {};
    MATRIX.edges.forEach(function (e) {
      var key = rowOf[e[0]] + "," + rowOf[e[1]];
      var cell = cells[key] || (cells[key] = { weight: 0, count: 0 });
      cell.weight += e[2];
      cell.count += 1;
    });
    return { level: level, labels: labels, groupOf: groupOf, cells: cells };
  }

  function drawMatrix(level) {
    var m = buildLevel(level);
    var n = m.labels.length;
    var cell = Math.max(3, Math.min(22, Math.floor(760 / Math.max(n, 1))));
    var labelWidth = cell >= 10 ? 220 : 0;
    var size = n * cell;
    var ratio = window.devicePixelRatio || 1;
    canvas.width = Math.ceil((size + labelWidth + 2) * ratio);
    canvas.height = Math.ceil((size + 2) * ratio);
    canvas.style.width = (size + labelWidth + 2) + "px";
    canvas.style.height = (size + 2) + "px";
    var ctx = canvas.getContext("2d");
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    ctx.fillStyle = "#ffffff";
    ctx.fillRect(0, 0, size + labelWidth + 2, size + 2);
    var start = 0;
    for (var i = 1; i <= n; i++) {
      if (i === n || m.groupOf[i] !== m.groupOf[start]) {
        ctx.fillStyle = "#eceef2";
        ctx.fillRect(labelWidth + start * cell, start * cell, (i - start) * cell, (i - start) * cell);
        ctx.strokeStyle = "#9aa1ab";
        ctx.strokeRect(labelWidth + start * cell + 0.5, start * cell + 0.5, (i - start) * cell, (i - start) * cell);
        start = i;
      }
    }
    var heaviest = 0;
    Object.keys(m.cells).forEach(function (k) { heaviest = Math.max(heaviest, m.cells[k].weight); });
    var crossing = 0;
    Object.keys(m.cells).forEach(function (k) {
      var parts = k.split(","), row = +parts[0], col = +parts[1];
      var same = m.groupOf[row] === m.groupOf[col];
      var shared = m.groupOf[row] === MATRIX.shared || m.groupOf[col] === MATRIX.shared;
      if (!same && !shared) { crossing += m.cells[k].count; }
      var strength = 0.35 + 0.65 * Math.log(1 + m.cells[k].weight) / Math.log(1 + heaviest);
      ctx.globalAlpha = Math.min(1, strength);
      ctx.fillStyle = same ? "#2f6fb0" : shared ? "#8a8f98" : "#d62728";
      ctx.fillRect(labelWidth + col * cell + 0.5, row * cell + 0.5, Math.max(cell - 1, 1), Math.max(cell - 1, 1));
    });
    ctx.globalAlpha = 1;
    if (labelWidth) {
      ctx.fillStyle = "#1d2330";
      ctx.font = Math.min(12, cell - 2) + "px sans-serif";
      ctx.textBaseline = "middle";
      m.labels.forEach(function (label, row) {
        var shown = label.length > 34 ? "\u2026" + label.slice(-33) : label;
        ctx.fillText(shown, 2, row * cell + cell / 2);
      });
    }
    current = { m: m, cell: cell, labelWidth: labelWidth, n: n };
    canvas.setAttribute("data-level", level);
    canvas.setAttribute("data-size", String(n));
    caption.textContent = n + " " + (level === "service" ? "services" : level === "package" ? "packages" : "modules") + ", " + crossing + " module dependencies across services";
    document.querySelectorAll("#matrix button[data-level]").forEach(function (b) { b.classList.toggle("on", b.getAttribute("data-level") === level); });
  }

  canvas.addEventListener("mousemove", function (event) {
    if (!current) { return; }
    var rect = canvas.getBoundingClientRect();
    var col = Math.floor((event.clientX - rect.left - current.labelWidth) / current.cell);
    var row = Math.floor((event.clientY - rect.top) / current.cell);
    if (col < 0 || row < 0 || col >= current.n || row >= current.n) { tip.hidden = true; return; }
    var c = current.m.cells[row + "," + col];
    tip.textContent = current.m.labels[row] + " \u2192 " + current.m.labels[col] + (c ? ": weight " + c.weight.toFixed(2) + " over " + c.count + " module dependencies" : ": none");
    tip.style.left = (event.clientX - rect.left + 14 + canvas.parentElement.scrollLeft) + "px";
    tip.style.top = (event.clientY - rect.top + 10 + canvas.parentElement.scrollTop) + "px";
    tip.hidden = false;
  });
  canvas.addEventListener("mouseleave", function () { tip.hidden = true; });
  document.querySelectorAll("#matrix button[data-level]").forEach(function (button) {
    button.addEventListener("click", function () { drawMatrix(button.getAttribute("data-level")); });
  });
  drawMatrix(MATRIX.modules.length > 400 ? "service" : MATRIX.modules.length > 120 ? "package" : "module");

  // ------------------------------------------------------------------ module search

  var search = document.getElementById("module-search");
  var count = document.getElementById("search-count");
  var groups = Array.prototype.slice.call(document.querySelectorAll("details.module-group"));
  var groupOpen = groups.map(function (g) { return g.open; });

  function applySearch() {
    var query = search.value.trim().toLowerCase();
    var hits = 0, servicesHit = {};
    groups.forEach(function (group, i) {
      var groupHits = 0;
      group.querySelectorAll("tr.module-row").forEach(function (row) {
        var match = !query || row.getAttribute("data-module").toLowerCase().indexOf(query) !== -1;
        row.hidden = !match;
        row.classList.toggle("hit", !!query && match);
        if (match) { groupHits += 1; }
      });
      hits += groupHits;
      group.hidden = !!query && groupHits === 0;
      group.open = query ? groupHits > 0 : groupOpen[i];
      if (query && groupHits) { servicesHit[group.getAttribute("data-service")] = true; }
    });
    document.querySelectorAll(".service-node").forEach(function (node) {
      node.classList.toggle("match", !!servicesHit[node.getAttribute("data-service")]);
    });
    count.textContent = query ? hits + " of " + MATRIX.modules.length + " modules match" : MATRIX.modules.length + " modules";
  }
  search.addEventListener("input", applySearch);
  document.getElementById("expand-all").addEventListener("click", function () {
    groups.forEach(function (g, i) { g.open = true; groupOpen[i] = true; });
  });
  document.getElementById("collapse-all").addEventListener("click", function () {
    groups.forEach(function (g, i) { g.open = false; groupOpen[i] = false; });
  });
}());
