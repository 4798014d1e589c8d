// `synergy reproduce`: reruns the paper's synthetic check (SPEC §F) — b = 5, γ = 0.6, u_0 = 0.05,
// ρ from 0 to 0.5, depths 10 and 30 — exact, clipped and simulated values per ρ, the measured
// critical ρ, the largest |simulated − exact| in standard errors, a figure and a Markdown report.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { alpha, criticalRho } from '../theory/level.ts';
import type { Answers } from '../theory/model.ts';
import { simulatePlurality } from '../simulate/plurality.ts';
import { sweep } from '../node.ts';
import type { SweepMonteCarlo, SweepProgress } from '../sweep/index.ts';
import { fmt, table } from './format.ts';
import { seriesPlot, writeFigure } from './plot.ts';

export interface ReproduceOptions {
  trials: number;
  seed: number;
  workers?: number;
  mode: 'full' | 'levels';
  rhoPoints: number;
  out: string;
  /**
   * K answers (§H): the same §F grid over plurality trees, u_0 = 0.05 read as the leaf skill s_0;
   * rows then hold skills (exact s_L, simulated with replicate-population errors in levels mode).
   * Default 2 (the paper's binary check).
   */
  answers?: Answers;
  /** Also write figure.png (needs the optional @resvg/resvg-js). */
  png?: boolean;
  onProgress?: (p: SweepProgress) => void;
  signal?: AbortSignal;
}

export const SECTION_F = { b: 5, gamma: 0.6, u0: 0.05, rhoMax: 0.5, depths: [10, 30] } as const;

/** The points whose level-by-level populations were too small (§D1b), named in the report. */
function warnedSentence(rows: readonly ReproduceRow[]): string {
  const warned = rows.filter((r) => r.warning);
  if (warned.length === 0) return '';
  return `\nWarning: at ${warned.map((r) => `ρ = ${r.rho} (depth ${r.depth})`).join(', ')} the populations are too small for the estimate to target u_L within its error (a sign flip or the finite-population bias): read those points as indicative, or raise --trials.\n`;
}

export interface ReproduceRow {
  rho: number;
  alpha: number;
  depth: number;
  exact: number;
  clipped: number;
  simulated: number;
  /** Standard error of `simulated`: binomial in full mode, the spread of 16 replicate populations in levels mode (§D1b). */
  stdError: number;
  /** (simulated − exact)/stdError. */
  z: number;
  /** Levels mode: set where the populations are too small to target u_L within the error. */
  warning?: string;
}

/**
 * The ρ at which u_30 first falls to u_0 (amplification no longer beats wash-out over 30 levels),
 * linearly interpolated between grid points; null if it never does on the grid.
 */
export function crossing(rhos: readonly number[], values: readonly number[], level: number): number | null {
  for (let i = 1; i < rhos.length; i++) {
    if (values[i - 1] >= level && values[i] < level) {
      return rhos[i - 1] + ((values[i - 1] - level) / (values[i - 1] - values[i])) * (rhos[i] - rhos[i - 1]);
    }
  }
  return null;
}

/**
 * §F over K answers (§H4–§H6): exact skills from the extended sweep (phase grid with the task), and
 * the plurality simulator per point — full trees at depth 10 in mode 'full', otherwise level by
 * level with replicate populations (the error is their spread, simulatePlurality). The sweep's
 * Monte Carlo refuses levels mode for K answers, so the simulation runs here, in this thread.
 */
async function pluralityRows(o: ReproduceOptions, answers: Answers, rho: { start: number; stop: number; count: number }): Promise<ReproduceRow[]> {
  const { b, gamma, u0, depths } = SECTION_F;
  const rows: ReproduceRow[] = [];
  for await (const cell of sweep({ answers, b: [b], gamma: [gamma], rho, u0: [u0], depth: [...depths] }, { workers: o.workers, signal: o.signal })) {
    if (o.signal?.aborted) throw o.signal.reason;
    const mode = o.mode === 'full' && cell.depth === depths[0] ? 'full' : 'levels';
    const sim = simulatePlurality({
      tree: { b, gamma, rho: cell.rho }, task: { answers }, s0: u0, depth: cell.depth, mode, trials: o.trials, seed: o.seed, cell: cell.cell,
    });
    const exact = cell.theory!.uL;
    rows.push({
      rho: cell.rho, alpha: cell.theory!.alpha, depth: cell.depth, exact, clipped: NaN,
      simulated: sim.skill, stdError: sim.skillStdError, z: (sim.skill - exact) / sim.skillStdError,
    });
  }
  return rows;
}

