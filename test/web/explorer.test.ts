// The explorer page end to end: build the site with Vite (vite.config.ts, into a temp dir), serve
// it on 127.0.0.1, drive Debian's Chromium, and check every number the page shows against the Node
// library for the same inputs and seed — exactly, since both run the same WASM kernel and Monte Carlo
// is a pure function of (seed, cell, chunk) (§D4). Saves test-artifacts/explorer.png.
import { cp, mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  alpha, clippedPredictor, criticalGamma, designBinary, fidelity, fixedPoint, MAX_FULL_TREE_LEAVES, organizationExponent, phaseGrid, simulateTree, trajectory,
} from '../../src/node.ts';
import { gridAxisForTest, SIZE } from './gridAxis.ts';
import { stateLeafBias, parseState, stateToQuery, type ExplorerState } from '../../web/state.ts';
import { count, fmt } from '../../web/format.ts';
import { commandLines } from '../../web/commandLine.ts';
import { REGIME_CODES, snapToGrid } from '../../web/compute.ts';
import { collectErrors } from './chromium.mjs';
import { serveStatic, type StaticServer } from './server.mjs';
import { ROOT, useExplorerSite } from './explorerSite.ts';

const ARTIFACTS = join(ROOT, 'test-artifacts');

let site: string;
let server: StaticServer;
let browser: Browser;
let page: Page;
let errors: string[];

const explorer = useExplorerSite({ viewport: { width: 1500, height: 1250 } });
beforeAll(() => {
  ({ site, server, browser, page, errors } = explorer);
});

/** Waits until the page shows finished theory and Monte Carlo results for exactly this state. */
async function settled(p: Page, state: ExplorerState, timeout = 30_000): Promise<void> {
  const query = stateToQuery(state);
  await p.waitForFunction((q) => {
    const r = document.querySelector<HTMLElement>('#results')!;
    return r.dataset.query === q && r.dataset.theory === 'done' && r.dataset.mc === 'done' && location.search === (q ? `?${q}` : '');
  }, query, { timeout });
}

async function value(p: Page, testId: string): Promise<number> {
  return Number(await p.getAttribute(`[data-testid="${testId}"]`, 'data-value'));
}

async function monteCarloRows(p: Page) {
  return p.$$eval('[data-testid="mc-point"]', (rows) => rows.map((r) => {
    const d = (r as HTMLElement).dataset;
    return { depth: Number(d.depth), trials: Number(d.trials), correct: Number(d.correct), bias: Number(d.bias), stdError: Number(d.stdError) };
  }));
}

/** The theory and Monte Carlo numbers the page shows must be Node's, bit for bit. */
async function expectNodeNumbers(p: Page, state: ExplorerState, depths: number[]): Promise<void> {
  const curve = state.curve === 'table'
    ? { kind: 'table' as const, m: state.table.map(([m]) => m), gamma: state.table.map(([, g]) => g) }
    : { kind: state.curve, gammaInf: state.gammaInf, m0: state.m0 };
  const gamma = state.channel === 'gamma' ? state.gamma : fidelity(curve, state.m);
  const level = { b: state.b, gamma, rho: state.rho };
  const u0 = stateLeafBias(state);
  expect(await value(p, 'gamma-used')).toBe(gamma);
  expect(await value(p, 'alpha')).toBe(alpha(level));
  expect(await value(p, 's')).toBe(organizationExponent(level));
  expect(await value(p, 'u-star')).toBe(fixedPoint(level));
  expect(await value(p, 'u-L')).toBe(trajectory(level, u0, state.depth)[state.depth]);
  expect(await value(p, 'clipped-L')).toBe(clippedPredictor(level, u0, state.depth));
  expect(await value(p, 'critical-gamma')).toBe(criticalGamma(state.b, state.rho));
  const shown = await monteCarloRows(p);
  expect(shown.map((r) => r.depth)).toEqual(depths);
  for (const row of shown) {
    const node = simulateTree({ tree: level, u0, depth: row.depth, mode: state.mode, trials: state.trials, seed: state.seed, cell: row.depth });
    expect(row, `Monte Carlo at depth ${row.depth}`).toEqual({ depth: row.depth, trials: node.trials, correct: node.correct, bias: node.bias, stdError: node.stdError });
  }
  expect(await value(p, 'mc-L')).toBe(shown.at(-1)!.bias);
}

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

