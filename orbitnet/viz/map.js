/* orbitnet map page script.
 *
 * Reads the graph from the JSON block, draws it with vis-network and wires up search, filters,
 * neighbourhood highlighting, tooltips and the legend. Every piece of data reaches the page through
 * textContent or an attribute set from JS (never innerHTML), and only http(s) sources become links.
 * State for tests and scripting: window.orbitnetMap.
 */
(function () {
  "use strict";

  var data = JSON.parse(document.getElementById("orbitnet-data").textContent);
  var container = document.getElementById("map");
  var tooltip = document.getElementById("tooltip");
  var statusEl = document.getElementById("status");
  var DIM_NODE = { background: "#e4e6ea", border: "#d3d6dc" };
  var DIM_EDGE = "rgba(200,204,210,0.35)";
  var DIM_FONT = "rgba(80,80,80,0.25)";
  var METRIC_LABELS = {
    betweenness: "betweenness",
    pagerank: "PageRank",
    degree: "degree",
    weighted_degree: "weighted degree",
    closeness: "closeness",
    eigenvector: "eigenvector",
    core_number: "core number",
    community: "community",
  };

  // ---- small DOM helpers (text only) ----
  function el(tag, text, className) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    if (className) node.className = className;
    return node;
  }
  function setStatus(text) {
    statusEl.textContent = text;
  }
  function fmt(value) {
    if (typeof value !== "number" || !isFinite(value)) return String(value);
    if (Number.isInteger(value)) return value.toLocaleString("en");
    var abs = Math.abs(value);
    if (abs !== 0 && (abs < 0.001 || abs >= 1e6)) return value.toExponential(2);
    return String(Number(value.toPrecision(3)));
  }
  function safeUrl(text) {
    if (typeof text !== "string" || !/^https?:\/\//i.test(text)) return null;
    try {
      var url = new URL(text);
      return url.protocol === "http:" || url.protocol === "https:" ? url.href : null;
    } catch (err) {
      return null;
    }
  }

  // ---- data indices ----
  var byId = data.nodes;
  var adjacency = byId.map(function () {
    return [];
  });
  data.edges.forEach(function (e) {
    adjacency[e.from].push(e);
    adjacency[e.to].push(e);
  });

  // Positions only go in when items are created: updates must not undo the physics' work.
  function visNode(n, dimmed, withPosition) {
    var color = dimmed ? DIM_NODE : { background: n.color, border: n.highlight ? "#1a1a1a" : n.border };
    var item = {
      id: n.id,
      label: n.label ? n.name : undefined,
      size: n.size,
      borderWidth: n.highlight ? 4 : 1.5,
      color: {
        background: color.background,
        border: color.border,
        highlight: { background: n.color, border: "#1a1a1a" },
        hover: { background: n.color, border: "#1a1a1a" },
      },
      font: {
        size: n.font,
        color: dimmed ? DIM_FONT : "#1d2330",
        strokeWidth: 3,
        strokeColor: "rgba(255,255,255,0.9)",
      },
    };
    if (withPosition) {
      item.x = n.x;
      item.y = n.y;
    }
    return item;
  }
  function visEdge(e, dimmed) {
    return {
      id: e.id,
      from: e.from,
      to: e.to,
      width: e.width,
      dashes: e.dashes,
      color: dimmed
        ? { color: DIM_EDGE, highlight: DIM_EDGE, hover: DIM_EDGE, opacity: 1 }
        : { color: e.color, highlight: e.color, hover: e.color, opacity: e.highlight ? 1 : 0.75 },
    };
  }

  var nodes = new vis.DataSet(byId.map(function (n) { return visNode(n, false, true); }));
  var edges = new vis.DataSet(data.edges.map(function (e) { return visEdge(e, false); }));
  var network = new vis.Network(container, { nodes: nodes, edges: edges }, data.options);
  var api = { ready: false };

  var state = {
    ready: false,
    selected: null,
    focused: null,
    nodeHidden: byId.map(function () { return false; }),
    edgeHidden: data.edges.map(function () { return false; }),
    sectors: new Set(data.sectors.map(function (s) { return s.key; })),
    kinds: new Set(data.legend.kinds.map(function (k) { return k.key; })),
    years: data.years ? [data.years.min, data.years.max] : null,
  };

  function markReady() {
    if (state.ready) return;
    state.ready = true;
    api.ready = true;
    api.readyAt = performance.now(); // ms since navigation start (read by the benchmark)
    document.body.dataset.ready = "true";
    setStatus("Ready");
    if (data.focus !== null && data.focus !== undefined) select(data.focus, false);
  }
  if (data.physics) {
    setStatus("Settling layout…");
    network.once("stabilizationIterationsDone", function () {
      network.setOptions({ physics: { enabled: false } });
      markReady();
    });
  } else {
    network.once("afterDrawing", markReady);
  }

  // ---- info cards (tooltip and details) ----
  function partnersOf(id) {
    return adjacency[id]
      .slice()
      .sort(function (a, b) { return (b.weight || 0) - (a.weight || 0); })
      .slice(0, 5)
      .map(function (e) {
        return { node: byId[e.from === id ? e.to : e.from], edge: e };
      });
  }
  function sourceItem(source, linked) {
    var li = el("li");
    var url = safeUrl(source);
    if (url && linked) {
      var a = el("a", source);
      a.href = url;
      a.target = "_blank";
      a.rel = "noopener noreferrer";
      li.appendChild(a);
    } else {
      li.textContent = source;
    }
    return li;
  }
  function nodeCard(n, linked) {
    var card = el("div", null, "info");
    card.appendChild(el("h3", n.name));
    var meta = [n.sector];
    if (n.country) meta.push(n.country);
    if (n.key !== n.name) meta.push("id " + n.key);
    card.appendChild(el("p", meta.join(" · "), "meta"));
    var names = Object.keys(METRIC_LABELS).filter(function (m) { return m in n.metrics; });
    if (names.length) {
      card.appendChild(el("h4", "Metrics"));
      var table = el("table");
      names.forEach(function (m) {
        var tr = el("tr");
        tr.appendChild(el("td", METRIC_LABELS[m]));
        tr.appendChild(el("td", fmt(n.metrics[m]), "num"));
        table.appendChild(tr);
      });
      card.appendChild(table);
    }
    var partners = partnersOf(n.id);
    if (partners.length) {
      card.appendChild(el("h4", "Top partners (of " + adjacency[n.id].length + ")"));
      var ol = el("ol");
      partners.forEach(function (p) {
        var bits = [];
        if (p.edge.weight !== null) bits.push("weight " + fmt(p.edge.weight));
        bits.push(p.edge.kind);
        ol.appendChild(el("li", p.node.name + " — " + bits.join(", ")));
      });
      card.appendChild(ol);
    }
    if (n.source) {
      card.appendChild(el("h4", "Source"));
      var ul = el("ul");
      n.source.split(/\s+(?=https?:\/\/)/i).forEach(function (s) { ul.appendChild(sourceItem(s, linked)); });
      card.appendChild(ul);
    }
    return card;
  }
  function edgeCard(e) {
    var card = el("div", null, "info");
    card.appendChild(el("h3", byId[e.from].name + " — " + byId[e.to].name));
    var meta = [e.kind];
    if (e.weight !== null) meta.push("weight " + fmt(e.weight));
    if (e.first_year !== null) {
      meta.push(e.first_year === e.last_year ? String(e.first_year) : e.first_year + "–" + e.last_year);
    }
    card.appendChild(el("p", meta.join(" · "), "meta"));
    if (e.missions.length) {
      card.appendChild(el("h4", "Shared undertakings (" + e.missions.length + ")"));
      var ul = el("ul");
      e.missions.slice(0, 8).forEach(function (m) { ul.appendChild(el("li", m)); });
      if (e.missions.length > 8) ul.appendChild(el("li", "… " + (e.missions.length - 8) + " more"));
      card.appendChild(ul);
    }
    return card;
  }

  // ---- tooltip ----
  var pointer = { x: 0, y: 0 };
  container.addEventListener("mousemove", function (ev) {
    var box = container.getBoundingClientRect();
    pointer.x = ev.clientX - box.left;
    pointer.y = ev.clientY - box.top;
    if (!tooltip.hidden) placeTooltip();
  });
  function placeTooltip() {
    var box = container.getBoundingClientRect();
    var left = container.offsetLeft + pointer.x + 14;
    var top = container.offsetTop + pointer.y + 14;
    if (pointer.x + 14 + tooltip.offsetWidth > box.width) left -= tooltip.offsetWidth + 28;
    if (pointer.y + 14 + tooltip.offsetHeight > box.height) top -= tooltip.offsetHeight + 28;
    tooltip.style.left = Math.max(container.offsetLeft, left) + "px";
    tooltip.style.top = Math.max(0, top) + "px";
  }
  function showTooltip(card) {
    tooltip.replaceChildren(card);
    tooltip.hidden = false;
    placeTooltip();
  }
  function hideTooltip() {
    tooltip.hidden = true;
    tooltip.replaceChildren();
  }
  network.on("hoverNode", function (params) {
    if (params.pointer && params.pointer.DOM) {
      pointer.x = params.pointer.DOM.x;
      pointer.y = params.pointer.DOM.y;
    }
    showTooltip(nodeCard(byId[params.node], false));
  });
  network.on("hoverEdge", function (params) {
    if (params.pointer && params.pointer.DOM) {
      pointer.x = params.pointer.DOM.x;
      pointer.y = params.pointer.DOM.y;
    }
    showTooltip(edgeCard(data.edges[params.edge]));
  });
  network.on("blurNode", hideTooltip);
  network.on("blurEdge", hideTooltip);
  network.on("dragStart", hideTooltip);
  network.on("zoom", hideTooltip);

  // ---- selection: highlight the neighbourhood, dim the rest ----
  var dimmed = false;
  function highlight(id) {
    var near = new Set([id]);
    adjacency[id].forEach(function (e) {
      near.add(e.from);
      near.add(e.to);
    });
    nodes.update(byId.map(function (n) { return visNode(n, !near.has(n.id)); }));
    edges.update(data.edges.map(function (e) { return visEdge(e, e.from !== id && e.to !== id); }));
    dimmed = true;
  }
  function undim() {
    if (!dimmed) return;
    nodes.update(byId.map(function (n) { return visNode(n, false); }));
    edges.update(data.edges.map(function (e) { return visEdge(e, false); }));
    dimmed = false;
  }
  var details = document.getElementById("details");
  var detailsBody = document.getElementById("details-body");
  function select(id, dim) {
    state.selected = id;
    network.selectNodes([id]);
    if (dim !== false) highlight(id);
    detailsBody.replaceChildren(nodeCard(byId[id], true));
    details.hidden = false;
  }
  function clearSelection() {
    state.selected = null;
    network.unselectAll();
    undim();
    details.hidden = true;
    detailsBody.replaceChildren();
  }
  network.on("click", function (params) {
    if (params.nodes.length) select(params.nodes[0]);
    else clearSelection();
  });
  document.getElementById("clear-selection").addEventListener("click", clearSelection);

  // ---- search ----
  var names = document.getElementById("names");
  byId
    .map(function (n) { return n.name; })
    .sort(function (a, b) { return a.localeCompare(b); })
    .forEach(function (name) {
      var option = document.createElement("option");
      option.value = name;
      names.appendChild(option);
    });
  function find(query) {
    var q = String(query || "").trim().toLowerCase();
    if (!q) return null;
    var i, n;
    for (i = 0; i < byId.length; i++) {
      n = byId[i];
      if (n.name.toLowerCase() === q || n.key.toLowerCase() === q) return n.id;
    }
    for (i = 0; i < byId.length; i++) if (byId[i].name.toLowerCase().indexOf(q) === 0) return i;
    for (i = 0; i < byId.length; i++) if (byId[i].name.toLowerCase().indexOf(q) >= 0) return i;
    return null;
  }
  function search(query) {
    var id = find(query);
    if (id === null) {
      setStatus("No organisation matches “" + String(query).trim() + "”");
      return null;
    }
    if (state.nodeHidden[id]) resetFilters();
    select(id);
    state.focused = id;
    network.focus(id, {
      scale: Math.max(network.getScale(), 1.1),
      animation: { duration: 500, easingFunction: "easeInOutQuad" },
    });
    setStatus("Found " + byId[id].name);
    return id;
  }
  document.getElementById("search-form").addEventListener("submit", function (ev) {
    ev.preventDefault();
    search(document.getElementById("search").value);
  });

  // ---- filters ----
  var yearFrom = document.getElementById("year-from");
  var yearTo = document.getElementById("year-to");
  function yearsActive() {
    return !!(state.years && data.years &&
      (state.years[0] > data.years.min || state.years[1] < data.years.max));
  }
  function edgeInYears(e) {
    if (!yearsActive()) return true;
    if (e.first_year === null) return false;
    return e.first_year <= state.years[1] && e.last_year >= state.years[0];
  }
  function applyFilters() {
    var nodeChanges = [];
    byId.forEach(function (n) {
      var hidden = !state.sectors.has(n.sector);
      if (hidden !== state.nodeHidden[n.id]) {
        state.nodeHidden[n.id] = hidden;
        nodeChanges.push({ id: n.id, hidden: hidden });
      }
    });
    var edgeChanges = [];
    data.edges.forEach(function (e) {
      var hidden = !state.kinds.has(e.kind) || !edgeInYears(e) ||
        state.nodeHidden[e.from] || state.nodeHidden[e.to];
      if (hidden !== state.edgeHidden[e.id]) {
        state.edgeHidden[e.id] = hidden;
        edgeChanges.push({ id: e.id, hidden: hidden });
      }
    });
    if (nodeChanges.length) nodes.update(nodeChanges);
    if (edgeChanges.length) edges.update(edgeChanges);
    updateCounts();
  }
  function visibleNodeCount() {
    return state.nodeHidden.filter(function (h) { return !h; }).length;
  }
  function visibleEdgeCount() {
    return state.edgeHidden.filter(function (h) { return !h; }).length;
  }
  function updateCounts() {
    document.getElementById("visible-node-count").textContent = visibleNodeCount().toLocaleString("en");
    document.getElementById("visible-edge-count").textContent = visibleEdgeCount().toLocaleString("en");
  }
  function setFilters(options) {
    if (options.sectors) state.sectors = new Set(options.sectors);
    if (options.kinds) state.kinds = new Set(options.kinds);
    if (options.years && state.years) state.years = [options.years[0], options.years[1]];
    syncControls();
    applyFilters();
  }
  function resetFilters() {
    state.sectors = new Set(data.sectors.map(function (s) { return s.key; }));
    state.kinds = new Set(data.legend.kinds.map(function (k) { return k.key; }));
    state.years = data.years ? [data.years.min, data.years.max] : null;
    syncControls();
    applyFilters();
  }
  function syncControls() {
    document.querySelectorAll("input[data-sector]").forEach(function (box) {
      box.checked = state.sectors.has(box.dataset.sector);
    });
    document.querySelectorAll("input[data-kind]").forEach(function (box) {
      box.checked = state.kinds.has(box.dataset.kind);
    });
    if (state.years) {
      yearFrom.value = state.years[0];
      yearTo.value = state.years[1];
    }
  }

  // ---- legend and filter controls ----
  function swatch(color) {
    var s = el("span", null, "swatch");
    s.style.background = color;
    return s;
  }
  function lineSample(color, dashes, width) {
    var ns = "http://www.w3.org/2000/svg";
    var svg = document.createElementNS(ns, "svg");
    svg.setAttribute("width", "34");
    svg.setAttribute("height", "12");
    svg.setAttribute("class", "line-sample");
    var line = document.createElementNS(ns, "line");
    line.setAttribute("x1", "1");
    line.setAttribute("x2", "33");
    line.setAttribute("y1", "6");
    line.setAttribute("y2", "6");
    line.setAttribute("stroke", color);
    line.setAttribute("stroke-width", String(width || 2.5));
    if (dashes) line.setAttribute("stroke-dasharray", dashes.join(" "));
    svg.appendChild(line);
    return svg;
  }
  function row(list, marker, label, count, attr, key, onChange) {
    var li = el("li");
    var holder = li;
    if (attr) {
      holder = el("label");
      var box = el("input");
      box.type = "checkbox";
      box.checked = true;
      box.setAttribute(attr, key);
      box.addEventListener("change", onChange);
      holder.appendChild(box);
      li.appendChild(holder);
    }
    holder.appendChild(marker);
    holder.appendChild(el("span", label));
    li.appendChild(el("span", fmt(count), "count"));
    list.appendChild(li);
  }
  function toggle(set, key, on) {
    if (on) set.add(key);
    else set.delete(key);
    applyFilters();
  }
  (function buildLegend() {
    var colorLegend = data.legend.color;
    var bySector = colorLegend.by === "sector";
    document.getElementById("legend-colors-title").textContent = "Colour: " + colorLegend.title.toLowerCase();
    var colorRows = document.getElementById("legend-color-rows");
    var sectorRows = document.getElementById("filter-sectors");
    if (bySector) {
      document.getElementById("filter-sectors-section").hidden = true;
      sectorRows = colorRows;
    } else {
      colorLegend.entries.forEach(function (entry) {
        row(colorRows, swatch(entry.color), entry.label, entry.count);
      });
    }
    data.sectors.forEach(function (s) {
      row(sectorRows, bySector ? swatch(s.color) : el("span"), s.label, s.count, "data-sector", s.key,
        function (ev) { toggle(state.sectors, s.key, ev.target.checked); });
    });
    var size = data.legend.size;
    var sizeBody = document.getElementById("legend-size-body");
    var metric = METRIC_LABELS[size.metric] || size.metric;
    var note = "Area grows with " + metric;
    if (size.metric !== size.requested) note += " (" + size.requested + " not computed)";
    sizeBody.appendChild(el("p", note, "hint"));
    var sizes = el("div", null, "sizes");
    [[size.min_px, size.low], [(size.min_px + size.max_px) / 2, null], [size.max_px, size.high]].forEach(function (pair) {
      var fig = el("figure");
      var dot = el("span", null, "dot");
      var px = Math.min(pair[0], 30);
      dot.style.width = px + "px";
      dot.style.height = px + "px";
      fig.appendChild(dot);
      fig.appendChild(el("figcaption", pair[1] === null ? " " : fmt(pair[1])));
      sizes.appendChild(fig);
    });
    sizeBody.appendChild(sizes);
    var kindRows = document.getElementById("filter-kinds");
    data.legend.kinds.forEach(function (k) {
      row(kindRows, lineSample(k.color, k.dashes), k.label, k.count, "data-kind", k.key,
        function (ev) { toggle(state.kinds, k.key, ev.target.checked); });
    });
    var onPath = data.edges.filter(function (e) { return e.highlight; }).length;
    if (onPath) row(kindRows, lineSample("#e0a000", false, 5), "highlighted path", onPath);
    if (data.years) {
      [yearFrom, yearTo].forEach(function (input) {
        input.min = data.years.min;
        input.max = data.years.max;
      });
      document.getElementById("years-hint").textContent =
        "Partnerships active in the range (data: " + data.years.min + "–" + data.years.max + ")";
      var onYears = function () {
        var lo = parseInt(yearFrom.value, 10);
        var hi = parseInt(yearTo.value, 10);
        if (isNaN(lo)) lo = data.years.min;
        if (isNaN(hi)) hi = data.years.max;
        state.years = [Math.min(lo, hi), Math.max(lo, hi)];
        applyFilters();
      };
      yearFrom.addEventListener("change", onYears);
      yearTo.addEventListener("change", onYears);
    } else {
      document.getElementById("filter-years-section").hidden = true;
    }
    document.getElementById("reset").addEventListener("click", resetFilters);
    syncControls();
  })();
  updateCounts();

  Object.assign(api, {
    network: network,
    nodes: nodes,
    edges: edges,
    data: data,
    state: state,
    visibleNodeCount: visibleNodeCount,
    visibleEdgeCount: visibleEdgeCount,
    find: find,
    search: search,
    select: select,
    clearSelection: clearSelection,
    setFilters: setFilters,
    resetFilters: resetFilters,
  });
  window.orbitnetMap = api;
})();
