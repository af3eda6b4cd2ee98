/**
 * `lossCurveSvg`: a loss curve as an SVG document.
 */
import { ValueError } from '@rnnkit/core';

/** Options of {@link lossCurveSvg}. */
export interface LossCurveOptions {
  /** Chart title. */
  title?: string;
  /** Label of the x axis (default `'epoch'`). */
  xLabel?: string;
  /** Width in pixels (default 640). */
  width?: number;
  /** Height in pixels (default 360). */
  height?: number;
  /** Label of the y axis (default none). */
  yLabel?: string;
  /**
   * Logarithmic y axis (ticks at powers of ten), for values spanning orders of magnitude such
   * as gradient norms; every value must then be positive.
   */
  logScale?: boolean;
  /**
   * The x value of each point, shared by every series (e.g. seconds of wall time at each
   * evaluation); increasing, one per value. Default: the point's 1-based index.
   */
  x?: readonly number[];
}

const PALETTE = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b'];

/**
 * Draws named series (e.g. `History.history`'s `loss` and `val_loss`) as a standalone SVG line
 * chart, so a training run leaves a picture next to its numbers. Pure: works in Node and
 * browsers; write the string to a `.svg` file or put it in a page.
 * @example
 * ```ts
 * const model = new Sequential([new Dense({ inputSize: 1, units: 1, seed: 0 })]);
 * model.compile({ optimizer: new SGD({ lr: 0.05 }), loss: 'mse' });
 * const x = tensor([[0], [1], [2], [3], [4], [5], [6], [7]]);
 * const y = tensor([[1], [3], [5], [7], [9], [11], [13], [15]]);
 * const h = await model.fit(x, y, { epochs: 20, validationSplit: 0.25, verbose: 0 });
 * const svg = lossCurveSvg({ loss: h.history.loss, val_loss: h.history.val_loss }, { title: 'y = 2x + 1' });
 * // In Node: writeFileSync('loss.svg', svg) (from 'node:fs').
 * check([svg.startsWith('<svg'), svg.includes('val_loss')], [true, true]);
 * // Against wall time instead of the point's index:
 * const timed = lossCurveSvg({ train: [2.1, 1.7, 1.5] }, { x: [12.5, 60, 121], xLabel: 'seconds' });
 * check(timed.includes('>121<'), true);
 * ```
 */
