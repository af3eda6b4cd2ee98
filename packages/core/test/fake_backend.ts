/**
 * A minimal backend for core's own tests, so that core is tested without depending on a real
 * backend.
 */
import type { Backend, KernelFunc, KernelTable } from '../src/backend.js';
import type { KernelName } from '../src/kernel_names.js';
import { KERNEL_NAMES } from '../src/kernel_names.js';
import type { DataId, DType, Shape, TensorInfo, TypedArray } from '../src/types.js';
import { sizeOf, typedArrayFor } from '../src/types.js';

interface Storage {
  values: TypedArray;
}

function notImplemented(name: string): KernelFunc<KernelName, FakeBackend> {
  return () => {
    throw new Error(`fake backend: ${name} not implemented`);
  };
}

/**
 * A minimal backend for core's own tests: element-wise kernels on equal shapes (or a scalar
 * operand) and a full sum. It lets the engine be tested without depending on a real backend.
 */
export class FakeBackend implements Backend {
  readonly dtypes: readonly DType[] = ['float32', 'float64', 'int32'];
  readonly kernels: KernelTable<FakeBackend>;
  private live = new Set<Storage>();

  constructor(readonly name = 'fake') {
    const table: Partial<KernelTable<FakeBackend>> = {
      Unary: ({ x }, { op }, b) => {
        const v = b.get(x);
        const out = typedArrayFor(x.dtype, v.length);
        const fns: Partial<Record<string, (a: number) => number>> = {
          neg: (a) => -a,
          exp: Math.exp,
          square: (a) => a * a,
          tanh: Math.tanh,
          sigmoid: (a) => 1 / (1 + Math.exp(-a)),
          step: (a) => (a > 0 ? 1 : 0),
          sign: Math.sign,
        };
        const fn = fns[op];
        if (!fn) throw new Error(`fake backend: unary ${op}`);
        for (let i = 0; i < v.length; i++) out[i] = fn(v[i]);
        return { y: b.make(out, x.shape, x.dtype) };
      },
      Binary: ({ a, b: bb }, { op, shape }, b) => {
        const va = b.get(a);
        const vb = b.get(bb);
        const n = sizeOf(shape);
        const out = typedArrayFor(a.dtype, n);
        const fns: Partial<Record<string, (p: number, q: number) => number>> = {
          add: (p, q) => p + q,
          sub: (p, q) => p - q,
          mul: (p, q) => p * q,
          div: (p, q) => p / q,
        };
        const fn = fns[op];
        if (!fn) throw new Error(`fake backend: binary ${op}`);
        for (let i = 0; i < n; i++)
          out[i] = fn(va[va.length === 1 ? 0 : i], vb[vb.length === 1 ? 0 : i]);
        return { y: b.make(out, shape, a.dtype) };
      },
      Reduce: ({ x }, { axes, keepDims }, b) => {
        const v = b.get(x);
        let s = 0;
        for (let i = 0; i < v.length; i++) s += v[i];
        const out = typedArrayFor(x.dtype, 1);
        out[0] = s;
        const shape = keepDims ? x.shape.map(() => 1) : x.shape.filter((_, i) => !axes.includes(i));
        return { y: b.make(out, shape, x.dtype) };
      },
    };
    for (const name of KERNEL_NAMES) {
      if (!(name in table)) (table as Record<string, unknown>)[name] = notImplemented(name);
    }
    this.kernels = table as KernelTable<FakeBackend>;
  }

  get(info: TensorInfo): TypedArray {
    return (info.dataId as Storage).values;
  }

  make(values: TypedArray, shape: Shape, dtype: DType): TensorInfo {
    const s: Storage = { values };
    this.live.add(s);
    return { dataId: s, shape, dtype };
  }

  write(values: TypedArray, _shape: Shape, dtype: DType): DataId {
    const copy = typedArrayFor(dtype, values.length);
    copy.set(values);
    const s: Storage = { values: copy };
    this.live.add(s);
    return s;
  }

  async read(dataId: DataId): Promise<TypedArray> {
    return this.readSync(dataId);
  }

  readSync(dataId: DataId): TypedArray {
    return (dataId as Storage).values.slice();
  }

  disposeData(dataId: DataId): void {
    if (!this.live.delete(dataId as Storage)) throw new Error('fake backend: double free');
  }

  memory() {
    return { numDataIds: this.live.size, numBytes: 0 };
  }
}
