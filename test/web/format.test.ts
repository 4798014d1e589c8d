// Axis ticks and number formatting of the explorer's plots (web/format.ts).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { count, duration, fmt, ticks } from '../../web/format.ts';

describe('explorer formatting', () => {
  it('ticks are round multiples of a 1-2-2.5-5 step covering the range, with an exact 0', () => {
    expect(ticks(0, 1, 5)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(ticks(-1.02, 0.05, 6)).toEqual([-1, -0.8, -0.6, -0.4, -0.2, 0]);
    expect(ticks(0, 200, 8)).toEqual([0, 25, 50, 75, 100, 125, 150, 175, 200]);
    fc.assert(fc.property(fc.double({ min: -1e3, max: 1e3, noNaN: true }), fc.double({ min: 1e-6, max: 1e3, noNaN: true }), (lo, span) => {
      const t = ticks(lo, lo + span, 5);
      expect(t.length).toBeGreaterThanOrEqual(2);
      expect(t.length).toBeLessThanOrEqual(11);
      for (const v of t) expect(v).toBeGreaterThanOrEqual(lo - span * 1e-6);
      for (const v of t) expect(v).toBeLessThanOrEqual(lo + span + span * 1e-6);
      for (const v of t) expect(String(v)).not.toMatch(/e-1[0-9]/);
    }));
  });

  it('numbers: six significant digits, a true minus sign, exponents only far from 1', () => {
    expect(fmt(0.6418307050418134)).toBe('0.641831');
    expect(fmt(-0.367264)).toBe('−0.367264');
    expect(fmt(2e6)).toBe('2.000e+6');
    expect(fmt(null)).toBe('—');
    expect(fmt(Number.NaN)).toBe('—'); // never "NaN" on the page (issue 15)
  });

  it('counts and durations for the Monte Carlo status line', () => {
    expect(count(12_500)).toBe('12,500');
    expect(count(7.8e9)).toBe('7.8·10⁹');
    expect(count(2.44140625e13)).toBe('2.4·10¹³');
    expect(duration(0.42)).toBe('0.4 s');
    expect(duration(42.4)).toBe('42 s');
    expect(duration(600)).toBe('10.0 min');
    expect(duration(7560)).toBe('2.1 h');
  });
});
