/**
 * The "writing a backend" guide (docs/guides/writing-a-backend.md) runs: every ```ts block is
 * executed the way the TSDoc examples are (self-contained, `check` in scope), with this
 * package in place of the installed one. Its ```js backend module is run from the packed
 * tarballs by test-install/third_party_backend.test.mjs.
 */
import '@rnnkit/backend-cpu';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as cpu from '@rnnkit/backend-cpu';
import * as core from '@rnnkit/core';
import { check, compileDocExample, type DocExample, runDocExample } from '@rnnkit/test-utils';
import { afterAll, describe, it } from 'vitest';
import * as conformance from '../src/index.js';
import * as vitestFace from '../src/vitest.js';

const GUIDE = fileURLToPath(new URL('../../../docs/guides/writing-a-backend.md', import.meta.url));

/** The fenced blocks of one language in a Markdown text, with the line their code starts on. */
function markdownBlocks(text: string, language: string, file: string): DocExample[] {
  const blocks: DocExample[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    if (lines[i].trim() !== `\`\`\`${language}`) continue;
    const start = i + 1;
    let end = start;
    while (end < lines.length && lines[end].trim() !== '```') end++;
    const code = lines.slice(start, end).join('\n');
    const noRun = /^\s*\/\/\s*@example-no-run\b:?\s*(.*)$/.exec(lines[start] ?? '')?.[1];
    blocks.push({ id: `${file}:${start + 1}`, file, line: start + 1, code, noRun });
    i = end;
  }
  return blocks;
}

describe('docs/guides/writing-a-backend.md', () => {
  const blocks = markdownBlocks(readFileSync(GUIDE, 'utf8'), 'ts', 'writing-a-backend.md');
  afterAll(() => core.removeBackend('my-backend'));

  it('has runnable ts blocks, and every block transpiles', () => {
    check(blocks.filter((b) => b.noRun === undefined).length > 0, true);
    for (const b of blocks) compileDocExample(b);
  });

  for (const block of blocks.filter((b) => b.noRun === undefined)) {
    it(
      `runs ${block.id}`,
      () =>
        runDocExample(block, {
          scope: { check },
          modules: {
            '@rnnkit/core': core,
            '@rnnkit/backend-cpu': cpu,
            '@rnnkit/conformance': conformance,
            '@rnnkit/conformance/vitest': vitestFace,
          },
        }),
      120_000,
    );
  }
});
