// The explorer's task models and figure options in headless Chromium (issues 11, 12, 15): the answers,
// distractor, aggregator, ρ_task and difficulty controls drive the library's TaskModel and the page shows
// its numbers (regime, every fixed point, s†, accuracy from chance 1/K, the §B9 trend); the phase diagram
// draws bistable cells apart; the log colour scale; the colour bar's title inside the canvas; the layout
// side by side at 1400 px and in one column at 420 px; the default Monte Carlo trials.
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  accuracyFromSkill, dominantLevelMap, dominantStateFromSkill, expectedRootAccuracy, phaseGrid, phaseStructure, rootBias, trajectory,
} from '../../src/node.ts';
import { commandLines } from '../../web/commandLine.ts';
import { REGIME_CODES, snapToGrid } from '../../web/compute.ts';
import { colour, colourPosition, REGIME_COLOURS } from '../../web/heatmap.ts';
import { DEFAULT_TRIALS, parseState, stateToQuery, type ExplorerState } from '../../web/state.ts';
import { gridAxisForTest, SIZE } from './gridAxis.ts';
import { type StaticServer } from './server.mjs';
import { useExplorerSite } from './explorerSite.ts';

const CANVAS_WIDTH = 560;
let server: StaticServer;
let page: Page;
let errors: string[];

const explorer = useExplorerSite({ viewport: { width: 1400, height: 1100 } });
beforeAll(() => {
  ({ server, page, errors } = explorer);
});

/** Waits until the page shows finished theory and Monte Carlo results for exactly this state. */
async function settled(p: Page, state: ExplorerState, { mc = 'done' } = {}): Promise<void> {
  const query = stateToQuery(state);
  await p.waitForFunction(([q, m]) => {
    const r = document.querySelector<HTMLElement>('#results')!;
    return r.dataset.query === q && r.dataset.theory !== 'running' && r.dataset.mc === m && location.search === (q ? `?${q}` : '');
  }, [query, mc], { timeout: 60_000 });
}

async function open(query: string, options?: { mc?: string }): Promise<ExplorerState> {
  const { state, notes } = parseState(query);
  expect(notes).toEqual([]);
  await page.goto(`${server.origin}/?${query}`);
  await settled(page, state, options);
  expect(await page.isHidden('#theory-error'), await page.textContent('#theory-error') ?? '').toBe(true);
  return state;
}

async function value(testId: string): Promise<string> {
  return (await page.getAttribute(`[data-testid="${testId}"]`, 'data-value'))!;
}

/** The heatmap's pixel (RGBA) at the centre of cell (ig, ir), read from the canvas itself. */
function cellPixel(ig: number, ir: number): Promise<number[]> {
  return page.$eval('#heatmap', (c, [x, y]) => [...(c as HTMLCanvasElement).getContext('2d')!.getImageData(x, y, 1, 1).data],
    [Math.floor(52 + ((ig + 0.5) / SIZE) * 400), Math.floor(12 + ((SIZE - 1 - ir + 0.5) / SIZE) * 400)]);
}

const near = (a: number[], b: readonly number[], tol = 1) => a.slice(0, 3).every((v, i) => Math.abs(v - b[i]) <= tol);

