/**
 * Tests of the model format: checksum, serialise and deserialise, refused bad files, files and
 * fetch.
 */
import '@rnnkit/backend-cpu';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FormatError, NotFoundError, Random, setBackend, tensor } from '@rnnkit/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { Bidirectional } from '../layers/bidirectional.js';
import { Dense } from '../layers/dense.js';
import { Embedding } from '../layers/embedding.js';
import { GRU } from '../layers/gru.js';
import { LSTM } from '../layers/lstm.js';
import { Sequential } from '../models/sequential.js';
import { crc32 } from './crc32.js';
import { loadModelFromUrl } from './fetch.js';
import { MODEL_FORMAT_VERSION } from './manifest.js';
import { loadModel, saveModel, saveModelDir } from './node.js';
import {
  decodeContainer,
  deserialize,
  encodeContainer,
  serialize,
  toArtifacts,
} from './serialize.js';

beforeAll(async () => {
  await setBackend('cpu');
});

function model(): Sequential {
  return new Sequential([
    new Embedding({ numEmbeddings: 11, embeddingDim: 5, seed: 1 }),
    new Bidirectional(new GRU({ inputSize: 5, hiddenSize: 4, seed: 2 })),
    new LSTM({ inputSize: 8, hiddenSize: 3, numLayers: 2, returnSequences: false, seed: 3 }),
    new Dense({ inputSize: 3, units: 2, seed: 4 }),
  ]);
}

const input = () => {
  const rng = new Random(5);
  return tensor(
    Array.from({ length: 4 * 7 }, () => rng.int(11)),
    [4, 7],
    'int32',
  );
};

describe('crc32', () => {
  it('matches the standard check value', () => {
    expect(crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926);
  });
});

