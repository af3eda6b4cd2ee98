// Register-tiled f32x4 matrix product C = op(A) op(B) (+ C).
//
// Operands are described by strides so that transposes cost nothing: element (i, k) of op(A)
// sits at a + 4 * (i * sam + k * sak) and element (k, j) of op(B) at b + 4 * (k * sbk + j * sbn).
// Both operands are packed (GotoBLAS style) into zero-padded blocks, A into blocks of MR = 4
// rows laid out [k][4], B into panels of NR = 8 columns laid out [k][8], so the 4x8 micro-kernel
// reads both sequentially and odd sizes need no special inner loops: the padding lanes compute
// zeros that are never stored. The depth is split into chunks of KC so a B panel stays in L1.
import { scratch } from '../memory';

export const MR: i32 = 4;
export const NR: i32 = 8;
export const KC: i32 = 256;
export const MC: i32 = 128;

/** Packs rows [i0, i0 + mc) and depth [k0, k0 + kc) of op(A) into zero-padded 4-row blocks. */
export function packA(
  a: usize, sam: i32, sak: i32, i0: i32, mc: i32, k0: i32, kc: i32, dst: usize,
): void {
  const blocks = (mc + 3) >> 2;
  if (sam == 1) {
    // Transposed A: four consecutive rows of one depth are contiguous.
    for (let ib = 0; ib < blocks; ib++) {
      const rows = min(4, mc - ib * 4);
      const out = dst + (<usize>(ib * kc) << 4);
      const base = a + (<usize>(i0 + ib * 4) << 2);
      if (rows == 4) {
        for (let k = 0; k < kc; k++) {
          v128.store(out + (<usize>k << 4), v128.load(base + (<usize>((k0 + k) * sak) << 2)));
        }
      } else {
        for (let k = 0; k < kc; k++) {
          const src = base + (<usize>((k0 + k) * sak) << 2);
          const o = out + (<usize>k << 4);
          for (let r = 0; r < 4; r++) {
            store<f32>(o + (<usize>r << 2), r < rows ? load<f32>(src + (<usize>r << 2)) : 0);
          }
        }
      }
    }
    return;
  }
  for (let ib = 0; ib < blocks; ib++) {
    const out = dst + (<usize>(ib * kc) << 4);
    let k4 = 0;
    if (sak == 1 && mc - ib * 4 >= 4) {
      // Row-major A: transpose 4 x 4 tiles (four rows, four depths) in registers.
      const r0 = a + (<usize>((i0 + ib * 4) * sam + k0) << 2);
      const r1 = r0 + (<usize>sam << 2);
      const r2 = r1 + (<usize>sam << 2);
      const r3 = r2 + (<usize>sam << 2);
      for (; k4 + 4 <= kc; k4 += 4) {
        const at = <usize>k4 << 2;
        const x0 = v128.load(r0 + at);
        const x1 = v128.load(r1 + at);
        const x2 = v128.load(r2 + at);
        const x3 = v128.load(r3 + at);
        const t0 = i32x4.shuffle(x0, x1, 0, 4, 1, 5);
        const t1 = i32x4.shuffle(x0, x1, 2, 6, 3, 7);
        const t2 = i32x4.shuffle(x2, x3, 0, 4, 1, 5);
        const t3 = i32x4.shuffle(x2, x3, 2, 6, 3, 7);
        const o = out + (<usize>k4 << 4);
        v128.store(o, i32x4.shuffle(t0, t2, 0, 1, 4, 5));
        v128.store(o, i32x4.shuffle(t0, t2, 2, 3, 6, 7), 16);
        v128.store(o, i32x4.shuffle(t1, t3, 0, 1, 4, 5), 32);
        v128.store(o, i32x4.shuffle(t1, t3, 2, 3, 6, 7), 48);
      }
    }
    for (let r = 0; r < 4; r++) {
      const i = ib * 4 + r;
      const o = out + (<usize>r << 2);
      if (i < mc) {
        const src = a + (<usize>((i0 + i) * sam + k0 * sak) << 2);
        if (sak == 1) {
          for (let k = k4; k < kc; k++) store<f32>(o + (<usize>k << 4), load<f32>(src + (<usize>k << 2)));
        } else {
          for (let k = 0; k < kc; k++) {
            store<f32>(o + (<usize>k << 4), load<f32>(src + (<usize>(k * sak) << 2)));
          }
        }
      } else {
        for (let k = 0; k < kc; k++) store<f32>(o + (<usize>k << 4), 0);
      }
    }
  }
}

