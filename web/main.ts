// The explorer page: controls ↔ state ↔ URL, requests to the two workers, and drawing of whatever
// comes back for the latest input (older replies are dropped by request id).
import { accuracyFromSkill, fidelity } from 'budgeted-synergy';
import {
  AUTO_START_SECONDS, fidelityCurve, GRID_SIZE, monteCarloCost, monteCarloDepths, type DesignResult, type MonteCarloCost, type MonteCarloPoint, type TheoryResult,
} from './compute.ts';
import { commandLines } from './commandLine.ts';
import { drawDesign } from './designTable.ts';
import { count, duration, fmt, show } from './format.ts';
import { canvasPng, canvasSvgFile, currentDataJson, download, svgFile, svgToCanvas, trajectoryCsv } from './exports.ts';
import { Heatmap } from './heatmap.ts';
import type { MonteCarloReply, TheoryReply } from './protocol.ts';
import {
  convertLeafValue, defaultState, leafValueValid, minLeafSkill, parseState, RULES, sameValue, stateToQuery, type ExplorerState, type LeafQuality,
} from './state.ts';
import { drawTrajectory } from './trajectoryPlot.ts';
import { MonteCarloWorker, TheoryWorker } from './workers.ts';

type Field = keyof ExplorerState;

const $ = <T extends Element = HTMLElement>(selector: string) => document.querySelector<T>(selector)!;
const byTestId = (id: string) => $(`[data-testid="${id}"]`);

const parsed = parseState(location.search);
let state: ExplorerState = parsed.state;
let requestId = 0;
let theory: TheoryResult | null = null;
let design: DesignResult | null = null;
let points: MonteCarloPoint[] = [];
let plan: { depths: number[]; skipped: number } | null = null;
/** The planned work of the current input's Monte Carlo run, shown before and while it runs. */
let cost: MonteCarloCost | null = null;
/** When the current run was sent to the worker (0: not yet). */
let mcStarted = 0;
let mcTicker: ReturnType<typeof setInterval> | undefined;
/** Runs estimated to take longer than this get a warning in the status line. */
const LONG_RUN_SECONDS = 20;
let mcTimer: ReturnType<typeof setTimeout> | undefined;
/** The start of a run that waits for the Run button (estimated over AUTO_START_SECONDS), or null. */
let pendingStart: (() => void) | null = null;
/** Quiet time before a Monte Carlo run starts, and before the URL is rewritten. */
const MC_DELAY_MS = 150;
const URL_DELAY_MS = 250;
let urlTimer: ReturnType<typeof setTimeout> | undefined;
const results = $('#results');

showNotes(parsed.notes);

const heatmap = new Heatmap($<HTMLCanvasElement>('#heatmap'), $('#tooltip'), $('#heatmap-cell'), (gamma, rho) => {
  // Picking a cell sets γ directly (the cell is a γ, whatever the channel control said).
  update({ channel: 'gamma', gamma, rho });
}, () => [state.channel === 'gamma' ? state.gamma : theory?.level.gamma ?? state.gamma, state.rho]);

const theoryWorker = new TheoryWorker(onTheory, theoryFailed);
const mcWorker = new MonteCarloWorker(onMonteCarlo, monteCarloFailed);
// For the end-to-end tests (hover, injected worker crashes); its presence also tells index.html the page started.
(window as unknown as { explorer: unknown }).explorer = { heatmap, theoryWorker, mcWorker };

const controls = [...document.querySelectorAll<HTMLInputElement | HTMLSelectElement>('[data-field]')];
for (const control of controls) {
  control.addEventListener('input', () => onControl(control));
  control.addEventListener('change', () => onControl(control));
}
$('#reset').addEventListener('click', () => {
  state = defaultState();
  showNotes([]);
  syncControls();
  compute();
});
$('#copy-link').addEventListener('click', () => {
  void navigator.clipboard?.writeText(location.href).then(() => { $('#copy-link').textContent = 'Link copied'; }, () => {});
});
$<HTMLInputElement>('#design-all').addEventListener('change', () => renderDesign());

syncControls();
compute();

