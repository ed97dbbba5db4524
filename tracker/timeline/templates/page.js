/* The timeline page's own script. A constant: it never contains data. It reads the figures
   from the JSON blob #tl-figures, draws them, keeps their time axes in step, opens an event's
   details on click (copied from the event's row of the table, already escaped HTML), and
   highlights the row named by the address's #fragment. */
(function () {
  "use strict";
  var CONFIG = {
    responsive: true,
    displaylogo: false,
    scrollZoom: false,
    modeBarButtonsToRemove: ["lasso2d", "select2d", "autoScale2d"],
    toImageButtonOptions: { format: "png", filename: "timeline", scale: 2 }
  };
  var charts = [];
  var current = null;
  var syncing = false;

  function rowFor(id) {
    var el = id ? document.getElementById(id) : null;
    return el && el.tagName === "TR" && el.classList.contains("event") ? el : null;
  }

  function mark(row) {
    if (current) { current.classList.remove("is-current"); }
    current = row;
    if (row) { row.classList.add("is-current"); }
  }

  function fromHash(scroll) {
    var id = "";
    try { id = decodeURIComponent(window.location.hash.slice(1)); } catch (e) { id = ""; }
    var row = rowFor(id);
    mark(row);
    if (row && scroll) { row.scrollIntoView({ block: "center" }); }
  }

  function showDetails(id) {
    var panel = document.getElementById("tl-details");
    var row = rowFor(id);
    if (!panel || !row) { return; }
    var body = panel.querySelector(".details-body");
    while (body.firstChild) { body.removeChild(body.firstChild); }
    var title = row.querySelector(".ev-title");
    var h = document.createElement("h3");
    h.textContent = title ? title.textContent : id;
    body.appendChild(h);
    var dl = document.createElement("dl");
    Array.prototype.forEach.call(row.cells, function (cell) {
      var dt = document.createElement("dt");
      dt.textContent = cell.getAttribute("data-label") || "";
      var dd = document.createElement("dd");
      Array.prototype.forEach.call(cell.childNodes, function (node) {
        if (node.nodeType === 1 && node.classList.contains("ev-title")) { return; }
        dd.appendChild(node.cloneNode(true));
      });
      dl.appendChild(dt);
      dl.appendChild(dd);
    });
    body.appendChild(dl);
    panel.querySelector(".details-link").setAttribute("href", "#" + id);
    panel.hidden = false;
    panel.setAttribute("data-event", id);
    mark(row);
    panel.scrollIntoView({ block: "nearest" });
  }

  function onClick(ev) {
    var p = ev && ev.points && ev.points[0];
    var id = p && p.customdata && p.customdata[0];
    if (typeof id === "string" && id) { showDetails(id); }
  }

  function onAnnotation(ev) {
    var id = ev && ev.annotation && ev.annotation.name;
    if (typeof id === "string" && id) { showDetails(id); }
  }

  function xRange(gd) {
    var ax = gd && gd._fullLayout && gd._fullLayout.xaxis;
    return ax && ax.range ? ax.range.slice() : null;
  }

  function onRelayout(src, ev) {
    if (syncing || !ev) { return; }
    var moved = Object.keys(ev).some(function (k) { return k.indexOf("xaxis.range") === 0 || k === "xaxis.autorange"; });
    var range = moved ? xRange(src) : null;
    if (!range) { return; }
    syncing = true;
    var jobs = charts.filter(function (c) { return c !== src; }).map(function (c) {
      return window.Plotly.relayout(c, { "xaxis.range": range.slice() });
    });
    Promise.all(jobs).then(function () { syncing = false; }, function () { syncing = false; });
  }

  function draw() {
    var blob = document.getElementById("tl-figures");
    var figures = blob ? JSON.parse(blob.textContent) : {};
    if (!window.Plotly) {
      document.documentElement.classList.add("no-plotly");
      return;
    }
    var pending = [];
    ["main", "intensity", "channels"].forEach(function (name) {
      var div = document.getElementById("tl-" + name);
      var fig = figures[name];
      if (!div || !fig) { return; }
      pending.push(window.Plotly.newPlot(div, fig.data, fig.layout, CONFIG).then(function (gd) {
        gd.on("plotly_click", onClick);
        gd.on("plotly_clickannotation", onAnnotation);
        gd.on("plotly_relayout", function (ev) { onRelayout(gd, ev); });
        charts.push(gd);
        return gd;
      }));
    });
    Promise.all(pending).then(function () {
      document.documentElement.setAttribute("data-plotted", "1");
      fromHash(true);
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.documentElement.classList.add("js");
    var close = document.querySelector("#tl-details .details-close");
    if (close) {
      close.addEventListener("click", function () {
        document.getElementById("tl-details").hidden = true;
      });
    }
    window.addEventListener("hashchange", function () { fromHash(true); });
    fromHash(true);
    draw();
  });
}());
