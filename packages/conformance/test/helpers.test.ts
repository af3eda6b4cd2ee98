/**
 * Unit tests of the suite's own machinery: tolerances, fixture parsing (through the suite's
 * public face), exclusions, CLI arguments. The error measure's tests are `@rnnkit/testing`'s.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  exclusionMatches,
  FixtureSchemaError,
  findExclusion,
  fixturesDirFromEnv,
  isFixtureFile,
  kernelTolerance,
  parseCliArgs,
  parseFixture,
  parseFixtureTensor,
  pytorchParamNames,
  pytorchParamShape,
  resolveTolerances,
  rnnKernelTolerance,
  shippedFixturesDir,
  TOLERANCES,
  UsageError,
  unitRoundoff,
} from '../src/index.js';

const shipped = shippedFixturesDir();
const readJson = (name: string) =>
  JSON.parse(readFileSync(`${shipped}/${name}`, 'utf8')) as Record<string, unknown>;

describe('tolerances', () => {
  it('are derived from the unit roundoff', () => {
    expect(unitRoundoff('float32')).toBe(2 ** -24);
    expect(unitRoundoff('float64')).toBe(2 ** -53);
    expect(unitRoundoff('int32')).toBe(0);
    expect(kernelTolerance('float32', 0, 0)).toBe(0);
    expect(kernelTolerance('float32', 33, 1)).toBeCloseTo(2 * 34 * 2 ** -24, 20);
  });
  it('bound the shipped fixture sizes within the documented float32 constants', () => {
    // gru_long40: T = 40, I = 3, H = 4, G = 3; one-sided bound is half the two-sided kernel bound.
    const s = { B: 2, T: 40, I: 3, H: 4, G: 3 };
    expect(rnnKernelTolerance('float32', s, 'forward') / 2).toBeLessThan(
      TOLERANCES.fixture.float32.forward,
    );
    expect(rnnKernelTolerance('float32', s, 'gradient') / 2).toBeLessThan(
      TOLERANCES.fixture.float32.gradient,
    );
    expect(TOLERANCES.fixture.float64).toEqual({ forward: 1e-12, gradient: 1e-10 });
  });
  it('merge overrides field by field', () => {
    const t = resolveTolerances({
      fixture: { float32: { gradient: 5e-4 } },
      transcendentalUlps: 4,
    });
    expect(t.fixture.float32).toEqual({ forward: 1e-4, gradient: 5e-4 });
    expect(t.fixture.float64).toEqual(TOLERANCES.fixture.float64);
    expect(t.transcendentalUlps).toBe(4);
    expect(t.finiteDifference).toEqual(TOLERANCES.finiteDifference);
  });
});

describe('fixture parsing', () => {
  it('parses a shipped case with every field', () => {
    const f = parseFixture(readJson('lstm_l1_bi_lengths.json'), 'fallback');
    expect(f.name).toBe('lstm_l1_bi_lengths');
    expect(f.mode).toBe('LSTM');
    expect(f.lengths).toEqual([6, 2, 4]);
    expect(f.c0?.shape).toEqual([2, 3, 4]);
    expect(f.params.weight_hh_l0_reverse.shape).toEqual([16, 4]);
    expect(Object.keys(f.grads).sort()).toEqual(
      ['c0', 'h0', 'x', ...pytorchParamNames(1, true)].sort(),
    );
    expect(f.x.data).toBeInstanceOf(Float64Array);
  });
  it('knows PyTorch parameter names and shapes', () => {
    expect(pytorchParamNames(2, false)).toEqual([
      'weight_ih_l0',
      'weight_hh_l0',
      'bias_ih_l0',
      'bias_hh_l0',
      'weight_ih_l1',
      'weight_hh_l1',
      'bias_ih_l1',
      'bias_hh_l1',
    ]);
    expect(pytorchParamShape('weight_ih_l1_reverse', 'GRU', 5, 4, true)).toEqual([12, 8]);
    expect(pytorchParamShape('weight_ih_l0', 'LSTM', 5, 4, true)).toEqual([16, 5]);
    expect(pytorchParamShape('bias_hh_l0', 'RNN_TANH', 5, 4, false)).toEqual([4]);
    expect(() => pytorchParamShape('weight_xx_l0', 'GRU', 1, 1, false)).toThrow(FixtureSchemaError);
  });
  it('checks nested data against the shape', () => {
    expect(
      parseFixtureTensor(
        {
          shape: [2, 2],
          data: [
            [1, 2],
            [3, 4],
          ],
        },
        't',
      ).data,
    ).toEqual(Float64Array.from([1, 2, 3, 4]));
    expect(parseFixtureTensor({ shape: [], data: 5 }, 't').data).toEqual(Float64Array.from([5]));
    expect(() => parseFixtureTensor({ shape: [2, 2], data: [[1, 2], [3]] }, 't')).toThrow(
      /t.data\[1\]: expected an array of 2/,
    );
    expect(() => parseFixtureTensor({ shape: [1], data: ['1'] }, 't')).toThrow(/finite number/);
    expect(() => parseFixtureTensor({ shape: [1], data: [1] }, 't', [2])).toThrow(
      /shape \[1\], expected \[2\]/,
    );
    expect(() => parseFixtureTensor([1, 2], 't')).toThrow(/\{shape, data\}/);
  });
  it('rejects schema violations, naming the field', () => {
    const base = readJson('gru_l1_uni.json');
    // biome-ignore lint/suspicious/noExplicitAny: free-form patches of parsed JSON
    type Json = any;
    const broken = (patch: (j: Json) => void) => {
      const j = structuredClone(base) as Json;
      patch(j);
      return () => parseFixture(j, 'x');
    };
    expect(broken((j) => (j.mode = 'TRANSFORMER'))).toThrow(/'mode'/);
    expect(broken((j) => delete j.params.bias_hh_l0)).toThrow(/params.bias_hh_l0/);
    expect(broken((j) => delete j.grads.weight_ih_l0)).toThrow(/grads.weight_ih_l0/);
    expect(broken((j) => (j.hidden_size = 6))).toThrow(FixtureSchemaError);
    expect(broken((j) => (j.inputs.lengths = [9, 1]))).toThrow(/lengths/);
    expect(broken((j) => (j.batch_first = false))).toThrow(/batch_first/);
    expect(broken((j) => (j.param_names = ['weight_hh_l0']))).toThrow(/param_names/);
    expect(broken((j) => (j.params.extra = { shape: [1], data: [0] }))).toThrow(
      /unexpected entries: extra/,
    );
    expect(() => parseFixture([], 'x')).toThrow(/JSON object/);
  });
  it('selects case files and resolves the directory', () => {
    expect(isFixtureFile('a.json')).toBe(true);
    expect(isFixtureFile('index.json')).toBe(false);
    expect(isFixtureFile('a.txt')).toBe(false);
    expect(fixturesDirFromEnv('/default', {})).toBe('/default');
    expect(fixturesDirFromEnv('/default', { RNNKIT_FIXTURES: 'fx', INIT_CWD: '/start' })).toBe(
      '/start/fx',
    );
    expect(fixturesDirFromEnv('/default', { RNNKIT_FIXTURES: '/abs' })).toBe('/abs');
  });
});

describe('exclusions', () => {
  it('match by path prefix with * wildcards', () => {
    expect(exclusionMatches('gradient', 'gradient/unary/exp')).toBe(true);
    expect(exclusionMatches('kernel/Binary', 'kernel/Binary/float32/add/[3]x[3]')).toBe(true);
    expect(exclusionMatches('kernel/Bin', 'kernel/Binary/float32')).toBe(false);
    expect(exclusionMatches('kernel/*/float64', 'kernel/MatMul/float64/[1, 1]x[1, 1]')).toBe(true);
    expect(exclusionMatches('kernel/*/float64', 'kernel/MatMul/float32/[1, 1]x[1, 1]')).toBe(false);
    expect(exclusionMatches('fixture/float64/nn/a/b', 'fixture/float64/nn')).toBe(false);
    expect(findExclusion({ 'fixture/float64': 'no f64' }, 'fixture/float64/nn/x')).toEqual([
      'fixture/float64',
      'no f64',
    ]);
    expect(findExclusion({ 'fixture/float64': 'no f64' }, 'fixture/float32/nn/x')).toBeUndefined();
  });
});

