// The package's browser entry embedded two ways (README "In the browser"): bundled by Vite from the
// package name, and as plain ESM from a static server with an import map. Both run in headless
// Chromium and must give Node's numbers exactly (same WASM kernel, same seed, §D4), with no Node
// built-in anywhere in the bundle.
import { copyFile, cp, mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { build, createServer } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alpha, fixedPoint, InThreadExecutor, simulateTree, sweep, trajectory } from '../../src/node.ts';
import { collectErrors, launchChromium } from './chromium.mjs';
import { serveStatic } from './server.mjs';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const APP = fileURLToPath(new URL('./app/', import.meta.url));

let browser: Browser;
let work: string;

beforeAll(async () => {
  browser = await launchChromium();
  work = await mkdtemp(join(tmpdir(), 'synergy-bundle-'));
  // A consumer project with this package installed: the files `npm pack` would publish (package.json
  // "files"), copied into its node_modules, so Vite treats it as a dependency (pre-bundled in dev).
  const installed = join(work, 'app', 'node_modules', 'budgeted-synergy');
  await mkdir(join(installed, 'build'), { recursive: true });
  await cp(join(ROOT, 'dist'), join(installed, 'dist'), { recursive: true });
  for (const file of ['package.json', 'build/plain.wasm', 'build/simd.wasm']) await copyFile(join(ROOT, file), join(installed, file));
  await copyFile(join(APP, 'vite.html'), join(work, 'app', 'index.html'));
  await copyFile(join(APP, 'main.js'), join(work, 'app', 'main.js'));
});

afterAll(async () => {
  await browser?.close();
  if (work) await rm(work, { recursive: true, force: true });
});

/** What the app computes, computed by the Node entry. */
async function expected() {
  const level = { b: 5, gamma: 0.6, rho: 0.1 };
  const spec = { b: [3], gamma: [0.7, 0.9], rho: [0.1], u0: [0.05], depth: [5], trials: [3000], compute: 'both' as const };
  const cells = await sweep(spec, { seed: 3, executor: new InThreadExecutor() }).collect();
  return {
    simd: true,
    alpha: alpha(level),
    uStar: fixedPoint(level),
    trajectory: Array.from(trajectory(level, 0.05, 30)),
    mc: simulateTree({ tree: level, u0: 0.05, depth: 6, mode: 'full', trials: 20_000, seed: 7 }),
    cells: cells.map((c) => ({ cell: c.cell, theory: c.theory, montecarlo: c.montecarlo })),
  };
}

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

/** Serves `mounts`, opens `path`, waits for window.result; returns it with the requests and errors. */
async function runPage(mounts: Record<string, string>, path: string) {
  const server = await serveStatic(mounts);
  const page = await browser.newPage();
  const errors = collectErrors(page);
  try {
    await page.goto(`${server.origin}${path}`);
    await page.waitForFunction(() => (window as { result?: unknown }).result !== undefined, undefined, { timeout: 30_000 });
    const result = await page.evaluate(() => (window as { result?: unknown }).result);
    return { result, requests: [...server.requests], errors };
  } finally {
    await page.close();
    await server.close();
  }
}

async function viteBuild(outDir: string, assetsInlineLimit: number): Promise<string[]> {
  await build({
    root: join(work, 'app'),
    configFile: false,
    logLevel: 'warn',
    build: { outDir, emptyOutDir: true, assetsInlineLimit },
    // The kernel module uses top-level await, which needs module workers (Vite's default is iife).
    worker: { format: 'es' },
  });
  return filesUnder(outDir);
}

describe('the browser entry, bundled by Vite', () => {
  it('emits both WASM flavours as assets, no Node built-in, and runs in Chromium with Node\'s numbers', async () => {
    const out = join(work, 'fetched');
    const files = await viteBuild(out, 0);
    expect(files.filter((f) => f.endsWith('.wasm')).length).toBe(2);
    const scripts = files.filter((f) => f.endsWith('.js'));
    expect(scripts.length).toBeGreaterThanOrEqual(2); // the app and the sweep's worker
    for (const file of scripts) expect(await readFile(file, 'utf8'), file).not.toMatch(/node:|\brequire\(|piscina/);

    const run = await runPage({ '/': out }, '/');
    expect(run.errors).toEqual([]);
    expect(run.result).toEqual(await expected());
    // SIMD chosen by feature detection: only the SIMD flavour is ever requested.
    expect(run.requests.some((r) => /simd-[\w-]+\.wasm$/.test(r))).toBe(true);
    expect(run.requests.some((r) => /plain-[\w-]+\.wasm$/.test(r))).toBe(false);
  });

  it('with assetsInlineLimit above the WASM size, the kernels are inlined and nothing .wasm is fetched', async () => {
    const out = join(work, 'inlined');
    const files = await viteBuild(out, 64 * 1024);
    expect(files.filter((f) => f.endsWith('.wasm'))).toEqual([]);
    const run = await runPage({ '/': out }, '/');
    expect(run.errors).toEqual([]);
    expect(run.result).toEqual(await expected());
    expect(run.requests.filter((r) => r.endsWith('.wasm'))).toEqual([]);
  });
});

describe('the browser entry under the Vite dev server', () => {
  it('serves the app in development mode (the package pre-bundled as a dependency) with Node\'s numbers', async () => {
    const dev = await createServer({
      root: join(work, 'app'),
      configFile: false,
      logLevel: 'warn',
      server: { host: '127.0.0.1', port: 0 },
      worker: { format: 'es' },
    });
    await dev.listen();
    const page = await browser.newPage();
    const errors = collectErrors(page);
    const requests: string[] = [];
    page.on('request', (r) => requests.push(new URL(r.url()).pathname));
    try {
      await page.goto(dev.resolvedUrls!.local[0]);
      await page.waitForFunction(() => (window as { result?: unknown }).result !== undefined, undefined, { timeout: 30_000 });
      expect(errors).toEqual([]);
      expect(await page.evaluate(() => (window as { result?: unknown }).result)).toEqual(await expected());
      expect(requests.some((r) => r.includes('/.vite/deps/budgeted-synergy'))).toBe(true);
      expect(requests.filter((r) => r.endsWith('.wasm')).every((r) => r.endsWith('/simd.wasm'))).toBe(true);
    } finally {
      await page.close();
      await dev.close();
    }
  });
});

describe('the browser entry as plain ESM from a static server', () => {
  it('loads dist/browser.js through an import map, fetches build/simd.wasm and gives Node\'s numbers', async () => {
    const run = await runPage({ '/dist/': join(ROOT, 'dist'), '/build/': join(ROOT, 'build'), '/': APP }, '/plain.html');
    expect(run.errors).toEqual([]);
    expect(run.result).toEqual(await expected());
    expect(run.requests).toContain('/build/simd.wasm');
    expect(run.requests).not.toContain('/build/plain.wasm');
  });
});
