// SPEC §H4, §H7 — exact plurality maps against a separate brute-force enumeration of every vote
// vector, plus the reductions and slope identities of §H4.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  aggregateAccuracy, dominantLevelMap, dominantPlurality, dominantStateFromSkill, pluralityAccuracy,
  pluralityLevelMap, pluralitySkill, pluralitySlope, pluralityWeights,
} from '../../src/theory/plurality.ts';
import { majorityBias } from '../../src/theory/majority.ts';

/**
 * Brute force: enumerate all K^b vote vectors (answer 0 right, answer 1 the dominant distractor with
 * accuracy d, the others sharing the rest equally), plurality with uniform tie-break; returns
 * {right, dominant, dominantNoRight, anyRight}.
 */
function bruteForce(b: number, K: number, p: number, d: number) {
  const probs = [p, d, ...Array(K - 2).fill(K > 2 ? (1 - p - d) / (K - 2) : 0)];
  let right = 0, dominant = 0, dominantNoRight = 0, anyRight = 0;
  const votes = new Array(b).fill(0);
  const total = K ** b;
  for (let code = 0; code < total; code++) {
    let x = code, prob = 1;
    for (let i = 0; i < b; i++) { votes[i] = x % K; x = Math.floor(x / K); prob *= probs[votes[i]]; }
    if (prob === 0) continue;
    const counts = new Array(K).fill(0);
    for (const v of votes) counts[v]++;
    const top = Math.max(...counts);
    const ties = counts.filter((c) => c === top).length;
    if (counts[0] === top) right += prob / ties;
    if (counts[1] === top) { dominant += prob / ties; if (counts[0] === 0) dominantNoRight += prob / ties; }
    if (counts[0] > 0) anyRight += prob;
  }
  return { right, dominant, dominantNoRight, anyRight };
}

describe('plurality accuracy Π (§H4) vs brute-force enumeration', () => {
  it('symmetric distractors, b ≤ 6, K ≤ 5', () => {
    fc.assert(fc.property(fc.integer({ min: 2, max: 6 }), fc.integer({ min: 2, max: 5 }), fc.double({ min: 0, max: 1, noNaN: true }),
      (b, K, p) => {
        fc.pre(K ** b <= 20_000);
        const bf = bruteForce(b, K, p, K === 2 ? 1 - p : (1 - p) / (K - 1));
        expect(Math.abs(pluralityAccuracy(b, K, p) - bf.right)).toBeLessThan(1e-12);
      }), { seed: 1101, numRuns: 120 });
  });

  it('open answers: Π = P(c ≥ 2) + P(c = 1)/b, against many distinct wrong answers', () => {
    for (const b of [2, 3, 4, 5, 8]) {
      for (const p of [0, 0.1, 0.37, 0.8, 1]) {
        const q = 1 - p;
        const expected = 1 - q ** b - b * p * q ** (b - 1) + (b * p * q ** (b - 1)) / b;
        expect(pluralityAccuracy(b, 'open', p)).toBeCloseTo(expected, 14);
      }
    }
    // K large enough that coincidences vanish: K = 10^6 approaches 'open'
    expect(Math.abs(pluralityAccuracy(5, 1_000_000, 0.3) - pluralityAccuracy(5, 'open', 0.3))).toBeLessThan(1e-5);
  });

  it('chance is a fixed point: Π(1/K) = 1/K, so F(0) = 0', () => {
    for (const [b, K] of [[3, 3], [4, 7], [9, 10], [101, 1000]] as const) {
      expect(pluralityAccuracy(b, K, 1 / K)).toBeCloseTo(1 / K, 12);
      expect(Math.abs(pluralitySkill(b, K, 0))).toBeLessThan(1e-12);
    }
  });

  it('weights are probabilities, increasing in c, w_b = 1', () => {
    for (const [b, K] of [[7, 4], [20, 'open'], [31, 1000]] as const) {
      const w = pluralityWeights(b, K);
      expect(w[b]).toBeCloseTo(1, 14);
      for (let c = 1; c <= b; c++) expect(w[c]).toBeGreaterThanOrEqual(w[c - 1] - 1e-13);
    }
  });
});

