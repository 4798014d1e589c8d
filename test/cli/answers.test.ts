// CLI for open answers (§H1, §H5, §H7): analyze --answers/--distractor/--aggregator, values from the
// library, and one-line errors naming the flag.
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { phaseStructure, accuracyFromSkill, trajectory } from '../../src/index.ts';
import { synergy } from './run.ts';

const example = ['--b', '3', '--gamma', '0.85', '--rho', '0', '--answers', '10', '--depth', '10'];

describe('synergy analyze --answers (§H5)', () => {
  it('prints all fixed points, the bistable regime and s†, skill and accuracy labelled (--json)', async () => {
    const r = await synergy(['analyze', ...example, '--u0', '0.2', '--json']);
    expect(r.code).toBe(0);
    const a = JSON.parse(r.stdout);
    const ps = phaseStructure({ b: 3, gamma: 0.85, rho: 0 }, { answers: 10 });
    expect(a.regime).toBe('bistable');
    expect(a.answers).toBe(10);
    expect(a.chance).toBeCloseTo(0.1, 15);
    expect(a.fixedPoints.map((f: { skill: number }) => f.skill)).toEqual(ps.fixedPoints.map((f) => f.value));
    expect(a.fixedPoints.map((f: { stable: boolean }) => f.stable)).toEqual([true, false, true]);
    expect(a.fixedPoints.map((f: { stability: string }) => f.stability)).toEqual(['stable', 'unstable', 'stable']);
    expect(a.threshold.skill).toBe(ps.threshold);
    expect(a.threshold.accuracy).toBeCloseTo(accuracyFromSkill(ps.threshold!, 10), 14);
    expect(a.p0).toBeCloseTo(0.1 + 0.9 * 0.2, 14);
    expect(a.uL).toBe(trajectory({ b: 3, gamma: 0.85, rho: 0 }, 0.2, 10, { answers: 10 })[10]);
    expect(a.alpha).toBeLessThan(1);
  });

  it('--p0 is the leaf accuracy: skill (p − 1/K)/(1 − 1/K); text names skill and accuracy', async () => {
    const r = await synergy(['analyze', ...example, '--p0', '0.3']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/s0 = 0\.2222\d* \(skill; accuracy p0 = 0\.3000\)/);
    expect(r.stdout).toMatch(/threshold s† \(§H5\)\s+skill 0\.128164 \(accuracy 0\.215348\)/);
    expect(r.stdout).toMatch(/bistable/);
  });

  it('a saddle-node tangency is semi-stable in text, --json and the plot (open answers, b = 3, γ = 0.8, ρ = 0)', async () => {
    // §H5: S(s) − s = −0.512·s·(s − 0.625)², a double root: s† = s*, attracting from above only
    const flags = ['--b', '3', '--gamma', '0.8', '--rho', '0', '--answers', 'open', '--u0', '0.7', '--depth', '5'];
    const ps = phaseStructure({ b: 3, gamma: 0.8, rho: 0 }, { answers: 'open' });
    const tangent = ps.fixedPoints.find((f) => f.tangent)!;
    const j = await synergy(['analyze', ...flags, '--json']);
    expect(j.code).toBe(0);
    const a = JSON.parse(j.stdout);
    expect(a.regime).toBe('bistable');
    expect(a.fixedPoints.map((f: { skill: number; stability: string }) => [f.skill, f.stability]))
      .toEqual([[0, 'stable'], [tangent.value, 'semi-stable (tangency)']]);
    expect(a.threshold.skill).toBe(tangent.value);
    expect(a.uStar).toBe(tangent.value);
    const t = await synergy(['analyze', ...flags]);
    expect(t.code).toBe(0);
    expect(t.stdout).toMatch(/s = 0\.625000 \(accuracy 0\.625000, semi-stable \(tangency\)\)/);
    expect(t.stdout).not.toMatch(/0\.625000 \(accuracy 0\.625000, (un)?stable\)/);
    expect(t.stdout).toMatch(/threshold s† \(§H5\)\s+skill 0\.625000 \(accuracy 0\.625000\): s† = s\*, a tangency/);
    const dir = await mkdtemp(join(tmpdir(), 'synergy-tangency-'));
    const plot = join(dir, 't.svg');
    expect((await synergy(['analyze', ...flags, '--plot', plot])).code).toBe(0);
    const svg = await readFile(plot, 'utf8');
    expect(svg).toContain('s† = s* = 0.6250: semi-stable (tangency)');
    expect(svg).not.toContain('(unstable)');
    // an ordinary bistable level keeps s† unstable and s* stable in the plot
    const plain = join(dir, 'b.svg');
    expect((await synergy(['analyze', ...example, '--u0', '0.2', '--plot', plain])).code).toBe(0);
    const svgB = await readFile(plain, 'utf8');
    expect(svgB).toContain('s† = 0.1282 (unstable)');
    expect(svgB).toContain('fixed point 0.9176 (stable)');
    expect(svgB).not.toContain('semi-stable');
  });

  it('a judge on open answers amplifies (α = γ·(v·b + 1 − v))', async () => {
    const r = await synergy(['analyze', '--b', '5', '--gamma', '0.9', '--rho', '0', '--answers', 'open', '--aggregator', 'judge:0.3', '--u0', '0.05', '--depth', '4', '--json']);
    expect(r.code).toBe(0);
    const a = JSON.parse(r.stdout);
    expect(a.alpha).toBeCloseTo(0.9 * (0.3 * 5 + 0.7), 12);
    expect(a.regime).toBe('amplifying');
  });

  it('a dominant distractor iterates the two-number map and reports its share', async () => {
    const r = await synergy(['analyze', ...example, '--u0', '0.5', '--distractor', 'dominant:0.6', '--json']);
    expect(r.code).toBe(0);
    const a = JSON.parse(r.stdout);
    expect(a.distractor).toBe('dominant:0.6');
    expect(a.dominantL).toBeGreaterThan(0);
    expect(a.dominantL + a.accuracyL).toBeLessThanOrEqual(1);
  });

  it('bad input: one line naming the flag, exit 2', async () => {
    const cases: [string[], RegExp][] = [
      [['--answers', '1'], /^synergy: --answers must be an integer K in \[2, \d+\] or open; got "1"\n$/],
      [['--answers', '2.5'], /^synergy: --answers must be/],
      [['--distractor', 'dominant:1.5'], /^synergy: --distractor must be symmetric or dominant:δ with δ in \[0, 1\]; got "dominant:1\.5"\n$/],
      [['--aggregator', 'judge:-1'], /^synergy: --aggregator must be plurality or judge:v with v in \[0, 1\]; got "judge:-1"\n$/],
      [['--u0', '-0.5'], /^synergy: --u0 must be a leaf skill in \[-0\.111\d*, 1\]/],
    ];
    for (const [flags, stderr] of cases) {
      // Repeating a flag is a usage error (issue 16): replace the example's own value instead.
      const without = example.filter((_, i) => example[i] !== flags[0] && example[i - 1] !== flags[0]);
      const base = flags[0] === '--u0' ? without : [...without, '--u0', '0.2'];
      const r = await synergy(['analyze', ...base, ...flags]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(stderr);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    }
    const b = await synergy(['analyze', '--b', '1', '--gamma', '0.8', '--rho', '0', '--answers', '4', '--u0', '0.2', '--depth', '3']);
    expect(b.code).toBe(2);
    expect(b.stderr).toMatch(/^synergy: --b must be an integer in \[2, /);
  });
});

describe('synergy design --answers (§E, §H5)', () => {
  it('ranks with the plurality map, accuracy in 1/K units, and names s† in the reasons', async () => {
    const r = await synergy(['design', '--budget', '300000', '--window', '100000', '--m', '50', '--fidelity', 'constant:0.85',
      '--leaf', 'power:0.002,0.5,1', '--rho', '0', '--answers', '10', '--json']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.chance).toBeCloseTo(0.1, 15);
    const reasons = out.rows.filter((x: { b: number | null }) => x.b === 3).map((x: { reason: string }) => x.reason).join('\n');
    expect(reasons).toMatch(/clears s†/);
    const bad = await synergy(['design', '--budget', '300000', '--window', '100000', '--m', '50', '--fidelity', 'constant:0.85',
      '--leaf', 'power:0.002,0.5,1', '--rho', '0', '--answers', '10', '--chance', '0.5']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^synergy: --chance must be 1\/K = 0\.1 with --answers 10/);
  });
});
