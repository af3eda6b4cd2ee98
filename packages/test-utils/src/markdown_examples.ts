/**
 * The Markdown code-block runner: every ```` ```ts ```` block of a list of Markdown files
 * (READMEs, guides) is type-checked under a tsconfig and executed, one vitest test per block.
 *
 * Usage — Markdown files in, executed blocks out:
 *
 * ```ts
 * markdownExampleTests({
 *   files: ['/repo/README.md', '/repo/docs/guides/01-getting-started.md'],
 *   rootDir: '/repo',                       // ids are `README.md:12` (path relative to it:line)
 *   tsconfig: '/repo/docs/tsconfig.json',    // compiler options of the type check
 *   modules: { '@rnnkit/core': core, '@rnnkit/nn': nn, '@rnnkit/backend-cpu': cpu },
 *   setup: () => setBackend('cpu'),          // optional, once before the blocks
 * });
 * ```
 *
 * Rules the blocks follow:
 * - A ```` ```ts ```` (or ```` ```typescript ````) block is a complete program: it imports what it
 *   uses (`import { LSTM } from '@rnnkit/nn'`), may use top-level `await`, and asserts with
 *   `node:assert` if it wants to check something. Blocks do not share names; each runs alone,
 *   in file order.
 * - The type check puts every block in a virtual module next to `tsconfig` (so package
 *   specifiers resolve as they do there) and reports `file.md:line` for every diagnostic.
 * - A block whose first line is `// @example-no-run: reason` is type-checked but not executed
 *   (e.g. browser-only code); it is named, with its reason, in one check-only test.
 * - Blocks in any other language (`bash`, `python`, `text`, none) are neither checked nor run.
 * - At run time, imports resolve through `modules` (and `node:` built-ins); anything else fails.
 */
import { readFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import ts from 'typescript';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  type DocExample,
  type DocExampleContext,
  type DocExampleScan,
  exampleFromBlock,
  RUNNABLE_LANGUAGES,
  registerExampleTests,
} from './doc_examples.js';

