/**
 * Optimizers by name, for `model.compile`.
 */
import { ValueError } from '@rnnkit/core';
import { Adagrad } from './adagrad.js';
import { Adam, AdamW } from './adam.js';
import type { Optimizer } from './optimizer.js';
import { RMSprop } from './rmsprop.js';
import { SGD } from './sgd.js';

/** Optimizer names accepted by `model.compile({ optimizer: 'adam' })` (default options). */
export type OptimizerName = 'sgd' | 'adam' | 'adamw' | 'rmsprop' | 'adagrad';

/** Resolves an optimizer name to a new instance with default options, or passes an instance through. */
export function getOptimizer(optimizer: OptimizerName | Optimizer): Optimizer {
  if (typeof optimizer !== 'string') return optimizer;
  switch (optimizer) {
    case 'sgd':
      return new SGD();
    case 'adam':
      return new Adam();
    case 'adamw':
      return new AdamW();
    case 'rmsprop':
      return new RMSprop();
    case 'adagrad':
      return new Adagrad();
    default:
      throw new ValueError(
        `unknown optimizer '${String(optimizer)}'; expected sgd, adam, adamw, rmsprop or adagrad`,
      );
  }
}
