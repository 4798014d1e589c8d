// `synergy design`: SPEC §E — the ranked organizations for a budget, window and channel.
import { designBinary, designContinuous, type DesignRow } from '../theory/design.ts';
import { InvalidParameterError } from '../errors.ts';
import { fmt, table } from './format.ts';
import { parseFidelity, parseLeafLaw, parseNoise, parseNumber } from './options.ts';
import { parseAggregator, parseAnswers, parseDistractor } from './designFlags.ts';
import { chanceAccuracy } from '../theory/model.ts';

export interface DesignCommandFlags {
  budget?: string;
  window?: string;
  overhead: string;
  m?: string;
  fidelity?: string;
  /** `--gamma γ`: the constant fidelity, the same as `--fidelity constant:γ` (one spelling with analyze, simulate and sweep). */
  gamma?: string;
  leaf: string;
  chance?: string;
  answers?: string;
  /** symmetric | dominant:δ (§H1, with --answers K ≥ 3). */
  distractor?: string;
  aggregator?: string;
  rho?: string;
  rhoTask?: string;
  dispersion?: string;
  continuous?: boolean;
  noise?: string;
  v1: string;
  beta?: string;
  top: string;
  maxFanIn?: string;
}

function need(flag: string, value: string | undefined, allowed: string): string {
  if (value === undefined) throw new InvalidParameterError(`--${flag}`, allowed, 'nothing (the flag is required)');
  return value;
}

export function design(f: DesignCommandFlags) {
  const common = {
    budget: parseNumber('budget', need('budget', f.budget, 'a token budget > 0')),
    window: parseNumber('window', need('window', f.window, 'a context window in tokens > 0')),
    overhead: parseNumber('overhead', f.overhead),
    messageLengths: need('m', f.m, 'message lengths m1,m2,… in tokens').split(',').map((x) => parseNumber('m', x)),
    rho: parseNumber('rho', need('rho', f.rho, 'a number in [0, 1]')),
    rhoTask: f.rhoTask === undefined ? 0 : parseNumber('rho-task', f.rhoTask),
  };
  if (!(common.rhoTask >= 0 && common.rhoTask <= 1)) throw new InvalidParameterError('--rho-task', 'a number in [0, 1] (§I1 organization-wide correlation)', f.rhoTask);
  if (f.continuous) {
    if (f.gamma !== undefined) throw new InvalidParameterError('--gamma', 'absent with --continuous (the averaging model takes --noise)', f.gamma);
    if (f.maxFanIn !== undefined) throw new InvalidParameterError('--max-fan-in', 'absent with --continuous (the binary search only)', f.maxFanIn);
    for (const [flag, value] of [['--answers', f.answers], ['--distractor', f.distractor], ['--aggregator', f.aggregator]] as const) {
      if (value !== undefined) throw new InvalidParameterError(flag, 'absent with --continuous (the averaging model has no answers to vote on)', value);
    }
    const noise = parseNoise(need('noise', f.noise, 'a noise curve, e.g. exponential:1,100'));
    const beta = parseNumber('beta', need('beta', f.beta, 'the leaf exponent β > 0 of v(x) = v1·x^(−β)'));
    return { kind: 'continuous' as const, rho: common.rho, rhoTask: common.rhoTask, ...designContinuous({ ...common, noise, v1: parseNumber('v1', f.v1), beta }), verdicts: null };
  }
  if (f.gamma !== undefined && f.fidelity !== undefined) throw new InvalidParameterError('--gamma', 'absent when --fidelity is given (--gamma γ means --fidelity constant:γ)', f.gamma);
  const fidelity = f.gamma !== undefined
    ? parseFidelity(`constant:${f.gamma}`)
    : parseFidelity(need('fidelity', f.fidelity, 'a fidelity curve, e.g. saturating:0.9,50 (or --gamma γ for a constant one)'));
  const answers = parseAnswers(f.answers);
  const aggregator = parseAggregator(f.aggregator);
  const plural = answers !== 2 || aggregator !== 'plurality';
  const chance = plural && f.chance === undefined ? chanceAccuracy(answers) : parseNumber('chance', f.chance ?? '0.5');
  if (!(chance >= 0 && chance < 1)) throw new InvalidParameterError('--chance', 'a chance accuracy in [0, 1) (0.5 binary decisions, 1/K for K answers, 0 open answers)', f.chance);
  if (plural && Math.abs(chance - chanceAccuracy(answers)) > 1e-12) {
    throw new InvalidParameterError('--chance', `1/K = ${chanceAccuracy(answers)} with --answers ${answers} (or omitted)`, f.chance);
  }
  const dominant = parseDistractor(f.distractor);
  if (dominant !== null && !(answers === 'open' || answers > 2)) throw new InvalidParameterError('--distractor', 'symmetric unless --answers K ≥ 3 or open', f.distractor);
  const task = plural ? { task: { answers, ...(dominant === null ? {} : { distractors: { dominant } }) }, aggregator } : {};
  const dispersion = f.dispersion === undefined ? 0 : parseNumber('dispersion', f.dispersion);
  if (!(dispersion >= 0 && dispersion < 1)) throw new InvalidParameterError('--dispersion', 'a task-difficulty dispersion φ in [0, 1) (§I2)', f.dispersion);
  if (dominant !== null && dispersion > 0) throw new InvalidParameterError('--dispersion', '0 with --distractor dominant:δ (§I2 is built for symmetric distractors)', f.dispersion);
  return { kind: 'binary' as const, chance, rho: common.rho, rhoTask: common.rhoTask, distractor: dominant === null ? 'symmetric' : `dominant:${dominant}`, ...designBinary({
    ...common, fidelity, leafLaw: parseLeafLaw(f.leaf), chance, dispersion, ...task,
    maxFanIn: f.maxFanIn === undefined ? undefined : maxFanInFlag(f.maxFanIn),
  }) };
}

