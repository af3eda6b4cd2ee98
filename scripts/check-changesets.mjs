#!/usr/bin/env node
/**
 * Fails when a publishable package changed without a changeset.
 *
 *   node scripts/check-changesets.mjs [--json]
 *
 * The base of the comparison, per package, is the last commit that changed its `version` (the
 * last `pnpm version-packages`, which also deletes the changesets it consumed), or the commit
 * that added the package if it was never versioned since. Everything that changed in what the
 * package ships since that commit (the `files` of its package.json except tests, plus the
 * fields of package.json that users see) must be named by a changeset still pending in
 * `.changeset/`. This works the same on a fresh clone of main in CI, on a branch, or after a
 * merge: no branch name or merge-base is involved, only the history of the package itself.
 * It needs the full history: a shallow clone is deepened (`git fetch --unshallow`) or, when that
 * fails, the command says loudly that it did not check and exits 0 (`checkChangesets` throws
 * {@link ShallowCloneError}), so a CI that clones one commit is not failed for how it cloned.
 *
 * Importable: `import { checkChangesets } from './scripts/check-changesets.mjs'`.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const TEST_PATH = /(^|\/)(test|tests|__tests__|test-utils)(\/|$)|\.(test|spec)\.[cm]?[jt]sx?$/;
/** package.json fields a user of the published package sees. */
const USER_FIELDS = [
  'name',
  'dependencies',
  'peerDependencies',
  'optionalDependencies',
  'exports',
  'main',
  'types',
  'bin',
  'files',
  'sideEffects',
  'engines',
  'type',
];

/** The history needed to find each package's last version bump is not in this clone. */
export class ShallowCloneError extends Error {}

function git(root, args) {
  return execFileSync('git', args, {
    cwd: root,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  }).trim();
}

/** The package names a changeset's front matter lists (`'@rnnkit/nn': minor`). */
export function changesetPackages(text) {
  const front = /^---\r?\n([\s\S]*?)\r?\n---/.exec(text);
  if (!front) return [];
  return front[1]
    .split(/\r?\n/)
    .map((line) => /^\s*['"]?([^'":]+)['"]?\s*:\s*(major|minor|patch)\s*$/.exec(line)?.[1])
    .filter((name) => name !== undefined);
}

/**
 * Whether a path (relative to the package) is part of what the package ships: under one of
 * the `files` entries (negations and globs are approximated by excluding test paths), and not
 * a test file or helper. package.json is judged by {@link userFieldsChanged}.
 */
export function isShipped(path, files) {
  if (TEST_PATH.test(path)) return false;
  if (/^(README|CHANGELOG|LICENSE)/i.test(path)) return false; // prose, no changeset needed
  return (files ?? []).some((entry) => {
    if (entry.startsWith('!')) return false;
    const prefix = entry.replace(/\/?\*.*$/, '').replace(/\/$/, '');
    return prefix === '' || path === prefix || path.startsWith(`${prefix}/`);
  });
}

/** The {@link USER_FIELDS} that differ between two manifests. */
export function userFieldsChanged(before, after) {
  return USER_FIELDS.filter(
    (field) => JSON.stringify(before?.[field]) !== JSON.stringify(after?.[field]),
  );
}

/** Publishable packages of `packages/`: `{ name, dir (relative), manifest }`. */
function publishable(root) {
  const base = join(root, 'packages');
  return readdirSync(base, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(base, d.name, 'package.json')))
    .map((d) => ({
      dir: `packages/${d.name}`,
      manifest: JSON.parse(readFileSync(join(base, d.name, 'package.json'), 'utf8')),
    }))
    .filter((p) => !p.manifest.private)
    .map((p) => ({ ...p, name: p.manifest.name }));
}

/** The manifest at a commit, or undefined where the file did not exist. */
function manifestAt(root, commit, dir) {
  try {
    return JSON.parse(git(root, ['show', `${commit}:${dir}/package.json`]));
  } catch {
    return undefined;
  }
}

