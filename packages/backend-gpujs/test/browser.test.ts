/**
 * The gpujs backend in a real browser (headless Chromium, WebGL on SwiftShader).
 */
import { existsSync } from 'node:fs';
import {
  mulberry32,
  type RnnPathResult,
  randomCotangents,
  randomRnnProblem,
} from '@rnnkit/test-utils';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { expectClose } from './helpers.js';

/** Debian's Chromium (apt package `chromium`); override with RNNKIT_CHROMIUM. */
const CHROMIUM = process.env.RNNKIT_CHROMIUM ?? '/usr/bin/chromium';

/**
 * Headless Chromium with software GL (SwiftShader): WebGL2 with float textures, no GPU, no
 * network chatter.
 */
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--enable-unsafe-swiftshader',
];

async function bundle(): Promise<string> {
  const result = await build({
    entryPoints: [new URL('./browser/entry.ts', import.meta.url).pathname],
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'es2022',
    conditions: ['source'],
    write: false,
    logLevel: 'silent',
  });
  return result.outputFiles[0].text;
}

describe('in a browser (headless Chromium, WebGL on SwiftShader)', () => {
  it("runs an LSTM forward and backward on WebGL2Kernel (default) and WebGLKernel, matching core's composed reference on the same backend", async () => {
    expect(
      existsSync(CHROMIUM),
      `Chromium not found at ${CHROMIUM} (apt-get install chromium)`,
    ).toBe(true);
    const script = await bundle();
    // No headless-gl in the browser bundle (gpu.js's browser build only names it in a string).
    expect(script).not.toMatch(/__require\(["']gl["']\)/);
    const random = mulberry32(21);
    const problem = randomRnnProblem(random, 'LSTM', [2, 5, 3, 4], { lengths: [5, 3] });
    const data = { problem, cotangents: randomCotangents(random, problem) };
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_ARGS,
    });
    try {
      for (const [mode, kernelType] of [
        [undefined, 'WebGL2Kernel'],
        ['webgl', 'WebGLKernel'],
      ] as const) {
        const page = await browser.newPage();
        const errors: string[] = [];
        page.on('pageerror', (e) => errors.push(e.message));
        await page.setContent('<!doctype html><title>rnnkit gpujs</title>');
        await page.addScriptTag({ content: script });
        type Run = {
          describe: string;
          mode: string;
          kernelType: string;
          fused: RnnPathResult;
          composed: RnnPathResult;
        };
        const result = (await page.evaluate(
          ([d, m]) =>
            (
              globalThis as unknown as { runLstm: (x: unknown, m: unknown) => Promise<unknown> }
            ).runLstm(d, m),
          [data, mode] as const,
        )) as Run;
        expect(errors).toEqual([]);
        expect(result.kernelType).toBe(kernelType);
        expect(result.mode).toBe(mode ?? 'webgl2');
        expect(result.describe).toMatch(
          new RegExp(`^gpujs: gpu\\.js ${kernelType} \\(${mode ?? 'webgl2'}\\) on `),
        );
        // Same tolerance as the Node comparison of the two paths (backend.test.ts).
        const { fused, composed } = result;
        expectClose(fused.y, composed.y, 1e-5, `${kernelType} y`);
        expectClose([fused.loss], [composed.loss], 1e-5, `${kernelType} loss`);
        composed.grads.forEach((g, k) =>
          expectClose(fused.grads[k], g, 1e-5, `${kernelType} grad ${k}`),
        );
        await page.close();
      }
    } finally {
      await browser.close();
    }
  });
});
