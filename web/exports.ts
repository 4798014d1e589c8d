// Exports of what the page shows (issue 15): each figure (SVG and PNG) and the current data (CSV,
// JSON). The data builders are pure (tested in Node); `download` hands a Blob to the browser.
import { REGIME_CODES, type MonteCarloPoint, type TheoryResult } from './compute.ts';

/** Finite numbers as themselves, anything else (NaN, ±∞) as null: valid JSON, empty CSV cells. */
const finite = (x: number | null | undefined): number | null => (x === null || x === undefined || !Number.isFinite(x) ? null : x);

/** One row per depth ℓ = 0 … L: exact u_ℓ, clipped û_ℓ and, where simulated, the Monte Carlo bias and its standard error. */
export function trajectoryRows(theory: TheoryResult, points: readonly MonteCarloPoint[]) {
  return theory.exact.map((exact, depth) => {
    const p = points.find((q) => q.depth === depth);
    return { depth, exact: finite(exact), clipped: finite(theory.clipped?.[depth]), simulated: finite(p?.bias), stdError: finite(p?.stdError), trials: p?.trials ?? null };
  });
}

export function trajectoryCsv(theory: TheoryResult, points: readonly MonteCarloPoint[]): string {
  const rows = trajectoryRows(theory, points);
  const cols = ['depth', 'exact', 'clipped', 'simulated', 'stdError', 'trials'] as const;
  return [cols.join(','), ...rows.map((r) => cols.map((c) => (r[c] === null ? '' : String(r[c]))).join(','))].join('\n') + '\n';
}

/** Everything needed to redraw the page: the query (the page's URL state), the level, the scalars, the trajectory and the phase grid. */
export function currentDataJson(query: string, theory: TheoryResult, points: readonly MonteCarloPoint[]): string {
  const grid = theory.grid;
  return JSON.stringify({
    query,
    level: theory.level, u0: theory.u0, chance: theory.chance,
    alpha: finite(theory.alpha), s: finite(theory.s), uStar: finite(theory.uStar), regime: theory.regime, trend: theory.trend,
    fixedPoints: theory.fixedPoints.map((f) => ({ skill: f.value, accuracy: theory.chance + (1 - theory.chance) * f.value, stable: f.stable, stability: f.stability })),
    threshold: theory.threshold,
    criticalGamma: finite(theory.criticalGamma), criticalRho: finite(theory.criticalRho), bistableGamma: finite(theory.bistableGamma),
    mixingDepth: theory.mixingDepth, mixingDepthSmallSignal: finite(theory.mixingDepthSmallSignal),
    trajectory: trajectoryRows(theory, points),
    phaseGrid: {
      axis: grid.axis, order: 'row-major over (γ, ρ), ρ index fastest',
      alpha: Array.from(grid.alpha, finite), s: Array.from(grid.s, finite), uStar: Array.from(grid.uStar, finite), uL: Array.from(grid.uL, finite),
      regime: Array.from(grid.regime, (r) => REGIME_CODES[r]),
    },
  }, null, 1) + '\n';
}

/** An SVG element as a standalone file (its presentation attributes are inline; text styles added). */
export function svgFile(svg: SVGSVGElement): string {
  const copy = svg.cloneNode(true) as SVGSVGElement;
  copy.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
  const style = document.createElementNS('http://www.w3.org/2000/svg', 'style');
  style.textContent = 'text { font: 11px sans-serif; fill: #333; }';
  copy.prepend(style);
  return '<?xml version="1.0" encoding="UTF-8"?>\n' + new XMLSerializer().serializeToString(copy) + '\n';
}

/** An SVG string drawn onto a canvas at `scale` (for PNG export of an SVG figure). */
export async function svgToCanvas(svgText: string, width: number, height: number, scale = 2): Promise<HTMLCanvasElement> {
  const url = URL.createObjectURL(new Blob([svgText], { type: 'image/svg+xml' }));
  try {
    const img = new Image();
    img.src = url;
    await img.decode();
    const canvas = document.createElement('canvas');
    canvas.width = width * scale;
    canvas.height = height * scale;
    const ctx = canvas.getContext('2d')!;
    ctx.fillStyle = 'white';
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    ctx.drawImage(img, 0, 0, canvas.width, canvas.height);
    return canvas;
  } finally {
    URL.revokeObjectURL(url);
  }
}

/** A canvas as an SVG file: the raster embedded as one <image> (the heatmap is a raster). */
export function canvasSvgFile(canvas: HTMLCanvasElement): string {
  const { width, height } = canvas;
  return `<?xml version="1.0" encoding="UTF-8"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">`
    + `<image width="${width}" height="${height}" href="${canvas.toDataURL('image/png')}"/></svg>\n`;
}

export function canvasPng(canvas: HTMLCanvasElement): Promise<Blob> {
  return new Promise((resolve, reject) => canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('canvas.toBlob failed'))), 'image/png'));
}

export function download(name: string, data: Blob | string, type = 'text/plain'): void {
  const blob = typeof data === 'string' ? new Blob([data], { type }) : data;
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
