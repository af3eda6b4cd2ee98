// End to end in Debian's Chromium: the built site from a plain static server, trained, sampled,
// classified, saved and loaded on every backend, with models from the command-line apps too.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  classify,
  closePage,
  fillTraining,
  lossLog,
  OUTPUT,
  openPlayground,
  type Session,
  sample,
  selectBackend,
  startSession,
  train,
} from './browser.js';

const REPO = fileURLToPath(new URL('../../../', import.meta.url));
const PUBLIC = fileURLToPath(new URL('../public/', import.meta.url));

/** What each backend's report must say it really runs on. */
const REPORTS: Record<string, RegExp[]> = {
  cpu: [/^cpu/],
  wasm: [
    /SIMD kernels in WebAssembly memory, 1 thread/,
    /WebAssembly SIMD \(f32x4\): yes/,
    /threads: no/,
  ],
  gpujs: [
    /gpu\.js WebGL2Kernel \(webgl2\)/,
    /WebGL 2: WebGL 2\.0.*float textures renderable/,
    /WebGL 1: WebGL 1\.0.*float textures \(OES_texture_float\)/,
  ],
};

const mean = (v: readonly number[]) => v.reduce((a, b) => a + b, 0) / v.length;

/** Runs the char-lm command line from source; returns stdout (stderr must be empty). */
function charLm(...args: string[]): string {
  const r = spawnSync(
    process.execPath,
    ['--conditions=source', '--import', 'tsx', 'src/cli.ts', ...args],
    { cwd: join(REPO, 'apps/char-lm'), encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } },
  );
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  return r.stdout;
}

let session: Session;
beforeAll(async () => {
  mkdirSync(OUTPUT, { recursive: true });
  session = await startSession();
});
afterAll(async () => {
  await session?.close();
});

describe.each(['cpu', 'wasm', 'gpujs'])('on %s', (backend) => {
  it('says what it runs on, trains a few seconds with the loss falling, samples, classifies and plots gradients', async () => {
    const page = await openPlayground(session, backend);
    const report = await selectBackend(page, backend);
    for (const line of REPORTS[backend]) expect(report).toMatch(line);

    // a step budget: the machine's load decides how many steps fit in a few seconds
    const losses = await train(page, { hidden: 32, budget: { steps: 40 } });
    expect(losses).toHaveLength(40);
    // uniform over ~65 characters is ln 65 ≈ 4.2 nats; learning letter frequencies alone gets
    // well below it within a few dozen steps
    expect(mean(losses.slice(-5))).toBeLessThan(mean(losses.slice(0, 5)) - 0.3);
    expect(await page.textContent('#train-summary')).toMatch(
      /^done: \d+ steps in [0-9.]+ s; last 10 steps' loss [0-9.]+, validation loss [0-9.]+ nats\/char$/,
    );
    expect(Number((await page.textContent('#stat-rate'))?.replace(/,/g, ''))).toBeGreaterThan(0);
    expect(await page.textContent('#live-sample')).toMatch(/^step \d+:\n/);

    const text = await sample(page, { prime: 'ROMEO:', length: 80, temperature: 0.8, seed: 1 });
    expect(text.startsWith('ROMEO:')).toBe(true);
    expect([...text]).toHaveLength(86);

    const good = await classify(page, 'a wonderful , moving and beautifully acted film');
    expect(good.probabilities.pos).toBeGreaterThan(0.5);
    expect(good.probabilities.pos + good.probabilities.neg).toBeCloseTo(1, 3);
    expect(good.words.map(([w]) => w)).toEqual(
      'a wonderful , moving and beautifully acted film'.split(' '),
    );
    expect(Math.max(...good.words.map(([, c]) => c))).toBeGreaterThan(0);
    const bad = await classify(page, 'a dull , tedious and boring mess');
    expect(bad.probabilities.neg).toBeGreaterThan(0.5);

    await page.selectOption('#gradient-cell', 'SimpleRNN');
    await page.fill('#gradient-steps', '40');
    await page.click('#gradients');
    await page.waitForFunction(() =>
      document.getElementById('gradient-summary')?.textContent?.startsWith('SimpleRNN:'),
    );
    // a SimpleRNN's gradient from 40 steps back is orders of magnitude below the last step's
    const ratio = Number(
      /ratio ([0-9.e+-]+)/.exec((await page.textContent('#gradient-summary')) ?? '')?.[1],
    );
    expect(ratio).toBeLessThan(1e-2);

    await page.screenshot({ path: join(OUTPUT, `playground-${backend}.png`), fullPage: true });
    await closePage(page);
  });
});

