#!/usr/bin/env node
// The `synergy` command (issue 5). Errors in what the user typed print one line naming the flag and
// the allowed values and exit with status 2; failures while working exit with status 1.
import { Command, CommanderError, Option } from 'commander';
import { InvalidParameterError } from '../errors.ts';
import { MissingPlottingError, writeFigure } from './plot.ts';
import { analyze, answersTrajectoryFigure, formatAnalysis } from './analyze.ts';
import { design, formatDesign } from './design.ts';
import { parseInteger } from './options.ts';
import { progressReporter } from './progress.ts';
import { reproduce, resultsTable, summaryLines } from './reproduce.ts';
import {
  formatPluralitySimulation, formatSimulation, parseMode, simulate, simulatePluralityCli, trajectoryFigure, wantsPlurality,
} from './simulate.ts';
import { parseAnswers, resolveDesign } from './designFlags.ts';
import { InterruptedError, registerSweepCommands } from './sweep.ts';
import { registerClusterCommand } from './cluster.ts';
import { registerWorkerCommand } from './worker.ts';
import { checkWritableDirectory, checkWritableFile } from './files.ts';
import { MAX_UNCONFIRMED_SECONDS } from './workPlan.ts';
import { DEFAULT_SEED } from '../simulate/index.ts';
import { calibrate, formatCalibration } from './calibrate.ts';
import { calibrateSamples, checkSamplesOnlyFlags, formatSamplesCalibration } from './calibrateSamples.ts';
import { formatPrediction, predict } from './predict.ts';
import { formatValidation, validate } from './validate.ts';
import { predictionFigure, validationFigure } from './predictFigures.ts';

function print(json: boolean, value: unknown, human: () => string): void {
  process.stdout.write(json ? JSON.stringify(value, jsonNumbers, 2) + '\n' : human() + '\n');
}

/** JSON has no NaN/Infinity: write them as null (documented in the README). */
function jsonNumbers(_key: string, value: unknown): unknown {
  return typeof value === 'number' && !Number.isFinite(value) ? null : value;
}

function designOptions(cmd: Command): Command {
  return cmd
    .option('--b <b>', 'fan-in: integer ≥ 2, even b breaks ties at random (a star over N leaves is b = N, depth 1)')
    .option('--gamma <γ>', 'message fidelity γ in [0, 1] (§B3)')
    .option('--m <tokens>', 'message length; γ = fidelity(m) with --fidelity')
    .option('--fidelity <curve>', 'constant:γ | saturating:γ∞,m0 | rational:γ∞,m0 | table:m1=γ1,…')
    .option('--rho <ρ>', 'shared-failure correlation in [0, 1] (§B4)')
    .option('--u0 <u>', 'leaf bias u0 = 2p − 1 in [-1, 1] (§B1)')
    .option('--p0 <p>', 'leaf accuracy p0 in [0, 1] (instead of --u0)')
    .option('--depth <L>', 'tree depth L ≥ 0');
}

/** Answers, distractors and aggregation rule (§H1, §H7); with K ≠ 2, --u0 is the leaf skill s and --p0 its accuracy. */
function taskOptions(cmd: Command): Command {
  return cmd
    .option('--answers <K>', 'number of possible answers K ≥ 2, or open (§H1); default 2')
    .option('--distractor <profile>', 'symmetric | dominant:δ (share δ of the wrong mass on one answer), §H1')
    .option('--aggregator <rule>', 'plurality | judge:v (verification skill v in [0, 1]), §H7');
}

