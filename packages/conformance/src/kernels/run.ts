/**
 * Running one kernel-level case: identical host inputs uploaded to the backend under test and to the reference (cpu, or for cpu itself the host oracle and core's composed recurrent reference), outputs compared.
 */
import type { Backend, KernelName, Tensor, TensorInfo } from '@rnnkit/core';
import {
  add,
  dispose,
  ENGINE,
  GATES_PER_MODE,
  mul,
  rnnSequenceReference,
  sum,
  tensor,
  typedArrayFor,
} from '@rnnkit/core';
import type { HostTensor } from '@rnnkit/testing';
import { checkTensor, formatError, type TensorCheck } from '@rnnkit/testing';
import { rnnKernelTolerance, TOLERANCES, type Tolerances } from '../tolerances.js';
import { directionCase, joinDirections } from './rnn_direction_cases.js';
import type {
  AnyKernelCase,
  ExpectedOutput,
  HostInputs,
  KernelCaseResult,
  RnnCase,
} from './types.js';

function kernelFunc(backend: Backend, kernel: KernelName) {
  const fn =
    ENGINE.getKernel(kernel, backend.name) ?? (backend.kernels as Record<string, unknown>)[kernel];
  if (typeof fn !== 'function')
    throw new Error(`backend '${backend.name}' has no kernel '${kernel}'`);
  return fn as (
    inputs: unknown,
    attrs: unknown,
    backend: Backend,
  ) => Record<string, TensorInfo | undefined>;
}

/**
 * Storage written to or made by one backend during a call, freed together at the end: `up`
 * uploads a host tensor (or passes `undefined` through), `read` reads one back.
 */
function storageOf(backend: Backend) {
  const stored: TensorInfo[] = [];
  return {
    stored,
    up<H extends HostTensor | undefined>(h: H): H extends HostTensor ? TensorInfo : undefined {
      if (!h) return undefined as never;
      const info = {
        dataId: backend.write(h.values, h.shape, h.dtype),
        shape: h.shape,
        dtype: h.dtype,
      };
      stored.push(info);
      return info as never;
    },
    async read(info: TensorInfo): Promise<HostTensor> {
      return { shape: [...info.shape], dtype: info.dtype, values: await backend.read(info.dataId) };
    },
    free(): void {
      for (const info of stored) backend.disposeData(info.dataId);
    },
  };
}

/** Uploads host inputs, calls the kernel, reads every output back and frees everything it stored. */
async function callKernel(
  backend: Backend,
  kernel: KernelName,
  inputs: HostInputs,
  attrs: Record<string, unknown>,
): Promise<Record<string, HostTensor>> {
  const { stored, up, read, free } = storageOf(backend);
  try {
    const infos: Record<string, TensorInfo | TensorInfo[] | undefined> = {};
    for (const [k, v] of Object.entries(inputs))
      infos[k] = Array.isArray(v) ? v.map((h) => up(h)) : up(v);
    const outputs = kernelFunc(backend, kernel)(infos, attrs, backend);
    const result: Record<string, HostTensor> = {};
    for (const info of Object.values(outputs)) if (info) stored.push(info);
    for (const [k, info] of Object.entries(outputs)) if (info) result[k] = await read(info);
    return result;
  } finally {
    free();
  }
}

/**
 * Forward (training or not) then, when asked, backward, all on one backend; with the case's
 * checkpoint segment length unless `plain`.
 */
async function callRnn(
  backend: Backend,
  c: RnnCase,
  training: boolean,
  backward: boolean,
  plain = false,
): Promise<Record<string, HostTensor>> {
  const attrs = {
    mode: c.mode,
    reverse: c.reverse,
    ...(c.checkpoint === undefined || plain ? {} : { checkpoint: c.checkpoint }),
    ...(c.directions === undefined ? {} : { directions: c.directions }),
  };
  const { stored, up, read, free } = storageOf(backend);
  try {
    const i = c.inputs;
    const fwdInputs = {
      x: up(i.x),
      wIh: up(i.wIh),
      wHh: up(i.wHh),
      bIh: up(i.bIh),
      bHh: up(i.bHh),
      h0: up(i.h0),
      c0: up(i.c0),
      lengths: up(i.lengths),
    };
    const fwd = kernelFunc(backend, 'RnnForward')(fwdInputs, { ...attrs, training }, backend);
    for (const info of Object.values(fwd)) if (info) stored.push(info);
    const result: Record<string, HostTensor> = {};
    if (!backward) {
      for (const k of ['y', 'hN', 'cN']) if (fwd[k]) result[k] = await read(fwd[k]!);
      return result;
    }
    const bwd = kernelFunc(backend, 'RnnBackward')(
      {
        ...fwdInputs,
        y: fwd.y,
        reserve: fwd.reserve,
        dy: up(i.dy),
        dhN: up(i.dhN),
        dcN: up(i.dcN),
      },
      attrs,
      backend,
    );
    for (const info of Object.values(bwd)) if (info) stored.push(info);
    for (const [k, info] of Object.entries(bwd)) if (info) result[k] = await read(info);
    return result;
  } finally {
    free();
  }
}

