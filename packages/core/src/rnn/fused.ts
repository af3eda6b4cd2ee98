/**
 * `rnnSequence`: one recurrent layer, in one direction or both, over a whole sequence through the
 * backend's fused kernels.
 */
import { ENGINE } from '../engine.js';
import {
  checkpointSegment,
  type RnnSequenceArgs,
  type RnnSequenceResult,
  validateRnnArgs,
} from './validate.js';

/**
 * Runs one recurrent layer in one direction over a whole sequence with the backend's fused
 * `RnnForward` kernel; differentiable (its gradient is the fused `RnnBackward` kernel). With
 * `checkpoint`, the backward pass recomputes activations segment by segment instead of keeping
 * them all (same gradients, memory ~√T instead of T). With `bidirectional`, one call runs both
 * directions of the layer from weights stacked per direction (which a backend may run
 * concurrently); the result equals two single-direction calls with `y` concatenated on the
 * feature axis and `hN`/`cN` stacked.
 * @example
 * ```ts
 * const [B, T, I, H] = [2, 3, 4, 5];
 * const G = GATES_PER_MODE.LSTM; // 4 gates: input, forget, cell, output
 * const args = {
 *   mode: 'LSTM' as const,
 *   x: randomNormal([B, T, I]),
 *   wIh: randomNormal([G * H, I], 0, 0.3),
 *   wHh: randomNormal([G * H, H], 0, 0.3),
 *   bIh: zeros([G * H]),
 *   bHh: zeros([G * H]),
 *   h0: zeros([B, H]),
 *   c0: zeros([B, H]),
 *   lengths: tensor([3, 2], [2], 'int32'), // the second sequence is padded after 2 steps
 * };
 * const { y, hN, cN } = rnnSequence(args);
 * check([y.shape, hN.shape, cN?.shape], [[B, T, H], [B, H], [B, H]]);
 * check(y, rnnSequenceReference(args).y); // the fused kernel matches the step-by-step reference
 * check(slice(y, [1, 2, 0], [1, 1, H]), zeros([1, 1, H])); // zero at padded steps
 * ```
 */
export function rnnSequence(args: RnnSequenceArgs): RnnSequenceResult {
  const { T, D } = validateRnnArgs('rnnSequence', args);
  const { mode, x, wIh, wHh, bIh, bHh, h0, c0, lengths } = args;
  const checkpoint = checkpointSegment(T, args.checkpoint);
  const out = ENGINE.runKernel(
    'RnnForward',
    { x, wIh, wHh, bIh, bHh, h0, c0, lengths },
    {
      mode,
      reverse: args.reverse ?? false,
      training: ENGINE.isRecording(),
      ...(checkpoint > 0 ? { checkpoint } : {}),
      ...(D === 2 ? { directions: 2 as const } : {}),
    },
  );
  if (!ENGINE.isRecording()) out.reserve.dispose();
  return out.cN ? { y: out.y, hN: out.hN, cN: out.cN } : { y: out.y, hN: out.hN };
}
