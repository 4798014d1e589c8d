// The same `sweep` in headless Chromium through the Web Worker executor gives Node's bytes for the
// same seed. Needs Debian's /usr/bin/chromium (CI installs it): the test fails, never skips, without it.
// The page (test/sweep/browser/index.html) imports dist/ and build/*.wasm from the same server.
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InThreadExecutor, sweep, THEORY_FIELDS, type SweepSpec } from '../../src/node.ts';
import { launchChromium } from '../web/chromium.mjs';
import { serveStatic, type StaticServer } from '../web/server.mjs';
import { sweepBytes } from './sweepBytes.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

const theorySpec: SweepSpec = { b: [3, 5, 9], gamma: { start: 0.3, stop: 1, count: 15 }, rho: { start: 0, stop: 0.6, step: 0.15 }, u0: [-0.2, 0.05], depth: [0, 7, 60] };
const bothSpec: SweepSpec = { b: [3, 5], gamma: [0.6, 0.9], rho: [0, 0.25], u0: [0.05, 0.2], depth: [3], trials: [70_000], compute: 'both' };
const SEED = 424_242;

let server: StaticServer;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  server = await serveStatic({ '/': fileURLToPath(new URL('./browser/', import.meta.url)), '/dist/': `${ROOT}dist`, '/build/': `${ROOT}build` });
  browser = await launchChromium();
  page = await browser.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${server.origin}/`);
  await page.waitForFunction(() => (window as unknown as { ready?: boolean }).ready === true, undefined, { timeout: 20_000 })
    .catch((e: Error) => { throw new Error(`the test page did not load: ${errors.join('; ') || e.message}`); });
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

type RunSweep = (spec: SweepSpec, options: object) => Promise<{ hex: string; concurrency: number }>;

async function browserHex(spec: SweepSpec, options: object): Promise<{ hex: string; concurrency: number }> {
  return page.evaluate(([s, o]) => (window as unknown as { runSweep: RunSweep }).runSweep(s, o), [spec, options] as const);
}

describe('sweep in headless Chromium (Web Worker executor)', () => {
  it('theory sweep: the browser bytes equal Node\'s, for 1 and 2 workers', async () => {
    const node = (await sweepBytes(sweep(theorySpec, { executor: new InThreadExecutor() }))).toString('hex');
    expect(node.length).toBe(3 * 15 * 5 * 2 * 3 * THEORY_FIELDS.length * 16);
    for (const workers of [1, 2]) {
      const browserRun = await browserHex(theorySpec, { workers, chunkSize: 97 });
      expect(browserRun.concurrency).toBe(workers);
      expect(browserRun.hex === node, `workers=${workers}`).toBe(true);
    }
  });

  it('Monte Carlo + theory sweep: the browser counts equal Node\'s for the same seed', async () => {
    const node = (await sweepBytes(sweep(bothSpec, { executor: new InThreadExecutor(), seed: SEED }))).toString('hex');
    const browserRun = await browserHex(bothSpec, { workers: 2, seed: SEED, leafVotesPerTask: 1 });
    expect(browserRun.hex === node).toBe(true);
  });

  it('a Web Worker that dies is replaced; the chunk is retried on a fresh worker and results are unchanged', async () => {
    const node = (await sweepBytes(sweep(theorySpec, { executor: new InThreadExecutor() }))).toString('hex');
    const browserRun = await browserHex(theorySpec, { workers: 2, chunkSize: 97, faultInjection: { cell: 500, kind: 'crash', failures: 1 } });
    expect(browserRun.hex === node).toBe(true);
    const failed = await page.evaluate(async (spec) => {
      const w = window as unknown as { runSweep: RunSweep };
      try {
        await w.runSweep(spec, { workers: 2, chunkSize: 97, faultInjection: { cell: 500, kind: 'crash', failures: 2 } });
        return null;
      } catch (e) {
        return { name: (e as Error).name, message: (e as Error).message };
      }
    }, theorySpec);
    expect(failed?.name).toBe('SweepCellError');
    expect(failed?.message).toMatch(/cells 485–581 \(a worker died/);
  });

  it('a worker script that cannot load fails the sweep instead of hanging', async () => {
    const failed = await page.evaluate(() => (window as unknown as { badWorkerSweep: () => Promise<{ name: string; message: string } | null> }).badWorkerSweep());
    expect(failed?.name).toBe('SweepCellError');
    expect(failed?.message).toMatch(/a Web Worker died/);
  });

  it('the default executor and per-cell collect work in the browser; abort rejects with an AbortError', async () => {
    const spec: SweepSpec = { b: [3], gamma: [0.7, 0.9], rho: [0.1], u0: [0.05], depth: [5], trials: [1000], compute: 'both' };
    const inBrowser = await page.evaluate((s) => (window as unknown as { collectSweep: (s: SweepSpec, o: object) => Promise<unknown> }).collectSweep(s, { seed: 3, workers: 2 }), spec);
    const inNode = (await sweep(spec, { seed: 3, executor: new InThreadExecutor() }).collect()).map((c) => ({ cell: c.cell, theory: c.theory, montecarlo: c.montecarlo }));
    expect(inBrowser).toEqual(inNode);

    const slow: SweepSpec = { b: [3], gamma: { start: 0.6, stop: 0.99, count: 40 }, rho: [0], u0: [0.05], depth: [6], trials: [65_536], compute: 'montecarlo' };
    const aborted = await page.evaluate((s) => (window as unknown as { abortSweep: (s: SweepSpec, o: object) => Promise<{ error: { name: string; isDOMException: boolean } | null; after: string }> })
      .abortSweep(s, { leafVotesPerTask: 1 }), slow);
    expect(aborted.error).toEqual({ name: 'AbortError', isDOMException: true });
    const after = (await sweepBytes(sweep({ b: [3], gamma: [0.8], rho: [0], u0: [0.1], depth: [4] }, { executor: new InThreadExecutor() }))).toString('hex');
    expect(aborted.after).toBe(after);
  });
});