function showNotes(notes: string[]): void {
  const box = $('#notes');
  box.hidden = notes.length === 0;
  box.replaceChildren();
  if (notes.length === 0) return;
  box.append('Some values in the URL were not valid and were replaced by defaults:');
  const list = document.createElement('ul');
  for (const note of notes) {
    const item = document.createElement('li');
    item.textContent = note;
    list.append(item);
  }
  box.append(list);
}

function onControl(control: HTMLInputElement | HTMLSelectElement): void {
  const field = control.dataset.field as Field;
  const value = RULES[field].parse(control.value.trim());
  const valid = value !== undefined && (field !== 'leafValue' || leafValueValid(value as number, state.leaf, state.answers));
  control.setAttribute('aria-invalid', String(!valid));
  control.title = valid ? '' : `${RULES[field].key} must be ${RULES[field].allowed}`;
  if (!valid) return;
  if (sameValue(value, state[field])) return;
  const patch: Partial<ExplorerState> = { [field]: value };
  // Switching between skill and accuracy keeps the same leaves: p0 = p_c + (1 − p_c)·u0 (§H1; (1 + u0)/2 for K = 2).
  if (field === 'leaf') patch.leafValue = convertLeafValue(state.leafValue, value as LeafQuality, state.answers);
  // A skill below −1/(K − 1) does not exist for the new K: the leaves become the worst possible ones.
  if (field === 'answers' && state.leaf === 'u0') patch.leafValue = Math.max(state.leafValue, minLeafSkill(value as ExplorerState['answers']));
  update(patch, control);
}

function update(patch: Partial<ExplorerState>, source?: Element): void {
  state = { ...state, ...patch };
  syncControls(source);
  compute();
}

/** Writes the state into every control (except the one being typed in) and the URL. */
function syncControls(source?: Element): void {
  for (const control of controls) {
    if (control === source) continue;
    const field = control.dataset.field as Field;
    control.value = RULES[field].format(state[field]);
    control.removeAttribute('aria-invalid');
  }
  const p0 = state.leaf === 'p0';
  $('#q-label').textContent = p0 ? 'leaf accuracy p₀' : state.answers === 2 ? 'leaf bias u₀' : 'leaf skill s₀ (above chance)';
  for (const id of ['#q', '#q-range']) $<HTMLInputElement>(id).min = p0 ? '0' : String(minLeafSkill(state.answers));
  // With K = 2 the one wrong answer is the only distractor: the profile control has nothing to choose.
  $<HTMLSelectElement>('#distractor').disabled = state.answers === 2;
  for (const row of document.querySelectorAll<HTMLElement>('[data-when]')) {
    row.hidden = row.dataset.when === 'dominant' ? state.distractor !== 'dominant' || state.answers === 2 : row.dataset.when !== state.aggregator;
  }
  const pc = state.answers === 'open' ? 0 : 1 / state.answers;
  $('#chance-note').textContent = state.answers === 2 ? 'K = 2: the binary model of §B (chance 1/2, skill = bias u).'
    : `Chance accuracy p_c = ${state.answers === 'open' ? '0 (open answers)' : `1/${state.answers} = ${fmt(pc, 4)}`}; accuracy p = p_c + (1 − p_c)·skill.`;
  for (const group of document.querySelectorAll<HTMLElement>('[data-show]')) group.hidden = group.dataset.show !== state.channel;
  for (const row of document.querySelectorAll<HTMLElement>('[data-curve]')) row.hidden = (row.dataset.curve === 'table') !== (state.curve === 'table');
  // Browsers throttle (and warn about) more than ~100 history updates in 10 s: a dragged slider
  // rewrites the URL once it stops.
  clearTimeout(urlTimer);
  urlTimer = setTimeout(() => {
    const query = stateToQuery(state);
    history.replaceState(null, '', query ? `?${query}` : location.pathname);
  }, URL_DELAY_MS);
}

