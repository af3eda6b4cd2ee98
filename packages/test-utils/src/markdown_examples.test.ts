/**
 * Tests of the Markdown example runner: extraction, type checks and imports.
 */
import { fileURLToPath } from 'node:url';
import * as core from '@rnnkit/core';
import { describe, expect, it } from 'vitest';
import { runDocExample } from './doc_examples.js';
import { extractMarkdownExamplesFromText, typecheckExamples } from './markdown_examples.js';

const FENCE = '```';
const TSCONFIG = fileURLToPath(new URL('../tsconfig.json', import.meta.url));

describe('extractMarkdownExamplesFromText', () => {
  it('finds ts blocks with the line of their first code line; other languages are left alone', () => {
    const md = [
      '# Title',
      `${FENCE}bash`,
      'pnpm test',
      FENCE,
      `${FENCE}ts`,
      "import { tensor } from '@rnnkit/core';",
      'tensor([1]);',
      FENCE,
      '- a list item:',
      `  ${FENCE}typescript`,
      '  const x = 1;',
      `  ${FENCE}`,
      '~~~ts',
      '// @example-no-run: browser only',
      'fetch("/m");',
      '~~~',
    ].join('\n');
    const { examples, problems } = extractMarkdownExamplesFromText(md, 'README.md');
    expect(problems).toEqual([]);
    expect(examples).toEqual([
      {
        id: 'README.md:6',
        file: 'README.md',
        line: 6,
        code: "import { tensor } from '@rnnkit/core';\ntensor([1]);",
      },
      { id: 'README.md:11', file: 'README.md', line: 11, code: 'const x = 1;' },
      {
        id: 'README.md:14',
        file: 'README.md',
        line: 14,
        code: '// @example-no-run: browser only\nfetch("/m");',
        noRun: 'browser only',
      },
    ]);
  });

  it('reports an unclosed fence and a no-run marker without a reason', () => {
    const { problems } = extractMarkdownExamplesFromText(
      `${FENCE}ts\n// @example-no-run\n${FENCE}\n${FENCE}ts\nopen();`,
      'a.md',
    );
    expect(problems).toEqual([
      'a.md:2: @example-no-run needs a reason',
      'a.md:4: unclosed ``` fence',
    ]);
  });
});

describe('typecheckExamples', () => {
  it('passes good blocks and names the Markdown line of each error', () => {
    const good = {
      id: 'g.md:3',
      file: 'g.md',
      line: 3,
      code: "import { tensor } from '@rnnkit/core';\nconst t = tensor([1, 2]);\nawait Promise.resolve(t.size);",
    };
    const bad = {
      id: 'b.md:10',
      file: 'b.md',
      line: 10,
      code: "import { tensor } from '@rnnkit/core';\nconst n: string = tensor([1]).size;\nnoSuchFunctionAnywhere();",
    };
    expect(typecheckExamples([good], TSCONFIG)).toEqual([]);
    const errors = typecheckExamples([good, bad], TSCONFIG);
    expect(errors).toHaveLength(2);
    expect(errors[0]).toMatch(/^b\.md:11:7: TS2322 /);
    expect(errors[1]).toMatch(/^b\.md:12:1: TS\d+ Cannot find name 'noSuchFunctionAnywhere'/);
  }, 120_000);

  it('runs a block through the modules it imports', async () => {
    const [example] = extractMarkdownExamplesFromText(
      `${FENCE}ts\nimport { DTYPES } from '@rnnkit/core';\nimport assert from 'node:assert/strict';\nassert.equal(DTYPES.length, 4);\n${FENCE}`,
      'c.md',
    ).examples;
    await expect(
      runDocExample(example, { scope: {}, modules: { '@rnnkit/core': core } }),
    ).rejects.toThrow(/example c\.md:2 threw AssertionError/);
  });
});

describe('multi-line imports', () => {
  it('run like one-line ones', async () => {
    const [example] = extractMarkdownExamplesFromText(
      `${FENCE}ts\nimport {\n  DTYPES,\n  sizeOf,\n} from '@rnnkit/core';\nimport assert from 'node:assert/strict';\nassert.equal(DTYPES.length + sizeOf([2, 3]), 9);\n${FENCE}`,
      'm.md',
    ).examples;
    await runDocExample(example, { scope: {}, modules: { '@rnnkit/core': core } });
  });
});
