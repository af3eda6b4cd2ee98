/**
 * Workload definitions shared by both engines, their analytic FLOP counts, deterministic
 * synthetic data and the small statistics helpers the CLI and the children use.
 *
 * FLOP model (multiply and add count as 2 FLOPs; element-wise gate math, softmax and the
 * optimizer update are left out: they are O(B·T·G·H), not O(B·T·G·H·(I+H))):
 *
 * - one recurrent layer in one direction: `2·B·T·G·H·(I_l + H)` where G is the number of gate
 *   blocks (LSTM 4, GRU 3, SimpleRNN 1) and `I_l` the layer's input width (`I` for the first
 *   layer, `D·H` for the next ones, D = 2 when bidirectional);
 * - the Dense head: `2·B·S·F·U` with F its input width (`D·H`), U its units and S = T when it is
 *   applied at every step (W5), else 1 (last state only);
 * - forward = the sum over layers and directions plus the head; a training step (forward +
 *   backward + update) ≈ 3 × forward (the backward pass does two matrix products per forward one:
 *   one for the input gradient, one for the weight gradient).
 * - MM512 (the throughput probe) is 8 `[512,512]·[512,512]` products per step, each read
 *   back: `8·2·512³` FLOPs.
 */

/** Recurrent cell of a workload. */
export type Cell = 'LSTM' | 'GRU' | 'SimpleRNN';

/** Identifiers of the workloads (`MM512` is the matrix-product throughput probe). */
export type WorkloadId = 'MM512' | 'W1' | 'W2' | 'W3' | 'W4' | 'W5' | 'W6' | 'L1' | 'L1C';

/** One benchmark workload. */
export interface Workload {
  /** Identifier used on the command line and in results. */
  id: WorkloadId;
  /** One-line description for the table. */
  title: string;
  /** `rnn` workloads run a recurrent model; `matmul` is the throughput probe. */
  kind: 'rnn' | 'matmul';
  /** Cell type (rnn only). */
  cell: Cell;
  /** Batch size (B). */
  batch: number;
  /** Sequence length (T). */
  steps: number;
  /** Input width (I); for W5 the one-hot vocabulary. */
  inputSize: number;
  /** Hidden width (H). */
  hidden: number;
  /** Stacked layers (L). */
  layers: number;
  /** Bidirectional (D = 2). */
  bidirectional: boolean;
  /** Units of the Dense head (classes). */
  units: number;
  /** The head runs at every step (char-LM) instead of on the last state only. */
  headPerStep: boolean;
  /** Forward + backward + Adam update (true) or forward only (false). */
  training: boolean;
  /** Inputs are one-hot vectors (char-LM) rather than Gaussian features. */
  oneHotInput: boolean;
  /** Matrix size of the matmul probe (N for an N×N·N×N product). */
  matmulSize?: number;
  /** Products per timed step of the matmul probe (each read back), to smooth out short bursts. */
  matmulReps?: number;
  /** A caveat shown beside the row (math differences between engines). */
  note?: string;
  /** Checkpointed backpropagation through time (`checkpoint: true` on the recurrent layer). */
  checkpoint?: boolean;
  /**
   * Restricts the workload to these targets (the others are skipped with `reason`): the long
   * workloads run on rnnkit's wasm backend only.
   */
  only?: { engine: EngineName; backends: readonly string[]; reason: string };
  /**
   * Timed runs and warm-up steps that replace the command line's for this workload (a long
   * step takes tens of seconds). Its same-function trajectory is then the losses of those steps
   * themselves (warm-up included), compared with {@link Workload.sameFunctionAs}.
   */
  fixedRuns?: { runs: number; warmup: number };
  /** The workload whose rnnkit rows this one must match (same weights, data and function). */
  sameFunctionAs?: WorkloadId;
}

const base = {
  kind: 'rnn' as const,
  batch: 32,
  steps: 50,
  inputSize: 64,
  hidden: 128,
  layers: 1,
  bidirectional: false,
  units: 10,
  headPerStep: false,
  training: true,
  oneHotInput: false,
};

/**
 * The long-sequence pair (LSTM training at B 32, T 4,000, I 64, H 512): plain BPTT (L1) and
 * checkpointed BPTT (L1C), the same function from the same weights. Each job is its own process,
 * so each row's peak RSS is its variant's own; the report prints their time and memory ratios.
 * TF.js and PyTorch are left out: one step takes tens of seconds on rnnkit-wasm and minutes on
 * a single-threaded engine, and the pair compares rnnkit with itself.
 */