function compute(): void {
  const id = ++requestId;
  const query = stateToQuery(state);
  results.dataset.query = query;
  const cli = commandLines(state);
  byTestId('cli-analyze').textContent = cli.analyze;
  byTestId('cli-design').textContent = cli.design;
  byTestId('cli-note').textContent = [
    state.dispersion > 0 ? 'With --dispersion, analyze prints the mean task\'s u_L and, as E[accuracy_L] over tasks, the page\'s exact value (u_L = 2·E − 1).' : '',
    state.distractor === 'dominant' && state.answers !== 2 ? 'design ranks under symmetric distractors.' : '',
  ].filter(Boolean).join(' ');
  results.dataset.theory = 'running';
  results.dataset.mc = 'running';
  points = [];
  plan = null;
  const planned = monteCarloDepths(state);
  cost = monteCarloCost(state, planned.depths);
  mcStarted = 0;
  try {
    show($('#gamma-of-m'), fidelity(fidelityCurve(state), state.m));
  } catch {
    show($('#gamma-of-m'), null, '—');
  }
  theoryWorker.request({ id, state });
  // The simulation in flight stops now; the next one starts once the input has been still for a
  // moment, so dragging a slider does not start (and kill) a worker per input event.
  mcWorker.cancel();
  clearTimeout(mcTimer);
  const request = { id, state };
  const start = () => {
    mcStarted = performance.now();
    results.dataset.mc = 'running';
    mcWorker.request(request);
    updateMonteCarloButtons();
  };
  pendingStart = null;
  if (cost.seconds > AUTO_START_SECONDS) {
    results.dataset.mc = 'waiting';
    pendingStart = start;
  } else mcTimer = setTimeout(start, MC_DELAY_MS);
  updateMonteCarloButtons();
  // The status line counts the time while a long simulation has no point to report.
  mcTicker ??= setInterval(() => {
    if (results.dataset.mc === 'running') renderMonteCarloStatus();
    else {
      clearInterval(mcTicker);
      mcTicker = undefined;
    }
  }, 1000);
  renderMonteCarlo();
}

function onTheory(reply: TheoryReply): void {
  if (reply.id !== requestId) return;
  theory = reply.theory;
  if (!reply.partial) design = reply.design;
  const theoryError = $('#theory-error');
  theoryError.hidden = reply.theoryError === null;
  theoryError.textContent = reply.theoryError ?? '';
  const designError = $('#design-error');
  if (reply.partial) $('#design-summary').textContent = 'Design search running…';
  designError.hidden = reply.designError === null;
  designError.textContent = reply.designError ?? '';
  const restarts = theoryWorker.restarts ? `; restarted ${theoryWorker.restarts}× after a failure` : '';
  $('#theory-status').textContent = reply.partial
    ? `Phase grid (${GRID_SIZE}×${GRID_SIZE}) and trajectory computed in ${reply.milliseconds.toFixed(0)} ms; design search running… (theory worker${restarts}).`
    : `Phase grid (${GRID_SIZE}×${GRID_SIZE}), trajectory and design search computed in ${reply.milliseconds.toFixed(0)} ms (theory worker${restarts}).`;
  if (reply.partial) {
    renderTheory();
    renderMonteCarlo();
    return;
  }
  renderTheory();
  renderDesign();
  renderMonteCarlo();
  results.dataset.theory = reply.theoryError === null && reply.designError === null ? 'done' : 'error';
}


function updateMonteCarloButtons(): void {
  $<HTMLButtonElement>('#mc-run').hidden = pendingStart === null;
  $<HTMLButtonElement>('#mc-stop').disabled = !(results.dataset.mc === 'running' && mcWorker.busy);
}

$('#mc-run').addEventListener('click', () => {
  const start = pendingStart;
  pendingStart = null;
  start?.();
  renderMonteCarlo();
});
$('#mc-stop').addEventListener('click', () => {
  clearTimeout(mcTimer);
  if (!mcWorker.stop()) return;
  results.dataset.mc = 'stopped';
  updateMonteCarloButtons();
  renderMonteCarlo();
});

function onMonteCarlo(reply: MonteCarloReply): void {
  if (reply.id !== requestId || results.dataset.mc === 'stopped') return;
  if (reply.type === 'plan') plan = { depths: reply.depths, skipped: reply.skipped };
  else if (reply.type === 'point') points.push(reply.point);
  else if (reply.type === 'done') {
    results.dataset.mc = 'done';
    updateMonteCarloButtons();
  }
  else {
    results.dataset.mc = 'error';
    $('#mc-status').classList.remove('warning');
    $('#mc-status').textContent = `Monte Carlo: ${reply.message}`;
    announce($('#mc-status').textContent!);
    return;
  }
  renderMonteCarlo();
}