function maxFanInFlag(text: string): number {
  const b = parseNumber('max-fan-in', text);
  if (!Number.isInteger(b) || b < 3 || b > 1_000_001) throw new InvalidParameterError('--max-fan-in', 'an integer fan-in in [3, 1000001]', text);
  return b;
}

function shape(r: DesignRow): string {
  switch (r.organization) {
    case 'single': return 'single agent';
    case 'star': return `star N=${r.leaves}`;
    case 'chain': return `chain N=${r.leaves}`;
    default: return `tree b=${r.b} L=${r.depth}`;
  }
}

export function formatDesign(result: ReturnType<typeof design>, top: number): string {
  const binary = result.kind === 'binary';
  const shown = result.rows.filter((r) => r.feasible).slice(0, top);
  if (!shown.includes(result.single)) shown.push(result.single);
  const rows = shown.map((r) => [
    String(r.rank ?? '—'), shape(r), r.m === null ? '—' : String(r.m), fmt(r.channel), fmt(r.compute, 1),
    binary ? fmt(r.accuracy) : fmt(r.risk), r.floor === null ? '—' : fmt(binary ? result.chance + (1 - result.chance) * r.floor : r.floor),
    binary ? r.regime : '', r.s === null ? '—' : fmt(r.s), r.reason,
  ]);
  // §C4/§I1: every row is evaluated under the same (ρ, ρ_task); the floor column is its limit as it grows.
  const scope = `All organizations under ρ = ${result.rho}, ρ_task = ${result.rhoTask} (§I1).`
    + (result.kind === 'binary' && result.distractor !== 'symmetric'
      ? ` Distractors ${result.distractor}: accuracy from the exact two-number map (§H4); regime, s and reasons are the symmetric map's.` : '');
  const out = [scope, table(['rank', 'organization', 'm', binary ? 'γ(m)' : 'σ²(m)', 'x (tokens/leaf)', binary ? 'accuracy' : 'risk (MSE)',
    binary ? 'floor (accuracy)' : 'floor (MSE)', 'regime', 's', 'why'], rows)];
  const infeasible = result.rows.filter((r) => !r.feasible);
  out.push(`\n${result.rows.filter((r) => r.feasible).length} feasible candidates, ${infeasible.length} ruled out (${countBy(infeasible)}).`);
  // §H3: say which fan-ins were searched (an even b is its own organization only beyond K = 2 majority).
  if (binary) {
    out.push(result.fanIns === 'odd'
      ? 'Fan-in: odd b only (K = 2: an even b with a random tie-break has the level map of b − 1 at a higher cost, so it never wins; §H3).'
      : 'Fan-in: every b ≥ 2 (even b: plurality with a uniformly random tie-break; §H3).');
  }
  if (binary && result.fanInCapped !== null) {
    out.push(`Fan-in stopped at --max-fan-in ${result.fanInCapped}: the window and budget allow wider stars and trees (raise the flag to rank them; the search grows with the square of the fan-in).`);
  }
  if (binary && result.verdicts) {
    const v = result.verdicts;
    const beta = v[0]?.verdict.beta;
    const synergy = v.filter((x) => x.verdict.synergy);
    out.push(`Small-signal verdict (§B12, β = ${fmt(beta)}): s > β for ${synergy.length} of ${v.length} (b, m) families.`);
    const bestFamily = [...synergy].sort((a, b) => a.verdict.budgetThreshold - b.verdict.budgetThreshold)[0];
    if (bestFamily) {
      const w = bestFamily.verdict;
      out.push(`  lowest threshold: b=${bestFamily.b}, m=${bestFamily.m}: s = ${fmt(w.s)}, x* = ${fmt(w.xStar, 1)}, N* = ${fmt(w.nStar, 1)}, B* = ${fmt(w.budgetThreshold, 1)}`);
    }
    const disagree = v.filter((x) => x.disagree);
    out.push(`  small-signal and exact answers disagree for ${disagree.length} families${disagree.length ? ': ' + disagree.slice(0, 6).map((x) => `b=${x.b}, m=${x.m} (small-signal says ${x.smallSignalSaysTreeWins ? 'tree wins' : 'single wins'})`).join('; ') : ''}.`);
  }
  return out.join('\n');
}

function countBy(rows: DesignRow[]): string {
  const window = rows.filter((r) => r.reason.startsWith('window')).length;
  const budget = rows.filter((r) => r.reason.startsWith('budget')).length;
  return `window ${window}, budget ${budget}`;
}
