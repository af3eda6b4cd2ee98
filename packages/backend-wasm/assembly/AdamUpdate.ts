// The AdamUpdate kernel: one fused Adam/AdamW step over float32 storage, in f32x4 lanes with a
// scalar tail. Every operation is a correctly rounded f32 operation in the catalogue's order
// (see AdamUpdate in packages/core/src/kernel_names.ts); the tail computes one lane of the same
// vector expression, so each element gets the same result wherever it falls.

// @ts-ignore: decorator
@inline function adamLanes(
  pv: v128, gv: v128, mv: v128, vv: v128,
  pOut: usize, mOut: usize, vOut: usize, o: usize, tail: bool,
  beta1: v128, omb1: v128, beta2: v128, omb2: v128, eps: v128, sqrtBc2: v128, stepSize: v128,
  l2: v128, decay: v128, useL2: bool, useDecay: bool,
): void {
  let p = pv;
  let g = gv;
  if (useDecay) p = f32x4.mul(p, decay);
  if (useL2) g = f32x4.add(g, f32x4.mul(p, l2));
  const m = f32x4.add(f32x4.mul(mv, beta1), f32x4.mul(g, omb1));
  const v = f32x4.add(f32x4.mul(vv, beta2), f32x4.mul(f32x4.mul(g, g), omb2));
  const denom = f32x4.add(f32x4.div(f32x4.sqrt(v), sqrtBc2), eps);
  const next = f32x4.sub(p, f32x4.mul(f32x4.div(m, denom), stepSize));
  if (tail) {
    store<f32>(pOut + o, f32x4.extract_lane(next, 0));
    store<f32>(mOut + o, f32x4.extract_lane(m, 0));
    store<f32>(vOut + o, f32x4.extract_lane(v, 0));
  } else {
    v128.store(pOut + o, next);
    v128.store(mOut + o, m);
    v128.store(vOut + o, v);
  }
}

/**
 * One Adam/AdamW step over `n` float32 elements: reads p, g, m, v and writes the new parameter
 * and moments to pOut, mOut, vOut (distinct from the inputs). The scalars are core's
 * `adamCoefficients`: the decay factor `decay` applies when it is not 1, the L2 term `l2` when it
 * is not 0.
 */
export function adamUpdate(
  p: usize, g: usize, m: usize, v: usize, n: i32,
  pOut: usize, mOut: usize, vOut: usize,
  beta1: f32, oneMinusBeta1: f32, beta2: f32, oneMinusBeta2: f32, eps: f32,
  sqrtBc2: f32, stepSize: f32, l2: f32, decay: f32,
): void {
  const b1 = f32x4.splat(beta1);
  const omb1 = f32x4.splat(oneMinusBeta1);
  const b2 = f32x4.splat(beta2);
  const omb2 = f32x4.splat(oneMinusBeta2);
  const e = f32x4.splat(eps);
  const c2 = f32x4.splat(sqrtBc2);
  const s = f32x4.splat(stepSize);
  const l = f32x4.splat(l2);
  const d = f32x4.splat(decay);
  const useL2 = l2 != 0;
  const useDecay = decay != 1;
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    adamLanes(
      v128.load(p + o), v128.load(g + o), v128.load(m + o), v128.load(v + o),
      pOut, mOut, vOut, o, false,
      b1, omb1, b2, omb2, e, c2, s, l, d, useL2, useDecay,
    );
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    adamLanes(
      f32x4.splat(load<f32>(p + o)), f32x4.splat(load<f32>(g + o)),
      f32x4.splat(load<f32>(m + o)), f32x4.splat(load<f32>(v + o)),
      pOut, mOut, vOut, o, true,
      b1, omb1, b2, omb2, e, c2, s, l, d, useL2, useDecay,
    );
  }
}
