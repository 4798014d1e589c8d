// The host side of build/rowText.wasm (assembly/rowText/): row text written from columnar blocks in
// WebAssembly, numbers printed byte-identically to String(v). Node only (the CLI's writers); the
// module is compiled once per process, each formatter gets its own instance and memory.
import { readFileSync } from 'node:fs';

interface RowTextExports {
  readonly memory: WebAssembly.Memory;
  reserve(bytes: number): number;
  tables(): number;
  formatRows(program: number, pieces: number, count: number, start: number, first: boolean, sep: number, sepLength: number, out: number): number;
  formatNumbers(values: number, count: number, out: number): number;
}

/** Entries of the power-of-five tables (assembly/rowText/shortestDecimal.ts). */
const POW5_COUNT = 326;
const POW5_INV_COUNT = 342;
const BITS = 125n;

/** The bit length of 5^i (pow5bits in shortestDecimal.ts). */
function pow5bits(i: number): bigint {
  return BigInt(Math.floor((i * 1217359) / 2 ** 19) + 1);
}

/** The tables' 128-bit words (low, high per entry), computed exactly. */
function tableWords(): BigUint64Array {
  const words = new BigUint64Array(2 * (POW5_INV_COUNT + POW5_COUNT));
  const mask = (1n << 64n) - 1n;
  const put = (k: number, v: bigint) => {
    words[2 * k] = v & mask;
    words[2 * k + 1] = v >> 64n;
  };
  for (let i = 0; i < POW5_INV_COUNT; i++) {
    const pow5 = 5n ** BigInt(i);
    put(i, (1n << (pow5bits(i) - 1n + BITS)) / pow5 + 1n);
  }
  for (let i = 0; i < POW5_COUNT; i++) {
    const pow5 = 5n ** BigInt(i);
    const shift = BITS - pow5bits(i);
    put(POW5_INV_COUNT + i, shift >= 0n ? pow5 << shift : pow5 >> -shift);
  }
  return words;
}

let compiled: { module: WebAssembly.Module; tables: BigUint64Array } | undefined;

/** A fresh instance of the row-text module, tables filled. */
export function rowTextInstance(): RowTextExports {
  compiled ??= {
    module: new WebAssembly.Module(readFileSync(new URL('../../build/rowText.wasm', import.meta.url))),
    tables: tableWords(),
  };
  const exports = new WebAssembly.Instance(compiled.module, {}).exports as unknown as RowTextExports;
  new BigUint64Array(exports.memory.buffer, exports.tables(), compiled.tables.length).set(compiled.tables);
  return exports;
}

let numbers: RowTextExports | undefined;

/** String(v) of each value, computed by the module (for tests and benchmarks of the formatter). */
export function formatNumbers(values: Float64Array): string[] {
  numbers ??= rowTextInstance();
  const at = numbers.reserve(values.length * 8 + values.length * 26); // 25 bytes at most, and '\n'
  if (at === 0) throw new Error('out of memory for the number formatter');
  new Float64Array(numbers.memory.buffer, at, values.length).set(values);
  const out = at + values.length * 8;
  const length = numbers.formatNumbers(at, values.length, out);
  const text = Buffer.from(numbers.memory.buffer, out, length).toString('latin1');
  return text.split('\n').slice(0, values.length);
}
