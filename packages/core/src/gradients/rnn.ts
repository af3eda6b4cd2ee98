/**
 * Gradient of the fused `RnnForward` kernel: one `RnnBackward` call.
 */
import { ENGINE } from '../engine.js';
import { zerosLike } from '../ops/create.js';
import type { GradFunc } from './types.js';

export const rnnForwardGrad: GradFunc<'RnnForward'> = (
  dys,
  { inputs, outputs, attrs: { mode, reverse, checkpoint, directions }, needsGradient },
) => {
  const dxWanted = needsGradient('x');
  // An unused output sequence passes no dy (the kernel reads absence as zero): a zero tensor
  // shaped as y would be as large as y itself. The final states' cotangents are only [B, H].
  const dhN = dys.hN ?? zerosLike(outputs.hN);
  const dcN = outputs.cN ? (dys.cN ?? zerosLike(outputs.cN)) : undefined;
  const g = ENGINE.runKernel(
    'RnnBackward',
    { ...inputs, y: outputs.y, reserve: outputs.reserve, dy: dys.y, dhN, dcN },
    {
      mode,
      reverse,
      ...(checkpoint ? { checkpoint } : {}),
      ...(directions === 2 ? { directions } : {}),
      ...(dxWanted ? {} : { inputGradient: false }),
    },
  );
  const x = dxWanted ? g.dx : undefined;
  return { x, wIh: g.dWIh, wHh: g.dWHh, bIh: g.dBIh, bHh: g.dBHh, h0: g.dh0, c0: g.dc0 };
};
