// Vite: the workspace packages are read from their TypeScript sources (the `source` export
// condition), the worker is an ES module, and `base: './'` makes every URL in the build relative,
// so the static site works from any directory of any static file server. Minified bundles keep
// class names: rnnkit's errors report them (`ValueError: …`).
import { defineConfig } from 'vite';

const output = { keepNames: true };

export default defineConfig({
  base: './',
  resolve: { conditions: ['source', 'module', 'browser', 'development|production'] },
  worker: { format: 'es', rolldownOptions: { output } },
  build: {
    target: 'es2022',
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 2000,
    rolldownOptions: { output },
  },
  server: { fs: { allow: ['../..'] } },
});
