/**
 * Shape and index arithmetic that several backends need for the same kernels (in the manner of
 * TF.js's `backend_util`): output shapes, broadcast and reversed strides, axis splits, the
 * geometry of a matrix product, the sizes of a recurrent call and the scalars of an Adam step
 * (pure functions of shapes and attributes, which never touch storage), and the storage guard
 * that gives every backend the same error classes for the same faults.
 *
 * @module
 */
export type { AdamCoefficients } from './adam.js';
export { adamCoefficients } from './adam.js';
export type { AxisSplit } from './axis.js';
export { splitAtAxis } from './axis.js';
export { concatOutShape } from './concat.js';
export { gatherOutShape } from './gather.js';
export type { MatMulGeometry } from './matmul.js';
export { matMulGeometry } from './matmul.js';
export { padOutShape } from './pad.js';
export { reduceOutShape } from './reduce.js';
export type { RnnSizes } from './rnn.js';
export { rnnSizes, rnnStepAt } from './rnn.js';
export type { DirectionKernels } from './rnn_directions.js';
export { rnnByDirection } from './rnn_directions.js';
export type { GuardedBackend, GuardedStorage } from './storage.js';
export { checkReserve, checkWrite, liveStorage } from './storage.js';
export { broadcastStrides, flatOffset, reverseStrides } from './strides.js';
export { transposeOutShape } from './transpose.js';