/** The composed reference of a recurrent case: core's `rnnSequenceReference` and the tape, on the active backend. */
function rnnReference(c: RnnCase, backward: boolean): Record<string, HostTensor> {
  const i = c.inputs;
  const up = (h: HostTensor | undefined) => (h ? tensor(h.values, h.shape, h.dtype) : undefined);
  const t = {
    x: up(i.x)!,
    wIh: up(i.wIh)!,
    wHh: up(i.wHh)!,
    bIh: up(i.bIh)!,
    bHh: up(i.bHh)!,
    h0: up(i.h0)!,
    c0: up(i.c0),
    lengths: up(i.lengths),
  };
  const cot = { dy: up(i.dy)!, dhN: up(i.dhN)!, dcN: up(i.dcN) };
  const read = (x: Tensor): HostTensor => ({
    shape: [...x.shape],
    dtype: x.dtype,
    values: x.dataSync(),
  });
  const result: Record<string, HostTensor> = {};
  try {
    const run = () => {
      const r = rnnSequenceReference({ mode: c.mode, reverse: c.reverse, ...t });
      result.y = read(r.y);
      result.hN = read(r.hN);
      if (r.cN) result.cN = read(r.cN);
      let l = add(sum(mul(r.y, cot.dy)), sum(mul(r.hN, cot.dhN)));
      if (r.cN && cot.dcN) l = add(l, sum(mul(r.cN, cot.dcN)));
      return l;
    };
    if (!backward) {
      dispose(ENGINE.tidy(run));
      return result;
    }
    const wrt = [t.x, t.wIh, t.wHh, t.bIh, t.bHh, t.h0, ...(t.c0 ? [t.c0] : [])];
    const names = ['dx', 'dWIh', 'dWHh', 'dBIh', 'dBHh', 'dh0', 'dc0'];
    const { value, grads } = ENGINE.valueAndGrads(run, wrt);
    const out: Record<string, HostTensor> = {};
    grads.forEach((g, k) => {
      out[names[k]] = read(g);
    });
    dispose([value, grads]);
    return out;
  } finally {
    dispose([t, cot]);
  }
}

/** The case with a zero `dy` (shaped as the call's `y`: `[B, T, directions·H]`). */
function withZeroDy(c: RnnCase): RnnCase {
  const { B, T, H } = c.sizes;
  const shape = [B, T, (c.directions ?? 1) * H];
  const dy = { shape, dtype: c.dtype, values: typedArrayFor(c.dtype, B * T * shape[2]) };
  return { ...c, inputs: { ...c.inputs, dy } };
}

async function withActiveBackend<T>(name: string, fn: () => T): Promise<T> {
  let previous: string | undefined;
  try {
    previous = ENGINE.backend.name;
  } catch {
    previous = undefined;
  }
  await ENGINE.setBackend(name);
  try {
    return fn();
  } finally {
    if (previous !== undefined && previous !== name) await ENGINE.setBackend(previous);
  }
}

/** Options of {@link runKernelCase}. */
export interface RunKernelCaseOptions {
  /** Tolerances (default {@link TOLERANCES}). */
  tolerances?: Tolerances;
  /** The reference backend (default `cpu`); when it is the backend under test, the oracle is used. */
  referenceBackend?: string;
}

/**
 * Runs one kernel-level case on `backendName` and compares it with the reference: the cpu
 * backend's kernel, or — when the backend under test is cpu — the host oracle or the
 * composed recurrent reference. Both backends must be registered; they are initialised here.
 */