export async function reproduce(o: ReproduceOptions) {
  const { b, gamma, u0, rhoMax, depths } = SECTION_F;
  const rho = { start: 0, stop: rhoMax, count: o.rhoPoints };
  const answers = o.answers ?? 2;
  if (answers !== 2) return finish(o, answers, rho, await pluralityRows(o, answers, rho));
  const options = { seed: o.seed, workers: o.workers, onProgress: o.onProgress, signal: o.signal };
  const base = { b: [b], gamma: [gamma], rho, u0: [u0], trials: [o.trials], compute: 'both' as const };
  // Depth 30 has 5^30 leaves: it is always simulated level by level. In levels mode one sweep covers
  // both depths; with --mode full, depth 10 is a full-tree sweep and depth 30 a levels sweep of its
  // own (seeded seed + 1, so the two never share random streams).
  const runs = o.mode === 'levels'
    ? [sweep({ ...base, depth: [...depths], mode: 'levels' }, options)]
    : [sweep({ ...base, depth: [depths[0]], mode: 'full' }, options), sweep({ ...base, depth: [depths[1]], mode: 'levels' }, { ...options, seed: o.seed + 1 })];
  const rows: ReproduceRow[] = [];
  for (const run of runs) {
    for await (const cell of run) {
      const level = { b, gamma, rho: cell.rho };
      const exact = cell.theory!.uL;
      const mc = cell.montecarlo as SweepMonteCarlo;
      // In levels mode mc.stdError is the spread of the replicate populations (§D1b).
      rows.push({
        rho: cell.rho, alpha: alpha(level), depth: cell.depth, exact, clipped: cell.theory!.clipped, simulated: mc.bias, stdError: mc.stdError,
        z: (mc.bias - exact) / mc.stdError, ...(mc.warning ? { warning: mc.warning } : {}),
      });
    }
  }
  return finish(o, 2, rho, rows);
}

async function finish(o: ReproduceOptions, answers: Answers, rho: { start: number; stop: number; count: number }, rows: ReproduceRow[]) {
  const { b, gamma, u0, depths } = SECTION_F;
  const task = { answers };
  const binary = answers === 2;
  rows.sort((x, y) => x.rho - y.rho || x.depth - y.depth);
  const at = (depth: number) => rows.filter((r) => r.depth === depth);
  const deepest = at(depths[1]);
  const rhos = deepest.map((r) => r.rho);
  const summary = {
    parameters: { ...(binary ? {} : { answers }), b, gamma, u0, depths: [...depths], rho, trials: o.trials, mode: o.mode, seed: o.seed },
    /** §B7 / §H5: the ρ below which α > 1 (−∞: no ρ amplifies at this γ and K). */
    criticalRhoTheory: criticalRho(b, gamma, task),
    crossingExact: crossing(rhos, deepest.map((r) => r.exact), u0),
    crossingSimulated: crossing(rhos, deepest.map((r) => r.simulated), u0),
    maxAbsZ: Math.max(...rows.map((r) => Math.abs(r.z))),
    rows,
  };
  await mkdir(o.out, { recursive: true });
  const x = binary ? 'u' : 's';
  const points = rows.flatMap((r) => [
    { x: r.rho, y: r.exact, series: `exact ${x}_${r.depth}` },
    ...(binary ? [{ x: r.rho, y: r.clipped, series: `clipped û_${r.depth}` }] : []),
    { x: r.rho, y: r.simulated, series: `simulated ${x}_${r.depth} (±2σ)`, err: r.stdError },
  ]);
  const rc = summary.criticalRhoTheory;
  const svg = await seriesPlot({
    title: `SPEC §F: b = ${b}, γ = ${gamma}, ${binary ? `u0 = ${u0}` : `K = ${answers}, leaf skill s0 = ${u0}`}, ${o.trials} trials per point`,
    points, xTitle: 'shared-failure correlation ρ', yTitle: binary ? 'root bias u_L' : 'root skill s_L',
    ...(rc >= 0 && rc <= 1 ? { rule: { x: rc, label: `ρ_c = ${fmt(rc)}` } } : {}),
  });
  await writeFile(join(o.out, 'figure.svg'), svg);
  if (o.png) await writeFigure(join(o.out, 'figure.png'), svg);
  await writeFile(join(o.out, 'results.json'), JSON.stringify(summary, null, 2) + '\n');
  await writeFile(join(o.out, 'report.md'), reportMarkdown(summary));
  return summary;
}

/** The table of rows; `x` names the state (u: bias, K = 2; s: skill, K answers). */
export function resultsTable(rows: readonly ReproduceRow[], x: 'u' | 's' = 'u'): string {
  const byRho = new Map<number, ReproduceRow[]>();
  for (const r of rows) byRho.set(r.rho, [...(byRho.get(r.rho) ?? []), r]);
  const [d1, d2] = SECTION_F.depths;
  return table(
    ['ρ', 'α_ρ', `exact ${x}_${d1}`, `clipped`, `simulated ± se`, 'z', `exact ${x}_${d2}`, 'clipped', 'simulated ± se', 'z'],
    [...byRho.entries()].map(([rho, [a, c]]) => [
      rho.toFixed(3), fmt(a.alpha), fmt(a.exact), fmt(a.clipped), `${fmt(a.simulated)} ± ${fmt(a.stdError)}`, fmt(a.z, 2),
      fmt(c.exact), fmt(c.clipped), `${fmt(c.simulated)} ± ${fmt(c.stdError)}`, fmt(c.z, 2),
    ]),
  );
}

