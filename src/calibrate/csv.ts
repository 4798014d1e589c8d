// CSV input for calibration (§G): a small RFC 4180-style reader (quoted fields with "" escapes,
// LF, CRLF or CR line ends) that also skips `#` comment lines and blank lines, so published tables can ship with
// their source in a header comment. Every error names the file, the line and the column (1-based).
import { InvalidParameterError } from '../errors.ts';

/** Bad CSV input: `file`, `line` and `column` (1-based; column 0 when the whole line is at fault). */
export class CsvError extends InvalidParameterError {
  readonly file: string;
  readonly line: number;
  readonly column: number;

  constructor(file: string, line: number, column: number, allowed: string, value: unknown, columnName?: string) {
    const where = column > 0 ? `, column ${column}${columnName !== undefined ? ` (${columnName})` : ''}` : '';
    super(`${file} line ${line}${where}`, allowed, value);
    this.name = 'CsvError';
    this.file = file;
    this.line = line;
    this.column = column;
  }
}

export interface CsvRow {
  /** 1-based line number in the file (of the row's first line when a quoted field spans lines). */
  line: number;
  cells: string[];
}

export interface CsvTable {
  file: string;
  header: string[];
  /** The header's line number. */
  headerLine: number;
  rows: CsvRow[];
  /**
   * The first column is an index without a name (what pandas' DataFrame.to_csv() writes by default):
   * header[0] is '' and readers ignore that column.
   */
  unnamedIndex: boolean;
}

/**
 * Parses CSV text. The first non-comment, non-blank line is the header; every row must have as many
 * cells as the header. Cells are trimmed of surrounding spaces unless quoted.
 */
export function parseCsv(text: string, file = 'input'): CsvTable {
  if (typeof text !== 'string') throw new InvalidParameterError('text', 'the CSV text as a string', text);
  const records: CsvRow[] = [];
  let line = 1;
  let i = 0;
  const n = text.length;
  if (text.charCodeAt(0) === 0xfeff) i = 1; // byte-order mark
  while (i < n) {
    const startLine = line;
    // A comment or blank line (only at the start of a record).
    let j = i;
    while (j < n && (text[j] === ' ' || text[j] === '\t')) j++;
    if (j >= n || text[j] === '\n' || text[j] === '\r' || text[j] === '#') {
      // Skip to the end of the line: LF, CRLF or a lone CR (old Mac files).
      while (j < n && text[j] !== '\n' && text[j] !== '\r') j++;
      if (text[j] === '\r' && text[j + 1] === '\n') j++;
      i = j + 1;
      line++;
      continue;
    }
    const cells: string[] = [];
    let cell = '';
    let quoted = false;
    let column = 1;
    for (;;) {
      if (i >= n) {
        cells.push(quoted ? cell : cell.trim());
        break;
      }
      const ch = text[i];
      if (ch === '"' && cell.trim() === '' && !quoted) {
        quoted = true;
        cell = '';
        i++;
        const openLine = line;
        for (;;) {
          if (i >= n) throw new CsvError(file, openLine, column, 'a quoted field closed by "', 'end of file');
          if (text[i] === '"') {
            if (text[i + 1] === '"') {
              cell += '"';
              i += 2;
              continue;
            }
            i++;
            break;
          }
          if (text[i] === '\n' || (text[i] === '\r' && text[i + 1] !== '\n')) line++;
          cell += text[i++];
        }
        // After a closing quote only spaces may precede the separator.
        while (i < n && (text[i] === ' ' || text[i] === '\t')) i++;
        if (i < n && text[i] !== ',' && text[i] !== '\n' && text[i] !== '\r') {
          throw new CsvError(file, line, column, 'a separator after a closing quote', text[i]);
        }
        continue;
      }
      if (ch === ',') {
        cells.push(quoted ? cell : cell.trim());
        cell = '';
        quoted = false;
        column++;
        i++;
        continue;
      }
      if (ch === '\r' || ch === '\n') {
        cells.push(quoted ? cell : cell.trim());
        if (ch === '\r' && text[i + 1] === '\n') i++;
        i++;
        line++;
        break;
      }
      if (ch === '"') throw new CsvError(file, line, column, 'quotes only around a whole field', cell + ch);
      cell += ch;
      i++;
    }
    records.push({ line: startLine, cells });
  }
  if (records.length === 0) throw new CsvError(file, line, 0, 'a header row followed by data rows', 'an empty file');
  const [head, ...rows] = records;
  const header = head.cells;
  // pandas writes its row index first, under an empty name: accept that one column and ignore it.
  const unnamedIndex = header.length > 1 && header[0] === '';
  header.forEach((name, c) => {
    if (name === '' && !(c === 0 && unnamedIndex)) throw new CsvError(file, head.line, c + 1, 'a non-empty column name (only the first, an index column, may be unnamed)', name);
    if (header.indexOf(name) !== c) throw new CsvError(file, head.line, c + 1, 'a column name used once', name);
  });
  for (const row of rows) {
    if (row.cells.length !== header.length) {
      throw new CsvError(file, row.line, Math.min(row.cells.length, header.length + 1),
        `${header.length} cells like the header`, `${row.cells.length} cells`);
    }
  }
  return { file, header, headerLine: head.line, rows, unnamedIndex };
}

/** The index of a named column, or a CsvError on the header line listing the columns there are. */
export function columnIndex(table: CsvTable, name: string, purpose: string): number {
  const index = table.header.indexOf(name);
  if (index < 0) {
    throw new CsvError(table.file, table.headerLine, 0, `a column named ${JSON.stringify(name)} (${purpose}); columns: ${table.header.join(', ')}`, name);
  }
  return index;
}

/**
 * Whether a row has an empty cell in any of these columns: a missing measurement (pandas writes NaN
 * as an empty cell). Leaf and fidelity readers leave such rows out.
 */
export function missingIn(row: CsvRow, columns: readonly number[]): boolean {
  return columns.some((c) => c >= 0 && row.cells[c] === '');
}

/** A finite number from cell (row, column), or a CsvError naming it. */
export function numberCell(table: CsvTable, row: CsvRow, column: number, allowed = 'a finite number'): number {
  const text = row.cells[column];
  const value = Number(text);
  if (text === '' || !Number.isFinite(value)) throw new CsvError(table.file, row.line, column + 1, allowed, text, table.header[column]);
  return value;
}
