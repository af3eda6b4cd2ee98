// The contract between the compiled module and the host: the op codes are generated from core's
// lists (and the committed file is current), and `RnnkitExports` in src/module.ts lists exactly
// the functions each compiled build exports, with their parameter counts.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { OPS_FILE, renderOpCodes } from '../scripts/generate-abi.js';
import { defaultWasmUrl, instantiateWasm } from '../src/module.js';

/** Method name → parameter count of the `RnnkitExports` interface, read from its source. */
function declaredExports(): Map<string, number> {
  const path = fileURLToPath(new URL('../src/module.ts', import.meta.url));
  const source = ts.createSourceFile(path, readFileSync(path, 'utf8'), ts.ScriptTarget.Latest);
  const declared = new Map<string, number>();
  source.forEachChild((node) => {
    if (!ts.isInterfaceDeclaration(node) || node.name.text !== 'RnnkitExports') return;
    for (const member of node.members) {
      if (ts.isMethodSignature(member) && ts.isIdentifier(member.name)) {
        declared.set(member.name.text, member.parameters.length);
      }
    }
  });
  return declared;
}

/** Function name → parameter count of what a compiled build exports. */
async function compiledExports(threads: boolean): Promise<Map<string, number>> {
  const module = await WebAssembly.compile(readFileSync(defaultWasmUrl(threads)));
  const memory = threads
    ? new WebAssembly.Memory({ initial: 16, maximum: 32768, shared: true })
    : new WebAssembly.Memory({ initial: 16 });
  const instance = (await instantiateWasm(module, memory)) as unknown as Record<string, unknown>;
  const compiled = new Map<string, number>();
  for (const { name, kind } of WebAssembly.Module.exports(module)) {
    // asc re-exports the imported memory; every other export is a function the host calls.
    if (kind === 'memory' && name === 'memory') continue;
    expect(kind, `export '${name}'`).toBe('function');
    compiled.set(name, (instance[name] as (...args: number[]) => unknown).length);
  }
  return compiled;
}

describe('the module ABI', () => {
  it('numbers the ops and modes as core lists them (assembly/generated/ops.ts is current)', () => {
    expect(
      readFileSync(OPS_FILE, 'utf8'),
      'run `pnpm --filter @rnnkit/backend-wasm generate:abi` and commit the result',
    ).toBe(renderOpCodes());
  });

  it('finds the interface it checks', () => {
    expect(declaredExports().size).toBeGreaterThan(20);
  });

  for (const threads of [false, true]) {
    it(`types exactly what the ${threads ? 'threads' : 'single-thread'} build exports`, async () => {
      const declared = Object.fromEntries(declaredExports());
      const compiled = Object.fromEntries(await compiledExports(threads));
      expect(compiled).toEqual(declared);
    });
  }
});