/** The theory worker failed outside its own try: what it was computing is lost (see TheoryWorker in web/workers.ts). */
function theoryFailed(message: string, { lost, retrying }: { lost: boolean; retrying: boolean }): void {
  const status = $('#theory-status');
  status.dataset.restarts = String(theoryWorker.restarts);
  if (!lost) {
    status.textContent += ` The theory worker failed while idle (${message}); the next input starts a new one.`;
    return;
  }
  // Nothing shown belongs to the current input any more.
  theory = null;
  design = null;
  results.dataset.theory = retrying ? 'running' : 'error';
  const error = $('#theory-error');
  error.textContent = `The theory worker failed: ${message}${retrying ? ' — restarted it; computing again…' : ''}`;
  error.hidden = false;
  status.textContent = '';
  renderTheory();
  renderDesign();
  renderMonteCarlo();
}

function monteCarloFailed(message: string): void {
  results.dataset.mc = 'error';
  $('#mc-status').classList.remove('warning');
  $('#mc-status').textContent = `The montecarlo worker failed: ${message}`;
  announce($('#mc-status').textContent!);
}

function renderTheory(): void {
  if (!theory) {
    // No result for this input (an error, or the worker failed): clear the previous input's values.
    for (const id of ['gamma-used', 'alpha', 's', 'u-star', 'u-L', 'clipped-L', 'mixing', 'critical-gamma', 'critical-rho', 'chance', 'accuracy-L', 'threshold', 'bistable-gamma']) show(byTestId(id), null);
    for (const id of ['regime', 'trend', 'fixed-points']) byTestId(id).textContent = '—';
    heatmap.clear();
    return;
  }
  const t = theory;
  const L = state.depth;
  show(byTestId('gamma-used'), t.level.gamma);
  show(byTestId('alpha'), t.alpha);
  byTestId('regime').textContent = t.regime;
  show(byTestId('s'), t.s);
  show(byTestId('u-star'), t.uStar);
  show(byTestId('u-L'), t.exact[L]);
  const accuracy = (skill: number) => accuracyFromSkill(skill, state.answers);
  show(byTestId('chance'), t.chance);
  show(byTestId('accuracy-L'), accuracy(t.exact[L]));
  show(byTestId('clipped-L'), t.clipped ? t.clipped[L] : null, t.clipped ? `${fmt(t.clipped[L])} (${t.trend === 'falling' ? 'lower' : 'upper'} bound)` : 'binary map only');
  byTestId('trend').textContent = t.trend === 'falling'
    ? 'falling: u₀ > u*, the trajectory falls toward u* (the clipped predictor is a lower bound)'
    : 'growing (or washing out): the clipped predictor is an upper envelope';
  byTestId('trend').dataset.value = t.trend;
  const fp = byTestId('fixed-points');
  fp.textContent = t.fixedPoints.map((f) => `${f.stability === 'semi-stable (tangency)' ? '◐' : f.stable ? '●' : '○'} ${fmt(f.value, 5)} (p = ${fmt(accuracy(f.value), 5)})`).join(', ') || 'none (identity map)';
  fp.dataset.value = JSON.stringify(t.fixedPoints.map((f) => [f.value, f.stable]));
  show(byTestId('threshold'), t.threshold, t.threshold === null ? 'none (not bistable)' : `s† = ${fmt(t.threshold)} (p = ${fmt(accuracy(t.threshold))})`);
  show(byTestId('bistable-gamma'), t.bistableGamma);
  show(byTestId('mixing'), t.mixingDepth, t.mixingDepth === null ? 'none'
    : `${t.mixingDepth} levels (small-signal ${fmt(t.mixingDepthSmallSignal, 4)})`);
  show(byTestId('critical-gamma'), t.criticalGamma);
  show(byTestId('critical-rho'), Number.isNaN(t.criticalRho) ? null : t.criticalRho, Number.isNaN(t.criticalRho) ? 'none in [0, 1]' : fmt(t.criticalRho));
  if (t.regime === 'identity') {
    // γ = 1 with ρ = 1 or b = 2: every level copies its input (§B7, §H4), so s and the mixing depth
    // are undefined, not NaN. The wording of `synergy analyze`.
    byTestId('regime').textContent = `identity: the ${t.binary ? 'bias' : 'skill'} is carried unchanged at every level`;
    for (const id of ['s', 'mixing']) if (!Number.isFinite(Number(byTestId(id).dataset.value || NaN))) show(byTestId(id), null, 'undefined (identity map)');
  }
  const x = t.binary ? 'u' : 's';
  $('#heat-field-name').textContent = (state.field === 'uL' ? `${x}_L (L = ${L}, ${x}₀ = ${fmt(t.u0)}${state.rhoTask > 0 || state.dispersion > 0 ? '; at ρ_task = 0, fixed accuracy' : ''})`
    : state.field === 'uStar' ? 'u*' : 'the regime') + (state.field !== 'regime' && state.scale === 'log' ? ', log scale' : '');
  $('#heat-b').textContent = `${state.b}${t.binary ? '' : `, K = ${state.answers}${state.aggregator === 'judge' ? `, judge v = ${state.judge}` : ''}`}`;
  heatmap.draw({ theory: t, field: state.field, scale: state.scale });
}

