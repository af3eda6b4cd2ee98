/**
 * The checks kernel dispatch makes before a kernel runs: every input a live tensor of the
 * active backend in a dtype it supports, with errors that name the kernel and the argument.
 */
import type { Backend } from '../backend.js';
import { BackendError, DTypeError, ValueError } from '../errors.js';
import { Tensor } from '../tensor.js';
import type { DType } from '../types.js';

/** Checks every tensor of a kernel's named inputs (arrays included) against `backend`. */
export function checkKernelInputs(
  kernelName: string,
  inputs: Record<string, Tensor | Tensor[] | undefined>,
  backend: Backend,
): void {
  for (const [arg, value] of Object.entries(inputs)) {
    if (value === undefined) continue;
    for (const t of Array.isArray(value) ? value : [value]) checkInput(kernelName, arg, t, backend);
  }
}

function checkInput(kernelName: string, arg: string, t: Tensor, backend: Backend): void {
  if (!(t instanceof Tensor)) {
    throw new ValueError(
      `${kernelName}: argument '${arg}' must be a Tensor, got ${describeValue(t)}`,
    );
  }
  t.assertAlive(`${kernelName}: argument '${arg}'`);
  if (t.backend !== backend) {
    throw new BackendError(
      `${kernelName}: argument '${arg}' (tensor #${t.id}) lives on backend '${t.backend.name}' but the active backend is '${backend.name}'; ` +
        `copy it with transfer(tensor, '${backend.name}')`,
    );
  }
  assertDType(backend, t.dtype, `${kernelName}: argument '${arg}'`);
}

/** Throws {@link DTypeError} when `backend` does not support `dtype`. */
export function assertDType(backend: Backend, dtype: DType, context: string): void {
  if (!backend.dtypes.includes(dtype)) {
    throw new DTypeError(
      `${context}: backend '${backend.name}' does not support dtype '${dtype}' (it supports ${backend.dtypes.join(', ')})`,
    );
  }
}

/** A short description of a value that should have been a tensor, for error messages. */
export function describeValue(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'object') return (v as object).constructor?.name ?? 'an object';
  return `${typeof v} ${String(v)}`;
}
