// The row-wise softmax shared by the Softmax and LogSoftmax kernels.
import type { TensorInfo } from '@rnnkit/core';
import { sizeOf } from '@rnnkit/core';
import type { GpujsBackend, GpuValue } from '../../backend.js';
import { int, kernelSource, lit, unravel } from '../../codegen.js';

/** The largest finite float32, the starting value of the row maxima. */
const MAX_FLOAT32 = 3.4028234663852886e38;

/**
 * Softmax or log-softmax along the last axis in three passes, each one thread per element or
 * row: row maxima (a row of -Infinity shifts by 0 instead), row sums of `exp(x - max)`, then the
 * element-wise result.
 */
export function softmaxLastAxis(backend: GpujsBackend, x: TensorInfo, log: boolean): TensorInfo {
  const size = sizeOf(x.shape);
  const n = x.shape.length === 0 ? 1 : x.shape[x.shape.length - 1];
  if (size === 0) return backend.empty(x.shape, x.dtype);
  const rows = size / n;
  const input = backend.value(x);
  const max = backend.run(
    `softmax-max:${rows}x${n}`,
    rows,
    () =>
      kernelSource(
        ['a'],
        [
          // -FLT_MAX stands for -Infinity (GLSL has no infinity literal); NaN is skipped.
          `let m = ${lit(-MAX_FLOAT32)};`,
          `for (let k = 0; k < ${n}; k++) {`,
          `  const v = a[i * ${int(n)} + k];`,
          '  if (v > m) { m = v; }',
          '}',
          `if (m == ${lit(-MAX_FLOAT32)}) { m = 0.0; }`,
          'return m;',
        ].join('\n'),
      ),
    [input],
  );
  const sum = backend.run(
    `softmax-sum:${rows}x${n}`,
    rows,
    () =>
      kernelSource(
        ['a', 'm'],
        [
          'const mi = m[i];',
          'let s = 0.0;',
          `for (let k = 0; k < ${n}; k++) {`,
          `  s = s + Math.exp(a[i * ${int(n)} + k] - mi);`,
          '}',
          'return s;',
        ].join('\n'),
      ),
    [input, max],
  );
  const out: GpuValue = backend.run(
    `${log ? 'logsoftmax' : 'softmax'}:${rows}x${n}`,
    size,
    () => {
      const { code, coords } = unravel('i', [rows, n], 'o');
      return kernelSource(
        ['a', 'm', 's'],
        [
          code,
          `const row = ${coords[0]};`,
          log
            ? 'return a[i] - (Math.log(s[row]) + m[row]);'
            : 'return Math.exp(a[i] - m[row]) / s[row];',
        ].join('\n'),
      );
    },
    [input, max, sum],
  );
  backend.free(max);
  backend.free(sum);
  return backend.make(out, x.shape, x.dtype);
}
