// Generated matrix products (batched, strided operands, optional bias) and column sums, shared by MatMul and the fused recurrence.
import type { GpujsBackend, GpuValue } from '../../backend.js';
import { int, kernelSource, unravel } from '../../codegen.js';

/** Strides (in elements) and offset of one operand of {@link gemm}. */
export interface GemmOperand {
  /** Stride between batches (0 broadcasts one matrix over the batch). */
  batch: number;
  /** Stride along the output-row axis (A) or the output-column axis (B). */
  outer: number;
  /** Stride along the summed axis. */
  k: number;
  /** Offset of element (0, 0, 0). */
  offset?: number;
}

/**
 * A batched matrix product with arbitrary operand strides:
 * `out[b, m, n] = sum_k A[b, m, k] * B[b, k, n] (+ bias[n])`, one thread per output element.
 * Strides let the same kernel read transposed operands, column blocks of wider matrices and
 * row-major `[B*T, features]` sequences without copying.
 */
export interface GemmSpec {
  batch: number;
  M: number;
  N: number;
  K: number;
  a: GemmOperand;
  b: GemmOperand;
  /** Add `bias[n]`. */
  bias?: boolean;
  /** Round the result toward zero (int32 outputs). */
  int?: boolean;
}

function specKey(s: GemmSpec): string {
  const op = (o: GemmOperand) => `${o.batch},${o.outer},${o.k},${o.offset ?? 0}`;
  return `gemm:${s.batch}x${s.M}x${s.N}x${s.K}:a${op(s.a)}:b${op(s.b)}:${s.bias ? 'bias' : ''}:${s.int ? 'int' : ''}`;
}

/** Runs {@link GemmSpec} and returns the `[batch, M, N]` output texture. */
export function gemm(
  backend: GpujsBackend,
  spec: GemmSpec,
  a: GpuValue,
  b: GpuValue,
  bias?: GpuValue,
): GpuValue {
  const { batch, M, N, K } = spec;
  return backend.run(
    specKey(spec),
    batch * M * N,
    () => {
      const { code, coords } = unravel('i', [batch, M, N], 'o');
      const [cb, cm, cn] = coords;
      const base = (o: GemmOperand, outer: string) => {
        const terms = [int(o.offset ?? 0)];
        if (o.batch !== 0 && cb !== '0.0') terms.push(`${cb} * ${int(o.batch)}`);
        if (o.outer !== 0 && outer !== '0.0') terms.push(`${outer} * ${int(o.outer)}`);
        return terms.join(' + ');
      };
      const body = [
        code,
        `const aBase = ${base(spec.a, cm)};`,
        `const bBase = ${base(spec.b, cn)};`,
        'let s = 0.0;',
        `for (let k = 0; k < ${K}; k++) {`,
        `  s = s + a[aBase + k * ${spec.a.k}] * b[bBase + k * ${spec.b.k}];`,
        '}',
        spec.bias ? `s = s + c[${cn}];` : '',
        spec.int ? 'return rkToInt(s);' : 'return s;',
      ].join('\n');
      return kernelSource(spec.bias ? ['a', 'b', 'c'] : ['a', 'b'], body);
    },
    bias ? [a, b, bias] : [a, b],
  );
}

/**
 * Column sums of a row-major matrix block: `out[n] = sum_r X[offset + r*rowStride + n]` for
 * `rows` rows and `cols` columns.
 */
export function columnSums(
  backend: GpujsBackend,
  x: GpuValue,
  rows: number,
  cols: number,
  rowStride: number,
  offset = 0,
): GpuValue {
  return backend.run(
    `colsum:${rows}x${cols}:${rowStride}:${offset}`,
    cols,
    () =>
      kernelSource(
        ['a'],
        [
          'let s = 0.0;',
          `for (let r = 0; r < ${rows}; r++) {`,
          `  s = s + a[i + ${int(offset)} + r * ${rowStride}];`,
          '}',
          'return s;',
        ].join('\n'),
      ),
    [x],
  );
}