function longWorkloads(): Workload[] {
  const long = {
    ...base,
    cell: 'LSTM' as const,
    steps: 4000,
    hidden: 512,
    only: {
      engine: 'rnnkit' as const,
      backends: ['wasm'],
      reason:
        'a long-sequence step takes minutes on cpu and gpujs; the pair compares rnnkit with itself',
    },
    fixedRuns: { runs: 2, warmup: 1 },
  };
  return [
    { ...long, id: 'L1', title: 'LSTM training B32 T4000 I64 H512 → Dense(10), plain BPTT' },
    {
      ...long,
      id: 'L1C',
      title: 'LSTM training B32 T4000 I64 H512 → Dense(10), checkpoint: true',
      checkpoint: true,
      sameFunctionAs: 'L1',
    },
  ];
}

/** Every workload, in table order. */
export const WORKLOADS: readonly Workload[] = [
  {
    ...base,
    id: 'MM512',
    title: 'matMul 512³ throughput probe (8 products per step)',
    kind: 'matmul',
    cell: 'LSTM',
    batch: 1,
    steps: 1,
    inputSize: 512,
    hidden: 512,
    units: 512,
    training: false,
    matmulSize: 512,
    matmulReps: 8,
  },
  {
    ...base,
    id: 'W1',
    title: 'LSTM inference B32 T50 I64 H128 → Dense(10)',
    cell: 'LSTM',
    training: false,
  },
  { ...base, id: 'W2', title: 'LSTM training B32 T50 I64 H128 → Dense(10)', cell: 'LSTM' },
  {
    ...base,
    id: 'W3',
    title: 'GRU training B32 T50 I64 H128 → Dense(10)',
    cell: 'GRU',
    note: 'tfjs GRU has no reset_after (rnnkit uses PyTorch’s): slightly different math, same FLOP order',
  },
  {
    ...base,
    id: 'W4',
    title: 'SimpleRNN training B32 T50 I64 H128 → Dense(10)',
    cell: 'SimpleRNN',
  },
  {
    ...base,
    id: 'W5',
    title: 'char-LM training one-hot 65, LSTM H256, T100, B16, Dense(65) per step',
    cell: 'LSTM',
    batch: 16,
    steps: 100,
    inputSize: 65,
    hidden: 256,
    units: 65,
    headPerStep: true,
    oneHotInput: true,
  },
  {
    ...base,
    id: 'W6',
    title: '2-layer BiLSTM training B32 T50 I64 H128 → Dense(10)',
    cell: 'LSTM',
    layers: 2,
    bidirectional: true,
  },
  ...longWorkloads(),
];

/** The rnn workloads run by default (MM512 too). */
export const DEFAULT_WORKLOADS: readonly WorkloadId[] = WORKLOADS.map((w) => w.id);

/** Looks a workload up by id (case-insensitive). */
export function getWorkload(id: string): Workload {
  const w = WORKLOADS.find((x) => x.id.toLowerCase() === id.trim().toLowerCase());
  if (!w) {
    throw new Error(
      `unknown workload '${id}' (expected one of ${WORKLOADS.map((x) => x.id).join(', ')})`,
    );
  }
  return w;
}

/** Gate blocks per cell. */
export const GATES: Readonly<Record<Cell, number>> = { LSTM: 4, GRU: 3, SimpleRNN: 1 };

/** FLOPs of one forward pass of a recurrent layer in one direction: `2·B·T·G·H·(I+H)`. */
export function rnnLayerFlops(
  cell: Cell,
  batch: number,
  steps: number,
  inputSize: number,
  hidden: number,
): number {
  return 2 * batch * steps * GATES[cell] * hidden * (inputSize + hidden);
}

/** FLOPs of a Dense layer applied to `rows` vectors: `2·rows·in·units`. */
export function denseFlops(rows: number, inputSize: number, units: number): number {
  return 2 * rows * inputSize * units;
}

/** Forward FLOPs of a workload (see the module comment for the model). */
export function forwardFlops(w: Workload): number {
  if (w.kind === 'matmul') {
    const n = w.matmulSize ?? 512;
    return (w.matmulReps ?? 1) * 2 * n * n * n;
  }
  const D = w.bidirectional ? 2 : 1;
  let total = 0;
  for (let l = 0; l < w.layers; l++) {
    const inWidth = l === 0 ? w.inputSize : D * w.hidden;
    total += D * rnnLayerFlops(w.cell, w.batch, w.steps, inWidth, w.hidden);
  }
  const rows = w.headPerStep ? w.batch * w.steps : w.batch;
  total += denseFlops(rows, D * w.hidden, w.units);
  return total;
}

