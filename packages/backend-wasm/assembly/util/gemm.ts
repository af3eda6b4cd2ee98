// Register-tiled f32x4 matrix product C = op(A) op(B) (+ C).
//
// Operands are described by strides so that transposes cost nothing: element (i, k) of op(A)
// sits at a + 4 * (i * sam + k * sak) and element (k, j) of op(B) at b + 4 * (k * sbk + j * sbn).
// Both operands are packed (GotoBLAS style) into zero-padded blocks, A into blocks of MR = 2
// rows laid out [k][2], B into panels of NR = 16 columns laid out [k][16], so the 2x16
// micro-kernel reads both sequentially and odd sizes need no special inner loops: the padding
// lanes compute zeros that are never stored. The depth is split into chunks of KC so a B panel
// stays in L1.
//
// Why 2x16: per depth it loads four B vectors (immediate offsets, one instruction each) and
// broadcasts two A values, for sixteen multiplies and adds into eight accumulators. A 4x8 tile
// has the same arithmetic but four broadcasts, three of which V8 emits with an extra address
// computation; on the development machine (x64, no FMA in wasm SIMD) 2x16 ran at 46-52 GFLOP/s
// on one thread where 4x8 ran at 40-43, across M = 4..128, N = 512..1024, K = 64..256. Larger
// tiles need more than the 16 vector registers and spill.
import { scratch } from '../memory';

export const MR: i32 = 2;
export const NR: i32 = 16;
export const KC: i32 = 256;
export const MC: i32 = 128;

/** Panels of NR columns covering N columns. */
// @ts-ignore: decorator
@inline export function panelsOf(N: i32): i32 {
  return (N + NR - 1) / NR;
}

/** Bytes of `kc` depths of `panels` packed B panels. */
// @ts-ignore: decorator
@inline export function panelBytes(kc: i32, panels: i32): usize {
  return <usize>(kc * panels * NR) << 2;
}

/** Packs rows [i0, i0 + mc) and depth [k0, k0 + kc) of op(A) into zero-padded 2-row blocks. */
export function packA(
  a: usize, sam: i32, sak: i32, i0: i32, mc: i32, k0: i32, kc: i32, dst: usize,
): void {
  const blocks = (mc + 1) >> 1;
  if (sam == 1) {
    // Transposed A: two consecutive rows of one depth are contiguous.
    for (let ib = 0; ib < blocks; ib++) {
      const out = dst + (<usize>(ib * kc) << 3);
      const base = a + (<usize>(i0 + ib * 2) << 2);
      if (mc - ib * 2 >= 2) {
        for (let k = 0; k < kc; k++) {
          store<u64>(out + (<usize>k << 3), load<u64>(base + (<usize>((k0 + k) * sak) << 2)));
        }
      } else {
        for (let k = 0; k < kc; k++) {
          const o = out + (<usize>k << 3);
          store<f32>(o, load<f32>(base + (<usize>((k0 + k) * sak) << 2)));
          store<f32>(o, 0, 4);
        }
      }
    }
    return;
  }
  for (let ib = 0; ib < blocks; ib++) {
    const out = dst + (<usize>(ib * kc) << 3);
    let k4 = 0;
    if (sak == 1 && mc - ib * 2 >= 2) {
      // Row-major A: interleave four depths of the two rows in registers.
      const r0 = a + (<usize>((i0 + ib * 2) * sam + k0) << 2);
      const r1 = r0 + (<usize>sam << 2);
      for (; k4 + 4 <= kc; k4 += 4) {
        const at = <usize>k4 << 2;
        const x0 = v128.load(r0 + at);
        const x1 = v128.load(r1 + at);
        const o = out + (<usize>k4 << 3);
        v128.store(o, i32x4.shuffle(x0, x1, 0, 4, 1, 5));
        v128.store(o, i32x4.shuffle(x0, x1, 2, 6, 3, 7), 16);
      }
    }
    for (let r = 0; r < 2; r++) {
      const i = ib * 2 + r;
      const o = out + (<usize>r << 2);
      if (i < mc) {
        const src = a + (<usize>((i0 + i) * sam + k0 * sak) << 2);
        for (let k = k4; k < kc; k++) {
          store<f32>(o + (<usize>k << 3), load<f32>(src + (<usize>(k * sak) << 2)));
        }
      } else {
        for (let k = 0; k < kc; k++) store<f32>(o + (<usize>k << 3), 0);
      }
    }
  }
}

