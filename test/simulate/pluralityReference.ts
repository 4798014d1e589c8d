// Brute-force exact references for the plurality simulator (§H4, §H7, §B4), independent of the
// library's exact maps: the state of a node is its full distribution over the K answers (index 0
// right), and one level enumerates all K^b tuples of received messages (small b, K only). Subtrees
// of a full tree are independent, so composing this map level by level is exact for any profile.

export interface RefLevel { b: number; gamma: number; rho: number; judge?: number }

/** Winner shares of one tuple: plurality with uniform tie-break over the tied answers. */
function winners(tuple: number[]): Map<number, number> {
  const counts = new Map<number, number>();
  for (const a of tuple) counts.set(a, (counts.get(a) ?? 0) + 1);
  const M = Math.max(...counts.values());
  const tied = [...counts.entries()].filter(([, c]) => c === M).map(([a]) => a);
  return new Map(tied.map((a) => [a, 1 / tied.length]));
}

/** One level: distribution of the children's answers → distribution of the parent's answer. */
export function levelDistribution(pi: number[], level: RefLevel): number[] {
  const K = pi.length;
  const v = level.judge ?? 0;
  const q = pi.map((x) => level.gamma * x + (1 - level.gamma) / K); // channel §H2
  const out = q.map((x) => level.rho * x); // shared failure: the first received message, §B4
  const tuple = new Array<number>(level.b).fill(0);
  const total = K ** level.b;
  for (let idx = 0; idx < total; idx++) {
    let r = idx, prob = 1;
    for (let i = 0; i < level.b; i++) {
      tuple[i] = r % K;
      r = Math.floor(r / K);
      prob *= q[tuple[i]];
    }
    if (prob === 0) continue;
    const w = (1 - level.rho) * prob;
    const hasRight = tuple.includes(0);
    if (hasRight) out[0] += w * v;
    const share = hasRight ? 1 - v : 1;
    for (const [a, s] of winners(tuple)) out[a] += w * share * s;
  }
  return out;
}

/** Leaf distribution: right p0, wrong mass (1 − p0) spread by the profile over answers 1 … K − 1. */
export function leafDistribution(K: number, p0: number, profile: 'symmetric' | { dominant: number } | number[]): number[] {
  const wrong = Array.isArray(profile) ? profile
    : profile === 'symmetric' ? new Array<number>(K - 1).fill(1 / (K - 1))
      : K === 2 ? [1] : [profile.dominant, ...new Array<number>(K - 2).fill((1 - profile.dominant) / (K - 2))];
  return [p0, ...wrong.map((x) => (1 - p0) * x)];
}

/** Root distribution of a depth-L full tree (levels[ℓ % levels.length] at level ℓ + 1). */
export function rootDistribution(leaf: number[], levels: RefLevel[], depth: number): number[] {
  let pi = leaf;
  for (let l = 0; l < depth; l++) pi = levelDistribution(pi, levels[l % levels.length]);
  return pi;
}

function binom(n: number, k: number): number {
  let c = 1;
  for (let i = 1; i <= k; i++) c = (c * (n - k + i)) / i;
  return c;
}

/**
 * Open answers (K = ∞), symmetric: every wrong answer distinct, so the right answer wins with c ≥ 2
 * right votes, and with c = 1 wins the b-way tie with probability 1/b (§H4); judge §H7.
 */
export function openLevel(p: number, level: RefLevel): number {
  const q = level.gamma * p;
  const b = level.b;
  const v = level.judge ?? 0;
  let pi = 0;
  for (let c = 2; c <= b; c++) pi += binom(b, c) * q ** c * (1 - q) ** (b - c);
  pi += b * q * (1 - q) ** (b - 1) / b;
  const judged = v * (1 - (1 - q) ** b) + (1 - v) * pi;
  return level.rho * q + (1 - level.rho) * judged;
}

export function openRoot(p0: number, levels: RefLevel[], depth: number): number {
  let p = p0;
  for (let l = 0; l < depth; l++) p = openLevel(p, levels[l % levels.length]);
  return p;
}
