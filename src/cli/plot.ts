// Figures as SVG, rendered by Vega without a browser (the SVG renderer needs no canvas). Fixed
// inputs give the same bytes: no timestamps, no random ids, numbers formatted by the specs.
import * as vega from 'vega';
import * as vegaLite from 'vega-lite';

/** Renders a Vega-Lite spec to SVG (deterministic bytes for fixed input). */
export async function render(spec: vegaLite.TopLevelSpec): Promise<string> {
  const view = new vega.View(vega.parse(vegaLite.compile(spec).spec), { renderer: 'none' });
  const svg = await view.toSVG();
  view.finalize();
  return svg + '\n';
}

/** One rectangle [x, x2) × [y, y2) of a heatmap. */
export interface HeatmapCell {
  x: number;
  x2: number;
  y: number;
  y2: number;
  value: number;
}

/**
 * A phase diagram: `value` coloured over (x, y) with a colour legend, and the critical line α_ρ = 1
 * (given as points) drawn over it.
 */
export function phaseDiagram(p: {
  title: string; cells: HeatmapCell[]; xTitle: string; yTitle: string; valueTitle: string;
  criticalLine: { x: number; y: number }[];
}): Promise<string> {
  return render({
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: p.title,
    width: 480,
    height: 360,
    config: { axis: { grid: false } },
    resolve: { scale: { color: 'independent' } },
    layer: [
      {
        data: { values: p.cells.filter((c) => Number.isFinite(c.value)) },
        mark: { type: 'rect' },
        encoding: {
          x: { field: 'x', type: 'quantitative', title: p.xTitle, scale: { zero: false, nice: false } },
          x2: { field: 'x2' },
          y: { field: 'y', type: 'quantitative', title: p.yTitle, scale: { zero: false, nice: false } },
          y2: { field: 'y2' },
          color: { field: 'value', type: 'quantitative', title: p.valueTitle, scale: { scheme: 'viridis' } },
        },
      },
      {
        data: { values: p.criticalLine.map((c, i) => ({ ...c, i, label: 'critical line α_ρ = 1' })) },
        mark: { type: 'line', strokeWidth: 2, strokeDash: [6, 3] },
        encoding: {
          x: { field: 'x', type: 'quantitative' },
          y: { field: 'y', type: 'quantitative' },
          order: { field: 'i' },
          color: { field: 'label', type: 'nominal', title: null, scale: { range: ['#e4572e'] }, legend: { symbolType: 'stroke', symbolDash: [6, 3], labelLimit: 300 } },
        },
      },
    ],
  } as vegaLite.TopLevelSpec);
}

export interface SeriesPoint {
  x: number;
  y: number;
  series: string;
  /** Standard error for error bars (simulated series). */
  err?: number;
}

/** Lines (exact, clipped) and points with ±2σ error bars (simulated), with a legend; optional vertical rule. */
export function seriesPlot(p: {
  title: string; points: SeriesPoint[]; xTitle: string; yTitle: string; rule?: { x: number; label: string }; integerX?: boolean;
}): Promise<string> {
  const lines = p.points.filter((q) => q.err === undefined);
  const dots = p.points.filter((q) => q.err !== undefined).map((q) => ({ ...q, lo: q.y - 2 * q.err!, hi: q.y + 2 * q.err! }));
  const color = { field: 'series', type: 'nominal' as const, title: null, legend: { labelLimit: 400 } };
  const y = (field: string) => ({ field, type: 'quantitative' as const, title: p.yTitle });
  const layers: object[] = [
    {
      data: { values: lines },
      mark: { type: 'line', point: false },
      encoding: { x: { field: 'x', type: 'quantitative', title: p.xTitle, ...(p.integerX ? { axis: { format: 'd', tickMinStep: 1 } } : {}) }, y: y('y'), color },
    },
  ];
  if (dots.length > 0) {
    layers.push(
      { data: { values: dots }, mark: { type: 'errorbar', ticks: true }, encoding: { x: { field: 'x', type: 'quantitative' }, y: y('lo'), y2: { field: 'hi' }, color } },
      { data: { values: dots }, mark: { type: 'point', filled: true, size: 30 }, encoding: { x: { field: 'x', type: 'quantitative' }, y: y('y'), color } },
    );
  }
  if (p.rule) {
    layers.push(
      { data: { values: [p.rule] }, mark: { type: 'rule', strokeDash: [4, 4], color: 'gray' }, encoding: { x: { field: 'x', type: 'quantitative' } } },
      { data: { values: [p.rule] }, mark: { type: 'text', align: 'left', dx: 4, dy: -150, color: 'gray' }, encoding: { x: { field: 'x', type: 'quantitative' }, text: { field: 'label' } } },
    );
  }
  return render({ $schema: 'https://vega.github.io/schema/vega-lite/v6.json', title: p.title, width: 480, height: 320, layer: layers } as vegaLite.TopLevelSpec);
}
