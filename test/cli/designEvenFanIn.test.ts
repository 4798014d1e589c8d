// SPEC §E, §H3 — the design search enumerates every fan-in b ≥ 2 when an even b is its own organization
// (K ≥ 3, open answers, a judge), and odd b only for K = 2 majority, where an even b with a random
// tie-break has the level map of b − 1 at a higher cost. Checked against brute-force enumeration of
// every received-answer tuple (test/theory/pluralityBrute.ts), with budget and window bounds recomputed.
import { describe, expect, it } from 'vitest';
import { rootAccuracyBrute } from '../theory/pluralityBrute.ts';
import { synergy } from './run.ts';

interface Row { organization: string; b: number | null; depth: number; leaves: number; m: number | null; compute: number; feasible: boolean; leafBias: number | null; accuracy: number | null; rank: number | null }
interface Out { rows: Row[]; best: Row; fanIns: 'all' | 'odd'; fanInCapped: number | null }

const B = 3e4, W = 600, M = 100;
const base = ['design', '--budget', String(B), '--window', String(W), '--m', String(M), '--gamma', '0.98', '--leaf', 'power:0.01,0.3,1', '--rho', '0'];

async function run(extra: string[]): Promise<Out> {
  const r = await synergy([...base, ...extra, '--json']);
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as Out;
}

const organizations = (out: Out) => out.rows.filter((r) => r.feasible && r.organization !== 'single');

/** Brute-force root accuracy of a row, and the budget it spends, both recomputed from its shape. */
function check(r: Row, k: number, gamma: number, rho: number, v: number): number {
  const messages = Array.from({ length: r.depth }, (_, l) => r.b! ** (l + 1)).reduce((a, c) => a + c, 0);
  expect(r.leaves).toBe(r.b! ** r.depth);
  expect(r.compute).toBeGreaterThan(0);
  expect(Math.abs(r.leaves * r.compute + 2 * M * messages - B)).toBeLessThan(1e-6); // §B10: the whole budget, exactly
  expect(r.b! * M).toBeLessThanOrEqual(W); // §B11 window
  const brute = rootAccuracyBrute(1 / k + (1 - 1 / k) * r.leafBias!, k, Array(r.depth).fill(r.b), gamma, rho, v, 0, null);
  expect(Math.abs(r.accuracy! - brute), `b=${r.b} L=${r.depth}`).toBeLessThan(1e-10);
  return brute;
}

describe('design: even fan-in (§H3)', () => {
  it('K = 3: every b from 2 to the window is ranked, each row equals brute force, and the best has even b', async () => {
    const out = await run(['--answers', '3']);
    expect(out.fanIns).toBe('all');
    const rows = organizations(out);
    expect([...new Set(rows.map((r) => r.b))].sort()).toEqual([2, 3, 4, 5, 6]); // b·m ≤ W = 600
    const brute = rows.map((r) => ({ r, p: check(r, 3, 0.98, 0, 0) }));
    const top = brute.reduce((x, y) => (y.p > x.p ? y : x));
    expect(top.r).toEqual(out.best);
    expect(out.best.b! % 2).toBe(0);
    expect(out.best.organization).toBe('star');
    // An odd-only search would have ranked a worse organization first.
    const bestOdd = Math.max(...brute.filter((x) => x.r.b! % 2 === 1).map((x) => x.p));
    expect(top.p).toBeGreaterThan(bestOdd + 1e-3);
    const text = (await synergy([...base, '--answers', '3', '--top', '2'])).stdout;
    expect(text).toContain('Fan-in: every b ≥ 2 (even b: plurality with a uniformly random tie-break; §H3).');
  }, 60_000);

  it('--max-fan-in still bounds the search (the even winner disappears, the note says so)', async () => {
    const out = await run(['--answers', '3', '--max-fan-in', '5']);
    expect(Math.max(...out.rows.map((r) => r.b ?? 0))).toBe(5);
    expect(out.fanInCapped).toBe(5);
    expect(out.best.b).toBe(5);
    for (const r of organizations(out)) check(r, 3, 0.98, 0, 0);
    expect((await synergy([...base, '--answers', '3', '--max-fan-in', '5', '--top', '1'])).stdout).toContain('Fan-in stopped at --max-fan-in 5');
  }, 60_000);

  it('a judge (K = 3, judge:0.3): the best tree has b = 4 and every row matches brute force', async () => {
    const r = await synergy(['design', '--budget', '2e4', '--window', '400', '--m', '100', '--gamma', '0.9', '--leaf', 'power:0.01,0.4,1',
      '--rho', '0.05', '--answers', '3', '--aggregator', 'judge:0.3', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as Out;
    expect(out.best.organization).toBe('tree');
    expect(out.best.b).toBe(4);
    for (const row of organizations(out)) {
      const messages = Array.from({ length: row.depth }, (_, l) => row.b! ** (l + 1)).reduce((a, c) => a + c, 0);
      expect(Math.abs(row.leaves * row.compute + 2 * 100 * messages - 2e4)).toBeLessThan(1e-6);
      expect(row.b! * 100).toBeLessThanOrEqual(400);
      const brute = rootAccuracyBrute(1 / 3 + (2 / 3) * row.leafBias!, 3, Array(row.depth).fill(row.b), 0.9, 0.05, 0.3, 0, null);
      expect(Math.abs(row.accuracy! - brute), `b=${row.b} L=${row.depth}`).toBeLessThan(1e-10);
    }
  }, 60_000);

  it('K = 2: an even b equals b − 1 at a higher cost, so the odd-only search loses nothing (and says so)', async () => {
    const odd = await run(['--answers', '2']);
    expect(odd.fanIns).toBe('odd');
    expect(organizations(odd).every((r) => r.b! % 2 === 1)).toBe(true);
    expect((await synergy([...base, '--answers', '2', '--top', '1'])).stdout)
      .toContain('Fan-in: odd b only (K = 2: an even b with a random tie-break has the level map of b − 1 at a higher cost, so it never wins; §H3).');
    // judge:0 is plurality through the K-answer path, which enumerates every b
    const all = await run(['--answers', '2', '--aggregator', 'judge:0']);
    expect(all.fanIns).toBe('all');
    const rows = organizations(all);
    const even = rows.filter((r) => r.b! % 2 === 0 && r.b! >= 4);
    expect(even.length).toBeGreaterThanOrEqual(3);
    let compared = 0;
    for (const r of even) {
      const p = 0.5 + 0.5 * r.leafBias!;
      // the equivalence itself, by enumeration: b votes with a random tie-break = b − 1 votes, at every level
      const withB = check(r, 2, 0.98, 0, 0);
      expect(Math.abs(withB - rootAccuracyBrute(p, 2, Array(r.depth).fill(r.b! - 1), 0.98, 0, 0, 0, null))).toBeLessThan(1e-12);
      // ... and the b − 1 tree of the same depth gives each leaf more compute, so it is better
      const lower = rows.find((q) => q.b === r.b! - 1 && q.depth === r.depth && q.organization === r.organization);
      if (lower) {
        expect(lower.accuracy!).toBeGreaterThan(r.accuracy!);
        compared++;
      }
    }
    expect(compared).toBeGreaterThanOrEqual(3);
    // the full search picks the same organization as the odd-only one
    expect({ b: all.best.b, depth: all.best.depth, organization: all.best.organization }).toEqual({ b: odd.best.b, depth: odd.best.depth, organization: odd.best.organization });
    expect(Math.abs(all.best.accuracy! - odd.best.accuracy!)).toBeLessThan(1e-12);
  }, 60_000);
});
