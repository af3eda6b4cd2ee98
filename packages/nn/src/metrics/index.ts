/**
 * Metrics computed on the backend: accuracy (sparse, one-hot, binary) and perplexity.
 * @module
 */

export { accuracy, accuracyMetric } from './accuracy.js';
export type { Metric } from './metric.js';
export { perplexity, perplexityMetric } from './perplexity.js';
export type { MetricName } from './registry.js';
export { getMetric } from './registry.js';
