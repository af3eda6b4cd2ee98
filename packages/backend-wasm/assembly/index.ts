// Entry point of the rnnkit WebAssembly module: every export below is called from src/ (see
// src/module.ts for the JavaScript side of each signature). One file per kernel, named after it
// (a kernel whose host side needs no code of its own here has no file); shared code in util/ and
// rnn/; memory.ts, threads.ts (the worker pool) and parallel.ts (its tasks) are the module's
// runtime.
export {
  alloc, free, memoryPages, memoryFree, memoryLargestFree, zero, releaseScratch,
} from './memory';
export { gemmParallel as gemm } from './parallel';
export { copyStrided } from './util/strided';
export { unaryF32, unaryI32 } from './Unary';
export { binary } from './Binary';
export { castF32ToI32, castI32ToF32 } from './Cast';
export { fill32 } from './Pad';
export { gather } from './Gather';
export { scatterAdd } from './ScatterAdd';
export { oneHot } from './OneHot';
export { reduceMiddle } from './Reduce';
export { argMax } from './ArgMax';
export { softmax } from './Softmax';
export { adamUpdate } from './AdamUpdate';
export { rnnReserveFloats, rnnBackwardWorkFloats } from './rnn/layout';
export { rnnForward } from './RnnForward';
export { rnnBackward } from './RnnBackward';
export { rnnForwardCheckpointed, rnnBackwardCheckpointed } from './rnn/checkpoint';
export { setThreads, threadCount, workerLoop } from './threads';
