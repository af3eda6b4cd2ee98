/**
 * The doc-example runner: every ```ts block of an `@example` TSDoc tag as a test, compiled with
 * esbuild and run in a given scope.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { transformSync } from 'esbuild';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';

/**
 * One fenced ```` ```ts ```` block found inside an `@example` TSDoc tag.
 *
 * A block whose first line is `// @example-no-run: reason` is listed (and transpiled) but not
 * executed; every other block is executed by {@link docExampleTests}.
 */
export interface DocExample {
  /** `path/relative/to/package.ts:line`, the line being the block's first line of code. */
  id: string;
  /** Path relative to the package root, `/`-separated. */
  file: string;
  /** 1-based line, in {@link DocExample.file}, of the block's first line of code. */
  line: number;
  /** The block's code, comment prefixes (` * `) removed. */
  code: string;
  /** The reason given by `// @example-no-run: reason`, if the block carries that marker. */
  noRun?: string;
}

/** What {@link extractDocExamples} found in a source tree. */
export interface DocExampleScan {
  /** Every fenced ts block inside an `@example` tag, in file then line order. */
  examples: DocExample[];
  /** `@example` tags that hold no runnable block (or a block in another language), by id. */
  problems: string[];
}

const NO_RUN = /^\s*\/\/\s*@example-no-run\b:?\s*(.*)$/;
const TAG = /^@[a-zA-Z]+/;
const FENCE_OPEN = /^\s*```\s*([\w-]*)\s*$/;
const FENCE_CLOSE = /^\s*```\s*$/;
/** Fence languages whose blocks are type-checked and run. */
export const RUNNABLE_LANGUAGES: ReadonlySet<string> = new Set(['ts', 'typescript']);

/**
 * One runnable block as a {@link DocExample}, id `file:line`; a first code line
 * `// @example-no-run: reason` marks it check-only (an empty reason is reported in `problems`).
 * Shared by the TSDoc and the Markdown runners so both read blocks by the same rules.
 */
export function exampleFromBlock(
  file: string,
  line: number,
  body: readonly string[],
  problems: string[],
): DocExample {
  const example: DocExample = { id: `${file}:${line}`, file, line, code: body.join('\n') };
  const marker = NO_RUN.exec(body.find((l) => l.trim() !== '') ?? '');
  if (marker) {
    const reason = marker[1].trim();
    if (reason === '') problems.push(`${file}:${line}: @example-no-run needs a reason`);
    example.noRun = reason || '(no reason given)';
  }
  return example;
}

/** Every `*.ts` file under `dir` except tests (`*.test.ts`) and declaration files. */
function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...sourceFiles(path));
    else if (
      entry.isFile() &&
      entry.name.endsWith('.ts') &&
      !entry.name.endsWith('.test.ts') &&
      !entry.name.endsWith('.d.ts')
    ) {
      out.push(path);
    }
  }
  return out.sort();
}

/**
 * Finds the examples of one source file's text; `file` names them in ids and messages.
 */
