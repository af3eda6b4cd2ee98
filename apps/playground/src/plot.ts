/** Line plots on a canvas: the live loss curve and the gradient-norm curve (log scale). */

/** One curve. */
export interface Series {
  label: string;
  colour: string;
  /** y values, x = index + 1 unless `x` is given. */
  y: readonly number[];
  x?: readonly number[];
}

/** Axis titles and scale. */
export interface PlotOptions {
  xLabel: string;
  yLabel: string;
  logY?: boolean;
}

const MARGIN = { left: 64, right: 16, top: 16, bottom: 40 };

/** Draws `series` on `canvas`, scaled to fit, with tick labels, axis titles and a legend. */
export function drawPlot(
  canvas: HTMLCanvasElement,
  series: readonly Series[],
  options: PlotOptions,
): void {
  const ctx = canvas.getContext('2d');
  if (!ctx) return;
  const ratio = window.devicePixelRatio || 1;
  const width = canvas.clientWidth || canvas.width;
  const height = canvas.clientHeight || canvas.height;
  canvas.width = Math.round(width * ratio);
  canvas.height = Math.round(height * ratio);
  ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
  ctx.clearRect(0, 0, width, height);
  ctx.font = '12px system-ui, sans-serif';
  ctx.fillStyle = '#555';
  const f = (v: number) => (options.logY ? Math.log10(v) : v);
  const points = series.map((s) =>
    s.y.map((v, i) => [s.x?.[i] ?? i + 1, f(v)] as const).filter(([, v]) => Number.isFinite(v)),
  );
  const all = points.flat();
  if (all.length === 0) {
    ctx.fillText('nothing to draw yet', MARGIN.left, height / 2);
    return;
  }
  let [x0, x1] = [Math.min(...all.map((p) => p[0])), Math.max(...all.map((p) => p[0]))];
  let [y0, y1] = [Math.min(...all.map((p) => p[1])), Math.max(...all.map((p) => p[1]))];
  if (x1 === x0) x1 = x0 + 1;
  if (y1 === y0) [y0, y1] = [y0 - 0.5, y1 + 0.5];
  const pad = (y1 - y0) * 0.05;
  [y0, y1] = [y0 - pad, y1 + pad];
  const w = width - MARGIN.left - MARGIN.right;
  const h = height - MARGIN.top - MARGIN.bottom;
  const px = (x: number) => MARGIN.left + ((x - x0) / (x1 - x0)) * w;
  const py = (y: number) => MARGIN.top + (1 - (y - y0) / (y1 - y0)) * h;

  ctx.strokeStyle = '#ccc';
  ctx.strokeRect(MARGIN.left, MARGIN.top, w, h);
  ctx.textAlign = 'right';
  for (let k = 0; k <= 4; k++) {
    const y = y0 + ((y1 - y0) * k) / 4;
    const label = options.logY ? (10 ** y).toExponential(1) : y.toFixed(2);
    ctx.fillText(label, MARGIN.left - 6, py(y) + 4);
  }
  ctx.textAlign = 'center';
  for (let k = 0; k <= 4; k++) {
    const x = x0 + ((x1 - x0) * k) / 4;
    ctx.fillText(
      Number.isInteger(x) ? String(x) : x.toFixed(1),
      px(x),
      height - MARGIN.bottom + 16,
    );
  }
  ctx.fillText(options.xLabel, MARGIN.left + w / 2, height - 6);
  ctx.save();
  ctx.translate(14, MARGIN.top + h / 2);
  ctx.rotate(-Math.PI / 2);
  ctx.fillText(options.yLabel + (options.logY ? ' (log scale)' : ''), 0, 0);
  ctx.restore();

  points.forEach((pts, k) => {
    ctx.strokeStyle = series[k].colour;
    ctx.lineWidth = 1.5;
    ctx.beginPath();
    pts.forEach(([x, y], i) => (i === 0 ? ctx.moveTo(px(x), py(y)) : ctx.lineTo(px(x), py(y))));
    ctx.stroke();
  });
  ctx.textAlign = 'left';
  series.forEach((s, k) => {
    ctx.fillStyle = s.colour;
    ctx.fillRect(MARGIN.left + 10, MARGIN.top + 8 + 16 * k, 12, 3);
    ctx.fillStyle = '#333';
    ctx.fillText(s.label, MARGIN.left + 28, MARGIN.top + 13 + 16 * k);
  });
}

/** Exponential moving average (the loss curve's smoothed line). */
export function smooth(values: readonly number[], factor = 0.9): number[] {
  let m = Number.NaN;
  return values.map((v) => (m = Number.isNaN(m) ? v : factor * m + (1 - factor) * v));
}