describe('serialize / deserialize', () => {
  it('save → load → predict is bit-identical, and the architecture is rebuilt', () => {
    const m = model();
    const bytes = serialize(m);
    const again = deserialize<Sequential>(bytes);
    expect(again).toBeInstanceOf(Sequential);
    expect(again.getConfig()).toEqual(m.getConfig());
    expect([...again.namedParameters().keys()]).toEqual([...m.namedParameters().keys()]);
    const x = input();
    const a = m.predict(x).dataSync();
    const b = again.predict(x).dataSync();
    expect(new Uint8Array(b.buffer)).toEqual(new Uint8Array(a.buffer));
    m.dispose();
    again.dispose();
  });

  it('round-trips float64 models exactly', () => {
    const m = new Sequential([
      new LSTM({ inputSize: 2, hiddenSize: 3, dtype: 'float64', seed: 1, returnSequences: false }),
    ]);
    const again = deserialize<Sequential>(serialize(m));
    for (const [n, v] of m.namedParameters())
      expect(Array.from(again.namedParameters().get(n)!.dataSync())).toEqual(
        Array.from(v.dataSync()),
      );
    m.dispose();
    again.dispose();
  });

  describe('refuses bad files with a FormatError', () => {
    const m = model();
    const good = new Uint8Array(serialize(m));
    const expectFormatError = (bytes: Uint8Array | ArrayBuffer, message: RegExp) => {
      let err: unknown;
      try {
        deserialize(bytes);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(FormatError);
      expect((err as Error).message).toMatch(message);
    };

    it('truncated: inside the header, the manifest and the weights', () => {
      expectFormatError(good.slice(0, 10), /fewer than the 24-byte header/);
      expectFormatError(good.slice(0, 60), /truncated rnnkit model: the manifest/);
      expectFormatError(good.slice(0, good.length - 3), /truncated rnnkit model: the weights need/);
    });
    it('wrong magic (a foreign file)', () => {
      const bad = good.slice();
      bad[0] = 0x50; // 'P'
      expectFormatError(bad, /wrong magic/);
      expectFormatError(
        new TextEncoder().encode('{"format":"something-else","padding":"......"}'),
        /wrong magic/,
      );
    });
    it('wrong version (container and manifest)', () => {
      const bad = good.slice();
      new DataView(bad.buffer).setUint32(8, 2, true);
      expectFormatError(bad, /unsupported rnnkit container version 2/);
      const { manifest, weights } = toArtifacts(m);
      expectFormatError(
        encodeContainer({ ...manifest, version: MODEL_FORMAT_VERSION + 1 }, weights),
        /unsupported model format version 2.*upgrade/,
      );
      expectFormatError(
        encodeContainer({ ...manifest, format: 'keras' as never }, weights),
        /not an rnnkit model/,
      );
    });
    it('wrong shapes (file vs architecture, and entry vs its byte length)', () => {
      const { manifest, weights } = toArtifacts(m);
      // a consistent file whose embedding is [5, 11] instead of [11, 5]
      const swapped = {
        ...manifest,
        weights: manifest.weights.map((w, i) => (i === 0 ? { ...w, shape: [5, 11] } : w)),
      };
      expectFormatError(
        encodeContainer(swapped, weights),
        /weight '0.weight' has shape \[5, 11\] in the file but \[11, 5\] in the architecture/,
      );
      const inconsistent = {
        ...manifest,
        weights: manifest.weights.map((w, i) => (i === 0 ? { ...w, shape: [11, 6] } : w)),
      };
      expectFormatError(
        encodeContainer(inconsistent, weights),
        /byteLength 220 does not match shape \[11,6\]/,
      );
      const renamed = {
        ...manifest,
        weights: manifest.weights.map((w, i) => (i === 0 ? { ...w, name: 'x.weight' } : w)),
      };
      expectFormatError(encodeContainer(renamed, weights), /missing 0.weight; unexpected x.weight/);
    });
    it('corrupt bytes (checksums)', () => {
      const inWeights = good.slice();
      inWeights[inWeights.length - 5] ^= 0x10;
      expectFormatError(inWeights, /checksum \(CRC-32\) does not match the manifest/);
      const inManifest = good.slice();
      inManifest[30] ^= 0x01;
      expectFormatError(inManifest, /manifest checksum/);
      const extra = new Uint8Array(good.length + 4);
      extra.set(good);
      expectFormatError(extra, /unexpected bytes after the weights/);
    });
    it('an unknown class in the architecture', () => {
      const { manifest, weights } = toArtifacts(m);
      expectFormatError(
        encodeContainer(
          { ...manifest, architecture: { className: 'Transformer', config: {} } },
          weights,
        ),
        /cannot rebuild.*unknown class 'Transformer'/,
      );
    });
    it('decodeContainer exposes the manifest', () => {
      const { manifest } = decodeContainer(good);
      expect(manifest.format).toBe('rnnkit-model');
      expect(manifest.dtype).toBe('float32');
      expect(manifest.weights[0]).toMatchObject({
        name: '0.weight',
        shape: [11, 5],
        dtype: 'float32',
        offset: 0,
      });
    });
  });
});

describe('files (Node) and fetch (browser path)', () => {
  it('saveModel writes atomically and loadModel reads it back bit-identically; directory form too', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rnnkit-io-'));
    const m = model();
    const file = join(dir, 'nested', 'm.rnnkit');
    await saveModel(m, file);
    await saveModel(m, file); // overwrite through rename
    expect((await readdir(join(dir, 'nested'))).filter((f) => f.includes('.tmp-'))).toEqual([]);
    const x = input();
    const again = await loadModel<Sequential>(file);
    expect(Array.from(again.predict(x).dataSync())).toEqual(Array.from(m.predict(x).dataSync()));
    await saveModelDir(m, join(dir, 'pair'));
    expect((await readdir(join(dir, 'pair'))).sort()).toEqual(['model.json', 'weights.bin']);
    const fromDir = await loadModel<Sequential>(join(dir, 'pair'));
    expect(Array.from(fromDir.predict(x).dataSync())).toEqual(Array.from(m.predict(x).dataSync()));
    // a weights file from another model is detected by the manifest's size/CRC
    await writeFile(
      join(dir, 'pair', 'weights.bin'),
      (await readFile(join(dir, 'pair', 'weights.bin'))).subarray(0, 16),
    );
    await expect(loadModel(join(dir, 'pair'))).rejects.toThrow(FormatError);
    m.dispose();
    again.dispose();
    fromDir.dispose();
  });

  it('loadModelFromUrl loads both forms through fetch', async () => {
    const m = model();
    const single = serialize(m);
    const { manifest, weights } = toArtifacts(m);
    const fakeFetch = async (url: string) => ({
      ok: url !== '/missing',
      status: url === '/missing' ? 404 : 200,
      arrayBuffer: async () => (url === '/m.rnnkit' ? single : weights),
      json: async () => JSON.parse(JSON.stringify(manifest)),
    });
    const x = input();
    const a = await loadModelFromUrl<Sequential>('/m.rnnkit', { fetch: fakeFetch });
    const b = await loadModelFromUrl<Sequential>('/model.json', {
      weightsUrl: '/weights.bin',
      fetch: fakeFetch,
    });
    expect(Array.from(a.predict(x).dataSync())).toEqual(Array.from(m.predict(x).dataSync()));
    expect(Array.from(b.predict(x).dataSync())).toEqual(Array.from(m.predict(x).dataSync()));
    await expect(loadModelFromUrl('/missing', { fetch: fakeFetch })).rejects.toThrow(/HTTP 404/);
    m.dispose();
  });
});

describe('loadModel of a missing file', () => {
  it('throws NotFoundError "no model file at PATH" (file and directory form)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rnnkit-missing-'));
    const missing = join(dir, 'nothing.rnnkit');
    await expect(loadModel(missing)).rejects.toThrow(NotFoundError);
    await expect(loadModel(missing)).rejects.toThrow(`no model file at ${missing}`);
    await expect(loadModel(dir)).rejects.toThrow(`no model file at ${join(dir, 'model.json')}`);
    await rm(dir, { recursive: true });
  });
});
