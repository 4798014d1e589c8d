// `synergy validate table.csv`: SPEC §J4 — cross-validate the theory on a matched-budget table against
// baselines. Every column is named by a flag; every bad cell is one line naming file, line and column.
import { readFile } from 'node:fs/promises';
import { InvalidParameterError } from '../errors.ts';
import { columnIndex, CsvError, parseCsv, type CsvTable } from '../calibrate/csv.ts';
import type { MatchedCell } from '../predict/matchedModel.ts';
import { validateMatched, type TheoryVariant, type ValidationResult } from '../predict/validate.ts';
import { answersFromChance } from '../predict/matchedModel.ts';
import { MAX_PLURALITY_FAN_IN } from '../theory/plurality.ts';
import { fmt, table } from './format.ts';
import { parseInteger, parseNumber } from './options.ts';

export interface ValidateFlags {
  group?: string;
  organization: string;
  single: string;
  accuracy: string;
  n: string;
  agents: string;
  chance?: string;
  holdout?: string;
  by?: string;
  compareChance?: string;
  /** plurality (the voter model only) | judge (adds the §H7 judge variant, v fitted per organization). */
  aggregator?: string;
  percent?: boolean;
  bootstrap: string;
  level: string;
  seed: string;
}

/** Reads the tidy table into cells; `--chance` is a number or the name of a column. */
export function matchedCellsFromCsv(t: CsvTable, f: ValidateFlags): MatchedCell[] {
  if (f.group === undefined) throw new InvalidParameterError('--group', 'the group columns, comma-separated (e.g. benchmark,model)', undefined);
  if (f.holdout === undefined) throw new InvalidParameterError('--holdout', 'the column whose values are held out one at a time (e.g. benchmark)', undefined);
  if (f.chance === undefined) throw new InvalidParameterError('--chance', 'a chance accuracy in [0, 1) or the name of a column holding it', undefined);
  const groups = f.group.split(',').map((g) => columnIndex(t, g, '--group'));
  const org = columnIndex(t, f.organization, '--organization');
  const single = columnIndex(t, f.single, '--single');
  const acc = columnIndex(t, f.accuracy, '--accuracy');
  const n = columnIndex(t, f.n, '--n');
  const agents = columnIndex(t, f.agents, '--agents');
  const holdout = columnIndex(t, f.holdout, '--holdout');
  const by = f.by === undefined ? null : columnIndex(t, f.by, '--by');
  const chanceNumber = Number(f.chance);
  const chanceColumn = f.chance.trim() !== '' && Number.isFinite(chanceNumber) ? null : columnIndex(t, f.chance, '--chance (a number or a column)');
  if (chanceColumn === null && !(chanceNumber >= 0 && chanceNumber < 1)) {
    throw new InvalidParameterError('--chance', 'a chance accuracy in [0, 1) or the name of a column holding it', f.chance);
  }
  const scale = f.percent ? 100 : 1;
  const unitAllowed = f.percent ? 'a percentage in [0, 100]' : 'an accuracy in [0, 1] (use --percent for 0–100)';
  const num = (row: CsvTable['rows'][number], column: number, allowed: string, ok: (x: number) => boolean) => {
    const text = row.cells[column];
    const x = Number(text);
    if (text === '' || !Number.isFinite(x) || !ok(x)) throw new CsvError(t.file, row.line, column + 1, allowed, text, t.header[column]);
    return x;
  };
  const cells = t.rows.map((row) => {
    const chance = chanceColumn === null ? chanceNumber : num(row, chanceColumn, 'a chance accuracy in [0, 1)', (x) => x >= 0 && x < 1);
    return {
      group: groups.map((g) => row.cells[g]).join(' / '),
      organization: by === null ? row.cells[org] : `${row.cells[org]} | ${row.cells[by]}`,
      agents: num(row, agents, 'an integer number of agents N ≥ 1', (x) => Number.isInteger(x) && x >= 1),
      single: num(row, single, unitAllowed, (x) => x >= 0 && x <= scale) / scale,
      accuracy: num(row, acc, unitAllowed, (x) => x >= 0 && x <= scale) / scale,
      n: num(row, n, 'a number of instances n > 0', (x) => x > 0),
      chance,
      holdout: row.cells[holdout],
      line: row.line,
    };
  });
  const levels = new Set(cells.map((c) => c.holdout));
  if (levels.size < 2) {
    throw new CsvError(t.file, t.headerLine, holdout + 1, 'a --holdout column with at least 2 distinct values', `only ${JSON.stringify([...levels][0] ?? '')}`, t.header[holdout]);
  }
  const perOrg = new Map<string, number>();
  for (const c of cells) perOrg.set(c.organization, (perOrg.get(c.organization) ?? 0) + 1);
  const thin = [...perOrg].filter(([, k]) => k < 3);
  if (thin.length > 0) {
    throw new InvalidParameterError(`--organization ${f.organization}`, 'at least 3 cells per organization to fit a and ρ', `${thin.map(([o, k]) => `${JSON.stringify(o)}: ${k}`).join(', ')}`);
  }
  return cells;
}