export function program(): Command {
  const root = new Command('synergy')
    .description('Will adding agents help under this budget? Exact predictions (arXiv 2601.17311), Monte Carlo checks, sweeps, design search.')
    .version('0.1.0')
    .exitOverride()
    .configureOutput({ outputError: () => {} }); // main() prints usage errors as one line

  taskOptions(designOptions(root.command('analyze').description('theory for one design: α_ρ, regime, s, u*, u_L, mixing depth, clipped predictor, critical ρ and γ')))
    .option('--rho-task <ρ_task>', 'organization-wide shared failure in [0, 1] (§I1): with this probability every leaf casts one vote')
    .option('--dispersion <φ>', 'task difficulty (§I2): per task the leaf accuracy ~ Beta with mean p0 and dispersion φ in [0, 1); adds the expected root accuracy over tasks')
    .option('--plot <file.svg|file.png>', 'trajectory figure: exact u_L and clipped û_L for L = 0 … depth')
    .option('--json', 'machine-readable output')
    .action(async (o) => {
      if (o.plot !== undefined) await checkWritableFile('--plot', o.plot);
      const a = analyze(o);
      if (o.plot !== undefined) {
        const { level, u0, depth, task } = resolveDesign(o);
        const binary = task.answers === 2 && level.aggregator === undefined;
        await writeFigure(o.plot, binary ? trajectoryFigure({ level, u0, depth }) : answersTrajectoryFigure(o));
      }
      print(!!o.json, a, () => formatAnalysis(a));
    });

  designOptions(root.command('simulate').description('the same design by Monte Carlo (§D), beside the exact value'))
    .option('--trials <n>', 'Monte Carlo trials', '100000')
    .option('--rho-task <ρ_task>', 'organization-wide shared failure in [0, 1] (§I1), drawn once per trial; full mode, standard variant')
    .addOption(new Option('--mode <mode>', "'full' draws every leaf; 'levels' one population per level").default('full'))
    .option('--variant <v>', 'standard | channelAfterCopy | heterogeneous:betaA,betaB (§D2)', 'standard')
    .option('--seed <n>', 'master seed (§D4)', String(DEFAULT_SEED))
    .option('--workers <n>', 'worker threads sharing the trials (same counts for any number; default: 1 under a second, else all cores)')
    .option('--yes', `start even when estimated over ${MAX_UNCONFIRMED_SECONDS / 60} minutes`)
    .option('--plot <file.svg|file.png>', 'trajectory figure with one simulation per depth L = 1 … depth (±2σ bars)')
    .option('--answers <K>', 'K answers or open (§H1); then --u0 is the leaf skill s, --p0 its accuracy', '2')
    .option('--distractor <d>', 'symmetric | dominant:δ | p1,…,p(K−1), a probability vector over the wrong answers (§H1)', 'symmetric')
    .option('--aggregator <a>', 'plurality | judge:v (§H7)', 'plurality')
    .option('--json', 'machine-readable output')
    .action(async (o) => {
      if (wantsPlurality(o)) {
        if (o.plot !== undefined) throw new InvalidParameterError('--plot', 'absent with --answers, --distractor, --aggregator or an even --b', o.plot);
        const r = simulatePluralityCli(o);
        print(!!o.json, r, () => formatPluralitySimulation(r));
        return;
      }
      if (o.plot !== undefined) await checkWritableFile('--plot', o.plot);
      const r = await simulate(o, { plan: (line) => process.stderr.write(line + '\n'), onProgress: progressReporter('simulate', 'chunks') });
      if (o.plot !== undefined) {
        const { level, u0, depth } = resolveDesign(o);
        await writeFigure(o.plot, trajectoryFigure({ level, u0, depth, variant: r.variant, simulation: { trials: r.trials, seed: r.seed, mode: r.mode } }));
      }
      print(!!o.json, r, () => formatSimulation(r));
    });

  root.command('design').description('SPEC §E: rank the single agent, stars, trees (and chains) for a budget and window')
    .option('--budget <B>', 'total tokens')
    .option('--window <W>', 'context window of one agent, tokens')
    .option('--overhead <W0>', "an aggregator's own prompt tokens", '0')
    .option('--m <m1,m2,…>', 'candidate message lengths, tokens')
    .option('--fidelity <curve>', 'binary: constant:γ | saturating:γ∞,m0 | rational:γ∞,m0 | table:m1=γ1,…')
    .option('--gamma <γ>', 'binary: a constant fidelity γ (the same as --fidelity constant:γ)')
    .option('--leaf <law>', 'binary leaf law: power:k,β[,gMax] | table:x1=u1,… (skill above chance)', 'power:0.002,0.5,1')
    .option('--chance <p>', 'binary: chance accuracy p_c; accuracy = p_c + (1 − p_c)·skill (default 0.5; with --answers K it is 1/K)')
    .option('--answers <K>', 'K answers or open: trees aggregate by plurality (§H); leaf law gives skill; default 2')
    .option('--distractor <profile>', 'symmetric | dominant:δ (§H1): with --answers K ≥ 3, a share δ of the wrong mass on one answer (exact two-number map for the root)')
    .option('--aggregator <rule>', 'plurality | judge:v (§H7)')
    .option('--rho <ρ>', 'shared-failure correlation')
    .option('--rho-task <ρ_task>', 'organization-wide correlation in [0, 1] (§I1); every organization is compared under the same (ρ, ρ_task)')
    .option('--dispersion <φ>', 'binary: task difficulty, leaf accuracy per task ~ Beta with mean from the leaf law and dispersion φ in [0, 1) (§I2)')
    .option('--continuous', 'the averaging model of §C (risk = MSE) instead of majority votes')
    .option('--noise <curve>', 'continuous: constant:σ² | exponential:σ0²,m0 | power:σ0²,m0,κ | table:m1=σ²1,…')
    .option('--v1 <v1>', 'continuous leaf variance law v(x) = v1·x^(−β)', '1')
    .option('--beta <β>', 'continuous leaf exponent β')
    .option('--top <n>', 'rows to show', '15')
    .option('--max-fan-in <b>', 'binary: widest star or tree fan-in ranked (default 1001; wider windows are cut, with a note)')
    .option('--json', 'machine-readable output (all rows)')
    .action((o) => {
      const top = parseInteger('top', o.top, 1);
      const r = design(o);
      print(!!o.json, r, () => formatDesign(r, top));
    });

  root.command('reproduce').description("rerun the paper's synthetic check (SPEC §F) and write a report")
    .option('--trials <n>', 'trials per point', '50000')
    .addOption(new Option('--mode <mode>', "'levels', or 'full' for full trees at depth 10 (depth 30 has 5^30 leaves: always levels)").default('levels'))
    .option('--axis <rho=0:0.5:count>', 'number of ρ points from 0 to 0.5', 'rho=0:0.5:51')
    .option('--seed <n>', 'master seed (§D4)', String(DEFAULT_SEED))
    .option('--workers <n>', 'worker threads (default: all cores)')
    .option('--answers <K|open>', 'the same check over K answers (§H): plurality trees, u0 = 0.05 read as leaf skill', '2')
    .option('--out <dir>', 'output folder', './synergy-out')
    .option('--png', 'also write figure.png (needs the optional @resvg/resvg-js)')
    .option('--json', 'machine-readable summary on stdout')
    .action(async (o) => {
      const answers = parseAnswers(o.answers);
      const match = /^rho=0:0\.5:(\d+)$/.exec(o.axis);
      if (!match || Number(match[1]) < 2) throw new InvalidParameterError('--axis', 'rho=0:0.5:count with count ≥ 2 (§F fixes the range)', o.axis);
      await checkWritableDirectory('--out', o.out);
      const s = await reproduce({
        trials: parseInteger('trials', o.trials, 1), seed: parseInteger('seed', o.seed, 0), mode: parseMode(o.mode),
        workers: o.workers === undefined ? undefined : parseInteger('workers', o.workers, 1),
        rhoPoints: Number(match[1]), out: o.out, png: !!o.png, onProgress: progressReporter('reproduce'), answers,
      });
      print(!!o.json, s, () => [resultsTable(s.rows, answers === 2 ? 'u' : 's'), '', ...summaryLines(s), `report: ${o.out}/report.md, figure: ${o.out}/figure.svg${o.png ? ` and ${o.out}/figure.png` : ''}`].join('\n'));
    });

  root.command('calibrate').description('SPEC §G: fit the leaf law (β), message fidelity γ(m) and shared failure ρ from data, with intervals')
    .option('--leaf <file.csv>', 'leaf data: x,right,trials (counts) or x,accuracy (§G3)')
    .option('--correlation <file.csv>', 'correctness matrix: a header of agent names, one row per task, cells 1/0/empty (§G1)')
    .option('--fidelity <file.csv>', 'fidelity counts: m,agree,total (§G2)')
    .option('--samples <file.csv>', 'tasks × samples (or agents), cells 1/0/empty or answer texts: shared failure vs difficulty and the voting curve (§I3, §I4; a mode of its own)')
    .option('--answer-column <column>', 'with --samples: the column holding each task\'s right answer; the other cells are answer texts (open answers, plurality)')
    .option('--skip-short', 'with --samples: leave out tasks with fewer than 3 answers (default: an error)')
    .option('--max-n <N>', 'with --samples: largest N of the fitted voting curve (default max(25, answers per task); at most 201)')
    .option('--task-column <column>', 'a task-id column of the correctness matrix (not an agent)')
    .option('--chance <p>', 'chance accuracy p_c of the tasks (leaf data, correctness matrix): 0.5 binary decisions, 0 open answers', '0.5')
    .option('--leaf-x <column>', 'leaf compute column', 'x')
    .option('--leaf-accuracy <column>', 'leaf accuracy column (default accuracy, when there are no right/trials columns)')
    .option('--leaf-right <column>', 'leaf right-count column', 'right')
    .option('--leaf-trials <column>', 'leaf trial-count column', 'trials')
    .option('--leaf-percent', 'leaf accuracies are percentages (0–100)')
    .option('--leaf-group <column>', 'fit one leaf law per value of this column')
    .option('--seed <n>', 'bootstrap seed', String(DEFAULT_SEED))
    .option('--bootstrap <n>', 'bootstrap resamples (0: no intervals)', '1000')
    .option('--level <q>', 'interval level', '0.95')
    .option('--out <dir>', 'folder for the diagnostic figures', './synergy-calibrate')
    .option('--no-plots', 'write no figures')
    .option('--b <b>', 'fan-in for the printed analyze command', '5')
    .option('--depth <L>', 'depth for the printed analyze command', '10')
    .option('--m <tokens>', 'message length for the printed commands (default: measured lengths)')
    .option('--budget <B>', 'budget for the printed design command')
    .option('--window <W>', 'context window for the printed design command')
    .option('--json', 'machine-readable output')
    .action(async (o) => {
      checkSamplesOnlyFlags(o);
      if (o.samples !== undefined) {
        const s = await calibrateSamples(o);
        print(!!o.json, s, () => formatSamplesCalibration(s));
        return;
      }
      const c = await calibrate(o);
      print(!!o.json, c, () => formatCalibration(c));
    });

  root.command('predict').description('SPEC §J1–§J2: from a measured single agent (accuracy at budget B) to stars and trees at the same budget, and p†')
    .option('--single-accuracy <p>', 'measured single-agent accuracy p_S in [0, 1] at --budget')
    .option('--chance <p>', 'chance accuracy p_c of the task: 0.5 binary decisions (default), 1/K for K answers (default with --answers), 0 open answers')
    .option('--answers <K>', 'K answers or open: organizations aggregate by plurality (§H); default 2')
    .option('--distractor <profile>', 'symmetric | dominant:δ (share δ of the wrong mass on one answer), §H1')
    .option('--aggregator <rule>', 'plurality | judge:v (verification skill v in [0, 1]), §H7')
    .option('--rho-task <ρ_task>', 'organization-wide correlation in [0, 1] (§I1): with this probability per task every leaf casts one answer')
    .option('--dispersion <φ>', 'task difficulty: leaf accuracy per task ~ Beta with the leaf\'s mean and dispersion φ in [0, 1) (§I2)')
    .option('--budget <B>', 'the budget (tokens) at which p_S was measured')
    .option('--beta <β>', 'leaf scaling exponent β > 0 (§B2)')
    .option('--calibration <file.json>', 'a `synergy calibrate --json` file: β, ρ and the fidelity curve (flags override), intervals propagated')
    .option('--star <N,…>', 'stars of N agents read by one aggregator (even N: random tie-break)')
    .option('--tree <b^L|b1xb2x…,…>', 'trees: uniform b^L or per-level fan-ins from the leaves up')
    .option('--best', 'the §E search (needs --window and --m > 0)')
    .option('--gamma <γ>', 'constant message fidelity γ in [0, 1]')
    .option('--fidelity <curve>', 'constant:γ | saturating:γ∞,m0 | rational:γ∞,m0 | table:m1=γ1,…')
    .option('--m <tokens>', 'message length (default 0: free messages)')
    .option('--rho <ρ>', 'shared-failure correlation in [0, 1] (§B4)')
    .option('--window <W>', 'context window of one agent, tokens (default: unlimited)')
    .option('--overhead <W0>', "an aggregator's own prompt tokens", '0')
    .option('--plot <file.svg|file.png>', 'predicted accuracy against single-agent accuracy, p† marked')
    .option('--json', 'machine-readable output')
    .action(async (o) => {
      if (o.plot !== undefined) await checkWritableFile('--plot', o.plot);
      const r = await predict(o);
      if (o.plot !== undefined) await writeFigure(o.plot, predictionFigure(r));
      print(!!o.json, r, () => formatPrediction(r));
    });

  root.command('validate').description('SPEC §J4: cross-validate the theory on a matched-budget table against baselines')
    .argument('<table.csv>', 'one row per (group, organization); pandas to_csv output works')
    .option('--group <columns>', 'group columns, comma-separated (clusters of the bootstrap), e.g. benchmark,model')
    .option('--organization <column>', 'organization column', 'organization')
    .option('--single <column>', 'single-agent accuracy column (same budget)', 'single')
    .option('--accuracy <column>', "the organization's accuracy column", 'accuracy')
    .option('--n <column>', 'instances behind each accuracy', 'n')
    .option('--agents <column>', 'agents N of the organization', 'agents')
    .option('--chance <p|column>', 'chance accuracy: a number in [0, 1) or a column')
    .option('--holdout <column>', 'leave one value of this column out at a time')
    .option('--by <column>', 'fit the theory per organization and value of this column')
    .option('--aggregator <rule>', 'plurality (the voter model) | judge: also cross-validate the §H7 judge variant (v fitted per organization) side by side')
    .option('--compare-chance <p,…>', 'also cross-validate the theory with these chance levels instead of the table\'s (variants side by side)')
    .option('--percent', 'accuracies are percentages (0–100)')
    .option('--bootstrap <n>', 'cluster-bootstrap resamples', '2000')
    .option('--level <q>', 'interval level', '0.95')
    .option('--seed <n>', 'bootstrap seed', String(DEFAULT_SEED))
    .option('--plot <file.svg|file.png>', 'held-out predicted vs observed, and every model\'s error')
    .option('--json', 'machine-readable output')
    .action(async (file, o) => {
      if (o.plot !== undefined) await checkWritableFile('--plot', o.plot);
      const r = await validate(file, o);
      if (o.plot !== undefined) await writeFigure(o.plot, validationFigure(r));
      print(!!o.json, r, () => formatValidation(r));
    });

  registerSweepCommands(root);
  registerClusterCommand(root);
  registerWorkerCommand(root);
  for (const cmd of root.commands) cmd.exitOverride().configureOutput({ outputError: () => {} });
  return root;
}

