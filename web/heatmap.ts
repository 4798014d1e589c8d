// The phase diagram (§B7): a canvas heatmap of u_L or u* over (γ, ρ) for one b, with a colour
// legend, the critical line α_ρ = 1 (γ_c(ρ) = 1/(ρ + (1 − ρ)c_b)), the current design and a hover
// tooltip with the cell's values.
import type { TheoryResult } from './compute.ts';
import { fmt, ticks } from './format.ts';
import type { HeatField } from './state.ts';

const PLOT = { left: 52, top: 12, size: 400 };
const LEGEND = { left: 464, width: 14 };

// Viridis, sampled at nine points (perceptually uniform, readable in greyscale and by most colour-blind readers).
const STOPS = [
  [68, 1, 84], [71, 44, 122], [59, 81, 139], [44, 113, 142], [33, 144, 141], [39, 173, 129], [92, 200, 99], [170, 220, 50], [253, 231, 37],
];

function colour(t: number): [number, number, number] {
  if (!Number.isFinite(t)) return [190, 190, 190];
  const x = Math.min(1, Math.max(0, t)) * (STOPS.length - 1);
  const i = Math.min(STOPS.length - 2, Math.floor(x));
  const f = x - i;
  return [0, 1, 2].map((c) => Math.round(STOPS[i][c] + f * (STOPS[i + 1][c] - STOPS[i][c]))) as [number, number, number];
}

export interface HeatmapView {
  theory: TheoryResult;
  field: HeatField;
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
      this.hover(e.offsetX, e.offsetY);
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
      onPick(axis[ig], axis[ir]);
    });
    canvas.addEventListener('click', (e) => {
      const cell = this.cellAt(e.offsetX, e.offsetY);
      if (cell && this.view) onPick(this.view.theory.grid.axis[cell.ig], this.view.theory.grid.axis[cell.ir]);
    });
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
      + `u* = ${fmt(grid.uStar[i])}, u_L = ${fmt(grid.uL[i])}.`;
  }

  /** Forgets the drawn view (no result for the current input): a blank plot, no tooltip. */
  clear(): void {
    this.view = null;
    this.ctx.clearRect(0, 0, this.canvas.width, this.canvas.height);
    this.tooltip.hidden = true;
    this.live.textContent = '';
  }

  /** Colour domain: [0, 1], or [−1, 0] for u_L from a negative u_0 (then brighter = further from 0). */
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
    ctx.clearRect(0, 0, this.canvas.width, this.canvas.height);

    const image = ctx.createImageData(n, n);
    for (let ig = 0; ig < n; ig++) {
      for (let ir = 0; ir < n; ir++) {
        const t = (values[ig * n + ir] - lo) / (hi - lo);
        const [r, g, b] = colour(flip ? 1 - t : t);
        const at = ((n - 1 - ir) * n + ig) * 4;
        image.data[at] = r;
        image.data[at + 1] = g;
        image.data[at + 2] = b;
        image.data[at + 3] = 255;
      }
    }
    const cells = document.createElement('canvas');
    cells.width = n;
    cells.height = n;
    cells.getContext('2d')!.putImageData(image, 0, 0);
    ctx.imageSmoothingEnabled = false;
    ctx.drawImage(cells, PLOT.left, PLOT.top, PLOT.size, PLOT.size);

    // Critical line α_ρ = 1 over ρ ∈ [0, 1].
    const cb = view.theory.cb;
    ctx.strokeStyle = '#fff';
    ctx.lineWidth = 2;
    ctx.beginPath();
    for (let i = 0; i <= 200; i++) {
      const rho = i / 200;
      const gammaC = 1 / (rho + (1 - rho) * cb);
      const [x, y] = this.toPixel(gammaC, rho);
      if (i === 0) ctx.moveTo(x, y);
      else ctx.lineTo(x, y);
    }
    ctx.stroke();

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
    this.legend(lo, hi, flip);
    // A new input (e.g. another b or u₀) changes every cell: refresh the keyboard readout.
    if (this.selected && document.activeElement === this.canvas) this.select(this.selected.ig, this.selected.ir);
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

  private legend(lo: number, hi: number, flip: boolean): void {
    const { ctx } = this;
    for (let py = 0; py < PLOT.size; py++) {
      const t = 1 - py / (PLOT.size - 1);
      const [r, g, b] = colour(flip ? 1 - t : t);
      ctx.fillStyle = `rgb(${r},${g},${b})`;
      ctx.fillRect(LEGEND.left, PLOT.top + py, LEGEND.width, 1);
    }
    ctx.strokeStyle = '#333';
    ctx.strokeRect(LEGEND.left, PLOT.top, LEGEND.width, PLOT.size);
    ctx.fillStyle = '#333';
    ctx.textAlign = 'left';
    ctx.font = '11px system-ui, sans-serif';
    for (const t of ticks(lo, hi, 4)) {
      const y = PLOT.top + (1 - (t - lo) / (hi - lo)) * PLOT.size;
      ctx.fillText(fmt(t, 3), LEGEND.left + LEGEND.width + 4, y + 4);
    }
    ctx.save();
    ctx.translate(LEGEND.left + LEGEND.width + 45, PLOT.top + PLOT.size / 2);
    ctx.rotate(Math.PI / 2);
    ctx.textAlign = 'center';
    ctx.fillText(this.view!.field === 'uL' ? 'u_L' : 'u*', 0, 0);
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
    ].join('\n');
    Object.assign(t.dataset, {
      gamma: String(grid.axis[cell.ig]), rho: String(grid.axis[cell.ir]),
      alpha: String(grid.alpha[i]), s: String(grid.s[i]), uStar: String(grid.uStar[i]), uL: String(grid.uL[i]),
    });
    t.hidden = false;
    t.style.left = `${Math.min(px + 14, PLOT.left + PLOT.size - 150)}px`;
    t.style.top = `${py + 14}px`;
  }
}
