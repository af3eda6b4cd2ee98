/**
 * Sampling for generative models: greedy, temperature, top-k, top-p (seeded), an
 * autoregressive generation loop and beam search.
 * @module
 */

export type { BeamHypothesis, BeamSearchOptions } from './beam_search.js';
export { beamSearch } from './beam_search.js';
export type { StepLogits, TokenModel } from './decoder.js';
export type { GenerateOptions } from './generate.js';
export { generate } from './generate.js';
export type { LogitsLike } from './logits.js';
export type { SampleOptions } from './sample.js';
export { filteredProbabilities, greedy, sampleLogits, sampleLogitsBatch } from './sample.js';
