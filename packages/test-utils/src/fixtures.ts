import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { RnnMode } from '@rnnkit/core';

/**
 * The shared PyTorch fixtures, located from this file (packages/test-utils/src/ up to the
 * directory holding `main/` and `shared/`), so any clone placed next to `shared/` finds them.
 */
export const FIXTURES_DIR: URL = new URL(
  '../../../../shared/conformance/fixtures/',
  import.meta.url,
);

/** {@link FIXTURES_DIR} as a file-system path (no trailing slash). */
export const FIXTURES_PATH: string = fileURLToPath(FIXTURES_DIR).replace(/\/$/, '');

/** A fixture's content with every tensor flattened to row-major numbers. */
export interface Fixture {
  /** File name without `.json`. */
  name: string;
  mode: RnnMode;
  layers: number;
  directions: number;
  batch: number;
  steps: number;
  inputSize: number;
  hidden: number;
  x: number[];
  /** `[layers*dirs, B, H]`. */
  h0: number[];
  c0?: number[];
  lengths?: number[];
  params: Record<string, number[]>;
  output: number[];
  hN: number[];
  cN?: number[];
  dy: number[];
  dhN: number[];
  dcN?: number[];
  grads: Record<string, number[]>;
  /** Output of each layer except the last, when the fixture records them. */
  layerOutputs?: number[][];
}

/** Nested arrays of numbers, as fixture tensors are written. */
export type Nested = number | Nested[];

/** A fixture tensor as written: `{shape, data}` with nested data. */
export interface JsonTensor {
  shape: number[];
  data: Nested;
}

/** Row-major values of a `{shape, data}` tensor or of bare nested data. */
export function flattenNested(tensor: JsonTensor | Nested): number[] {
  const data = typeof tensor === 'object' && !Array.isArray(tensor) ? tensor.data : tensor;
  const out: number[] = [];
  const visit = (value: Nested): void => {
    if (Array.isArray(value)) value.forEach(visit);
    else out.push(value);
  };
  visit(data);
  return out;
}

function flatRecord(record: Record<string, JsonTensor>): Record<string, number[]> {
  return Object.fromEntries(
    Object.entries(record).map(([key, value]) => [key, flattenNested(value)]),
  );
}

function dirUrl(dir: string | URL): URL {
  if (typeof dir !== 'string') return dir;
  return pathToFileURL(dir.endsWith('/') ? dir : `${dir}/`);
}

/** The case files of a fixture directory: every `*.json` except `index.json`, sorted. */
export function fixtureFiles(dir: string | URL = FIXTURES_DIR): string[] {
  return readdirSync(dirUrl(dir))
    .filter((file) => file.endsWith('.json') && file !== 'index.json')
    .sort();
}

/** Every fixture of the directory ({@link fixtureFiles}), parsed and flattened. */
export function loadFixtures(dir: string | URL = FIXTURES_DIR): Fixture[] {
  const base = dirUrl(dir);
  return fixtureFiles(base).map((file) => {
    const raw = JSON.parse(readFileSync(new URL(file, base), 'utf8'));
    const inputs = raw.inputs;
    return {
      name: file.replace(/\.json$/, ''),
      mode: raw.mode,
      layers: raw.num_layers,
      directions: raw.num_directions,
      batch: raw.batch,
      steps: raw.seq_len,
      inputSize: raw.input_size,
      hidden: raw.hidden_size,
      x: flattenNested(inputs.x),
      h0: flattenNested(inputs.h0),
      c0: inputs.c0 ? flattenNested(inputs.c0) : undefined,
      lengths: inputs.lengths ? flattenNested(inputs.lengths) : undefined,
      params: flatRecord(raw.params),
      output: flattenNested(raw.outputs.output),
      hN: flattenNested(raw.outputs.h_n),
      cN: raw.outputs.c_n ? flattenNested(raw.outputs.c_n) : undefined,
      dy: flattenNested(raw.cotangents.dy),
      dhN: flattenNested(raw.cotangents.dh_n),
      dcN: raw.cotangents.dc_n ? flattenNested(raw.cotangents.dc_n) : undefined,
      grads: flatRecord(raw.grads),
      layerOutputs: raw.intermediate?.layer_outputs?.map(flattenNested),
    };
  });
}
