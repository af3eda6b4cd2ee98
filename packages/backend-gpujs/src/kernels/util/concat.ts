// Column-wise joins of per-part textures in passes of a bounded fan-in, shared by Concat and the fused recurrence.
import type { GpujsBackend, GpuValue } from '../../backend.js';
import { int, kernelSource, unravel } from '../../codegen.js';

/** Texture arguments per concatenation pass (WebGL 1 guarantees 8 texture units). */
export const CONCAT_FAN_IN = 8;

/**
 * Joins row-major `[outer, widths[i]]` blocks side by side into `[outer, sum(widths)]`, at most
 * {@link CONCAT_FAN_IN} inputs per kernel (more are joined in a tree of passes). The inputs stay
 * owned by the caller; the result is a new value (an alias when only one input is non-empty).
 */
export function concatColumns(
  backend: GpujsBackend,
  values: readonly GpuValue[],
  widths: readonly number[],
  outer: number,
): GpuValue {
  const parts = values
    .map((value, k) => ({ value, width: widths[k] }))
    .filter((part) => part.width > 0);
  if (parts.length === 1) return backend.alias(parts[0].value);
  if (parts.length <= CONCAT_FAN_IN) return concatPass(backend, parts, outer);
  const groups: { value: GpuValue; width: number }[] = [];
  for (let start = 0; start < parts.length; start += CONCAT_FAN_IN) {
    const group = parts.slice(start, start + CONCAT_FAN_IN);
    groups.push({
      value: concatColumns(
        backend,
        group.map((p) => p.value),
        group.map((p) => p.width),
        outer,
      ),
      width: group.reduce((n, p) => n + p.width, 0),
    });
  }
  const out = concatColumns(
    backend,
    groups.map((g) => g.value),
    groups.map((g) => g.width),
    outer,
  );
  for (const g of groups) backend.free(g.value);
  return out;
}

export function concatPass(
  backend: GpujsBackend,
  parts: readonly { value: GpuValue; width: number }[],
  outer: number,
): GpuValue {
  const total = parts.reduce((n, p) => n + p.width, 0);
  const widths = parts.map((p) => p.width);
  const params = parts.map((_, k) => `a${k}`);
  return backend.run(
    `concat:${outer}:[${widths}]`,
    outer * total,
    () => {
      const { code, coords } = unravel('i', [outer, total], 'o');
      const [row, col] = coords;
      const lines = [code];
      let offset = 0;
      parts.forEach((part, k) => {
        const read = `a${k}[${row === '0.0' ? '' : `${row} * ${int(part.width)} + `}${col} - ${int(offset)}]`;
        offset += part.width;
        lines.push(
          k === parts.length - 1
            ? `return ${read};`
            : `if (${col} < ${int(offset)}) { return ${read}; }`,
        );
      });
      return kernelSource(params, lines.join('\n'));
    },
    parts.map((p) => p.value),
  );
}
