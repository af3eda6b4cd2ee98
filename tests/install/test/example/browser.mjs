/**
 * Browser entry of the installed example, bundled with esbuild: runs the getting-started
 * example on cpu and on wasm and leaves the results (or the error) on `globalThis.rnnkitResult`.
 * The WebAssembly binary is served next to the page; `createWasmBackend({ wasm })` says where.
 */
import '@rnnkit/backend-cpu';
import { createWasmBackend } from '@rnnkit/backend-wasm';
import { registerBackend } from '@rnnkit/core';
import { gettingStarted } from './getting-started.mjs';

registerBackend(
  'wasm',
  () => createWasmBackend({ wasm: new URL('rnnkit.wasm', document.baseURI) }),
  2,
);

globalThis.rnnkitResult = (async () => {
  try {
    return { runs: [await gettingStarted('cpu'), await gettingStarted('wasm')] };
  } catch (err) {
    return { error: String(err?.stack ?? err) };
  }
})();
