// `synergy simulate --answers/--distractor/--aggregator` (§H6): accuracy and skill labelled, the
// JSON numbers equal to the library's simulation with the same seed, bad flags exit 2 naming the flag.
import { describe, expect, it } from 'vitest';
import { simulatePlurality } from '../../src/simulate/plurality.ts';
import { synergy } from '../cli/run.ts';

describe('synergy simulate, plurality model', () => {
  it('prints accuracy and skill, labelled; --json equals the library with cell = depth', async () => {
    const args = ['simulate', '--b', '3', '--gamma', '0.85', '--rho', '0', '--answers', '10', '--u0', '0.4', '--depth', '4', '--trials', '5000'];
    const text = await synergy(args);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/accuracy p0 = 0\.460000, skill s0 = 0\.400000/);
    expect(text.stdout).toMatch(/root accuracy p_4/);
    expect(text.stdout).toMatch(/root skill s_4/);
    const json = JSON.parse((await synergy([...args, '--json'])).stdout);
    const lib = simulatePlurality({ tree: { b: 3, gamma: 0.85, rho: 0 }, task: { answers: 10 }, s0: 0.4, depth: 4, mode: 'full', trials: 5000, seed: 1, cell: 4 });
    expect(json.correct).toBe(lib.correct);
    expect(json.skill).toBeCloseTo(lib.skill, 12);
    expect(json.accuracy).toBeCloseTo(0.1 + 0.9 * json.skill, 12);
  });

  it('open answers with a judge and a dominant distractor, levels mode: replicate error', async () => {
    const r = await synergy(['simulate', '--b', '4', '--gamma', '0.9', '--rho', '0.1', '--answers', 'open', '--distractor', 'dominant:0.3',
      '--aggregator', 'judge:0.5', '--p0', '0.3', '--depth', '3', '--mode', 'levels', '--trials', '16000', '--json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.stdErrorMethod).toBe('replicates');
    expect(j.replicates).toBe(8);
    expect(j.skill).toBe(j.accuracy);
  });

  it('bad flags: one line naming the flag, exit 2', async () => {
    const base = ['simulate', '--b', '3', '--gamma', '0.9', '--rho', '0', '--u0', '0.2', '--depth', '2'];
    for (const [flag, value] of [['--answers', '1'], ['--answers', '2.5'], ['--distractor', 'dominant:1.5'], ['--aggregator', 'judge:-1']]) {
      const r = await synergy([...base, flag, value]);
      expect(r.code).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toContain(flag);
    }
    const evenB = await synergy(['simulate', '--b', '1', '--gamma', '0.9', '--rho', '0', '--u0', '0.2', '--depth', '2', '--answers', '3']);
    expect(evenB.code).toBe(2);
    expect(evenB.stderr).toContain('--b');
  });
});
