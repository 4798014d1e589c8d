// "Never NaN" checks that can fail: JSON.stringify writes NaN and ±Infinity as null (and the CLI's
// --json replacer does the same on purpose), so searching serialised text for "NaN" proves nothing.
// These walk the value itself.

/**
 * Paths (like `$.leaf[0].intervals.beta.lower`) of every number in `value` that is not finite, and
 * of every null whose path does not match one of `nullable` — path patterns of the fields documented
 * as possibly null, with `[*]` for any array index (e.g. `$.leaf[*].intervals.gMax`).
 */
export function nonFinitePaths(value: unknown, nullable: readonly string[] = []): string[] {
  const patterns = nullable.map((p) => new RegExp(`^${p.replace(/[.$]/g, '\\$&').replace(/\[\*\]/g, '\\[\\d+\\]')}$`));
  const walk = (v: unknown, path: string): string[] => {
    if (typeof v === 'number') return Number.isFinite(v) ? [] : [`${path} = ${v}`];
    if (v === null) return patterns.some((re) => re.exec(path) !== null) ? [] : [`${path} = null`];
    if (v === undefined) return [`${path} = undefined`];
    if (Array.isArray(v)) return v.flatMap((x, i) => walk(x, `${path}[${i}]`));
    if (typeof v === 'object') return Object.entries(v).flatMap(([k, x]) => walk(x, `${path}.${k}`));
    return [];
  };
  return walk(value, '$');
}
