/**
 * Runs one PyTorch golden fixture on the active backend and checks outputs, final states and
 * the gradients of the loss `L = sum(output*dy) + sum(h_n*dh_n) (+ sum(c_n*dc_n))` with respect
 * to `x`, `h0`, `c0` and every weight.
 */
import type { Tensor, Variable } from '@rnnkit/core';
import {
  add,
  concat,
  dispose,
  ENGINE,
  getBackend,
  mul,
  reshape,
  rnnParamNames,
  rnnSequence,
  slice,
  stack,
  sum,
  tensor,
} from '@rnnkit/core';
import type { Fixture, FixtureTensor } from '@rnnkit/testing';
import { checkTensor, formatError, type TensorCheck } from '@rnnkit/testing';
import { TOLERANCES, type Tolerances } from './tolerances.js';

/** How a fixture is run: through `@rnnkit/nn`'s layers or a stack built here on core's `rnnSequence`. */
export type FixtureRoute = 'nn' | 'core';

/** Options of {@link runFixture}. */
export interface RunFixtureOptions {
  /** The dtype the layer runs in; fixture values are rounded to it. Default `float32`. */
  dtype?: 'float32' | 'float64';
  /**
   * `nn` (default) loads the weights into `@rnnkit/nn`'s LSTM/GRU/SimpleRNN by PyTorch name and
   * runs `forward`: the whole public path. `core` stacks layers and directions here with
   * core's fused `rnnSequence`, so a backend can be checked without `@rnnkit/nn`.
   */
  route?: FixtureRoute;
  /** Tolerances (default {@link TOLERANCES}). */
  tolerances?: Tolerances;
}

/** The outcome of one fixture case. */
export interface FixtureResult {
  /** Case name. */
  name: string;
  /** True when every check passed and nothing threw. */
  ok: boolean;
  /** Every tensor check, forward values first, then gradients. */
  checks: TensorCheck[];
  /** Largest error over `output`, `h_n`, `c_n`. */
  forwardError: number;
  /** Largest error over the gradients. */
  gradientError: number;
  /** Set when running the case threw (the error message). */
  error?: string;
}

/** What the fixture runner needs of `@rnnkit/nn`'s recurrent layers. */
export interface RecurrentLayerLike {
  /** Loads parameters by PyTorch name. */
  loadStateDict(params: Record<string, Tensor>): void;
  /** Runs the stack: batch-first output `[B, T, D*H]`, final states `[L*D, B, H]`. */
  forward(
    x: Tensor,
    options?: { initialState?: { h?: Tensor; c?: Tensor }; lengths?: Tensor },
  ): { output: Tensor; hN: Tensor; cN?: Tensor };
  /** Parameters by name. */
  namedParameters(): Map<string, Variable>;
  /** Frees the parameters, when the layer supports it. */
  dispose?(): void;
}

/** The parts of `@rnnkit/nn` the fixture runner uses (loaded on demand). */
export interface NnModule {
  LSTM: new (config: Record<string, unknown>) => RecurrentLayerLike;
  GRU: new (config: Record<string, unknown>) => RecurrentLayerLike;
  SimpleRNN: new (config: Record<string, unknown>) => RecurrentLayerLike;
}

let nnModule: Promise<NnModule> | undefined;

/** Imports `@rnnkit/nn` once, with a clear error if it is missing or broken. */
export function loadNn(): Promise<NnModule> {
  const specifier = '@rnnkit/nn';
  nnModule ??= (import(specifier) as Promise<NnModule>).then(
    (m) => {
      for (const k of ['LSTM', 'GRU', 'SimpleRNN'] as const) {
        if (typeof m[k] !== 'function')
          throw new Error(`${specifier} does not export the layer class '${k}'`);
      }
      return m;
    },
    (e: unknown) => {
      nnModule = undefined;
      throw new Error(
        `cannot import ${specifier} (needed by route 'nn'; use route 'core' to bypass it): ${(e as Error).message}`,
      );
    },
  );
  return nnModule;
}

interface HostResult {
  output: FixtureTensor;
  hN: FixtureTensor;
  cN?: FixtureTensor;
  grads: Record<string, FixtureTensor>;
}

const read = (t: Tensor): FixtureTensor => ({
  shape: [...t.shape],
  data: Float64Array.from(t.dataSync()),
});

/**
 * Runs `fixture` on the active backend and checks it against PyTorch's answers.
 * Never throws for a wrong or crashing backend: the error becomes a failed result.
 * @example
 * ```ts
 * await setBackend('cpu');
 * const r = await runFixture(fixture, { dtype: 'float64' });
 * console.log(formatFixtureResult(r)); // PASS lstm_l1_uni  max err out 3e-16 grad 2e-15
 * ```
 */
