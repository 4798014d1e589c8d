// The trajectory (§B6, §B9, §D, §H5): exact u_ℓ (skill s_ℓ for K answers), the clipped predictor
// (binary map), every fixed point (stable solid, unstable dotted), the threshold s† of a bistable
// level, and Monte Carlo points with ±2σ error bars, as hand-drawn SVG.
import type { MonteCarloPoint, TheoryResult } from './compute.ts';
import { fmt, ticks } from './format.ts';

const SVG = 'http://www.w3.org/2000/svg';
const W = 500;
const H = 400;
const M = { left: 56, right: 12, top: 12, bottom: 84 };

function el(name: string, attrs: Record<string, string | number>, text?: string): SVGElement {
  const e = document.createElementNS(SVG, name);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  if (text !== undefined) e.textContent = text;
  return e;
}

export function drawTrajectory(svg: SVGSVGElement, theory: TheoryResult, points: readonly MonteCarloPoint[]): void {
  svg.replaceChildren();
  const depth = theory.exact.length - 1;
  const clippedValues = theory.clipped ?? [];
  const ys = [0, ...theory.exact, ...clippedValues.filter(Number.isFinite)];
  // T is odd (§B6): from a negative u_0 the binary trajectory heads to −u*.
  const sign = theory.binary && theory.u0 < 0 ? -1 : 1;
  const target = sign * theory.uStar;
  const hasTarget = Number.isFinite(theory.uStar) && theory.uStar > 0;
  if (hasTarget) ys.push(target);
  // Every fixed point above chance (§H5); 0 is the axis' own reference.
  const fixed = theory.fixedPoints.filter((f) => f.value > 0);
  for (const f of fixed) ys.push(sign * f.value);
  for (const p of points) ys.push(p.bias - 2 * p.stdError, p.bias + 2 * p.stdError);
  let lo = Math.max(-1, Math.min(...ys));
  let hi = Math.min(1, Math.max(...ys));
  if (hi - lo < 1e-9) hi = lo + 1e-3;
  const pad = 0.05 * (hi - lo);
  lo = Math.max(-1.02, lo - pad);
  hi = Math.min(1.02, hi + pad);
  const x = (l: number) => M.left + (l / Math.max(1, depth)) * (W - M.left - M.right);
  const y = (u: number) => M.top + (1 - (u - lo) / (hi - lo)) * (H - M.top - M.bottom);

  for (const t of ticks(lo, hi, 6)) {
    svg.append(el('line', { x1: M.left, x2: W - M.right, y1: y(t), y2: y(t), stroke: '#eee' }));
    svg.append(el('text', { x: M.left - 6, y: y(t) + 4, 'text-anchor': 'end' }, fmt(t, 3)));
  }
  for (const t of ticks(0, depth, 8).filter((v) => Number.isInteger(v))) {
    svg.append(el('text', { x: x(t), y: H - M.bottom + 15, 'text-anchor': 'middle' }, String(t)));
  }
  svg.append(el('rect', { x: M.left, y: M.top, width: W - M.left - M.right, height: H - M.top - M.bottom, fill: 'none', stroke: '#999' }));
  svg.append(el('text', { x: (M.left + W - M.right) / 2, y: H - M.bottom + 32, 'text-anchor': 'middle' }, 'depth ℓ'));
  svg.append(el('text', { x: 14, y: (M.top + H - M.bottom) / 2, 'text-anchor': 'middle', transform: `rotate(-90 14 ${(M.top + H - M.bottom) / 2})` }, theory.binary ? 'bias u_ℓ' : 'skill s_ℓ = (p − p_c)/(1 − p_c)'));

  // Fixed points: stable ones as purple lines, unstable ones (s†) as red dotted lines, each labelled.
  for (const f of fixed) {
    const yy = y(sign * f.value);
    const isThreshold = theory.threshold !== null && f.value === theory.threshold;
    const g = el('g', { 'data-testid': 'fixed-point', 'data-value': f.value, 'data-stable': String(f.stable) });
    g.append(el('line', { x1: M.left, x2: W - M.right, y1: yy, y2: yy, stroke: f.stable ? '#8e24aa' : '#c62828', 'stroke-dasharray': f.stable ? '2 3' : '1 3', 'stroke-width': f.stable ? 1 : 1.5 }));
    const name = isThreshold ? 's†' : f.stable ? (theory.binary ? 'u*' : 's*') : 'unstable';
    g.append(el('text', { x: W - M.right - 4, y: yy - 3, 'text-anchor': 'end', fill: f.stable ? '#6a1b9a' : '#b71c1c' }, `${name} = ${fmt(f.value, 4)}`));
    svg.append(g);
  }
  const path = (values: number[]) => values.map((u, l) => `${l === 0 ? 'M' : 'L'}${x(l).toFixed(2)},${y(u).toFixed(2)}`).join('');
  if (theory.clipped) {
    const clipped = theory.clipped.map((u) => Math.max(lo, Math.min(hi, u)));
    svg.append(el('path', { d: path(clipped), fill: 'none', stroke: '#ef6c00', 'stroke-width': 1.5, 'stroke-dasharray': '6 4' }));
  }
  svg.append(el('path', { d: path(theory.exact), fill: 'none', stroke: '#1565c0', 'stroke-width': 2 }));

  for (const p of points) {
    const g = el('g', { 'data-depth': p.depth });
    const [a, b] = [p.bias - 2 * p.stdError, p.bias + 2 * p.stdError];
    g.append(el('line', { x1: x(p.depth), x2: x(p.depth), y1: y(a), y2: y(b), stroke: '#2e7d32', 'stroke-width': 1.2 }));
    for (const v of [a, b]) g.append(el('line', { x1: x(p.depth) - 3, x2: x(p.depth) + 3, y1: y(v), y2: y(v), stroke: '#2e7d32' }));
    g.append(el('circle', { cx: x(p.depth), cy: y(p.bias), r: 3, fill: '#2e7d32' }));
    g.append(el('title', {}, `ℓ = ${p.depth}: simulated ${fmt(p.bias)} ± ${fmt(2 * p.stdError, 3)} (2σ), exact ${fmt(theory.exact[p.depth])}`));
    svg.append(g);
  }

  // §B9: above u* the trajectory falls and the clipped predictor (= u*) is a lower bound.
  const bound = theory.trend === 'falling' ? ' (lower bound)' : '';
  const legend: [string, Record<string, string | number>][] = [
    [theory.binary ? 'exact u_ℓ' : 'exact s_ℓ', { stroke: '#1565c0', 'stroke-width': 2 }],
    theory.clipped
      ? [(theory.u0 < 0 ? 'clipped max(α^ℓu₀, −u*)' : 'clipped min(α^ℓu₀, u*)') + bound, { stroke: '#ef6c00', 'stroke-width': 1.5, 'stroke-dasharray': '6 4' }]
      : ['unstable fixed point (s†: threshold)', { stroke: '#c62828', 'stroke-dasharray': '1 3', 'stroke-width': 1.5 }],
    [theory.binary ? (theory.u0 < 0 ? '−u*' : 'u*') : 'stable fixed point s*', { stroke: '#8e24aa', 'stroke-dasharray': '2 3' }],
    ['Monte Carlo ± 2σ', { stroke: '#2e7d32', 'stroke-width': 3 }],
  ];
  legend.forEach(([label, style], i) => {
    const ly = H - 28 + Math.floor(i / 2) * 16;
    const lx = M.left + (i % 2) * 190;
    svg.append(el('line', { x1: lx, x2: lx + 22, y1: ly - 4, y2: ly - 4, ...style }));
    svg.append(el('text', { x: lx + 28, y: ly }, label));
  });
}
