// Issue 16 — `design --window 1e7` ran for minutes: the binary design search enumerates every odd
// fan-in the window and budget allow, at a cost growing with its square. It now stops at
// --max-fan-in (default 1001, SPEC §E) and says so. The time limit is a guard test on purpose: a
// loaded 2-core machine measures ~2–4 s; the limit is 10× that, so only an unbounded search fails.
import { describe, expect, it } from 'vitest';
import { DEFAULT_MAX_FAN_IN, designBinary } from '../../src/index.ts';
import { synergy } from './run.ts';

const flags = ['design', '--budget', '2e6', '--window', '1e7', '--m', '50,200', '--fidelity', 'saturating:0.95,40', '--leaf', 'power:0.004,0.35,1', '--rho', '0.05'];

describe('design with a huge window (issue 16)', () => {
  it('--window 1e7 finishes in under 40 s and says the fan-in was capped', async () => {
    const t0 = performance.now();
    const r = await synergy(flags);
    expect((performance.now() - t0) / 1000).toBeLessThan(40);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Fan-in stopped at --max-fan-in 1001: the window and budget allow wider stars and trees');
    const j = await synergy([...flags, '--json', '--max-fan-in', '31']);
    const out = JSON.parse(j.stdout);
    expect(out.fanInCapped).toBe(31);
    expect(Math.max(...out.rows.filter((row: { b: number | null }) => row.b !== null).map((row: { b: number }) => row.b))).toBe(31);
  }, 120_000);

  it('no note when the window already bounds the fan-in; the library default is DEFAULT_MAX_FAN_IN', () => {
    const base = {
      budget: 2e6, messageLengths: [50], fidelity: { kind: 'saturating' as const, gammaInf: 0.95, m0: 40 },
      leafLaw: { kind: 'power' as const, k: 0.004, beta: 0.35, gMax: 1 }, rho: 0.05,
    };
    expect(designBinary({ ...base, window: 8000 }).fanInCapped).toBeNull();
    const wide = designBinary({ ...base, window: 1e6, maxFanIn: 101 });
    expect(wide.fanInCapped).toBe(101);
    expect(Math.max(...wide.rows.map((r) => r.b ?? 0))).toBe(101);
    expect(DEFAULT_MAX_FAN_IN).toBe(1001);
  });

  it('--max-fan-in is checked, and refused with --continuous', async () => {
    for (const bad of ['2', '1.5', 'x']) {
      const r = await synergy([...flags, '--max-fan-in', bad]);
      expect(r.code).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toContain('--max-fan-in');
    }
    const c = await synergy(['design', '--continuous', '--budget', '1e5', '--window', '4000', '--m', '100', '--noise', 'exponential:1,100', '--v1', '100', '--beta', '0.5', '--rho', '0.1', '--max-fan-in', '11']);
    expect(c.code).toBe(2);
    expect(c.stderr).toContain('--max-fan-in');
  });
});
