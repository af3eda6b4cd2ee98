// The MatMul kernel: rank-2 and batched products on the module's register-tiled gemm (assembly/util/gemm.ts).
import type { KernelFunc } from '@rnnkit/core';
import { matMulGeometry } from '@rnnkit/core';
import type { WasmBackend } from '../backend.js';

/**
 * Rank-2 or batched rank-3 product on the register-tiled f32x4 kernel. Transposes are strides
 * (the kernel packs its operands anyway). A right operand with batch 1 and an untransposed left
 * operand fold into one `[batch * M, K] x [K, N]` product.
 */
export const matMul: KernelFunc<'MatMul', WasmBackend> = (
  { a, b },
  { transposeA, transposeB },
  backend,
) => {
  const { m, k, n, batch, aBatch, bBatch, aRows, aCols, bRows, bCols, outShape } = matMulGeometry(
    a.shape,
    b.shape,
    transposeA,
    transposeB,
  );
  const out = backend.output(outShape, a.dtype);
  if (batch * m * n === 0) return { y: out.info };

  const sam = transposeA ? 1 : aCols;
  const sak = transposeA ? aCols : 1;
  const sbk = transposeB ? 1 : bCols;
  const sbn = transposeB ? bCols : 1;
  const pa = backend.ptr(a);
  const pb = backend.ptr(b);
  const wasm = backend.wasm;
  if (bBatch === 1 && !transposeA) {
    wasm.gemm(batch * m, n, k, pa, sam, sak, pb, sbk, sbn, out.ptr, n, 0);
    return { y: out.info };
  }
  const aStride = aBatch === 1 ? 0 : aRows * aCols * 4;
  const bStride = bBatch === 1 ? 0 : bRows * bCols * 4;
  for (let s = 0; s < batch; s++) {
    wasm.gemm(
      m,
      n,
      k,
      pa + s * aStride,
      sam,
      sak,
      pb + s * bStride,
      sbk,
      sbn,
      out.ptr + s * m * n * 4,
      n,
      0,
    );
  }
  return { y: out.info };
};
