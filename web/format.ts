// Number formatting for the page (the full-precision value goes in data-value attributes).

export function fmt(x: number | null | undefined, digits = 6): string {
  if (x === null || x === undefined) return '—';
  // Never "NaN" on the page: a quantity undefined at this input (e.g. s or the mixing depth of the
  // identity map γ = ρ = 1) shows as "—", and callers that know why say so in words.
  if (Number.isNaN(x)) return '—';
  if (!Number.isFinite(x)) return x > 0 ? '∞' : '−∞';
  if (x !== 0 && (Math.abs(x) >= 1e6 || Math.abs(x) < 1e-4)) return x.toExponential(3).replace('-', '−');
  return Number(x.toPrecision(digits)).toString().replace('-', '−');
}

/** Sets an element's text and its exact value (data-value) for machines and tests. */
export function show(el: Element | null, value: number | null, text = fmt(value)): void {
  if (!el) return;
  el.textContent = text;
  (el as HTMLElement).dataset.value = value === null ? '' : String(value);
}

/** "Nice" tick values covering [lo, hi]. */
export function ticks(lo: number, hi: number, count = 5): number[] {
  const span = hi - lo || 1;
  const raw = span / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((f) => f * mag).find((s) => s >= raw) ?? raw;
  // Integer multiples of the step, rounded to its decimals (so 5·0.2 − 1 prints as 0, not 5.6e-17).
  const decimals = Math.max(0, 2 - Math.floor(Math.log10(step)));
  const out: number[] = [];
  for (let k = Math.ceil(lo / step - 1e-9); k * step <= hi + step * 1e-9; k++) out.push(Number((k * step).toFixed(decimals)) || 0);
  return out;
}

const SUPERSCRIPT = '⁰¹²³⁴⁵⁶⁷⁸⁹';

/** A large count compactly: 12,500 as "12,500", 7.8e9 as "7.8·10⁹" (two significant digits). */
export function count(x: number): string {
  if (x < 1e6) return Math.round(x).toLocaleString('en-US');
  const [mantissa, exponent] = x.toExponential(1).split('e');
  return `${mantissa}·10${[...String(Number(exponent))].map((d) => SUPERSCRIPT[Number(d)]).join('')}`;
}

/** A duration for a status line: "0.4 s", "12 s", "3.5 min", "2.1 h". */
export function duration(seconds: number): string {
  if (seconds < 10) return `${seconds.toFixed(1)} s`;
  if (seconds < 90) return `${Math.round(seconds)} s`;
  if (seconds < 90 * 60) return `${(seconds / 60).toFixed(1)} min`;
  return `${(seconds / 3600).toFixed(1)} h`;
}