export async function validate(file: string, f: ValidateFlags): Promise<ValidationResult & { file: string }> {
  const text = await readFile(file, 'utf8').catch((e: Error) => {
    throw new InvalidParameterError('table', 'a readable CSV file', `${file} (${e.message})`);
  });
  const cells = matchedCellsFromCsv(parseCsv(text, file), f);
  const variants: TheoryVariant[] = [{ name: 'theory' }, ...(f.compareChance === undefined ? [] : f.compareChance.split(',').map((text) => {
    const chance = parseNumber('compare-chance', text);
    if (!(chance >= 0 && chance < 1)) throw new InvalidParameterError('--compare-chance', 'chance levels in [0, 1), comma-separated', text);
    return { name: `theory (p_c = ${text})`, chance };
  }))];
  const aggregator = f.aggregator ?? 'plurality';
  if (aggregator !== 'plurality' && aggregator !== 'judge') {
    throw new InvalidParameterError('--aggregator', 'plurality (the voter model) or judge (adds the §H7 judge variant beside it; v is fitted)', aggregator);
  }
  if (aggregator === 'judge') {
    variants.push({ name: 'theory (judge)', aggregator: 'judge' });
    // The judge's map counts K = 1/p_c answers: say which line has a chance level it cannot take.
    for (const c of cells) {
      try {
        answersFromChance(c.chance);
      } catch {
        throw new InvalidParameterError('--chance', `a chance level 1/K or 0 (open answers) on every line with --aggregator judge (line ${c.line})`, c.chance);
      }
      if (c.agents > MAX_PLURALITY_FAN_IN) throw new InvalidParameterError(`--agents ${f.agents}`, `at most ${MAX_PLURALITY_FAN_IN} agents with --aggregator judge (line ${c.line})`, c.agents);
    }
  }
  const result = validateMatched(cells, { variants,
    bootstrap: parseInteger('bootstrap', f.bootstrap, 100), level: parseNumber('level', f.level), seed: parseInteger('seed', f.seed, 0),
  });
  return { file, ...result };
}

function interval(r: { lower: number; upper: number } | null): string {
  return r === null ? '—' : `[${fmt(r.lower)}, ${fmt(r.upper)}]`;
}

export function formatValidation(r: ValidationResult & { file: string }): string {
  const out = [
    `${r.file}: ${r.cells} cells, ${r.folds.length} held-out groups, ${r.clusters} clusters for the bootstrap${r.unpredicted ? `, ${r.unpredicted} not scored` : ''}`,
    '',
    'Held-out predictions (leave one group out):',
    table(['model', 'mean abs. error', 'sign accuracy', 'signed cells', 'observed ties', 'predicted ties'],
      r.scores.map((s) => [s.model, fmt(s.meanAbsoluteError), s.signAccuracy === null ? '— (never signs)' : fmt(s.signAccuracy, 3),
        String(s.signedCells), String(s.observedTies), String(s.predictedTies)])),
    '',
    `Theory − baseline, ${Math.round(r.level * 100)}% cluster-bootstrap intervals (${r.bootstrap} resamples, seed ${r.seed}):`,
    table(['theory', 'baseline', 'Δ mean abs. error', 'interval', 'Δ sign accuracy', 'interval', 'verdict'],
      r.differences.map((d) => [d.theory, d.baseline, fmt(d.meanAbsoluteErrorDifference), interval(d.interval), fmt(d.signAccuracyDifference, 3), interval(d.signInterval), d.verdict])),
    '',
    'Fitted on all cells (in-sample):',
    table(['organization', 'N', 'cells', 'a = γ·N^(−β)', 'ρ', 'on bound', 's† (skill)', 'p† (fitted)', 'threshold (in-sample)'],
      r.organizations.map((o) => [o.organization, o.agents.join(','), String(o.cells), fmt(o.fit.a), fmt(o.fit.rho), o.fit.onBound.join(', ') || 'no',
        fmt(o.skillThreshold), fmt(o.accuracyThreshold), fmt(o.inSampleThreshold)])),
    ...(r.organizations.some((o) => o.judgeFit) ? [
      '',
      'Judge variant fitted on all cells (in-sample, §H7):',
      table(['organization', 'a', 'ρ', 'v (verification)', 'on bound', 'p† (fitted)'],
        r.organizations.map((o) => [o.organization, fmt(o.judgeFit!.a), fmt(o.judgeFit!.rho), fmt(o.judgeFit!.v), o.judgeFit!.onBound.join(', ') || 'no', fmt(o.judgeAccuracyThreshold)])),
    ] : []),
    '',
    r.verdict,
    ...r.notes,
  ];
  return out.join('\n');
}
