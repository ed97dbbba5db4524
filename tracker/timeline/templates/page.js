/* The timeline page's own script. A constant: it never contains data. It reads the figures
   from the JSON blob #tl-figures, draws them, keeps their time axes in step, opens an event's
   details on click (copied from the event's row of the table, already escaped HTML), and
   highlights the row named by the address's #fragment.
   It sits before the table of events and draws at once, so that the charts of a large page
   appear before its table has been read. */
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
    var title = row.querySelector("th strong");
    var h = document.createElement("h3");
    h.textContent = title ? title.textContent : id;
    body.appendChild(h);
    var heads = row.closest("table").querySelectorAll("thead th");
    var dl = document.createElement("dl");
    Array.prototype.forEach.call(row.cells, function (cell, i) {
      var dt = document.createElement("dt");
      dt.textContent = heads[i] ? heads[i].textContent : "";
      var dd = document.createElement("dd");
      Array.prototype.forEach.call(cell.childNodes, function (node) {
        if (node === title) { return; }
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

  /* Phones: narrower margins, no legend or band labels on the main chart (the suspensions
     table below says the same), smaller labels. Applied before the first draw, and again
     whenever the window crosses the breakpoint. */
  var NARROW = window.matchMedia ? window.matchMedia("(max-width: 700px)") : null;

  var wide = {};

  function fitting(name, layout, narrow) {
    var base = wide[name] || (wide[name] = {
      l: layout.margin ? layout.margin.l : 80,
      r: layout.margin ? layout.margin.r : 20,
      t: layout.margin ? layout.margin.t : 20,
      selector: layout.xaxis && layout.xaxis.rangeselector ? layout.xaxis.rangeselector.y : null,
      legend: layout.showlegend !== false,
      height: layout.height
    });
    var upd = {
      "margin.l": narrow ? (name === "channels" ? 112 : 76) : base.l,
      "margin.r": narrow ? 8 : base.r,
      "showlegend": narrow && name === "main" ? false : base.legend,
      "font.size": narrow ? 10 : 13,
      "yaxis.tickfont.size": narrow ? 9 : (name === "channels" ? 11 : 13)
    };
    if (name === "main") {
      upd.height = narrow ? Math.min(base.height, 520) : base.height;
      upd["margin.t"] = narrow ? 48 : base.t;
      upd["xaxis.rangeselector.y"] = narrow ? 1.03 : base.selector;
    }
    (layout.annotations || []).forEach(function (a, i) {
      upd["annotations[" + i + "].visible"] = !narrow;
    });
    return upd;
  }

  function applyTo(layout, upd) {
    Object.keys(upd).forEach(function (path) {
      var keys = path.replace(/\[(\d+)\]/g, ".$1").split(".");
      var obj = layout;
      for (var i = 0; i < keys.length - 1; i++) {
        if (obj[keys[i]] === undefined || obj[keys[i]] === null) { obj[keys[i]] = {}; }
        obj = obj[keys[i]];
      }
      obj[keys[keys.length - 1]] = upd[path];
    });
  }

  function refit() {
    var narrow = !!(NARROW && NARROW.matches);
    charts.forEach(function (gd) {
      window.Plotly.relayout(gd, fitting(gd.getAttribute("data-chart"), gd.layout, narrow));
    });
  }

  function plot(name, figures) {
    var div = document.getElementById("tl-" + name);
    var fig = figures[name];
    if (!div || !fig) { return Promise.resolve(null); }
    div.setAttribute("data-chart", name);
    var layout = fig.layout || {};
    applyTo(layout, fitting(name, layout, !!(NARROW && NARROW.matches)));
    return window.Plotly.newPlot(div, fig.data, layout, CONFIG).then(function (gd) {
      gd.on("plotly_click", onClick);
      gd.on("plotly_clickannotation", onAnnotation);
      gd.on("plotly_relayout", function (ev) { onRelayout(gd, ev); });
      charts.push(gd);
      return gd;
    });
  }

  function nextFrame() {
    return new Promise(function (resolve) { window.setTimeout(resolve, 0); });
  }

  /* The main chart first, painted before the two smaller ones are drawn. */
  function draw() {
    var blob = document.getElementById("tl-figures");
    var figures = blob ? JSON.parse(blob.textContent) : {};
    if (!window.Plotly) {
      document.documentElement.classList.add("no-plotly");
      return;
    }
    if (NARROW && NARROW.addEventListener) { NARROW.addEventListener("change", refit); }
    plot("main", figures)
      .then(nextFrame)
      .then(function () { return plot("intensity", figures); })
      .then(function () { return plot("channels", figures); })
      .then(function () {
        document.documentElement.setAttribute("data-plotted", "1");
        fromHash(true);
      });
  }


  document.documentElement.classList.add("js");
  var close = document.querySelector("#tl-details .details-close");
  if (close) {
    close.addEventListener("click", function () {
      document.getElementById("tl-details").hidden = true;
    });
  }
  window.addEventListener("hashchange", function () { fromHash(true); });
  document.addEventListener("DOMContentLoaded", function () { fromHash(true); });
  draw();
}());
