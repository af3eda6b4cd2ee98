// Kernels that leave nothing behind when they fail half way (out of memory between outputs).
import type { KernelTable } from '@rnnkit/core';
import type { WasmBackend } from '../../backend.js';

/** `table` with every kernel run under {@link WasmBackend.allocating}. */
export function freeingOutputsOnError(table: KernelTable<WasmBackend>): KernelTable<WasmBackend> {
  const wrapped: Record<string, unknown> = {};
  for (const [name, kernel] of Object.entries(table)) {
    const run = kernel as (inputs: unknown, attrs: unknown, backend: WasmBackend) => unknown;
    wrapped[name] = (inputs: unknown, attrs: unknown, backend: WasmBackend) =>
      backend.allocating(() => run(inputs, attrs, backend));
  }
  return wrapped as unknown as KernelTable<WasmBackend>;
}