describe('reductions and slopes (§H4)', () => {
  it('F_{b,2} = f_b for odd b and f_{b−1} for even b, within 1e-12', () => {
    fc.assert(fc.property(fc.integer({ min: 2, max: 101 }), fc.double({ min: -1, max: 1, noNaN: true }), (b, u) => {
      const odd = b % 2 === 1 ? b : b - 1;
      const f = odd === 1 ? u : majorityBias(odd, u);
      expect(Math.abs(pluralitySkill(b, 2, u) - f)).toBeLessThan(1e-12);
    }), { seed: 1102, numRuns: 200 });
  });

  it("F'_{3,K}(0) = 1 + 1/K and F'_{b,∞}(0) = 1", () => {
    for (const K of [2, 3, 4, 10, 1000]) expect(pluralitySlope(3, K)).toBeCloseTo(1 + 1 / K, 12);
    for (const b of [2, 3, 5, 10, 101]) expect(pluralitySlope(b, 'open')).toBeCloseTo(1, 12);
  });

  it('judge slope at chance for open answers is v·b + (1 − v) (§H7)', () => {
    for (const [b, v] of [[3, 0.5], [5, 0.2], [8, 1]] as const) {
      expect(pluralitySlope(b, 'open', { judge: v })).toBeCloseTo(v * b + 1 - v, 12);
    }
  });

  it('judge lifts chance-level leaves for finite K: S(0) > 0 (§H7)', () => {
    expect(pluralityLevelMap({ b: 5, gamma: 0.9, rho: 0, aggregator: { judge: 0.5 } }, 10, 0)).toBeGreaterThan(0.05);
    expect(pluralityLevelMap({ b: 5, gamma: 0.9, rho: 0 }, 10, 0)).toBeCloseTo(0, 12);
  });

  it('judge output accuracy matches v·P(any right) + (1 − v)·Π by enumeration', () => {
    const bf = bruteForce(4, 3, 0.4, 0.3);
    expect(aggregateAccuracy(4, 3, { judge: 0.3 }, 0.4)).toBeCloseTo(0.3 * bf.anyRight + 0.7 * bf.right, 13);
  });

  it('b = 101, K = 1000 weights in well under a second', () => {
    const t0 = performance.now();
    pluralityWeights(101, 999); // a (b, K) no other test caches
    expect(performance.now() - t0).toBeLessThan(1000);
  });
});

describe('dominant distractor two-number map (§H4)', () => {
  it('matches brute force for b ≤ 5, K ≤ 5 over random (p, d)', () => {
    fc.assert(fc.property(fc.integer({ min: 2, max: 5 }), fc.integer({ min: 3, max: 5 }),
      fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }), (b, K, p, x) => {
        fc.pre(K ** b <= 5000);
        const d = x * (1 - p);
        const bf = bruteForce(b, K, p, d);
        const out = dominantPlurality(b, K, { p, d });
        expect(Math.abs(out.p - bf.right)).toBeLessThan(1e-12);
        expect(Math.abs(out.d - bf.dominant)).toBeLessThan(1e-12);
        expect(Math.abs(out.dNoRight - bf.dominantNoRight)).toBeLessThan(1e-12);
      }), { seed: 1103, numRuns: 80 });
  });

  it('a dominant share equal to the symmetric share reproduces the symmetric map', () => {
    for (const [b, K, s] of [[3, 4, 0.2], [6, 10, 0.5], [5, 'open', 0.3]] as const) {
      const delta = K === 'open' ? 0 : 1 / (K - 1);
      const level = { b, gamma: 0.85, rho: 0.2 };
      const out = dominantLevelMap(level, K, dominantStateFromSkill(s, K, delta));
      const pc = K === 'open' ? 0 : 1 / K;
      expect((out.p - pc) / (1 - pc)).toBeCloseTo(pluralityLevelMap(level, K, s), 12);
    }
  });
});
