// Figures as SVG (and PNG), rendered by Vega without a browser (the SVG renderer needs no canvas).
// Fixed inputs give the same bytes: no timestamps, no random ids, numbers formatted by the specs.
//
// Plotting is optional: vega and vega-lite (28 MB) are optionalDependencies, imported here on the
// first figure only, so the library and every command that draws nothing never load them. PNG goes
// through @resvg/resvg-js (prebuilt, no native build), optional too.
import { writeFile } from 'node:fs/promises';
import { deflateSync } from 'node:zlib';
import type * as VegaLite from 'vega-lite';

/** A figure was asked for but an optional plotting package is not installed (the CLI exits 2). */
export class MissingPlottingError extends Error {
  constructor(readonly packages: readonly string[], purpose: string) {
    super(`${purpose} needs ${packages.join(' and ')}, which ${packages.length > 1 ? 'are' : 'is'} not installed; run: npm install ${packages.join(' ')}`);
    this.name = 'MissingPlottingError';
  }
}

/** How modules are imported; tests swap it to simulate a missing package. */
export type ModuleImporter = (name: string) => Promise<unknown>;
let importer: ModuleImporter = (name) => import(name);
export function setModuleImporter(next: ModuleImporter | undefined): void {
  importer = next ?? ((name) => import(name));
  plotting = undefined;
}

function isMissing(error: unknown, name: string): boolean {
  const e = error as { code?: string; message?: string };
  return (e?.code === 'ERR_MODULE_NOT_FOUND' || e?.code === 'MODULE_NOT_FOUND') && (e.message ?? '').includes(name);
}

/** Imports optional packages, turning "not found" into one message naming every missing package. */
async function importOptional<T extends unknown[]>(names: readonly string[], purpose: string): Promise<T> {
  const results = await Promise.allSettled(names.map((n) => importer(n)));
  const missing = names.filter((n, i) => results[i].status === 'rejected' && isMissing((results[i] as PromiseRejectedResult).reason, n));
  if (missing.length > 0) throw new MissingPlottingError(missing, purpose);
  return results.map((r) => {
    if (r.status === 'rejected') throw r.reason;
    return r.value;
  }) as T;
}

type Vega = typeof import('vega');
let plotting: Promise<{ vega: Vega; vegaLite: typeof VegaLite }> | undefined;
function loadPlotting(): Promise<{ vega: Vega; vegaLite: typeof VegaLite }> {
  plotting ??= importOptional<[Vega, typeof VegaLite]>(['vega', 'vega-lite'], 'Drawing figures').then(([vega, vegaLite]) => ({ vega, vegaLite }));
  // A failed load is not cached: installing the packages fixes the next call.
  plotting.catch(() => (plotting = undefined));
  return plotting;
}

/** Renders a Vega-Lite spec to SVG (deterministic bytes for fixed input). */
export async function render(spec: VegaLite.TopLevelSpec): Promise<string> {
  const { vega, vegaLite } = await loadPlotting();
  const view = new vega.View(vega.parse(vegaLite.compile(spec).spec), { renderer: 'none' });
  const svg = await view.toSVG();
  view.finalize();
  return svg + '\n';
}

/** SVG → PNG at `scale` × the SVG's size (white background), via @resvg/resvg-js. */
export async function svgToPng(svg: string, scale = 2): Promise<Uint8Array> {
  const [resvg] = await importOptional<[{ Resvg: new (svg: string, o: object) => { render(): { asPng(): Uint8Array } } }]>(['@resvg/resvg-js'], 'PNG output');
  const Resvg = resvg.Resvg ?? (resvg as unknown as { default: typeof resvg }).default.Resvg;
  return new Resvg(svg, { background: 'white', fitTo: { mode: 'zoom', value: scale }, font: { loadSystemFonts: true } }).render().asPng();
}

/** Writes a figure: PNG when the path ends in .png, SVG otherwise. */
export async function writeFigure(path: string, svg: string | Promise<string>): Promise<void> {
  const text = await svg;
  await writeFile(path, /\.png$/i.test(path) ? await svgToPng(text) : text);
}

/** One rectangle [x, x2) × [y, y2) of a heatmap. */
export interface HeatmapCell {
  x: number;
  x2: number;
  y: number;
  y2: number;
  value: number;
}

