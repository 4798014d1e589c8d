// SPEC §H1, §H7, §I1, §I2 — the task description's validators and the skill ↔ accuracy conversions.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  accuracyFromSkill, biasFromAccuracy, chanceAccuracy, checkAggregator, checkAnswers, checkDistractors,
  checkTaskModel, InvalidParameterError, skillFromAccuracy,
} from '../src/index.ts';

describe('skill and accuracy (§H1)', () => {
  it('K = 2: skill is the bias u = 2p − 1 of §B1', () => {
    fc.assert(fc.property(fc.double({ min: 0, max: 1, noNaN: true }), (p) => {
      expect(skillFromAccuracy(p, 2)).toBeCloseTo(biasFromAccuracy(p), 15);
    }), { seed: 11 });
  });

  it('chance p_c = 1/K, 0 for open answers; s = (Kp − 1)/(K − 1)', () => {
    expect(chanceAccuracy(10)).toBe(0.1);
    expect(chanceAccuracy('open')).toBe(0);
    expect(skillFromAccuracy(0.36, 'open')).toBe(0.36);
    expect(skillFromAccuracy(0.55, 10)).toBeCloseTo((10 * 0.55 - 1) / 9, 15);
    expect(skillFromAccuracy(0.1, 10)).toBe(0);
  });

  it('accuracyFromSkill inverts skillFromAccuracy for every K', () => {
    fc.assert(fc.property(
      fc.oneof(fc.integer({ min: 2, max: 1000 }), fc.constant('open' as const)),
      fc.double({ min: 0, max: 1, noNaN: true }),
      (k, p) => { expect(accuracyFromSkill(skillFromAccuracy(p, k), k)).toBeCloseTo(p, 12); },
    ), { seed: 12 });
  });

  it('refuses skills below the one of accuracy 0', () => {
    expect(() => accuracyFromSkill(-0.2, 10)).toThrow(InvalidParameterError); // min is −1/9
    expect(() => accuracyFromSkill(-0.01, 'open')).toThrow(/skill/);
  });
});

describe('validators name the parameter and the allowed values', () => {
  it.each([1, 2.5, 0, -3, '3', null, 1e7])('answers %s', (k) => {
    expect(() => checkAnswers('answers', k)).toThrow(/^answers must be an integer in \[2, 1000000\] or 'open'/);
  });

  it('distractor vectors must have K − 1 non-negative entries summing to 1', () => {
    expect(checkDistractors('d', [0.5, 0.25, 0.25], 4)).toEqual([0.5, 0.25, 0.25]);
    expect(() => checkDistractors('d', [0.5, 0.5], 4)).toThrow(/3 probabilities/);
    expect(() => checkDistractors('d', [0.5, 0.6, -0.1], 4)).toThrow(InvalidParameterError);
    expect(() => checkDistractors('d', [0.5, 0.6, 0.1], 4)).toThrow(/summing to 1/);
    expect(() => checkDistractors('d', [1], 'open')).toThrow(/open answers/);
    expect(() => checkDistractors('d', { dominant: 1.5 })).toThrow(/^d\.dominant must be/);
  });

  it('aggregator is plurality or a judge with v ∈ [0, 1]', () => {
    expect(checkAggregator('a', { judge: 0.4 })).toEqual({ judge: 0.4 });
    expect(() => checkAggregator('a', { judge: 2 })).toThrow(/^a\.judge must be/);
    expect(() => checkAggregator('a', 'majority')).toThrow(/'plurality' or \{ judge: v \}/);
  });

  it('task model: defaults are the binary model of §B, unknown fields are refused', () => {
    expect(checkTaskModel({})).toEqual({ answers: 2, distractors: 'symmetric', rhoTask: 0 });
    expect(() => checkTaskModel({ rho_task: 0.2 })).toThrow(/^task\.rho_task must be one of answers/);
    expect(() => checkTaskModel({ rhoTask: 1.2 })).toThrow(/^task\.rhoTask must be/);
    expect(() => checkTaskModel({ difficulty: { mean: 0.5, dispersion: 1 } })).toThrow(/dispersion/);
  });
});