/** FLOPs of one timed step: forward, or ≈ 3 × forward for a training step. */
export function stepFlops(w: Workload): number {
  return (w.training ? 3 : 1) * forwardFlops(w);
}

/** Sequences processed per timed step (B; 0 for the matmul probe). */
export function sequencesPerStep(w: Workload): number {
  return w.kind === 'matmul' ? 0 : w.batch;
}

/** Achieved GFLOP/s of a step of `flops` taking `ms` milliseconds. */
export function gflopsOf(flops: number, ms: number): number {
  return ms > 0 ? flops / (ms * 1e6) : 0;
}

/** Median of a non-empty list (mean of the two middle values for an even count). */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error('median of an empty list');
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/** A small deterministic generator (mulberry32) so both engines see the same data. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Synthetic batch of a workload, as flat float32 arrays with their shapes. */
export interface SyntheticBatch {
  /** Inputs `[B, T, I]` (one-hot rows for W5). */
  x: Float32Array;
  xShape: [number, number, number];
  /** One-hot targets: `[B, U]`, or `[B, T, U]` when the head runs at every step. */
  y: Float32Array;
  yShape: number[];
}

/** Builds the deterministic input batch and one-hot targets of a workload. */
export function makeBatch(w: Workload, seed = 1234): SyntheticBatch {
  const rand = mulberry32(seed);
  const { batch: B, steps: T, inputSize: I, units: U } = w;
  const x = new Float32Array(B * T * I);
  if (w.oneHotInput) {
    for (let r = 0; r < B * T; r++) x[r * I + Math.floor(rand() * I)] = 1;
  } else {
    for (let i = 0; i < x.length; i++) {
      // Box-Muller, unit Gaussian features.
      const u = Math.max(rand(), 1e-12);
      x[i] = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rand());
    }
  }
  const rows = w.headPerStep ? B * T : B;
  const y = new Float32Array(rows * U);
  for (let r = 0; r < rows; r++) y[r * U + Math.floor(rand() * U)] = 1;
  return { x, xShape: [B, T, I], y, yShape: w.headPerStep ? [B, T, U] : [B, U] };
}

/** Summary statistics of a list of per-step timings (milliseconds). */
export function summarize(times: readonly number[]): {
  medianMs: number;
  minMs: number;
  maxMs: number;
  runs: number;
} {
  return {
    medianMs: median(times),
    minMs: Math.min(...times),
    maxMs: Math.max(...times),
    runs: times.length,
  };
}

/** Adam hyper-parameters used by both engines (Keras/TF.js defaults, lr 1e-3). */
export const ADAM = { learningRate: 1e-3, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 } as const;

/** Engines the benchmark runs (onnxruntime and pytorch only where installed). */
export type EngineName = 'rnnkit' | 'tfjs' | 'onnxruntime' | 'pytorch';

/** One result row as written to `results/latest.json`. */
export interface ResultRow {
  workload: WorkloadId;
  engine: EngineName;
  backend: string;
  medianMs: number;
  minMs: number;
  maxMs: number;
  runs: number;
  gflops: number;
  peakRssMB: number;
  /** Set when the engine/backend could not run: why. Timings are 0 then. */
  error?: string;
  /** Backend self-description (`describe()`, tfjs flags). */
  device?: string;
  /** Loss of the first step (training) or mean of the output (inference): cross-backend check. */
  check?: number;
  /** Which optimizer/loss implementation ran, or other caveats. */
  notes?: string[];
  /**
   * CPU time of the process over wall time during the timed runs (1 = one core busy all the
   * time). Well below 1 for a single-threaded engine means other load on the machine took
   * the core: the figure is unreliable.
   */
  cpuShare?: number;
  /** When the row was measured (ISO). */
  date?: string;
  /** The git commit the row was measured on (`abc1234`, `+dirty` when the tree had changes). */
  commit?: string;
  /**
   * The same-function check (see `parity.ts`): from the shared initial weights, the losses of
   * the first Adam steps and the loss after them (training), or one forward loss (inference).
   */
  trajectory?: number[];
}
