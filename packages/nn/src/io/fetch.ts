/**
 * Loading a saved model over HTTP (browsers, or Node with `fetch`).
 */
import { FormatError } from '@rnnkit/core';
import type { AnyLayer } from '../models/registry.js';
import { deserialize, fromArtifacts } from './serialize.js';

/** A `fetch`-like function (the global one by default). */
export type FetchLike = (url: string) => Promise<{
  ok: boolean;
  status: number;
  arrayBuffer(): Promise<ArrayBuffer>;
  json(): Promise<unknown>;
}>;

function getFetch(f?: FetchLike): FetchLike {
  const g = f ?? (globalThis as { fetch?: FetchLike }).fetch;
  if (!g) throw new FormatError('no fetch() available: pass one in options.fetch');
  return g;
}

/**
 * Loads a model over HTTP (browsers, workers, Node 18+): a single `.rnnkit` file, or the
 * two-file form when `weightsUrl` is given (`url` then points at `model.json`).
 * @example
 * ```ts
 * // In a browser: const model = await loadModelFromUrl('/models/classifier.rnnkit');
 * // Here a stand-in `fetch` serves a serialised model:
 * const saved = new Sequential([new Dense({ inputSize: 3, units: 2, seed: 0 })]);
 * const bytes = serialize(saved);
 * const fakeFetch = async (url: string) => ({
 *   ok: url === '/models/classifier.rnnkit',
 *   status: 404,
 *   arrayBuffer: async () => bytes,
 *   json: async () => ({}),
 * });
 * const model = await loadModelFromUrl<Sequential>('/models/classifier.rnnkit', { fetch: fakeFetch });
 * const x = tensor([[1, 2, 3]]);
 * check(model.apply(x), saved.apply(x));
 * ```
 */
export async function loadModelFromUrl<T extends AnyLayer = AnyLayer>(
  url: string,
  options: { weightsUrl?: string; fetch?: FetchLike } = {},
): Promise<T> {
  const f = getFetch(options.fetch);
  const get = async (u: string) => {
    const r = await f(u);
    if (!r.ok) throw new FormatError(`cannot load ${u}: HTTP ${r.status}`);
    return r;
  };
  if (options.weightsUrl) {
    const [manifest, weights] = await Promise.all([
      get(url).then((r) => r.json()),
      get(options.weightsUrl).then((r) => r.arrayBuffer()),
    ]);
    return fromArtifacts<T>(manifest, weights);
  }
  return deserialize<T>(await (await get(url)).arrayBuffer());
}