export async function runFixture(
  fixture: Fixture,
  options: RunFixtureOptions = {},
): Promise<FixtureResult> {
  const dtype = options.dtype ?? 'float32';
  const route = options.route ?? 'nn';
  const tol = (options.tolerances ?? TOLERANCES).fixture[dtype];
  let host: HostResult;
  try {
    const backend = getBackend();
    if (!backend.dtypes.includes(dtype)) {
      throw new Error(
        `backend '${backend.name}' does not support ${dtype} (it supports ${backend.dtypes.join(', ')})`,
      );
    }
    host = route === 'nn' ? await runThroughNn(fixture, dtype) : runThroughCore(fixture, dtype);
  } catch (e) {
    const message = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
    return {
      name: fixture.name,
      ok: false,
      checks: [],
      forwardError: Infinity,
      gradientError: Infinity,
      error: message,
    };
  }
  const toHost = (t: FixtureTensor) => ({ shape: t.shape, values: t.data });
  const checks: TensorCheck[] = [];
  const forward = (
    name: string,
    actual: FixtureTensor | undefined,
    expected: FixtureTensor | undefined,
  ) => {
    if (!expected) return;
    if (!actual) {
      checks.push({
        name,
        ok: false,
        error: Infinity,
        tolerance: tol.forward,
        message: `${name}: missing from the result`,
      });
      return;
    }
    checks.push(checkTensor(name, toHost(actual), toHost(expected), tol.forward));
  };
  forward('output', host.output, fixture.outputs.output);
  forward('h_n', host.hN, fixture.outputs.hN);
  forward('c_n', host.cN, fixture.outputs.cN);
  const nForward = checks.length;
  for (const [name, expected] of Object.entries(fixture.grads)) {
    const actual = host.grads[name];
    const label = `grad ${name}`;
    if (!actual) {
      checks.push({
        name: label,
        ok: false,
        error: Infinity,
        tolerance: tol.gradient,
        message: `${label}: no gradient was computed`,
      });
    } else {
      checks.push(checkTensor(label, toHost(actual), toHost(expected), tol.gradient));
    }
  }
  const maxOf = (cs: TensorCheck[]) => cs.reduce((m, c) => Math.max(m, c.error), 0);
  return {
    name: fixture.name,
    ok: checks.every((c) => c.ok),
    checks,
    forwardError: maxOf(checks.slice(0, nForward)),
    gradientError: maxOf(checks.slice(nForward)),
  };
}

/**
 * What a result says after the case name: `max err out 3e-16 grad 2e-15`, or the reason it
 * failed with the first failing check (and how many others failed).
 */
export function describeFixtureResult(r: FixtureResult): string {
  if (r.ok)
    return `max err out ${formatError(r.forwardError)} grad ${formatError(r.gradientError)}`;
  if (r.error !== undefined) return r.error;
  const failed = r.checks.filter((c) => !c.ok);
  const more =
    failed.length > 1
      ? ` (and ${failed.length - 1} more: ${failed
          .slice(1)
          .map((c) => c.name)
          .join(', ')})`
      : '';
  return `${failed[0]?.message ?? 'unknown failure'}${more}`;
}

/**
 * One line per case: `PASS name  max err out 3e-16 grad 2e-15`, or `FAIL name  reason` with the
 * first failing check (and how many others failed).
 */
export function formatFixtureResult(r: FixtureResult, name = r.name): string {
  return `${r.ok ? 'PASS' : 'FAIL'} ${name}  ${describeFixtureResult(r)}`;
}

interface Uploaded {
  x: Tensor;
  h0: Tensor;
  c0?: Tensor;
  lengths?: Tensor;
  params: Record<string, Tensor>;
  dy: Tensor;
  dhN: Tensor;
  dcN?: Tensor;
}

function upload(f: Fixture, dtype: 'float32' | 'float64'): Uploaded {
  const up = (t: FixtureTensor): Tensor =>
    tensor(dtype === 'float64' ? t.data : Float32Array.from(t.data), t.shape, dtype);
  const params: Record<string, Tensor> = {};
  for (const name of f.paramNames) params[name] = up(f.params[name]);
  return {
    x: up(f.x),
    h0: up(f.h0),
    c0: f.c0 && up(f.c0),
    lengths: f.lengths && tensor(Int32Array.from(f.lengths), [f.batch], 'int32'),
    params,
    dy: up(f.cotangents.dy),
    dhN: up(f.cotangents.dhN),
    dcN: f.cotangents.dcN && up(f.cotangents.dcN),
  };
}

function loss(u: Uploaded, output: Tensor, hN: Tensor, cN: Tensor | undefined): Tensor {
  let l = add(sum(mul(output, u.dy)), sum(mul(hN, u.dhN)));
  if (u.dcN && cN) l = add(l, sum(mul(cN, u.dcN)));
  return l;
}

