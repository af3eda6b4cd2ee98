/**
 * Where the suite finds its PyTorch fixtures: the cases shipped inside this package, or the
 * directory `$RNNKIT_FIXTURES` names. Its own file because only the suite's runners (the CLI,
 * the Vitest face, `runConformance`) choose a directory; the parser is `@rnnkit/testing`'s.
 */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The fixture directory a run uses: `$RNNKIT_FIXTURES` when set (a relative path is taken from
 * the directory the command was started in: `INIT_CWD` under pnpm, else the working
 * directory), else `fallback`.
 */
export function fixturesDirFromEnv(
  fallback: string,
  env: Record<string, string | undefined> = process.env,
): string {
  const fromEnv = env.RNNKIT_FIXTURES;
  if (fromEnv) return resolve(env.INIT_CWD ?? process.cwd(), fromEnv);
  return fallback;
}

/**
 * The PyTorch fixtures shipped inside this package (`<package>/fixtures`, 23 cases), located
 * from this file so that it works from `src/` in the workspace and from `dist/` once installed.
 */
export function shippedFixturesDir(): string {
  return fileURLToPath(new URL('../fixtures', import.meta.url));
}
