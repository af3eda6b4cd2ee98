/**
 * What a packed tarball may ship: checks one `.tgz` (as `pnpm pack` writes it) and returns its
 * problems as sentences naming the package and the file. Rules: no test files or test helpers;
 * no `workspace:`/`link:`/`file:` dependency ranges; every bare import of a shipped module is a
 * declared dependency, peer dependency, Node built-in or the package itself; every
 * `new URL('…', import.meta.url)` asset resolves to a file inside the tarball.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { tmpdir } from 'node:os';
import { basename, join, posix, relative, sep } from 'node:path';

const TEST_PATH =
  /(^|\/)(test|tests|__tests__|__mocks__|test-utils|test_utils)(\/|$)|\.(test|spec)\.[cm]?[jt]sx?$/;
const MODULE_FILE = /\.(m?js|cjs|ts|mts|cts)$/;
/** Static `import … from '…'`, `export … from '…'`, `import '…'` at a line start, and `import('…')`. */
const IMPORT_SPECIFIER =
  /^\s*(?:import|export)\s+(?:type\s+)?(?:[\w$*{},\s]+?\s+from\s+)?['"]([^'"]+)['"]|\bimport\(\s*['"]([^'"]+)['"]\s*\)/gm;
const ASSET_URL = /new URL\(\s*['"]([^'"]+)['"]\s*,\s*import\.meta\.url\s*\)/g;
const LOCAL_RANGE = /^(workspace|link|file):/;

/** Every file under `dir`, as `/`-separated paths relative to it. */
function walk(dir: string, base = dir): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? walk(path, base) : [relative(base, path).split(sep).join('/')];
  });
}

/** The package a bare specifier names: `a` of `a/b`, `@s/a` of `@s/a/b`. */
export function packageOf(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

/** Strips comments so that examples in TSDoc (`import … from '…'` in a comment) do not count. */
function withoutComments(source: string): string {
  return source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`])\/\/.*$/gm, '$1');
}

/** The problems of the unpacked package in `root` (a folder holding `package.json`). */
export function inspectPackage(root: string): string[] {
  const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const name: string = manifest.name;
  const problems: string[] = [];
  const files = walk(root);
  const shipped = new Set(files);
  for (const file of files) {
    if (TEST_PATH.test(file)) problems.push(`${name}: ships a test file or test helper: ${file}`);
  }
  const declared = new Set<string>([
    name,
    ...Object.keys(manifest.dependencies ?? {}),
    ...Object.keys(manifest.peerDependencies ?? {}),
    ...Object.keys(manifest.optionalDependencies ?? {}),
  ]);
  for (const field of ['dependencies', 'peerDependencies', 'optionalDependencies']) {
    for (const [dep, range] of Object.entries<string>(manifest[field] ?? {})) {
      if (LOCAL_RANGE.test(range)) problems.push(`${name}: ${field}.${dep} is '${range}'`);
    }
  }
  const builtins = new Set(builtinModules);
  for (const file of files.filter((f) => MODULE_FILE.test(f) || f.endsWith('.d.ts'))) {
    const source = withoutComments(readFileSync(join(root, file), 'utf8'));
    for (const match of source.matchAll(IMPORT_SPECIFIER)) {
      const specifier = match[1] ?? match[2];
      if (specifier.startsWith('.') || specifier.startsWith('/') || specifier.startsWith('node:')) {
        continue;
      }
      const pkg = packageOf(specifier);
      if (builtins.has(pkg) || declared.has(pkg)) continue;
      problems.push(`${name}: ${file} imports '${specifier}', which is not a dependency`);
    }
    for (const match of source.matchAll(ASSET_URL)) {
      const target = posix.normalize(posix.join(posix.dirname(file), match[1])).replace(/\/$/, '');
      const isShippedDir = files.some((f) => f.startsWith(`${target}/`));
      if (target.startsWith('../') || !(shipped.has(target) || isShippedDir)) {
        problems.push(
          `${name}: ${file} loads '${match[1]}' (${target}), which is not in the package`,
        );
      }
    }
  }
  return problems;
}

/** Unpacks `tarball` into a temporary folder and returns {@link inspectPackage}'s problems. */
export function inspectTarball(tarball: string): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'rnnkit-tarball-'));
  try {
    execFileSync('tar', ['-xzf', tarball, '-C', dir]);
    return inspectPackage(join(dir, 'package')).map((p) => `${p} [${basename(tarball)}]`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
