/**
 * Kernel cases of `MatMul`: rank 2 over odd sizes and all transposes; rank 3 with batch broadcasting.
 */
import type { Random } from '@rnnkit/core';
import { type HostTensor, shapeText, uniformTensor } from '@rnnkit/testing';
import { oracleMatMul } from '../oracle.js';
import { kernelTolerance } from '../tolerances.js';
import type { CasePush, FloatDType } from './domains.js';

/** Adds the `MatMul` case of `a`·`b`, held to the bound of a `K`-term dot product scaled by `|A|·|B|`. */
export function pushMatMulCase(
  push: CasePush,
  dtype: FloatDType,
  a: HostTensor,
  b: HostTensor,
  tA: boolean,
  tB: boolean,
): void {
  const K = tA ? a.shape[a.shape.length - 2] : a.shape[a.shape.length - 1];
  const attrs = { transposeA: tA, transposeB: tB };
  const tolFor = () => kernelTolerance(dtype, K, 1);
  const scale = () => Math.max(1, ...oracleMatMul(a, b, attrs).absScale);
  push({
    id: `kernel/MatMul/${dtype}/${shapeText(a.shape)}x${shapeText(b.shape)}/tA=${tA},tB=${tB}`,
    kernel: 'MatMul',
    dtypes: [dtype],
    inputs: { a, b },
    attrs,
    oracle: () => ({
      y: { tensor: oracleMatMul(a, b, attrs).y, tolerance: tolFor(), scale: scale() },
    }),
    tolerance: () => ({ y: { tolerance: tolFor(), scale: scale() } }),
  });
}

/** `MatMul` cases of one float dtype. */
export function matMulCases(rng: Random, dtype: FloatDType, push: CasePush): void {
  const dims: [number, number, number][] = [
    [1, 1, 1],
    [3, 17, 1],
    [1, 33, 3],
    [17, 3, 33],
    [33, 17, 17],
    [3, 33, 1],
  ];
  const matmulCase = (
    batchA: number | undefined,
    batchB: number | undefined,
    [M, K, N]: number[],
    tA: boolean,
    tB: boolean,
  ) => {
    const sa = [...(batchA ? [batchA] : []), ...(tA ? [K, M] : [M, K])];
    const sb = [...(batchB ? [batchB] : []), ...(tB ? [N, K] : [K, N])];
    pushMatMulCase(
      push,
      dtype,
      uniformTensor(rng, sa, dtype),
      uniformTensor(rng, sb, dtype),
      tA,
      tB,
    );
  };
  for (const d of dims)
    for (const tA of [false, true])
      for (const tB of [false, true]) matmulCase(undefined, undefined, d, tA, tB);
  for (const [ba, bb] of [
    [3, 3],
    [1, 3],
    [3, 1],
  ]) {
    matmulCase(ba, bb, [17, 3, 33], false, false);
    matmulCase(ba, bb, [3, 33, 17], true, true);
  }
}
