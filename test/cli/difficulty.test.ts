// SPEC §I2 on the command line: analyze --dispersion gives the expected root accuracy over tasks
// whose leaf accuracy is Beta(mean p0, dispersion φ).
import { describe, expect, it } from 'vitest';
import { rootBias } from '../../src/index.ts';
import { synergy } from './run.ts';

/** E over p ~ Beta(a, b) of g(p) by a plain midpoint rule on the density — independent of the tanh-sinh quadrature. */
function midpointBeta(a: number, b: number, g: (p: number) => number, n = 400_000): number {
  let num = 0;
  let den = 0;
  for (let i = 0; i < n; i++) {
    const p = (i + 0.5) / n;
    const w = Math.pow(p, a - 1) * Math.pow(1 - p, b - 1);
    num += w * g(p);
    den += w;
  }
  return num / den;
}

describe('analyze --dispersion (§I2)', () => {
  const design = ['analyze', '--b', '5', '--gamma', '0.9', '--rho', '0.1', '--p0', '0.7', '--depth', '4'];

  it('the expected root accuracy matches an independent integration over Beta tasks', async () => {
    const r = await synergy([...design, '--dispersion', '0.2', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const a = JSON.parse(r.stdout);
    // φ = 1/(a + b + 1) = 0.2 → a + b = 4, mean 0.7 → Beta(2.8, 1.2) (smooth, bounded density: midpoint converges fast)
    const expected = midpointBeta(2.8, 1.2, (p) => (1 + rootBias({ b: 5, gamma: 0.9, rho: 0.1 }, 2 * p - 1, 4)) / 2);
    expect(a.difficulty.mean).toBeCloseTo(0.7, 12);
    expect(Math.abs(a.difficulty.expectedAccuracyL - expected)).toBeLessThan(1e-6);
    // Mixed difficulty pulls the root below the mean task's accuracy (hard tasks are amplified toward 0).
    expect(a.difficulty.expectedAccuracyL).toBeLessThan(a.accuracyL - 0.1);
  });

  it('φ = 0 is the mean task, and the text output names the expectation', async () => {
    const zero = JSON.parse((await synergy([...design, '--dispersion', '0', '--json'])).stdout);
    expect(zero.difficulty.expectedAccuracyL).toBeCloseTo(zero.accuracyL, 12);
    const text = await synergy([...design, '--dispersion', '0.2']);
    expect(text.stdout).toMatch(/E\[accuracy_4\] over tasks \(§I2\) +0\.8/);
    expect(text.stdout).toMatch(/u0 = 0\.4 \(p0 = 0\.7000\)/);
  });

  it('bad values name the flag', async () => {
    for (const [extra, message] of [
      [['--dispersion', '1'], /--dispersion must be a task-difficulty dispersion φ in \[0, 1\)/],
      // K answers with difficulty is built (expectedRootSkill, test/theory/scopePlurality.test.ts); a degenerate mean is not.
      [['--dispersion', '-0.1', '--answers', '4'], /--dispersion must be a task-difficulty dispersion φ in \[0, 1\)/],
    ] as const) {
      const r = await synergy([...design, ...extra]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(message);
    }
  });
});
