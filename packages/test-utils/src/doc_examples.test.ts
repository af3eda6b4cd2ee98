/**
 * Tests of the doc-example runner: extraction, running, `check` and scope merging.
 */
import { describe, expect, it } from 'vitest';
import {
  check,
  compileDocExample,
  type DocExample,
  extractDocExamplesFromText,
  mergeScopes,
  runDocExample,
} from './doc_examples.js';

const FENCE = '```';

/** A TSDoc comment around `body` lines, each prefixed with ` * `. */
function doc(...body: string[]): string {
  return ['/**', ...body.map((l) => (l ? ` * ${l}` : ' *')), ' */', 'export const x = 1;'].join(
    '\n',
  );
}

function example(code: string): DocExample {
  return { id: 'src/a.ts:1', file: 'src/a.ts', line: 1, code };
}

describe('extractDocExamplesFromText', () => {
  it('finds ts blocks inside @example tags, with the line of their first code line', () => {
    const text = `// header\n${doc('Adds.', '@example', `${FENCE}ts`, 'add(1, 2);', '  more();', FENCE)}`;
    const { examples, problems } = extractDocExamplesFromText(text, 'src/a.ts');
    expect(problems).toEqual([]);
    expect(examples).toEqual([
      { id: 'src/a.ts:6', file: 'src/a.ts', line: 6, code: 'add(1, 2);\n  more();' },
    ]);
  });

  it('ignores fenced blocks outside @example and stops an @example at the next tag', () => {
    const text = doc(
      `${FENCE}`,
      'not an example',
      FENCE,
      '@example',
      `${FENCE}typescript`,
      'one();',
      FENCE,
      '@param a - text',
      `${FENCE}ts`,
      'notRun();',
      FENCE,
    );
    const { examples } = extractDocExamplesFromText(text, 'f.ts');
    expect(examples.map((e) => e.code)).toEqual(['one();']);
  });

  it('reports an @example without a ts block, or with another language', () => {
    const none = extractDocExamplesFromText(doc('@example', 'prose only', '@returns x'), 'f.ts');
    expect(none.problems).toEqual(['f.ts:2: @example holds no ```ts block']);
    const js = extractDocExamplesFromText(doc('@example', `${FENCE}js`, 'x;', FENCE), 'f.ts');
    expect(js.problems[0]).toMatch(/```js; write ```ts/);
  });

  it('reads the no-run marker and its reason, and requires a reason', () => {
    const marked = doc(
      '@example',
      `${FENCE}ts`,
      '// @example-no-run: needs a GPU',
      'gpu();',
      FENCE,
    );
    const [e] = extractDocExamplesFromText(marked, 'f.ts').examples;
    expect(e.noRun).toBe('needs a GPU');
    const bare = doc('@example', `${FENCE}ts`, '// @example-no-run', 'x();', FENCE);
    expect(extractDocExamplesFromText(bare, 'f.ts').problems[0]).toMatch(/needs a reason/);
  });
});

describe('runDocExample', () => {
  it('runs TypeScript with top-level await, the scope and imports', async () => {
    const seen: unknown[] = [];
    const code = [
      "import { twice as double } from 'lib';",
      "import * as lib from 'lib';",
      "import 'side-effect';",
      'const n: number = await Promise.resolve(add(1, 2));',
      'record([double(n), lib.twice(1)]);',
    ].join('\n');
    await runDocExample(example(code), {
      scope: { add: (a: number, b: number) => a + b, record: (v: unknown) => seen.push(v) },
      modules: { lib: { twice: (v: number) => 2 * v }, 'side-effect': {} },
    });
    expect(seen).toEqual([[6, 2]]);
  });

  it('lets an example declare a name the scope also has', async () => {
    await runDocExample(example('const add = 1;\ncheck(add, 1);'), {
      scope: { add: () => 0, check },
      modules: {},
    });
  });

  it('fails with the example id and code when the example throws or imports the unknown', async () => {
    await expect(
      runDocExample(example('check(1, 2);'), { scope: { check }, modules: {} }),
    ).rejects.toThrow(
      /src\/a\.ts:1 threw Error: check failed: value: got 1, expected 2[\s\S]*1 \| check/,
    );
    await expect(
      runDocExample(example("import { a } from 'nope';"), { scope: {}, modules: {} }),
    ).rejects.toThrow(/imports 'nope'/);
    await expect(
      runDocExample(example('undefinedName();'), { scope: {}, modules: {} }),
    ).rejects.toThrow(/ReferenceError/);
  });

  it('reports a syntax error as a transpile failure', () => {
    expect(() => compileDocExample(example('const = ;'))).toThrow(/does not transpile/);
  });
});

describe('check', () => {
  it('compares numbers within a tolerance, arrays element-wise and objects on expected keys', () => {
    check(0.1 + 0.2, 0.3);
    check([1, [2, 3]], [1, [2, 3.00001]]);
    check({ a: 1, b: { c: 'x' }, extra: true }, { a: 1, b: { c: 'x' } });
    check(new Float32Array([0.5, 1]), [0.5, 1]);
    check({ arraySync: () => [[1, 2]] }, [[1, 2]]);
    check(Number.NaN, Number.NaN);
    expect(() => check(1.01, 1)).toThrow(/got 1.01, expected 1/);
    expect(() => check([1, 2], [1])).toThrow(/length 2, expected 1/);
    expect(() => check({ a: [1, 2] }, { a: [1, 3] })).toThrow(/value\.a\[1\]/);
    expect(() => check('a', 'b')).toThrow();
    check(1.01, 1, 0.1);
  });
});

describe('mergeScopes', () => {
  it('merges namespaces and refuses one name with two values', () => {
    const f = () => 0;
    expect(mergeScopes({ f }, { f, g: 1 })).toEqual({ f, g: 1 });
    expect(() => mergeScopes({ f }, { f: () => 1 })).toThrow(/'f'/);
  });
});
