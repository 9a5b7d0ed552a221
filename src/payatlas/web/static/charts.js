/* PayAtlas charts: each <div data-chart="kind" data-source="json-id"> is drawn by Plotly from
   the JSON the page embedded (the same object the /v1 endpoint returns). */
(function () {
  "use strict";
  const BLUE = "#1f5fbf", BAND = "rgba(31,95,191,0.18)", INK = "#1d2330", GREY = "#8a93a3";
  const GOOD = "#1b7f3b", BAD = "#a4161a";
  const CONFIG = { displaylogo: false, responsive: true,
    modeBarButtonsToRemove: ["select2d", "lasso2d", "autoScale2d", "toggleSpikelines"] };
  const usd = (v) => (v == null ? "—" : "$" + Math.round(v).toLocaleString("en-US"));
  const money = (v, cur) => (v == null ? "—" : Math.round(v).toLocaleString("en-US") + " " + cur);
  function layout(extra) {
    return Object.assign({
      margin: { l: 90, r: 20, t: 10, b: 50 }, font: { family: "system-ui, sans-serif", size: 13, color: INK },
      paper_bgcolor: "#fff", plot_bgcolor: "#fff", showlegend: false, hovermode: "closest",
    }, extra || {});
  }

  const charts = {
    /* benchmark groups as box plots built from the published percentiles (P10/P25/P50/P75/P90) */
    distribution(el, data) {
      const by = data.by[0];
      const groups = data.groups.filter((g) => !g.suppressed).slice(0, 15);
      const names = groups.map((g) => String(g[by] == null ? "unknown" : g[by]));
      const trace = {
        type: "box", orientation: "h", y: names, name: "pay",
        q1: groups.map((g) => g.p25), median: groups.map((g) => g.p50), q3: groups.map((g) => g.p75),
        lowerfence: groups.map((g) => g.p10), upperfence: groups.map((g) => g.p90),
        mean: groups.map((g) => g.mean), boxmean: true,
        marker: { color: BLUE }, fillcolor: BAND, line: { color: BLUE },
        hovertemplate: "%{y}<extra></extra>",
      };
      Plotly.newPlot(el, [trace], layout({
        height: Math.max(240, 60 + 34 * names.length),
        margin: { l: 110, r: 20, t: 10, b: 45 },
        xaxis: { title: { text: "Annual pay, USD (box P25–P75, whiskers P10–P90)" }, tickformat: "$,.0f", zeroline: false },
        yaxis: { autorange: "reversed", type: "category" },
      }), CONFIG);
    },

    /* median per year with its bootstrap interval as a shaded band */
    trend(el, data) {
      const ys = data.years.filter((y) => y.p50 != null);
      const x = ys.map((y) => y.year);
      const band = [
        { x, y: ys.map((y) => y.p50_low), mode: "lines", line: { width: 0 }, hoverinfo: "skip", name: "low" },
        { x, y: ys.map((y) => y.p50_high), mode: "lines", line: { width: 0 }, fill: "tonexty",
          fillcolor: BAND, hoverinfo: "skip", name: "90% interval" },
        { x, y: ys.map((y) => y.p50), mode: "lines+markers", line: { color: BLUE, width: 3 },
          marker: { size: 8 }, name: "median",
          customdata: ys.map((y) => [y.n, y.p50_low, y.p50_high]),
          hovertemplate: "%{x}: median %{y:$,.0f}<br>90%% interval %{customdata[1]:$,.0f}–%{customdata[2]:$,.0f}<br>n = %{customdata[0]:,} survey records<extra></extra>" },
      ];
      Plotly.newPlot(el, band, layout({
        height: 300,
        xaxis: { title: { text: "Pay year" }, dtick: 1 },
        yaxis: { title: { text: "Median annual pay, USD" }, tickformat: "$,.0f" },
      }), CONFIG);
    },
  };

  window.PayAtlasCharts = charts;
  window.PayAtlasFormat = { usd, money };
  function draw() {
    document.querySelectorAll("[data-chart]").forEach((el) => {
      const kind = el.dataset.chart, src = document.getElementById(el.dataset.source);
      if (!src || !charts[kind] || typeof Plotly === "undefined") return;
      charts[kind](el, JSON.parse(src.textContent));
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", draw);
  else draw();
})();
