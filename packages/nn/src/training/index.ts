/**
 * Training: compile options, the `fit` loop, evaluation and prediction, callbacks (history,
 * early stopping, best checkpoint, progress bar) and truncated-BPTT batching.
 * @module
 */

export type { BpttLayout } from './bptt.js';
export { bpttBatches, bpttLayoutOf } from './bptt.js';
export type { Callback, CallbackModel, Logs, TrainingParams } from './callbacks.js';
export type { BestCheckpointOptions } from './checkpoint.js';
export { BestCheckpoint } from './checkpoint.js';
export type { CompiledModel, CompileOptions, TrainableModel } from './compile.js';
export type { BatchInput } from './data.js';
export type { EarlyStoppingOptions } from './early_stopping.js';
export { EarlyStopping } from './early_stopping.js';
export type { EvaluateOptions, PredictOptions } from './evaluate.js';
export type { FitOptions } from './fit.js';
export { History } from './history.js';
export type { MonitorMode } from './monitor.js';
export type { PadSequencesOptions } from './pad.js';
export { padSequences } from './pad.js';
export type { ProgressBarOptions, ProgressStream } from './progress.js';
export { ProgressBar } from './progress.js';
export { WeightSnapshot } from './snapshot.js';
