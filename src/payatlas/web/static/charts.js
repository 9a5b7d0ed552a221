/* PayAtlas charts: each <div data-chart="kind" data-source="json-id"> is drawn by Plotly from
   the JSON the page embedded (the same object the /v1 endpoint returns). */
(function () {
  "use strict";
  const BLUE = "#1f5fbf", BAND = "rgba(31,95,191,0.18)", INK = "#1d2330", GREY = "#8a93a3";
  const GOOD = "#1b7f3b", BAD = "#a4161a";
  /* no mode bar: its buttons would be focusable controls inside the chart's role="img" box, and
     the figures are in the table beside each chart; responsive: the chart follows its box's width */
  const CONFIG = { displaylogo: false, displayModeBar: false, responsive: true };
  const usd = (v) => (v == null ? "—" : "$" + Math.round(v).toLocaleString("en-US"));
  const money = (v, cur) => (v == null ? "—" : Math.round(v).toLocaleString("en-US") + " " + cur);
  function layout(extra) {
    return Object.assign({
      margin: { l: 90, r: 20, t: 10, b: 50 }, font: { family: "system-ui, sans-serif", size: 13, color: INK },
      paper_bgcolor: "#fff", plot_bgcolor: "#fff", showlegend: false, hovermode: "closest", autosize: true,
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
        margin: { l: 20, r: 20, t: 10, b: 45 },
        xaxis: { title: { text: "Annual pay, USD (box P25–P75, whiskers P10–P90)" }, tickformat: "$,.0f", zeroline: false },
        yaxis: { autorange: "reversed", type: "category", automargin: true },
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

    /* survey submissions per arrival month, stacked by the largest role families */
    submissions(el, data) {
      const rows = data.submissions.filter((x) => !x.suppressed);
      const totals = {};
      rows.forEach((x) => { totals[x.role_family] = (totals[x.role_family] || 0) + x.n; });
      const top = Object.keys(totals).sort((a, b) => totals[b] - totals[a]).slice(0, 6);
      const palette = [BLUE, "#c2570c", GOOD, "#7b3fa0", "#0f8b8d", "#8a93a3"];
      const traces = top.map((fam, i) => {
        const mine = rows.filter((x) => x.role_family === fam);
        return { type: "bar", name: fam.replace(/_/g, " "), x: mine.map((x) => x.month + "-01"), y: mine.map((x) => x.n),
          marker: { color: palette[i % palette.length] },
          hovertemplate: "%{x|%b %Y}: %{y:,} " + fam.replace(/_/g, " ") + " submissions<extra></extra>" };
      });
      Plotly.newPlot(el, traces, layout({
        height: 260, barmode: "stack", showlegend: true, legend: { orientation: "h", y: -0.25 },
        margin: { l: 60, r: 20, t: 10, b: 30 },
        xaxis: { type: "date", tickformat: "%b %Y" }, yaxis: { title: { text: "Survey submissions" } },
      }), CONFIG);
    },

    /* team total per country: P10-P90 range bar, median marker, saving vs the baseline */
    team(el, data) {
      const cs = data.countries.filter((c) => c.total_usd);
      /* a US metro is labelled by its first principal city ("Austin metro (US)") */
      const names = cs.map((c) => (c.metro ? c.name.split(/[-,]/)[0] + " metro" : c.name) + " (" + c.country + ")");
      const saving = (c) => {
        const s = c.savings_vs_baseline_pct;
        if ((c.place || c.country) === data.baseline) return "baseline";
        if (!s || s.value == null) return "";
        return (s.value >= 0 ? "saves " : "costs ") + Math.abs(s.value).toFixed(0) + "% [" +
          s.low.toFixed(0) + "%, " + s.high.toFixed(0) + "%]";
      };
      const range = {
        type: "bar", orientation: "h", y: names, base: cs.map((c) => c.total_usd.p10),
        x: cs.map((c) => c.total_usd.p90 - c.total_usd.p10), marker: { color: BAND, line: { color: BLUE, width: 1 } },
        width: 0.5, name: "P10–P90",
        customdata: cs.map((c) => [c.total_usd.p10, c.total_usd.p90]),
        hovertemplate: "%{y}<br>P10 %{customdata[0]:$,.0f} – P90 %{customdata[1]:$,.0f}<extra></extra>",
      };
      const median = {
        type: "scatter", mode: "markers+text", y: names, x: cs.map((c) => c.total_usd.p50),
        marker: { symbol: "line-ns", size: 26, line: { width: 4, color: BLUE } },
        text: cs.map(saving), textposition: "top right", textfont: { size: 12, color: INK },
        name: "median", hovertemplate: "%{y}: median %{x:$,.0f}<extra></extra>",
      };
      Plotly.newPlot(el, [range, median], layout({
        height: Math.max(260, 80 + 60 * names.length), margin: { l: 20, r: 30, t: 10, b: 50 },
        xaxis: { title: { text: "Annual team cost, USD (bar P10–P90, line median)" }, tickformat: "$,.0f", rangemode: "tozero" },
        yaxis: { autorange: "reversed", type: "category", automargin: true }, bargap: 0.5,
      }), CONFIG);
    },

    /* premiums: matched cohorts and model-adjusted, each a point with its 90% interval */
    premiums(el, data) {
      const ps = data.premiums;
      const view = (key, name, color, shift) => {
        const ok = ps.filter((p) => p[key].premium_pct != null);
        return {
          type: "scatter", mode: "markers", name, y: ok.map((p) => p.label), x: ok.map((p) => p[key].premium_pct),
          error_x: { type: "data", symmetric: false, color, thickness: 2, width: 4,
            array: ok.map((p) => p[key].high_pct - p[key].premium_pct),
            arrayminus: ok.map((p) => p[key].premium_pct - p[key].low_pct) },
          marker: { color, size: 10, symbol: shift ? "diamond" : "circle" },
          offsetgroup: key, hovertemplate: "%{y}: %{x:+.1f}%<extra>" + name + "</extra>",
        };
      };
      Plotly.newPlot(el, [view("cohort", "matched cohorts", BLUE, false), view("model", "model-adjusted", "#c2570c", true)],
        layout({
          height: Math.max(260, 70 + 42 * ps.length), margin: { l: 20, r: 20, t: 30, b: 50 }, showlegend: true,
          legend: { orientation: "h", y: 1.08, x: 0 }, scattermode: "group",
          xaxis: { title: { text: "Premium of A over B, % (90% interval)" }, ticksuffix: "%", zeroline: true, zerolinecolor: GREY },
          yaxis: { autorange: "reversed", type: "category", automargin: true },
        }), CONFIG);
    },

    /* an estimate's range: P10-P90 bar, P25-P75 inner bar, median line; local currency in labels */
    range(el, r) {
      const y = ["USD"];
      const outer = { type: "bar", orientation: "h", y, base: [r.p10], x: [r.p90 - r.p10], width: 0.55,
        marker: { color: BAND, line: { color: BLUE, width: 1 } }, name: "P10–P90", hoverinfo: "skip" };
      const inner = { type: "bar", orientation: "h", y, base: [r.p25], x: [r.p75 - r.p25], width: 0.55,
        marker: { color: "rgba(31,95,191,0.40)" }, name: "P25–P75", hoverinfo: "skip" };
      const pts = ["p10", "p25", "p50", "p75", "p90"];
      const marks = { type: "scatter", mode: "markers", y: pts.map(() => "USD"), x: pts.map((p) => r[p]),
        marker: { symbol: "line-ns", size: pts.map((p) => (p === "p50" ? 40 : 22)),
          line: { width: pts.map((p) => (p === "p50" ? 4 : 1.5)), color: pts.map((p) => (p === "p50" ? INK : BLUE)) } },
        hovertemplate: pts.map((p) => p.toUpperCase() + ": " + r.formatted[p] + " / " + r.formatted["local_" + p] + "<extra></extra>") };
      const label = (p) => ({ x: r[p], y: 1, xref: "x", yref: "paper", yanchor: "bottom", showarrow: false,
        text: "<b>" + p.toUpperCase() + "</b><br>" + r.formatted[p] + "<br>" + r.formatted["local_" + p],
        font: { size: 12, color: p === "p50" ? INK : "#3b4660" } });
      const pad = (r.p90 - r.p10) * 0.15;
      /* the offer, when one was checked: a diamond on the bar with its percentile */
      const offerSrc = document.getElementById("offer-data");
      const offer = offerSrc ? JSON.parse(offerSrc.textContent) : null;
      const traces = [outer, inner, marks];
      const notes = ["p10", "p50", "p90"].map(label);
      let lo = Math.max(0, r.p10 - pad), hi = r.p90 + pad;
      if (offer) {
        traces.push({ type: "scatter", mode: "markers", y: ["USD"], x: [offer.amount_usd], name: "Your offer",
          marker: { symbol: "diamond", size: 16, color: "#c2410c", line: { color: INK, width: 1 } },
          hovertemplate: "Your offer: " + offer.formatted + " (" + offer.percentile_label + ")<extra></extra>" });
        notes.push({ x: offer.amount_usd, y: 0, xref: "x", yref: "paper", yanchor: "top", showarrow: false,
          text: "<b>Offer</b> " + offer.percentile_label, font: { size: 12, color: "#c2410c" } });
        lo = Math.min(lo, offer.amount_usd * 0.95); hi = Math.max(hi, offer.amount_usd * 1.05);
      }
      Plotly.newPlot(el, traces, layout({
        height: 200, barmode: "overlay", margin: { l: 30, r: 30, t: 62, b: 42 },
        annotations: notes,
        xaxis: { tickformat: "$,.0f", range: [lo, hi], title: { text: "Annual gross pay, USD" } },
        yaxis: { type: "category", showticklabels: false },
      }), CONFIG);
    },

    /* reasons: each field's premium against the reference profile */
    reasons(el, r) {
      const rs = r.reasons;
      Plotly.newPlot(el, [{
        type: "bar", orientation: "h", y: rs.map((x) => x.label), x: rs.map((x) => x.premium_pct),
        marker: { color: rs.map((x) => (x.premium_pct >= 0 ? GOOD : BAD)) },
        text: rs.map((x) => (x.premium_pct >= 0 ? "+" : "") + x.premium_pct.toFixed(1) + "%"),
        textposition: "auto", insidetextanchor: "middle", cliponaxis: false,
        insidetextfont: { color: "#fff" }, outsidetextfont: { color: INK },
        hovertemplate: "%{y}: %{x:+.1f}%<extra></extra>",
      }], layout({
        height: Math.max(170, 60 + 40 * rs.length), margin: { l: 20, r: 50, t: 10, b: 45 },
        xaxis: { ticksuffix: "%", zeroline: true, zerolinecolor: GREY, title: { text: "Premium vs reference" } },
        yaxis: { autorange: "reversed", type: "category", automargin: true },
      }), CONFIG);
    },

    /* backtest: share of test records inside the stated 80% range, per group, vs the target */
    coverage(el, model) {
      const m = model.metrics, groups = ["overall", "US", "non-US", "entry", "mid", "senior", "executive"];
      const gs = groups.filter((g) => m.coverage[g] != null);
      Plotly.newPlot(el, [{
        type: "bar", x: gs, y: gs.map((g) => m.coverage[g]),
        marker: { color: gs.map((g) => (m.coverage[g] >= 0.78 && m.coverage[g] <= 0.82 ? BLUE : "#c2570c")) },
        text: gs.map((g) => m.coverage[g].toFixed(3)), textposition: "outside", cliponaxis: false,
        customdata: gs.map((g) => m.rows[g]),
        hovertemplate: "%{x}: %{y:.3f} of %{customdata:,} test records<extra></extra>",
      }], layout({
        height: 320, margin: { l: 60, r: 20, t: 20, b: 50 },
        yaxis: { range: [0.5, 1], title: { text: "Coverage of the 80% range" }, tickformat: ".2f" },
        shapes: [
          { type: "rect", xref: "paper", x0: 0, x1: 1, y0: 0.78, y1: 0.82, fillcolor: "rgba(27,127,59,0.15)", line: { width: 0 } },
          { type: "line", xref: "paper", x0: 0, x1: 1, y0: 0.8, y1: 0.8, line: { color: GOOD, dash: "dash" } },
        ],
        annotations: [{ xref: "paper", x: 1, y: 0.8, text: "target 0.80", showarrow: false, xanchor: "right", yanchor: "bottom", font: { color: GOOD } }],
      }), CONFIG);
    },

    /* monitor (#14): the champion's 80% coverage (top) and bias (bottom) over new versions */
    monitorVersions(el, report) {
      const vs = report.versions.filter((v) => v.groups.length);
      const series = [{ name: "all versions", pts: vs.map((v) => Object.assign(
        { x: "v" + v.dataset_version + " · " + v.model_id.slice(0, 6) }, v.groups[0])) }];
      charts._monitorPair(el, report, series, { type: "category", title: { text: "Dataset version · model" } });
    },

    /* monitor (#14): the same per arrival week (first_seen), one series per version */
    monitorWeeks(el, report) {
      const series = report.versions.filter((v) => v.weeks.length).map((v) => ({
        name: "v" + v.dataset_version, pts: v.weeks.map((w) => Object.assign({ x: w.group }, w)) }));
      charts._monitorPair(el, report, series, { type: "date", tickformat: "%d %b %Y", title: { text: "Arrival week" } });
    },

    _monitorPair(el, report, series, xaxis) {
      const [lo, hi] = report.coverage_band, bias = report.max_abs_bias * 100;
      const palette = [BLUE, "#c2570c", "#7b3fa0", "#0f8b8d", INK];
      const all = series.flatMap((s) => s.pts);
      const floor = Math.min(0.5, ...all.map((p) => p.coverage - 0.05));
      const traces = [];
      series.forEach((s, i) => {
        const colour = palette[i % palette.length], x = s.pts.map((p) => p.x);
        const records = s.pts.map((p) => p.records);
        traces.push({
          type: "scatter", mode: "lines+markers", x, y: s.pts.map((p) => p.coverage), name: s.name + " coverage",
          line: { color: colour, width: 2 }, customdata: records,
          marker: { size: 8, color: s.pts.map((p) => (p.coverage >= lo && p.coverage <= hi ? colour : BAD)) },
          hovertemplate: s.name + " %{x}: coverage %{y:.3f} of %{customdata:,} survey submissions<extra></extra>",
        });
        traces.push({
          type: "bar", x, y: s.pts.map((p) => p.bias_pct), name: s.name + " bias", yaxis: "y2",
          marker: { color: colour, opacity: 0.75, line: { color: s.pts.map((p) => (Math.abs(p.bias_pct) <= bias ? colour : BAD)), width: 2 } },
          customdata: records,
          hovertemplate: s.name + " %{x}: estimates %{y:+.1f}% vs reported pay (%{customdata:,} records)<extra></extra>",
        });
      });
      const band = (y0, y1, yref) => ({ type: "rect", xref: "paper", x0: 0, x1: 1, y0, y1, yref,
        fillcolor: "rgba(27,127,59,0.12)", line: { width: 0 } });
      Plotly.newPlot(el, traces, layout({
        height: 400, margin: { l: 60, r: 15, t: 10, b: 60 }, barmode: "group",
        showlegend: series.length > 1, legend: { orientation: "h", y: -0.3 },
        xaxis: Object.assign({ anchor: "y2", automargin: true }, xaxis),
        yaxis: { domain: [0.55, 1], range: [floor, 1], tickformat: ".2f", title: { text: "Coverage" } },
        yaxis2: { domain: [0, 0.4], ticksuffix: "%", zeroline: true, zerolinecolor: GREY, title: { text: "Bias" } },
        shapes: [band(lo, hi, "y"), band(-bias, bias, "y2")],
      }), CONFIG);
    },

    /* fairness (#14): each group's 80% coverage with its 90% bootstrap interval, worst first */
    fairness(el, report) {
      const gs = report.groups.slice(0, 15);
      const names = gs.map((g) => g.dimension.replace(/_/g, " ") + " " + g.group);
      Plotly.newPlot(el, [{
        type: "scatter", mode: "markers", y: names, x: gs.map((g) => g.coverage.value),
        marker: { size: 9, color: gs.map((g) => (g.gated ? BLUE : GREY)) },
        error_x: { type: "data", symmetric: false, color: INK, thickness: 1.5, width: 4,
          array: gs.map((g) => g.coverage.high - g.coverage.value),
          arrayminus: gs.map((g) => g.coverage.value - g.coverage.low) },
        customdata: gs.map((g) => [g.records, g.coverage.low, g.coverage.high, g.bias_pct.value]),
        hovertemplate: "%{y}: coverage %{x:.3f} [%{customdata[1]:.3f}, %{customdata[2]:.3f}]<br>" +
          "bias %{customdata[3]:+.1f}%, %{customdata[0]:,} survey submissions<extra></extra>",
      }], layout({
        height: Math.max(260, 70 + 26 * names.length), margin: { l: 20, r: 20, t: 10, b: 50 },
        xaxis: { title: { text: "80% coverage (90% interval); grey: under 300 records" }, tickformat: ".2f" },
        yaxis: { autorange: "reversed", type: "category", automargin: true },
        shapes: [{ type: "line", yref: "paper", y0: 0, y1: 1, x0: 0.8, x1: 0.8, line: { color: GOOD, dash: "dash" } }],
      }), CONFIG);
    },

    /* US metros at their coordinates, coloured by the OEWS median or its RPP-adjusted value */
    metromap(el, data) {
      const pts = data.points.filter((p) => p.p50 != null);
      const plot = (field) => {
        const label = field === "p50" ? "Median" : "RPP-adjusted median";
        const trace = {
          type: "scatter", mode: "markers", x: pts.map((p) => p.lng), y: pts.map((p) => p.lat),
          text: pts.map((p) => p.metro),
          customdata: pts.map((p) => [p.p50, p.p50_rpp_adjusted, p.rpp]),
          marker: { size: pts.map((p) => 6 + Math.sqrt(p.employment || 0) / 12), color: pts.map((p) => p[field]),
                    colorscale: "Viridis", showscale: true, colorbar: { title: { text: label }, tickformat: "$,.0f" },
                    line: { width: 0.5, color: "#fff" } },
          hovertemplate: "%{text}<br>median %{customdata[0]:$,.0f}<br>RPP %{customdata[2]}<br>RPP-adjusted %{customdata[1]:$,.0f}<extra></extra>",
        };
        Plotly.react(el, [trace], layout({
          height: 480, margin: { l: 50, r: 20, t: 10, b: 40 },
          xaxis: { title: { text: "Longitude" }, range: [-126, -65], zeroline: false },
          yaxis: { title: { text: "Latitude" }, range: [24, 50], scaleanchor: "x", scaleratio: 1.25, zeroline: false },
        }), CONFIG);
        el.dataset.colour = field;
      };
      plot("p50");
      document.querySelectorAll('input[name="map-colour"]').forEach((input) => {
        input.addEventListener("change", () => plot(input.value));
      });
    },
  };

  window.PayAtlasCharts = charts;
  window.PayAtlasFormat = { usd, money };
  // draws every [data-chart] element that ``registry`` has a chart for, from the JSON of the
  // element its data-source names (page scripts loaded after this one pass their own registry)
  function drawCharts(registry) {
    const draw = () => document.querySelectorAll("[data-chart]").forEach((el) => {
      const kind = el.dataset.chart, src = document.getElementById(el.dataset.source);
      if (!src || !registry[kind] || typeof Plotly === "undefined") return;
      registry[kind](el, JSON.parse(src.textContent));
    });
    if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", draw);
    else draw();
  }
  window.PayAtlasDraw = drawCharts;
  drawCharts(charts);
})();
