// @ts-expect-error: a plain ES module script without type declarations
import { buildWasm } from '../scripts/build-wasm.mjs';

/** Vitest global setup: makes sure build/rnnkit.wasm exists and is current. */
export default async function setup(): Promise<void> {
  await buildWasm({ onlyIfStale: true });
}