/** Packs depth [k0, k0 + kc) of all N columns of op(B) into zero-padded 8-column panels. */
export function packB(
  b: usize, sbk: i32, sbn: i32, k0: i32, kc: i32, N: i32, dst: usize,
): void {
  const panels = (N + 7) >> 3;
  if (sbn == 1) {
    for (let jp = 0; jp < panels; jp++) {
      const cols = min(8, N - jp * 8);
      const out = dst + (<usize>(jp * kc) << 5);
      const base = b + (<usize>(jp * 8 + k0 * sbk) << 2);
      if (cols == 8) {
        for (let k = 0; k < kc; k++) {
          const src = base + (<usize>(k * sbk) << 2);
          const o = out + (<usize>k << 5);
          v128.store(o, v128.load(src));
          v128.store(o, v128.load(src, 16), 16);
        }
      } else {
        for (let k = 0; k < kc; k++) {
          const src = base + (<usize>(k * sbk) << 2);
          const o = out + (<usize>k << 5);
          for (let c = 0; c < 8; c++) {
            store<f32>(o + (<usize>c << 2), c < cols ? load<f32>(src + (<usize>c << 2)) : 0);
          }
        }
      }
    }
    return;
  }
  for (let jp = 0; jp < panels; jp++) {
    const out = dst + (<usize>(jp * kc) << 5);
    for (let c = 0; c < 8; c++) {
      const j = jp * 8 + c;
      const o = out + (<usize>c << 2);
      if (j < N) {
        const src = b + (<usize>(j * sbn + k0 * sbk) << 2);
        if (sbk == 1) {
          for (let k = 0; k < kc; k++) store<f32>(o + (<usize>k << 5), load<f32>(src + (<usize>k << 2)));
        } else {
          for (let k = 0; k < kc; k++) {
            store<f32>(o + (<usize>k << 5), load<f32>(src + (<usize>(k * sbk) << 2)));
          }
        }
      } else {
        for (let k = 0; k < kc; k++) store<f32>(o + (<usize>k << 5), 0);
      }
    }
  }
}

// @ts-ignore: decorator
@inline function storeRow(p: usize, v0: v128, v1: v128, cols: i32, acc: bool): void {
  if (cols == 8) {
    if (acc) {
      v0 = f32x4.add(v0, v128.load(p));
      v1 = f32x4.add(v1, v128.load(p, 16));
    }
    v128.store(p, v0);
    v128.store(p, v1, 16);
    return;
  }
  storePartial(p, v0, v1, cols, acc);
}

