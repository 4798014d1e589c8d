// The command lines that compute what the page shows — `synergy analyze` for the current design and
// `synergy design` for the §E table — so a view can be taken to a terminal, a script or a sweep.
// Tested by running them and comparing with the page's own computations (test/web/commandLine.test.ts).
import { formatFidelityCurve } from 'budgeted-synergy';
import { fidelityCurve } from './compute.ts';
import type { ExplorerState } from './state.ts';

export interface CommandLines {
  analyze: string;
  design: string;
}

/** Flags of the task model and aggregation rule (§H1, §H7, §I1), only where they differ from the binary defaults. */
function taskFlags(state: ExplorerState, { distractor }: { distractor: boolean }): string {
  const flags: string[] = [];
  if (state.answers !== 2) flags.push(`--answers ${state.answers}`);
  if (distractor && state.answers !== 2 && state.distractor === 'dominant') flags.push(`--distractor dominant:${state.delta}`);
  if (state.aggregator === 'judge') flags.push(`--aggregator judge:${state.judge}`);
  if (state.rhoTask > 0) flags.push(`--rho-task ${state.rhoTask}`);
  return flags.map((f) => ` ${f}`).join('');
}

export function commandLines(state: ExplorerState): CommandLines {
  const channel = state.channel === 'gamma' ? `--gamma ${state.gamma}` : `--m ${state.m} --fidelity ${formatFidelityCurve(fidelityCurve(state))}`;
  const leaf = state.leaf === 'u0' ? `--u0 ${state.leafValue}` : `--p0 ${state.leafValue}`;
  // §I2: analyze then adds the expected root accuracy over tasks (the page's exact line); design ranks by it.
  const dispersion = state.dispersion > 0 ? ` --dispersion ${state.dispersion}` : '';
  return {
    analyze: `synergy analyze --b ${state.b} ${channel} --rho ${state.rho} ${leaf} --depth ${state.depth}${taskFlags(state, { distractor: true })}${dispersion}`,
    design: `synergy design --budget ${state.budget} --window ${state.window} --overhead ${state.overhead} --m ${state.lengths.join(',')} ` +
      `--fidelity ${formatFidelityCurve(fidelityCurve(state))} --leaf power:${state.k},${state.beta},${state.gMax} --rho ${state.rho}` +
      `${taskFlags(state, { distractor: false })}${dispersion}`,
  };
}