describe('parseCliArgs', () => {
  it('parses options and defaults', () => {
    expect(parseCliArgs(['--backend', 'cpu', '--fixtures', 'dir'])).toEqual({
      backend: 'cpu',
      backendModule: undefined,
      exportName: undefined,
      parts: ['fixtures', 'kernels', 'gradients'],
      filter: [],
      fixtures: ['dir'],
      replaceFixtures: false,
      dtypes: ['float32', 'float64'],
      routes: ['nn', 'core'],
      seed: undefined,
      numRuns: undefined,
      json: undefined,
    });
    expect(
      parseCliArgs([
        '--backend-module=./b.js',
        '--export',
        'make',
        '--only',
        'gradients,kernels',
        '--filter',
        'kernel/Unary',
        '--filter',
        'gradient/unary',
        '--dtype=float64',
        '--route',
        'core',
        '--seed',
        '7',
        '--num-runs',
        '2',
        '--json',
        'r.json',
      ]),
    ).toEqual({
      backend: undefined,
      backendModule: './b.js',
      exportName: 'make',
      parts: ['gradients', 'kernels'],
      filter: ['kernel/Unary', 'gradient/unary'],
      fixtures: [],
      replaceFixtures: false,
      dtypes: ['float64'],
      routes: ['core'],
      seed: 7,
      numRuns: 2,
      json: 'r.json',
    });
    expect(parseCliArgs(['--backend', 'cpu', '--help'])).toBe('help');
    expect(parseCliArgs(['-h'])).toBe('help');
  });
  it('rejects bad command lines', () => {
    expect(() => parseCliArgs([])).toThrow(/--backend <name> or --backend-module/);
    expect(() => parseCliArgs(['--backend'])).toThrow(UsageError);
    expect(() => parseCliArgs(['--backend', 'cpu', '--dtype', 'float16'])).toThrow(
      /--dtype takes a comma-separated list of float32, float64; got 'float16'/,
    );
    expect(() => parseCliArgs(['--backend', 'cpu', '--frobnicate'])).toThrow(UsageError);
    expect(() => parseCliArgs(['--backend', 'cpu', 'stray'])).toThrow(UsageError);
    expect(() => parseCliArgs(['--backend', 'cpu', '--seed', '1.5'])).toThrow(
      /--seed must be an integer/,
    );
  });
});
