import { ENGINE } from '../engine.js';
import { type RnnSequenceArgs, type RnnSequenceResult, validateRnnArgs } from './validate.js';

/**
 * Runs one recurrent layer in one direction over a whole sequence with the backend's fused
 * `RnnForward` kernel; differentiable (its gradient is the fused `RnnBackward` kernel).
 * @example
 * ```ts
 * const { y, hN, cN } = rnnSequence({ mode: 'LSTM', x, wIh, wHh, bIh, bHh, h0, c0 });
 * ```
 */
export function rnnSequence(args: RnnSequenceArgs): RnnSequenceResult {
  validateRnnArgs('rnnSequence', args);
  const { mode, x, wIh, wHh, bIh, bHh, h0, c0, lengths } = args;
  const out = ENGINE.runKernel(
    'RnnForward',
    { x, wIh, wHh, bIh, bHh, h0, c0, lengths },
    { mode, reverse: args.reverse ?? false, training: ENGINE.isRecording() },
  );
  if (!ENGINE.isRecording()) out.reserve.dispose();
  return out.cN ? { y: out.y, hN: out.hN, cN: out.cN } : { y: out.y, hN: out.hN };
}