/** PNG bytes of an RGBA image (8 bits per channel); rows equal to the one above use the Up filter. */
export function encodePng(width: number, height: number, rgba: Uint8Array): Uint8Array {
  const stride = width * 4;
  const raw = new Uint8Array((stride + 1) * height);
  for (let row = 0; row < height; row++) {
    const line = rgba.subarray(row * stride, (row + 1) * stride);
    const same = row > 0 && line.every((v, i) => v === rgba[(row - 1) * stride + i]);
    raw[row * (stride + 1)] = same ? 2 : 0; // Up filter of an identical row is all zeros
    if (!same) raw.set(line, row * (stride + 1) + 1);
  }
  const chunk = (type: string, data: Uint8Array): Buffer => {
    const head = Buffer.alloc(8);
    head.writeUInt32BE(data.length, 0);
    head.write(type, 4, 'latin1');
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
    return Buffer.concat([head, data, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 6, 0, 0, 0], 8); // 8-bit RGBA, deflate, no interlace
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw, { level: 9 })), chunk('IEND', new Uint8Array(0)),
  ]);
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** Index of the interval [lo_i, hi_i) (sorted, non-overlapping) that holds t, or −1. */
function locate(los: readonly number[], his: readonly number[], t: number): number {
  let a = 0;
  let b = los.length - 1;
  while (a <= b) {
    const mid = (a + b) >> 1;
    if (t < los[mid]) b = mid - 1;
    else if (t >= his[mid]) a = mid + 1;
    else return mid;
  }
  return -1;
}

/**
 * The heatmap as one raster image, `width`×`height` pixels, each pixel coloured by the cell under
 * its centre: no hairline seams between cells and a size bounded by the pixels, not the cells.
 */
function rasterize(cells: readonly HeatmapCell[], domain: { x: [number, number]; y: [number, number]; value: [number, number] },
  width: number, height: number, colour: (t: number) => string): Uint8Array {
  const xs = [...new Map(cells.map((c) => [c.x, c.x2])).entries()].sort((a, b) => a[0] - b[0]);
  const ys = [...new Map(cells.map((c) => [c.y, c.y2])).entries()].sort((a, b) => a[0] - b[0]);
  const xLo = xs.map((e) => e[0]);
  const xHi = xs.map((e) => e[1]);
  const yLo = ys.map((e) => e[0]);
  const yHi = ys.map((e) => e[1]);
  const grid = new Float64Array(xs.length * ys.length).fill(NaN);
  const xIndex = new Map(xLo.map((v, i) => [v, i]));
  const yIndex = new Map(yLo.map((v, i) => [v, i]));
  for (const c of cells) grid[yIndex.get(c.y)! * xs.length + xIndex.get(c.x)!] = c.value;
  const col = Array.from({ length: width }, (_, i) => locate(xLo, xHi, domain.x[0] + ((i + 0.5) / width) * (domain.x[1] - domain.x[0])));
  const row = Array.from({ length: height }, (_, j) => locate(yLo, yHi, domain.y[1] - ((j + 0.5) / height) * (domain.y[1] - domain.y[0])));
  const [vMin, vMax] = domain.value;
  const rgbCache = new Map<number, number[]>();
  const rgb = (v: number): number[] => {
    let c = rgbCache.get(v);
    if (!c) {
      const m = /rgb\((\d+), ?(\d+), ?(\d+)\)|#([0-9a-f]{6})/i.exec(colour(vMax > vMin ? (v - vMin) / (vMax - vMin) : 0.5))!;
      c = m[4] ? [0, 2, 4].map((k) => parseInt(m[4].slice(k, k + 2), 16)) : [Number(m[1]), Number(m[2]), Number(m[3])];
      rgbCache.set(v, c);
    }
    return c;
  };
  const out = new Uint8Array(width * height * 4);
  for (let j = 0; j < height; j++) {
    for (let i = 0; i < width; i++) {
      const v = row[j] < 0 || col[i] < 0 ? NaN : grid[row[j] * xs.length + col[i]];
      if (!Number.isFinite(v)) continue; // transparent where there is no value
      const [r, g, b] = rgb(v);
      out.set([r, g, b, 255], (j * width + i) * 4);
    }
  }
  return out;
}

/**
 * A phase diagram: `value` coloured over (x, y) with a colour legend, and the critical line α_ρ = 1
 * (given as points) drawn over it. The cells are one embedded PNG (see `rasterize`).
 */
