/**
 * The terminal progress bar of training.
 */
import type { Callback, Logs, TrainingParams } from './callbacks.js';

/** A writable text stream (Node's `process.stdout`, or anything with `write`). */
export interface ProgressStream {
  write(text: string): unknown;
  /** Only a TTY gets the redrawn bar. */
  isTTY?: boolean;
  /** Terminal width, if known. */
  columns?: number;
}

/** Options of {@link ProgressBar}. */
export interface ProgressBarOptions {
  /** Where to write (default: `process.stdout` when running in Node, else nothing). */
  stream?: ProgressStream;
  /** 0: silent; 1: a bar redrawn in place (TTY only; one line per epoch otherwise); 2: one line per epoch. Default 1. */
  verbose?: number;
  /** Clock in milliseconds (for tests; default `performance.now`). */
  now?: () => number;
  /** Minimum milliseconds between redraws (default 50). */
  throttleMs?: number;
}

function defaultStream(): ProgressStream | undefined {
  const proc = (globalThis as { process?: { stdout?: ProgressStream } }).process;
  return proc?.stdout;
}

function formatLogs(logs: Logs, hidden: ReadonlySet<string>): string {
  return Object.entries(logs)
    .filter(([k]) => !hidden.has(k))
    .map(
      ([k, v]) =>
        `${k} ${Math.abs(v) >= 1000 || (Math.abs(v) < 1e-3 && v !== 0) ? v.toExponential(3) : v.toFixed(4)}`,
    )
    .join(' · ');
}

function formatSeconds(s: number): string {
  if (!Number.isFinite(s)) return '?';
  if (s < 60) return `${Math.round(s)}s`;
  const m = Math.floor(s / 60);
  return m < 60
    ? `${m}m${String(Math.round(s % 60)).padStart(2, '0')}s`
    : `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}

/**
 * The terminal progress bar `fit` shows: epoch, a bar, step count, running loss and metrics,
 * steps per second and ETA, redrawn in place on a TTY; one summary line per epoch otherwise
 * (with `verbose: 2`), nothing with `verbose: 0` or when there is no stream. Browser-safe: it
 * only touches `process.stdout` if it exists.
 * @example
 * ```ts
 * const model = new Sequential([new Dense({ inputSize: 1, units: 1, seed: 0 })]);
 * model.compile({ optimizer: 'sgd', loss: 'mse' });
 * const x = tensor([[0], [1], [2], [3]]);
 * const y = tensor([[1], [3], [5], [7]]);
 * // On a terminal, `verbose: 1` (the default) redraws a bar in place:
 * //   Epoch 2/5 [=======>      ] 12/25 loss 0.4123 · acc 0.8125 · 41.3 steps/s · ETA 0s
 * // `verbose: 2` prints one line per epoch; `progressStream` sends it anywhere (default process.stdout).
 * let text = '';
 * await model.fit(x, y, { epochs: 2, verbose: 2, progressStream: { write: (s: string) => void (text += s) } });
 * check([text.includes('Epoch 1/2'), text.includes('Epoch 2/2'), text.includes('loss')], [true, true, true]);
 * ```
 */
export class ProgressBar implements Callback {
  private readonly stream: ProgressStream | undefined;
  private readonly verbose: number;
  private readonly now: () => number;
  private readonly throttleMs: number;
  private params: TrainingParams | undefined;
  private hidden: ReadonlySet<string> = new Set();
  private epoch = 0;
  private epochStart = 0;
  private lastDraw = Number.NEGATIVE_INFINITY;
  private running: Record<string, number> = {};
  private seen = 0;

  constructor(options: ProgressBarOptions = {}) {
    this.stream = options.stream ?? defaultStream();
    this.verbose = options.verbose ?? 1;
    this.now = options.now ?? (() => performance.now());
    this.throttleMs = options.throttleMs ?? 50;
  }

  /** True when a bar is redrawn in place. */
  get live(): boolean {
    return this.verbose === 1 && this.stream?.isTTY === true;
  }

  /** True when anything is written at all. */
  get enabled(): boolean {
    return (
      this.verbose > 0 &&
      this.stream !== undefined &&
      (this.verbose === 2 || this.stream.isTTY === true)
    );
  }

  setParams(params: TrainingParams): void {
    this.params = params;
    const aliases = params.aliases ?? [];
    this.hidden = new Set([...aliases, ...aliases.map((a) => `val_${a}`)]);
  }

  onEpochBegin(epoch: number): void {
    this.epoch = epoch;
    this.epochStart = this.now();
    this.lastDraw = Number.NEGATIVE_INFINITY;
    this.running = {};
    this.seen = 0;
  }

  onBatchEnd(batch: number, logs: Logs): void {
    this.seen++;
    for (const [k, v] of Object.entries(logs)) this.running[k] = (this.running[k] ?? 0) + v;
    if (!this.live) return;
    const t = this.now();
    const steps = this.params?.steps ?? 0;
    if (t - this.lastDraw < this.throttleMs && batch + 1 < steps) return;
    this.lastDraw = t;
    this.stream!.write(`\r\x1b[2K${this.line(batch + 1, t)}`);
  }

  onEpochEnd(_epoch: number, logs: Logs): void {
    if (!this.enabled) return;
    const t = this.now();
    const steps = this.params?.steps ?? this.seen;
    const elapsed = (t - this.epochStart) / 1000;
    const head = `Epoch ${this.epoch + 1}/${this.params?.epochs ?? '?'}`;
    const text = `${head} ${steps}/${steps} ${formatLogs(logs, this.hidden)} · ${formatSeconds(elapsed)}`;
    this.stream!.write(this.live ? `\r\x1b[2K${text}\n` : `${text}\n`);
  }

  /** The bar line after `done` steps at time `t` (exposed for tests). */
  line(done: number, t: number): string {
    const steps = this.params?.steps ?? done;
    const elapsed = Math.max(1e-9, (t - this.epochStart) / 1000);
    const rate = done / elapsed;
    const eta = (steps - done) / rate;
    const width = Math.max(10, Math.min(30, (this.stream?.columns ?? 100) - 90));
    const filled = Math.min(width, Math.round((width * done) / Math.max(1, steps)));
    const bar = `${'='.repeat(Math.max(0, filled - 1))}${filled > 0 ? (done === steps ? '=' : '>') : ''}${' '.repeat(width - filled)}`;
    const means: Logs = {};
    for (const [k, v] of Object.entries(this.running)) means[k] = v / Math.max(1, this.seen);
    return `Epoch ${this.epoch + 1}/${this.params?.epochs ?? '?'} [${bar}] ${done}/${steps} ${formatLogs(means, this.hidden)} · ${rate.toFixed(1)} steps/s · ETA ${formatSeconds(eta)}`;
  }
}
