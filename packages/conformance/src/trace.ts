/**
 * Records which kernels of the backend under test each case calls, so that a report can say
 * which cases use a kernel (and so that a case calling a kernel the backend declares
 * unsupported is excluded rather than counted). Tracing wraps the backend's entries in core's
 * kernel registry; it changes no result.
 */
import type { KernelFunc, KernelName } from '@rnnkit/core';
import { ENGINE, KERNEL_NAMES, registerKernel } from '@rnnkit/core';

/** Thrown by a kernel the backend declares unsupported and does not provide. */
export class UnsupportedKernelError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnsupportedKernelError';
  }
}

/**
 * The trace key of one kernel call: the kernel name, and for the kernels that take one, the
 * element-wise op or recurrent mode (`Unary/tanh`, `Binary/add`, `Reduce/sum`,
 * `RnnForward/LSTM`).
 */
export function traceKey(kernel: KernelName, attrs: unknown): string {
  const a = (attrs ?? {}) as { op?: unknown; mode?: unknown };
  const detail = typeof a.op === 'string' ? a.op : typeof a.mode === 'string' ? a.mode : undefined;
  return detail === undefined ? kernel : `${kernel}/${detail}`;
}

type AnyKernel = KernelFunc<KernelName, never>;

/** Wraps one backend's kernels in core's registry and collects the keys they are called with. */
export class KernelTrace {
  private current: Set<string> | undefined;
  private readonly originals = new Map<KernelName, AnyKernel | undefined>();

  /**
   * @param backendName - the backend whose kernels are traced (it must be initialised).
   * @param unsupported - kernels the backend declares unsupported: a missing one throws
   *   {@link UnsupportedKernelError} when called instead of core's "not registered" error.
   */
  constructor(
    private readonly backendName: string,
    unsupported: readonly string[] = [],
  ) {
    for (const kernel of KERNEL_NAMES) {
      const original = ENGINE.getKernel(kernel, backendName) as AnyKernel | undefined;
      this.originals.set(kernel, original);
      if (!original && !unsupported.includes(kernel)) continue;
      const traced = ((inputs: never, attrs: never, backend: never) => {
        this.current?.add(traceKey(kernel, attrs));
        if (!original)
          throw new UnsupportedKernelError(
            `backend '${backendName}' declares kernel ${kernel} unsupported and does not provide it`,
          );
        return original(inputs, attrs, backend);
      }) as AnyKernel;
      registerKernel(kernel, backendName, traced);
    }
  }

  /** Runs `fn`, returning its result with the sorted keys of the kernels it called. */
  async record<T>(fn: () => Promise<T> | T): Promise<{ result: T; kernels: string[] }> {
    const previous = this.current;
    const seen = new Set<string>();
    this.current = seen;
    try {
      const result = await fn();
      return { result, kernels: [...seen].sort() };
    } finally {
      this.current = previous;
    }
  }

  /** Puts the backend's own kernels back in the registry. */
  uninstall(): void {
    for (const [kernel, original] of this.originals)
      if (original) registerKernel(kernel, this.backendName, original as never);
  }
}
