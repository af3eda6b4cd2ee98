/**
 * Helpers that write gpu.js kernel sources. Every kernel of this backend is generated as the
 * text of a JavaScript function in gpu.js's subset, with the shapes of one call baked in as
 * literals (so loops have constant bounds, as WebGL 1 requires), and compiled once per shape.
 *
 * Index arithmetic runs in float32 on the GPU, which represents every integer up to 2^24
 * exactly; {@link unravel} rounds its quotients so that they are exact for every index of a
 * tensor of up to 2^24 elements.
 */

/** Largest number of elements of one tensor (float32 index arithmetic is exact up to here). */
export const MAX_ELEMENTS = 2 ** 24;

/**
 * Helper functions added to every gpu.js instance (gpu.js transpiles them to GLSL, or runs them
 * as JavaScript under its CPU fallback). They implement the functions whose GLSL versions are
 * undefined for some inputs (NaN, negative bases) or inaccurate near zero (gpu.js's WebGL 1
 * `tanh` overflows past 44 and `log1p` is `log(1 + x)`).
 */
export const HELPER_FUNCTIONS: readonly string[] = [
  // tanh: odd Taylor polynomial near 0 (error < 1e-9 there), else from exp(-2|x|) (no overflow).
  `function rkTanh(x) {
    if (x != x) { return x; }
    const ax = Math.abs(x);
    if (ax < 0.0625) {
      const x2 = x * x;
      return x * (1.0 + x2 * (-0.3333333333 + x2 * (0.1333333333 - x2 * 0.05396825397)));
    }
    const e = Math.exp(-2.0 * ax);
    const t = (1.0 - e) / (1.0 + e);
    if (x < 0.0) { return -t; }
    return t;
  }`,
  // Logistic sigmoid; neither branch overflows.
  `function rkSigmoid(x) {
    if (x >= 0.0) { return 1.0 / (1.0 + Math.exp(-x)); }
    const e = Math.exp(x);
    return e / (1.0 + e);
  }`,
  // A NaN made at run time from a variable: GLSL has no NaN literal, and compilers fold the
  // constant 0.0 / 0.0 inconsistently (ANGLE gives FLT_MAX inside functions).
  `function rkNaN(x) {
    const z = x * 0.0;
    return z / z;
  }`,
  // log(1 + x): near 0 as 2 atanh(x / (2 + x)) by its series (no cancellation, error < 1e-8),
  // elsewhere log(1 + x) (1 + x is then exact enough). Tricks that rely on (1 + x) - 1 being
  // evaluated as written do not survive GLSL optimisers.
  `function rkLog1p(x) {
    if (x != x) { return x; }
    if (x < -1.0) { return rkNaN(x); }
    if (x > -0.5 && x < 1.0) {
      const s = x / (2.0 + x);
      const s2 = s * s;
      return 2.0 * s * (1.0 + s2 * (0.3333333333 + s2 * (0.2 + s2 * (0.1428571429 + s2 * (0.1111111111 + s2 * (0.0909090909 + s2 * (0.0769230769 + s2 * 0.0666666667)))))));
    }
    return Math.log(1.0 + x);
  }`,
  // Float to int32 as a typed-array store does it: truncation toward zero, NaN and ±Infinity
  // give 0. (Values beyond ±2^24 are not exact in float32 storage.)
  `function rkToInt(x) {
    if (x != x) { return 0.0; }
    if (Math.abs(x) > 3.0e38) { return 0.0; }
    if (x < 0.0) { return -Math.floor(-x); }
    return Math.floor(x);
  }`,
  // JavaScript's Math.pow: NaN propagation, negative bases (-0 and -Infinity included) with
  // integer exponents.
  `function rkPow(a, b) {
    if (b == 0.0) { return 1.0; }
    if (a != a) { return a; }
    if (b != b) { return b; }
    const aa = Math.abs(a);
    let r = 0.0;
    if (aa == 0.0) {
      if (b < 0.0) { r = 1.0 / aa; }
    } else {
      r = Math.pow(aa, b);
    }
    // The base's sign, -0 included: a < 0 is false for -0, but 1 / -0 is -Infinity.
    let sign = 1.0;
    if (a < 0.0) { sign = -1.0; }
    if (aa == 0.0 && 1.0 / a < 0.0) { sign = -1.0; }
    if (sign < 0.0) {
      // A fractional power of a negative base has no real value, except at -0 and -Infinity
      // where the magnitude's power (0 or Infinity) is the limit.
      if (Math.floor(b) != b) {
        if (aa == 0.0 || aa > 3.4e38) { return r; }
        return rkNaN(a);
      }
      const half = b * 0.5;
      if (Math.floor(half) != half) { return -r; }
    }
    return r;
  }`,
  // Truncating int32 division of exact integers, with the float quotient corrected by one step.
  `function rkIntDiv(a, b) {
    if (b == 0.0) { return 0.0; }
    let q = a / b;
    if (q < 0.0) { q = -Math.floor(-q); } else { q = Math.floor(q); }
    const r = a - q * b;
    if (r != 0.0) {
      const sa = a < 0.0 ? -1.0 : 1.0;
      const sb = b < 0.0 ? -1.0 : 1.0;
      if ((r < 0.0 ? -1.0 : 1.0) != sa) { q = q - sa * sb; }
      else if (Math.abs(r) >= Math.abs(b)) { q = q + sa * sb; }
    }
    return q;
  }`,
];