/**
 * Runs `forward` under the tape and returns its outputs and the gradients of the fixture's loss
 * with respect to `wrt` (`x`, `h0`, `c0` when present, then every parameter in PyTorch's order),
 * all read back to the host. Shared by both routes: only how the stack is built differs.
 */
function runWithGrads(
  f: Fixture,
  u: Uploaded,
  wrt: Tensor[],
  forward: () => { output: Tensor; hN: Tensor; cN?: Tensor },
): HostResult {
  const names = ['x', 'h0', ...(u.c0 ? ['c0'] : []), ...f.paramNames];
  let result: Omit<HostResult, 'grads'> | undefined;
  const { value, grads } = ENGINE.valueAndGrads(() => {
    const { output, hN, cN } = forward();
    result = { output: read(output), hN: read(hN), cN: cN && read(cN) };
    return loss(u, output, hN, cN);
  }, wrt);
  const out: HostResult = { ...result!, grads: {} };
  names.forEach((n, i) => {
    out.grads[n] = read(grads[i]);
  });
  dispose([value, grads]);
  return out;
}

function runThroughCore(f: Fixture, dtype: 'float32' | 'float64'): HostResult {
  const u = upload(f, dtype);
  try {
    const wrt: Tensor[] = [
      u.x,
      u.h0,
      ...(u.c0 ? [u.c0] : []),
      ...f.paramNames.map((n) => u.params[n]),
    ];
    return runWithGrads(f, u, wrt, () => coreStack(f, u));
  } finally {
    dispose(u);
  }
}

/** The layer stack of a fixture, built from core's fused `rnnSequence` one layer and direction at a time. */
function coreStack(f: Fixture, u: Uploaded): { output: Tensor; hN: Tensor; cN?: Tensor } {
  const B = f.batch;
  const H = f.hiddenSize;
  const D = f.bidirectional ? 2 : 1;
  const state = (s: Tensor, k: number) => reshape(slice(s, [k, 0, 0], [1, B, H]), [B, H]);
  let input = u.x;
  const hNs: Tensor[] = [];
  const cNs: Tensor[] = [];
  for (let l = 0; l < f.numLayers; l++) {
    const ys: Tensor[] = [];
    for (let d = 0; d < D; d++) {
      const names = rnnParamNames(l, d === 1);
      const k = l * D + d;
      const r = rnnSequence({
        mode: f.mode,
        x: input,
        wIh: u.params[names.wIh],
        wHh: u.params[names.wHh],
        bIh: u.params[names.bIh],
        bHh: u.params[names.bHh],
        h0: state(u.h0, k),
        c0: u.c0 && state(u.c0, k),
        lengths: u.lengths,
        reverse: d === 1,
      });
      ys.push(r.y);
      hNs.push(r.hN);
      if (r.cN) cNs.push(r.cN);
    }
    input = D === 1 ? ys[0] : concat(ys, 2);
  }
  return { output: input, hN: stack(hNs, 0), cN: cNs.length > 0 ? stack(cNs, 0) : undefined };
}

async function runThroughNn(f: Fixture, dtype: 'float32' | 'float64'): Promise<HostResult> {
  const nn = await loadNn();
  const config: Record<string, unknown> = {
    inputSize: f.inputSize,
    hiddenSize: f.hiddenSize,
    numLayers: f.numLayers,
    bidirectional: f.bidirectional,
    dtype,
  };
  let layer: RecurrentLayerLike;
  if (f.mode === 'LSTM') layer = new nn.LSTM(config);
  else if (f.mode === 'GRU') layer = new nn.GRU(config);
  else
    layer = new nn.SimpleRNN({ ...config, nonlinearity: f.mode === 'RNN_TANH' ? 'tanh' : 'relu' });
  const u = upload(f, dtype);
  try {
    layer.loadStateDict(u.params);
    const named = layer.namedParameters();
    const paramVars = f.paramNames.map((n) => {
      const v =
        named.get(n) ??
        [...named.entries()].find(([k]) => k.endsWith(`/${n}`) || k.endsWith(`.${n}`))?.[1];
      if (!v)
        throw new Error(
          `the nn layer has no parameter '${n}' (it has ${[...named.keys()].join(', ')})`,
        );
      return v;
    });
    const wrt: Tensor[] = [u.x, u.h0, ...(u.c0 ? [u.c0] : []), ...paramVars];
    return runWithGrads(f, u, wrt, () =>
      layer.forward(u.x, {
        initialState: u.c0 ? { h: u.h0, c: u.c0 } : { h: u.h0 },
        lengths: u.lengths,
      }),
    );
  } finally {
    dispose(u);
    layer.dispose?.();
  }
}
