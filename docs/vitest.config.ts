import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: { conditions: ['source'] },
  ssr: { resolve: { conditions: ['source'] } },
  // forks: the guides test changes the working directory to the repository root
  test: { include: ['test/**/*.test.ts'], testTimeout: 120_000, pool: 'forks' },
});
