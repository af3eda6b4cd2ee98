/**
 * PyTorch golden fixtures (float64 PyTorch results, run here in float32) through the fused
 * kernels directly: each layer and direction is one RnnForward/RnnBackward call, stacked and
 * bidirectional cases are assembled on the host exactly as PyTorch does (test-utils'
 * `runFixture`). Tolerance: 1e-4 relative to each tensor's largest magnitude, plus 1e-6
 * absolute (float32 on these sizes).
 */
import { expectWithin, FIXTURES_PATH, loadFixtures, runFixture } from '@rnnkit/test-utils';
import { describe, expect, it } from 'vitest';
import { wasmBackend } from './helpers.js';

const TOLERANCE = { rtol: 1e-4, atol: 1e-6 };
const fixtures = loadFixtures(process.env.RNNKIT_FIXTURES ?? FIXTURES_PATH);

describe('PyTorch fixtures through RnnForward/RnnBackward (float32)', () => {
  it('finds the fixtures', () => {
    expect(fixtures.length).toBeGreaterThan(0);
  });

  it.each(fixtures.map((f) => [f.name, f] as const))('%s', async (name, fixture) => {
    const wasm = await wasmBackend();
    const run = runFixture(wasm, fixture, 'float32');
    const { output, hN, cN } = fixture.outputs;
    expectWithin(run.output, output.data, TOLERANCE, `${name} output`);
    expectWithin(run.hN, hN.data, TOLERANCE, `${name} h_n`);
    if (cN) expectWithin(run.cN ?? [], cN.data, TOLERANCE, `${name} c_n`);
    for (const [key, expected] of Object.entries(fixture.grads)) {
      expectWithin(run.grads[key], expected.data, TOLERANCE, `${name} grad ${key}`);
    }
  });
});