/** Where the centre of heatmap cell (ig, ir) is on the screen: the canvas (560 px wide) is scaled by CSS to its column. */
function cellPoint(box: { x: number; y: number; width: number }, ig: number, ir: number): [number, number] {
  const k = box.width / 560;
  return [box.x + (52 + ((ig + 0.5) / SIZE) * 400) * k, box.y + (12 + (1 - (ir + 0.5) / SIZE) * 400) * k];
}

describe('the explorer in headless Chromium', () => {
  it('restores a state from the URL, follows control changes, and shows Node\'s numbers for the same inputs and seed', async () => {
    await page.goto(`${server.origin}/?b=3&gamma=0.8&rho=0.05&depth=12&trials=4000&seed=11`);
    let state = parseState('b=3&gamma=0.8&rho=0.05&depth=12&trials=4000&seed=11').state;
    await settled(page, state);
    expect(await page.inputValue('#b')).toBe('3');
    expect(await page.inputValue('#rho-range')).toBe('0.05');
    expect(await page.isHidden('#notes')).toBe(true);
    await expectNodeNumbers(page, state, range(1, 12));
    // Every control has an accessible name (a <label>, aria-label or aria-labelledby).
    const unnamed = await page.$$eval('input, select, button, textarea', (els) => els
      .filter((e) => !((e as HTMLInputElement).labels?.length || e.getAttribute('aria-label') || e.getAttribute('aria-labelledby') || (e.tagName === 'BUTTON' && e.textContent?.trim())))
      .map((e) => e.outerHTML));
    expect(unnamed).toEqual([]);
    expect(await page.locator('input, select').count()).toBeGreaterThanOrEqual(25);

    // Move a few controls: ρ, leaf quality as an accuracy, the seed.
    await page.fill('#rho', '0.12');
    await page.selectOption('#leaf', 'p0');
    expect(await page.inputValue('#q')).toBe('0.525'); // the same leaves: p0 = (1 + u0)/2
    await page.fill('#q', '0.56');
    await page.fill('#seed', '2026');
    state = { ...state, rho: 0.12, leaf: 'p0', leafValue: 0.56, seed: 2026 };
    await settled(page, state);
    // The command lines shown follow the controls (test/web/commandLine.test.ts runs them).
    expect(await page.textContent('[data-testid="cli-analyze"]')).toBe(commandLines(state).analyze);
    expect(await page.textContent('[data-testid="cli-design"]')).toBe(commandLines(state).design);
    expect(commandLines(state).analyze).toContain('--rho 0.12 --p0 0.56');
    await expectNodeNumbers(page, state, range(1, 12));

    // The design panel (§E) ranks what designBinary ranks.
    const node = designBinary({
      budget: state.budget, window: state.window, overhead: state.overhead, messageLengths: state.lengths,
      fidelity: { kind: 'constant', gamma: state.gamma }, leafLaw: { kind: 'power', k: state.k, beta: state.beta, gMax: state.gMax }, rho: state.rho,
    });
    const ranked = node.rows.filter((r) => r.rank !== null).sort((a, b) => a.rank! - b.rank!).slice(0, 15);
    const shownRows = await page.$$eval('[data-testid="design-row"]', (rows) => rows.map((r) => ({
      rank: Number((r as HTMLElement).dataset.rank), organization: (r as HTMLElement).dataset.organization, bias: Number((r as HTMLElement).dataset.bias),
    })));
    // Ranks and organizations exactly; biases to 1e-13: the leaf law k·x^β is evaluated by the JS
    // engine's Math.pow, and Chromium's V8 and Node 20's differ in its last bit on about 12% of inputs
    // (measured), which the exact recursion carries along. Everything the WASM kernel computes is exact.
    expect(shownRows.map((r) => [r.rank, r.organization])).toEqual(ranked.map((r) => [r.rank, r.organization]));
    shownRows.forEach((r, i) => expect(Math.abs(r.bias - ranked[i].bias!), `row ${i + 1}`).toBeLessThan(1e-13));
    expect(await page.getAttribute('[data-testid="design-summary"]', 'data-best-organization')).toBe(node.best.organization);

    // Hovering a heatmap cell shows that cell's phase-grid values.
    const box = (await page.locator('#heatmap').boundingBox())!;
    const axis = gridAxisForTest();
    for (const [ig, ir] of [[100, 10], [30, 90], [119, 0]]) {
      await page.mouse.move(...cellPoint(box, ig, ir));
      const tip = await page.$eval('#tooltip', (t) => ({ ...(t as HTMLElement).dataset, hidden: (t as HTMLElement).hidden }));
      const cell = phaseGrid({ b: [3], gamma: [axis[ig]], rho: [axis[ir]], u0: [stateLeafBias(state)], depths: [12] });
      expect(tip).toEqual({
        hidden: false, gamma: String(axis[ig]), rho: String(axis[ir]), alpha: String(cell.alpha[0]), s: String(cell.s[0]),
        uStar: String(cell.uStar[0]), uL: String(cell.uL[0]), regime: REGIME_CODES[cell.regime[0]],
      });
    }
  });

  it('γ from a message length and a fidelity curve (§B3); a click on the heatmap moves the design there', async () => {
    let state = parseState('b=5&depth=8&trials=2000').state;
    await page.goto(`${server.origin}/?${stateToQuery(state)}`);
    await settled(page, state);
    await page.selectOption('#channel', 'm');
    expect(await page.isHidden('#gamma')).toBe(true);
    await page.fill('#m', '120');
    await page.selectOption('#curve', 'rational');
    state = { ...state, channel: 'm', m: 120, curve: 'rational' };
    await settled(page, state);
    expect(await value(page, 'gamma-of-m')).toBe(fidelity({ kind: 'rational', gammaInf: 0.95, m0: 40 }, 120));
    await expectNodeNumbers(page, state, range(1, 8));

    // A tabulated curve: its points replace γ∞ and m0.
    await page.selectOption('#curve', 'table');
    expect(await page.isHidden('#ginf')).toBe(true);
    await page.fill('#table', '0:0,50:0.7,300:0.95');
    state = { ...state, curve: 'table', table: [[0, 0], [50, 0.7], [300, 0.95]] };
    await settled(page, state);
    expect(await value(page, 'gamma-of-m')).toBe(fidelity({ kind: 'table', m: [0, 50, 300], gamma: [0, 0.7, 0.95] }, 120));
    await expectNodeNumbers(page, state, range(1, 8));

    const box = (await page.locator('#heatmap').boundingBox())!;
    const axis = gridAxisForTest();
    // A click picks the cell's centre rounded to the grid's 3 decimals (issue 15): 0.754, not 0.7541666….
    await page.mouse.click(...cellPoint(box, 90, 20));
    state = { ...state, channel: 'gamma', gamma: snapToGrid(axis[90]), rho: snapToGrid(axis[20]) };
    expect(state.gamma).toBe(0.754);
    await settled(page, state);
    expect(await page.inputValue('#gamma')).toBe('0.754');
    await expectNodeNumbers(page, state, range(1, 8));

    // The keyboard does the same: tabbing to the map shows (and announces) the design's cell, and the
    // arrow keys step one cell with the readout following — what a mouse user gets on hover.
    const readout = async (ig: number, ir: number) => {
      const cell = phaseGrid({ b: [state.b], gamma: [axis[ig]], rho: [axis[ir]], u0: [stateLeafBias(state)], depths: [state.depth] });
      const tip = await page.$eval('#tooltip', (t) => ({ ...(t as HTMLElement).dataset, hidden: (t as HTMLElement).hidden }));
      expect(tip, `cell ${ig}, ${ir}`).toEqual({
        hidden: false, gamma: String(axis[ig]), rho: String(axis[ir]), alpha: String(cell.alpha[0]), s: String(cell.s[0]),
        uStar: String(cell.uStar[0]), uL: String(cell.uL[0]), regime: REGIME_CODES[cell.regime[0]],
      });
      const live = await page.textContent('[data-testid="heatmap-cell"]');
      expect(live).toContain(`γ = ${fmt(axis[ig], 5)}, ρ = ${fmt(axis[ir], 5)}: α_ρ = ${fmt(cell.alpha[0])}`);
      expect(live).toContain(`u_L = ${fmt(cell.uL[0])}, ${REGIME_CODES[cell.regime[0]]}.`);
    };
    await page.mouse.move(0, 0);
    expect(await page.isHidden('#tooltip')).toBe(true);
    await page.focus('#copy-link');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('heatmap');
    await readout(90, 20);
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('ArrowUp');
    await readout(91, 22);
    state = { ...state, gamma: snapToGrid(axis[91]), rho: snapToGrid(axis[22]) };
    await settled(page, state);
    await readout(91, 22);
    expect(await page.getAttribute('[data-testid="heatmap-cell"]', 'aria-live')).toBe('polite');
    await expectNodeNumbers(page, state, range(1, 8));
    await page.keyboard.press('Shift+Tab');
    expect(await page.isHidden('#tooltip')).toBe(true);
    // Leaving the map empties the readout: a screen reader finds no stale cell there.
    expect(await page.textContent('[data-testid="heatmap-cell"]')).toBe('');
  });

  it('invalid URL values fall back to defaults with a visible note; a shared URL reproduces the view', async () => {
    const other = await browser.newPage();
    const otherErrors = collectErrors(other);
    try {
      await other.goto(`${server.origin}/?rho=2&b=1&depth=9&trials=2000&zzz=1`);
      const state = parseState('depth=9&trials=2000').state;
      await settled(other, state);
      expect(await other.isVisible('#notes')).toBe(true);
      const notes = await other.$$eval('#notes li', (items) => items.map((i) => i.textContent));
      expect(notes).toEqual([
        'b=1 ignored: must be an integer in [2, 1001]; using 5',
        'rho=2 ignored: must be a number in [0, 1]; using 0.1',
        'unknown parameter zzz ignored',
      ]);
      expect(await other.inputValue('#rho')).toBe('0.1');
      // The address bar now holds the valid state only; opening it elsewhere gives the same numbers.
      await other.goto(other.url());
      await settled(other, state);
      expect(await other.isHidden('#notes')).toBe(true);
      await expectNodeNumbers(other, state, range(1, 9));
      expect(otherErrors).toEqual([]);
    } finally {
      await other.close();
    }
  });

  it('a new input cancels the Monte Carlo run in flight; the page stays responsive meanwhile', async () => {
    // Full trees at depth 12 with 200,000 trials would take hours (b^ℓ leaves per trial).
    const heavy = parseState('mode=full&depth=12&trials=200000&b=5').state;
    await page.goto(`${server.origin}/?${stateToQuery(heavy)}`);
    // Estimated over a few seconds: it waits for the Run button (explorerTools.test.ts checks that).
    await page.click('#mc-run');
    await page.waitForSelector('[data-testid="mc-point"][data-depth="3"]', { state: 'attached', timeout: 30_000 });
    expect(await page.getAttribute('#results', 'data-mc')).toBe('running');
    // The status line says what the run costs (trials × Σ_ℓ 5^ℓ over the depths a full tree allows)
    // and warns that it is long.
    const depths = range(1, 12).filter((l) => 5 ** l <= MAX_FULL_TREE_LEAVES);
    const votes = 200_000 * depths.reduce((sum, l) => sum + 5 ** l, 0);
    expect(Number(await page.getAttribute('#mc-status', 'data-votes'))).toBe(votes);
    expect(Number(await page.getAttribute('#mc-status', 'data-estimate'))).toBeGreaterThan(60);
    expect(await page.$eval('#mc-status', (e) => e.classList.contains('warning'))).toBe(true);
    expect(await page.textContent('#mc-status')).toMatch(new RegExp(`^Monte Carlo \\(full\\): \\d+ of ${depths.length} depths, [\\d,.·⁰-⁹]+ of ${count(votes).replace('.', '\\.')} votes \\(200,000 trials × Σ b\\^ℓ over ${depths.length} depths\\), .+ so far, about [\\d.]+ (min|h) left\\. Long run:`));
    // The status line ticks every second, so it is not a live region; screen readers hear the plan
    // (with its warning) once, from a separate polite region that stays put while the run goes.
    expect(await page.getAttribute('#mc-status', 'aria-live')).toBeNull();
    expect(await page.getAttribute('[data-testid="mc-announce"]', 'aria-live')).toBe('polite');
    const announced = await page.textContent('[data-testid="mc-announce"]');
    expect(announced).toMatch(/^Monte Carlo \(full\): planned .+ waits for "Run Monte Carlo"/);
    const ticking = await page.textContent('#mc-status');
    await page.waitForFunction((before) => document.querySelector('#mc-status')!.textContent !== before, ticking, { timeout: 5_000 });
    expect(await page.textContent('[data-testid="mc-announce"]')).toBe(announced);
    // The main thread answers at once while the worker simulates.
    const started = Date.now();
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(resolve)));
    expect(Date.now() - started).toBeLessThan(1000);
    const cancelledBefore = Number(await page.getAttribute('#mc-status', 'data-cancelled'));
    await page.selectOption('#mode', 'levels');
    await page.fill('#trials', '3000');
    const light = { ...heavy, mode: 'levels' as const, trials: 3000 };
    // Settles in seconds although the first run had minutes of work left: it was terminated.
    await settled(page, light, 20_000);
    expect(Number(await page.getAttribute('#mc-status', 'data-cancelled'))).toBeGreaterThan(cancelledBefore);
    expect(await page.$eval('#mc-status', (e) => e.classList.contains('warning'))).toBe(false);
    expect(Number(await page.getAttribute('#mc-status', 'data-votes'))).toBe(3000 * range(1, 12).reduce((sum, l) => sum + 5 * l, 0));
    expect(await page.textContent('[data-testid="mc-announce"]')).toBe(await page.textContent('#mc-status'));
    expect(await page.textContent('[data-testid="mc-announce"]')).toMatch(/^Monte Carlo: 12 depths, /);
    await expectNodeNumbers(page, light, range(1, 12));
  });

  it('a burst of slider input (a drag) updates the view once it stops, without a worker per event', async () => {
    const start = parseState('depth=10&trials=2000').state;
    await page.goto(`${server.origin}/?${stateToQuery(start)}`);
    await settled(page, start);
    const cancelledBefore = Number(await page.getAttribute('#mc-status', 'data-cancelled'));
    // 150 input events in one task, as a fast drag of the ρ slider would send.
    await page.$eval('#rho-range', (slider) => {
      const input = slider as HTMLInputElement;
      for (let i = 0; i < 150; i++) {
        input.value = String(0.05 + i * 0.001);
        input.dispatchEvent(new Event('input', { bubbles: true }));
      }
    });
    const end = { ...start, rho: 0.199 };
    await settled(page, end);
    expect(await page.inputValue('#rho')).toBe('0.199');
    expect(Number(await page.getAttribute('#mc-status', 'data-cancelled')) - cancelledBefore).toBeLessThanOrEqual(1);
    await expectNodeNumbers(page, end, range(1, 10));
  });

  it('a crashed theory worker (onerror, no reply) is replaced and the input recomputed; a second crash clears the old values', async () => {
    // What the page sees when a worker dies outside its own try: no reply, an 'error' event. The test
    // kills the live worker and fires that event at it, right after an input has been sent to it.
    const crashTheory = () => {
      const w = (window as unknown as { explorer: { theoryWorker: { worker: Worker } } }).explorer.theoryWorker.worker;
      w.terminate();
      w.dispatchEvent(new ErrorEvent('error', { message: 'injected crash', cancelable: true }));
    };
    const setRho = (rho: number) => {
      const input = document.querySelector<HTMLInputElement>('#rho')!;
      input.value = String(rho);
      input.dispatchEvent(new Event('input', { bubbles: true }));
    };
    let state = parseState('b=7&gamma=0.7&depth=9&trials=2000').state;
    await page.goto(`${server.origin}/?${stateToQuery(state)}`);
    await settled(page, state);
    const errorsBefore = errors.length;
    const restarts = async () => Number(await page.getAttribute('#theory-status', 'data-restarts') ?? 0);

    // One crash with the input in flight: a fresh worker computes it; nothing is left on the error line.
    await page.evaluate(`(${setRho})(0.2); (${crashTheory})();`);
    state = { ...state, rho: 0.2 };
    await settled(page, state);
    expect(await restarts()).toBe(1);
    expect(await page.isHidden('#theory-error')).toBe(true);
    await expectNodeNumbers(page, state, range(1, 9));

    // Crashing the replacement too: the page gives up on this input, says so, and shows no stale values.
    await page.evaluate(`(${setRho})(0.3); (${crashTheory})(); (${crashTheory})();`);
    await page.waitForSelector('#results[data-theory="error"]');
    expect(await page.textContent('#theory-error')).toBe('The theory worker failed: injected crash');
    for (const id of ['gamma-used', 'alpha', 'u-star', 'u-L', 'clipped-L', 'critical-gamma']) {
      expect(await page.textContent(`[data-testid="${id}"]`), id).toBe('—');
      expect(await page.getAttribute(`[data-testid="${id}"]`, 'data-value'), id).toBe('');
    }
    expect(await page.textContent('[data-testid="regime"]')).toBe('—');
    expect(await page.locator('[data-testid="design-row"]').count()).toBe(0);
    expect(await page.$eval('#trajectory', (svg) => svg.childElementCount)).toBe(0);

    // The next input gets a fresh worker and its own automatic retry: one crash of it is recovered
    // (a double crash before must not use up the retry of later inputs), and the page is whole again.
    const setGamma = (gamma: number) => {
      const input = document.querySelector<HTMLInputElement>('#gamma')!;
      input.value = String(gamma);
      input.dispatchEvent(new Event('input', { bubbles: true }));
    };
    await page.evaluate(`(${setGamma})(0.75); (${crashTheory})();`);
    state = { ...state, rho: 0.3, gamma: 0.75 };
    await settled(page, state);
    expect(await restarts()).toBe(4);
    expect(await page.isHidden('#theory-error')).toBe(true);
    await expectNodeNumbers(page, state, range(1, 9));

    // A Monte Carlo worker that crashes mid-run is replaced on the next input as well.
    const heavy = { ...state, mode: 'full' as const, depth: 12, trials: 200_000 };
    await page.goto(`${server.origin}/?${stateToQuery(heavy)}`);
    await page.click('#mc-run'); // estimated over a few seconds: waits for Run
    await page.waitForSelector('[data-testid="mc-point"][data-depth="2"]', { state: 'attached', timeout: 30_000 });
    await page.evaluate(() => {
      const w = (window as unknown as { explorer: { mcWorker: { worker: Worker } } }).explorer.mcWorker.worker;
      w.terminate();
      w.dispatchEvent(new ErrorEvent('error', { message: 'injected crash', cancelable: true }));
    });
    await page.waitForSelector('#results[data-mc="error"]');
    expect(await page.textContent('#mc-status')).toBe('The montecarlo worker failed: injected crash');
    await page.selectOption('#mode', 'levels');
    const light = { ...heavy, mode: 'levels' as const };
    await settled(page, light);
    await expectNodeNumbers(page, light, range(1, 12));
    // Killing the replacement while it still loads aborts the fetch of its script; nothing else is logged.
    expect(errors.splice(errorsBefore).filter((e) => !/^requestfailed: \S+\/theory\.worker-[\w-]+\.js net::ERR_ABORTED$/.test(e))).toEqual([]);
  });

  it('edge states render without errors: identity level, γ = 0, u0 = 0 and −1, b = 1001, depth 200, γ(m) ≈ 0', async () => {
    for (const query of ['gamma=1&rho=1&trials=500', 'gamma=0&trials=500', 'q=0&trials=500', 'leaf=p0&q=0&trials=500&field=uStar',
      'b=1001&depth=3&trials=500', 'b=1001&depth=2&mode=full&trials=100', 'depth=200&trials=500', 'channel=m&m=1&m0=1000000000&trials=500']) {
      const state = parseState(query).state;
      await page.goto(`${server.origin}/?${query}`);
      await settled(page, state);
      expect(await page.isHidden('#theory-error'), query).toBe(true);
      const depths = (await monteCarloRows(page)).map((r) => r.depth);
      expect(depths.at(-1), query).toBe(state.depth);
    }
    expect(errors).toEqual([]);
  });

  it('the built site holds both kernels, its two workers\' scripts and no Node built-in', async () => {
    const files = (await readdir(site, { recursive: true })).map(String);
    expect(files.filter((f) => f.endsWith('.wasm')).length).toBe(2);
    const scripts = files.filter((f) => f.endsWith('.js'));
    expect(scripts.some((f) => /theory\.worker/.test(f)) && scripts.some((f) => /montecarlo\.worker/.test(f))).toBe(true);
    for (const f of scripts) expect(await readFile(join(site, f), 'utf8'), f).not.toMatch(/node:|\brequire\(|piscina/);
  });

  it('a server that does not serve the WASM files gets a visible message, not a dead page', async () => {
    const broken = await mkdtemp(join(tmpdir(), 'synergy-broken-'));
    await cp(site, broken, { recursive: true, filter: (f) => !f.endsWith('.wasm') });
    const brokenServer = await serveStatic({ '/': broken });
    const other = await browser.newPage();
    try {
      await other.goto(`${brokenServer.origin}/`);
      await other.waitForSelector('#fatal:not([hidden])', { timeout: 20_000 });
      expect(await other.textContent('#fatal')).toMatch(/^The explorer could not start: cannot load http:\/\/127\.0\.0\.1:\d+\/assets\/simd-[\w-]+\.wasm: HTTP 404$/);
    } finally {
      await other.close();
      await brokenServer.close();
      await rm(broken, { recursive: true, force: true });
    }
  });

  it('logged no console errors, and the screenshot is saved', async () => {
    await page.goto(`${server.origin}/?b=5&gamma=0.62&rho=0.08&depth=30&trials=20000&seed=7`);
    await settled(page, parseState('b=5&gamma=0.62&rho=0.08&depth=30&trials=20000&seed=7').state);
    const box = (await page.locator('#heatmap').boundingBox())!;
    await page.mouse.move(...cellPoint(box, 96, 84));
    await mkdir(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, 'explorer.png'), fullPage: true });
    expect(errors).toEqual([]);
  });
});
