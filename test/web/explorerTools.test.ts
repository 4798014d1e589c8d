// Explorer tools (issue 15): every download button yields a valid file — PNGs with the PNG
// signature and the figure's size, SVGs that parse as XML, CSV and JSON that agree with the page —
// and Monte Carlo runs estimated over a few seconds wait for Run, and Stop terminates the worker.
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { defaultState, parseState, stateToQuery } from '../../web/state.ts';
import { type StaticServer } from './server.mjs';
import { ROOT, useExplorerSite } from './explorerSite.ts';

let server: StaticServer;
let browser: Browser;
let page: Page;
let errors: string[];
const state = { ...defaultState(), depth: 5, trials: 2000 };

const explorer = useExplorerSite({ viewport: { width: 1400, height: 1100 }, acceptDownloads: true });
beforeAll(async () => {
  ({ server, browser, page, errors } = explorer);
  await page.goto(`${server.origin}/?${stateToQuery(state)}`);
  await page.waitForFunction(() => {
    const r = document.querySelector<HTMLElement>('#results')!;
    return r.dataset.theory === 'done' && r.dataset.mc === 'done';
  }, undefined, { timeout: 60_000 });
}, 120_000);

async function downloadOf(kind: string): Promise<{ name: string; bytes: Buffer }> {
  const [download] = await Promise.all([page.waitForEvent('download'), page.click(`[data-export="${kind}"]`)]);
  return { name: download.suggestedFilename(), bytes: await readFile((await download.path())!) };
}

