// Driving the built playground in Debian's Chromium (playwright-core, never a downloaded
// browser): launching it, serving dist/ from a sub-path of a plain static server, and the page
// actions the tests repeat.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';
import { expect } from 'vitest';
import { serveStatic } from './static_server.js';

/** Debian's Chromium (apt package `chromium`); override with RNNKIT_CHROMIUM. */
export const CHROMIUM = process.env.RNNKIT_CHROMIUM ?? '/usr/bin/chromium';

/**
 * Headless, software WebGL (SwiftShader), no network chatter; no sandbox when root (CI runs as
 * root, where Chromium's sandbox refuses to start).
 */
const ARGS = [
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--enable-unsafe-swiftshader',
  ...(process.getuid?.() === 0 ? ['--no-sandbox'] : []),
];

/** The built site. */
export const DIST = fileURLToPath(new URL('../dist/', import.meta.url));
/** Where the tests leave their screenshots (gitignored). */
export const OUTPUT = fileURLToPath(new URL('../test-output/', import.meta.url));

/** A browser and a static server of the built site. */
export interface Session {
  browser: Browser;
  url: string;
  close(): Promise<void>;
}

/** Starts the server and the browser; the site must have been built. */
export async function startSession(): Promise<Session> {
  expect(
    existsSync(`${DIST}index.html`),
    `${DIST}index.html is missing: build first (pnpm --filter @rnnkit/playground build)`,
  ).toBe(true);
  expect(existsSync(CHROMIUM), `Chromium not found at ${CHROMIUM} (apt-get install chromium)`).toBe(
    true,
  );
  const server = await serveStatic(DIST, '/some/static/dir/');
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ARGS });
  return {
    browser,
    url: server.url,
    async close() {
      await browser.close();
      await server.close();
    },
  };
}

const pageErrors = new WeakMap<Page, string[]>();

/** Closes a page of {@link openPlayground}, failing when a script on it threw. */
export async function closePage(page: Page): Promise<void> {
  await page.close();
  expect(pageErrors.get(page) ?? []).toEqual([]);
}

/** A fresh page on the playground, ready (backend loaded, sentiment model shipped); page errors fail the test. */
export async function openPlayground(session: Session, backend = 'wasm'): Promise<Page> {
  const page = await session.browser.newPage({ viewport: { width: 1000, height: 1400 } });
  const errors: string[] = [];
  pageErrors.set(page, errors);
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(session.url, { timeout: 120_000 });
  await page.waitForSelector('body[data-ready="true"]', { timeout: 60_000 });
  await selectBackend(page, backend);
  return page;
}

/** Switches the backend and waits until it is loaded (or reported unavailable). */
export async function selectBackend(page: Page, backend: string): Promise<string> {
  if ((await page.getAttribute('body', 'data-backend')) !== backend) {
    await page.selectOption('#backend', backend);
    await page.waitForSelector(
      `body[data-backend="${backend}"], body[data-backend="unavailable:${backend}"]`,
      { timeout: 60_000 },
    );
  }
  return (await page.textContent('#backend-status')) ?? '';
}

/** The training controls the tests set (others keep the page's defaults). */
export interface TrainControls {
  cell?: string;
  layers?: number;
  hidden?: number;
  embed?: number;
  seq?: number;
  batch?: number;
  lr?: number;
  seed?: number;
  budget: { seconds: number } | { steps: number };
}

/** Trains through the page's controls; returns every step's loss as the page lists it. */
export async function train(page: Page, controls: TrainControls): Promise<number[]> {
  await fillTraining(page, controls);
  await page.click('#train');
  await page.waitForSelector('body[data-training="done"]', { timeout: 240_000 });
  expect(await page.textContent('#error')).toBe('');
  return lossLog(page);
}

/** Sets the training controls without starting. */
export async function fillTraining(page: Page, controls: TrainControls): Promise<void> {
  if (controls.cell) await page.selectOption('#cell', controls.cell);
  for (const key of ['layers', 'hidden', 'embed', 'seq', 'batch', 'lr', 'seed'] as const) {
    const value = controls[key];
    if (value !== undefined) await page.fill(`#${key}`, String(value));
  }
  const [kind, amount] =
    'steps' in controls.budget
      ? ['steps', controls.budget.steps]
      : ['seconds', controls.budget.seconds];
  await page.selectOption('#budget-kind', kind);
  await page.fill('#budget', String(amount));
}

/** Every step's loss, as the page's list shows it. */
export async function lossLog(page: Page): Promise<number[]> {
  return (await page.locator('#loss-log li').allTextContents()).map(Number);
}

/** Samples through the page's controls; returns the text shown (prime included). */
export async function sample(
  page: Page,
  settings: { prime: string; length: number; temperature: number; seed: number },
): Promise<string> {
  await page.fill('#prime', settings.prime);
  await page.fill('#length', String(settings.length));
  await page.fill('#temperature', String(settings.temperature));
  await page.fill('#sample-seed', String(settings.seed));
  await page.fill('#top-k', '0');
  await page.fill('#top-p', '1');
  await page.click('#sample');
  await page.waitForFunction(
    () => {
      const text = document.getElementById('sample-output')?.textContent;
      return text !== undefined && text !== '…' && text !== '';
    },
    undefined,
    { timeout: 60_000 },
  );
  expect(await page.textContent('#error')).toBe('');
  return (await page.textContent('#sample-output')) ?? '';
}

/** Classifies a sentence; returns the probabilities and word contributions shown. */
export async function classify(
  page: Page,
  sentence: string,
): Promise<{ probabilities: Record<string, number>; words: [string, number][] }> {
  await page.evaluate(() => {
    const words = document.getElementById('sentiment-words');
    if (words) words.textContent = '';
  });
  await page.fill('#sentence', sentence);
  await page.click('#classify');
  await page.waitForFunction(
    () =>
      document.querySelector('#sentiment-words span') !== null ||
      document.getElementById('error')?.textContent !== '',
    undefined,
    { timeout: 60_000 },
  );
  expect(await page.textContent('#error')).toBe('');
  const rows = await page
    .locator('#sentiment-result .probability')
    .evaluateAll((els) => els.map((e) => [(e as HTMLElement).dataset.label, e.textContent]));
  const probabilities = Object.fromEntries(
    rows.map(([label, text]) => [label as string, Number(/= ([0-9.]+)/.exec(text ?? '')?.[1])]),
  );
  const words = await page
    .locator('#sentiment-words span')
    .evaluateAll((els) =>
      els.map((e) => [e.textContent ?? '', Number((e as HTMLElement).dataset.contribution)]),
    );
  return { probabilities, words: words as [string, number][] };
}
