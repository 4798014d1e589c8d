// Issue 16: nothing lost, nothing silently wrong. Real processes and signals: bad flags never touch an
// existing output, one writer per --out, double Ctrl-C, streamed --resume of a multi-GB (sparse)
// file, merge checking every line, ENOSPC on /dev/full, stdout closed early.
import { spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { lstat, mkdtemp, open, readFile, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, synergy } from './run.ts';

async function tmp(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'synergy-integrity-'));
}

const base = ['sweep', '--b', '5', '--u0', '0.05', '--depth', '10', '--axis', 'rho=0:0.5:5', '--axis', 'gamma=0.5,0.7,0.9'];

async function waitFor(check: () => Promise<boolean>, what: string): Promise<void> {
  const started = Date.now();
  while (!(await check())) {
    if (Date.now() - started > 30_000) throw new Error(`${what} did not happen within 30 s`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('a usage error never touches an existing output', () => {
  it('every flag with a bad value exits 2 and leaves the output and its metadata as they were', async () => {
    const dir = await tmp();
    const out = join(dir, 'keep.csv');
    await writeFile(out, 'precious data\n');
    await writeFile(`${out}.meta.json`, 'precious meta\n');
    const mc = ['--trials', '100'];
    const cases: string[][] = [
      ['--workers', '2000'], ['--workers', '0'], ['--workers', '1.5'], ['--seed', '-1'], ['--b', '1'], ['--gamma', '2'],
      ['--rho', 'x'], ['--u0', '5'], ['--p0', '2'], ['--depth', '-1'], [...mc.slice(0, 1), '0'], ['--shard', '3/2'],
      [...mc, '--mode', 'nope'], [...mc, '--variant', 'nope'], ['--compute', 'nope'], ['--axis', 'rho=bad'],
      ['--plot', join(dir, 'p.svg'), '--plot-field', 'nope'], ['--m', '10', '--fidelity', 'bogus:1'],
    ];
    for (const extra of cases) {
      const args = extra[0] === '--b' || extra[0] === '--rho' || extra[0] === '--u0' || extra[0] === '--p0' || extra[0] === '--depth' || extra[0] === '--gamma' || extra[0] === '--m'
        ? ['sweep', '--axis', 'rho=0:0.5:5', ...(extra[0] === '--b' ? [] : ['--b', '5']), ...(['--u0', '--p0'].includes(extra[0]) ? [] : ['--u0', '0.05']),
          ...(extra[0] === '--depth' ? [] : ['--depth', '10']), ...(['--gamma', '--m'].includes(extra[0]) ? [] : ['--gamma', '0.7']), ...extra]
        : [...base, ...extra];
      const r = await synergy([...args, '--out', out]);
      expect(r.code, `${extra.join(' ')}: ${r.stderr}`).toBe(2);
      expect(r.stderr.trim().split('\n'), extra.join(' ')).toHaveLength(1);
      expect(await readFile(out, 'utf8'), extra.join(' ')).toBe('precious data\n');
      expect(await readFile(`${out}.meta.json`, 'utf8'), extra.join(' ')).toBe('precious meta\n');
    }
  }, 120_000);

  it('--plot-field and --plot are checked before the sweep runs (no output, exit 2 at once)', async () => {
    const dir = await tmp();
    const started = Date.now();
    // 15 cells × 10^7 trials of depth-10 trees would take many minutes before the check.
    const r = await synergy([...base, '--trials', '10000000', '--plot', join(dir, 'p.svg'), '--plot-field', 'accuracyy', '--out', join(dir, 'o.csv')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^synergy: --plot-field must be one of cell, b, gamma/);
    // A 1-axis sweep plots as a line (issue 15); a sweep with nothing swept has nothing to plot.
    const noAxis = await synergy(['sweep', '--b', '5', '--gamma', '0.7', '--u0', '0.05', '--depth', '10', '--axis', 'rho=0.2', '--plot', join(dir, 'p.svg'), '--out', join(dir, 'o.csv')]);
    expect(noAxis.code).toBe(2);
    expect(noAxis.stderr).toMatch(/^synergy: --plot must be a sweep with at least one swept axis/);
    expect(Date.now() - started).toBeLessThan(30_000);
    await expect(stat(join(dir, 'o.csv'))).rejects.toThrow(/ENOENT/);
  });
});

const slow = ['sweep', '--b', '3', '--gamma', '0.9', '--u0', '0.2', '--depth', '6', '--axis', 'rho=0:0.5:24', '--trials', '600000', '--workers', '1', '--seed', '5'];

describe('one writer per output, signals', () => {
  it('a second process writing the same --out is refused while the first runs; the first finishes intact', async () => {
    const dir = await tmp();
    const out = join(dir, 'shared.ndjson');
    const first = spawn(process.execPath, [BIN, ...slow, '--out', out], { stdio: ['ignore', 'ignore', 'pipe'] });
    let firstErr = '';
    first.stderr.on('data', (d) => (firstErr += d));
    const firstDone = new Promise<number | null>((resolve) => first.on('close', resolve));
    await waitFor(async () => (await stat(`${out}.meta.json`).then(() => true, () => false)), 'the first sweep start');
    const second = await synergy([...slow, '--out', out]);
    expect(second.code).toBe(1);
    expect(second.stderr).toMatch(/shared\.ndjson is being written by another synergy process \(pid \d+\)/);
    // Besides the plan line every sweep prints first (issue 15), the refusal is one line.
    expect(second.stderr.trim().split('\n').filter((l) => !l.startsWith('plan: '))).toHaveLength(1);
    expect(await firstDone, firstErr).toBe(0);
    const rows = (await readFile(out, 'utf8')).trim().split('\n').map((l) => JSON.parse(l));
    expect(rows.map((r: { cell: number }) => r.cell)).toEqual([...Array(24).keys()]);
    await expect(stat(`${out}.lock`)).rejects.toThrow(/ENOENT/); // released
    // A lock left by a dead process (kill -9) is taken over.
    await writeFile(`${out}.lock`, '999999999\n');
    expect((await synergy(['sweep', '--b', '3', '--gamma', '0.9', '--u0', '0.2', '--depth', '6', '--rho', '0.1', '--out', out])).code).toBe(0);
  }, 120_000);

  it('two SIGINTs ~50 ms apart leave a valid file in every format (the second waits for the flush)', async () => {
    const dir = await tmp();
    for (const [round, format] of (['json', 'csv', 'ndjson', 'json'] as const).entries()) {
      const out = join(dir, `twice${round}.${format}`);
      const child = spawn(process.execPath, [BIN, ...slow, '--out', out], { stdio: ['ignore', 'ignore', 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (d) => (stderr += d));
      const done = new Promise<[number | null, NodeJS.Signals | null]>((resolve) => child.on('close', (c, s) => resolve([c, s])));
      await waitFor(async () => (await stat(`${out}.meta.json`).then(() => true, () => false)), 'the sweep start');
      await new Promise((r) => setTimeout(r, 700 + 300 * round)); // some rounds have rows, some none
      child.kill('SIGINT');
      await new Promise((r) => setTimeout(r, round === 3 ? 5 : 50));
      child.kill('SIGINT');
      const [code, signal] = await done;
      // The flush finished and was reported before the process ended; a second SIGINT that lands
      // while Node tears the process down (after the file is closed) may still end it by signal.
      expect(stderr).toMatch(/is valid — rerun with --resume/);
      if (signal === null) expect(code, stderr).toBe(130);
      else expect(signal).toBe('SIGINT');
      const text = await readFile(out, 'utf8');
      let cells: number[];
      if (format === 'json') {
        cells = JSON.parse(text).map((r: { cell: number }) => r.cell);
      } else if (format === 'ndjson' && text === '') {
        cells = []; // interrupted before the first row (NDJSON has no header)
      } else {
        expect(text.endsWith('\n')).toBe(true);
        const lines = text.slice(0, -1).split('\n');
        if (format === 'ndjson') {
          cells = lines.map((l) => JSON.parse(l).cell);
        } else {
          const width = lines[0].split(',').length;
          for (const l of lines) expect(l.split(',')).toHaveLength(width);
          const at = lines[0].split(',').indexOf('cell');
          cells = lines.slice(1).map((l) => Number(l.split(',')[at]));
        }
      }
      // Whole rows only, in cell order from 0: the file resumes exactly.
      expect(cells).toEqual([...cells.keys()]);
    }
  }, 180_000);
});

describe('--resume of a multi-GB file', () => {
  it('scans only head and tail (3 GB sparse file), resumes from the last complete row, and checks first and last rows', async () => {
    const dir = await tmp();
    const args = ['sweep', '--b', '5', '--u0', '0.05', '--depth', '10', '--axis', 'rho=0:0.5:8', '--axis', 'gamma=0.5:0.9:5'];
    const whole = join(dir, 'whole.csv');
    const first = await synergy([...args, '--out', whole]);
    // The signal (if any) is in the message: once, in a full run, this sweep died of one in 345 ms.
    expect(first.code, `signal ${first.signal}; stderr: ${first.stderr}`).toBe(0);
    const lines = (await readFile(whole, 'utf8')).split('\n'); // header, 40 rows, ''
    expect(lines).toHaveLength(42);
    // header + row 0, a 3 GB hole (no disk used), rows 1…19, then a row cut mid-way.
    const big = join(dir, 'big.csv');
    const handle = await open(big, 'w');
    await handle.write(`${lines[0]}\n${lines[1]}\n`);
    const GAP = 3 * 2 ** 30;
    const tail = `\n${lines.slice(2, 21).join('\n')}\n${lines[21].slice(0, 10)}`;
    await handle.write(tail, GAP);
    await handle.close();
    await writeFile(`${big}.meta.json`, await readFile(`${whole}.meta.json`, 'utf8'));
    const r = await synergy([...args, '--out', big, '--resume']);
    expect(r.code, r.stderr).toBe(0);
    const size = (await stat(big)).size;
    expect(size).toBeGreaterThan(GAP);
    const end = Buffer.alloc(4096);
    const h = await open(big, 'r');
    const { bytesRead } = await h.read(end, 0, 4096, size - 4096);
    await h.close();
    // Rows 19 … 39 follow one another exactly as in the uninterrupted file.
    expect(end.subarray(0, bytesRead).toString('latin1').endsWith(`\n${lines.slice(19, 41).join('\n')}\n`)).toBe(true);

    // A file whose rows belong to another sweep (same columns, other parameters) is refused, untouched.
    const other = join(dir, 'other.csv');
    expect((await synergy(['sweep', '--b', '7', '--u0', '0.05', '--depth', '10', '--axis', 'rho=0:0.5:8', '--axis', 'gamma=0.5:0.9:5', '--out', other])).code).toBe(0);
    const text = (await readFile(other, 'utf8')).split('\n').slice(0, 10).join('\n') + '\n';
    await writeFile(other, text);
    await writeFile(`${other}.meta.json`, await readFile(`${whole}.meta.json`, 'utf8')); // a hand-copied .meta.json
    const refused = await synergy([...args, '--out', other, '--resume']);
    expect(refused.code).toBe(2);
    expect(refused.stderr.replace(/^plan: .*\n/, '')).toMatch(/^synergy: --resume must be an output file written by the same sweep \(its last row \(cell 8\) has other parameters/);
    expect(await readFile(other, 'utf8')).toBe(text);
  }, 120_000);
});

describe('merge checks what it copies', () => {
  const args = ['sweep', '--b', '5', '--u0', '0.05', '--depth', '10', '--axis', 'rho=0:0.5:7', '--axis', 'gamma=0.5,0.7,0.9'];

  async function shards(dir: string, ext: string): Promise<string[]> {
    const files = [1, 2].map((i) => join(dir, `s${i}.${ext}`));
    for (const [i, f] of files.entries()) expect((await synergy([...args, '--shard', `${i + 1}/2`, '--out', f])).code).toBe(0);
    return files;
  }

  async function noPartial(path: string): Promise<void> {
    await expect(lstat(`${path}.partial`)).rejects.toThrow(/ENOENT/);
  }

  it('refuses cut, foreign and malformed shards with one line naming the shard, leaving no output', async () => {
    const dir = await tmp();
    const [s1, s2] = await shards(dir, 'csv');
    const good = await readFile(s2, 'utf8');
    const out = join(dir, 'm.csv');
    const expectRefused = async (pattern: RegExp) => {
      const r = await synergy(['merge', s1, s2, '--out', out]);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toMatch(pattern);
      expect(r.stderr).toContain(s2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      await expect(stat(out)).rejects.toThrow(/ENOENT/);
      await noPartial(out);
    };
    // Cut mid-line: the row count is right but the last value is shortened (no trailing newline).
    await writeFile(s2, good.slice(0, -4));
    await expectRefused(/its last line has no newline/);
    // A row with a missing column.
    const rows = good.split('\n');
    await writeFile(s2, [...rows.slice(0, 3), rows[3].split(',').slice(0, -1).join(','), ...rows.slice(4)].join('\n'));
    await expectRefused(/line 4 is not a complete row of \d+ numeric columns/);
    // Another sweep's file under this shard's .meta.json (same columns, other parameters).
    await writeFile(s2, good.replaceAll(',0.05,10,', ',0.06,10,'));
    await expectRefused(/line 2 is not cell 10 of this sweep/);
    // A non-sweep file.
    await writeFile(s2, 'name,score\nalice,3\n');
    await expectRefused(/line 1 is not the header/);
    await writeFile(s2, good);
    // Empty and null metadata give a sentence, not a TypeError.
    const meta = await readFile(`${s2}.meta.json`, 'utf8');
    for (const bad of ['', 'null\n', '{}\n']) {
      await writeFile(`${s2}.meta.json`, bad);
      await expectRefused(bad === '' ? /\.meta\.json is not JSON/ : /does not hold the spec, seed and cell range/);
    }
    await writeFile(`${s2}.meta.json`, meta);
    const ok = await synergy(['merge', s1, s2, '--out', out]);
    expect(ok.code, ok.stderr).toBe(0);
  }, 120_000);

  it('NDJSON and JSON parse errors name the shard', async () => {
    for (const ext of ['ndjson', 'json']) {
      const dir = await tmp();
      const [s1, s2] = await shards(dir, ext);
      const good = await readFile(s2, 'utf8');
      const at = good.indexOf('"uL"');
      await writeFile(s2, good.slice(0, at) + '"uL":{' + good.slice(at + 5));
      const r = await synergy(['merge', s1, s2, '--out', join(dir, `m.${ext}`)]);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toContain(s2);
      expect(r.stderr).toMatch(/line \d+ is not a complete row/);
      expect(r.stderr).not.toMatch(/SyntaxError|    at /);
    }
  }, 120_000);

  it('a full disk (ENOSPC, /dev/full) fails in one line naming the path and leaves no .partial', async () => {
    const dir = await tmp();
    const [s1, s2] = await shards(dir, 'csv');
    const out = join(dir, 'full.csv');
    await symlink('/dev/full', `${out}.partial`); // every write to the temporary file hits ENOSPC
    const r = await synergy(['merge', s1, s2, '--out', out]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^synergy: cannot write .*full\.csv\.partial: ENOSPC/);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    await noPartial(out);
    await expect(stat(out)).rejects.toThrow(/ENOENT/);
  }, 60_000);

  it('a sparse 3 GB shard is streamed, not read into a string: refused after its first MiB, naming it', async () => {
    const dir = await tmp();
    const [s1, s2] = await shards(dir, 'csv');
    const good = await readFile(s2, 'utf8');
    const h = await open(s2, 'r+');
    await h.truncate(3 * 2 ** 30); // zeros: one "line" of 3 GB after the real rows
    await h.close();
    const out = join(dir, 'm.csv');
    const r = await synergy(['merge', s1, s2, '--out', out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(s2);
    expect(r.stderr).not.toMatch(/Invalid string length/);
    await noPartial(out);
    expect(good.length).toBeGreaterThan(0);
  }, 60_000);
});

describe('stdout and commands', () => {
  it('stdout closed early exits quietly (no unhandled error stack); /dev/full gives one line', async () => {
    const child = spawn(process.execPath, [BIN, 'design', '--budget', '1e6', '--window', '2e4', '--m', '50,100,200', '--fidelity', 'constant:0.9', '--rho', '0.1', '--json'], { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.destroy(); // like `| head -c 0`
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const code = await new Promise((resolve) => child.on('close', resolve));
    expect(stderr).not.toMatch(/Unhandled 'error' event|    at /);
    expect([0, 141]).toContain(code);
    const fd = openSync('/dev/full', 'w');
    const full = spawn(process.execPath, [BIN, 'analyze', '--b', '5', '--gamma', '0.9', '--rho', '0.1', '--u0', '0.1', '--depth', '4', '--json'], { stdio: ['ignore', fd, 'pipe'] });
    closeSync(fd);
    let fullErr = '';
    full.stderr!.on('data', (d) => (fullErr += d));
    const fullCode = await new Promise((resolve) => full.on('close', resolve));
    expect(fullCode).toBe(1);
    expect(fullErr).toMatch(/^synergy: cannot write stdout: ENOSPC/);
    expect(fullErr.trim().split('\n')).toHaveLength(1);
  }, 60_000);

  it('no command prints the help and exits 2', async () => {
    const r = await synergy([]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/Usage: synergy/);
  });

  it('sweep --trials 1e12 is refused before any file is written (estimated hours: --yes required)', async () => {
    const dir = await tmp();
    const out = join(dir, 'huge.csv');
    const r = await synergy(['sweep', '--b', '5', '--gamma', '0.9', '--rho', '0.1', '--u0', '0.1', '--depth', '3', '--trials', '1e12', '--out', out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/\nsynergy: --yes must be given for a run estimated over 10 minutes; this one is estimated at [\d.]+ (h|days)/);
    await expect(stat(out)).rejects.toThrow(/ENOENT/);
    await expect(stat(`${out}.meta.json`)).rejects.toThrow(/ENOENT/);
  }, 60_000);

  it('--out under /proc fails at once in one line (no recursive mkdir spin)', async () => {
    const started = Date.now();
    const r = await synergy(['reproduce', '--trials', '10', '--axis', 'rho=0:0.5:2', '--out', '/proc/nope/deeper']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^synergy: --out \/proc\/nope\/deeper is not writable/);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(Date.now() - started).toBeLessThan(20_000);
  }, 30_000);

  it('analyze --plot at depth 100,000 draws a sampled trajectory in seconds (not minutes)', async () => {
    const dir = await tmp();
    const started = Date.now();
    const r = await synergy(['analyze', '--b', '5', '--gamma', '0.9', '--rho', '0.1', '--u0', '0.1', '--depth', '100000', '--plot', join(dir, 'deep.svg')]);
    expect(r.code, r.stderr).toBe(0);
    expect(Date.now() - started).toBeLessThan(20_000);
    const svg = await readFile(join(dir, 'deep.svg'), 'utf8');
    expect(svg).toMatch(/^<svg/);
    expect(svg).toContain('100000'); // the last depth is drawn
  }, 30_000);
});

describe('usage errors the attack run found silently accepted', () => {
  const design = ['--b', '5', '--gamma', '0.9', '--rho', '0.1', '--u0', '0.1', '--depth', '3'];
  it('repeated flags, flags that do nothing, hex and binary numbers exit 2 naming the flag; unknown commands in one line', async () => {
    const cases: [string[], RegExp][] = [
      [['analyze', ...design, '--b', '7'], /^synergy: --b must be given once; got "5 and 7"/],
      [['analyze', '--b', '0x5', ...design.slice(2)], /^synergy: --b must be a finite number; got "0x5"/],
      [['analyze', ...design.slice(0, 8), '--depth', '0b11'], /^synergy: --depth must be a finite number; got "0b11"/],
      [['analyze', ...design, '--fidelity', 'constant:0.9'], /^synergy: --fidelity must be only with --m/],
      [['sweep', ...design, '--trials', '10', '--compute', 'theory', '--out', join(tmpdir(), 'never.csv')], /^synergy: --trials must be absent with --compute theory/],
      [['sweep', ...design, '--fidelity', 'constant:0.9', '--out', join(tmpdir(), 'never.csv')], /^synergy: --fidelity must be only with --m or --axis m/],
      [['sweeep'], /^synergy: unknown command 'sweeep' \(Did you mean sweep\?\); commands: /],
      [['simulate', ...design, '--variant', 'nope'], /^synergy: --variant must be standard, channelAfterCopy or heterogeneous:betaA,betaB; got "nope"/],
      [['simulate', ...design, '--trials', '0'], /^synergy: --trials must be an integer ≥ 1; got "0"/],
      [['sweep', ...design, '--trials', '100', '--workers', '0', '--out', join(tmpdir(), 'never.csv')], /^synergy: --workers must be an integer ≥ 1; got "0"/],
      // Library field names never reach the user: the flag that set the value is named.
      [['simulate', '--b', '5', '--m', '10', '--fidelity', 'saturating:2,3', '--rho', '0.1', '--u0', '0.1', '--depth', '3'], /^synergy: --fidelity must be a number in \[0, 1\] \(gammaInf\); got 2/],
      [['design', '--budget', '1000', '--window', '0', '--m', '10', '--fidelity', 'constant:0.9', '--rho', '0.1'], /^synergy: --window must be a finite number > 0; got 0/],
      [['design', '--budget', '1000', '--window', '100', '--m', '-5', '--fidelity', 'constant:0.9', '--rho', '0.1'], /^synergy: --m must be a finite number > 0/],
    ];
    for (const [args, message] of cases) {
      const r = await synergy(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr, args.join(' ')).toMatch(message);
      expect(r.stderr.trim().split('\n'), args.join(' ')).toHaveLength(1);
    }
  }, 60_000);
});
