// §G inputs: the CSV reader and the table readers name the file, line and column of every error.
import { describe, expect, it } from 'vitest';
import {
  correctnessMatrixFromCsv, CsvError, fidelityObservationsFromCsv, InvalidParameterError, leafObservationsFromCsv, parseCsv,
} from '../../src/index.ts';

function csvError(f: () => unknown): CsvError {
  try {
    f();
  } catch (error) {
    expect(error).toBeInstanceOf(CsvError);
    expect(error).toBeInstanceOf(InvalidParameterError);
    return error as CsvError;
  }
  throw new Error('expected a CsvError');
}

describe('parseCsv', () => {
  it('throws the typed error for a non-string (issue 16)', () => {
    expect(() => parseCsv(42 as unknown as string)).toThrow(InvalidParameterError);
    expect(() => parseCsv(42 as unknown as string)).toThrow(/text must be the CSV text as a string; got 42/);
  });

  it('reads quoted fields, "" escapes, CRLF, comment and blank lines, keeping source line numbers', () => {
    const t = parseCsv('# source: somewhere\n\nname,"note, with comma",x\r\n"a ""quoted"" b", "multi\nline" ,3\n\n# trailing comment\nc,,4\n', 'f.csv');
    expect(t.header).toEqual(['name', 'note, with comma', 'x']);
    expect(t.headerLine).toBe(3);
    expect(t.rows).toEqual([
      { line: 4, cells: ['a "quoted" b', 'multi\nline', '3'] },
      { line: 8, cells: ['c', '', '4'] },
    ]);
  });
  it('reads CR-only line ends (old Mac files): a comment ends at CR, line numbers count CRs', () => {
    const t = parseCsv('# source\rm,agree,total\r10,"6\r0",100\r\r20,70,100\r', 'cr.csv');
    expect(t.header).toEqual(['m', 'agree', 'total']);
    expect(t.headerLine).toBe(2);
    expect(t.rows).toEqual([{ line: 3, cells: ['10', '6\r0', '100'] }, { line: 6, cells: ['20', '70', '100'] }]);
    const e = csvError(() => parseCsv('# c\ra,b\r1,2\r3\r', 'cr.csv'));
    expect([e.line, e.column]).toEqual([4, 1]);
  });
  it('rejects a row with the wrong number of cells, naming file, line and column', () => {
    const e = csvError(() => parseCsv('a,b,c\n1,2,3\n# note\n4,5\n', 'data.csv'));
    expect([e.file, e.line, e.column]).toEqual(['data.csv', 4, 2]);
    expect(e.message).toBe('data.csv line 4, column 2 must be 3 cells like the header; got "2 cells"');
  });
  it('rejects stray and unclosed quotes, empty and repeated column names, empty files', () => {
    expect(csvError(() => parseCsv('a,b\n1,x"y\n', 'q.csv'))).toMatchObject({ line: 2, column: 2 });
    expect(csvError(() => parseCsv('a,b\n1,"open\n2,3\n', 'q.csv'))).toMatchObject({ line: 2, column: 2 });
    expect(csvError(() => parseCsv('a,"b"c\n', 'q.csv'))).toMatchObject({ line: 1, column: 2 });
    expect(csvError(() => parseCsv('a,,c\n', 'h.csv'))).toMatchObject({ line: 1, column: 2 });
    expect(csvError(() => parseCsv('a,b,a\n', 'h.csv'))).toMatchObject({ line: 1, column: 3 });
    expect(csvError(() => parseCsv('# only a comment\n\n', 'e.csv')).message).toMatch(/^e\.csv line 3 must be a header row/);
  });
});

