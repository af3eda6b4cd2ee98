// Index-mapping kernels (each output element reads one input element), shared by Slice, Pad, Transpose and Reverse.
import type { Shape } from '@rnnkit/core';
import { sizeOf } from '@rnnkit/core';
import type { GpujsBackend, GpuValue } from '../../backend.js';
import { kernelSource, unravel } from '../../codegen.js';

/** Runs an index-mapping kernel: output coordinates → one input element. */
export function remap(
  backend: GpujsBackend,
  key: string,
  x: GpuValue,
  shape: Shape,
  extra: GpuValue | undefined,
  body: (coords: string[]) => string,
): GpuValue {
  return backend.run(
    key,
    sizeOf(shape),
    () => {
      const { code, coords } = unravel('i', shape, 'o');
      return kernelSource(extra ? ['a', 'v'] : ['a'], `${code}\n${body(coords)}`);
    },
    extra ? [x, extra] : [x],
  );
}