type CrossingSummary = Pick<Awaited<ReturnType<typeof reproduce>>, 'criticalRhoTheory' | 'crossingExact' | 'crossingSimulated'> & {
  parameters: { answers?: Answers; b: number; gamma: number; depths: number[]; rho: { start: number; stop: number; count: number } };
};

/**
 * The report's sentence on where the curves cross u_0, computed from this run (issue 15): the exact
 * crossing against ρ_c (§B7) in grid steps, α_ρ there, and the simulated crossing against the exact.
 */
export function crossingSentence(s: CrossingSummary): string {
  const { b, gamma, depths, rho } = s.parameters;
  const L = depths[depths.length - 1];
  const step = (rho.stop - rho.start) / (rho.count - 1);
  // Distances as fixed decimals (fmt would switch to exponents below 10⁻³) and in grid steps.
  const dist = (d: number) => Math.abs(d).toFixed(4);
  const steps = (d: number) => {
    const n = (Math.abs(d) / step).toFixed(2);
    return `${n} grid step${n === '1.00' ? '' : 's'}`;
  };
  const rc = s.criticalRhoTheory;
  const sentences: string[] = [];
  if (s.crossingExact === null) {
    sentences.push(`On this grid the exact u_${L} never falls below u_0 (ρ up to ${rho.stop}; ρ_c = ${fmt(rc)}).`);
  } else {
    const d = s.crossingExact - rc;
    const a = alpha({ b, gamma, rho: s.crossingExact }, { answers: s.parameters.answers ?? 2 });
    if (d < 0) {
      sentences.push(`The exact crossing, ρ = ${fmt(s.crossingExact)}, is ${dist(d)} (${steps(d)}) below ρ_c = ${fmt(rc)}: there α_ρ = ${fmt(a)} > 1, but amplification that weak does not lift u_0 in ${L} levels against the majority's saturation.`);
    } else if (d > 0) {
      sentences.push(`The exact crossing, ρ = ${fmt(s.crossingExact)}, is ${dist(d)} (${steps(d)}) above ρ_c = ${fmt(rc)}, where α_ρ = ${fmt(a)}.`);
    } else {
      sentences.push(`The exact crossing is at ρ_c = ${fmt(rc)}.`);
    }
  }
  if (s.crossingSimulated === null) {
    sentences.push(`The simulated u_${L} never falls below u_0 on this grid.`);
  } else if (s.crossingExact !== null) {
    const d = s.crossingSimulated - s.crossingExact;
    sentences.push(`The simulated crossing, ρ = ${fmt(s.crossingSimulated)}, is ${d === 0 ? 'at the exact one' : `${dist(d)} (${steps(d)}) ${d < 0 ? 'below' : 'above'} the exact one`}.`);
  } else {
    sentences.push(`The simulated u_${L} falls below u_0 at ρ = ${fmt(s.crossingSimulated)}.`);
  }
  return sentences.join(' ');
}

export function summaryLines(s: Awaited<ReturnType<typeof reproduce>>): string[] {
  return [
    `critical ρ (theory, §B7): ${fmt(s.criticalRhoTheory)}`,
    `ρ where u_30 falls to u_0: exact ${fmt(s.crossingExact)}, simulated ${fmt(s.crossingSimulated)}`,
    `largest |simulated − exact|: ${fmt(s.maxAbsZ, 2)} standard errors over ${s.rows.length} points`,
  ];
}

function reportMarkdown(s: Awaited<ReturnType<typeof reproduce>>): string {
  const p = s.parameters;
  const k = 'answers' in p ? p.answers : 2;
  const open = k === 2 ? '' : `Open-answer variant (§H): K = ${k} answers, plurality trees; u_0 = ${p.u0} is the leaf skill s_0 and every value is a skill s = (p − p_c)/(1 − p_c), p_c = ${k === 'open' ? 0 : `1/${k}`} (no clipped predictor: §B9 belongs to the concave binary map; level-by-level errors are the spread of independent replicate populations).

`;
  return `# SPEC §F reproduction${k === 2 ? '' : ` over K = ${k} answers`}

${open}b = ${p.b}, γ = ${p.gamma}, u_0 = ${p.u0}, ρ from ${p.rho.start} to ${p.rho.stop} (${p.rho.count} points), depths ${p.depths.join(' and ')},
${p.trials} trials per point (${p.mode === 'full' ? 'full trees at depth 10, level by level at depth 30' : 'level by level'}), seed ${p.seed}.

${summaryLines(s).map((l) => `- ${l}`).join('\n')}

The measured critical ρ is where the simulated u_30 falls below the leaf bias u_0 (interpolated); the
same rule applied to the exact recursion is shown beside it. ${crossingSentence(s)}
${p.mode === 'levels' ? '\nStandard errors in levels mode are the spread of 16 independent replicate populations per point (docs/simulation.md, "Error bars").\n' : ''}${warnedSentence(s.rows)}
![u_L against ρ](figure.svg)

\`\`\`
${resultsTable(s.rows, k === 2 ? 'u' : 's')}
\`\`\`
`;
}
