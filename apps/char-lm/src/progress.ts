/** The training display: one line redrawn in place on a terminal, one line per evaluation otherwise. */

/** Where the display writes (process.stdout by default). */
export interface Output {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

/** `75s` → `1m15s`. */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '?';
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  return m < 60
    ? `${m}m${String(s % 60).padStart(2, '0')}s`
    : `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}

/** One training status. */
export interface Status {
  step: number;
  trainLoss: number;
  valLoss: number | null;
  charsPerSecond: number;
  seconds: number;
  /** Estimated seconds left (NaN when unknown). */
  eta: number;
}

/** Nats → bits. */
export const toBits = (nats: number): number => nats / Math.LN2;

function statusLine(s: Status): string {
  const val =
    s.valLoss === null
      ? 'val —'
      : `val ${s.valLoss.toFixed(3)} (${toBits(s.valLoss).toFixed(3)} bits)`;
  return `step ${s.step} · loss ${s.trainLoss.toFixed(3)} · ${val} · ${Math.round(s.charsPerSecond)} chars/s · ${formatDuration(s.seconds)} · ETA ${formatDuration(s.eta)}`;
}

/** The progress display of `train`. */
export class TrainDisplay {
  private drawn = false;
  constructor(private readonly out: Output) {}

  /** True on a terminal: redraw in place and show samples. */
  get live(): boolean {
    return this.out.isTTY === true;
  }

  /** Redraws the status line (terminal only). */
  status(s: Status): void {
    if (!this.live) return;
    const width = Math.max(20, (this.out.columns ?? 100) - 1);
    this.out.write(`\r\x1b[2K${statusLine(s).slice(0, width)}`);
    this.drawn = true;
  }

  /** A line that stays (an evaluation, a message), printed on terminals and pipes alike. */
  line(text: string): void {
    this.clear();
    this.out.write(`${text}\n`);
  }

  /** The evaluation line. */
  evaluation(s: Status): void {
    this.line(statusLine(s));
  }

  /** A sample of the model's text, indented (terminal only). */
  sample(text: string): void {
    if (!this.live) return;
    this.line(
      `  ┌ sample\n${text
        .split('\n')
        .map((l) => `  │ ${l}`)
        .join('\n')}\n  └`,
    );
  }

  /** Clears the status line before other output. */
  clear(): void {
    if (this.drawn) this.out.write('\r\x1b[2K');
    this.drawn = false;
  }
}
