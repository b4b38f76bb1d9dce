// The overview's throughput chart: jobs completed and failed per bucket (uPlot, vendored from its webjar).
import uPlot from './vendor/uplot/1.6.30/dist/uPlot.esm.js';

function color(name) {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim() || '#888';
}

/** Draws the history into el; returns the function that removes it. */
export function throughputChart(el, history) {
  const width = () => Math.max(260, el.clientWidth);
  let plot = throughputChartPlot(el, history, width);
  const resize = () => plot.setSize({width: width(), height: 200});
  // the canvas does not follow CSS: a switch between light and dark draws it again in the new colours
  const scheme = matchMedia('(prefers-color-scheme: dark)');
  const redraw = () => { plot.destroy(); plot = throughputChartPlot(el, history, width); };
  window.addEventListener('resize', resize);
  scheme.addEventListener('change', redraw);
  return () => { window.removeEventListener('resize', resize); scheme.removeEventListener('change', redraw); plot.destroy(); };
}

function throughputChartPlot(el, history, width) {
  const buckets = history?.buckets ?? [];
  const xs = buckets.map((b) => Date.parse(b.start) / 1000);
  const data = [xs, buckets.map((b) => b.completed), buckets.map((b) => b.failed)];
  const opts = {
    width: width(),
    height: 200,
    axes: [
      {stroke: color('--muted'), grid: {stroke: color('--grid')}, ticks: {stroke: color('--grid')}},
      {stroke: color('--muted'), grid: {stroke: color('--grid')}, ticks: {stroke: color('--grid')}},
    ],
    scales: {y: {range: (u, min, max) => [0, Math.max(1, max)]}},
    series: [
      {},
      {label: 'completed', stroke: color('--ok'), fill: color('--ok-fill'), width: 2, points: {show: false}, paths: uPlot.paths.bars({size: [0.6, 40]})},
      {label: 'failed', stroke: color('--bad'), fill: color('--bad-fill'), width: 2, points: {show: false}, paths: uPlot.paths.bars({size: [0.3, 20]})},
    ],
  };
  return new uPlot(opts, data, el);
}
