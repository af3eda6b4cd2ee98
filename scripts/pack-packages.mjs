#!/usr/bin/env node
/**
 * Packs publishable workspace packages into npm tarballs (`pnpm pack`, which rewrites
 * `workspace:*` to real versions), for tests that install rnnkit the way a stranger would:
 * with npm, into an empty project, without the workspace or the `source` condition.
 *
 *   node scripts/pack-packages.mjs --out <dir> [--build] [--json] [package ...]
 *
 * - `package`: `@rnnkit/nn` or just `nn`; default every publishable (not private) package of
 *   `packages/`. The workspace dependencies of each (`dependencies`, recursively) are packed
 *   too, so the tarballs install together with no other source than the npm registry.
 * - `--out <dir>`: where the tarballs go (created if missing). Required.
 * - `--build`: build the packages first (`turbo run build` on them and their dependencies);
 *   without it a package with no `dist/` is an error telling you to build.
 * - Output: one absolute tarball path per line, dependencies first (ready for
 *   `npm install $(node scripts/pack-packages.mjs --out /tmp/t nn)`), or with `--json` an
 *   array of `{ name, version, dir, tarball }`.
 *
 * Importable: `import { packPackages } from './scripts/pack-packages.mjs'`.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));

/** Every package of `packages/`: name, version, directory, manifest. */
export function workspacePackages(root = repoRoot) {
  const base = join(root, 'packages');
  return readdirSync(base, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(base, d.name, 'package.json')))
    .map((d) => {
      const dir = join(base, d.name);
      const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
      return { name: manifest.name, version: manifest.version, dir, manifest };
    });
}

/**
 * The publishable packages named (short names allowed) and their workspace dependencies,
 * dependencies first.
 * @throws naming an unknown or private package.
 */
export function packageClosure(names, all = workspacePackages()) {
  const byName = new Map(all.map((p) => [p.name, p]));
  const publishable = all.filter((p) => !p.manifest.private);
  const wanted =
    names.length === 0
      ? publishable
      : names.map((n) => {
          const p = byName.get(n) ?? byName.get(`@rnnkit/${n}`);
          if (!p)
            throw new Error(
              `unknown package '${n}'; publishable packages: ${publishable.map((q) => q.name).join(', ')}`,
            );
          if (p.manifest.private)
            throw new Error(`package '${p.name}' is private: it is not published`);
          return p;
        });
  const ordered = [];
  const visit = (p, path) => {
    if (ordered.includes(p)) return;
    if (path.includes(p))
      throw new Error(`dependency cycle: ${[...path, p].map((q) => q.name).join(' -> ')}`);
    for (const dep of Object.keys(p.manifest.dependencies ?? {})) {
      const d = byName.get(dep);
      if (d) visit(d, [...path, p]);
    }
    ordered.push(p);
  };
  for (const p of wanted) visit(p, []);
  return ordered;
}

/**
 * Packs the packages `names` (default every publishable one) and their workspace
 * dependencies into `outDir`; returns `{ name, version, dir, tarball }` per package,
 * dependencies first.
 */
export function packPackages({ outDir, packages = [], build = false, log = () => {} }) {
  if (!outDir) throw new Error('packPackages: outDir is required');
  const out = resolve(outDir);
  mkdirSync(out, { recursive: true });
  const closure = packageClosure(packages);
  if (build) {
    const filters = closure.flatMap((p) => ['--filter', p.name]);
    log(`building ${closure.map((p) => p.name).join(', ')}`);
    execFileSync(
      'pnpm',
      ['exec', 'turbo', 'run', 'build', ...filters, '--output-logs=errors-only'],
      {
        cwd: repoRoot,
        stdio: ['ignore', 'ignore', 'inherit'],
        env: { ...process.env, TURBO_TELEMETRY_DISABLED: '1' },
      },
    );
  }
  return closure.map((p) => {
    if (!existsSync(join(p.dir, 'dist')))
      throw new Error(`${p.name} has no dist/: run \`pnpm build\` first, or pass --build`);
    const tarball = join(out, `${p.name.replace(/^@/, '').replace('/', '-')}-${p.version}.tgz`);
    log(`packing ${p.name}@${p.version}`);
    execFileSync('pnpm', ['pack', '--pack-destination', out], {
      cwd: p.dir,
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    if (!existsSync(tarball)) throw new Error(`pnpm pack of ${p.name} did not write ${tarball}`);
    return { name: p.name, version: p.version, dir: p.dir, tarball };
  });
}

function main() {
  let parsed;
  try {
    parsed = parseArgs({
      allowPositionals: true,
      options: {
        out: { type: 'string' },
        build: { type: 'boolean' },
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (e) {
    process.stderr.write(`error: ${e.message}\n`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    process.stdout.write(
      'Usage: node scripts/pack-packages.mjs --out <dir> [--build] [--json] [package ...]\n' +
        'Packs publishable workspace packages and their workspace dependencies into <dir>;\n' +
        'prints one tarball path per line (dependencies first), or JSON with --json.\n',
    );
    return 0;
  }
  if (!values.out) {
    process.stderr.write('error: --out <dir> is required (where the tarballs go)\n');
    return 2;
  }
  try {
    const packed = packPackages({
      outDir: values.out,
      packages: positionals,
      build: values.build === true,
      log: (m) => process.stderr.write(`${m}\n`),
    });
    process.stdout.write(
      values.json
        ? `${JSON.stringify(packed, null, 2)}\n`
        : packed.map((p) => `${p.tarball}\n`).join(''),
    );
    return 0;
  } catch (e) {
    process.stderr.write(`error: ${e.message}\n`);
    return 1;
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = main();
}