/** The last commit that changed the package's version, or added the package. */
export function releaseBase(root, dir) {
  const commits = git(root, ['log', '--format=%H', '--', `${dir}/package.json`]).split('\n');
  for (const commit of commits.filter(Boolean)) {
    const here = manifestAt(root, commit, dir);
    const parent = manifestAt(root, `${commit}^`, dir);
    if (parent === undefined || here?.version !== parent.version) return commit;
  }
  throw new Error(`no commit adds ${dir}/package.json`);
}

/**
 * What changed without a changeset: `[{ name, base, files, fields }]`, one entry per publishable
 * package whose shipped files or user-facing manifest fields changed since its {@link releaseBase}
 * and that no pending changeset names.
 */
export function checkChangesets(root) {
  if (git(root, ['rev-parse', '--is-shallow-repository']) === 'true') {
    try {
      git(root, ['fetch', '--quiet', '--unshallow']);
    } catch {
      // no remote to deepen from: say what is needed
    }
  }
  if (git(root, ['rev-parse', '--is-shallow-repository']) === 'true') {
    throw new ShallowCloneError(
      "the repository is a shallow clone: the check needs the history back to each package's last version bump (git fetch --unshallow)",
    );
  }
  const changesetDir = join(root, '.changeset');
  const covered = new Set(
    readdirSync(changesetDir)
      .filter((f) => f.endsWith('.md') && f !== 'README.md')
      .flatMap((f) => changesetPackages(readFileSync(join(changesetDir, f), 'utf8'))),
  );
  const missing = [];
  for (const pkg of publishable(root)) {
    if (covered.has(pkg.name)) continue;
    const base = releaseBase(root, pkg.dir);
    // committed changes since the base, plus uncommitted ones in the working tree
    const changed = new Set(
      [
        git(root, ['diff', '--name-only', base, 'HEAD', '--', pkg.dir]),
        git(root, ['diff', '--name-only', 'HEAD', '--', pkg.dir]),
      ]
        .join('\n')
        .split('\n')
        .filter(Boolean)
        .map((path) => path.slice(pkg.dir.length + 1)),
    );
    const files = [...changed].filter((path) => isShipped(path, pkg.manifest.files)).sort();
    const fields = changed.has('package.json')
      ? userFieldsChanged(manifestAt(root, base, pkg.dir), pkg.manifest)
      : [];
    if (files.length > 0 || fields.length > 0) {
      missing.push({ name: pkg.name, base: base.slice(0, 10), files, fields });
    }
  }
  return missing;
}

function main() {
  const { values } = parseArgs({ options: { json: { type: 'boolean' } } });
  const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
  let missing;
  try {
    missing = checkChangesets(root);
  } catch (e) {
    process.stderr.write(`check-changesets: ${e.message}\n`);
    // A CI that checks out one commit cannot judge what changed since a release: say so loudly
    // rather than fail the build for how it was cloned (a full clone runs the check).
    if (e instanceof ShallowCloneError) {
      process.stderr.write('check-changesets: NOT CHECKED in this shallow clone\n');
      return 0;
    }
    return 2;
  }
  if (values.json) process.stdout.write(`${JSON.stringify(missing, null, 2)}\n`);
  if (missing.length === 0) {
    if (!values.json)
      process.stdout.write('check-changesets: every changed publishable package has a changeset\n');
    return 0;
  }
  for (const m of missing) {
    const what = [...m.files.slice(0, 5), ...m.fields.map((f) => `package.json "${f}"`)];
    const more = m.files.length > 5 ? ` and ${m.files.length - 5} more` : '';
    process.stderr.write(
      `check-changesets: ${m.name} changed since ${m.base} (its last version bump, or its first commit) without a changeset: ${what.join(', ')}${more}\n`,
    );
  }
  process.stderr.write(
    'check-changesets: run `pnpm changeset`, name these packages, describe the change for users, and commit the file\n',
  );
  return 1;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = main();
}
