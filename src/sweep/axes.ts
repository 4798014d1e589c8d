// Sweep axes: a list of values, or a range with both ends included, given by a count or a step.
import { InvalidParameterError } from '../errors.ts';

/** `{ start, stop, count }`: `count` evenly spaced values, both ends included. */
export interface CountRange { start: number; stop: number; count: number }

/**
 * `{ start, stop, step }`: start, start + step, … up to stop (included when it lands on the grid,
 * within 1e-9 of a step). The step must be non-zero and point from start towards stop.
 */
export interface StepRange { start: number; stop: number; step: number }

/** One axis of a sweep: one value, explicit values or a range. */
export type AxisSpec = number | readonly number[] | CountRange | StepRange;

/** Longest axis accepted: larger axes are almost certainly a unit mistake (and cost memory). */
export const MAX_AXIS_LENGTH = 1 << 24;

function finite(name: string, x: unknown): number {
  if (typeof x !== 'number' || !Number.isFinite(x)) throw new InvalidParameterError(name, 'a finite number', x);
  return x;
}

/**
 * A grid value as the decimal the user meant: 0.4 + 0.01 is 0.41000000000000003 in binary. The
 * shortest decimal of at most 12 significant digits within 4 ulps of the axis' scale (its largest
 * |end|) replaces the computed value, so rows print 0.41 and read back equal; values without such a
 * decimal (1/3, 1/7 …) are left as computed.
 */
export function gridDecimal(x: number, scale = Math.abs(x)): number {
  const tolerance = 4 * Number.EPSILON * Math.max(Math.abs(x), scale);
  if (Math.abs(x) <= tolerance) return 0;
  for (let digits = 1; digits <= 12; digits++) {
    const d = Number(x.toPrecision(digits));
    if (Math.abs(d - x) <= tolerance) return d;
  }
  return x;
}

/**
 * The values of an axis, in order. Only the shape is checked here (non-empty, well-formed range);
 * the caller checks each value against the axis' domain and names it `axis[i]`.
 */
export function axisValues(name: string, spec: unknown): number[] {
  // A single value stands for a one-value axis (`b: 5` is `b: [5]`).
  if (typeof spec === 'number') return [finite(name, spec)];
  if (Array.isArray(spec) || ArrayBuffer.isView(spec)) {
    const list = Array.from(spec as ArrayLike<unknown>);
    if (list.length === 0) throw new InvalidParameterError(name, 'a non-empty list or a range', spec);
    if (list.length > MAX_AXIS_LENGTH) throw new InvalidParameterError(name, `at most ${MAX_AXIS_LENGTH} values`, spec);
    return list.map((v, i) => finite(`${name}[${i}]`, v));
  }
  if (typeof spec !== 'object' || spec === null) {
    throw new InvalidParameterError(name, 'a non-empty list, { start, stop, count } or { start, stop, step }', spec);
  }
  const range = spec as Record<string, unknown>;
  for (const key of Object.keys(range)) {
    if (key !== 'start' && key !== 'stop' && key !== 'count' && key !== 'step') {
      throw new InvalidParameterError(`${name}.${key}`, 'absent (a range has start, stop and count or step)', range[key]);
    }
  }
  const start = finite(`${name}.start`, range.start);
  const stop = finite(`${name}.stop`, range.stop);
  if ('count' in range === 'step' in range) {
    throw new InvalidParameterError(name, 'a range with exactly one of count or step', spec);
  }
  if ('count' in range) {
    const count = range.count;
    if (typeof count !== 'number' || !Number.isInteger(count) || count < 1 || count > MAX_AXIS_LENGTH) {
      throw new InvalidParameterError(`${name}.count`, `an integer in [1, ${MAX_AXIS_LENGTH}]`, count);
    }
    if (count === 1) {
      if (start !== stop) throw new InvalidParameterError(`${name}.count`, 'at least 2 when start ≠ stop (both ends are included)', count);
      return [start];
    }
    // start + (stop − start)·i/(count − 1) rounds to exactly start and stop at the ends.
    return Array.from({ length: count }, (_, i) => (i === count - 1 ? stop : gridDecimal(start + ((stop - start) * i) / (count - 1), Math.max(Math.abs(start), Math.abs(stop)))));
  }
  const step = finite(`${name}.step`, range.step);
  if (step === 0) throw new InvalidParameterError(`${name}.step`, 'a non-zero number', step);
  if (stop !== start && Math.sign(stop - start) !== Math.sign(step)) {
    throw new InvalidParameterError(`${name}.step`, `a number with the sign of stop − start (${stop - start > 0 ? '> 0' : '< 0'})`, step);
  }
  const steps = (stop - start) / step;
  const last = Math.floor(steps + 1e-9);
  if (!(last + 1 <= MAX_AXIS_LENGTH)) throw new InvalidParameterError(`${name}.step`, `a step giving at most ${MAX_AXIS_LENGTH} values`, step);
  // Multiplying (not accumulating) keeps every value within an ulp or two of start + i·step.
  const values = Array.from({ length: last + 1 }, (_, i) => gridDecimal(start + i * step, Math.max(Math.abs(start), Math.abs(stop))));
  if (Math.abs(steps - last) <= 1e-9) values[last] = stop;
  return values;
}
