// `synergy simulate --answers/--distractor/--aggregator` (§H6): accuracy and skill labelled, the
// JSON numbers equal to the library's simulation with the same seed, bad flags exit 2 naming the flag.
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { simulatePlurality } from '../../src/simulate/plurality.ts';
import { synergy } from '../cli/run.ts';
import { leafDistribution, rootDistribution, type RefLevel } from './pluralityReference.ts';

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

// §H1, §H6: a probability vector over the wrong answers is a Monte Carlo profile only; the theory
// commands have no exact map for it and refuse it naming --distractor.
describe('synergy simulate --distractor p_1,…,p_{K−1}', () => {
  const cases: [string, number, number, number[], RefLevel, string[]][] = [
    ['K = 4, b = 3', 4, 0.4, [0.5, 0.3, 0.2], { b: 3, gamma: 0.9, rho: 0.1 }, []],
    ['K = 3, b = 4, a judge', 3, 0.35, [0.9, 0.1], { b: 4, gamma: 0.95, rho: 0.05, judge: 0.2 }, ['--aggregator', 'judge:0.2']],
  ];
  for (const [name, K, p0, vector, level, extra] of cases) {
    it(`${name}: root accuracy and wrong answer 1's share equal the brute-force reference within 6σ`, async () => {
      const trials = 20000, depth = 3;
      const r = await synergy(['simulate', '--b', String(level.b), '--gamma', String(level.gamma), '--rho', String(level.rho), '--answers', String(K),
        '--distractor', vector.join(','), '--p0', String(p0), '--depth', String(depth), '--trials', String(trials), ...extra, '--json']);
      expect(r.code, r.stderr).toBe(0);
      const j = JSON.parse(r.stdout);
      expect(j.distractors).toEqual(vector);
      expect(j.trials).toBe(trials);
      const ref = rootDistribution(leafDistribution(K, p0, vector), [level], depth);
      const symmetric = rootDistribution(leafDistribution(K, p0, 'symmetric'), [level], depth);
      for (const [got, want, other] of [[j.accuracy, ref[0], symmetric[0]], [j.dominantShare, ref[1], symmetric[1]]]) {
        const sigma = Math.sqrt(want * (1 - want) / trials);
        expect(Math.abs(got - want)).toBeLessThan(6 * sigma);
        // the profile matters: the symmetric reference is far outside that band for at least wrong answer 1
        if (other === symmetric[1]) expect(Math.abs(other - want)).toBeGreaterThan(12 * sigma);
      }
      const text = await synergy(['simulate', '--b', String(level.b), '--gamma', String(level.gamma), '--rho', String(level.rho), '--answers', String(K),
        '--distractor', vector.join(','), '--p0', String(p0), '--depth', '2', '--trials', '1000', ...extra]);
      expect(text.stdout).toContain(`distractor profile (${vector.join(', ')}) over wrong answers 1 … ${K - 1}`);
      expect(text.stdout).toMatch(/on wrong answer 1 +[0-9.]+ of roots/);
    }, 60_000);
  }

  it('a Monte Carlo sweep (--compute montecarlo) carries the vector: each cell equals the reference within 6σ, the meta file records it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'synergy-vector-sweep-'));
    try {
      const out = join(dir, 'v.csv');
      const trials = 20000;
      const r = await synergy(['sweep', '--compute', 'montecarlo', '--answers', '4', '--distractor', '0.5,0.3,0.2', '--b', '3', '--gamma', '0.9',
        '--axis', 'rho=0,0.1,0.4', '--p0', '0.4', '--depth', '3', '--trials', String(trials), '--workers', '1', '--out', out]);
      expect(r.code, r.stderr).toBe(0);
      const [header, ...lines] = (await readFile(out, 'utf8')).trim().split('\n');
      const cols = header.split(',');
      expect(lines).toHaveLength(3);
      for (const line of lines) {
        const row = Object.fromEntries(line.split(',').map((v, i) => [cols[i], Number(v)]));
        const want = rootDistribution(leafDistribution(4, 0.4, [0.5, 0.3, 0.2]), [{ b: 3, gamma: 0.9, rho: row.rho }], 3)[0];
        expect(row.trials).toBe(trials);
        expect(Math.abs(row.accuracy - want), `ρ = ${row.rho}`).toBeLessThan(6 * Math.sqrt(want * (1 - want) / trials));
      }
      expect(JSON.parse(await readFile(`${out}.meta.json`, 'utf8')).spec.distractors).toEqual([0.5, 0.3, 0.2]);
      // theory (the default compute) has no map for it; a bad vector is caught before any file is written
      for (const [args, message] of [
        [['--answers', '4', '--distractor', '0.5,0.3,0.2'], /unless compute is 'montecarlo' \(--compute montecarlo\) with one K/],
        [['--compute', 'montecarlo', '--trials', '100', '--answers', '4', '--distractor', '0.5,0.6'], /3 probabilities ≥ 0 summing to 1/],
        [['--compute', 'montecarlo', '--trials', '100', '--axis', 'answers=3,4', '--distractor', '0.5,0.5'], /--distractor must be/],
      ] as const) {
        const bad = await synergy(['sweep', ...args, '--b', '3', '--gamma', '0.9', '--rho', '0', '--u0', '0.2', '--depth', '2', '--workers', '1', '--out', join(dir, 'bad.csv')]);
        expect(bad.code, args.join(' ')).toBe(2);
        expect(bad.stderr.trim().split('\n').filter((l) => !l.startsWith('plan: ')), args.join(' ')).toHaveLength(1);
        expect(bad.stderr).toMatch(message);
      }
      expect((await readdir(dir)).sort()).toEqual(['v.csv', 'v.csv.meta.json']);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 120_000);

  it('bad vectors, and vectors given to theory commands, exit 2 with one line naming --distractor and touch no files', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'synergy-vector-'));
    try {
      const sim = ['simulate', '--b', '3', '--gamma', '0.9', '--rho', '0', '--p0', '0.4', '--depth', '2', '--trials', '1000'];
      const runs: [string[], RegExp][] = [
        [[...sim, '--answers', '4', '--distractor', '0.5,0.5'], /3 comma-separated probabilities ≥ 0 summing to 1/], // wrong length
        [[...sim, '--answers', '4', '--distractor', '0.6,0.5,-0.1'], /3 comma-separated probabilities ≥ 0/], // negative
        [[...sim, '--answers', '4', '--distractor', '0.5,0.3,0.2001'], /summing to 1/], // sum 1.0001
        [[...sim, '--answers', 'open', '--distractor', '0.5,0.5'], /needs a finite --answers K/],
        [[...sim, '--answers', '4', '--distractor', '0.5,x,0.5'], /p_1,…,p_\{K−1\}/],
        [['analyze', '--b', '3', '--gamma', '0.9', '--rho', '0', '--p0', '0.4', '--depth', '2', '--answers', '4', '--distractor', '0.5,0.3,0.2', '--plot', join(dir, 'a.svg')], /no exact map for general vectors/],
        [['design', '--budget', '2e4', '--window', '400', '--m', '40', '--gamma', '0.9', '--leaf', 'power:0.05,0.3,1', '--rho', '0.1', '--answers', '4', '--distractor', '0.5,0.3,0.2'], /no exact map for general vectors/],
        [['predict', '--single-accuracy', '0.36', '--budget', '20000', '--beta', '0.3', '--gamma', '0.9', '--rho', '0.1', '--m', '100', '--answers', '4', '--distractor', '0.5,0.3,0.2', '--star', '9'], /no exact map for general vectors/],
        [['sweep', '--axis', 'rho=0:0.5:3', '--b', '3', '--gamma', '0.9', '--u0', '0.2', '--depth', '3', '--answers', '4', '--distractor', '0.5,0.3,0.2', '--workers', '1', '--out', join(dir, 'sweep.csv')], /no exact map for general vectors/],
      ];
      for (const [args, message] of runs) {
        const r = await synergy(args, { cwd: dir });
        expect(r.code, args.join(' ')).toBe(2);
        const lines = r.stderr.trim().split('\n');
        expect(lines, args.join(' ')).toHaveLength(1);
        expect(lines[0]).toMatch(/^synergy: --distractor must be /);
        expect(lines[0]).toMatch(message);
        expect(r.stdout).toBe('');
      }
      expect(await readdir(dir)).toEqual([]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
