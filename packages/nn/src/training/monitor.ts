/**
 * Which logged value a callback watches, and whether lower or higher is better.
 */
import { ValueError } from '@rnnkit/core';
import type { Logs } from './callbacks.js';

/** Whether a monitored value should go down (`min`), up (`max`), or be guessed from its name (`auto`). */
export type MonitorMode = 'auto' | 'min' | 'max';

/** Tracks the best value of one log key. */
export class Monitor {
  readonly key: string;
  readonly minDelta: number;
  private readonly sign: 1 | -1;
  best = Number.NaN;

  constructor(owner: string, key: string, mode: MonitorMode, minDelta: number) {
    this.key = key;
    this.minDelta = Math.abs(minDelta);
    const m = mode === 'auto' ? (/acc|accuracy/.test(key) ? 'max' : 'min') : mode;
    if (m !== 'min' && m !== 'max')
      throw new ValueError(
        `${owner}: option 'mode' must be 'auto', 'min' or 'max', got ${String(mode)}`,
      );
    this.sign = m === 'min' ? 1 : -1;
  }

  /** The monitored value in `logs`; throws a clear error when it is missing. */
  value(owner: string, logs: Logs): number {
    const v = logs[this.key];
    if (v === undefined) {
      throw new ValueError(
        `${owner}: monitored key '${this.key}' is not in the logs (${Object.keys(logs).join(', ')}); add validation data or change 'monitor'`,
      );
    }
    return v;
  }

  /** True (and records it) when `v` improves on the best by more than `minDelta`. */
  improves(v: number): boolean {
    if (Number.isNaN(this.best) || this.sign * (this.best - v) > this.minDelta) {
      this.best = v;
      return true;
    }
    return false;
  }
}
