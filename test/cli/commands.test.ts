// The `synergy` command end to end through the built binary: outputs parse, values agree with the
// library, exit codes, byte-stable figures.
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { alpha, criticalRho, fixedPoint, mixingDepth, regime, trajectory } from '../../src/index.ts';
import { synergy } from './run.ts';

const design = ['--b', '5', '--gamma', '0.6', '--rho', '0', '--u0', '0.05', '--depth', '10'];

describe('synergy analyze', () => {
  it('prints the theory for one design, equal to the library (--json)', async () => {
    const r = await synergy(['analyze', ...design, '--json']);
    expect(r.code).toBe(0);
    const a = JSON.parse(r.stdout);
    const level = { b: 5, gamma: 0.6, rho: 0 };
    expect(a.alpha).toBe(alpha(level));
    expect(a.uStar).toBe(fixedPoint(level));
    expect(a.uL).toBe(trajectory(level, 0.05, 10)[10]);
    expect(a.mixingDepth).toBe(mixingDepth(level, 0.05).exact);
    expect(a.criticalRho).toBe(criticalRho(5, 0.6));
    expect(a.regime).toBe('amplifying');
  });
  it('takes m with a fidelity curve and p0 instead of γ and u0', async () => {
    const r = await synergy(['analyze', '--b', '5', '--m', '50', '--fidelity', 'saturating:0.9,50', '--rho', '0.1', '--p0', '0.6', '--depth', '3', '--json']);
    expect(r.code).toBe(0);
    const a = JSON.parse(r.stdout);
    expect(a.gamma).toBeCloseTo(0.9 * (1 - Math.exp(-1)), 15);
    expect(a.u0).toBeCloseTo(0.2, 15);
  });
  it('prints a human table by default', async () => {
    const r = await synergy(['analyze', ...design]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/α_ρ\s+1\.125000\s+\(amplifying\)/);
    expect(r.stdout).toMatch(/u\* \(§B7\)\s+0\.699116/);
  });
  it('b = 2 at γ = 1 reports the identity map, not "critical": the bias is carried unchanged (text and --json)', async () => {
    // §B/§H4: the majority of 2 with a random tie-break is f_1(u) = u, so T is the identity for any ρ
    for (const rho of ['0', '0.4']) {
      const flags = ['--b', '2', '--gamma', '1', '--rho', rho, '--u0', '0.3', '--depth', '7'];
      const j = await synergy(['analyze', ...flags, '--json']);
      expect(j.code).toBe(0);
      const a = JSON.parse(j.stdout);
      expect(a.regime).toBe('identity');
      expect(a.regime).toBe(regime({ b: 2, gamma: 1, rho: Number(rho) }));
      expect(a.uStar).toBeNull(); // NaN: every u is fixed
      expect(a.fixedPoints).toEqual([]);
      expect(a.uL).toBe(0.3);
      expect(a.mixingDepth).toBeNull();
      const t = await synergy(['analyze', ...flags]);
      expect(t.code).toBe(0);
      expect(t.stdout).toMatch(/α_ρ\s+1\.000000\s+\(identity: the bias is carried unchanged at every level\)/);
      expect(t.stdout).toMatch(/fixed points in \[0, 1\]\s+every point \(identity map\)/);
      expect(t.stdout).not.toMatch(/critical\)/);
    }
    // α_ρ = 1 with T ≠ identity stays critical (b = 3, γ = 2/3)
    const crit = await synergy(['analyze', '--b', '3', '--gamma', String(1 / 1.5), '--rho', '0', '--u0', '0.3', '--depth', '7', '--json']);
    expect(JSON.parse(crit.stdout).regime).toBe('critical');
  });
  it('says when a critical value lies outside [0, 1] (the root is printed, and what it means)', async () => {
    // b = 3, γ = 0.5: no ρ ≥ 0 amplifies (ρ_c < 0), and γ_c lies inside [0, 1].
    const weak = await synergy(['analyze', '--b', '3', '--gamma', '0.5', '--rho', '0.3', '--u0', '0.1', '--depth', '6']);
    expect(weak.stdout).toMatch(/critical ρ at this γ\s+-\d\.\d+\s+\(amplifies iff ρ < ρ_c: no ρ in \[0, 1\] amplifies\)/);
    expect(weak.stdout).toMatch(/critical γ at this ρ\s+0\.\d+\s+\(amplifies iff γ > γ_c\)\n/);
    // K = 10 answers (§H5) at γ = 0.6: the same for α > 1.
    const open = await synergy(['analyze', '--b', '3', '--gamma', '0.6', '--rho', '0.5', '--answers', '10', '--u0', '0.1', '--depth', '6']);
    expect(open.stdout).toMatch(/critical ρ at this γ\s+-\d+\.\d+\s+\(α > 1 iff ρ < ρ_c: no ρ in \[0, 1\] amplifies\)/);
  });
});

