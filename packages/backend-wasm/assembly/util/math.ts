// Vectorised transcendental functions on f32x4 (Cephes-style range reduction and minimax
// polynomials, about 1-2 ulp), with scalar wrappers that share the same code so the scalar
// tails of a loop agree with its vector body.

// @ts-ignore: decorator
@inline const LOG2E: f32 = 1.44269504088896341;
// @ts-ignore: decorator
@inline const LN2_HI: f32 = 0.693359375;
// @ts-ignore: decorator
@inline const LN2_LO: f32 = -2.12194440e-4;
// @ts-ignore: decorator
@inline const ROUND_MAGIC: f32 = 12582912.0;
// @ts-ignore: decorator
@inline const ROUND_MAGIC_BITS: i32 = 0x4b400000;

/** e^x per lane; overflows to +Infinity above 88.7228, underflows smoothly to 0, keeps NaN. */
// @ts-ignore: decorator
@inline export function expV(x: v128): v128 {
  const big = f32x4.gt(x, f32x4.splat(88.72283));
  // pmin/pmax (one instruction each; wasm's min/max cost eight on x64 for their NaN and -0
  // rules) clamp alike here: a NaN lane stays the NaN (their first operand), and -0 is not
  // reordered against the nonzero bounds.
  let xc = f32x4.pmin(x, f32x4.splat(88.72283));
  xc = f32x4.pmax(xc, f32x4.splat(-104.0));
  // n = roundeven(xc * log2(e)) and its integer bits by adding 1.5 * 2^23: the sum lands in
  // [2^23, 2^24), where float32 steps are 1, so it rounds to even exactly as `nearest` does (the
  // magic number is even), and its bits minus the magic's are n as an i32 (cheaper than `nearest`
  // then `trunc_sat`, which V8 expands to six instructions).
  const t = f32x4.add(f32x4.mul(xc, f32x4.splat(LOG2E)), f32x4.splat(ROUND_MAGIC));
  const n = f32x4.sub(t, f32x4.splat(ROUND_MAGIC));
  let r = f32x4.sub(xc, f32x4.mul(n, f32x4.splat(LN2_HI)));
  r = f32x4.sub(r, f32x4.mul(n, f32x4.splat(LN2_LO)));
  const z = f32x4.mul(r, r);
  let p = f32x4.splat(1.9875691500e-4);
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.3981999507e-3));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(8.3334519073e-3));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(4.1665795894e-2));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.6666665459e-1));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(5.0000001201e-1));
  p = f32x4.add(f32x4.add(f32x4.mul(p, z), r), f32x4.splat(1.0));
  // Scale by 2^n in two halves so neither factor leaves the normal exponent range.
  const ni = i32x4.sub(t, i32x4.splat(ROUND_MAGIC_BITS));
  const n1 = i32x4.shr_s(ni, 1);
  const n2 = i32x4.sub(ni, n1);
  const bias = i32x4.splat(127);
  p = f32x4.mul(p, i32x4.shl(i32x4.add(n1, bias), 23));
  p = f32x4.mul(p, i32x4.shl(i32x4.add(n2, bias), 23));
  return v128.bitselect(f32x4.splat(Infinity), p, big);
}

/** Logistic sigmoid 1 / (1 + e^-x) per lane. */
// @ts-ignore: decorator
@inline export function sigmoidV(x: v128): v128 {
  const one = f32x4.splat(1.0);
  return f32x4.div(one, f32x4.add(one, expV(f32x4.neg(x))));
}

/** tanh per lane: an odd polynomial near 0, 1 - 2 / (e^{2|x|} + 1) elsewhere. */
// @ts-ignore: decorator
@inline export function tanhV(x: v128): v128 {
  const sign = v128.and(x, i32x4.splat(0x80000000));
  const ax = f32x4.abs(x);
  const one = f32x4.splat(1.0);
  const e = expV(f32x4.add(ax, ax));
  const far = f32x4.sub(one, f32x4.div(f32x4.splat(2.0), f32x4.add(e, one)));
  const z = f32x4.mul(x, x);
  let p = f32x4.splat(-5.70498872745e-3);
  p = f32x4.add(f32x4.mul(p, z), f32x4.splat(2.06390887954e-2));
  p = f32x4.add(f32x4.mul(p, z), f32x4.splat(-5.37397155531e-2));
  p = f32x4.add(f32x4.mul(p, z), f32x4.splat(1.33314422036e-1));
  p = f32x4.add(f32x4.mul(p, z), f32x4.splat(-3.33332819422e-1));
  const near = f32x4.add(f32x4.mul(f32x4.mul(p, z), x), x);
  const farSigned = v128.or(far, sign);
  return v128.bitselect(near, farSigned, f32x4.lt(ax, f32x4.splat(0.625)));
}

/** Scalar e^x through the vector code. */
export function expS(x: f32): f32 {
  return f32x4.extract_lane(expV(f32x4.splat(x)), 0);
}

/** Scalar sigmoid through the vector code. */
export function sigmoidS(x: f32): f32 {
  return f32x4.extract_lane(sigmoidV(f32x4.splat(x)), 0);
}

/** Scalar tanh through the vector code. */
export function tanhS(x: f32): f32 {
  return f32x4.extract_lane(tanhV(f32x4.splat(x)), 0);
}

/** JavaScript's ToInt32: truncate toward zero, wrap modulo 2^32, NaN and infinities give 0. */
export function toInt32(x: f64): i32 {
  if (!isFinite(x)) return 0;
  const t = Math.trunc(x);
  if (t >= -2147483648.0 && t <= 2147483647.0) return <i32>t;
  const m = t % 4294967296.0;
  return <i32>(<i64>m);
}