function storePartial(p: usize, v0: v128, v1: v128, cols: i32, acc: bool): void {
  if (cols >= 4) {
    if (acc) v0 = f32x4.add(v0, v128.load(p));
    v128.store(p, v0);
    p += 16;
    cols -= 4;
    v0 = v1;
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
 * The 4x8 micro-kernel: C[rows, cols] (+)= packedA(4 x kc) packedB(kc x 8), eight f32x4
 * accumulators held in registers for the whole depth.
 */
export function kernel4x8(
  pa: usize, pb: usize, kc: i32, c: usize, ldc: i32, rows: i32, cols: i32, acc: bool,
): void {
  let c00 = f32x4.splat(0);
  let c01 = c00;
  let c10 = c00;
  let c11 = c00;
  let c20 = c00;
  let c21 = c00;
  let c30 = c00;
  let c31 = c00;
  const end = pa + (<usize>kc << 4);
  while (pa < end) {
    const b0 = v128.load(pb);
    const b1 = v128.load(pb, 16);
    let a = v128.load32_splat(pa);
    c00 = f32x4.add(c00, f32x4.mul(a, b0));
    c01 = f32x4.add(c01, f32x4.mul(a, b1));
    a = v128.load32_splat(pa, 4);
    c10 = f32x4.add(c10, f32x4.mul(a, b0));
    c11 = f32x4.add(c11, f32x4.mul(a, b1));
    a = v128.load32_splat(pa, 8);
    c20 = f32x4.add(c20, f32x4.mul(a, b0));
    c21 = f32x4.add(c21, f32x4.mul(a, b1));
    a = v128.load32_splat(pa, 12);
    c30 = f32x4.add(c30, f32x4.mul(a, b0));
    c31 = f32x4.add(c31, f32x4.mul(a, b1));
    pa += 16;
    pb += 32;
  }
  const row = <usize>ldc << 2;
  storeRow(c, c00, c01, cols, acc);
  if (rows == 1) return;
  storeRow(c + row, c10, c11, cols, acc);
  if (rows == 2) return;
  storeRow(c + 2 * row, c20, c21, cols, acc);
  if (rows == 3) return;
  storeRow(c + 3 * row, c30, c31, cols, acc);
}

/**
 * C block [mc, N] (+)= packedA [mc, kc] packedB [kc, N], for column panels [jp0, jp1).
 * Panels outer, row blocks inner: one B panel stays in L1 while the packed A block streams.
 */
export function macroKernel(
  pa: usize, pb: usize, mc: i32, N: i32, kc: i32, c: usize, ldc: i32, acc: bool,
  jp0: i32, jp1: i32,
): void {
  const blocks = (mc + 3) >> 2;
  for (let jp = jp0; jp < jp1; jp++) {
    const cols = min(8, N - jp * 8);
    const pbp = pb + (<usize>(jp * kc) << 5);
    const cp = c + (<usize>(jp * 8) << 2);
    for (let ib = 0; ib < blocks; ib++) {
      kernel4x8(
        pa + (<usize>(ib * kc) << 4),
        pbp,
        kc,
        cp + (<usize>(ib * 4 * ldc) << 2),
        ldc,
        min(4, mc - ib * 4),
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
  const panels = (N + 7) >> 3;
  const kcMax = min(K, KC);
  const pb = scratch(1, <usize>(kcMax * panels) << 5);
  const pa = scratch(0, <usize>(min(M + 3, MC) * kcMax) << 2);
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
  return <usize>(K * ((N + 7) >> 3)) << 5;
}

/** Packs all of op(B) [K, N], chunk after chunk of KC depths, for repeated products. */
export function packBAll(b: usize, sbk: i32, sbn: i32, K: i32, N: i32, dst: usize): void {
  const panels = (N + 7) >> 3;
  for (let k0 = 0; k0 < K; k0 += KC) {
    packB(b, sbk, sbn, k0, min(KC, K - k0), N, dst + (<usize>(k0 * panels) << 5));
  }
}

/**
 * C[M, N] (+)= op(A) B where B was packed by {@link packBAll}; `pa` is scratch of at least
 * min(M + 3, MC) * min(K, KC) floats.
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
  const panels = (N + 7) >> 3;
  for (let k0 = 0; k0 < K; k0 += KC) {
    const kc = min(KC, K - k0);
    const pb = pbAll + (<usize>(k0 * panels) << 5);
    const acc = accumulate || k0 > 0;
    for (let i0 = 0; i0 < M; i0 += MC) {
      const mc = min(MC, M - i0);
      packA(a, sam, sak, i0, mc, k0, kc, pa);
      macroKernel(pa, pb, mc, N, kc, c + (<usize>(i0 * ldc) << 2), ldc, acc, 0, panels);
    }
  }
}