describe('synergy simulate', () => {
  it('agrees with the exact value within 6 standard errors, and the same seed repeats exactly', async () => {
    const args = ['simulate', '--b', '3', '--gamma', '0.9', '--rho', '0.2', '--u0', '0.2', '--depth', '5', '--trials', '200000', '--seed', '7', '--json'];
    const [a, b] = await Promise.all([synergy(args), synergy(args)]);
    expect(a.code).toBe(0);
    expect(a.stdout).toBe(b.stdout);
    const r = JSON.parse(a.stdout);
    expect(r.exact).toBe(trajectory({ b: 3, gamma: 0.9, rho: 0.2 }, 0.2, 5)[5]);
    expect(Math.abs(r.bias - r.exact)).toBeLessThan(6 * r.stdError + 1 / r.trials);
    expect(r.trials).toBe(200000);
  });
});

describe('synergy design (§E)', () => {
  it('ranks organizations and reports the small-signal verdict beside the exact answer', async () => {
    const r = await synergy(['design', '--budget', '2e6', '--window', '8000', '--m', '50,200', '--fidelity', 'saturating:0.95,40', '--leaf', 'power:0.004,0.35,1', '--rho', '0.05', '--json']);
    expect(r.code).toBe(0);
    const d = JSON.parse(r.stdout);
    expect(d.rows[0].rank).toBe(1);
    const ranks = d.rows.filter((x: { feasible: boolean }) => x.feasible).map((x: { rank: number }) => x.rank);
    expect(ranks).toEqual(ranks.map((_: number, i: number) => i + 1));
    const accuracies = d.rows.filter((x: { feasible: boolean }) => x.feasible).map((x: { accuracy: number }) => x.accuracy);
    expect(accuracies).toEqual([...accuracies].sort((a, b) => b - a));
    expect(d.rows.some((x: { organization: string }) => x.organization === 'single')).toBe(true);
    expect(d.rows.some((x: { reason: string }) => x.reason.startsWith('window'))).toBe(true);
    expect(d.verdicts.length).toBeGreaterThan(0);
  });
  it('continuous model (--continuous) ranks by risk', async () => {
    const r = await synergy(['design', '--continuous', '--budget', '1e5', '--window', '4000', '--m', '100', '--noise', 'exponential:1,100', '--v1', '100', '--beta', '0.5', '--rho', '0.1', '--json']);
    expect(r.code).toBe(0);
    const d = JSON.parse(r.stdout);
    const risks = d.rows.filter((x: { feasible: boolean }) => x.feasible).map((x: { risk: number }) => x.risk);
    expect(risks).toEqual([...risks].sort((a, b) => a - b));
    expect(new Set(d.rows.map((x: { organization: string }) => x.organization))).toEqual(new Set(['single', 'star', 'tree', 'chain']));
  });
});

describe('synergy reproduce (§F)', () => {
  it('writes a report, results and a byte-stable figure; matches the golden SVG', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'synergy-'));
    const args = ['reproduce', '--trials', '4000', '--axis', 'rho=0:0.5:6', '--seed', '3', '--workers', '1'];
    const a = await synergy([...args, '--out', join(dir, 'a'), '--json']);
    const b = await synergy([...args, '--out', join(dir, 'b')]);
    expect(a.code).toBe(0);
    expect(b.code).toBe(0);
    const summary = JSON.parse(a.stdout);
    expect(summary.criticalRhoTheory).toBeCloseTo(0.2381, 4);
    expect(summary.rows).toHaveLength(12);
    expect(summary.maxAbsZ).toBeLessThan(6);
    const svgA = await readFile(join(dir, 'a', 'figure.svg'), 'utf8');
    const svgB = await readFile(join(dir, 'b', 'figure.svg'), 'utf8');
    expect(svgA).toBe(svgB);
    expect(svgA).toBe(await readFile(new URL('./golden/reproduce-small.svg', import.meta.url), 'utf8'));
    const report = await readFile(join(dir, 'a', 'report.md'), 'utf8');
    expect(report).toContain('![u_L against ρ](figure.svg)');
    expect(b.stdout).toMatch(/critical ρ \(theory, §B7\): 0\.2381/);
  });
});

