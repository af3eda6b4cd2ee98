// The code the module expects for an op or mode: its position in core's list, the same list
// scripts/generate-abi.ts numbers the AssemblyScript constants from (assembly/generated/ops.ts).
import { ValueError } from '@rnnkit/core';

/** Position of `value` in `list`; a ValueError naming the list's entries when it is not there. */
export function opCode<T extends string>(list: readonly T[], value: T, what: string): number {
  const code = list.indexOf(value);
  if (code < 0) {
    throw new ValueError(
      `wasm backend: unknown ${what} '${String(value)}' (expected one of ${list.join(', ')})`,
    );
  }
  return code;
}