/** Packs depth [k0, k0 + kc) of all N columns of op(B) into zero-padded 16-column panels. */
export function packB(
  b: usize, sbk: i32, sbn: i32, k0: i32, kc: i32, N: i32, dst: usize,
): void {
  const panels = panelsOf(N);
  if (sbn == 1) {
    for (let jp = 0; jp < panels; jp++) {
      const cols = min(NR, N - jp * NR);
      const out = dst + panelBytes(kc, jp);
      const base = b + (<usize>(jp * NR + k0 * sbk) << 2);
      if (cols == NR) {
        for (let k = 0; k < kc; k++) {
          const src = base + (<usize>(k * sbk) << 2);
          const o = out + (<usize>k << 6);
          v128.store(o, v128.load(src));
          v128.store(o, v128.load(src, 16), 16);
          v128.store(o, v128.load(src, 32), 32);
          v128.store(o, v128.load(src, 48), 48);
        }
      } else {
        for (let k = 0; k < kc; k++) {
          const src = base + (<usize>(k * sbk) << 2);
          const o = out + (<usize>k << 6);
          for (let c = 0; c < NR; c++) {
            store<f32>(o + (<usize>c << 2), c < cols ? load<f32>(src + (<usize>c << 2)) : 0);
          }
        }
      }
    }
    return;
  }
  for (let jp = 0; jp < panels; jp++) {
    const out = dst + panelBytes(kc, jp);
    for (let c = 0; c < NR; c++) {
      const j = jp * NR + c;
      const o = out + (<usize>c << 2);
      if (j < N) {
        const src = b + (<usize>(j * sbn + k0 * sbk) << 2);
        if (sbk == 1) {
          for (let k = 0; k < kc; k++) store<f32>(o + (<usize>k << 6), load<f32>(src + (<usize>k << 2)));
        } else {
          for (let k = 0; k < kc; k++) {
            store<f32>(o + (<usize>k << 6), load<f32>(src + (<usize>(k * sbk) << 2)));
          }
        }
      } else {
        for (let k = 0; k < kc; k++) store<f32>(o + (<usize>k << 6), 0);
      }
    }
  }
}

// @ts-ignore: decorator
@inline function storeRow(
  p: usize, v0: v128, v1: v128, v2: v128, v3: v128, cols: i32, acc: bool,
): void {
  if (cols == NR) {
    if (acc) {
      v0 = f32x4.add(v0, v128.load(p));
      v1 = f32x4.add(v1, v128.load(p, 16));
      v2 = f32x4.add(v2, v128.load(p, 32));
      v3 = f32x4.add(v3, v128.load(p, 48));
    }
    v128.store(p, v0);
    v128.store(p, v1, 16);
    v128.store(p, v2, 32);
    v128.store(p, v3, 48);
    return;
  }
  storePartial(p, v0, v1, v2, v3, cols, acc);
}

/** The first `cols` (< 16) lanes of v0..v3 to p (added to what is there when `acc`). */
function storePartial(
  p: usize, v0: v128, v1: v128, v2: v128, v3: v128, cols: i32, acc: bool,
): void {
  while (cols >= 4) {
    if (acc) v0 = f32x4.add(v0, v128.load(p));
    v128.store(p, v0);
    p += 16;
    cols -= 4;
    v0 = v1;
    v1 = v2;
    v2 = v3;
  }
  if (cols == 0) return;
  let x = f32x4.extract_lane(v0, 0);
  if (acc) x += load<f32>(p);
  store<f32>(p, x);
  if (cols == 1) return;
  x = f32x4.extract_lane(v0, 1);
  if (acc) x += load<f32>(p, 4);
  store<f32>(p, x, 4);
  if (cols == 2) return;
  x = f32x4.extract_lane(v0, 2);
  if (acc) x += load<f32>(p, 8);
  store<f32>(p, x, 8);
}

/**
 * The 2x16 micro-kernel: C[rows, cols] (+)= packedA(2 x kc) packedB(kc x 16), eight f32x4
 * accumulators held in registers for the whole depth.
 */
export function kernel2x16(
  pa: usize, pb: usize, kc: i32, c: usize, ldc: i32, rows: i32, cols: i32, acc: bool,
): void {
  let c00 = f32x4.splat(0);
  let c01 = c00;
  let c02 = c00;
  let c03 = c00;
  let c10 = c00;
  let c11 = c00;
  let c12 = c00;
  let c13 = c00;
  const end = pa + (<usize>kc << 3);
  while (pa < end) {
    const b0 = v128.load(pb);
    const b1 = v128.load(pb, 16);
    const b2 = v128.load(pb, 32);
    const b3 = v128.load(pb, 48);
    let a = v128.load32_splat(pa);
    c00 = f32x4.add(c00, f32x4.mul(a, b0));
    c01 = f32x4.add(c01, f32x4.mul(a, b1));
    c02 = f32x4.add(c02, f32x4.mul(a, b2));
    c03 = f32x4.add(c03, f32x4.mul(a, b3));
    a = v128.load32_splat(pa, 4);
    c10 = f32x4.add(c10, f32x4.mul(a, b0));
    c11 = f32x4.add(c11, f32x4.mul(a, b1));
    c12 = f32x4.add(c12, f32x4.mul(a, b2));
    c13 = f32x4.add(c13, f32x4.mul(a, b3));
    pa += 8;
    pb += 64;
  }
  storeRow(c, c00, c01, c02, c03, cols, acc);
  if (rows == 1) return;
  storeRow(c + (<usize>ldc << 2), c10, c11, c12, c13, cols, acc);
}