describe('explorer: K answers, distractors, judges (§H), ρ_task and difficulty (§I), §B9 trend', () => {
  it('K = 10 answers, b = 3, γ = 0.85: bistable, every fixed point and s† on the page and in the trajectory, accuracy from chance 1/10', async () => {
    const state = await open('answers=10&b=3&gamma=0.85&rho=0&q=0.3&depth=20&trials=2000&window=1000');
    const level = { b: 3, gamma: 0.85, rho: 0 };
    const ps = phaseStructure(level, { answers: 10 });
    expect(await page.textContent('[data-testid="regime"]')).toBe('bistable');
    expect(Math.abs(Number(await value('threshold')) - ps.threshold!)).toBeLessThan(1e-12);
    const points: [number, boolean][] = JSON.parse(await value('fixed-points'));
    expect(points.map(([, stable]) => stable)).toEqual(ps.fixedPoints.map((f) => f.stable));
    points.forEach(([v], i) => expect(Math.abs(v - ps.fixedPoints[i].value)).toBeLessThan(1e-12));
    // The plurality maps run in JavaScript (Math.pow): Chromium's V8 and Node's may differ in the last bit.
    const sL = trajectory(level, 0.3, 20, { answers: 10 })[20];
    const shown = Number(await value('u-L'));
    expect(Math.abs(shown - sL)).toBeLessThan(1e-13);
    expect(Number(await value('chance'))).toBe(0.1);
    expect(Number(await value('accuracy-L'))).toBe(accuracyFromSkill(shown, 10));
    expect(await page.textContent('[data-testid="clipped-L"]')).toBe('binary map only');
    // The trajectory draws each fixed point above chance, the unstable one labelled s†.
    const drawn = await page.$$eval('#trajectory [data-testid="fixed-point"]', (gs) => gs.map((g) => [Number(g.getAttribute('data-value')), g.getAttribute('data-stable'), g.textContent]));
    expect(drawn.map(([v, st]) => [v, st])).toEqual(points.filter(([v]) => v > 0).map(([v, st]) => [v, String(st)]));
    expect(drawn.find(([, st]) => st === 'false')![2]).toMatch(/^s† = 0\.128/);
    expect(await page.textContent('[data-testid="cli-analyze"]')).toBe(commandLines(state).analyze);
    expect(commandLines(state).analyze).toContain('--answers 10');
    expect(await page.textContent('[data-testid="chance-note"]')).toContain('1/10');
  });

  it('the phase diagram shows the bistable region apart: regime colours per cell, hatching over it in the u_L view', async () => {
    await open('answers=10&b=3&gamma=0.85&rho=0&q=0.3&depth=20&trials=2000&window=1000&field=regime');
    const axis = gridAxisForTest();
    const grid = phaseGrid({ b: [3], gamma: axis, rho: axis, u0: [0.3], depths: [20], task: { answers: 10 }, aggregator: 'plurality' });
    const seen = new Set<string>();
    // A row of cells at ρ ≈ 0.5, away from the ring and the two boundary lines (±2 cells).
    const ir = 60;
    const codes = axis.map((_, ig) => grid.regime[ig * SIZE + ir]);
    for (let ig = 2; ig < SIZE - 2; ig++) {
      if (codes[ig - 2] !== codes[ig] || codes[ig + 2] !== codes[ig]) continue;
      expect(near(await cellPixel(ig, ir), REGIME_COLOURS[codes[ig]]), `cell ${ig}`).toBe(true);
      seen.add(REGIME_CODES[codes[ig]]);
    }
    expect([...seen].sort()).toEqual(['amplifying', 'bistable', 'subcritical']);
    // In the u_L view the bistable cells carry white hatching: some of their pixels are off the colour map.
    await page.selectOption('#field', 'uL');
    await page.waitForFunction(() => document.querySelector<HTMLElement>('#results')!.dataset.query!.includes('field') === false);
    const bistable = codes.findIndex((c, ig) => REGIME_CODES[c] === 'bistable' && REGIME_CODES[codes[ig + 3]] === 'bistable');
    const hatched = await page.$eval('#heatmap', (c, [x0, y0]) => {
      const d = (c as HTMLCanvasElement).getContext('2d')!.getImageData(x0, y0, 10, 10).data;
      let light = 0;
      for (let i = 0; i < d.length; i += 4) if (d[i] > 200 && d[i + 1] > 200 && d[i + 2] > 200) light++;
      return light;
    }, [Math.floor(52 + (bistable / SIZE) * 400), Math.floor(12 + ((SIZE - 1 - ir) / SIZE) * 400)]);
    expect(hatched).toBeGreaterThan(5);
  });

  it('a dominant distractor and a judge: the controls appear, the exact map is the two-number one, the CLI carries both', async () => {
    expect(await open('distractor=dominant&depth=4&trials=2000')).toMatchObject({ answers: 2, distractor: 'dominant' });
    // K = 2: one wrong answer, nothing to choose — the control is disabled and δ hidden.
    expect(await page.isDisabled('#distractor')).toBe(true);
    expect(await page.isHidden('#delta')).toBe(true);
    let state = await open('answers=5&b=4&gamma=0.8&rho=0.1&q=0.3&depth=8&trials=2000&window=1000');
    expect(await page.isDisabled('#distractor')).toBe(false);
    expect(await page.isHidden('#delta')).toBe(true);
    expect(await page.isHidden('#judge')).toBe(true);
    await page.selectOption('#distractor', 'dominant');
    await page.fill('#delta', '0.7');
    await page.selectOption('#aggregator', 'judge');
    await page.fill('#judge', '0.4');
    state = { ...state, distractor: 'dominant', delta: 0.7, aggregator: 'judge', judge: 0.4 };
    await settled(page, state);
    const level = { b: 4, gamma: 0.8, rho: 0.1, aggregator: { judge: 0.4 } };
    let st = dominantStateFromSkill(0.3, 5, 0.7);
    for (let l = 0; l < 8; l++) st = dominantLevelMap(level, 5, st);
    expect(Math.abs(Number(await value('u-L')) - (st.p - 0.2) / 0.8)).toBeLessThan(1e-13);
    expect(Number(await value('accuracy-L'))).toBeCloseTo(st.p, 13);
    expect(await page.textContent('[data-testid="cli-analyze"]')).toContain('--answers 5 --distractor dominant:0.7 --aggregator judge:0.4');
    expect(await page.textContent('[data-testid="cli-design"]')).toContain('--answers 5 --aggregator judge:0.4');
    // Open answers from the text control.
    await page.fill('#answers', 'open');
    state = { ...state, answers: 'open' };
    await settled(page, state);
    expect(Number(await value('chance'))).toBe(0);
  });

  it('ρ_task (§I1) and difficulty φ (§I2): the exact root is the mixture / the mean over tasks, the CLI carries the flags; with K ≠ 2 the page says binary only', async () => {
    let state = await open('b=3&gamma=0.9&depth=6&trials=2000&mode=full');
    await page.fill('#rhotask', '0.2');
    state = { ...state, rhoTask: 0.2 };
    await settled(page, state);
    expect(Number(await value('u-L'))).toBe(rootBias({ b: 3, gamma: 0.9, rho: 0.1 }, 0.05, 6, { rhoTask: 0.2 }));
    // The Monte Carlo draws the task-level event per trial (§I1) and agrees within 6σ at the root.
    const root = await page.$eval('[data-testid="mc-point"][data-depth="6"]', (r) => [Number((r as HTMLElement).dataset.bias), Number((r as HTMLElement).dataset.stdError)]);
    expect(Math.abs(root[0] - Number(await value('u-L')))).toBeLessThan(6 * root[1]);
    expect(await page.textContent('[data-testid="cli-analyze"]')).toContain('--rho-task 0.2');
    // §I2: a difficulty dispersion φ makes the exact line the mean over tasks (leaf accuracy ~ Beta(p₀, φ)),
    // simulated with per-trial Beta leaves; the design command carries --dispersion.
    await page.fill('#rhotask', '0');
    await page.fill('#phi', '0.1');
    state = { ...state, rhoTask: 0, dispersion: 0.1 };
    await settled(page, state);
    // The quadrature runs in JavaScript (Math.pow, Math.exp): Chromium's and Node's V8 may differ in the last bits.
    expect(Math.abs(Number(await value('u-L')) - (2 * expectedRootAccuracy({ b: 3, gamma: 0.9, rho: 0.1 }, 6, { difficulty: { mean: 0.525, dispersion: 0.1 } }) - 1))).toBeLessThan(1e-12);
    const hard = await page.$eval('[data-testid="mc-point"][data-depth="6"]', (r) => [Number((r as HTMLElement).dataset.bias), Number((r as HTMLElement).dataset.stdError)]);
    expect(Math.abs(hard[0] - Number(await value('u-L')))).toBeLessThan(6 * hard[1]);
    expect(await page.textContent('[data-testid="cli-design"]')).toContain('--dispersion 0.1');
    expect(await page.textContent('[data-testid="cli-analyze"]')).toContain('--dispersion 0.1');
    await page.fill('#rhotask', '0.2');
    await page.fill('#answers', '3');
    await page.waitForSelector('#results[data-theory="error"]');
    expect(await page.textContent('#theory-error')).toMatch(/rhoTask.*0 with K ≠ 2 answers or a judge/);
  });

  it('§B9: leaves above u* fall; the page says the clipped predictor is then a lower bound', async () => {
    await open('q=0.9&depth=10&trials=2000');
    expect(await value('trend')).toBe('falling');
    expect(await page.textContent('[data-testid="trend"]')).toContain('lower bound');
    expect(await page.textContent('[data-testid="clipped-L"]')).toContain('(lower bound)');
    expect(await page.textContent('#trajectory')).toContain('(lower bound)');
    await open('depth=10&trials=2000');
    expect(await value('trend')).toBe('growing');
    expect(await page.textContent('[data-testid="clipped-L"]')).toContain('(upper bound)');
  });

  it('even b is accepted (§H3); the default trials start by themselves', async () => {
    await open('b=4&depth=6');
    expect(await page.inputValue('#b')).toBe('4');
    expect(await page.inputValue('#trials')).toBe(String(DEFAULT_TRIALS));
    expect(Number(await page.locator('[data-testid="mc-point"]').count())).toBe(6);
  });
});

