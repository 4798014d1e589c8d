// The phase diagram (§B7, §H5): a canvas heatmap of u_L, u* or the regime over (γ, ρ) for one b, with
// a colour legend (linear or log scale), the critical line α = 1 (γ_c(ρ)), for K ≥ 3 answers the lower
// edge of the bistable region (γ_b(ρ)) with bistable cells hatched, the current design and a hover
// tooltip with the cell's values. The canvas is drawn at a fixed size and scaled by CSS to its column.
import { REGIME_CODES, snapToGrid, type TheoryResult } from './compute.ts';
import { fmt, ticks } from './format.ts';
import type { ColourScale, HeatField } from './state.ts';

const PLOT = { left: 52, top: 12, size: 400 };
const LEGEND = { left: 464, width: 14 };
/** The log scale's floor: |values| below it share the darkest colour. */
export const LOG_FLOOR = 1e-4;
/** Regime colours (§B7, §H5), indexed like REGIME_CODES: subcritical, critical, bistable, amplifying, identity. */
export const REGIME_COLOURS: readonly [number, number, number][] = [[205, 210, 222], [120, 120, 120], [240, 150, 40], [30, 140, 110], [90, 60, 160]];

// Viridis, sampled at nine points (perceptually uniform, readable in greyscale and by most colour-blind readers).
const STOPS = [
  [68, 1, 84], [71, 44, 122], [59, 81, 139], [44, 113, 142], [33, 144, 141], [39, 173, 129], [92, 200, 99], [170, 220, 50], [253, 231, 37],
];

export function colour(t: number): [number, number, number] {
  if (!Number.isFinite(t)) return [190, 190, 190];
  const x = Math.min(1, Math.max(0, t)) * (STOPS.length - 1);
  const i = Math.min(STOPS.length - 2, Math.floor(x));
  const f = x - i;
  return [0, 1, 2].map((c) => Math.round(STOPS[i][c] + f * (STOPS[i + 1][c] - STOPS[i][c]))) as [number, number, number];
}

export interface HeatmapView {
  theory: TheoryResult;
  field: HeatField;
  scale: ColourScale;
}

/** Position in [0, 1] of a value on the colour bar: linear over [lo, hi], or log10 |v| over [LOG_FLOOR, 1]. */
export function colourPosition(v: number, lo: number, hi: number, scale: ColourScale): number {
  if (scale === 'log') return (Math.log10(Math.max(LOG_FLOOR, Math.abs(v))) - Math.log10(LOG_FLOOR)) / -Math.log10(LOG_FLOOR);
  return (v - lo) / (hi - lo);
}

export class Heatmap {
  private view: HeatmapView | null = null;
  private readonly ctx: CanvasRenderingContext2D;
  /** The cell chosen with the keyboard while the map has focus: its values stay shown (and announced). */
  private selected: { ig: number; ir: number } | null = null;

