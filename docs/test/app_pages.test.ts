import { describe, expect, it } from 'vitest';
import { appPage, rebaseLinks } from '../scripts/app_pages.js';

describe('rebaseLinks', () => {
  it('rewrites relative targets for the new folder and leaves URLs and anchors alone', () => {
    const md =
      '![chart](results/latest.svg) [src](src/cli.ts#L3) [site](https://x.y/z) [top](#usage)';
    expect(rebaseLinks(md, 'apps/bench', 'docs/generated/apps')).toBe(
      '![chart](../../../apps/bench/results/latest.svg) [src](../../../apps/bench/src/cli.ts#L3) [site](https://x.y/z) [top](#usage)',
    );
  });
});

describe('appPage', () => {
  const readme = '# @rnnkit/demo\n\nIt trains. ![curve](out/loss.svg)\n';

  it('titles the page after the README heading, in the Apps group', () => {
    const page = appPage({ name: 'demo', readme, hasChart: false }, 'docs/generated/apps');
    expect(page.startsWith('---\ntitle: "App: @rnnkit/demo"\ngroup: Apps\n---\n')).toBe(true);
    expect(page).toContain('![curve](../../../apps/demo/out/loss.svg)');
    expect(page).not.toContain('Latest measured results');
  });

  it("ends with the app's latest chart and table, without the table's own title", () => {
    const page = appPage(
      { name: 'bench', readme, hasChart: true, latestTable: '# table\n\n| a |\n| --- |\n| 1 |\n' },
      'docs/generated/apps',
    );
    expect(page).toContain('## Latest measured results');
    expect(page).toContain('![latest results](../../../apps/bench/results/latest.svg)');
    expect(page).toContain('| a |');
    expect(page).not.toContain('# table');
  });
});
