#!/usr/bin/env node
/**
 * Two rules of the house style that the compiler and Biome do not check, over every TypeScript
 * source file of `packages/` and `apps/` (tests and AssemblyScript included):
 *
 * - every file opens with a comment saying what it holds (a shebang may come first);
 * - no function is longer than 150 lines (declarations, methods, accessors, constructors, and
 *   function or arrow expressions — except the callbacks handed to a test runner's `describe`,
 *   `it`, `test`, … which are test structure, not functions anyone calls).
 *
 *   node scripts/check-source-style.mjs [--max-lines N] [--root DIR] [file ...]
 *
 * Prints one line per violation (`path:line  what`) and exits 1 when there is any, 0 otherwise.
 * The files are those git tracks or would track (untracked, not ignored) below `packages/` and
 * `apps/` of the root, or the files named. Importable: `checkSourceStyle({ root, files })`.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import ts from 'typescript';

/** The longest a function may be, in lines from its first to its last. */
export const MAX_FUNCTION_LINES = 150;

const TEST_RUNNER_CALLS = new Set([
  'describe',
  'it',
  'test',
  'suite',
  'bench',
  'beforeAll',
  'beforeEach',
  'afterAll',
  'afterEach',
]);

/** The TypeScript sources below `packages/` and `apps/` that git tracks or would track. */
export function sourceFiles(root) {
  const out = execFileSync(
    'git',
    ['ls-files', '--cached', '--others', '--exclude-standard', '--', 'packages', 'apps'],
    { cwd: root, encoding: 'utf8' },
  );
  return [
    ...new Set(
      out
        .split('\n')
        .filter((f) => /\.(m|c)?ts$/.test(f) && !f.endsWith('.d.ts'))
        .filter((f) => !/(^|\/)(node_modules|dist|build)\//.test(f)),
    ),
  ]
    .sort()
    .map((f) => join(root, f));
}

/** True when `text` opens with a comment (after an optional shebang and blank lines). */
export function opensWithComment(text) {
  const body = text.replace(/^#![^\n]*\n/, '').replace(/^\uFEFF/, '');
  return /^\s*(\/\/|\/\*)/.test(body);
}

/** The identifier a call chain starts from: `describe` for `describe.each(rows)('%s', fn)`. */
function calleeRoot(expression) {
  let e = expression;
  while (e) {
    if (ts.isIdentifier(e)) return e.text;
    if (ts.isCallExpression(e) || ts.isPropertyAccessExpression(e)) e = e.expression;
    else return undefined;
  }
  return undefined;
}

function isTestRunnerCallback(node) {
  const parent = node.parent;
  return (
    parent !== undefined &&
    ts.isCallExpression(parent) &&
    parent.arguments.includes(node) &&
    TEST_RUNNER_CALLS.has(calleeRoot(parent.expression) ?? '')
  );
}

function functionName(node, source) {
  if (node.name) return node.name.getText(source);
  if (ts.isConstructorDeclaration(node)) return 'constructor';
  const parent = node.parent;
  if (parent && (ts.isVariableDeclaration(parent) || ts.isPropertyAssignment(parent)))
    return parent.name.getText(source);
  if (parent && ts.isPropertyDeclaration(parent)) return parent.name.getText(source);
  return '(anonymous)';
}

/** Every function of `text` longer than `maxLines`: `{ line, name, lines }`. */
export function longFunctions(fileName, text, maxLines = MAX_FUNCTION_LINES) {
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true);
  const found = [];
  const visit = (node) => {
    if (ts.isFunctionLike(node) && 'body' in node && node.body && !isTestRunnerCallback(node)) {
      const first = source.getLineAndCharacterOfPosition(node.getStart(source)).line;
      const last = source.getLineAndCharacterOfPosition(node.getEnd()).line;
      const lines = last - first + 1;
      if (lines > maxLines)
        found.push({ line: first + 1, name: functionName(node, source), lines });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/**
 * Checks the files (default: {@link sourceFiles} of `root`) and returns the violations as
 * `{ file, line, message }`, file relative to `root`.
 */
export function checkSourceStyle({ root, files, maxLines = MAX_FUNCTION_LINES }) {
  const violations = [];
  for (const path of files ?? sourceFiles(root)) {
    const file = relative(root, path);
    const text = readFileSync(path, 'utf8');
    if (!opensWithComment(text))
      violations.push({
        file,
        line: 1,
        message: 'no opening comment: say what the file holds and why it is its own file',
      });
    for (const f of longFunctions(path, text, maxLines))
      violations.push({
        file,
        line: f.line,
        message: `function ${f.name} is ${f.lines} lines (at most ${maxLines}): split it by job`,
      });
  }
  return violations;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { values, positionals } = parseArgs({
    options: {
      'max-lines': { type: 'string', default: String(MAX_FUNCTION_LINES) },
      root: { type: 'string', default: fileURLToPath(new URL('..', import.meta.url)) },
    },
    allowPositionals: true,
  });
  const maxLines = Number(values['max-lines']);
  if (!Number.isInteger(maxLines) || maxLines < 1) {
    console.error(`--max-lines: expected a positive integer, got '${values['max-lines']}'`);
    process.exit(2);
  }
  const root = resolve(values.root);
  const files = positionals.length > 0 ? positionals.map((f) => resolve(f)) : undefined;
  const violations = checkSourceStyle({ root, files, maxLines });
  for (const v of violations) console.log(`${v.file}:${v.line}  ${v.message}`);
  const count = files?.length ?? sourceFiles(root).length;
  console.log(
    violations.length === 0
      ? `source style: ${count} files, every one opens with a comment, no function over ${maxLines} lines`
      : `source style: ${violations.length} violation(s) in ${count} files`,
  );
  process.exit(violations.length === 0 ? 0 : 1);
}
