// SPEC §D — the Monte Carlo core (in progress).
export function monteCarloVersion(): i32 {
  return 0;
}
