/**
 * Metrics by name, for `model.compile`.
 */
import { ValueError } from '@rnnkit/core';
import { accuracyMetric } from './accuracy.js';
import type { Metric } from './metric.js';
import { perplexityMetric } from './perplexity.js';

/** Metric names accepted by `model.compile({ metrics: ['accuracy'] })`. */
export type MetricName = 'accuracy' | 'acc' | 'perplexity';

/**
 * Resolves a metric name (or passes a {@link Metric} through). The metric logs under the name
 * asked for: `'accuracy'` as `accuracy` (and, for code written against earlier versions, also
 * as `acc`), `'acc'` as `acc`, `'perplexity'` as `perplexity`.
 */
export function getMetric(metric: MetricName | Metric): Metric {
  if (typeof metric !== 'string') return metric;
  switch (metric) {
    case 'accuracy':
      return { ...accuracyMetric, name: 'accuracy', aliases: [accuracyMetric.name] };
    case 'acc':
      return accuracyMetric;
    case 'perplexity':
      return perplexityMetric;
    default:
      throw new ValueError(
        `unknown metric '${String(metric)}'; expected 'accuracy', 'perplexity' or a Metric object`,
      );
  }
}