describe('explorer figures and layout (issue 15)', () => {
  it('log colour scale: cells take the colour of log10 |u_L| (small signals readable), the linear scale does not', async () => {
    const query = 'gamma=0.4&depth=6&trials=2000';
    await open(`${query}&scale=log`);
    const axis = gridAxisForTest();
    // Subcritical cells (γ ≈ 0.4–0.6) where u_L is between 1e−4 and 1e−2.
    const cells: [number, number][] = [[48, 100], [60, 100], [70, 100]];
    const uL = cells.map(([ig, ir]) => phaseGrid({ b: [5], gamma: [axis[ig]], rho: [axis[ir]], u0: [0.05], depths: [6] }).uL[0]);
    expect(uL.every((u) => u > 1e-4 && u < 0.02)).toBe(true);
    const logPixels = await Promise.all(cells.map(([ig, ir]) => cellPixel(ig, ir)));
    logPixels.forEach((p, i) => expect(near(p, colour(colourPosition(uL[i], 0, 1, 'log'))), `cell ${i}`).toBe(true));
    // The three cells are told apart in log scale (distinct colours), not in linear (all near the darkest).
    expect(new Set(logPixels.map((p) => p.slice(0, 3).join())).size).toBe(3);
    await open(query);
    const linPixels = await Promise.all(cells.map(([ig, ir]) => cellPixel(ig, ir)));
    linPixels.forEach((p, i) => expect(near(p, colour(colourPosition(uL[i], 0, 1, 'linear'))), `cell ${i}`).toBe(true));
    expect(Math.max(...linPixels.map((p, i) => Math.abs(p[1] - logPixels[i][1])))).toBeGreaterThan(40);
  });

  it('the colour bar\'s title is drawn inside the canvas, right of the tick labels (linear and log, u_L and u*)', async () => {
    for (const query of ['depth=6&trials=2000', 'depth=6&trials=2000&scale=log', 'depth=6&trials=2000&field=uStar', 'q=-0.3&depth=6&trials=2000&scale=log']) {
      await open(query);
      const ink = await page.$eval('#heatmap', (c) => {
        const canvas = c as HTMLCanvasElement;
        const d = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
        const columns = new Array<number>(canvas.width).fill(0);
        for (let y = 0; y < canvas.height; y++) for (let x = 0; x < canvas.width; x++) if (d[(y * canvas.width + x) * 4 + 3] > 0) columns[x]++;
        return columns;
      });
      expect(ink.length).toBe(CANVAS_WIDTH);
      // The title is the last block of inked columns, separated from the tick labels by empty columns:
      // a rotated line of text (8–16 px wide), wholly inside the canvas with a margin.
      const last = ink.findLastIndex((v) => v > 0);
      let first = last;
      while (first > 0 && ink[first - 1] > 0) first--;
      expect(last, query).toBeLessThanOrEqual(CANVAS_WIDTH - 5);
      expect(last - first + 1, query).toBeGreaterThanOrEqual(8);
      expect(last - first + 1, query).toBeLessThanOrEqual(16);
      expect(first, query).toBeGreaterThan(500); // right of the bar (464–478) and its labels
      expect(ink.slice(first, last + 1).reduce((a, b) => a + b, 0), query).toBeGreaterThan(40);
    }
  });

  it('1400 px: the phase diagram and the trajectory sit side by side without horizontal scrolling', async () => {
    await page.setViewportSize({ width: 1400, height: 1000 });
    await open('depth=8&trials=2000');
    const heat = (await page.locator('#heatmap').boundingBox())!;
    const traj = (await page.locator('#trajectory').boundingBox())!;
    expect(Math.abs(heat.y - traj.y)).toBeLessThan(60);
    expect(heat.x + heat.width).toBeLessThanOrEqual(traj.x);
    expect(traj.x + traj.width).toBeLessThanOrEqual(1400);
    expect(heat.width).toBeGreaterThan(400);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(1400);
  });

  it('420 px: one column, nothing wider than the screen, and a tap on the scaled heatmap picks the right cell', async () => {
    await page.setViewportSize({ width: 420, height: 900 });
    try {
      let state = await open('depth=8&trials=2000');
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(420);
      await page.locator('#heatmap').scrollIntoViewIfNeeded();
      const heat = (await page.locator('#heatmap').boundingBox())!;
      const traj = (await page.locator('#trajectory').boundingBox())!;
      expect(heat.x + heat.width).toBeLessThanOrEqual(420);
      expect(traj.y).toBeGreaterThan(heat.y + heat.height);
      const k = heat.width / CANVAS_WIDTH;
      expect(k).toBeLessThan(1);
      const axis = gridAxisForTest();
      await page.mouse.click(heat.x + (52 + (70.5 / SIZE) * 400) * k, heat.y + (12 + (1 - 30.5 / SIZE) * 400) * k);
      state = { ...state, gamma: snapToGrid(axis[70]), rho: snapToGrid(axis[30]) };
      await settled(page, state);
      expect(await page.inputValue('#gamma')).toBe(String(snapToGrid(axis[70])));
    } finally {
      await page.setViewportSize({ width: 1400, height: 1100 });
    }
  });

  it('logged no console errors', () => {
    expect(errors).toEqual([]);
  });
});