describe('the page', () => {
  it('keeps answering on its main thread while the worker trains', async () => {
    const page = await openPlayground(session, 'cpu');
    // steps long enough that a page training on its own thread would freeze visibly
    await fillTraining(page, { hidden: 256, embed: 64, batch: 32, seq: 64, budget: { steps: 4 } });
    await page.evaluate(() => {
      const w = window as unknown as { gaps: number[] };
      w.gaps = [];
      let last = performance.now();
      setInterval(() => {
        const now = performance.now();
        w.gaps.push(now - last);
        last = now;
      }, 20);
    });
    await page.click('#train');
    // the page answers a round trip while training runs
    const answered = await page.evaluate(() => document.body.dataset.training);
    expect(answered).toBe('running');
    await page.waitForSelector('body[data-training="done"]', { timeout: 240_000 });
    const seconds = Number(
      /in ([0-9.]+) s/.exec((await page.textContent('#train-summary')) ?? '')?.[1],
    );
    const stepMs = (1000 * seconds) / 4;
    const gaps = await page.evaluate(() => (window as unknown as { gaps: number[] }).gaps);
    expect(stepMs, 'a step must take long enough for this check to mean something').toBeGreaterThan(
      200,
    );
    // the interval kept firing during every step: no gap comes near a step's length
    expect(Math.max(...gaps)).toBeLessThan(stepMs / 2);
    expect(gaps.length).toBeGreaterThan((1000 * seconds) / 20 / 4);
    await closePage(page);
  });

  it('downloads a model, loads it back in a new page with the same samples, and the command line samples it the same', async () => {
    const page = await openPlayground(session, 'wasm');
    await train(page, { cell: 'gru', hidden: 32, budget: { steps: 30 } });
    const settings = { prime: 'ROMEO:', length: 60, temperature: 0.8, seed: 4 };
    const before = await sample(page, settings);
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#save')]);
    expect(download.suggestedFilename()).toBe('char-lm-model.tar');
    const dir = mkdtempSync(join(tmpdir(), 'playground-download-'));
    const tar = join(dir, 'char-lm-model.tar');
    await download.saveAs(tar);
    await closePage(page);

    const again = await openPlayground(session, 'wasm');
    await again.setInputFiles('#load-files', tar);
    await again.waitForFunction(() =>
      document.getElementById('model-status')?.textContent?.includes('loaded from'),
    );
    expect(await again.textContent('#model-status')).toMatch(
      /^char-lm 1×GRU 32 \(embedding 16\), 65 characters, 30 steps — loaded from char-lm-model\/checkpoint\.json$/,
    );
    expect(await sample(again, settings)).toBe(before);
    await closePage(again);

    execFileSync('tar', ['xf', tar], { cwd: dir });
    const cli = charLm(
      'sample',
      '--model',
      join(dir, 'char-lm-model'),
      '--backend',
      'wasm',
      '--prime',
      settings.prime,
      '--length',
      String(settings.length),
      '--temperature',
      String(settings.temperature),
      '--seed',
      String(settings.seed),
    );
    expect(cli).toBe(`${before}\n`);
  });

  it('loads a checkpoint of rnnkit-char-lm train and a model directory of rnnkit-sentiment train', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'playground-cli-'));
    writeFileSync(
      join(dir, 'slice.txt'),
      readFileSync(join(PUBLIC, 'data/tinyshakespeare.txt'), 'utf8').slice(0, 20_000),
    );
    charLm(
      'train',
      '--text',
      join(dir, 'slice.txt'),
      '--steps',
      '5',
      '--layers',
      '1',
      '--hidden',
      '16',
      '--embed',
      '8',
      '--seq',
      '16',
      '--batch',
      '4',
      '--backend',
      'cpu',
      '--out',
      join(dir, 'run'),
    );
    const best = join(dir, 'run', 'best');
    const page = await openPlayground(session, 'cpu');
    await page.setInputFiles(
      '#load-files',
      readdirSync(best).map((f) => join(best, f)),
    );
    await page.waitForFunction(() =>
      document.getElementById('model-status')?.textContent?.includes('loaded from'),
    );
    expect(await page.textContent('#model-status')).toMatch(
      /^char-lm 1×LSTM 16 \(embedding 8\), \d+ characters, 5 steps/,
    );
    const settings = { prime: 'First', length: 40, temperature: 1, seed: 9 };
    const text = await sample(page, settings);
    const cli = charLm(
      'sample',
      '--model',
      join(dir, 'run'),
      '--backend',
      'cpu',
      '--prime',
      settings.prime,
      '--length',
      String(settings.length),
      '--temperature',
      String(settings.temperature),
      '--seed',
      String(settings.seed),
    );
    expect(cli).toBe(`${text}\n`);

    const sentence = 'an honest , funny and touching story';
    const shipped = await classify(page, sentence);
    await page.setInputFiles(
      '#load-files',
      ['model.rnnkit', 'vocab.json', 'sentiment.json'].map((f) =>
        join(PUBLIC, 'models/sentiment', f),
      ),
    );
    await page.waitForFunction(() =>
      document.getElementById('sentiment-model')?.textContent?.includes('loaded from'),
    );
    expect(await classify(page, sentence)).toEqual(shipped);
    // a file that is neither names what it expected
    await page.setInputFiles('#load-files', join(dir, 'slice.txt'));
    await page.waitForFunction(() => document.getElementById('error')?.textContent !== '');
    expect(await page.textContent('#error')).toMatch(
      /Load model: found neither a char-lm checkpoint .* nor a sentiment model .* in slice\.txt/,
    );
    await closePage(page);
  });

  it('refuses bad controls with a message naming them', async () => {
    const page = await openPlayground(session, 'cpu');
    await fillTraining(page, { batch: 0, budget: { steps: 1 } });
    await page.click('#train');
    await page.waitForSelector('body[data-training="done"]');
    expect(await page.textContent('#error')).toBe(
      'ValueError: Batch must be an integer from 1 to 1024, got 0',
    );
    expect(await lossLog(page)).toEqual([]);
    await closePage(page);
  });
});
