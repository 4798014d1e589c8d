// "Never NaN" checks that can fail: JSON.stringify writes NaN and ±Infinity as null (and the CLI's
// --json replacer does the same on purpose), so searching serialised text for "NaN" proves nothing.
// These walk the value itself.

/**
 * Paths (like `intervals.beta.lower`) of every number in `value` that is not finite, and of every
 * null whose key is not in `nullable` (the fields documented as possibly null).
 */
export function nonFinitePaths(value: unknown, nullable: readonly string[] = [], path = '$'): string[] {
  const key = path.slice(path.lastIndexOf('.') + 1).replace(/\[\d+\]$/, '');
  if (typeof value === 'number') return Number.isFinite(value) ? [] : [`${path} = ${value}`];
  if (value === null) return nullable.includes(key) ? [] : [`${path} = null`];
  if (value === undefined) return [`${path} = undefined`];
  if (Array.isArray(value)) return value.flatMap((v, i) => nonFinitePaths(v, nullable, `${path}[${i}]`));
  if (typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => nonFinitePaths(v, nullable, `${path}.${k}`));
  return [];
}
