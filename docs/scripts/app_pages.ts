/**
 * One documentation page per app: copies each `apps/<name>/README.md` into
 * `docs/generated/apps/<name>.md` with TypeDoc front matter (title, group "Apps") and its
 * relative links rewritten so that they still resolve (TypeDoc then copies linked images into
 * the site). When the app keeps results (`results/latest.md`, `results/latest.svg`, as
 * apps/bench does) the page ends with the latest table and chart. `pnpm docs` runs this first.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, posix, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/** What one app page is made of. */
export interface AppSources {
  /** The app's folder name under `apps/`. */
  name: string;
  /** Its README's text. */
  readme: string;
  /** `results/latest.md`, if the app keeps one. */
  latestTable?: string;
  /** Whether `results/latest.svg` exists. */
  hasChart: boolean;
}

/**
 * Rewrites Markdown link and image targets that are relative paths (`](results/x.svg)`) as
 * seen from `toDir`, for a text that was written in `fromDir` (both relative to the repository
 * root, `/`-separated). URLs and in-page anchors are left alone.
 */
export function rebaseLinks(markdown: string, fromDir: string, toDir: string): string {
  return markdown.replace(/(!?\[[^\]]*\]\()([^)\s]+)(\))/g, (whole, open, target, close) => {
    if (/^([a-z][a-z0-9+.-]*:|#|\/)/i.test(target)) return whole;
    const [path, anchor = ''] = target.split(/(?=#)/);
    return `${open}${posix.relative(toDir, posix.join(fromDir, path)) || '.'}${anchor}${close}`;
  });
}

/** The page of one app: front matter, the README (first heading kept), then its latest results. */
export function appPage(app: AppSources, pageDir: string): string {
  const appDir = `apps/${app.name}`;
  const title = /^#\s+(.+)$/m.exec(app.readme)?.[1].trim() ?? app.name;
  const parts = [
    '---',
    `title: ${JSON.stringify(`App: ${title}`)}`,
    'group: Apps',
    '---',
    '',
    rebaseLinks(app.readme.trim(), appDir, pageDir),
  ];
  if (app.latestTable || app.hasChart) {
    parts.push('', '## Latest measured results', '');
    parts.push(
      `From \`${appDir}/results/\`, as last written by the app (the numbers belong to the machine named in them).`,
    );
    if (app.hasChart) {
      parts.push('', rebaseLinks(`![latest results](results/latest.svg)`, appDir, pageDir));
    }
    if (app.latestTable) {
      // the table file's own title would be a second h1 on the page
      const body = app.latestTable.replace(/^#\s+.*\n/, '');
      parts.push('', rebaseLinks(body.trim(), `${appDir}/results`, pageDir));
    }
  }
  return `${parts.join('\n')}\n`;
}

/** Writes every app's page under `outDir` (emptied first); returns the pages written. */
export function writeAppPages(root: string, outDir: string): string[] {
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  const pageDir = relative(root, outDir).split(sep).join('/');
  const written: string[] = [];
  const appsDir = join(root, 'apps');
  const names = existsSync(appsDir) ? readdirSync(appsDir).sort() : [];
  for (const name of names) {
    const readmePath = join(appsDir, name, 'README.md');
    if (!existsSync(readmePath)) continue;
    const results = join(appsDir, name, 'results');
    const latestMd = join(results, 'latest.md');
    const page = appPage(
      {
        name,
        readme: readFileSync(readmePath, 'utf8'),
        latestTable: existsSync(latestMd) ? readFileSync(latestMd, 'utf8') : undefined,
        hasChart: existsSync(join(results, 'latest.svg')),
      },
      pageDir,
    );
    const out = join(outDir, `${name}.md`);
    writeFileSync(out, page);
    written.push(out);
  }
  return written;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
  const pages = writeAppPages(root, join(root, 'docs', 'generated', 'apps'));
  console.log(`app pages: ${pages.map((p) => relative(root, p)).join(', ') || 'none'}`);
}
