/* Demand & skills charts (#12): drawn by Plotly from the JSON the page embedded (the objects
   GET /v1/demand and GET /v1/skills return). Loaded after charts.js. */
(function () {
  "use strict";
  const BLUE = "#1f5fbf", INK = "#1d2330", GREY = "#8a93a3", GOOD = "#1b7f3b", BAD = "#a4161a";
  const PALETTE = ["#1f5fbf", "#c2570c", "#1b7f3b", "#7b3fa0", "#a4161a", "#0f7c8c", "#8a93a3"];
  const CONFIG = { displaylogo: false, displayModeBar: false, responsive: true,
    modeBarButtonsToRemove: ["select2d", "lasso2d", "autoScale2d", "toggleSpikelines"] };
  function layout(extra) {
    return Object.assign({
      margin: { l: 90, r: 20, t: 10, b: 50 }, font: { family: "system-ui, sans-serif", size: 13, color: INK },
      paper_bgcolor: "#fff", plot_bgcolor: "#fff", showlegend: false, hovermode: "closest",
    }, extra || {});
  }
  function hbar(el, labels, values, text, title, fmt, color) {
    Plotly.newPlot(el, [{
      type: "bar", orientation: "h", y: labels, x: values, text, textposition: "auto",
      marker: { color: color || BLUE }, hovertemplate: "%{y}: %{x" + fmt + "}<extra></extra>",
    }], layout({
      height: Math.max(220, 60 + 26 * labels.length), margin: { l: 20, r: 40, t: 10, b: 45 },
      xaxis: { title: { text: title }, tickformat: fmt.slice(1) },
      yaxis: { autorange: "reversed", type: "category", automargin: true },
    }), CONFIG);
  }

  const charts = {
    /* postings per month, stacked by the largest families (the rest as "other families") */
    postingsPerMonth(el, d) {
      const rows = d.rows.filter((r) => r.postings != null);
      const totals = {};
      rows.forEach((r) => { totals[r.family] = (totals[r.family] || 0) + r.postings; });
      const top = Object.keys(totals).sort((a, b) => totals[b] - totals[a]).slice(0, 6);
      const months = [...new Set(d.rows.map((r) => r.month))].sort();
      const series = top.map((f, i) => ({
        type: "bar", name: f.replace(/_/g, " "), x: months, marker: { color: PALETTE[i] },
        y: months.map((m) => (rows.find((r) => r.month === m && r.family === f) || {}).postings || 0),
        hovertemplate: "%{x}: %{y:,} job postings<extra>" + f + "</extra>",
      }));
      const others = months.map((m) => rows.filter((r) => r.month === m && !top.includes(r.family))
        .reduce((a, r) => a + r.postings, 0));
      if (others.some((v) => v > 0)) {
        series.push({ type: "bar", name: "other families", x: months, y: others, marker: { color: GREY } });
      }
      Plotly.newPlot(el, series, layout({
        height: 340, barmode: "stack", showlegend: true, legend: { orientation: "h", y: -0.2 },
        margin: { l: 60, r: 20, t: 10, b: 80 },
        yaxis: { title: { text: "Job postings" }, tickformat: ",d" },
      }), CONFIG);
    },
    hubs(el, d) {
      const rows = d.rows.filter((r) => r.postings != null);
      hbar(el, rows.map((r) => r.city), rows.map((r) => r.postings),
        rows.map((r) => r.postings.toLocaleString("en-US")), "Job postings", ":,d");
    },
    skillShares(el, d) {
      const rows = d.skills.slice(0, 20);
      hbar(el, rows.map((r) => r.label), rows.map((r) => r.share),
        rows.map((r) => (100 * r.share).toFixed(0) + "%"), "Share of job postings listing skills", ":.0%");
    },
    /* premium per skill with its 95% interval as error bars */
    skillPremiums(el, d) {
      const rows = d.skills.filter((r) => r.premium != null).slice(0, 25)
        .sort((a, b) => b.premium - a.premium);
      Plotly.newPlot(el, [{
        type: "scatter", mode: "markers", orientation: "h", y: rows.map((r) => r.label),
        x: rows.map((r) => r.premium),
        error_x: { type: "data", symmetric: false, array: rows.map((r) => r.premium_high - r.premium),
                   arrayminus: rows.map((r) => r.premium - r.premium_low), color: GREY },
        marker: { size: 9, color: rows.map((r) => (r.premium >= 0 ? GOOD : BAD)) },
        customdata: rows.map((r) => [r.premium_low, r.premium_high, r.p_adjusted]),
        hovertemplate: "%{y}: %{x:+.1%} (95%% %{customdata[0]:+.1%} to %{customdata[1]:+.1%}), adj. p %{customdata[2]:.3g}<extra></extra>",
      }], layout({
        height: Math.max(240, 60 + 24 * rows.length), margin: { l: 20, r: 30, t: 10, b: 45 },
        xaxis: { title: { text: "Premium on advertised pay (adjusted)" }, tickformat: "+.0%", zeroline: true, zerolinecolor: GREY },
        yaxis: { autorange: "reversed", type: "category", automargin: true },
      }), CONFIG);
    },
    cooccurrence(el, d) {
      const rows = d.skills.slice(0, 15);
      hbar(el, rows.map((r) => r.label), rows.map((r) => r.share),
        rows.map((r) => (100 * r.share).toFixed(0) + "% · lift " + (r.lift == null ? "—" : r.lift.toFixed(1))),
        "Share of the postings asking for " + d.with_skill, ":.0%", "#7b3fa0");
    },
  };

  window.PayAtlasDraw(charts);  // charts.js (loaded first) draws them
})();