export async function runKernelCase(
  backendName: string,
  c: AnyKernelCase,
  options: RunKernelCaseOptions = {},
): Promise<KernelCaseResult> {
  const tol = options.tolerances ?? TOLERANCES;
  const refName = options.referenceBackend ?? 'cpu';
  try {
    const backend = await ENGINE.initBackend(backendName);
    const selfCheck = backendName === refName;
    const ref = selfCheck ? undefined : await ENGINE.initBackend(refName);
    let expected: Record<string, ExpectedOutput>;
    let actual: Record<string, HostTensor>;
    if ('mode' in c) {
      const s = { ...c.sizes, G: GATES_PER_MODE[c.mode] };
      const backward = c.kernel === 'RnnBackward';
      // A backward case without dy is compared with the same call given a zero dy.
      const dyAbsent = backward && c.inputs.dy === undefined;
      const refCase = dyAbsent ? withZeroDy(c) : c;
      // A checkpointed, two-direction or dy-less case on the reference backend itself must
      // equal its plain single-direction path (with every input given) exactly.
      const exact = !ref && (c.checkpoint !== undefined || c.directions !== undefined || dyAbsent);
      const tolerance = exact
        ? 0
        : rnnKernelTolerance(c.dtype, s, backward ? 'gradient' : 'forward');
      const plainOn = ref ?? backend;
      const reference =
        c.directions !== undefined
          ? joinDirections([
              await callRnn(plainOn, directionCase(refCase, 0), backward, backward, true),
              await callRnn(plainOn, directionCase(refCase, 1), backward, backward, true),
            ])
          : ref || exact
            ? await callRnn(plainOn, refCase, backward, backward, true)
            : await withActiveBackend(backendName, () => rnnReference(c, backward));
      // dx of two directions sums two gradients, each within the one-direction bound.
      const toleranceOf = (k: string) =>
        k === 'dx' && c.directions !== undefined ? 2 * tolerance : tolerance;
      expected = Object.fromEntries(
        Object.entries(reference).map(([k, v]) => [k, { tensor: v, tolerance: toleranceOf(k) }]),
      );
      actual = await callRnn(backend, c, backward, backward);
      if (!backward) {
        // The training forward (which also fills the reserve) must give the same outputs.
        const trained = await callRnn(backend, c, true, false);
        for (const [k, v] of Object.entries(trained)) actual[`${k} (training)`] = v;
        for (const k of Object.keys(reference)) expected[`${k} (training)`] = expected[k];
      }
    } else {
      if (ref) {
        const reference = await callKernel(ref, c.kernel, c.inputs, c.attrs);
        const tols = c.tolerance(tol);
        expected = Object.fromEntries(
          Object.entries(reference).map(([k, v]) => [k, { tensor: v, ...tols[k] }]),
        );
      } else {
        expected = c.oracle(tol);
      }
      actual = await callKernel(backend, c.kernel, c.inputs, c.attrs);
    }
    return compareOutputs(c.id, actual, expected);
  } catch (e) {
    return {
      id: c.id,
      ok: false,
      error: Infinity,
      message: e instanceof Error ? `${e.name}: ${e.message}` : String(e),
      checks: [],
    };
  }
}

function compareOutputs(
  id: string,
  actual: Record<string, HostTensor>,
  expected: Record<string, ExpectedOutput>,
): KernelCaseResult {
  const failures: string[] = [];
  const checks: TensorCheck[] = [];
  for (const [name, exp] of Object.entries(expected)) {
    const act = actual[name];
    if (!act) {
      const message = `${name}: missing from the kernel's outputs`;
      failures.push(message);
      checks.push({ name, ok: false, error: Infinity, tolerance: exp.tolerance, message });
      continue;
    }
    const check = checkTensor(name, act, exp.tensor, exp.tolerance, exp.scale);
    if (act.dtype !== exp.tensor.dtype) {
      failures.push(`${name}: dtype ${act.dtype}, expected ${exp.tensor.dtype}`);
      check.ok = false;
    }
    checks.push(check);
    if (!check.ok && check.message) failures.push(check.message);
  }
  const worst = checks.reduce((m, c) => Math.max(m, c.error), 0);
  return {
    id,
    ok: failures.length === 0,
    error: worst,
    message: failures.length === 0 ? `max error ${formatError(worst)}` : failures.join('; '),
    checks,
  };
}
