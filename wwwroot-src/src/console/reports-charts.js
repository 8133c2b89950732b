// The Reports view's charts (issue 25): Chart.js, only the parts used (bars and lines on a category axis), bundled by
// esbuild. Each canvas is an image to assistive technology (role="img" with a label saying what it shows), and
// carries the numbers it draws in data-series (JSON), which the figures beside it and the tests read.

import {
  BarController, BarElement, CategoryScale, Chart, Legend, LinearScale, LineController, LineElement, PointElement, Tooltip,
} from "chart.js";

Chart.register(BarController, BarElement, CategoryScale, Legend, LinearScale, LineController, LineElement, PointElement, Tooltip);

const COLORS = ["#2563eb", "#16a34a", "#d97706", "#dc2626", "#7c3aed"];

/** Draws (or redraws) a chart on `canvas`: `kind` "bar" or "line", `labels` the x axis, `series` [{label, data}];
 *  `counts`: whole numbers only on the y axis. */
export function drawChart(canvas, kind, labels, series, { yTitle, counts = false } = {}) {
  Chart.getChart(canvas)?.destroy();
  canvas.dataset.series = JSON.stringify({ labels, series: series.map((s) => ({ label: s.label, data: s.data })) });
  return new Chart(canvas, {
    type: kind,
    data: {
      labels,
      datasets: series.map((s, i) => ({
        label: s.label, data: s.data, backgroundColor: s.colors ?? COLORS[i % COLORS.length], borderColor: COLORS[i % COLORS.length],
        spanGaps: true, tension: 0.2,
      })),
    },
    options: {
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      plugins: { legend: { display: series.length > 1 } },
      scales: { y: { beginAtZero: true, ticks: counts ? { precision: 0 } : {}, title: { display: Boolean(yTitle), text: yTitle } } },
    },
  });
}
