/* newsgraph explorer. Article text reaches the DOM only through textContent and
   createElement, and only http(s) URLs become links: the data is untrusted. */
(function () {
  "use strict";
  var DATA = JSON.parse(document.getElementById("ng-data").textContent);
  var WIKIDATA = "https://www.wikidata.org/wiki/";
  var byId = new Map();
  var incident = new Map();
  var typeInfo = new Map();
  DATA.types.forEach(function (t) { typeInfo.set(t.key, t); });
  DATA.nodes.forEach(function (n) { byId.set(n.id, n); incident.set(n.id, []); });
  DATA.edges.forEach(function (e) { incident.get(e.from).push(e); incident.get(e.to).push(e); });

  var state = { types: new Set(DATA.types.map(function (t) { return t.key; })),
                official: "", technology: "", since: "", until: "" };
  var visibleNodes = new Set();
  var visibleEdges = new Set();

  function el(tag, text, cls) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    if (cls) { node.className = cls; }
    return node;
  }

  function safeUrl(value) {
    try {
      var url = new URL(value);
      return url.protocol === "http:" || url.protocol === "https:" ? url.href : null;
    } catch (err) {
      return null;
    }
  }

  function inRange(span, lo, hi) {
    return span !== null && (!hi || span[0] <= hi) && (!lo || span[1] >= lo);
  }

  function narrowerClosure(root) {
    var children = new Map();
    DATA.concepts.forEach(function (c) {
      c.broader.forEach(function (b) {
        if (!children.has(b)) { children.set(b, []); }
        children.get(b).push(c.id);
      });
    });
    var found = new Set([root]);
    var todo = [root];
    while (todo.length) {
      (children.get(todo.pop()) || []).forEach(function (c) {
        if (!found.has(c)) { found.add(c); todo.push(c); }
      });
    }
    return found;
  }

  /* The same selection as render.py's _select, plus the official and type filters. */
  function computeVisible() {
    var dated = Boolean(state.since || state.until);
    var visits = DATA.edges.filter(function (e) {
      return e.kind === "visited" && (!dated || e.visits.some(function (v) { return inRange(v.span, state.since, state.until); }));
    });
    var works = DATA.edges.filter(function (e) { return e.kind === "worksOn"; });
    var orgs;
    if (state.technology) {
      var techs = narrowerClosure(state.technology);
      works = works.filter(function (e) { return techs.has(e.to); });
      orgs = new Set(works.map(function (e) { return e.from; }));
      visits = visits.filter(function (e) { return orgs.has(e.to); });
    }
    if (state.official) {
      visits = visits.filter(function (e) { return e.from === state.official; });
    }
    if (dated || state.official) {
      orgs = new Set(visits.map(function (e) { return e.to; }));
      works = works.filter(function (e) { return orgs.has(e.from); });
    }
    var kept = visits.concat(works);
    var keep;
    if (dated || state.technology || state.official) {
      keep = new Set();
      kept.forEach(function (e) { keep.add(e.from); keep.add(e.to); });
      [state.technology, state.official].forEach(function (id) { if (byId.has(id)) { keep.add(id); } });
    } else {
      keep = new Set(byId.keys());
    }
    visibleNodes = new Set();
    keep.forEach(function (id) { if (state.types.has(byId.get(id).type)) { visibleNodes.add(id); } });
    visibleEdges = new Set();
    kept.forEach(function (e) { if (visibleNodes.has(e.from) && visibleNodes.has(e.to)) { visibleEdges.add(e.id); } });
  }

  function visNode(n) {
    var t = typeInfo.get(n.type);
    var node = { id: n.id, label: n.label, shape: t.shape, color: t.color, size: n.size };
    if (n.x !== undefined) { node.x = n.x; node.y = n.y; }
    return node;
  }

  /* xsd:gMonthDay ("--05-01") is a date whose year the article did not give. */
  function showDate(date) {
    return date.indexOf("--") === 0 ? date.slice(2) + " (year unknown)" : date;
  }

  /* Visit dates on the edge: all of a few, else the first two and how many more. */
  function dateLabel(e) {
    var dates = e.visits.map(function (v) { return v.date && showDate(v.date); }).filter(Boolean);
    if (!dates.length) { return undefined; }
    return dates.length <= 3 ? dates.join(", ") : dates[0] + ", " + dates[1] + " (+" + (dates.length - 2) + ")";
  }

  function visEdge(e) {
    return { id: e.id, from: e.from, to: e.to, label: dateLabel(e), width: e.width,
             color: { color: e.kind === "visited" ? "#d9898a" : "#f2b774", highlight: "#333", opacity: big ? 0.3 : 1 } };
  }

  var big = !DATA.physics;
  computeVisible();
  var nodes = new vis.DataSet(DATA.nodes.map(visNode));
  var edges = new vis.DataSet(DATA.edges.map(visEdge));
  var nodeView = new vis.DataView(nodes, { filter: function (n) { return visibleNodes.has(n.id); } });
  var edgeView = new vis.DataView(edges, { filter: function (e) { return visibleEdges.has(e.id); } });
  /* Settle small graphs well, and bigger ones (up to render.py's threshold) within a few seconds. */
  var iterations = Math.max(150, Math.min(400, Math.round(200000 / Math.max(DATA.nodes.length, 1))));
  var options = {
    autoResize: true,
    layout: { randomSeed: 7, improvedLayout: DATA.nodes.length <= 200 },
    nodes: { font: { size: 14, strokeWidth: 3, strokeColor: "#ffffff" }, borderWidth: 1 },
    edges: { arrows: { to: { enabled: true, scaleFactor: 0.5 } }, font: { size: 10, align: "middle" },
             smooth: big ? false : { type: "continuous" }, selectionWidth: 2 },
    physics: big ? false : { solver: "forceAtlas2Based", forceAtlas2Based: { gravitationalConstant: -60, springLength: 120 },
                             stabilization: { iterations: iterations, updateInterval: 25, fit: true } },
    interaction: { hover: !big, hideEdgesOnDrag: big, hideEdgesOnZoom: big, keyboard: false, tooltipDelay: 300 }
  };
  var container = document.getElementById("ng-network");
  var network = new vis.Network(container, { nodes: nodeView, edges: edgeView }, options);

  var api = {
    data: DATA, nodes: nodes, edges: edges, nodeView: nodeView, edgeView: edgeView, network: network,
    ready: false, readyAt: null,
    drawn: function () { return { nodes: network.body.nodeIndices.length, edges: network.body.edgeIndices.length }; },
    search: search, select: select, setFilter: setFilter
  };
  window.newsgraph = api;

  function markReady() {
    if (api.ready) { return; }
    if (DATA.focus.length) { select(DATA.focus[0]); }
    api.ready = true;
    api.readyAt = performance.now();
    document.body.setAttribute("data-ready", "true");
  }
  if (DATA.physics && DATA.nodes.length) {
    network.once("stabilizationIterationsDone", function () {
      network.setOptions({ physics: { enabled: false } });
      markReady();
    });
  } else {
    network.once("afterDrawing", markReady);
  }

  /* ---- side panel ---- */
  var panel = document.getElementById("ng-panel");
  var details = document.getElementById("ng-details");
  document.getElementById("ng-close").addEventListener("click", function () { panel.hidden = true; });

  function nodeLink(id) {
    var b = el("button", byId.get(id).label, "link");
    b.type = "button";
    b.addEventListener("click", function () { select(id); });
    return b;
  }

  function citation(index) {
    var ev = DATA.evidence[index];
    var item = el("li");
    item.appendChild(el("blockquote", ev.s || "(no sentence recorded)"));
    var cite = el("cite");
    var article = ev.a >= 0 ? DATA.articles[ev.a] : null;
    if (article) {
      var name = article.title || article.file || article.url || "article";
      var href = article.url ? safeUrl(article.url) : null;
      if (href) {
        var a = el("a", name);
        a.href = href;
        a.target = "_blank";
        a.rel = "noopener noreferrer";
        cite.appendChild(a);
      } else {
        cite.appendChild(document.createTextNode(name));
      }
      var extra = [article.publisher, article.published, article.title && article.file].filter(Boolean);
      if (extra.length) { cite.appendChild(document.createTextNode(" (" + extra.join(", ") + ")")); }
    } else {
      cite.textContent = "source article unknown";
    }
    item.appendChild(cite);
    return item;
  }

  function fact(e, fromSide) {
    var item = el("li", null, "fact");
    var head = el("div");
    var verb = e.kind === "visited" ? (fromSide ? "Visited " : "Visited by ") : (fromSide ? "Works on " : "Worked on by ");
    head.appendChild(document.createTextNode(verb));
    head.appendChild(nodeLink(fromSide ? e.to : e.from));
    item.appendChild(head);
    var dates = e.visits.map(function (v) {
      return (v.date ? showDate(v.date) : "date unknown") + (v.detail ? " (" + v.detail + ")" : "");
    });
    var meta = (dates.length ? "on " + dates.join(", ") + " \u00b7 " : "") +
      e.support + (e.support === 1 ? " article" : " articles");
    item.appendChild(el("div", meta, "meta"));
    var list = el("ul");
    e.visits.forEach(function (v) { v.ev.forEach(function (i) { list.appendChild(citation(i)); }); });
    e.ev.forEach(function (i) { list.appendChild(citation(i)); });
    item.appendChild(list);
    return item;
  }

  function showNode(id) {
    var n = byId.get(id);
    details.replaceChildren();
    details.appendChild(el("h2", n.label));
    details.appendChild(el("p", typeInfo.get(n.type).label + (n.job ? " \u00b7 " + n.job : ""), "type"));
    if (n.names.length > 1) {
      details.appendChild(el("h3", "Also known as"));
      var names = el("ul");
      n.names.slice(1).forEach(function (name) { names.appendChild(el("li", name)); });
      details.appendChild(names);
    }
    n.wd.forEach(function (qid) {
      var p = el("p", "Wikidata: ");
      var a = el("a", qid);
      a.href = WIKIDATA + encodeURIComponent(qid);
      a.target = "_blank";
      a.rel = "noopener noreferrer";
      p.appendChild(a);
      details.appendChild(p);
    });
    details.appendChild(el("p", n.iri, "iri"));
    var facts = incident.get(id).slice().sort(function (a, b) {
      return a.kind.localeCompare(b.kind) || byId.get(a.from === id ? a.to : a.from).label.localeCompare(byId.get(b.from === id ? b.to : b.from).label);
    });
    details.appendChild(el("h3", facts.length ? "Facts" : "No facts in this view"));
    var list = el("ul");
    var shown = facts.slice(0, 200);
    shown.forEach(function (e) { list.appendChild(fact(e, e.from === id)); });
    if (facts.length > shown.length) { list.appendChild(el("li", "\u2026 and " + (facts.length - shown.length) + " more")); }
    details.appendChild(list);
    panel.hidden = false;
  }

  function showEdge(id) {
    var e = DATA.edges[Number(id.slice(1))];
    details.replaceChildren();
    var head = el("h2");
    head.appendChild(nodeLink(e.from));
    details.appendChild(head);
    var list = el("ul");
    list.appendChild(fact(e, true));
    details.appendChild(list);
    panel.hidden = false;
  }

  network.on("click", function (params) {
    if (params.nodes.length) { select(params.nodes[0]); }
    else if (params.edges.length) { showEdge(params.edges[0]); }
  });

  /* ---- search ---- */
  var status = document.getElementById("ng-status");
  var results = document.getElementById("ng-results");

  function select(id) {
    if (!byId.has(id)) { return false; }
    showNode(id);
    if (visibleNodes.has(id)) {
      network.selectNodes([id]);
      network.focus(id, { scale: Math.max(network.getScale(), 1.0), animation: { duration: 400 } });
      setStatus();
    } else {
      network.unselectAll();
      status.textContent = byId.get(id).label + " is hidden by the current filters";
    }
    return true;
  }

  function rank(query) {
    var q = query.trim().toLowerCase();
    if (!q) { return []; }
    var hits = [];
    DATA.nodes.forEach(function (n) {
      var best = 3;
      n.names.forEach(function (name) {
        var s = name.toLowerCase();
        if (s === q) { best = 0; } else if (best > 1 && s.indexOf(q) === 0) { best = 1; } else if (best > 2 && s.indexOf(q) > 0) { best = 2; }
      });
      if (best < 3) { hits.push([best, n.label.toLowerCase(), n.id]); }
    });
    hits.sort(function (a, b) { return a[0] - b[0] || (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0); });
    return hits.map(function (h) { return h[2]; });
  }

  function search(query) {
    var found = rank(query);
    results.replaceChildren();
    found.slice(0, 10).forEach(function (id) {
      var li = el("li");
      var b = el("button", byId.get(id).label + " \u00b7 " + typeInfo.get(byId.get(id).type).label);
      b.type = "button";
      b.addEventListener("click", function () { results.hidden = true; select(id); });
      li.appendChild(b);
      results.appendChild(li);
    });
    results.hidden = found.length < 2;
    if (!found.length) { status.textContent = "No name matches \u201c" + query + "\u201d"; return null; }
    select(found[0]);
    return found[0];
  }

  document.getElementById("ng-search").addEventListener("submit", function (event) {
    event.preventDefault();
    search(document.getElementById("ng-query").value);
  });

  /* ---- filters ---- */
  function setStatus() {
    status.textContent = "Showing " + visibleNodes.size + " of " + DATA.nodes.length + " nodes and " +
      visibleEdges.size + " of " + DATA.edges.length + " links";
  }

  /* Physics is off once settled, so a node shown again must come back where it was, not at random. */
  function keepPositions() {
    var positions = network.getPositions();
    nodes.update(Object.keys(positions).map(function (id) {
      return { id: id, x: positions[id].x, y: positions[id].y };
    }));
  }

  function setFilter(changes) {
    Object.keys(changes).forEach(function (key) {
      if (key === "types") { state.types = new Set(changes.types); } else { state[key] = changes[key] || ""; }
    });
    if (!big) { keepPositions(); }
    computeVisible();
    nodeView.refresh();
    edgeView.refresh();
    syncControls();
    setStatus();
    return { nodes: visibleNodes.size, edges: visibleEdges.size };
  }

  var typeBoxes = new Map();
  var techButton = document.getElementById("ng-techs");
  var controls = {
    official: document.getElementById("ng-official"), technology: document.getElementById("ng-technology"),
    since: document.getElementById("ng-since"), until: document.getElementById("ng-until")
  };

  function syncControls() {
    typeBoxes.forEach(function (box, key) { box.checked = state.types.has(key); });
    var hidden = !state.types.has("Technology");
    techButton.textContent = hidden ? "Show technologies" : "Hide technologies";
    techButton.setAttribute("aria-pressed", String(hidden));
    Object.keys(controls).forEach(function (key) { controls[key].value = state[key]; });
  }

  function swatch(t) {
    var ns = "http://www.w3.org/2000/svg";
    var svg = document.createElementNS(ns, "svg");
    svg.setAttribute("width", "14");
    svg.setAttribute("height", "14");
    svg.setAttribute("viewBox", "-7 -7 14 14");
    var shapes = {
      dot: ["circle", { r: "6" }], square: ["rect", { x: "-6", y: "-6", width: "12", height: "12" }],
      triangle: ["polygon", { points: "0,-6 6,5 -6,5" }], triangleDown: ["polygon", { points: "0,6 6,-5 -6,-5" }],
      diamond: ["polygon", { points: "0,-7 7,0 0,7 -7,0" }], hexagon: ["polygon", { points: "-6,0 -3,-5.2 3,-5.2 6,0 3,5.2 -3,5.2" }],
      star: ["polygon", { points: "0,-7 1.8,-2.3 6.7,-2.2 2.9,0.9 4.1,5.7 0,3 -4.1,5.7 -2.9,0.9 -6.7,-2.2 -1.8,-2.3" }]
    };
    var spec = shapes[t.shape] || shapes.dot;
    var shape = document.createElementNS(ns, spec[0]);
    Object.keys(spec[1]).forEach(function (k) { shape.setAttribute(k, spec[1][k]); });
    shape.setAttribute("fill", t.color);
    svg.appendChild(shape);
    return svg;
  }

  var counts = new Map();
  DATA.nodes.forEach(function (n) { counts.set(n.type, (counts.get(n.type) || 0) + 1); });
  var typeList = document.getElementById("ng-types");
  DATA.types.forEach(function (t) {
    if (!counts.has(t.key)) { return; }
    var li = el("li");
    var label = el("label");
    var box = el("input");
    box.type = "checkbox";
    box.checked = true;
    box.value = t.key;
    box.addEventListener("change", function () {
      var types = new Set(state.types);
      if (box.checked) { types.add(t.key); } else { types.delete(t.key); }
      setFilter({ types: Array.from(types) });
    });
    typeBoxes.set(t.key, box);
    label.appendChild(box);
    label.appendChild(swatch(t));
    label.appendChild(el("span", t.label));
    label.appendChild(el("span", counts.get(t.key), "count"));
    li.appendChild(label);
    typeList.appendChild(li);
  });

  techButton.addEventListener("click", function () {
    var types = new Set(state.types);
    if (types.has("Technology")) { types.delete("Technology"); } else { types.add("Technology"); }
    setFilter({ types: Array.from(types) });
  });

  function fillSelect(select, items) {
    items.slice().sort(function (a, b) { return a.label.localeCompare(b.label); }).forEach(function (item) {
      var option = el("option", item.label);
      option.value = item.id;
      select.appendChild(option);
    });
  }
  fillSelect(controls.official, DATA.nodes.filter(function (n) { return n.type === "Official"; }));
  fillSelect(controls.technology, DATA.concepts);
  Object.keys(controls).forEach(function (key) {
    controls[key].addEventListener("change", function () {
      var change = {};
      change[key] = controls[key].value;
      setFilter(change);
    });
  });
  document.getElementById("ng-reset").addEventListener("click", function () {
    setFilter({ types: DATA.types.map(function (t) { return t.key; }), official: "", technology: "", since: "", until: "" });
    network.fit();
  });
  syncControls();
  setStatus();
}());
