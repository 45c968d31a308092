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

  // Bands behind the bars: a session's products on air, each from its first to its last
  // moment (in bins from the first bin's middle), labelled with its line-up position, and its
  // name where the band is wide enough. Chart.js has no band of its own and no annotation
  // plugin is vendored; this draws them on the canvas before the bars.
  var bandColours = ["rgba(217, 142, 4, 0.18)", "rgba(59, 110, 165, 0.18)"];
  var onAirBands = {
    id: "onAirBands",
    beforeDatasetsDraw: function (chart, args, options) {
      var bands = (options && options.bands) || [];
      var scale = chart.scales.x;
      var area = chart.chartArea;
      if (!bands.length || !scale || !area) { return; }
      var origin = scale.getPixelForValue(0);
      var step = chart.data.labels.length > 1 ? scale.getPixelForValue(1) - origin : area.right - area.left;
      var context = chart.ctx;
      context.save();
      context.font = "12px system-ui, sans-serif";
      context.textBaseline = "top";
      var drawn = 0;
      bands.forEach(function (band, index) {
        var left = Math.max(area.left, origin + band.from * step);
        var right = Math.min(area.right, origin + band.to * step);
        if (right <= left) { return; }
        context.fillStyle = bandColours[index % bandColours.length];
        context.fillRect(left, area.top, right - left, area.bottom - area.top);
        var text = band.label + ". " + band.name;
        if (context.measureText(text).width + 6 > right - left) { text = band.label; }
        context.fillStyle = "#333";
        // Alternate heights so the numbers of short neighbouring slots do not overlap.
        context.fillText(text, left + 3, area.top + 3 + (index % 2) * 14);
        drawn += 1;
      });
      context.restore();
      chart.$onAirBandsDrawn = drawn;
    }
  };

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
        plugins: { legend: { position: "bottom" }, onAirBands: { bands: spec.bands || [] } },
        scales: scalesOf(spec)
      },
      plugins: spec.bands ? [onAirBands] : []
    });
  });
})();
