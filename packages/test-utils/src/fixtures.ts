/**
 * Where the workspace's tests find the PyTorch golden fixtures (`shared/conformance/fixtures`)
 * and how they load them: with `@rnnkit/testing`'s strict parser, failing on the first file that
 * does not follow the format. Its own file because the location is the workspace's, not the
 * parser's.
 */
import { fileURLToPath } from 'node:url';
import { type Fixture, loadFixtureDir } from '@rnnkit/testing';

/**
 * The shared PyTorch fixtures, located from this file (packages/test-utils/src/ up to the
 * directory holding the checkout and `shared/`), so any clone placed next to `shared/` finds them.
 */
export const FIXTURES_DIR: URL = new URL(
  '../../../../shared/conformance/fixtures/',
  import.meta.url,
);

/** {@link FIXTURES_DIR} as a file-system path (no trailing slash). */
export const FIXTURES_PATH: string = fileURLToPath(FIXTURES_DIR).replace(/\/$/, '');

/**
 * Every fixture of `dir` (default {@link FIXTURES_PATH}), parsed strictly and sorted by name.
 * @throws naming the first file that cannot be read or does not follow the fixture format.
 */
export function loadFixtures(dir: string = FIXTURES_PATH): Fixture[] {
  return loadFixtureDir(dir).map((entry) => {
    if (!entry.fixture) throw new Error(`${entry.file}: ${entry.error}`);
    return entry.fixture;
  });
}
