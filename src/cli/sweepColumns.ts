// The row columns of an extended sweep (answers, distractors, aggregator, rho_task or dispersion given;
// §H1, §H5, §I1, §I2, §B9) and the words some of them hold. Binary sweeps keep their columns (sweep.ts `columns`).
import { REGIME_CODES } from '../phaseGrid.ts';
import { TREND_CODES } from '../sweep/task.ts';
import type { SweepSpec } from '../sweep/index.ts';

/** Whether a spec is extended: its rows name K, ρ_task, skill and accuracy. */
export function isExtended(spec: SweepSpec): boolean {
  return spec.answers !== undefined || spec.distractors !== undefined || spec.aggregator !== undefined || spec.rhoTask !== undefined || spec.dispersion !== undefined;
}

/**
 * Columns of an extended sweep. u0 is the leaf skill s_0; skillL and accuracyL are the exact root
 * skill s_L and accuracy p_L = p_c + (1 − p_c)·s_L (§H1); regime is the level's phase regime (§H5),
 * trend says whether the start lies below (growing) or above (falling, §B9) the fixed point it
 * reaches, threshold is s† of a bistable level. Simulated: accuracy and skill with their errors.
 */
export function extendedColumns(spec: SweepSpec): string[] {
  const cols = ['cell', 'answers', 'b', 'gamma'];
  if (spec.m !== undefined) cols.push('m');
  cols.push('rho', 'rhoTask', 'dispersion', 'u0', 'depth');
  const compute = spec.compute ?? 'theory';
  if (compute !== 'montecarlo') {
    cols.push('alpha', 's', 'regime', 'threshold', 'uStar', 'trend', 'mixingDepth', 'mixingDepthSmallSignal', 'skillL', 'accuracyL', 'clipped');
  }
  if (compute !== 'theory') cols.push('trials', 'correct', 'accuracy', 'accuracyStdError', 'skill', 'skillStdError');
  return cols;
}

/** Words a row cell may hold besides numbers (CSV reading accepts exactly these). */
export const ROW_WORDS: ReadonlySet<string> = new Set<string>(['open', ...REGIME_CODES, ...TREND_CODES]);

/** Columns whose values are words (Parquet STRING); answers is a word only for 'open'. */
export const WORD_COLUMNS: ReadonlySet<string> = new Set(['answers', 'regime', 'trend']);

/** A theory field's printed value: regime and trend codes as words, NaN (none) kept as NaN. */
export function textValue(column: string, v: number): number | string {
  if (column === 'regime') return Number.isNaN(v) ? NaN : REGIME_CODES[v];
  if (column === 'trend') return Number.isNaN(v) ? NaN : TREND_CODES[v];
  return v;
}