export function extractDocExamplesFromText(text: string, file: string): DocExampleScan {
  const examples: DocExample[] = [];
  const problems: string[] = [];
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') lineStarts.push(i + 1);
  const lineOf = (offset: number): number => {
    let lo = 0;
    let hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (lineStarts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  };
  for (const match of text.matchAll(/\/\*\*[\s\S]*?\*\//g)) {
    const firstLine = lineOf(match.index);
    const lines = match[0]
      .replace(/^\/\*\*/, '')
      .replace(/\*\/$/, '')
      .split('\n')
      .map((l) => l.replace(/^\s*\* ?/, ''));
    let inExample = false;
    let exampleLine = 0;
    let blocksInExample = 0;
    let fence: { lang: string; start: number; body: string[] } | undefined;
    const closeExample = () => {
      if (inExample && blocksInExample === 0) {
        problems.push(`${file}:${exampleLine}: @example holds no \`\`\`ts block`);
      }
      inExample = false;
    };
    lines.forEach((content, i) => {
      const lineNo = firstLine + i;
      if (fence) {
        if (FENCE_CLOSE.test(content)) {
          if (inExample) {
            blocksInExample++;
            if (!RUNNABLE_LANGUAGES.has(fence.lang)) {
              problems.push(
                `${file}:${fence.start}: @example block is \`\`\`${fence.lang || '(no language)'}; write \`\`\`ts`,
              );
            } else {
              examples.push(exampleFromBlock(file, fence.start, fence.body, problems));
            }
          }
          fence = undefined;
        } else {
          fence.body.push(content);
        }
        return;
      }
      const open = FENCE_OPEN.exec(content);
      if (open) {
        fence = { lang: open[1], start: lineNo + 1, body: [] };
        return;
      }
      if (TAG.test(content.trimStart())) {
        closeExample();
        if (/^@example\b/.test(content.trimStart())) {
          inExample = true;
          exampleLine = lineNo;
          blocksInExample = 0;
        }
      }
    });
    if (fence) problems.push(`${file}:${fence.start}: unclosed \`\`\` fence`);
    closeExample();
  }
  return { examples, problems };
}

/**
 * Finds every `@example` block in the `*.ts` files (tests excluded) under `srcDir`. Ids are
 * relative to `rootDir` (default: the parent of `srcDir`, i.e. the package root).
 */
export function extractDocExamples(srcDir: string, rootDir = join(srcDir, '..')): DocExampleScan {
  const scan: DocExampleScan = { examples: [], problems: [] };
  for (const path of sourceFiles(srcDir)) {
    const file = relative(rootDir, path).split(sep).join('/');
    const found = extractDocExamplesFromText(readFileSync(path, 'utf8'), file);
    scan.examples.push(...found.examples);
    scan.problems.push(...found.problems);
  }
  return scan;
}

/** The code prefixed with its source line numbers, for failure messages. */
function numbered(example: DocExample): string {
  return example.code
    .split('\n')
    .map((l, i) => `${String(example.line + i).padStart(5)} | ${l}`)
    .join('\n');
}

/** Rewrites one esbuild-printed import clause (`a, { b as c }`, `* as ns`) as a destructuring. */
function importBinding(clause: string, specifier: string): string {
  const get = `await __import(${JSON.stringify(specifier)})`;
  const ns = /^\*\s+as\s+([\w$]+)$/.exec(clause);
  if (ns) return `const ${ns[1]} = ${get};`;
  const named = /^(?:([\w$]+)\s*,\s*)?\{([^}]*)\}$/.exec(clause);
  const defaultOnly = /^([\w$]+)$/.exec(clause);
  const parts: string[] = [];
  if (named?.[1] || defaultOnly) parts.push(`default: ${named?.[1] ?? defaultOnly?.[1]}`);
  if (named) {
    for (const item of named[2].split(',')) {
      const [name, alias] = item.trim().split(/\s+as\s+/);
      if (name) parts.push(alias ? `${name}: ${alias}` : name);
    }
  }
  if (parts.length === 0 && !named) throw new Error(`unsupported import clause: ${clause}`);
  return `const { ${parts.join(', ')} } = ${get};`;
}

/**
 * Transpiles an example (TypeScript, top-level `await` and `import` statements allowed) into
 * the body of a function of `__import` (the import resolver) and of the names in scope: its
 * imports become `await __import(specifier)` destructurings, and its code runs in an inner
 * async function so that it may declare names the scope also has.
 */
export function compileDocExample(example: DocExample): string {
  let js: string;
  try {
    js = transformSync(example.code, {
      loader: 'ts',
      format: 'esm',
      target: 'es2022',
      sourcefile: example.id,
      // keep every value import (as the repo's tsconfig does), so an unknown module always fails
      tsconfigRaw: { compilerOptions: { verbatimModuleSyntax: true } },
    }).code;
  } catch (err) {
    throw new Error(
      `example ${example.id} does not transpile: ${(err as Error).message}\n${numbered(example)}`,
    );
  }
  // esbuild prints one import per statement, a long one over several lines
  const body = js
    .replace(/^import\s+"([^"]+)";[ \t]*$/gm, (_, specifier: string) => {
      return `await __import(${JSON.stringify(specifier)});`;
    })
    .replace(
      /^import\s+([^;"]+?)\s+from\s+"([^"]+)";[ \t]*$/gm,
      (_, clause: string, specifier: string) =>
        importBinding(clause.replace(/\s+/g, ' ').trim(), specifier),
    );
  return `"use strict";\nreturn (async () => {\n${body}\n})();`;
}

/** What an example runs with. */
export interface DocExampleContext {
  /** Names in scope without an import (a package's public API, helpers like {@link check}). */
  scope: Record<string, unknown>;
  /**
   * Modules an example may `import`, by specifier. `node:` built-ins are imported as asked;
   * any other specifier fails the example.
   */
  modules: Record<string, unknown>;
}

/** Runs one example; rejects, naming the example and showing its code, if it throws. */
export async function runDocExample(
  example: DocExample,
  { scope, modules }: DocExampleContext,
): Promise<void> {
  const names = Object.keys(scope);
  const body = compileDocExample(example);
  const importer = async (specifier: string): Promise<unknown> => {
    if (Object.hasOwn(modules, specifier)) return modules[specifier];
    if (specifier.startsWith('node:')) return import(specifier);
    throw new Error(
      `example imports '${specifier}', which the doc-example test does not provide (known: ${Object.keys(modules).join(', ')})`,
    );
  };
  const fn = new Function('__import', ...names, body) as (...args: unknown[]) => Promise<void>;
  try {
    await fn(importer, ...names.map((n) => scope[n]));
  } catch (err) {
    const message = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
    throw new Error(`example ${example.id} threw ${message}\n${numbered(example)}`, {
      cause: err,
    });
  }
}

/**
 * Merges module namespaces into one scope. A name exported by two of them with different
 * values throws: an example could not tell which one it gets.
 */
export function mergeScopes(...namespaces: Record<string, unknown>[]): Record<string, unknown> {
  const scope: Record<string, unknown> = {};
  for (const ns of namespaces) {
    for (const name of Object.keys(ns)) {
      if (Object.hasOwn(scope, name) && scope[name] !== ns[name]) {
        throw new Error(`doc examples: '${name}' is exported by two scopes with different values`);
      }
      scope[name] = ns[name];
    }
  }
  return scope;
}

function toComparable(value: unknown): unknown {
  if (value !== null && typeof value === 'object') {
    const arraySync = (value as { arraySync?: unknown }).arraySync;
    if (typeof arraySync === 'function') return arraySync.call(value);
    if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
      return Array.from(value as unknown as ArrayLike<number>);
    }
  }
  return value;
}

function mismatch(path: string, actual: unknown, expected: unknown, tolerance: number): string {
  const a = toComparable(actual);
  const e = toComparable(expected);
  if (typeof e === 'number') {
    if (typeof a !== 'number') return `${path}: got ${JSON.stringify(a)}, expected ${e}`;
    if (Number.isNaN(e)) return Number.isNaN(a) ? '' : `${path}: got ${a}, expected NaN`;
    if (!Number.isFinite(e)) return Object.is(a, e) ? '' : `${path}: got ${a}, expected ${e}`;
    const bound = tolerance * Math.max(1, Math.abs(e));
    return Math.abs(a - e) <= bound ? '' : `${path}: got ${a}, expected ${e} (±${bound})`;
  }
  if (Array.isArray(e)) {
    if (!Array.isArray(a)) return `${path}: got ${JSON.stringify(a)}, expected an array`;
    if (a.length !== e.length) return `${path}: got length ${a.length}, expected ${e.length}`;
    for (let i = 0; i < e.length; i++) {
      const m = mismatch(`${path}[${i}]`, a[i], e[i], tolerance);
      if (m) return m;
    }
    return '';
  }
  if (e !== null && typeof e === 'object') {
    if (a === null || typeof a !== 'object') {
      return `${path}: got ${JSON.stringify(a)}, expected an object`;
    }
    for (const key of Object.keys(e)) {
      const m = mismatch(
        `${path}.${key}`,
        (a as Record<string, unknown>)[key],
        (e as Record<string, unknown>)[key],
        tolerance,
      );
      if (m) return m;
    }
    return '';
  }
  return Object.is(a, e) ? '' : `${path}: got ${JSON.stringify(a)}, expected ${JSON.stringify(e)}`;
}

/**
 * The assertion doc examples use: throws unless `actual` matches `expected`. Tensors are
 * compared by value (`arraySync()`), typed arrays as arrays, numbers within
 * `tolerance * max(1, |expected|)`, arrays element-wise, and objects on the keys `expected`
 * lists (other keys of `actual` are not compared).
 *
 * @example
 * ```ts
 * check([0.1 + 0.2, 1], [0.3, 1]);
 * check({ a: 1, b: 'x' }, { a: 1 });
 * ```
 */
export function check(actual: unknown, expected: unknown, tolerance = 1e-4): void {
  const m = mismatch('value', actual, expected, tolerance);
  if (m) throw new Error(`check failed: ${m}`);
}

/** Options of {@link docExampleTests}. */
export interface DocExampleTestOptions extends DocExampleContext {
  /** The package's `src` directory. */
  srcDir: string;
  /** Runs once before the examples (e.g. `setBackend('cpu')`). */
  setup?: () => unknown;
  /** Runs before each example (e.g. `setSeed(0)`), so that examples do not depend on order. */
  beforeEachExample?: () => unknown;
}

/**
 * Registers one vitest test per `@example` block under `srcDir`, named `file:line`, plus
 * checks that every `@example` holds a ```` ```ts ```` block and that every block (no-run ones
 * too) transpiles. A block marked `// @example-no-run: reason` is registered as skipped with
 * its reason in the test name, never dropped silently.
 */
export function docExampleTests(options: DocExampleTestOptions): DocExampleScan {
  const scan = extractDocExamples(options.srcDir);
  const context: DocExampleContext = { scope: options.scope, modules: options.modules };
  describe('doc examples', () => {
    if (options.setup) beforeAll(options.setup);
    if (options.beforeEachExample) beforeEach(options.beforeEachExample);

    it('every @example holds a ```ts block', () => {
      expect(scan.problems).toEqual([]);
      expect(scan.examples.length).toBeGreaterThan(0);
    });

    it('every example transpiles, no-run ones included', () => {
      for (const example of scan.examples) compileDocExample(example);
    });

    registerExampleTests(scan.examples, context);
  });
  return scan;
}

/**
 * One test per example that runs; the check-only (`@example-no-run`) ones are named, with their
 * reasons, in one test that transpiles them, rather than registered as skipped tests.
 * Shared by the TSDoc and the Markdown runners; call it inside a `describe`.
 */
export function registerExampleTests(
  examples: readonly DocExample[],
  context: DocExampleContext,
): void {
  const checkOnly = examples.filter((e) => e.noRun !== undefined);
  if (checkOnly.length > 0) {
    const names = checkOnly.map((e) => `${e.id} [${e.noRun}]`).join('; ');
    it(`check-only blocks transpile (not run): ${names}`, () => {
      for (const example of checkOnly) compileDocExample(example);
    });
  }
  for (const example of examples) {
    if (example.noRun === undefined) it(example.id, () => runDocExample(example, context));
  }
}
