/** The gradient panel's measurement: Jacobian norms of a fresh cell of the selected type (input size 8, 4 sequences). */
import { freshCell, jacobianNorms } from '@rnnkit/app-kit/gradient-norms';
import { setSeed } from '@rnnkit/core';
import { checkInt } from './checks.js';
import type { GradientRequest } from './protocol.js';

/** Input features of the measured cell. */
const INPUT = 8;
/** Random sequences averaged. */
const SEQUENCES = 4;

/** ‖∂h_T/∂x_t‖ for t = 1…T on the active backend; the weights and inputs come from `req.seed`. */
export function gradientNorms(req: GradientRequest): number[] {
  const steps = checkInt('Steps T', req.steps, 2, 400);
  const hidden = checkInt('Hidden', req.hidden, 1, 128);
  const seed = checkInt('Seed', req.seed, 0, 2 ** 31 - 1);
  const layer = freshCell(req.cell, INPUT, hidden, seed);
  try {
    setSeed(seed);
    return jacobianNorms(layer, { steps, input: INPUT, sequences: SEQUENCES });
  } finally {
    layer.dispose();
  }
}
