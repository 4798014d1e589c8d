// CLI figures (issue 15): optional plotting packages, bounded raster heatmaps, PNG output, 1-D sweeps.
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, spawnRun, synergy, type Run } from './run.ts';

const HIDE = fileURLToPath(new URL('./fixtures/hide-modules.mjs', import.meta.url));
const NODE_ENTRY = fileURLToPath(new URL('../../dist/node.js', import.meta.url));

/** Node with the given packages hidden (resolving as "not installed"). */
function nodeHiding(hide: string[], args: string[], cwd?: string): Promise<Run> {
  return spawnRun(process.execPath, ['--import', HIDE, ...args], { cwd, env: { ...process.env, HIDE_MODULES: hide.join(',') } });
}

let dir: string;
beforeAll(async () => { dir = await mkdtemp(join(tmpdir(), 'synergy-figures-')); });
afterAll(async () => { await rm(dir, { recursive: true, force: true }); });

describe('optional plotting packages', () => {
  it('the library entry loads without ever requesting vega or vega-lite', async () => {
    const r = await nodeHiding(['vega', 'vega-lite', '@resvg/resvg-js'], ['-e', `const m = await import(${JSON.stringify(NODE_ENTRY)}); console.log(typeof m.majorityBias, typeof m.sweep);`, '--input-type=module']);
    expect(r.stderr).not.toContain('hidden-module-requested');
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe('function function');
  });

  it('a command that draws nothing runs without vega', async () => {
    const r = await nodeHiding(['vega', 'vega-lite'], [BIN, 'analyze', '--b', '5', '--gamma', '0.6', '--rho', '0.1', '--u0', '0.05', '--depth', '10', '--json']);
    expect(r.code).toBe(0);
    expect(r.stderr).not.toContain('hidden-module-requested');
    expect(JSON.parse(r.stdout)).toBeTypeOf('object');
  });

  it('--plot without vega: one line naming the packages to install, exit 2, no file', async () => {
    const plot = join(dir, 'missing.svg');
    const r = await nodeHiding(['vega', 'vega-lite'], [BIN, 'analyze', '--b', '5', '--gamma', '0.6', '--rho', '0.1', '--u0', '0.05', '--depth', '10', '--plot', plot]);
    expect(r.code).toBe(2);
    const lines = r.stderr.split('\n').filter((l) => l && !l.startsWith('hidden-module-requested'));
    expect(lines).toEqual(['synergy: Drawing figures needs vega and vega-lite, which are not installed; run: npm install vega vega-lite']);
    await expect(stat(plot)).rejects.toThrow();
  });

  it('a .png without @resvg/resvg-js names that package', async () => {
    const r = await nodeHiding(['@resvg/resvg-js'], [BIN, 'analyze', '--b', '5', '--gamma', '0.6', '--rho', '0.1', '--u0', '0.05', '--depth', '10', '--plot', join(dir, 'x.png')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('synergy: PNG output needs @resvg/resvg-js, which is not installed; run: npm install @resvg/resvg-js');
  });
});

describe('sweep figures', () => {
  it('a 200 × 200 heatmap is one embedded image, under 1 MB, with no per-cell rectangles', async () => {
    const svg = join(dir, 'big.svg');
    const r = await synergy(['sweep', '--axis', 'rho=0:0.5:200', '--axis', 'gamma=0.3:1:200', '--b', '5', '--u0', '0.05', '--depth', '20', '--workers', '1', '--out', join(dir, 'big.csv'), '--plot', svg]);
    expect(r.code, r.stderr).toBe(0);
    const text = await readFile(svg, 'utf8');
    expect(text.length).toBeLessThan(1_000_000);
    expect(text.match(/<image /g)).toHaveLength(1);
    expect(text).toContain('data:image/png;base64,');
    // One <path> per cell was the old layout: now only axes, legend and the critical line draw paths.
    expect((text.match(/<path /g) ?? []).length).toBeLessThan(200);
  }, 120_000);

  it('PNG output is a PNG', async () => {
    const png = join(dir, 'small.png');
    const r = await synergy(['sweep', '--axis', 'rho=0:0.5:5', '--axis', 'gamma=0.3:1:5', '--b', '5', '--u0', '0.05', '--depth', '10', '--workers', '1', '--out', join(dir, 'small.csv'), '--plot', png]);
    expect(r.code, r.stderr).toBe(0);
    const bytes = await readFile(png);
    expect([...bytes.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    expect(bytes.readUInt32BE(16)).toBeGreaterThan(400); // IHDR width: 2× the figure
  }, 60_000);

  it('reproduce --png writes the §F figure as a PNG beside the SVG', async () => {
    const out = join(dir, 'reproduce-png');
    const r = await synergy(['reproduce', '--trials', '500', '--axis', 'rho=0:0.5:3', '--workers', '1', '--out', out, '--png']);
    expect(r.code, r.stderr).toBe(0);
    const bytes = await readFile(join(out, 'figure.png'));
    expect([...bytes.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    expect(bytes.readUInt32BE(16)).toBeGreaterThan(400); // IHDR width: 2× the figure
    expect(await readFile(join(out, 'figure.svg'), 'utf8')).toContain('<svg');
    expect(r.stdout).toContain('figure.png');
  }, 60_000);

  it('a one-axis sweep plots as a line with ±2σ error bars for the simulated bias', async () => {
    const svg = join(dir, 'one.svg');
    const r = await synergy(['sweep', '--axis', 'rho=0:0.5:6', '--b', '5', '--gamma', '0.6', '--u0', '0.05', '--depth', '4', '--trials', '500', '--compute', 'both', '--workers', '1', '--out', join(dir, 'one.csv'), '--plot', svg]);
    expect(r.code, r.stderr).toBe(0);
    const text = await readFile(svg, 'utf8');
    expect(text).toContain('bias (simulated, ±2σ)');
    expect(text).toContain('shared-failure correlation ρ');
    expect(text).toContain('aria-roledescription="line mark"');
    expect(text).toContain('aria-roledescription="errorbar"');
    expect(text).not.toContain('<image ');
  }, 60_000);
});

describe('extended sweep figures (§H1 skill vs accuracy, §I axes)', () => {
  const texts = async (svg: string) => [...(await readFile(svg, 'utf8')).matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]);

  it('a 1-D sweep over rho_task plots the root skill against ρ_task (the default field is skillL)', async () => {
    const svg = join(dir, 'rhotask.svg');
    const r = await synergy(['sweep', '--answers', '10', '--b', '3', '--gamma', '0.85', '--rho', '0', '--u0', '0.3', '--depth', '6', '--axis', 'rho_task=0:0.5:6', '--workers', '1', '--out', join(dir, 'rhotask.csv'), '--plot', svg]);
    expect(r.code, r.stderr).toBe(0);
    const t = await texts(svg);
    expect(t).toContain('task-level correlation ρ_task');
    expect(t).toContain('root skill s_L');
    expect(t).toContain('root skill s_L at answers = 10, b = 3, gamma = 0.85, rho = 0, dispersion = 0, u0 = 0.3, depth = 6');
    expect(t.join('\n')).not.toMatch(/bias/);
  }, 60_000);

  it('a 1-D sweep over answers=2,3,5,10 plots accuracy against K with the simulated accuracy ±2σ', async () => {
    const svg = join(dir, 'answers.svg');
    const r = await synergy(['sweep', '--axis', 'answers=2,3,5,10', '--b', '3', '--gamma', '0.85', '--rho', '0', '--u0', '0.3', '--depth', '4', '--trials', '2000', '--workers', '1', '--out', join(dir, 'answers.csv'), '--plot', svg, '--plot-field', 'accuracyL']);
    expect(r.code, r.stderr).toBe(0);
    const t = await texts(svg);
    expect(t).toContain('number of answers K');
    expect(t).toContain('root accuracy p_L');
    expect(t).toContain('accuracy (simulated, ±2σ)');
    expect(t.some((x) => x.startsWith('root accuracy p_L at b = 3, gamma = 0.85, rho = 0, rhoTask = 0, dispersion = 0, u0 = 0.3, depth = 4'))).toBe(true);
    expect(await readFile(svg, 'utf8')).toContain('aria-roledescription="errorbar"');
  }, 60_000);

  it('in an extended sweep u0 is labelled the leaf skill s₀, in a binary sweep the leaf bias u₀', async () => {
    const ext = join(dir, 'skill.svg');
    expect((await synergy(['sweep', '--answers', '4', '--b', '3', '--gamma', '0.9', '--rho', '0', '--axis', 'u0=0.1:0.5:3', '--axis', 'dispersion=0,0.2', '--depth', '3', '--workers', '1', '--out', join(dir, 'skill.csv'), '--plot', ext])).code).toBe(0);
    const e = await texts(ext);
    expect(e).toContain('leaf skill s₀');
    expect(e).toContain('task difficulty dispersion φ');
    expect(e).not.toContain('leaf bias u₀');
    const bin = join(dir, 'bias.svg');
    expect((await synergy(['sweep', '--b', '3', '--gamma', '0.9', '--rho', '0', '--axis', 'u0=0.1:0.5:3', '--depth', '3', '--workers', '1', '--out', join(dir, 'bias.csv'), '--plot', bin])).code).toBe(0);
    expect(await texts(bin)).toContain('leaf bias u₀');
  }, 60_000);
});

describe('series plots (reproduce, trajectories)', () => {
  it('clipped lines are dashed and share their exact line\'s colour; exact lines are solid', async () => {
    const { seriesPlot } = await import('../../src/cli/plot.ts');
    const points = [0, 0.1, 0.2].flatMap((x) => [
      { x, y: 1 - x, series: 'exact u_10' }, { x, y: 1 - 1.1 * x, series: 'clipped û_10' },
      { x, y: 2 - x, series: 'exact u_30' }, { x, y: 2 - 1.1 * x, series: 'clipped û_30' },
    ]);
    const svg = await seriesPlot({ title: 't', points, xTitle: 'x', yTitle: 'y' });
    const lines = [...svg.matchAll(/aria-roledescription="line mark" d="[^"]*" stroke="([^"]+)"[^>]*?(stroke-dasharray="([^"]+)")?\/>/g)]
      .map((m) => ({ stroke: m[1], dash: m[3] ?? null }));
    expect(lines).toHaveLength(4);
    expect(lines.filter((l) => l.dash === '7,4')).toHaveLength(2);
    expect(new Set(lines.map((l) => l.stroke)).size).toBe(2); // one colour per depth
    expect(svg).toMatch(/series: clipped û_10/);
  });
});