function renderDesign(): void {
  if (design) {
    drawDesign($<HTMLTableElement>('#design-table'), byTestId('design-summary'), design, $<HTMLInputElement>('#design-all').checked);
    return;
  }
  $<HTMLTableElement>('#design-table').tBodies[0].replaceChildren();
  const summary = byTestId('design-summary');
  summary.textContent = '';
  delete summary.dataset.bestOrganization;
  delete summary.dataset.bestBias;
}

/**
 * The Monte Carlo status line: the planned work (votes = trials × Σ_ℓ b^ℓ for full trees, × Σ_ℓ b·ℓ
 * level by level, over the simulated depths) with a time estimate — from the typical rate until the
 * run has gone half a second, then from its own measured rate — and a warning for long runs.
 */
function renderMonteCarloStatus(): void {
  const status = $('#mc-status');
  const cancelled = mcWorker.cancelled ? ` Runs cancelled by newer input so far: ${mcWorker.cancelled}.` : '';
  status.dataset.cancelled = String(mcWorker.cancelled);
  const skippedCount = plan?.skipped ?? monteCarloDepths(state).skipped;
  const skipped = skippedCount ? ` ${skippedCount} deeper levels skipped: b^ℓ leaves exceed a full-tree simulation (use level by level).` : '';
  if (!cost) return;
  const depths = monteCarloDepths(state).depths;
  if (results.dataset.mc === 'waiting' || results.dataset.mc === 'stopped') {
    const work = `${count(cost.total)} votes (${state.trials.toLocaleString('en-US')} trials over ${depths.length} depths)`;
    status.classList.toggle('warning', results.dataset.mc === 'waiting');
    status.textContent = results.dataset.mc === 'waiting'
      ? `Monte Carlo (${state.mode}): planned ${work}, about ${duration(cost.seconds)} — over ${AUTO_START_SECONDS} s, so it waits for "Run Monte Carlo".${skipped}`
      : `Monte Carlo stopped after ${points.length} of ${depths.length} depths (${duration(mcStarted ? (performance.now() - mcStarted) / 1000 : 0)}); any new input starts again.${skipped}`;
    announce(status.textContent);
    return;
  }
  if (results.dataset.mc !== 'done' && results.dataset.mc !== 'running') return;
  const done = points.reduce((sum, p) => sum + (cost!.votes[depths.indexOf(p.depth)] ?? 0), 0);
  const elapsed = mcStarted ? (performance.now() - mcStarted) / 1000 : 0;
  const work = `${count(cost.total)} votes (${state.trials.toLocaleString('en-US')} trials × Σ ${state.mode === 'full' ? 'b^ℓ' : 'b·ℓ'} over ${depths.length} depths)`;
  status.dataset.votes = String(cost.total);
  if (results.dataset.mc === 'done') {
    status.classList.remove('warning');
    delete status.dataset.estimate;
    const rate = elapsed > 0 ? ` at ${count(cost.total / elapsed)} votes/s` : '';
    status.textContent = `Monte Carlo: ${points.length} depths, ${work} in ${duration(elapsed)}${rate} (${state.mode}).${skipped}${cancelled}`;
    announce(status.textContent);
    return;
  }
  const measured = elapsed >= 0.5 && done > 0;
  const left = (cost.total - done) / (measured ? done / elapsed : cost.total / cost.seconds);
  const estimate = elapsed + left;
  status.dataset.estimate = String(estimate);
  const long = estimate > LONG_RUN_SECONDS;
  status.classList.toggle('warning', long);
  const progress = mcStarted ? `${points.length} of ${depths.length} depths, ${count(done)} of ${work}, ${duration(elapsed)} so far, about ${duration(left)} left`
    : `planned ${work}, about ${duration(cost.seconds)}`;
  const warning = long ? ' Long run: level by level, fewer trials or a smaller depth is much faster (a new input stops it).' : '';
  status.textContent = `Monte Carlo (${state.mode}): ${progress}.${warning}${skipped}${cancelled}`;
  // The line above ticks every second while a run goes; screen readers hear only the plan (with its
  // warning) and the end, through a separate live region.
  if (!mcStarted) announce(status.textContent);
}