const FENCE = /^(\s*)(`{3,}|~{3,})\s*([\w-]*)[^\n]*$/;

/**
 * The ```` ```ts ```` blocks of one Markdown text; `file` names them in ids (`file:line`, the
 * line of the block's first code line). Unclosed fences are reported as problems.
 */
export function extractMarkdownExamplesFromText(text: string, file: string): DocExampleScan {
  const examples: DocExample[] = [];
  const problems: string[] = [];
  const lines = text.split('\n');
  let fence:
    | { marker: string; indent: number; lang: string; start: number; body: string[] }
    | undefined;
  lines.forEach((content, i) => {
    if (fence) {
      const close = new RegExp(`^\\s*${fence.marker[0]}{${fence.marker.length},}\\s*$`);
      if (close.test(content)) {
        if (RUNNABLE_LANGUAGES.has(fence.lang)) {
          examples.push(exampleFromBlock(file, fence.start, fence.body, problems));
        }
        fence = undefined;
      } else {
        fence.body.push(content.slice(Math.min(fence.indent, content.search(/\S|$/))));
      }
      return;
    }
    const open = FENCE.exec(content);
    if (open) {
      fence = {
        marker: open[2],
        indent: open[1].length,
        lang: open[3].toLowerCase(),
        start: i + 2,
        body: [],
      };
    }
  });
  if (fence) problems.push(`${file}:${fence.start - 1}: unclosed ${fence.marker} fence`);
  return { examples, problems };
}

/** The ```` ```ts ```` blocks of Markdown `files`, ids relative to `rootDir`, in file order. */
export function extractMarkdownExamples(files: readonly string[], rootDir: string): DocExampleScan {
  const scan: DocExampleScan = { examples: [], problems: [] };
  for (const path of files) {
    const file = relative(rootDir, path).split(sep).join('/');
    const found = extractMarkdownExamplesFromText(readFileSync(path, 'utf8'), file);
    scan.examples.push(...found.examples);
    scan.problems.push(...found.problems);
  }
  return scan;
}

/** The virtual module path of an example, next to the tsconfig. */
function virtualPath(tsconfigDir: string, index: number): string {
  return join(tsconfigDir, `__markdown_example_${index}__.ts`);
}

/**
 * Type-checks every example (no-run ones too) as its own module under `tsconfig`'s compiler
 * options. Returns one message per diagnostic, `file.md:line:column: TSxxxx message`; empty
 * when all blocks type-check.
 */
export function typecheckExamples(examples: readonly DocExample[], tsconfig: string): string[] {
  const dir = dirname(tsconfig);
  const config = ts.readConfigFile(tsconfig, ts.sys.readFile);
  if (config.error)
    throw new Error(ts.flattenDiagnosticMessageText(config.error.messageText, '\n'));
  const parsed = ts.parseJsonConfigFileContent(config.config, ts.sys, dir);
  const options: ts.CompilerOptions = { ...parsed.options, noEmit: true };
  const sources = new Map<string, { example: DocExample; text: string }>();
  examples.forEach((example, i) =>
    // `export {}` makes every block a module: top-level await, and no names shared between blocks
    sources.set(virtualPath(dir, i), { example, text: `${example.code}\nexport {};\n` }),
  );
  const host = ts.createCompilerHost(options);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (name, language, onError, fresh) => {
    const virtual = sources.get(name);
    return virtual
      ? ts.createSourceFile(name, virtual.text, language, true, ts.ScriptKind.TS)
      : getSourceFile(name, language, onError, fresh);
  };
  const fileExists = host.fileExists.bind(host);
  host.fileExists = (name) => sources.has(name) || fileExists(name);
  const readFile = host.readFile.bind(host);
  host.readFile = (name) => sources.get(name)?.text ?? readFile(name);
  const program = ts.createProgram([...sources.keys()], options, host);
  const messages: string[] = [];
  for (const d of ts.getPreEmitDiagnostics(program)) {
    const source = d.file ? sources.get(d.file.fileName) : undefined;
    const text = ts.flattenDiagnosticMessageText(d.messageText, '\n');
    if (!d.file || !source) {
      // an error outside the blocks (config, a library file) still fails the check
      messages.push(`${d.file?.fileName ?? tsconfig}: TS${d.code} ${text}`);
      continue;
    }
    const { line, character } = d.file.getLineAndCharacterOfPosition(d.start ?? 0);
    messages.push(
      `${source.example.file}:${source.example.line + line}:${character + 1}: TS${d.code} ${text}`,
    );
  }
  return messages;
}

/** Options of {@link markdownExampleTests}. */
export interface MarkdownExampleTestOptions extends DocExampleContext {
  /** The Markdown files, absolute paths. */
  files: readonly string[];
  /** Ids and messages name files relative to this directory. */
  rootDir: string;
  /** The tsconfig.json whose compiler options type-check the blocks (they resolve from its directory). */
  tsconfig: string;
  /** Runs once before the blocks (e.g. `setBackend('cpu')`). */
  setup?: () => unknown;
  /** Runs before each block (e.g. `setSeed(0)`), so that blocks do not depend on order. */
  beforeEachExample?: () => unknown;
}

/**
 * Registers, inside a `describe('markdown examples')`: a test that every listed file exists
 * and its fences close, a test that every ```` ```ts ```` block type-checks under `tsconfig`,
 * and one test per block named `file.md:line` that runs it (no-run blocks are named, with their
 * reasons, in one check-only test). Returns what it found.
 */
export function markdownExampleTests(options: MarkdownExampleTestOptions): DocExampleScan {
  const scan = extractMarkdownExamples(options.files, options.rootDir);
  const context: DocExampleContext = { scope: options.scope, modules: options.modules };
  describe('markdown examples', () => {
    if (options.setup) beforeAll(options.setup);
    if (options.beforeEachExample) beforeEach(options.beforeEachExample);

    it('every fence closes and every no-run marker gives a reason', () => {
      expect(scan.problems).toEqual([]);
    });

    it('every ts block type-checks', () => {
      expect(typecheckExamples(scan.examples, options.tsconfig)).toEqual([]);
    }, 300_000);

    registerExampleTests(scan.examples, context);
  });
  return scan;
}
