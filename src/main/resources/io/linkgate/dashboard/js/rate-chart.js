// A live line chart of message rates in inline SVG (no library): one polyline per series over the last samples.
import { h, svg } from './dom.js';

const DEFAULT_WIDTH = 900;
const HEIGHT = 220;
const PAD = { left: 44, right: 8, top: 10, bottom: 20 };
const MAX_POINTS = 40;

/** series: [{key, label, cssClass}]; push({key: rate, ...}) adds one sample and redraws. */
export function rateChart(title, series) {
  const samples = [];
  const plot = svg('svg', { viewBox: `0 0 ${DEFAULT_WIDTH} ${HEIGHT}`, class: 'chart', role: 'img' });
  const summary = h('p', { class: 'chart-summary', 'aria-live': 'off' });
  const legend = h('ul', { class: 'legend' }, series.map((s) => h('li', { class: s.cssClass, text: s.label })));
  const el = h('figure', { class: 'chart-box' }, h('figcaption', { text: title }), plot, legend, summary);

  function yMax() {
    const peak = Math.max(1, ...samples.flatMap((p) => series.map((s) => p[s.key])));
    const step = 10 ** Math.floor(Math.log10(peak));
    return Math.ceil(peak / step) * step;
  }

  function draw() {
    // one SVG unit per CSS pixel, so labels keep their size on a narrow window
    const width = Math.round(plot.getBoundingClientRect().width) || DEFAULT_WIDTH;
    plot.setAttribute('viewBox', `0 0 ${width} ${HEIGHT}`);
    const top = yMax();
    const x = (i) => PAD.left + (i * (width - PAD.left - PAD.right)) / (MAX_POINTS - 1);
    const y = (v) => HEIGHT - PAD.bottom - (v / top) * (HEIGHT - PAD.top - PAD.bottom);
    const grid = [0, 0.5, 1].map((f) => [
      svg('line', { x1: PAD.left, x2: width - PAD.right, y1: y(top * f), y2: y(top * f), class: 'gridline' }),
      svg('text', { x: PAD.left - 6, y: y(top * f) + 4, 'text-anchor': 'end', class: 'axis' }, String(top * f)),
    ]).flat();
    const offset = MAX_POINTS - samples.length;
    const lines = series.map((s) => svg('polyline', {
      class: `line ${s.cssClass}`, fill: 'none',
      points: samples.map((p, i) => `${x(i + offset).toFixed(1)},${y(p[s.key]).toFixed(1)}`).join(' '),
    }));
    plot.replaceChildren(...grid,
      svg('text', { x: PAD.left, y: HEIGHT - 4, class: 'axis' }, 'msg/s, last samples'), ...lines);
    const last = samples[samples.length - 1];
    const text = series.map((s) => `${s.label}: ${last ? last[s.key].toFixed(1) : 0} msg/s`).join(', ');
    plot.setAttribute('aria-label', `${title}. Latest: ${text}`);
    summary.textContent = `Latest: ${text}`;
  }

  draw();
  return {
    el,
    push(sample) {
      samples.push(sample);
      if (samples.length > MAX_POINTS) {
        samples.shift();
      }
      draw();
    },
  };
}
