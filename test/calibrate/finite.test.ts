// The "never NaN" helper must itself catch what it is for, or every test that uses it proves nothing.
import { describe, expect, it } from 'vitest';
import { nonFinitePaths } from './finite.ts';

describe('nonFinitePaths', () => {
  it('reports NaN, ±Infinity and undefined at any depth, by path', () => {
    const value = { a: 1, b: [0, Number.NaN], c: { d: Number.POSITIVE_INFINITY, e: { f: Number.NEGATIVE_INFINITY } }, g: undefined };
    expect(nonFinitePaths(value)).toEqual(['$.b[1] = NaN', '$.c.d = Infinity', '$.c.e.f = -Infinity', '$.g = undefined']);
    expect(nonFinitePaths({ x: [1, { y: 2 }], s: 'text', t: true })).toEqual([]);
  });
  it('allows null only at the documented paths, [*] standing for any index', () => {
    const value = { leaf: [{ gMax: null, k: null }, { gMax: null }], fidelity: null };
    expect(nonFinitePaths(value, ['$.leaf[*].gMax', '$.fidelity'])).toEqual(['$.leaf[0].k = null']);
    // A pattern matches the whole path, not a prefix or a key of the same name elsewhere.
    expect(nonFinitePaths({ leaf: null, other: { leaf: null } }, ['$.leaf'])).toEqual(['$.other.leaf = null']);
    expect(nonFinitePaths({ leafs: null }, ['$.leaf'])).toEqual(['$.leafs = null']);
  });
});
