// The Concat kernel: one strided block copy per input (assembly/util/strided.ts).
import type { KernelFunc } from '@rnnkit/core';
import { concatOutShape, splitAtAxis } from '@rnnkit/core';
import type { WasmBackend } from '../backend.js';
import { copyStrided } from './util/strided.js';

/** Joins along `axis`: each input is one strided block copy into the output. */
export const concat: KernelFunc<'Concat', WasmBackend> = ({ xs }, { axis }, backend) => {
  const first = xs[0];
  const shape = concatOutShape(
    xs.map((x) => x.shape),
    axis,
  );
  const out = backend.output(shape, first.dtype);
  const { outer, extent: total, inner } = splitAtAxis(shape, axis);
  const rowLength = total * inner;
  let column = 0;
  for (const x of xs) {
    const run = x.shape[axis] * inner;
    if (outer * run > 0) {
      copyStrided(
        backend,
        [outer, run],
        [run, 1],
        [rowLength, 1],
        backend.ptr(x),
        out.ptr + column * 4,
      );
    }
    column += run;
  }
  return { y: out.info };
};
