// Synthetic matched-budget tables (§J4) with binomial noise, for tests and examples/: a world where the
// §J3 voter model holds, one where organizations change nothing, and one where they add a constant
// shift (a world the mean-shift baseline describes and the theory cannot). Counts come from the
// project's own simulator via calibrate's seeded binomial (§D4 streams), never a new generator.
import { binomial, STREAMS, uniforms } from '../calibrate/random.ts';
import { checkInteger, InvalidParameterError } from '../errors.ts';
import { judgePrediction, voterPrediction, type MatchedCell } from './matchedModel.ts';

export interface SyntheticOrganization {
  name: string;
  agents: number;
  /** a = γ·N^(−β) and ρ of the voter world. */
  a: number;
  rho: number;
  /** Additive change of the shift world. */
  shift?: number;
  /** The theory world's aggregators are judges with this verification skill v (§H7); default voters. */
  judge?: number;
}

export interface SyntheticMatchedSpec {
  world: 'theory' | 'no change' | 'shift';
  benchmarks: readonly string[];
  models: readonly string[];
  organizations: readonly SyntheticOrganization[];
  /** Instances per cell. */
  n: number;
  chance: number;
  /** True single-agent accuracies are uniform on this range. */
  singleRange: readonly [number, number];
  seed: number;
}

/** One cell per (benchmark, model, organization); group "benchmark / model", holdout = benchmark. */
export function syntheticMatchedTable(spec: SyntheticMatchedSpec): MatchedCell[] {
  checkInteger('n', spec.n, 1, 1e9);
  if (!['theory', 'no change', 'shift'].includes(spec.world)) throw new InvalidParameterError('world', "'theory', 'no change' or 'shift'", spec.world);
  const cells: MatchedCell[] = [];
  let index = 0;
  const [lo, hi] = spec.singleRange;
  spec.benchmarks.forEach((benchmark) => {
    spec.models.forEach((model) => {
      const trueSingle = lo + (hi - lo) * uniforms(spec.seed, STREAMS.syntheticMatched, index++, 1)[0];
      const single = binomial(spec.n, trueSingle, spec.seed, STREAMS.syntheticMatched, index++) / spec.n;
      for (const org of spec.organizations) {
        const base = { agents: org.agents, single: trueSingle, chance: spec.chance, line: cells.length + 2 };
        const voter = org.judge === undefined ? voterPrediction(base, org.a, org.rho) : judgePrediction(base, org.a, org.rho, org.judge);
        const truth = spec.world === 'theory' ? voter
          : spec.world === 'shift' ? Math.min(1, Math.max(0, trueSingle + (org.shift ?? 0))) : trueSingle;
        const accuracy = binomial(spec.n, truth, spec.seed, STREAMS.syntheticMatched, index++) / spec.n;
        cells.push({
          group: `${benchmark} / ${model}`, organization: org.name, agents: org.agents, single, accuracy, n: spec.n,
          chance: spec.chance, holdout: benchmark, line: cells.length + 2,
        });
      }
    });
  });
  return cells;
}