describe('table readers', () => {
  it('correctness matrix: cells must be 1, 0 or empty; fewer than two agents is an error', () => {
    const m = correctnessMatrixFromCsv(parseCsv('a,b\n1,0\n,1\n', 'm.csv'));
    expect(m).toEqual({ agents: ['a', 'b'], tasks: [[1, 0], [null, 1]] });
    const e = csvError(() => correctnessMatrixFromCsv(parseCsv('a,b,c\n1,0,1\n1,yes,0\n', 'm.csv')));
    expect(e.message).toBe('m.csv line 3, column 2 (b) must be 1/1.0/True (right), 0/0.0/False (wrong) or empty (not answered); got "yes"');
    // Only a bad first column hints at a task-id column.
    const id = csvError(() => correctnessMatrixFromCsv(parseCsv('task,a,b\nt1,1,0\n', 'm.csv')));
    expect(id.message).toBe('m.csv line 2, column 1 (task) must be 1/1.0/True (right), 0/0.0/False (wrong) or empty (not answered); a task-id column needs taskColumn (--task-column <name>); got "t1"');
    expect(csvError(() => correctnessMatrixFromCsv(parseCsv('solo\n1\n0\n', 'one.csv'))).message).toMatch(/at least two agents/);
  });
  it('correctness matrix: a named task-id column is skipped; it must exist and leave two agents', () => {
    const text = 'a,task,b\n1,t1,0\n,t2,1\n';
    expect(correctnessMatrixFromCsv(parseCsv(text, 'm.csv'), { taskColumn: 'task' })).toEqual({ agents: ['a', 'b'], tasks: [[1, 0], [null, 1]] });
    expect(csvError(() => correctnessMatrixFromCsv(parseCsv(text, 'm.csv')))).toMatchObject({ line: 2, column: 2 });
    expect(csvError(() => correctnessMatrixFromCsv(parseCsv(text, 'm.csv'), { taskColumn: 'id' })).message).toMatch(/^m\.csv line 1 must be a column named "id" \(task ids\)/);
    expect(csvError(() => correctnessMatrixFromCsv(parseCsv('task,a\nt1,1\n', 'm.csv'), { taskColumn: 'task' })).message)
      .toMatch(/at least two agents \(one column per agent, besides the task column "task"\)/);
  });
  it('fidelity rows: m ≥ 0, total ≥ 1, agree an integer in [0, total]', () => {
    expect(fidelityObservationsFromCsv(parseCsv('m,agree,total\n10,7,10\n', 'f.csv'))).toEqual([{ m: 10, agree: 7, total: 10 }]);
    expect(csvError(() => fidelityObservationsFromCsv(parseCsv('m,agree,total\n10,11,10\n', 'f.csv')))).toMatchObject({ line: 2, column: 2 });
    expect(csvError(() => fidelityObservationsFromCsv(parseCsv('m,agree,total\n-1,1,10\n', 'f.csv')))).toMatchObject({ line: 2, column: 1 });
    expect(csvError(() => fidelityObservationsFromCsv(parseCsv('m,total\n1,10\n', 'f.csv'))).message).toMatch(/column named "agree"/);
  });
  it('leaf rows: counts or accuracies (percent), groups, and accuracies outside [0, 1] named by line and column', () => {
    const counts = leafObservationsFromCsv(parseCsv('x,right,trials\n1,3,10\n2,4,10\n', 'l.csv'));
    expect(counts).toEqual([{ group: null, observations: [{ x: 1, right: 3, trials: 10 }, { x: 2, right: 4, trials: 10 }] }]);
    const grouped = leafObservationsFromCsv(parseCsv('g,b,acc\np,1,50\nq,1,25\np,2,60\n', 'l.csv'), { x: 'b', accuracy: 'acc', percent: true, group: 'g' });
    expect(grouped).toEqual([
      { group: 'p', observations: [{ x: 1, accuracy: 0.5 }, { x: 2, accuracy: 0.6 }] },
      { group: 'q', observations: [{ x: 1, accuracy: 0.25 }] },
    ]);
    const e = csvError(() => leafObservationsFromCsv(parseCsv('x,accuracy\n1,0.5\n2,1.2\n', 'l.csv')));
    expect(e.message).toBe('l.csv line 3, column 2 (accuracy) must be an accuracy in [0, 1] (use --leaf-percent for percentages); got "1.2"');
    expect(csvError(() => leafObservationsFromCsv(parseCsv('x,accuracy\n1,-0.1\n', 'l.csv')))).toMatchObject({ line: 2, column: 2 });
    expect(csvError(() => leafObservationsFromCsv(parseCsv('x,right,trials\n0,1,2\n', 'l.csv')))).toMatchObject({ line: 2, column: 1 });
    expect(csvError(() => leafObservationsFromCsv(parseCsv('x,right,trials\n1,3,2\n', 'l.csv')))).toMatchObject({ line: 2, column: 2 });
    // An empty needed cell is a missing measurement (pandas' NaN): the row is left out (issue 15).
    expect(leafObservationsFromCsv(parseCsv('x,right,trials\n1,,2\n2,1,2\n', 'l.csv'))[0].observations).toEqual([{ x: 2, right: 1, trials: 2 }]);
    expect(csvError(() => leafObservationsFromCsv(parseCsv('x,right,trials\n1,,2\n', 'l.csv'))).message).toMatch(/^l\.csv line 1 must be data rows after the header \(rows with an empty x, accuracy or count are left out\)/);
  });
});