export function lossCurveSvg(
  series: Record<string, readonly number[]>,
  options: LossCurveOptions = {},
): string {
  const entries = Object.entries(series).filter(([, values]) => values.length > 0);
  if (entries.length === 0)
    throw new ValueError("lossCurveSvg: argument 'series' holds no non-empty series");
  for (const [name, values] of entries) {
    if (values.some((v) => !Number.isFinite(v))) {
      throw new ValueError(`lossCurveSvg: series '${name}' holds a non-finite value`);
    }
    if (options.logScale && values.some((v) => v <= 0)) {
      throw new ValueError(
        `lossCurveSvg: series '${name}' holds a value <= 0, which a log scale (logScale: true) cannot show`,
      );
    }
  }
  const scale = options.logScale ? Math.log10 : (v: number) => v;
  const width = options.width ?? 640;
  const height = options.height ?? 360;
  const margin = {
    left: options.yLabel ? 84 : 64,
    right: 16,
    top: options.title ? 36 : 16,
    bottom: 44,
  };
  const plotW = width - margin.left - margin.right;
  const plotH = height - margin.top - margin.bottom;
  const all = entries.flatMap(([, v]) => v.map(scale));
  let lo = Math.min(...all);
  let hi = Math.max(...all);
  if (hi === lo) {
    hi += Math.abs(hi) * 0.05 + 1e-9;
    lo -= Math.abs(lo) * 0.05 + 1e-9;
  }
  const longest = Math.max(...entries.map(([, v]) => v.length));
  const xs = options.x ?? Array.from({ length: longest }, (_, i) => i + 1);
  if (options.x !== undefined) {
    const bad = entries.find(([, v]) => v.length !== xs.length);
    if (bad)
      throw new ValueError(
        `lossCurveSvg: option 'x' has ${xs.length} values but series '${bad[0]}' has ${bad[1].length}; give one x per point`,
      );
    if (xs.some((v, i) => !Number.isFinite(v) || (i > 0 && v <= xs[i - 1])))
      throw new ValueError("lossCurveSvg: option 'x' must hold finite, strictly increasing values");
  }
  const x0 = xs[0];
  const x1 = xs[xs.length - 1];
  const x = (i: number) =>
    margin.left + (x1 === x0 ? plotW / 2 : ((xs[i] - x0) / (x1 - x0)) * plotW);
  const y = (v: number) => margin.top + (1 - (scale(v) - lo) / (hi - lo)) * plotH;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
    // an accessible name for screen readers and image viewers
    `<title>${escapeXml(options.title ?? entries.map(([name]) => name).join(', '))}</title>`,
    `<rect width="${width}" height="${height}" fill="white"/>`,
  ];
  if (options.title) {
    parts.push(
      `<text x="${width / 2}" y="22" text-anchor="middle" font-size="14">${escapeXml(options.title)}</text>`,
    );
  }
  for (const v of axisTicks(lo, hi, options.logScale ?? false)) {
    const py = y(v).toFixed(1);
    const label = options.logScale ? formatLogTick(v) : formatTick(v);
    parts.push(
      `<line x1="${margin.left}" x2="${width - margin.right}" y1="${py}" y2="${py}" stroke="#e5e5e5"/>`,
      `<text x="${margin.left - 6}" y="${py}" text-anchor="end" dominant-baseline="middle">${label}</text>`,
    );
  }
  if (options.yLabel) {
    const cy = margin.top + plotH / 2;
    parts.push(
      `<text x="14" y="${cy}" text-anchor="middle" transform="rotate(-90 14 ${cy})">${escapeXml(options.yLabel)}</text>`,
    );
  }
  parts.push(
    `<line x1="${margin.left}" x2="${margin.left}" y1="${margin.top}" y2="${margin.top + plotH}" stroke="#333"/>`,
    `<line x1="${margin.left}" x2="${width - margin.right}" y1="${margin.top + plotH}" y2="${margin.top + plotH}" stroke="#333"/>`,
    `<text x="${margin.left}" y="${height - 10}">${formatX(x0)}</text>`,
    `<text x="${width - margin.right}" y="${height - 10}" text-anchor="end">${formatX(x1)}</text>`,
    `<text x="${margin.left + plotW / 2}" y="${height - 10}" text-anchor="middle">${escapeXml(options.xLabel ?? 'epoch')}</text>`,
  );
  entries.forEach(([name, values], k) => {
    const color = PALETTE[k % PALETTE.length];
    const points = values.map((v, i) => `${x(i).toFixed(1)},${y(v).toFixed(1)}`).join(' ');
    const end = values.length - 1;
    parts.push(
      `<polyline fill="none" stroke="${color}" stroke-width="2" points="${points}"/>`,
      // a dot where the series ends: visible even for one point, and where a run stopped early
      `<circle cx="${x(end).toFixed(1)}" cy="${y(values[end]).toFixed(1)}" r="3" fill="${color}"/>`,
      `<text x="${width - margin.right - 4}" y="${margin.top + 14 + 16 * k}" text-anchor="end" fill="${color}">${escapeXml(name)}</text>`,
    );
  });
  parts.push('</svg>');
  return parts.join('\n');
}

function formatX(v: number): string {
  return Number.isInteger(v) ? String(v) : v.toFixed(1);
}

/**
 * Five even ticks on a linear axis. On a log axis (`lo`, `hi` in log10): the powers of ten
 * inside (at most about eight), with 2× and 5× between them when fewer than three fit.
 */
function axisTicks(lo: number, hi: number, log: boolean): number[] {
  if (!log) return Array.from({ length: 6 }, (_, t) => lo + ((hi - lo) * t) / 5);
  const first = Math.floor(lo);
  const last = Math.ceil(hi);
  const stride = Math.max(1, Math.ceil((last - first + 1) / 8));
  const multiples = last - first < 3 ? [1, 2, 5] : [1];
  const ticks: number[] = [];
  for (let e = first; e <= last; e += stride) {
    for (const m of multiples) {
      const v = m * 10 ** e;
      const l = Math.log10(v);
      if (l >= lo - 1e-9 && l <= hi + 1e-9) ticks.push(v);
    }
  }
  return ticks.length > 0 ? ticks : [10 ** lo, 10 ** hi];
}

function formatTick(v: number): string {
  return Math.abs(v) >= 100 || (Math.abs(v) < 0.01 && v !== 0) ? v.toExponential(1) : v.toFixed(3);
}

/** `0.01`, `20`, `5000` between 1e-3 and 1e4; `1e-9`, `2e+5` beyond. */
function formatLogTick(v: number): string {
  if (v >= 1e-3 && v < 1e4) return String(Number(v.toPrecision(1)));
  return v.toExponential(0);
}

function escapeXml(s: string): string {
  return s.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
