/**
 * Every kernel-level case of the suite, one generator per kernel (in its own file), drawn in
 * a fixed order from one seeded generator so that a seed always gives the same cases.
 */
import { rngFor, uniformTensor } from '@rnnkit/testing';
import { adamUpdateCases } from './AdamUpdate.js';
import { argMaxCases } from './ArgMax.js';
import { binaryCases, binaryInt32Cases } from './Binary.js';
import { byHandCases } from './by_hand.js';
import { castCases } from './Cast.js';
import { concatCases } from './Concat.js';
import { FLOATS } from './domains.js';
import { edgeCases } from './edges.js';
import { gatherScatterCases } from './Gather.js';
import { int32Cases } from './int32.js';
import { laneCases } from './lanes.js';
import { matMulCases } from './MatMul.js';
import { oneHotCases } from './OneHot.js';
import { padCases } from './Pad.js';
import { reduceCases } from './Reduce.js';
import { reverseCases } from './Reverse.js';
import { sliceCases } from './Slice.js';
import { softmaxCases } from './Softmax.js';
import { sizeEdgeCases } from './sizes.js';
import { specialElementwiseCases } from './special_elementwise.js';
import { specialValueCases } from './special_values.js';
import { transposeCases } from './Transpose.js';
import type { KernelCase } from './types.js';
import { unaryCases, unaryInt32Cases } from './Unary.js';

export { rnnAbsentDyCases } from './rnn_absent_dy_cases.js';
export { rnnCases, rnnEmptyCases } from './rnn_cases.js';
export { rnnCheckpointCases } from './rnn_checkpoint_cases.js';
export { rnnDirectionCases } from './rnn_direction_cases.js';
export type { RunKernelCaseOptions } from './run.js';
export { runKernelCase } from './run.js';
export type {
  AnyKernelCase,
  ExpectedOutput,
  HostInputs,
  KernelCase,
  KernelCaseResult,
  RnnCase,
} from './types.js';

/**
 * Every non-recurrent kernel case, for both float dtypes and int32 where the catalogue allows
 * it, generated deterministically from `seed`.
 */
export function kernelCases(seed = 1234): KernelCase[] {
  const rng = rngFor(seed);
  const cases: KernelCase[] = [];
  const push = (c: KernelCase) => cases.push(c);
  for (const dtype of FLOATS) {
    matMulCases(rng, dtype, push);
    unaryCases(rng, dtype, push);
    binaryCases(rng, dtype, push);
    castCases(rng, dtype, push);
    // One rank-3 input shared by Reduce and ArgMax.
    const r3 = uniformTensor(rng, [3, 17, 33], dtype);
    reduceCases(rng, dtype, push, r3);
    argMaxCases(rng, dtype, push, r3);
    softmaxCases(rng, dtype, push);
    gatherScatterCases(rng, dtype, push);
    oneHotCases(rng, dtype, push);
    sliceCases(rng, dtype, push);
    padCases(rng, dtype, push);
    concatCases(rng, dtype, push);
    transposeCases(rng, dtype, push);
    reverseCases(rng, dtype, push);
    adamUpdateCases(rng, dtype, push);
  }
  unaryInt32Cases(rng, push);
  binaryInt32Cases(rng, push);
  for (const dtype of FLOATS) {
    specialValueCases(dtype, push);
    sizeEdgeCases(rng, dtype, push);
  }
  // Drawn after every case above, so that adding these left the earlier cases' values as they were.
  for (const dtype of FLOATS) {
    specialElementwiseCases(rng, dtype, push);
    laneCases(rng, dtype, push);
    edgeCases(rng, dtype, push);
  }
  int32Cases(rng, push);
  for (const dtype of FLOATS) byHandCases(dtype, push);
  return cases;
}