function pngSize(bytes: Buffer): [number, number] {
  expect([...bytes.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  expect(bytes.subarray(12, 16).toString('latin1')).toBe('IHDR');
  return [bytes.readUInt32BE(16), bytes.readUInt32BE(20)];
}

/** Parses SVG text in the page; returns the root's name and how many parse errors there were. */
function parseSvg(text: string): Promise<{ root: string; errors: number; images: number; paths: number }> {
  return page.evaluate((t) => {
    const doc = new DOMParser().parseFromString(t, 'image/svg+xml');
    return { root: doc.documentElement.nodeName, errors: doc.getElementsByTagName('parsererror').length, images: doc.getElementsByTagName('image').length, paths: doc.getElementsByTagName('path').length };
  }, text);
}

describe('explorer exports', () => {
  it('phase diagram: PNG of the canvas size and an SVG embedding it', async () => {
    const png = await downloadOf('phase-png');
    expect(png.name).toBe('phase-diagram.png');
    const canvas = await page.$eval('#heatmap', (c) => [(c as HTMLCanvasElement).width, (c as HTMLCanvasElement).height]);
    expect(pngSize(png.bytes)).toEqual(canvas);
    const svg = await downloadOf('phase-svg');
    expect(svg.name).toBe('phase-diagram.svg');
    expect(await parseSvg(svg.bytes.toString('utf8'))).toEqual({ root: 'svg', errors: 0, images: 1, paths: 0 });
  }, 60_000);

  it('trajectory: an SVG with the exact and clipped curves, and a 2× PNG of it', async () => {
    const svg = await downloadOf('trajectory-svg');
    const parsed = await parseSvg(svg.bytes.toString('utf8'));
    expect(parsed.root).toBe('svg');
    expect(parsed.errors).toBe(0);
    expect(parsed.paths).toBeGreaterThanOrEqual(2);
    const png = await downloadOf('trajectory-png');
    expect(pngSize(png.bytes)).toEqual([1000, 800]);
  }, 60_000);

  it('data: CSV rows ℓ = 0 … L and JSON agreeing with the numbers on the page', async () => {
    const csv = (await downloadOf('data-csv')).bytes.toString('utf8').trim().split('\n');
    expect(csv[0]).toBe('depth,exact,clipped,simulated,stdError,trials');
    expect(csv).toHaveLength(state.depth + 2);
    const rows = csv.slice(1).map((l) => l.split(','));
    rows.forEach((r, depth) => {
      expect(Number(r[0])).toBe(depth);
      expect(Number.isFinite(Number(r[1]))).toBe(true);
    });
    const uL = Number(await page.getAttribute('[data-testid="u-L"]', 'data-value'));
    expect(Number(rows[state.depth][1])).toBe(uL);
    const json = JSON.parse((await downloadOf('data-json')).bytes.toString('utf8'));
    expect(json.query).toBe(stateToQuery(state));
    expect(json.alpha).toBe(Number(await page.getAttribute('[data-testid="alpha"]', 'data-value')));
    expect(json.trajectory).toHaveLength(state.depth + 1);
    expect(json.trajectory[state.depth].exact).toBe(uL);
    // The simulated column is filled where the page simulated (the Monte Carlo table's rows).
    const simulated = await page.$$eval('[data-testid="mc-point"]', (trs) => trs.map((tr) => [Number((tr as HTMLElement).dataset.depth), Number((tr as HTMLElement).dataset.bias)]));
    expect(simulated.length).toBeGreaterThan(0);
    for (const [depth, bias] of simulated) expect(json.trajectory[depth].simulated).toBe(bias);
    expect(json.phaseGrid.uL).toHaveLength(json.phaseGrid.axis.length ** 2);
    expect(errors).toEqual([]);
  }, 60_000);
});

describe('Monte Carlo Run and Stop', () => {
  it('a long run waits for Run; Stop terminates its worker and no further points arrive', async () => {
    // Full trees to depth 12 with 200,000 trials: hours of work, far over the auto-start limit.
    const heavy = parseState('mode=full&depth=12&trials=200000&b=5').state;
    await page.goto(`${server.origin}/?${stateToQuery(heavy)}`);
    await page.waitForFunction(() => document.querySelector<HTMLElement>('#results')!.dataset.theory === 'done');
    expect(await page.getAttribute('#results', 'data-mc')).toBe('waiting');
    expect(await page.isVisible('#mc-run')).toBe(true);
    expect(await page.isDisabled('#mc-stop')).toBe(true);
    expect(await page.textContent('#mc-status')).toMatch(/waits for "Run Monte Carlo"/);
    await page.waitForTimeout(1000);
    expect(await page.$$('[data-testid="mc-point"]')).toHaveLength(0);

    await page.click('#mc-run');
    await page.waitForSelector('[data-testid="mc-point"][data-depth="2"]', { state: 'attached', timeout: 30_000 });
    const simulating = page.workers().filter((w) => w.url().includes('montecarlo'));
    expect(simulating, page.workers().map((w) => w.url()).join(' ')).toHaveLength(1);
    const worker = simulating[0];
    expect(await page.getAttribute('#results', 'data-mc')).toBe('running');
    expect(await page.isEnabled('#mc-stop')).toBe(true);
    const closed = new Promise<void>((resolve) => worker.once('close', () => resolve()));
    await page.click('#mc-stop');
    await closed; // the worker that was simulating is gone (terminated), not merely ignored
    expect(await page.getAttribute('#results', 'data-mc')).toBe('stopped');
    const kept = (await page.$$('[data-testid="mc-point"]')).length;
    expect(await page.textContent('#mc-status')).toMatch(new RegExp(`^Monte Carlo stopped after ${kept} of \\d+ depths`));
    await page.waitForTimeout(2000);
    expect(await page.$$('[data-testid="mc-point"]')).toHaveLength(kept);
    expect(await page.isDisabled('#mc-stop')).toBe(true);
    expect(errors).toEqual([]);
  }, 90_000);
});

describe('layout', () => {
  it('no horizontal overflow at 420 px; controls beside the results at 1400 px (screenshots in test-artifacts/)', async () => {
    const artifacts = join(ROOT, 'test-artifacts');
    await mkdir(artifacts, { recursive: true });
    const narrow = await browser.newPage({ viewport: { width: 420, height: 900 } });
    await narrow.goto(`${server.origin}/?${stateToQuery(state)}`);
    await narrow.waitForFunction(() => document.querySelector<HTMLElement>('#results')!.dataset.mc === 'done', undefined, { timeout: 60_000 });
    expect(await narrow.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(420);
    await narrow.screenshot({ path: join(artifacts, 'explorer-420.png'), fullPage: true });
    await narrow.close();
    await page.setViewportSize({ width: 1400, height: 1000 });
    await page.goto(`${server.origin}/?${stateToQuery(state)}`);
    await page.waitForFunction(() => document.querySelector<HTMLElement>('#results')!.dataset.mc === 'done', undefined, { timeout: 60_000 });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(1400);
    // Side by side: the controls column and the results start at the same height.
    const [form, results] = await Promise.all(['main > :first-child', '#results'].map((sel) => page.locator(sel).boundingBox()));
    expect(Math.abs(form!.y - results!.y)).toBeLessThan(5);
    expect(results!.x).toBeGreaterThan(form!.x + form!.width - 1);
    await page.screenshot({ path: join(artifacts, 'explorer-1400.png'), fullPage: false });
  }, 90_000);
});

describe('help panel', () => {
  it('defines every control and links to docs/model.md', async () => {
    await page.goto(`${server.origin}/?${stateToQuery(state)}`);
    const fields = await page.$$eval('[data-field]', (els) => [...new Set(els.map((e) => (e as HTMLElement).dataset.field!))]);
    const helped = await page.$$eval('#help [data-help]', (els) => els.map((e) => (e as HTMLElement).dataset.help!.split(' ')).flat());
    expect(fields.length).toBeGreaterThan(15);
    expect(fields.filter((f) => !helped.includes(f))).toEqual([]);
    const definitions = await page.$$eval('#help [data-help] + dd', (els) => els.map((e) => e.textContent!.trim()));
    expect(definitions.every((d) => d.length > 20)).toBe(true);
    // The link points at the copy the build ships beside the page (vite.config.ts), and it resolves.
    const href = await page.getAttribute('#help a', 'href');
    expect(href).toBe('./model.md');
    const served = await fetch(new URL(href!, `${server.origin}/`));
    expect(served.status).toBe(200);
    expect(await served.text()).toMatch(/^# /);
  }, 60_000);
});
