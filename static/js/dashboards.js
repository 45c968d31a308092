// Sales dashboards: draws each chart from the JSON its page carries (json_script); the same
// figures are printed in a table beside every chart, so the page reads without this script.
(function () {
  "use strict";

  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });

  if (typeof window.Chart === "undefined") { return; }

  var palette = ["#1f6f5c", "#d98e04", "#3b6ea5", "#b5473a", "#6b5b95", "#4f7942"];

  function readSpec(canvas) {
    var source = document.getElementById(canvas.getAttribute("data-chart"));
    if (!source) { return null; }
    try { return JSON.parse(source.textContent); } catch (error) { return null; }
  }

  function datasetsOf(spec) {
    return spec.datasets.map(function (dataset, index) {
      var colour = dataset.color || palette[index % palette.length];
      return {
        label: dataset.label,
        data: dataset.data,
        type: dataset.type || undefined,
        yAxisID: dataset.axis || "y",
        borderColor: colour,
        backgroundColor: dataset.fill ? colour + "33" : colour,
        borderWidth: 2,
        pointRadius: spec.labels.length > 40 ? 0 : 2,
        tension: 0.2,
        stack: dataset.stack || undefined
      };
    });
  }

  function scalesOf(spec) {
    if (spec.indexAxis === "y") {
      // Horizontal bars: names down the side stay readable on a phone.
      return {
        x: { beginAtZero: true, stacked: !!spec.stacked },
        y: { ticks: { autoSkip: false }, stacked: !!spec.stacked }
      };
    }
    var scales = {
      x: { ticks: { maxRotation: 0, autoSkip: true, autoSkipPadding: 12 } },
      y: { beginAtZero: true, position: "left" }
    };
    if (spec.secondAxis) {
      scales.y2 = { beginAtZero: true, position: "right", grid: { drawOnChartArea: false } };
    }
    return scales;
  }

  document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
    var spec = readSpec(canvas);
    if (!spec) { return; }
    new window.Chart(canvas, {
      type: spec.type,
      data: { labels: spec.labels, datasets: datasetsOf(spec) },
      options: {
        indexAxis: spec.indexAxis || "x",
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        interaction: { mode: "index", intersect: false },
        plugins: { legend: { position: "bottom" } },
        scales: scalesOf(spec)
      }
    });
  });
})();
