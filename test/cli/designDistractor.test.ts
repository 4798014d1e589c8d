// SPEC §H4, §E: the design search with one dominant distractor ranks by the exact two-number map;
// checked against brute-force enumeration of every received-answer tuple (test/theory/pluralityBrute.ts).
import { describe, expect, it } from 'vitest';
import { rootAccuracyBrute } from '../theory/pluralityBrute.ts';
import { synergy } from './run.ts';

const args = ['design', '--budget', '20000', '--window', '400', '--m', '40', '--fidelity', 'constant:0.9', '--leaf', 'power:0.05,0.3,1', '--rho', '0.1', '--answers', '5', '--json'];

interface Row { organization: string; b: number | null; depth: number; feasible: boolean; leafBias: number | null; accuracy: number | null }

describe('design --distractor dominant:δ', () => {
  it('every star and depth-2 tree equals brute-force enumeration of the dominant-distractor tree', async () => {
    const r = await synergy([...args, '--distractor', 'dominant:0.6']);
    expect(r.code, r.stderr).toBe(0);
    const d = JSON.parse(r.stdout);
    expect(d.distractor).toBe('dominant:0.6');
    const rows = (d.rows as Row[]).filter((x) => x.feasible && x.organization !== 'single' && x.b! <= 5 && x.depth <= 2);
    expect(rows.length).toBeGreaterThanOrEqual(3);
    for (const x of rows) {
      const p = 0.2 + 0.8 * x.leafBias!;
      const brute = rootAccuracyBrute(p, 5, Array(x.depth).fill(x.b), 0.9, 0.1, 0, 0, 0.6);
      expect(Math.abs(x.accuracy! - brute), `${x.organization} b=${x.b} L=${x.depth}`).toBeLessThan(1e-10);
    }
    // The symmetric search differs: a dominant wrong answer wins pluralities the scattered ones do not.
    const symmetric = JSON.parse((await synergy(args)).stdout);
    const star = (rs: Row[]) => rs.find((x) => x.organization === 'star' && x.b === 5)!;
    expect(star(symmetric.rows).accuracy!).toBeGreaterThan(star(d.rows).accuracy! + 1e-3);
    expect((await synergy([...args, '--distractor', 'dominant:0.6', '--top', '1'].filter((a) => a !== '--json'))).stdout)
      .toContain('Distractors dominant:0.6: accuracy from the exact two-number map (§H4)');
  }, 60_000);

  it('refuses a dominant distractor without K ≥ 3, with --continuous, or a bad δ, naming the flag', async () => {
    const base = args.filter((a, i) => a !== '--json' && !(a === '5' && args[i - 1] === '--answers') && a !== '--answers');
    for (const [extra, message] of [
      [['--distractor', 'dominant:0.6'], /--distractor must be symmetric unless --answers K ≥ 3 or open/],
      [['--answers', '5', '--distractor', 'dominant:1.5'], /--distractor must be symmetric or dominant:δ with δ in \[0, 1\]/],
      [['--answers', '5', '--distractor', 'dominant:0.5', '--dispersion', '0.1'], /--dispersion must be 0 with --distractor dominant:δ/],
    ] as const) {
      const r = await synergy([...base, ...extra]);
      expect(r.code, r.stdout).toBe(2);
      expect(r.stderr).toMatch(message);
    }
  }, 60_000);
});