/**
 * stdout closed early (`… --json | head -c 10`) or full (/dev/full): exit quietly with the status
 * a shell gives a process killed by SIGPIPE, or print one line, instead of Node's unhandled-error stack.
 */
function guardStdout(): void {
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(141);
    process.stderr.write(`synergy: cannot write stdout: ${error.message}\n`);
    process.exit(1);
  });
}

/** Library parameter names whose flag is spelt differently (the rest are `--<name>`). */
const FLAG_OF: Record<string, string> = { messageLengths: '--m', depths: '--depth', leafLaw: '--leaf', tree: '--b', level: '--b' };

/**
 * A library error that escaped a command names a library field (`fidelity.gammaInf`, `window`,
 * `messageLengths[0]`): say it with the command's flag instead, when the command has one.
 */
function asFlagError(root: Command, command: string | undefined, error: InvalidParameterError): InvalidParameterError {
  if (error.parameter.startsWith('-') || error.parameter === 'merge') return error;
  const cmd = root.commands.find((c) => c.name() === command);
  const base = error.parameter.replace(/[.[].*$/, '');
  const flag = FLAG_OF[base] ?? `--${base}`;
  if (!cmd?.options.some((o) => o.long === flag)) return error;
  const detail = error.parameter === base ? '' : ` (${error.parameter.slice(base.length).replace(/^\./, '')})`;
  return new InvalidParameterError(flag, `${error.allowed}${detail}`, error.value);
}

/** Flags that may be given more than once; any other repeated flag is a usage error (issue 16). */
const REPEATABLE = new Set(['--axis']);

/** `--b 5 --b 7` would silently keep the last value: refuse it, naming the flag and both values. */
function rejectRepeatedFlags(root: Command, argv: string[]): void {
  const cmd = root.commands.find((c) => c.name() === argv[0]);
  if (!cmd) return;
  const takesValue = new Map(cmd.options.map((o) => [o.long, o.required || o.optional]));
  const seen = new Map<string, string>();
  for (let i = 1; i < argv.length; i++) {
    if (argv[i] === '--') break;
    const [flag, inline] = argv[i].split(/=(.*)/s, 2);
    if (!takesValue.has(flag)) continue;
    const value = inline ?? (takesValue.get(flag) ? argv[++i] ?? '' : 'on');
    if (seen.has(flag) && !REPEATABLE.has(flag)) throw new InvalidParameterError(flag, 'given once', `${seen.get(flag)} and ${value}`);
    seen.set(flag, value);
  }
}

export async function main(argv: string[]): Promise<number> {
  const root = program();
  guardStdout();
  if (argv.length === 0) {
    // No command is a usage error: the help goes to stderr and the status is 2.
    process.stderr.write(root.helpInformation());
    return 2;
  }
  try {
    rejectRepeatedFlags(root, argv);
    await root.parseAsync(argv, { from: 'user' });
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version are "errors" to commander; they already printed.
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help') return 0;
      const cmd = root.commands.find((c) => c.name() === argv[0]);
      const message = error.message.replace(/^error: /, '').replace(/\s*\n\s*/g, ' '); // one line
      const allowed = error.code === 'commander.unknownOption' && cmd
        ? `; allowed: ${cmd.options.map((o) => o.long).join(' ')}`
        : error.code === 'commander.unknownCommand' ? `; commands: ${root.commands.map((c) => c.name()).join(', ')}` : '';
      process.stderr.write(`synergy: ${message}${allowed}\n`);
      return 2;
    }
    if (error instanceof InterruptedError) {
      process.stderr.write(`\nsynergy: ${error.message}\n`);
      return error.exitCode;
    }
    if (error instanceof MissingPlottingError) {
      process.stderr.write(`synergy: ${error.message}\n`);
      return 2;
    }
    if (error instanceof InvalidParameterError) {
      process.stderr.write(`synergy: ${asFlagError(root, argv[0], error).message}\n`);
      return 2;
    }
    process.stderr.write(`synergy: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}

process.exitCode = await main(process.argv.slice(2));
