import { defineConfig } from 'vitest/config';

// No `source` condition here: the test installs and runs the packed tarballs, as a user would.
export default defineConfig({
  test: { include: ['test/**/*.test.ts'], testTimeout: 300_000, hookTimeout: 300_000 },
});
