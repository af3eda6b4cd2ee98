// Compiles assembly/ with the options of asconfig.json into build/rnnkit.wasm (release target:
// `asc --enable simd -O3 --noAssert --runtime minimal --importMemory`) and build/rnnkit-mt.wasm
// (threads target: the same plus `--enable threads --sharedMemory --maximumMemory 65536`).
//   node scripts/build-wasm.mjs          always compiles
//   node scripts/build-wasm.mjs --stale  compiles only when the binary is missing or older
//                                        than a source file (used by the vitest global setup)
import { readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const TARGETS = {
  release: join(root, 'build', 'rnnkit.wasm'),
  threads: join(root, 'build', 'rnnkit-mt.wasm'),
};
const output = Object.values(TARGETS).join(' and ');

function newestSource() {
  let newest = statSync(join(root, 'asconfig.json')).mtimeMs;
  const entries = readdirSync(join(root, 'assembly'), { recursive: true, withFileTypes: true });
  for (const entry of entries) {
    if (entry.isFile()) {
      newest = Math.max(newest, statSync(join(entry.parentPath, entry.name)).mtimeMs);
    }
  }
  return newest;
}

function isStale(file) {
  try {
    return statSync(file).mtimeMs < newestSource();
  } catch {
    return true;
  }
}

/** Builds both modules; resolves when done, rejects with asc's diagnostics on failure. */
export async function buildWasm({ onlyIfStale = false } = {}) {
  const targets = Object.entries(TARGETS).filter(([, file]) => !onlyIfStale || isStale(file));
  if (targets.length === 0) return false;
  const asc = (await import('assemblyscript/asc')).default;
  for (const [target] of targets) {
    let log = '';
    const sink = {
      write: (s) => {
        log += s;
        return true;
      },
    };
    const { error } = await asc.main(['--config', 'asconfig.json', '--target', target], {
      stdout: sink,
      stderr: sink,
      baseDir: root,
    });
    if (error) throw new Error(`asc failed (${target}): ${error.message}\n${log}`);
  }
  return true;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const built = await buildWasm({ onlyIfStale: process.argv.includes('--stale') });
  console.log(built ? `built ${output}` : `${output} is up to date`);
}
