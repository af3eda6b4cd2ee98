/**
 * `errors/<fault>`: every backend raises the same error class for the same fault, through
 * core's storage guard (`checkWrite`, `liveStorage`, `checkReserve`): values that do not fill
 * their shape, an unsupported dtype, a foreign or freed storage handle, and an RnnBackward
 * reserve that no training-mode forward made. Its own file so the error contract reads in one
 * place, apart from the numeric cases.
 */
import {
  type Backend,
  BackendError,
  type DataId,
  type DType,
  DTypeError,
  ENGINE,
  type KernelName,
  ShapeError,
  type TensorInfo,
  ValueError,
} from '@rnnkit/core';
import type { CaseContext, CaseOutcome, SuiteCase } from './plan.js';

type ErrorClass = abstract new (...args: never[]) => Error;

/** One fault: what it needs, the error class it must raise, and how to provoke it. */
interface StorageFault {
  name: string;
  expected: ErrorClass;
  dtypes: DType[];
  kernel?: KernelName;
  provoke: (backend: Backend, put: Put) => void;
}

/** Writes a float32 tensor of `shape` to `backend`; the case frees it afterwards. */
type Put = (backend: Backend, shape: number[]) => TensorInfo;

/** A {@link Put} that remembers what it wrote, and a function freeing whatever is still live. */
function storage(): { put: Put; free: () => void } {
  const written: { backend: Backend; dataId: DataId }[] = [];
  return {
    put: (backend, shape) => {
      const size = shape.reduce((a, b) => a * b, 1);
      const values = Float32Array.from({ length: size }, (_, i) => Math.sin(i + 1) / 2);
      const dataId = backend.write(values, shape, 'float32');
      written.push({ backend, dataId });
      return { dataId, shape, dtype: 'float32' };
    },
    free: () => {
      for (const { backend, dataId } of written) {
        try {
          backend.disposeData(dataId);
        } catch {
          // Already freed by the case itself.
        }
      }
    },
  };
}

function kernel(backend: Backend, name: KernelName) {
  return backend.kernels[name] as unknown as (
    inputs: Record<string, TensorInfo | undefined>,
    attrs: Record<string, unknown>,
    backend: Backend,
  ) => Record<string, TensorInfo | undefined>;
}

/** Feeds RnnBackward the (empty) reserve of an inference-mode LSTM forward. */
function inferenceReserve(backend: Backend, put: Put): void {
  const [B, T, I, H] = [2, 3, 2, 3];
  const inputs = {
    x: put(backend, [B, T, I]),
    wIh: put(backend, [4 * H, I]),
    wHh: put(backend, [4 * H, H]),
    bIh: put(backend, [4 * H]),
    bHh: put(backend, [4 * H]),
    h0: put(backend, [B, H]),
    c0: put(backend, [B, H]),
  };
  const attrs = { mode: 'LSTM', reverse: false };
  const forward = kernel(backend, 'RnnForward')(inputs, { ...attrs, training: false }, backend);
  try {
    kernel(backend, 'RnnBackward')(
      { ...inputs, y: forward.y, reserve: forward.reserve, dy: forward.y, dhN: forward.hN },
      attrs,
      backend,
    );
  } finally {
    for (const output of Object.values(forward)) if (output) backend.disposeData(output.dataId);
  }
}

const FAULTS: readonly StorageFault[] = [
  {
    name: 'write/value-count',
    expected: ShapeError,
    dtypes: ['float32'],
    provoke: (b) => b.write(new Float32Array(5), [2, 3], 'float32'),
  },
  {
    name: 'write/unsupported-dtype',
    expected: DTypeError,
    dtypes: [],
    provoke: (b) => b.write(new Float32Array(1), [1], 'float16' as DType),
  },
  {
    name: 'read/foreign-data',
    expected: BackendError,
    dtypes: [],
    provoke: (b) => b.readSync({} as DataId),
  },
  {
    name: 'read/freed-data',
    expected: BackendError,
    dtypes: ['float32'],
    provoke: (b, put) => {
      const { dataId } = put(b, [2]);
      b.disposeData(dataId);
      b.readSync(dataId);
    },
  },
  {
    name: 'dispose/freed-data',
    expected: BackendError,
    dtypes: ['float32'],
    provoke: (b, put) => {
      const { dataId } = put(b, [2]);
      b.disposeData(dataId);
      b.disposeData(dataId);
    },
  },
  {
    name: 'RnnBackward/inference-reserve',
    expected: ValueError,
    dtypes: ['float32'],
    kernel: 'RnnBackward',
    provoke: inferenceReserve,
  },
];

async function runFault(fault: StorageFault, ctx: CaseContext): Promise<CaseOutcome> {
  const backend = await ENGINE.initBackend(ctx.backend);
  const expected = fault.expected.name;
  const { put, free } = storage();
  try {
    fault.provoke(backend, put);
  } catch (error) {
    const ok = error instanceof fault.expected;
    const got = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    return { ok, message: ok ? got : `expected a ${expected}, got ${got}`, errors: [] };
  } finally {
    free();
  }
  return { ok: false, message: `expected a ${expected}, nothing was thrown`, errors: [] };
}

/** `errors/<fault>`: the error class each storage fault must raise on every backend. */
export function storageErrorSuiteCases(): SuiteCase[] {
  return FAULTS.map((fault) => ({
    id: `errors/${fault.name}`,
    part: 'kernels',
    needs: { dtypes: fault.dtypes, kernel: fault.kernel },
    run: (ctx) => runFault(fault, ctx),
  }));
}
