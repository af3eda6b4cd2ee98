// Shows that the source-style check (scripts/check-source-style.mjs) fails on what it is
// meant to catch — a file without an opening comment, a function over the limit — and lets
// through what it allows: a shebang before the comment, long test-runner callbacks.

import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { checkSourceStyle, longFunctions, opensWithComment } from './check-source-style.mjs';

const body = (n) => Array.from({ length: n }, (_, i) => `  const v${i} = ${i};`).join('\n');

test('a file must open with a comment (a shebang may come first)', () => {
  assert.equal(opensWithComment('/** What this holds. */\nexport const a = 1;\n'), true);
  assert.equal(opensWithComment('#!/usr/bin/env node\n// A command.\n'), true);
  assert.equal(opensWithComment('\n\n// After blank lines.\n'), true);
  assert.equal(opensWithComment("import { a } from './a.js';\n// too late\n"), false);
});

test('functions over the limit are reported by name and length; test callbacks are not', () => {
  const text = [
    `export function long() {\n${body(150)}\n}`,
    `export function short() {\n${body(148)}\n}`,
    `class K {\n  method() {\n${body(151)}\n  }\n}`,
    `const arrow = () => {\n${body(151)}\n};`,
    `describe('suite', () => {\n${body(200)}\n});`,
    `describe.each([[1]])('%s', () => {\n${body(200)}\n});`,
  ].join('\n');
  const found = longFunctions('x.ts', text, 150).map((f) => `${f.name}:${f.lines}`);
  assert.deepEqual(found, ['long:152', 'method:153', 'arrow:153']);
});

test('checkSourceStyle lists every violation with its file and line', () => {
  const dir = mkdtempSync(join(tmpdir(), 'source-style-'));
  const bare = join(dir, 'bare.ts');
  const good = join(dir, 'good.ts');
  writeFileSync(bare, `export function f() {\n${body(3)}\n}\n`);
  writeFileSync(good, `/** Good. */\nexport function g() {\n${body(3)}\n}\n`);
  const violations = checkSourceStyle({ root: dir, files: [bare, good], maxLines: 4 });
  assert.deepEqual(
    violations.map((v) => `${v.file}:${v.line}`),
    ['bare.ts:1', 'bare.ts:1', 'good.ts:2'],
  );
  assert.match(violations[0].message, /no opening comment/);
  assert.match(violations[1].message, /function f is 5 lines \(at most 4\)/);
});