/**
 * A float literal gpu.js and GLSL both read back as exactly `Math.fround(v)`. Only finite values
 * have literals (GLSL has none for NaN or infinities; kernels take those from textures).
 */
export function lit(v: number): string {
  if (!Number.isFinite(v)) throw new RangeError(`gpujs backend: no GLSL literal for ${v}`);
  const f = Math.fround(v);
  if (f === 0) return '0.0';
  let s = String(f);
  if (!/[.eE]/.test(s)) s = `${s}.0`;
  return f < 0 ? `(${s})` : s;
}

/** An integer literal for index arithmetic (written as a float, which gpu.js keeps as float). */
export function int(v: number): string {
  return `${v}.0`;
}

/**
 * Statements splitting the flat index in variable `index` into coordinates of `shape`
 * (row-major). Returns the code and one expression per axis (`'0.0'` for axes of extent 1).
 * Quotients are computed as `floor((i + 0.5) / d)`, which the half-unit margin keeps exact
 * for indices below 2^21; larger tensors get one correction step, which makes them exact up
 * to 2^24.
 */
export function unravel(
  index: string,
  shape: readonly number[],
  prefix: string,
): { code: string; coords: string[] } {
  const coords = new Array<string>(shape.length).fill('0.0');
  const lines: string[] = [];
  let size = 1;
  for (const d of shape) size *= d;
  const exactMargin = size >= 2 ** 21;
  // Axes of extent 1 take no arithmetic; find the first axis that is not.
  let first = 0;
  while (first < shape.length && shape[first] === 1) first++;
  let rest = index;
  for (let axis = shape.length - 1; axis >= 0; axis--) {
    const d = shape[axis];
    if (d === 1) continue;
    if (axis === first) {
      coords[axis] = rest;
      break;
    }
    const q = `${prefix}q${axis}`;
    const c = `${prefix}c${axis}`;
    lines.push(`let ${q} = Math.floor((${rest} + 0.5) / ${int(d)});`);
    lines.push(`let ${c} = ${rest} - ${q} * ${int(d)};`);
    if (exactMargin) {
      lines.push(`if (${c} < 0.0) { ${q} = ${q} - 1.0; ${c} = ${c} + ${int(d)}; }`);
      lines.push(`if (${c} >= ${int(d)}) { ${q} = ${q} + 1.0; ${c} = ${c} - ${int(d)}; }`);
    }
    coords[axis] = c;
    rest = q;
  }
  return { code: lines.join('\n'), coords };
}

/** `sum_i coords[i] * strides[i]` as an expression, skipping zero strides and zero coordinates. */
export function dotIndex(coords: readonly string[], strides: readonly number[], base = 0): string {
  const terms: string[] = [];
  if (base !== 0) terms.push(int(base));
  for (let i = 0; i < coords.length; i++) {
    if (strides[i] === 0 || coords[i] === '0.0') continue;
    terms.push(strides[i] === 1 ? coords[i] : `${coords[i]} * ${int(strides[i])}`);
  }
  return terms.length === 0 ? '0.0' : terms.join(' + ');
}

/** Wraps a kernel body into gpu.js function source with the given parameter names. */
export function kernelSource(params: readonly string[], body: string): string {
  return `function(${params.join(', ')}) {\nconst i = this.thread.x;\n${body}\n}`;
}
