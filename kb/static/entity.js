/* kb entity page: the neighbourhood graph (vis-network, served by the plugin) and the
   claims panel. Every value from the data is inserted as text (textContent), never as HTML. */
(function () {
  "use strict";
  var root = document.getElementById("kb-entity");
  var box = document.getElementById("kb-graph");
  var panel = document.getElementById("kb-panel");
  if (!root || !box || !panel) { return; }
  var base = root.getAttribute("data-entity-base");
  var claimBase = root.getAttribute("data-claim-base");
  var legend = document.getElementById("kb-legend");
  var LABELLED = 15;  /* the strongest neighbours keep their names on the graph; the others on hover */
  var COLOURS = {government: "#d95f02", firm: "#1b9e77", app: "#7570b3", official: "#e7298a",
    person: "#66a61e", media: "#e6ab02", place: "#a6761d", group: "#1f78b4", other: "#999999"};
  var EDGE_COLOURS = {"co-mention": "#c8c8c8", claim: "#2c7fb8", relation: "#f28e2b"};

  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    if (cls) { e.className = cls; }
    return e;
  }

  function link(href, text) {
    var a = el("a", text);
    a.setAttribute("href", href);
    return a;
  }

  function claimList(title, claims, who) {
    var wrap = el("div", null, "kb-panel-claims");
    wrap.appendChild(el("h4", title + " (" + claims.length + ")"));
    if (!claims.length) { wrap.appendChild(el("p", "None.", "kb-help")); return wrap; }
    var ul = el("ul");
    claims.slice(0, 25).forEach(function (c) {
      var li = el("li", null, "kb-claim kb-polarity-" + (c.polarity || ""));
      li.appendChild(el("span", (c.day || "undated") + " ", "kb-day"));
      var name = who === "speaker" ? (c.speaker_name || c.speaker || "?") : (c.subject_name || c.subject || "");
      if (name) { li.appendChild(el("strong", name + ": ")); }
      if (claimBase) {
        var a = link(claimBase + "/" + encodeURIComponent(c.id), c.content);
        a.className = "kb-content";
        li.appendChild(a);
      } else { li.appendChild(el("span", c.content, "kb-content")); }
      li.appendChild(el("span", " [" + [c.modality, c.polarity].filter(Boolean).join(", ") + "]", "kb-cue"));
      ul.appendChild(li);
    });
    wrap.appendChild(ul);
    return wrap;
  }

  function showEntity(id) {
    panel.textContent = "";
    panel.appendChild(el("p", "Loading…", "kb-help"));
    fetch(base + "/" + encodeURIComponent(id) + ".json", {credentials: "same-origin"})
      .then(function (r) { if (!r.ok) { throw new Error("HTTP " + r.status); } return r.json(); })
      .then(function (d) {
        panel.textContent = "";
        var h = el("h3");
        h.appendChild(link(base + "/" + d.entity.id, d.entity.name));
        h.appendChild(el("span", " " + d.entity.type, "kb-type kb-type-" + d.entity.type));
        panel.appendChild(h);
        panel.appendChild(el("p", d.entity.mentions + " mention(s) in " + d.entity.articles + " article(s)", "kb-help"));
        panel.appendChild(claimList("Claims by " + d.entity.name, d.claims_by, "subject"));
        panel.appendChild(claimList("Claims about " + d.entity.name, d.claims_about, "speaker"));
        panel.setAttribute("data-entity-id", String(d.entity.id));
      })
      .catch(function (err) { panel.textContent = ""; panel.appendChild(el("p", "Could not load: " + err.message)); });
  }

  function drawLegend(data) {
    if (!legend) { return; }
    legend.textContent = "";
    var types = {}, kinds = {};
    data.graph.nodes.forEach(function (n) { types[n.type] = true; });
    data.graph.edges.forEach(function (e) { kinds[e.kind] = true; });
    Object.keys(COLOURS).forEach(function (t) {
      if (!types[t]) { return; }
      var item = el("span", null, "kb-legend-item");
      var dot = el("span", null, "kb-legend-dot");
      dot.style.background = COLOURS[t];
      item.appendChild(dot);
      item.appendChild(el("span", t));
      legend.appendChild(item);
    });
    Object.keys(EDGE_COLOURS).forEach(function (k) {
      if (!kinds[k]) { return; }
      var item = el("span", null, "kb-legend-item");
      var line = el("span", null, "kb-legend-line" + (k === "relation" ? " kb-legend-dashed" : ""));
      line.style.borderColor = EDGE_COLOURS[k];
      item.appendChild(line);
      item.appendChild(el("span", k === "claim" ? "claim (speaker → subject)" : k === "co-mention" ? "named together" : k));
      legend.appendChild(item);
    });
  }

  function strength(data) {
    var s = {};
    data.graph.edges.forEach(function (e) {
      var w = (e.kind === "co-mention" ? 1 : 3) * (e.weight || 1);
      s[e.from] = (s[e.from] || 0) + w;
      s[e.to] = (s[e.to] || 0) + w;
    });
    return s;
  }

  function draw(data) {
    if (typeof vis === "undefined") { box.textContent = "The graph library did not load."; return; }
    drawLegend(data);
    var s = strength(data);
    var ranked = data.graph.nodes.filter(function (n) { return !n.centre; })
      .sort(function (a, b) { return (s[b.id] || 0) - (s[a.id] || 0); });
    var labelled = {};
    ranked.slice(0, LABELLED).forEach(function (n) { labelled[n.id] = true; });
    var nodes = new vis.DataSet(data.graph.nodes.map(function (n) {
      var named = n.centre || labelled[n.id];
      return {id: n.id, label: named ? n.name : undefined, title: n.name + " (" + n.type + ")", group: n.type,
        color: COLOURS[n.type] || COLOURS.other, shape: n.centre ? "star" : "dot",
        size: n.centre ? 28 : (named ? 14 : 9), opacity: named ? 1 : 0.6,
        font: {size: n.centre ? 18 : 13, strokeWidth: 3, strokeColor: "#ffffff"}};
    }));
    var edges = new vis.DataSet(data.graph.edges.map(function (e, i) {
      var minor = !(labelled[e.from] || labelled[e.to]) || e.kind === "co-mention";
      return {id: i, from: e.from, to: e.to, title: e.title,
        label: e.kind === "co-mention" || minor ? undefined : e.label,
        arrows: e.kind === "co-mention" ? undefined : "to", value: e.weight, dashes: e.kind === "relation",
        color: {color: EDGE_COLOURS[e.kind] || "#999", opacity: e.kind === "co-mention" ? 0.45 : 0.9},
        font: {size: 10, align: "middle", strokeWidth: 3, strokeColor: "#ffffff"}};
    }));
    var network = new vis.Network(box, {nodes: nodes, edges: edges}, {
      interaction: {hover: true, tooltipDelay: 150},
      physics: {stabilization: {iterations: 150},
        barnesHut: {springLength: 60 + 4 * Math.min(nodes.length, 40), avoidOverlap: 0.3}},
      edges: {smooth: {type: "continuous"}, scaling: {min: 1, max: 6}}
    });
    network.on("click", function (p) { if (p.nodes.length) { showEntity(p.nodes[0]); } });
    network.on("doubleClick", function (p) { if (p.nodes.length) { window.location.href = base + "/" + p.nodes[0]; } });
    network.once("stabilizationIterationsDone", function () { box.setAttribute("data-ready", "1"); });
    box.setAttribute("data-nodes", String(nodes.length));
    box.setAttribute("data-edges", String(edges.length));
    window.kbNetwork = network;
  }

  fetch(root.getAttribute("data-json"), {credentials: "same-origin"})
    .then(function (r) { if (!r.ok) { throw new Error("HTTP " + r.status); } return r.json(); })
    .then(draw)
    .catch(function (err) { box.textContent = "Could not load the graph: " + err.message; });
}());
