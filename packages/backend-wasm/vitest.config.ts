/**
 * Vitest configuration of backend-wasm: sources through the `source` condition, the wasm module
 * built first when missing or stale.
 */
import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: { conditions: ['source'] },
  ssr: { resolve: { conditions: ['source'] } },
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 120_000,
    // Compiles assembly/ into build/rnnkit.wasm when missing or stale, so `vitest` works
    // without a prior `pnpm build`.
    globalSetup: ['./test/global-setup.ts'],
  },
});
