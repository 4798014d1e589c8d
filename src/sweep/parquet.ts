// Parquet output (issue 14): typed columns for pandas/polars/pyarrow — counts and indices stay
// integers, NaN and ±∞ become nulls. The writer (hyparquet-writer, pure JS) is an optional
// dependency, imported only when a .parquet file is asked for.

/** Columns stored as integers: 64-bit where they can exceed 2^31 (cell index up to 2^40, trial counts). */
const INT64 = new Set(['cell', 'trials', 'correct']);
const INT32 = new Set(['b', 'depth']);
/** Columns of words in extended sweeps (answers holds 'open' beside integers; regime, trend). */
const STRING = new Set(['answers', 'regime', 'trend']);

/** The Parquet physical type of a sweep column. */
export function parquetType(column: string): 'INT64' | 'INT32' | 'DOUBLE' | 'STRING' {
  return STRING.has(column) ? 'STRING' : INT64.has(column) ? 'INT64' : INT32.has(column) ? 'INT32' : 'DOUBLE';
}

/** Writes rows (as the CSV/NDJSON writers see them: numbers, null for non-finite) to a Parquet file. */
export async function writeParquet(path: string, cols: readonly string[], rows: readonly (readonly (number | string | null)[])[]): Promise<void> {
  let writer: typeof import('hyparquet-writer');
  try {
    writer = await import('hyparquet-writer');
  } catch {
    throw new Error('writing .parquet needs the optional package hyparquet-writer: npm install hyparquet-writer');
  }
  const columnData = cols.map((name, j) => {
    const type = parquetType(name);
    const data = rows.map((row) => {
      const v = row[j];
      if (type === 'STRING') return v === null ? null : String(v);
      if (v === null || typeof v === 'string' || !Number.isFinite(v)) return null;
      return type === 'INT64' ? BigInt(v) : v;
    });
    return { name, data, type, nullable: true };
  });
  writer.parquetWriteFile({ filename: path, columnData, createdBy: 'budgeted-synergy' });
}
