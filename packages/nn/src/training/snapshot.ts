/**
 * `WeightSnapshot`: a copy of a model's weights on the backend, to restore later.
 */
import { clone, keep, type Tensor, type Variable } from '@rnnkit/core';

/**
 * A copy of a model's weights held on the backend: each entry shares the parameter's storage
 * at the time of the snapshot (tensors are immutable and `assign` swaps storage), so taking a
 * snapshot copies nothing and later updates do not change it.
 */
export class WeightSnapshot {
  private readonly entries: [Variable, Tensor][];

  constructor(params: Map<string, Variable>) {
    this.entries = [...params.values()].map((v) => [v, keep(clone(v))]);
  }

  /** Writes the snapshot back into the parameters. */
  restore(): void {
    for (const [v, t] of this.entries) v.assign(t);
  }

  /** Frees the snapshot. */
  dispose(): void {
    for (const [, t] of this.entries) t.dispose();
  }
}
