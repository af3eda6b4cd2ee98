// Entry point of the rnnkit WebAssembly module: every export below is called from
// src/ (see src/module.ts for the JavaScript side of each signature).
export { alloc, free, memoryPages, zero, releaseScratch } from './memory';
export { gemmParallel as gemm } from './parallel';
export { unaryF32, unaryI32, binary, castF32ToI32, castI32ToF32, fill32 } from './elementwise';
export { copyStrided, gather, scatterAdd, oneHot } from './layout';
export { reduceMiddle, argMax, softmax } from './reduce';
export { adamUpdate } from './optimizer';
export { rnnForward, rnnBackward, rnnReserveFloats, rnnBackwardWorkFloats } from './rnn';
export { setThreads, threadCount, workerLoop } from './threads';
