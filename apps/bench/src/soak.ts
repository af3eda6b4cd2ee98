/**
 * The leak soak's verdict: live tensors and resident memory sampled every 1,000 training steps
 * (`pnpm bench:soak`), and the rule that calls their course growth.
 */

/** One sample of a soak, taken after `step` training steps. */
export interface SoakSample {
  step: number;
  /** `memory().numTensors`: live tensor handles. */
  tensors: number;
  /** `memory().numDataIds`: live storage buffers. */
  dataIds: number;
  /** `process.memoryUsage().rss` in MB. */
  rssMB: number;
  /** V8's used JavaScript heap in MB (`heapUsed`): tells a JS-side growth from a backend's. */
  heapMB?: number;
  /** The backend's own memory in MB when it reports one (WebAssembly memory, wasm only). */
  backendMB?: number;
}

/** Steps between samples for a soak of `steps` steps: 1,000, or a tenth of a shorter soak. */
export function sampleInterval(steps: number): number {
  return Math.max(1, Math.min(1000, Math.ceil(steps / 10)));
}

/**
 * RSS growth (MB) over the soak's trend that counts as a leak, at least.
 *
 * Why 16 MB: resident memory of a healthy run is not flat; it saw-tooths with garbage collection
 * (V8's young generation alone spans up to 16 MB) and allocator pools, around a constant level.
 * A leak grows it in proportion to the steps. Over the ≥ 9,000 steps the trend is fitted on,
 * 16 MB is 1.8 KB per step, below any per-step buffer of the training workloads (W2's smallest
 * activation, its logits, is 1.3 KB; one hidden-state sequence is 800 KB); a leaked tensor of
 * any size is caught exactly by the tensor count.
 */
export const RSS_GROWTH_MB = 16;

/** Relative form of the same bound for large processes: 5% of the RSS at the trend's start. */
export const RSS_GROWTH_FRACTION = 0.05;

/** What a soak concluded. */
export interface SoakVerdict {
  ok: boolean;
  /** Why it failed (empty when ok). */
  reasons: string[];
  /** Least-squares RSS growth over the trend window, in MB (undefined when too short to tell). */
  rssGrowthMB?: number;
}

/** Least-squares slope of y over x. */
function slope(xs: readonly number[], ys: readonly number[]): number {
  const n = xs.length;
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let num = 0;
  let den = 0;
  for (let i = 0; i < n; i++) {
    num += (xs[i] - mx) * (ys[i] - my);
    den += (xs[i] - mx) ** 2;
  }
  return den > 0 ? num / den : 0;
}

/**
 * Judges a soak from its samples (the first taken after warm-up, at step 0):
 *
 * - live tensors and storage buffers must never exceed their first sample: a step that frees
 *   what it creates comes back to exactly the same count, so any excess is a leak;
 * - resident memory must not trend up: the least-squares line through the samples from the
 *   second on (the first interval still grows JIT code, allocator pools and WebAssembly memory
 *   to their working size) may rise by at most max({@link RSS_GROWTH_MB},
 *   {@link RSS_GROWTH_FRACTION} × its start) over the window. A trend needs three samples.
 */
export function soakVerdict(samples: readonly SoakSample[]): SoakVerdict {
  if (samples.length === 0) return { ok: false, reasons: ['no samples'] };
  const reasons: string[] = [];
  const [first] = samples;
  const maxTensors = Math.max(...samples.map((s) => s.tensors));
  const maxIds = Math.max(...samples.map((s) => s.dataIds));
  if (maxTensors > first.tensors)
    reasons.push(`live tensors grew from ${first.tensors} to ${maxTensors}`);
  if (maxIds > first.dataIds)
    reasons.push(`storage buffers grew from ${first.dataIds} to ${maxIds}`);
  const window = samples.slice(1);
  let rssGrowthMB: number | undefined;
  if (window.length >= 3) {
    const xs = window.map((s) => s.step);
    const growth =
      slope(
        xs,
        window.map((s) => s.rssMB),
      ) *
      (xs[xs.length - 1] - xs[0]);
    rssGrowthMB = Math.round(growth * 10) / 10;
    const limit = Math.max(RSS_GROWTH_MB, RSS_GROWTH_FRACTION * window[0].rssMB);
    if (growth > limit)
      reasons.push(
        `RSS trend grew ${rssGrowthMB} MB over steps ${xs[0]}–${xs[xs.length - 1]} (limit ${Math.round(limit)} MB)`,
      );
  }
  return { ok: reasons.length === 0, reasons, rssGrowthMB };
}
