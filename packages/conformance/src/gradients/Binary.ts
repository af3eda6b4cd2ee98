/**
 * Gradient checks of `Binary`: every binary op, broadcasting included; comparisons kept away from ties, against central finite differences. One file per kernel,
 * like the kernel cases in `../kernels/`.
 */
import type { Tensor } from '@rnnkit/core';
import { BINARY_OPS, type BinaryOp, binary } from '@rnnkit/core';
import {
  awayFromZeroTensor,
  type HostTensor,
  hostTensor,
  rngFor,
  shapeText,
  uniformTensor,
} from '@rnnkit/testing';
import * as fc from 'fast-check';
import { type AddCheck, broadcastPartner, seedArb, shapeArb } from './domains.js';

/** The gradient checks of every binary op, broadcasting included; comparisons kept away from ties. */
export function binaryGradientChecks(add: AddCheck): void {
  for (const op of BINARY_OPS) {
    const comparison = !['add', 'sub', 'mul', 'div', 'pow'].includes(op);
    add(
      `binary/${op}`,
      fc
        .record({
          shape: shapeArb(1, 3),
          mask: fc.array(fc.boolean(), { minLength: 1, maxLength: 3 }),
          drop: fc.nat(2),
          seed: seedArb,
        })
        .map(({ shape, mask, drop, seed }) => {
          const rng = rngFor(seed);
          let a: HostTensor;
          let b: HostTensor;
          if (comparison) {
            // Same shape, |a - b| ≥ 0.1: away from the kink (maximum/minimum) and from equality.
            a = uniformTensor(rng, shape, 'float64', -2, 2);
            const gap = awayFromZeroTensor(rng, shape, 'float64', 0.1, 1);
            b = hostTensor(
              shape,
              'float64',
              Array.from(a.values, (v, i) => v + gap.values[i]),
            );
          } else {
            const bShape = broadcastPartner(shape, mask, drop);
            const swap = rng.next() < 0.5 && op !== 'pow' && op !== 'div';
            const big =
              op === 'pow'
                ? uniformTensor(rng, shape, 'float64', 0.5, 2)
                : uniformTensor(rng, shape, 'float64', -2, 2);
            const small =
              op === 'div'
                ? awayFromZeroTensor(rng, bShape, 'float64', 0.5, 2)
                : uniformTensor(rng, bShape, 'float64', op === 'pow' ? -2 : -2, 2);
            [a, b] = swap ? [small, big] : [big, small];
          }
          return {
            label: `${op} ${shapeText(a.shape)} x ${shapeText(b.shape)}`,
            inputs: [a, b],
            seed,
            f: (x: Tensor, y: Tensor) => binary(op as BinaryOp, x, y),
          };
        }),
    );
  }
}
