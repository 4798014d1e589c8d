// The explorer's state ↔ URL mapping (web/state.ts): round trips exactly, keeps defaults out of the
// URL, and turns anything invalid into the default plus a visible note instead of throwing.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { accuracyFromBias, accuracyFromSkill, biasFromAccuracy, skillFromAccuracy } from '../../src/node.ts';
import {
  convertLeafValue, DEFAULT_STATE, defaultState, LIMITS, minLeafSkill, stateLeafBias, stateTask, parseState, RULES, stateToQuery, type ExplorerState,
} from '../../web/state.ts';

const unit = fc.double({ min: 0, max: 1, noNaN: true });
const positive = (max: number) => fc.double({ min: 1e-300, max, noNaN: true });

const arbitraryState: fc.Arbitrary<ExplorerState> = fc.record({
  // Any b ≥ 2, even included (§H3).
  b: fc.integer({ min: 2, max: LIMITS.bMax }),
  answers: fc.oneof(fc.integer({ min: 2, max: LIMITS.answersMax }), fc.constant('open' as const)),
  distractor: fc.constantFrom('symmetric' as const, 'dominant' as const),
  delta: unit,
  aggregator: fc.constantFrom('plurality' as const, 'judge' as const),
  judge: unit,
  rhoTask: unit,
  dispersion: fc.double({ min: 0, max: 0.999, noNaN: true }),
  channel: fc.constantFrom('gamma' as const, 'm' as const),
  gamma: unit,
  m: positive(1e9),
  curve: fc.constantFrom('saturating' as const, 'rational' as const, 'table' as const),
  gammaInf: unit,
  m0: positive(1e9),
  // Strictly increasing m (distinct values, sorted), non-decreasing γ (sorted).
  table: fc.uniqueArray(fc.double({ min: 0, max: 1e9, noNaN: true }), { minLength: 2, maxLength: LIMITS.tableMax })
    .chain((ms) => fc.array(unit, { minLength: ms.length, maxLength: ms.length }).map((gs) => {
      const sortedM = [...ms].sort((a, b) => a - b);
      const sortedG = [...gs].sort((a, b) => a - b);
      return sortedM.map((m, i) => [m, sortedG[i]] as [number, number]);
    })),
  rho: unit,
  leaf: fc.constantFrom('u0' as const, 'p0' as const),
  leafValue: unit,
  depth: fc.integer({ min: 1, max: LIMITS.depthMax }),
  field: fc.constantFrom('uL' as const, 'uStar' as const, 'regime' as const),
  scale: fc.constantFrom('linear' as const, 'log' as const),
  trials: fc.integer({ min: LIMITS.trialsMin, max: LIMITS.trialsMax }),
  seed: fc.maxSafeNat(),
  mode: fc.constantFrom('levels' as const, 'full' as const),
  budget: positive(1e15),
  window: positive(1e9),
  overhead: fc.double({ min: 0, max: 1e9, noNaN: true }),
  lengths: fc.array(positive(1e9), { minLength: 1, maxLength: LIMITS.lengthsMax }),
  k: positive(1e6),
  beta: positive(10),
  gMax: fc.double({ min: 1e-300, max: 1, noNaN: true }),
}).chain((s) => (s.leaf === 'u0' ? fc.double({ min: minLeafSkill(s.answers), max: 1, noNaN: true }) : unit).map((leafValue) => ({ ...s, leafValue })));

