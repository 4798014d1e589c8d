// `synergy reproduce --answers K` (issue 11): the §F grid over plurality trees. Exact skills equal the
// library's phase grid with the task; simulated skills (replicate-population errors) agree within 6σ.
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { criticalRho, phaseGrid } from '../../src/index.ts';
import { synergy } from './run.ts';

describe('synergy reproduce --answers', () => {
  it('reruns §F over K = 10 answers: exact skills from the phase grid, simulation within 6σ, a report in skill units', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'synergy-reproduce-k-'));
    const r = await synergy(['reproduce', '--answers', '10', '--trials', '20000', '--axis', 'rho=0:0.5:3', '--seed', '3', '--out', dir, '--json']);
    expect(r.code).toBe(0);
    const s = JSON.parse(r.stdout);
    expect(s.parameters.answers).toBe(10);
    expect(s.rows).toHaveLength(6);
    const grid = phaseGrid({ b: [5], gamma: [0.6], rho: [0, 0.25, 0.5], u0: [0.05], depths: [10, 30], task: { answers: 10 } });
    s.rows.forEach((row: { rho: number; depth: number; exact: number; z: number; clipped: number | null }) => {
      const i = [0, 0.25, 0.5].indexOf(row.rho) * 2 + (row.depth === 10 ? 0 : 1);
      expect(row.exact).toBe(grid.uL[i]);
      expect(row.clipped).toBeNull(); // no §B9 predictor for K answers
      expect(Math.abs(row.z)).toBeLessThan(6);
    });
    expect(s.criticalRhoTheory).toBe(criticalRho(5, 0.6, { answers: 10 }));
    const report = await readFile(join(dir, 'report.md'), 'utf8');
    expect(report).toMatch(/^# SPEC §F reproduction over K = 10 answers/);
    expect(report).toMatch(/exact s_10/);
    expect(await readFile(join(dir, 'figure.svg'), 'utf8')).toMatch(/root skill s_L/);
  });

  it('refuses a bad --answers with exit 2 naming the flag', async () => {
    const r = await synergy(['reproduce', '--answers', '1', '--out', join(tmpdir(), 'never-reproduce')]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toMatch(/^synergy: --answers must be an integer K in \[2, 1000000\] or open; got "1"$/);
  });
});