export async function phaseDiagram(p: {
  title: string; cells: HeatmapCell[]; xTitle: string; yTitle: string; valueTitle: string;
  criticalLine: { x: number; y: number }[];
}): Promise<string> {
  const { vega } = await loadPlotting();
  const width = 480;
  const height = 360;
  const pixelRatio = 2; // sharp cell edges when the SVG is zoomed or rendered to PNG at 2×
  const finite = p.cells.filter((c) => Number.isFinite(c.value));
  const domain = {
    x: [Math.min(...p.cells.map((c) => c.x)), Math.max(...p.cells.map((c) => c.x2))] as [number, number],
    y: [Math.min(...p.cells.map((c) => c.y)), Math.max(...p.cells.map((c) => c.y2))] as [number, number],
    value: [Math.min(...finite.map((c) => c.value)), Math.max(...finite.map((c) => c.value))] as [number, number],
  };
  const png = encodePng(width * pixelRatio, height * pixelRatio, rasterize(p.cells, domain, width * pixelRatio, height * pixelRatio, vega.scheme('viridis')));
  const url = `data:image/png;base64,${Buffer.from(png).toString('base64')}`;
  const x = { field: 'x', type: 'quantitative' as const, title: p.xTitle, scale: { domain: domain.x, zero: false, nice: false } };
  const y = { field: 'y', type: 'quantitative' as const, title: p.yTitle, scale: { domain: domain.y, zero: false, nice: false } };
  return render({
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: p.title,
    width,
    height,
    config: { axis: { grid: false } },
    resolve: { scale: { color: 'independent' } },
    layer: [
      {
        data: { values: [{ x: domain.x[0], y: domain.y[1], url }] },
        mark: { type: 'image', width, height, align: 'left', baseline: 'top', aspect: false, smooth: false },
        encoding: { x, y, url: { field: 'url', type: 'nominal' } },
      },
      {
        // Invisible: carries the colour scale whose legend explains the image.
        data: { values: domain.value.map((value) => ({ value })) },
        mark: { type: 'point', opacity: 0 },
        encoding: { color: { field: 'value', type: 'quantitative', title: p.valueTitle, scale: { scheme: 'viridis', domain: domain.value, nice: false, zero: false } } },
      },
      {
        data: { values: p.criticalLine.map((c, i) => ({ ...c, i, label: 'critical line α_ρ = 1' })) },
        mark: { type: 'line', strokeWidth: 2, strokeDash: [6, 3], clip: true },
        encoding: {
          x: { field: 'x', type: 'quantitative' },
          y: { field: 'y', type: 'quantitative' },
          order: { field: 'i' },
          color: { field: 'label', type: 'nominal', title: null, scale: { range: ['#e4572e'] }, legend: { symbolType: 'stroke', symbolDash: [6, 3], labelLimit: 300 } },
        },
      },
    ],
  } as VegaLite.TopLevelSpec);
}

export interface SeriesPoint {
  x: number;
  y: number;
  series: string;
  /** Standard error for error bars (simulated series). */
  err?: number;
}

/** Colour-blind-safe, print-legible palette (Okabe–Ito), in series order. */
const PALETTE = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#000000'];

/**
 * Lines and points with ±2σ error bars (simulated), with a legend; optional vertical rule. Lines
 * whose series name says "clipped" are dashed, so exact and clipped curves stay distinguishable
 * where they overlap and in grey-scale print.
 */
export function seriesPlot(p: {
  title: string; points: SeriesPoint[]; xTitle: string; yTitle: string; rule?: { x: number; label: string }; integerX?: boolean;
}): Promise<string> {
  const lines = p.points.filter((q) => q.err === undefined);
  const dots = p.points.filter((q) => q.err !== undefined).map((q) => ({ ...q, lo: q.y - 2 * q.err!, hi: q.y + 2 * q.err! }));
  const names = [...new Set(p.points.map((q) => q.series))];
  // Series that differ only by "exact"/"clipped"/"simulated" (one depth, say) share a colour; the
  // dash and the points tell them apart, so the legend reads as families.
  const family = (n: string) => n.replace(/\b(exact|clipped|simulated)\b/gi, '').replace(/\(±2σ\)/, '').replace(/[ûu]_/g, 'u_').trim();
  const families = [...new Set(names.map(family))];
  const colourOf = (n: string) => PALETTE[families.indexOf(family(n)) % PALETTE.length];
  const legend = { labelLimit: 400, symbolType: 'stroke', symbolStrokeWidth: 2.5 };
  const color = { field: 'series', type: 'nominal' as const, title: null, sort: names, scale: { domain: names, range: names.map(colourOf) }, legend };
  const dashed = names.filter((n) => /clipped/i.test(n));
  const strokeDash = { field: 'series', type: 'nominal' as const, title: null, sort: names, scale: { domain: names, range: names.map((n) => (dashed.includes(n) ? [7, 4] : [1, 0])) }, legend };
  const y = (field: string) => ({ field, type: 'quantitative' as const, title: p.yTitle });
  const layers: object[] = [
    {
      data: { values: lines },
      mark: { type: 'line', point: false, strokeWidth: 2.2 },
      encoding: { x: { field: 'x', type: 'quantitative', title: p.xTitle, ...(p.integerX ? { axis: { format: 'd', tickMinStep: 1 } } : {}) }, y: y('y'), color, ...(dashed.length > 0 ? { strokeDash } : {}) },
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
  return render({ $schema: 'https://vega.github.io/schema/vega-lite/v6.json', title: p.title, width: 480, height: 320, layer: layers } as VegaLite.TopLevelSpec);
}
