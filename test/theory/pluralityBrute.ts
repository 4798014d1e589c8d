// Brute-force reference for §H2–§H4, §H7 and §I1 (tests only): the full distribution over the K
// answers at every node, every tuple of received answers enumerated — none of the library's maps.
/**
 * One aggregator by enumeration (§H2–§H4, §H7): children's answer distribution `child` (index 0 is the
 * right answer), each message kept with probability γ else replaced uniformly over K; with probability
 * ρ the output is a copy of one received message; else a judge (probability v) outputs the right
 * answer when any received message holds it, and otherwise plurality with a uniform tie-break.
 */
export function nodeBrute(child: number[], b: number, gamma: number, rho: number, v: number): number[] {
  const k = child.length;
  const received = child.map((q) => gamma * q + (1 - gamma) / k);
  const out = new Array<number>(k).fill(0);
  const tuple = new Array<number>(b).fill(0);
  const visit = (i: number, prob: number) => {
    if (i === b) {
      const counts = new Array<number>(k).fill(0);
      for (const a of tuple) counts[a]++;
      const top = Math.max(...counts);
      const winners = counts.map((c, a) => (c === top ? a : -1)).filter((a) => a >= 0);
      const plural = new Array<number>(k).fill(0);
      for (const a of winners) plural[a] += 1 / winners.length;
      const anyRight = counts[0] > 0;
      for (let a = 0; a < k; a++) {
        const judged = anyRight ? (a === 0 ? 1 : 0) : plural[a];
        out[a] += prob * (1 - rho) * (v * judged + (1 - v) * plural[a]);
      }
      return;
    }
    for (let a = 0; a < k; a++) {
      tuple[i] = a;
      visit(i + 1, prob * received[a]);
    }
  };
  visit(0, 1);
  for (let a = 0; a < k; a++) out[a] += rho * received[a];
  return out;
}

export function treeBrute(leaf: number[], fanIns: number[], gamma: number, rho: number, v: number): number[] {
  return fanIns.reduce((dist, b) => nodeBrute(dist, b, gamma, rho, v), leaf);
}

/** Root accuracy with the §I1 task-level event: all leaves cast one shared answer with probability ρ_task. */
export function rootAccuracyBrute(
  p: number, k: number, fanIns: number[], gamma: number, rho: number, v: number, rhoTask: number, dominant: number | null,
): number {
  const wrong = (1 - p);
  const leaf = Array.from({ length: k }, (_, a) => (a === 0 ? p : dominant === null ? wrong / (k - 1)
    : a === 1 ? dominant * wrong : (1 - dominant) * wrong / (k - 2)));
  const unit = (a: number) => Array.from({ length: k }, (_, i) => (i === a ? 1 : 0));
  const indep = treeBrute(leaf, fanIns, gamma, rho, v)[0];
  const right = treeBrute(unit(0), fanIns, gamma, rho, v)[0];
  const wrongRoot = treeBrute(unit(1), fanIns, gamma, rho, v)[0];
  return rhoTask * (p * right + (1 - p) * wrongRoot) + (1 - rhoTask) * indep;
}