  /**
   * `current` gives the design's (γ, ρ) now — it may be ahead of the last drawn view while keys repeat.
   * `live` is a polite live region: keyboard users hear the values a mouse user sees on hover.
   */
  constructor(
    private readonly canvas: HTMLCanvasElement, private readonly tooltip: HTMLElement, private readonly live: HTMLElement,
    onPick: (gamma: number, rho: number) => void, current: () => [number, number],
  ) {
    this.ctx = canvas.getContext('2d')!;
    canvas.addEventListener('mousemove', (e) => {
      this.selected = null;
      this.hover(...this.toCanvas(e.offsetX, e.offsetY));
    });
    canvas.addEventListener('mouseleave', () => { if (!this.selected) tooltip.hidden = true; });
    // Focus shows the design's own cell; arrow keys move the design one cell in γ (left/right) or ρ
    // (up/down), and the readout follows.
    canvas.addEventListener('focus', () => {
      // Focus by a click leaves the readout to the mouse (hover).
      if (!this.view || !canvas.matches(':focus-visible')) return;
      const [gamma, rho] = current();
      this.select(this.index(gamma), this.index(rho));
    });
    canvas.addEventListener('blur', () => {
      this.selected = null;
      tooltip.hidden = true;
      live.textContent = '';
    });
    canvas.addEventListener('keydown', (e) => {
      const step = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowDown: [0, -1], ArrowUp: [0, 1] }[e.key];
      if (!step || !this.view) return;
      e.preventDefault();
      const { axis } = this.view.theory.grid;
      const n = axis.length;
      const [gamma, rho] = current();
      const ig = Math.min(n - 1, Math.max(0, this.index(gamma) + step[0]));
      const ir = Math.min(n - 1, Math.max(0, this.index(rho) + step[1]));
      // The grid's values do not depend on the design's (γ, ρ), so the drawn view already holds the new cell's.
      this.select(ig, ir);
      onPick(snapToGrid(axis[ig]), snapToGrid(axis[ir]));
    });
    // A click sets the design to the cell's centre rounded to the grid's decimals (still inside the cell).
    canvas.addEventListener('click', (e) => {
      const cell = this.cellAt(...this.toCanvas(e.offsetX, e.offsetY));
      if (cell && this.view) onPick(snapToGrid(this.view.theory.grid.axis[cell.ig]), snapToGrid(this.view.theory.grid.axis[cell.ir]));
    });
  }

  /** CSS pixels (mouse offsets) → canvas pixels: the canvas may be scaled down to fit its column. */
  private toCanvas(x: number, y: number): [number, number] {
    const k = this.canvas.width / (this.canvas.clientWidth || this.canvas.width);
    return [x * k, y * k];
  }

  /** The grid index of a γ or ρ value. */
  private index(v: number): number {
    const n = this.view!.theory.grid.axis.length;
    return Math.min(n - 1, Math.max(0, Math.floor(v * n)));
  }

  private select(ig: number, ir: number): void {
    this.selected = { ig, ir };
    const [x, y] = this.toPixel(this.view!.theory.grid.axis[ig], this.view!.theory.grid.axis[ir]);
    this.showCell(ig, ir, x, y);
    const { grid } = this.view!.theory;
    const i = ig * grid.axis.length + ir;
    this.live.textContent = `Cell γ = ${fmt(grid.axis[ig], 5)}, ρ = ${fmt(grid.axis[ir], 5)}: α_ρ = ${fmt(grid.alpha[i])}, s = ${fmt(grid.s[i])}, `
      + `u* = ${fmt(grid.uStar[i])}, u_L = ${fmt(grid.uL[i])}, ${REGIME_CODES[grid.regime[i]]}.`;
  }

  /** Forgets the drawn view (no result for the current input): a blank plot, no tooltip. */
  clear(): void {
    this.view = null;
    this.ctx.clearRect(0, 0, this.canvas.width, this.canvas.height);
    this.tooltip.hidden = true;
    this.live.textContent = '';
  }

  /** Colour domain: [0, 1], or [−1, 0] for u_L from a negative u_0 (then brighter = further from 0; the log scale uses |u_L|). */
  private domain(): [number, number] {
    const v = this.view!;
    return v.field === 'uL' && v.theory.u0 < 0 ? [-1, 0] : [0, 1];
  }

  private values(): Float64Array {
    const v = this.view!;
    return v.field === 'uL' ? v.theory.grid.uL : v.theory.grid.uStar;
  }

  draw(view: HeatmapView): void {
    this.view = view;
    const { ctx } = this;
    const { axis } = view.theory.grid;
    const n = axis.length;
    const values = this.values();
    const [lo, hi] = this.domain();
    const flip = lo < 0;
    const regimes = view.theory.grid.regime;
    ctx.clearRect(0, 0, this.canvas.width, this.canvas.height);

    const image = ctx.createImageData(n, n);
    for (let ig = 0; ig < n; ig++) {
      for (let ir = 0; ir < n; ir++) {
        const i = ig * n + ir;
        let rgb: [number, number, number];
        if (view.field === 'regime') rgb = [...REGIME_COLOURS[regimes[i]]] as [number, number, number];
        else {
          const t = colourPosition(values[i], lo, hi, view.scale);
          rgb = colour(flip && view.scale === 'linear' ? 1 - t : t);
        }
        const at = ((n - 1 - ir) * n + ig) * 4;
        image.data[at] = rgb[0];
        image.data[at + 1] = rgb[1];
        image.data[at + 2] = rgb[2];
        image.data[at + 3] = 255;
      }
    }
    const cells = document.createElement('canvas');
    cells.width = n;
    cells.height = n;
    cells.getContext('2d')!.putImageData(image, 0, 0);
    ctx.imageSmoothingEnabled = false;
    ctx.drawImage(cells, PLOT.left, PLOT.top, PLOT.size, PLOT.size);
    if (view.field !== 'regime') this.hatchBistable();
    if (view.field === 'uStar' && !view.theory.binary) {
      ctx.fillStyle = '#222';
      ctx.font = '13px system-ui, sans-serif';
      ctx.textAlign = 'center';
      ctx.fillText('u* per cell: binary model only — choose "regime"', PLOT.left + PLOT.size / 2, PLOT.top + PLOT.size / 2);
    }

    // Critical line α = 1 (γ_c(ρ)); for K ≥ 3 also the bistable region's lower edge γ_b(ρ), dashed.
    const { lines } = view.theory;
    this.line(lines.rho, lines.criticalGamma, []);
    if (lines.bistableGamma) this.line(lines.rho, lines.bistableGamma, [6, 4]);

    // The current design.
    const [x, y] = this.toPixel(view.theory.level.gamma, view.theory.level.rho);
    ctx.lineWidth = 2.5;
    ctx.strokeStyle = '#000';
    ctx.beginPath();
    ctx.arc(x, y, 7, 0, 2 * Math.PI);
    ctx.stroke();
    ctx.strokeStyle = '#ff4081';
    ctx.lineWidth = 1.5;
    ctx.beginPath();
    ctx.arc(x, y, 7, 0, 2 * Math.PI);
    ctx.stroke();

    this.axes();
    if (view.field === 'regime') this.regimeLegend();
    else this.legend(lo, hi, flip);
    // A new input (e.g. another b or u₀) changes every cell: refresh the keyboard readout.
    if (this.selected && document.activeElement === this.canvas) this.select(this.selected.ig, this.selected.ir);
  }

  /** A white boundary line γ(ρ) over the plot (clipped to it). */
  private line(rhos: readonly number[], gammas: readonly number[], dash: number[]): void {
    const { ctx } = this;
    ctx.save();
    ctx.beginPath();
    ctx.rect(PLOT.left, PLOT.top, PLOT.size, PLOT.size);
    ctx.clip();
    ctx.strokeStyle = '#fff';
    ctx.lineWidth = 2;
    ctx.setLineDash(dash);
    ctx.beginPath();
    rhos.forEach((rho, i) => {
      const [x, y] = this.toPixel(Math.min(1.01, gammas[i]), rho);
      if (i === 0) ctx.moveTo(x, y);
      else ctx.lineTo(x, y);
    });
    ctx.stroke();
    ctx.restore();
  }

  /** Diagonal hatching over the bistable cells (§H5), so they read apart from amplifying ones in any colour field. */
  private hatchBistable(): void {
    const { ctx } = this;
    const { grid } = this.view!.theory;
    const n = grid.axis.length;
    const bistable = REGIME_CODES.indexOf('bistable');
    const cell = PLOT.size / n;
    ctx.save();
    ctx.beginPath();
    let any = false;
    for (let ig = 0; ig < n; ig++) for (let ir = 0; ir < n; ir++) {
      if (grid.regime[ig * n + ir] !== bistable) continue;
      any = true;
      ctx.rect(PLOT.left + ig * cell, PLOT.top + (n - 1 - ir) * cell, cell + 0.5, cell + 0.5);
    }
    if (any) {
      ctx.clip();
      ctx.strokeStyle = 'rgba(255, 255, 255, 0.75)';
      ctx.lineWidth = 1.5;
      ctx.beginPath();
      for (let d = -PLOT.size; d < PLOT.size; d += 8) {
        ctx.moveTo(PLOT.left + d, PLOT.top + PLOT.size);
        ctx.lineTo(PLOT.left + d + PLOT.size, PLOT.top);
      }
      ctx.stroke();
    }
    ctx.restore();
  }

  private regimeLegend(): void {
    const { ctx } = this;
    ctx.font = '11px system-ui, sans-serif';
    ctx.textAlign = 'left';
    REGIME_CODES.forEach((name, i) => {
      const y = PLOT.top + 10 + i * 22;
      const [r, g, b] = REGIME_COLOURS[i];
      ctx.fillStyle = `rgb(${r},${g},${b})`;
      ctx.fillRect(LEGEND.left, y, LEGEND.width, LEGEND.width);
      ctx.fillStyle = '#333';
      ctx.fillText(name, LEGEND.left + LEGEND.width + 4, y + 11);
    });
  }

  private toPixel(gamma: number, rho: number): [number, number] {
    return [PLOT.left + gamma * PLOT.size, PLOT.top + (1 - rho) * PLOT.size];
  }

  private axes(): void {
    const { ctx } = this;
    ctx.fillStyle = '#333';
    ctx.strokeStyle = '#333';
    ctx.lineWidth = 1;
    ctx.font = '11px system-ui, sans-serif';
    ctx.strokeRect(PLOT.left, PLOT.top, PLOT.size, PLOT.size);
    for (const t of ticks(0, 1, 5)) {
      const [x] = this.toPixel(t, 0);
      const [, y] = this.toPixel(0, t);
      ctx.textAlign = 'center';
      ctx.fillText(String(t), x, PLOT.top + PLOT.size + 14);
      ctx.textAlign = 'right';
      ctx.fillText(String(t), PLOT.left - 5, y + 4);
    }
    ctx.textAlign = 'center';
    ctx.font = '13px system-ui, sans-serif';
    ctx.fillText('fidelity γ', PLOT.left + PLOT.size / 2, PLOT.top + PLOT.size + 34);
    ctx.save();
    ctx.translate(16, PLOT.top + PLOT.size / 2);
    ctx.rotate(-Math.PI / 2);
    ctx.fillText('shared failure ρ', 0, 0);
    ctx.restore();
  }

  /** The colour bar, its tick labels and its title, placed right of the widest label (never past the canvas edge). */
  private legend(lo: number, hi: number, flip: boolean): void {
    const { ctx } = this;
    const log = this.view!.scale === 'log';
    for (let py = 0; py < PLOT.size; py++) {
      const t = 1 - py / (PLOT.size - 1);
      const [r, g, b] = colour(flip && !log ? 1 - t : t);
      ctx.fillStyle = `rgb(${r},${g},${b})`;
      ctx.fillRect(LEGEND.left, PLOT.top + py, LEGEND.width, 1);
    }
    ctx.strokeStyle = '#333';
    ctx.strokeRect(LEGEND.left, PLOT.top, LEGEND.width, PLOT.size);
    ctx.fillStyle = '#333';
    ctx.textAlign = 'left';
    ctx.font = '11px system-ui, sans-serif';
    const decades = -Math.log10(LOG_FLOOR);
    const labels: [number, string][] = log
      ? Array.from({ length: decades + 1 }, (_, i) => [i / decades, i === decades ? '1' : `1e−${decades - i}`])
      : ticks(lo, hi, 4).map((t) => [(t - lo) / (hi - lo), fmt(t, 3)]);
    let widest = 0;
    for (const [at, text] of labels) {
      const y = PLOT.top + (1 - at) * PLOT.size;
      ctx.fillText(text, LEGEND.left + LEGEND.width + 4, y + 4);
      widest = Math.max(widest, ctx.measureText(text).width);
    }
    const v = this.view!;
    const symbol = v.theory.binary ? 'u' : 's';
    const title = `${v.field === 'uL' ? `${symbol}_L` : `${symbol}*`}${log ? (flip ? ' (log₁₀ |·|)' : ' (log₁₀)') : ''}`;
    ctx.save();
    ctx.font = '12px system-ui, sans-serif';
    // Rotated a quarter turn, the title's height is horizontal: its centre line sits half a line past the labels.
    const x = Math.min(this.canvas.width - 9, LEGEND.left + LEGEND.width + 4 + widest + 10);
    ctx.translate(x, PLOT.top + PLOT.size / 2);
    ctx.rotate(Math.PI / 2);
    ctx.textAlign = 'center';
    ctx.textBaseline = 'middle';
    ctx.fillText(title, 0, 0);
    ctx.restore();
  }

  private cellAt(px: number, py: number): { ig: number; ir: number } | null {
    if (!this.view) return null;
    const n = this.view.theory.grid.axis.length;
    const gx = (px - PLOT.left) / PLOT.size;
    const ry = 1 - (py - PLOT.top) / PLOT.size;
    if (gx < 0 || gx >= 1 || ry < 0 || ry >= 1) return null;
    return { ig: Math.min(n - 1, Math.floor(gx * n)), ir: Math.min(n - 1, Math.floor(ry * n)) };
  }

  /** Shows the tooltip of the cell under (px, py) in canvas pixels. */
  hover(px: number, py: number): void {
    const cell = this.cellAt(px, py);
    if (!cell || !this.view) {
      this.tooltip.hidden = true;
      return;
    }
    this.showCell(cell.ig, cell.ir, px, py);
  }

  /** Fills the tooltip with cell (ig, ir)'s values and places it near (px, py). */
  private showCell(ig: number, ir: number, px: number, py: number): void {
    const { grid, level } = this.view!.theory;
    const n = grid.axis.length;
    const cell = { ig, ir };
    const i = cell.ig * n + cell.ir;
    const t = this.tooltip;
    t.textContent = [
      `γ = ${fmt(grid.axis[cell.ig], 5)}   ρ = ${fmt(grid.axis[cell.ir], 5)}   (b = ${level.b})`,
      `α_ρ = ${fmt(grid.alpha[i])}   s = ${fmt(grid.s[i])}`,
      `u* = ${fmt(grid.uStar[i])}`,
      `u_L = ${fmt(grid.uL[i])}`,
      `regime: ${REGIME_CODES[grid.regime[i]]}`,
    ].join('\n');
    Object.assign(t.dataset, {
      gamma: String(grid.axis[cell.ig]), rho: String(grid.axis[cell.ir]),
      alpha: String(grid.alpha[i]), s: String(grid.s[i]), uStar: String(grid.uStar[i]), uL: String(grid.uL[i]), regime: REGIME_CODES[grid.regime[i]],
    });
    t.hidden = false;
    // Canvas pixels → CSS pixels of the (possibly scaled) canvas.
    const k = (this.canvas.clientWidth || this.canvas.width) / this.canvas.width;
    t.style.left = `${Math.min(px + 14, PLOT.left + PLOT.size - 150) * k}px`;
    t.style.top = `${(py + 14) * k}px`;
  }
}