/** Sets the Monte Carlo live region (a polite status) when its text changes. */
function announce(text: string): void {
  const region = $('#mc-announce');
  if (region.textContent !== text) region.textContent = text;
}

function renderMonteCarlo(): void {
  renderMonteCarloStatus();

  const last = points.find((p) => p.depth === state.depth);
  show(byTestId('mc-L'), last ? last.bias : null, last ? `${fmt(last.bias)} ± ${fmt(2 * last.stdError, 3)}` : '…');
  const body = $<HTMLTableElement>('#mc-table').tBodies[0];
  body.replaceChildren(...points.map((p) => {
    const tr = document.createElement('tr');
    Object.assign(tr.dataset, { testid: 'mc-point', depth: String(p.depth), bias: String(p.bias), stdError: String(p.stdError), correct: String(p.correct), trials: String(p.trials) });
    for (const text of [String(p.depth), fmt(theory?.exact[p.depth]), fmt(p.bias), fmt(2 * p.stdError, 3), `${p.correct} / ${p.trials}`]) {
      const td = document.createElement('td');
      td.textContent = text;
      tr.append(td);
    }
    return tr;
  }));
  if (theory) drawTrajectory($<SVGSVGElement>('#trajectory'), theory, theory.exact.length === state.depth + 1 ? points : []);
  else $<SVGSVGElement>('#trajectory').replaceChildren();
}

// Exports (issue 15): each figure as SVG and PNG, and the data behind them as CSV (the trajectory)
// or JSON (everything, with the page's query so the state can be restored).
function shownPoints(): MonteCarloPoint[] {
  return theory && theory.exact.length === state.depth + 1 ? points : [];
}
for (const button of document.querySelectorAll<HTMLButtonElement>('[data-export]')) {
  button.addEventListener('click', async () => {
    const canvas = $<HTMLCanvasElement>('#heatmap');
    const svg = $<SVGSVGElement>('#trajectory');
    const kind = button.dataset.export;
    if (kind === 'phase-png') download('phase-diagram.png', await canvasPng(canvas));
    else if (kind === 'phase-svg') download('phase-diagram.svg', canvasSvgFile(canvas), 'image/svg+xml');
    else if (kind === 'trajectory-svg') download('trajectory.svg', svgFile(svg), 'image/svg+xml');
    else if (kind === 'trajectory-png') download('trajectory.png', await canvasPng(await svgToCanvas(svgFile(svg), svg.width.baseVal.value, svg.height.baseVal.value)));
    else if (!theory) return;
    else if (kind === 'data-csv') download('trajectory.csv', trajectoryCsv(theory, shownPoints()), 'text/csv');
    else if (kind === 'data-json') download('explorer-data.json', currentDataJson(stateToQuery(state), theory, shownPoints()), 'application/json');
  });
}
