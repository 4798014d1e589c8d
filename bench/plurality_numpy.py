"""Vectorised numpy baseline of the plurality tree model (SPEC §H2, §H3, §B4, §H7) for
bench/plurality.mjs: the same full-tree model, all trials of a batch at once, level by level.
Prints one JSON line {"leafVotesPerSecond", "leafVotesPerCpuSecond": medians over reps (wall clock and
process CPU time), "accuracy"}.
Usage: python3 bench/plurality_numpy.py b K depth gamma rho p0 trials reps [judge]"""
import json, sys, time
import numpy as np

def simulate(rng, b, K, depth, gamma, rho, p0, trials, judge=0.0):
    n = b ** depth
    # Leaves (§H1, symmetric): right (0) with p0, else uniform over the K − 1 wrong answers.
    x = np.where(rng.random((trials, n)) < p0, 0, rng.integers(1, K, (trials, n)))
    answers = np.arange(K)
    for _ in range(depth):
        # Channel §H2: intact with probability γ, else uniform over all K answers.
        x = np.where(rng.random(x.shape) < gamma, x, rng.integers(0, K, x.shape))
        g = x.reshape(trials, -1, b)
        counts = (g[..., None] == answers).sum(axis=2)  # (trials, groups, K)
        # Plurality with a uniform tie-break: noise in [0, 0.5) never reorders different counts.
        winner = np.argmax(counts + 0.5 * rng.random(counts.shape), axis=2)
        if judge > 0:
            hit = (counts[..., 0] > 0) & (rng.random(winner.shape) < judge)
            winner = np.where(hit, 0, winner)
        # Shared failure §B4: the first received message.
        x = np.where(rng.random(winner.shape) < rho, g[..., 0], winner)
    return int((x[:, 0] == 0).sum())

def main():
    b, K, depth = (int(a) for a in sys.argv[1:4])
    gamma, rho, p0 = (float(a) for a in sys.argv[4:7])
    trials, reps = int(sys.argv[7]), int(sys.argv[8])
    judge = float(sys.argv[9]) if len(sys.argv) > 9 else 0.0
    rng = np.random.default_rng(1)
    simulate(rng, b, K, depth, gamma, rho, p0, trials, judge)  # warm-up
    rates, cpuRates = [], []
    for _ in range(reps):
        t, c = time.perf_counter(), time.process_time()
        right = simulate(rng, b, K, depth, gamma, rho, p0, trials, judge)
        cpuRates.append(trials * b ** depth / (time.process_time() - c))
        rates.append(trials * b ** depth / (time.perf_counter() - t))
    print(json.dumps({"leafVotesPerSecond": float(np.median(rates)),
                      "leafVotesPerCpuSecond": float(np.median(cpuRates)), "accuracy": right / trials}))

main()
