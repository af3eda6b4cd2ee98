// Both directions of a fused recurrent call (`directions: 2`) on gpu.js: the one-direction
// kernels run in turn (core's rnnByDirection), with the reserve's texture lists joined and split.
import { rnnByDirection } from '@rnnkit/core';
import type { GpujsBackend } from '../backend.js';
import { binary } from './Binary.js';
import { concat } from './Concat.js';
import { rnnBackward } from './RnnBackward.js';
import { rnnForward } from './RnnForward.js';
import { slice } from './Slice.js';

/**
 * `RnnForward`/`RnnBackward` of the gpujs backend for one direction or both. A two-direction
 * reserve lists direction 0's textures then direction 1's (both lists have the same length,
 * fixed by the shapes and attributes).
 */
export const rnnDirectionKernels = rnnByDirection<GpujsBackend>({
  forward: rnnForward,
  backward: rnnBackward,
  slice,
  concat,
  binary,
  joinReserves: ([a, b], backend) =>
    backend.makeReserve([...backend.parts(a), ...backend.parts(b)].map((p) => backend.alias(p))),
  splitReserve: (reserve, backend) => {
    const parts = backend.parts(reserve);
    const half = parts.length / 2;
    return [
      backend.makeReserve(parts.slice(0, half).map((p) => backend.alias(p))),
      backend.makeReserve(parts.slice(half).map((p) => backend.alias(p))),
    ];
  },
});
