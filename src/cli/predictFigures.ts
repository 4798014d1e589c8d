// Figures of §J: predicted accuracy against single-agent accuracy (predict), and held-out predicted
// against observed accuracy (validate).
import { predictMatched, saturationThreshold, type MatchedOrganization } from '../predict/matchedBudget.ts';
import type { PredictResult } from './predict.ts';
import type { ValidationResult } from '../predict/validate.ts';
import { render } from './plot.ts';

type Spec = Parameters<typeof render>[0];
const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';

/** predict --plot: one curve per organization over p_S ∈ [p_c, 1], the diagonal, p† and the measured p_S. */
export function predictionFigure(r: PredictResult): Promise<string> {
  const p = r.problem;
  const steps = 200;
  const curves: { x: number; y: number; series: string }[] = [];
  const marks: { x: number; y: number; series: string; label: string }[] = [];
  for (const row of r.rows) {
    if (!row.prediction.feasible) continue;
    const org: MatchedOrganization = row.prediction.fanIns.length === 1
      ? { kind: 'star', agents: row.prediction.fanIns[0] } : { kind: 'tree', fanIns: row.prediction.fanIns };
    for (let i = 0; i <= steps; i++) {
      const x = p.chance + ((1 - p.chance) * i) / steps;
      curves.push({ x, y: predictMatched(p, x, org).accuracy!, series: row.prediction.label });
    }
    const t = saturationThreshold(p, org);
    if (t.kind === 'crossing') marks.push({ x: t.value!, y: t.value!, series: row.prediction.label, label: `p† = ${t.value!.toFixed(3)}` });
    // §H5 bistable: below `from` the leaves are too weak to be lifted.
    if (t.from !== null) marks.push({ x: t.from, y: t.from, series: row.prediction.label, label: `helps from ${t.from.toFixed(3)}` });
  }
  curves.push({ x: p.chance, y: p.chance, series: 'single agent (diagonal)' }, { x: 1, y: 1, series: 'single agent (diagonal)' });
  const x = { field: 'x', type: 'quantitative', title: 'single-agent accuracy p_S at budget B', scale: { domain: [p.chance, 1] } };
  const y = { field: 'y', type: 'quantitative', title: 'predicted accuracy at the same budget' };
  const color = { field: 'series', type: 'nominal', title: null, legend: { labelLimit: 300 } };
  return render({
    $schema: SCHEMA,
    title: `Matched budget B = ${p.budget}: predicted accuracy (§J1) and p† (§J2)`,
    width: 480, height: 360,
    layer: [
      {
        data: { values: curves }, mark: { type: 'line' },
        encoding: { x, y, color, strokeDash: { condition: { test: "datum.series === 'single agent (diagonal)'", value: [5, 4] }, value: [1, 0] } },
      },
      { data: { values: marks }, mark: { type: 'point', filled: true, size: 70, shape: 'diamond' }, encoding: { x, y, color } },
      { data: { values: marks }, mark: { type: 'text', align: 'left', dx: 6, dy: -8 }, encoding: { x, y, text: { field: 'label' } } },
      {
        data: { values: [{ x: r.singleAccuracy, label: `measured p_S = ${r.singleAccuracy}` }] },
        mark: { type: 'rule', color: 'gray', strokeDash: [2, 3] }, encoding: { x: { field: 'x', type: 'quantitative' } },
      },
    ],
  } as unknown as Spec);
}

/** validate --plot: held-out predictions against observations, by organization, beside each model's error. */
export function validationFigure(r: ValidationResult): Promise<string> {
  const points = r.predictions.filter((p) => p.predicted.theory !== null).map((p) => ({
    observed: p.cell.accuracy, predicted: p.predicted.theory!, organization: p.cell.organization, group: p.cell.group,
  }));
  const lo = Math.min(...points.map((p) => Math.min(p.observed, p.predicted)));
  const hi = Math.max(...points.map((p) => Math.max(p.observed, p.predicted)));
  const errors = r.scores.map((s) => ({ model: s.model, mae: s.meanAbsoluteError }));
  return render({
    $schema: SCHEMA,
    title: 'Held-out groups: theory (§J3) against observed accuracy, and every model\'s error',
    hconcat: [
      {
        width: 380, height: 340,
        layer: [
          { data: { values: [{ x: lo, y: lo }, { x: hi, y: hi }] }, mark: { type: 'line', color: 'gray', strokeDash: [5, 4] },
            encoding: { x: { field: 'x', type: 'quantitative' }, y: { field: 'y', type: 'quantitative' } } },
          { data: { values: points }, mark: { type: 'point', filled: true, size: 40, opacity: 0.8 },
            encoding: {
              x: { field: 'observed', type: 'quantitative', title: 'observed accuracy', scale: { zero: false } },
              y: { field: 'predicted', type: 'quantitative', title: 'theory, predicted out of fold', scale: { zero: false } },
              color: { field: 'organization', type: 'nominal' }, tooltip: [{ field: 'group' }, { field: 'organization' }],
            } },
        ],
      },
      {
        width: 200, height: 340,
        data: { values: errors }, mark: { type: 'bar' },
        encoding: {
          x: { field: 'model', type: 'nominal', sort: null, title: null },
          y: { field: 'mae', type: 'quantitative', title: 'mean absolute error (held out)' },
          color: { condition: { test: "datum.model === 'theory'", value: '#1f77b4' }, value: '#aaaaaa' },
        },
      },
    ],
  } as unknown as Spec);
}
