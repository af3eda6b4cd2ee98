/**
 * Vitest configuration of the sentiment app: sources through the `source` condition.
 */
import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: { conditions: ['source'] },
  ssr: { resolve: { conditions: ['source'] } },
  // headless-gl (the gpujs backend) is a native addon: test files run in child processes.
  test: { include: ['test/**/*.test.ts'], testTimeout: 120_000, pool: 'forks' },
});
