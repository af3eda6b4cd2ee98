/**
 * The gpujs backend in a real browser (headless Chromium, WebGL on SwiftShader).
 */
import { existsSync } from 'node:fs';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { expectClose, rng, uniform } from './helpers.js';

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
  it('runs an LSTM forward and backward on WebGL2Kernel (default) and WebGLKernel, matching the cpu backend', async () => {
    expect(
      existsSync(CHROMIUM),
      `Chromium not found at ${CHROMIUM} (apt-get install chromium)`,
    ).toBe(true);
    const script = await bundle();
    // No headless-gl in the browser bundle (gpu.js's browser build only names it in a string).
    expect(script).not.toMatch(/__require\(["']gl["']\)/);
    const r = rng(21);
    const B = 2;
    const T = 5;
    const I = 3;
    const H = 4;
    const data = {
      B,
      T,
      I,
      H,
      lengths: [5, 3],
      values: {
        x: uniform(r, B * T * I),
        wIh: uniform(r, 4 * H * I, -0.5, 0.5),
        wHh: uniform(r, 4 * H * H, -0.5, 0.5),
        bIh: uniform(r, 4 * H, -0.1, 0.1),
        bHh: uniform(r, 4 * H, -0.1, 0.1),
        h0: uniform(r, B * H),
        c0: uniform(r, B * H),
        dy: uniform(r, B * T * H),
      },
    };
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
          y: number[];
          loss: number[];
          grads: number[][];
        };
        const result = (await page.evaluate(
          ([d, m]) =>
            (
              globalThis as unknown as { runLstm: (x: unknown, m: unknown) => Promise<unknown> }
            ).runLstm(d, m),
          [data, mode] as const,
        )) as { gpujs: Run; cpu: Run };
        expect(errors).toEqual([]);
        expect(result.gpujs.kernelType).toBe(kernelType);
        expect(result.gpujs.mode).toBe(mode ?? 'webgl2');
        expect(result.gpujs.describe).toMatch(
          new RegExp(`^gpujs: gpu\\.js ${kernelType} \\(${mode ?? 'webgl2'}\\) on `),
        );
        // Same tolerance as the Node comparison with the cpu backend (see rnn.test.ts).
        expectClose(result.gpujs.y, result.cpu.y, 1e-5, `${kernelType} y`);
        expectClose(result.gpujs.loss, result.cpu.loss, 1e-5, `${kernelType} loss`);
        result.cpu.grads.forEach((g, k) =>
          expectClose(result.gpujs.grads[k], g, 1e-5, `${kernelType} grad ${k}`),
        );
        await page.close();
      }
    } finally {
      await browser.close();
    }
  });
});