/**
 * C block [mc, N] (+)= packedA [mc, kc] packedB [kc, N], for column panels [jp0, jp1).
 * Panels outer, row blocks inner: one B panel stays in L1 while the packed A block streams.
 */
export function macroKernel(
  pa: usize, pb: usize, mc: i32, N: i32, kc: i32, c: usize, ldc: i32, acc: bool,
  jp0: i32, jp1: i32,
): void {
  const blocks = (mc + 1) >> 1;
  for (let jp = jp0; jp < jp1; jp++) {
    const cols = min(NR, N - jp * NR);
    const pbp = pb + panelBytes(kc, jp);
    const cp = c + (<usize>(jp * NR) << 2);
    for (let ib = 0; ib < blocks; ib++) {
      kernel2x16(
        pa + (<usize>(ib * kc) << 3),
        pbp,
        kc,
        cp + (<usize>(ib * 2 * ldc) << 2),
        ldc,
        min(2, mc - ib * 2),
        cols,
        acc,
      );
    }
  }
}

/** Fills rows x cols of C (row stride ldc) with zeros. */
export function zeroMatrix(c: usize, rows: i32, cols: i32, ldc: i32): void {
  for (let i = 0; i < rows; i++) memory.fill(c + (<usize>(i * ldc) << 2), 0, <usize>cols << 2);
}

/**
 * General product C[M, N] = op(A) op(B), or C += op(A) op(B) when `accumulate`.
 * C has row stride `ldc` (elements) and unit column stride.
 */
export function gemm(
  M: i32, N: i32, K: i32,
  a: usize, sam: i32, sak: i32,
  b: usize, sbk: i32, sbn: i32,
  c: usize, ldc: i32, accumulate: bool,
): void {
  if (M <= 0 || N <= 0) return;
  if (K <= 0) {
    if (!accumulate) zeroMatrix(c, M, N, ldc);
    return;
  }
  const panels = panelsOf(N);
  const kcMax = min(K, KC);
  const pb = scratch(1, panelBytes(kcMax, panels));
  const pa = scratch(0, <usize>(min(M + MR - 1, MC) * kcMax) << 2);
  for (let k0 = 0; k0 < K; k0 += KC) {
    const kc = min(KC, K - k0);
    packB(b, sbk, sbn, k0, kc, N, pb);
    const acc = accumulate || k0 > 0;
    for (let i0 = 0; i0 < M; i0 += MC) {
      const mc = min(MC, M - i0);
      packA(a, sam, sak, i0, mc, k0, kc, pa);
      macroKernel(pa, pb, mc, N, kc, c + (<usize>(i0 * ldc) << 2), ldc, acc, 0, panels);
    }
  }
}

/** Bytes needed by {@link packBAll} for a K x N operand. */
export function packedBBytes(K: i32, N: i32): usize {
  return panelBytes(K, panelsOf(N));
}

/** Packs all of op(B) [K, N], chunk after chunk of KC depths, for repeated products. */
export function packBAll(b: usize, sbk: i32, sbn: i32, K: i32, N: i32, dst: usize): void {
  const panels = panelsOf(N);
  for (let k0 = 0; k0 < K; k0 += KC) {
    packB(b, sbk, sbn, k0, min(KC, K - k0), N, dst + panelBytes(k0, panels));
  }
}

/**
 * C[M, N] (+)= op(A) B where B was packed by {@link packBAll}; `pa` is scratch of at least
 * min(M + MR - 1, MC) * min(K, KC) floats.
 */
export function gemmPacked(
  M: i32, N: i32, K: i32,
  a: usize, sam: i32, sak: i32,
  pbAll: usize, c: usize, ldc: i32, accumulate: bool, pa: usize,
): void {
  if (M <= 0 || N <= 0) return;
  if (K <= 0) {
    if (!accumulate) zeroMatrix(c, M, N, ldc);
    return;
  }
  const panels = panelsOf(N);
  for (let k0 = 0; k0 < K; k0 += KC) {
    const kc = min(KC, K - k0);
    const pb = pbAll + panelBytes(k0, panels);
    const acc = accumulate || k0 > 0;
    for (let i0 = 0; i0 < M; i0 += MC) {
      const mc = min(MC, M - i0);
      packA(a, sam, sak, i0, mc, k0, kc, pa);
      macroKernel(pa, pb, mc, N, kc, c + (<usize>(i0 * ldc) << 2), ldc, acc, 0, panels);
    }
  }
}
