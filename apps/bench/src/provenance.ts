/**
 * Where a row comes from: the git commit it was measured on, and the rule that keeps rows of
 * different commits out of each other's ratios.
 */
import { spawnSync } from 'node:child_process';

/**
 * The commit checked out in `dir` (`git rev-parse --short=10 HEAD`), with `+dirty` when tracked
 * files differ from it, or `'unknown'` outside a git work tree.
 */
export function gitCommit(dir: string): string {
  const git = (args: string[]) => spawnSync('git', args, { cwd: dir, encoding: 'utf8' });
  const head = git(['rev-parse', '--short=10', 'HEAD']);
  if (head.status !== 0 || !head.stdout.trim()) return 'unknown';
  const status = git(['status', '--porcelain', '--untracked-files=no']);
  const dirty = status.status !== 0 || status.stdout.trim() !== '';
  return `${head.stdout.trim()}${dirty ? '+dirty' : ''}`;
}

/**
 * The commit a table is about: that of its newest row (by `date`), so a narrowed rerun on a
 * new commit makes the older rows the odd ones out. Undefined when no row carries one.
 */
export function tableCommit(
  rows: readonly { commit?: string; date?: string }[],
): string | undefined {
  let best: { commit?: string; date?: string } | undefined;
  for (const r of rows) {
    if (!r.commit) continue;
    if (!best || (r.date ?? '') > (best.date ?? '')) best = r;
  }
  return best?.commit;
}

/**
 * True when a row may enter ratios and checks of a table about `commit`: it was measured on
 * that commit. A row without a commit (older results) only matches a table without one.
 */
export function onCommit(row: { commit?: string }, commit: string | undefined): boolean {
  return row.commit === commit;
}
