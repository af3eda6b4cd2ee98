/**
 * The strict fixture parser on the shared PyTorch fixtures (`shared/conformance/fixtures`, next
 * to the checkout) and on broken copies of one: every field checked, the first fault named.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { FixtureSchemaError, loadFixtureDir, loadFixtureSet, parseFixture } from '../src/index.js';

const SHARED = fileURLToPath(new URL('../../../../shared/conformance/fixtures', import.meta.url));
const raw = (name: string) =>
  JSON.parse(readFileSync(join(SHARED, `${name}.json`), 'utf8')) as Record<string, unknown>;

describe('parseFixture', () => {
  it('reads every shared fixture, with the layer outputs of stacked ones', () => {
    const entries = loadFixtureDir(SHARED);
    expect(entries.length).toBeGreaterThanOrEqual(23);
    for (const e of entries) expect(e.error).toBeUndefined();
    const stacked = entries.find((e) => e.name === 'lstm_l2_bi')!.fixture!;
    expect(stacked.layerOutputs).toHaveLength(1);
    expect(stacked.layerOutputs![0].shape).toEqual([
      stacked.batch,
      stacked.seqLen,
      2 * stacked.hiddenSize,
    ]);
  });

  it('names the first field that breaks the format', () => {
    const json = raw('lstm_l2_bi');
    (json.intermediate as { layer_outputs: unknown[] }).layer_outputs = [];
    expect(() => parseFixture(json, 'x')).toThrow(FixtureSchemaError);
    expect(() => parseFixture(json, 'x')).toThrow(
      /'intermediate.layer_outputs': expected 1 tensors/,
    );
    expect(() => parseFixture({ ...raw('gru_l1_uni'), hidden_size: 0 }, 'x')).toThrow(
      /'hidden_size': expected a positive integer, got number 0/,
    );
  });

  it('reports an unreadable file as a failed entry and lets a later directory replace a case', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rnnkit-testing-'));
    writeFileSync(join(dir, 'gru_l1_uni.json'), '{ not json');
    const set = loadFixtureSet([SHARED, dir]);
    const replaced = set.entries.find((e) => e.name === 'gru_l1_uni')!;
    expect(replaced.error).toMatch(/^invalid JSON/);
    expect(set.replaced.map((r) => r.name)).toEqual(['gru_l1_uni']);
  });
});