describe('synergy reproduce --mode full', () => {
  it('simulates depth 10 with full trees and depth 30 level by level', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'synergy-'));
    const r = await synergy(['reproduce', '--mode', 'full', '--trials', '64', '--axis', 'rho=0:0.5:2', '--out', dir, '--json']);
    expect(r.code).toBe(0);
    const s = JSON.parse(r.stdout);
    expect(s.rows.map((x: { depth: number }) => x.depth)).toEqual([10, 30, 10, 30]);
    expect(s.maxAbsZ).toBeLessThan(6);
    expect(await readFile(join(dir, 'report.md'), 'utf8')).toContain('full trees at depth 10, level by level at depth 30');
  });
});

describe('errors and exit codes', () => {
  it('an unknown flag prints one line naming it and the allowed flags, exit 2', async () => {
    const r = await synergy(['analyze', '--bogus', '1']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/unknown option '--bogus'; allowed: --b --gamma/);
  });
  it('a value out of range names the flag and the range, exit 2', async () => {
    const r = await synergy(['analyze', '--b', '1', '--gamma', '0.6', '--rho', '0', '--u0', '0.05', '--depth', '3']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('synergy: --b must be an integer in [2, 9999999] (even b: random tie-break); got 1\n');
    const g = await synergy(['analyze', '--b', '5', '--gamma', '1.5', '--rho', '0', '--u0', '0.05', '--depth', '3']);
    expect(g.stderr).toMatch(/^synergy: --gamma must be a number in \[0, 1\]; got 1\.5/);
  });
  it('a malformed value names the flag, exit 2', async () => {
    const r = await synergy(['analyze', '--b', 'five', '--gamma', '0.6', '--rho', '0', '--u0', '0.05', '--depth', '3']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^synergy: --b must be a finite number; got "five"/);
    const f = await synergy(['analyze', '--b', '5', '--m', '10', '--fidelity', 'cubic:1', '--rho', '0', '--u0', '0.05', '--depth', '3']);
    expect(f.code).toBe(2);
    expect(f.stderr).toMatch(/^synergy: --fidelity must be constant:γ/);
  });
  it('an unwritable output path exits 1 before any work', async () => {
    // A path below a regular file cannot be created by anyone (root included).
    const started = Date.now();
    const r = await synergy(['reproduce', '--trials', '1000000000', '--out', '/dev/null/out']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^synergy: --out \/dev\/null\/out is not writable/);
    expect(Date.now() - started).toBeLessThan(10_000); // 10^9 trials per point would take hours: no work was done
  });
});

describe('trajectory figures (--plot)', () => {
  it('analyze and simulate draw byte-stable trajectory plots (golden SVGs)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'synergy-plot-'));
    const a = await synergy(['analyze', '--b', '5', '--gamma', '0.6', '--rho', '0.1', '--u0', '0.05', '--depth', '40', '--plot', join(dir, 'a.svg')]);
    const s = await synergy(['simulate', '--b', '3', '--gamma', '0.9', '--rho', '0.2', '--u0', '0.1', '--depth', '6', '--trials', '5000', '--seed', '4', '--plot', join(dir, 's.svg')]);
    expect(a.code).toBe(0);
    expect(s.code).toBe(0);
    const svgA = await readFile(join(dir, 'a.svg'), 'utf8');
    const svgS = await readFile(join(dir, 's.svg'), 'utf8');
    expect(svgA).toContain('clipped û_L');
    expect(svgS).toContain('simulated u_L (±2σ)');
    expect(svgA).toBe(await readFile(new URL('./golden/analyze-trajectory.svg', import.meta.url), 'utf8'));
    expect(svgS).toBe(await readFile(new URL('./golden/simulate-trajectory.svg', import.meta.url), 'utf8'));
  });
});