describe('explorer state ↔ URL', () => {
  it('the empty query is the default state, and the default state writes an empty query', () => {
    expect(parseState('')).toEqual({ state: defaultState(), notes: [] });
    expect(stateToQuery(defaultState())).toBe('');
  });

  it('round trip: parse(stateToQuery(s)) gives s back exactly, with no notes (property)', () => {
    fc.assert(fc.property(arbitraryState, (s) => {
      const parsed = parseState(`?${stateToQuery(s)}`);
      expect(parsed.notes).toEqual([]);
      expect(parsed.state).toEqual(s);
    }));
  });

  it('only fields that differ from the defaults reach the URL, under their short keys', () => {
    const s = { ...defaultState(), rho: 0.25, lengths: [50, 100, 400], leaf: 'p0' as const, leafValue: 0.6 };
    expect(stateToQuery(s)).toBe('rho=0.25&leaf=p0&q=0.6&lengths=50%2C100%2C400');
    expect(stateLeafBias(s)).toBe(biasFromAccuracy(0.6));
    expect(stateLeafBias({ ...s, leaf: 'u0', leafValue: -0.3 })).toBe(-0.3);
  });

  it('switching the leaf control between bias and accuracy keeps the same leaves (§B1, the library\'s conversions)', () => {
    fc.assert(fc.property(fc.double({ min: -1, max: 1, noNaN: true }), (u) => {
      const p = convertLeafValue(u, 'p0');
      expect(p).toBe(accuracyFromBias(u));
      expect(stateLeafBias({ ...defaultState(), leaf: 'p0', leafValue: p })).toBeCloseTo(u, 14);
      expect(convertLeafValue(p, 'u0')).toBe(biasFromAccuracy(p));
    }));
  });

  it.each([
    ['rho=2', 'rho', 'a number in [0, 1]'],
    ['b=1', 'b', 'an integer in [2, 1001]'],
    ['b=abc', 'b', 'an integer in [2, 1001]'],
    ['b=3.5', 'b', 'an integer in [2, 1001]'],
    ['answers=1', 'answers', "an integer in [2, 1000] or 'open'"],
    ['answers=1001', 'answers', "an integer in [2, 1000] or 'open'"],
    ['answers=infinity', 'answers', "an integer in [2, 1000] or 'open'"],
    ['distractor=two', 'distractor', "'symmetric' or 'dominant'"],
    ['delta=1.5', 'delta', 'a share δ in [0, 1]'],
    ['aggregator=vote', 'aggregator', "'plurality' or 'judge'"],
    ['v=-0.1', 'v', 'a verification skill v in [0, 1]'],
    ['rhotask=2', 'rhotask', 'a number in [0, 1]'],
    ['phi=1', 'phi', 'a dispersion φ in [0, 1)'],
    ['scale=sqrt', 'scale', "'linear' or 'log'"],
    ['field=alpha', 'field', "'uL', 'uStar' or 'regime'"],
    ['gamma=NaN', 'gamma', 'a number in [0, 1]'],
    ['gamma=Infinity', 'gamma', 'a number in [0, 1]'],
    ['gamma=0x1', 'gamma', 'a number in [0, 1]'],
    ['depth=0', 'depth', 'an integer in [1, 200]'],
    ['depth=2.5', 'depth', 'an integer in [1, 200]'],
    ['trials=1e9', 'trials', 'an integer in [100, 1000000]'],
    ['seed=-1', 'seed', 'an integer in [0, 2^53 − 1]'],
    ['lengths=50,,200', 'lengths', 'comma-separated message lengths'],
    ['lengths=', 'lengths', 'comma-separated message lengths'],
    ['m=0', 'm', 'a number of tokens in (0, 1e9]'],
    ['mode=fast', 'mode', "'levels' or 'full'"],
    ['channel=', 'channel', "'gamma' or 'm'"],
    ['table=10:0.5', 'table', '2 to 32 points m:γ'],
    ['table=10:0.5,5:0.6', 'table', 'strictly increasing'],
    ['table=10:0.5,20:0.4', 'table', 'non-decreasing'],
    ['table=10:0.5,20:1.5', 'table', 'γ in [0, 1]'],
    ['table=10:0.5:1,20:0.6', 'table', '2 to 32 points m:γ'],
    ['table=10,20', 'table', '2 to 32 points m:γ'],
  ])('%s keeps the default and says why', (query, key, allowed) => {
    const { state, notes } = parseState(query);
    expect(state).toEqual(defaultState());
    expect(notes).toHaveLength(1);
    expect(notes[0]).toContain(`${key}=`);
    expect(notes[0]).toContain(allowed);
    expect(notes[0]).toContain('using');
  });

  it('valid values survive next to invalid ones; an accuracy p0 cannot be negative; unknown keys are noted', () => {
    const { state, notes } = parseState('?b=7&rho=-0.1&leaf=p0&q=-0.5&colour=red');
    expect(state.b).toBe(7);
    expect(state.rho).toBe(DEFAULT_STATE.rho);
    expect(state.leaf).toBe('p0');
    expect(state.leafValue).toBe((1 + DEFAULT_STATE.leafValue) / 2);
    expect(notes).toHaveLength(3);
    expect(notes.join('\n')).toMatch(/rho=-0\.1 ignored[\s\S]*q=-0\.5 ignored: an accuracy p0[\s\S]*unknown parameter colour/);
  });

  it('even b is accepted (§H3: random tie-break), and K answers, open answers, a judge and ρ_task round-trip', () => {
    const { state, notes } = parseState('b=4&answers=open&aggregator=judge&v=0.3&rhotask=0.2&phi=0.1&scale=log&field=regime');
    expect(notes).toEqual([]);
    expect(state).toMatchObject({ b: 4, answers: 'open', aggregator: 'judge', judge: 0.3, rhoTask: 0.2, dispersion: 0.1, scale: 'log', field: 'regime' });
    expect(parseState('answers=10').state.answers).toBe(10);
    expect(parseState('answers=OPEN').state.answers).toBe('open');
  });

  it('for K answers the leaf value is a skill ≥ −1/(K − 1) (§H1); an accuracy converts through chance 1/K', () => {
    const low = parseState('answers=3&q=-0.6');
    expect(low.state.leafValue).toBe(DEFAULT_STATE.leafValue);
    expect(low.notes[0]).toContain('a skill u0 must be in [-0.5, 1] for K = 3');
    expect(parseState('answers=3&q=-0.5').notes).toEqual([]);
    expect(parseState('answers=open&q=-0.1').notes).toHaveLength(1);
    const p = parseState('answers=10&leaf=p0&q=0.4').state;
    expect(stateLeafBias(p)).toBe(skillFromAccuracy(0.4, 10));
    expect(convertLeafValue(0.3, 'p0', 10)).toBe(accuracyFromSkill(0.3, 10));
    expect(convertLeafValue(0.3, 'p0', 'open')).toBe(0.3);
  });

  it('the task model carries K, a dominant distractor (K ≠ 2 only), ρ_task and a difficulty with mean p₀ (§H1, §I1, §I2)', () => {
    const s = { ...defaultState(), answers: 5 as const, distractor: 'dominant' as const, delta: 0.7, rhoTask: 0.2, dispersion: 0.1, leaf: 'p0' as const, leafValue: 0.6 };
    expect(stateTask(s)).toEqual({ answers: 5, distractors: { dominant: 0.7 }, rhoTask: 0.2, difficulty: { mean: 0.6, dispersion: 0.1 } });
    expect(stateTask({ ...s, answers: 2 })).toEqual({ answers: 2, rhoTask: 0.2, difficulty: { mean: 0.6, dispersion: 0.1 } });
    expect(stateTask(defaultState())).toEqual({ answers: 2 });
  });

  it('any query whatsoever parses without throwing into a valid state (property)', () => {
    const keys = fc.constantFrom(...Object.values(RULES).map((r) => r.key), 'x', '');
    fc.assert(fc.property(fc.array(fc.tuple(keys, fc.string({ maxLength: 12 })), { maxLength: 8 }), (pairs) => {
      const query = new URLSearchParams(pairs).toString();
      const { state } = parseState(query);
      for (const [field, rule] of Object.entries(RULES)) {
        expect(rule.parse(rule.format(state[field as keyof ExplorerState])), field).not.toBeUndefined();
      }
      if (state.leaf === 'p0') expect(state.leafValue).toBeGreaterThanOrEqual(0);
      else expect(state.leafValue).toBeGreaterThanOrEqual(minLeafSkill(state.answers));
    }));
  });
});
