/**
 * Vitest configuration of backend-gpujs: sources through the `source` condition, test files in
 * child processes (headless-gl is a native addon).
 */
import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: { conditions: ['source'] },
  ssr: { resolve: { conditions: ['source'] } },
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // GL kernels compile on first use (~30 ms each on llvmpipe); the browser test starts Chromium.
    testTimeout: 120_000,
    // headless-gl is a native addon: run test files in child processes, not worker threads.
    pool: 'forks',
  },
});
