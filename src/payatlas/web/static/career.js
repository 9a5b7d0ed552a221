/* Career page chart: pay by rung as box plots of the published percentiles (the object
   GET /v1/career returns); extrapolated rungs in grey. Loaded after charts.js. */
(function () {
  "use strict";
  const BLUE = "#1f5fbf", BAND = "rgba(31,95,191,0.18)", INK = "#1d2330", GREY = "#6b7380";
  const GREY_BAND = "rgba(107,115,128,0.18)";
  const CONFIG = { displaylogo: false, displayModeBar: false, responsive: true };

  function career(el, d) {
    const traces = [false, true].map((extrapolated) => {
      const rs = d.rungs.filter((r) => r.p50 != null && r.extrapolated === extrapolated);
      const colour = extrapolated ? GREY : BLUE;
      return {
        type: "box", orientation: "h", y: rs.map((r) => r.label),
        name: extrapolated ? "extrapolated" : "measured",
        q1: rs.map((r) => r.p25), median: rs.map((r) => r.p50), q3: rs.map((r) => r.p75),
        lowerfence: rs.map((r) => r.p10), upperfence: rs.map((r) => r.p90),
        marker: { color: colour }, fillcolor: extrapolated ? GREY_BAND : BAND, line: { color: colour },
        hovertemplate: "%{y}<extra>" + (extrapolated ? "extrapolated" : "measured") + "</extra>",
      };
    });
    const order = d.rungs.map((r) => r.label);
    Plotly.newPlot(el, traces, {
      height: 320, margin: { l: 20, r: 20, t: 10, b: 45 },
      font: { family: "system-ui, sans-serif", size: 13, color: INK },
      paper_bgcolor: "#fff", plot_bgcolor: "#fff", hovermode: "closest", autosize: true,
      showlegend: true, legend: { orientation: "h", y: -0.25 },
      xaxis: { title: { text: "Annual pay, USD (box P25–P75, whiskers P10–P90)" }, tickformat: "$,.0f", zeroline: false },
      yaxis: { autorange: "reversed", type: "category", categoryorder: "array", categoryarray: order, automargin: true },
    }, CONFIG);
  }

  function draw() {
    document.querySelectorAll('[data-chart="career"]').forEach((el) => {
      const src = document.getElementById(el.dataset.source);
      if (!src || typeof Plotly === "undefined") return;
      career(el, JSON.parse(src.textContent));
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", draw);
  else draw();
})();
