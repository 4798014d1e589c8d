// Loading the WebAssembly kernels: one hand-written typed wrapper over two compiled flavours of
// assembly/ (plain and SIMD), chosen by feature detection. We do not use @assemblyscript/loader
// (deprecated) nor the compiler's JS bindings: every export takes plain numbers or arena addresses,
// so the wrapper only needs the raw exports, and owning instantiation lets a worker compile the
// module once and reuse it.

export type Flavour = 'plain' | 'simd';

/** The raw exports of build/{plain,simd}.wasm (assembly/index.ts). Addresses are byte offsets. */
export interface KernelExports {
  readonly memory: WebAssembly.Memory;
  simdBuild(): number;
  reserve(bytes: number): number;
  majoritySlope(b: number): number;
  majorityBias(b: number, u: number): number;
  majorityDerivative(b: number, u: number): number;
  majorityDeficit(b: number, u: number): number;
  alpha(b: number, gamma: number, rho: number): number;
  organizationExponent(b: number, gamma: number, rho: number): number;
  levelMap(b: number, gamma: number, rho: number, u: number): number;
  fixedPoint(b: number, gamma: number, rho: number): number;
  lastIterations(): number;
  trajectory(bPtr: number, gammaPtr: number, rhoPtr: number, levels: number, u0: number, depth: number, outPtr: number): void;
  mixingDepth(b: number, gamma: number, rho: number, uStar: number, u0: number, epsilon: number, maxDepth: number): number;
  mixingDepthSmallSignal(alpha: number, uStar: number, u0: number): number;
  clippedPredictor(alpha: number, uStar: number, u0: number, depth: number): number;
  phaseGrid(
    bPtr: number, nb: number, gammaPtr: number, ng: number, rhoPtr: number, nr: number, u0Ptr: number, nu: number,
    depthPtr: number, nd: number, epsilon: number, maxMixingDepth: number,
    alphaOut: number, sOut: number, uStarOut: number, mixOut: number, mixSmallOut: number, uLOut: number, clippedOut: number,
  ): void;
  pluralityGrid(
    b: number, coefPtr: number, chance: number, judge: number, slope: number,
    gammaPtr: number, ng: number, rhoPtr: number, nr: number, u0Ptr: number, nu: number, depthsPtr: number, nd: number,
    alphaOut: number, sOut: number, regimeOut: number, uLOut: number,
  ): void;
}

/** Smallest module whose one function returns a v128: validates iff the engine has SIMD. */
const SIMD_PROBE = new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // magic, version
  0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7b, // type section: () -> v128
  0x03, 0x02, 0x01, 0x00, // function section: one function of type 0
  0x0a, 0x16, 0x01, 0x14, 0x00, 0xfd, 0x0c, // code: v128.const ...
  ...new Array<number>(16).fill(0), 0x0b,
]);

export function simdSupported(): boolean {
  return WebAssembly.validate(SIMD_PROBE);
}

function wasmUrl(flavour: Flavour): URL {
  // src/wasm/kernel.ts and dist/wasm/kernel.js both sit two levels below the package root. Each URL
  // is a literal `new URL('…', import.meta.url)` so bundlers (Vite, Rollup, webpack 5, esbuild with
  // its file loader) see both files, emit them as assets and rewrite the path.
  return flavour === 'simd'
    ? new URL('../../build/simd.wasm', import.meta.url)
    : new URL('../../build/plain.wasm', import.meta.url);
}

/** Node's fs, reached at run time only: no import statement names a Node built-in (see below). */
interface FileReader {
  promises: { readFile(url: URL): Promise<Uint8Array> };
}

async function readBytes(url: URL): Promise<Uint8Array> {
  if (url.protocol === 'file:') {
    // Node reads file: URLs (fetch cannot). process.getBuiltinModule (Node ≥ 20.16) looks fs up at
    // run time, so this module's import graph names no Node built-in and a browser bundle stays free
    // of them; a split per environment via a `#wasm-bytes` import condition would instead leave a
    // bare specifier that plain ESM served from a static server cannot resolve.
    const process = (globalThis as { process?: { getBuiltinModule?(id: string): unknown } }).process;
    const fs = process?.getBuiltinModule?.('fs') as FileReader | undefined;
    if (!fs) throw new Error(`cannot read ${url.href}: file: URLs need Node ≥ 20.16 (process.getBuiltinModule)`);
    return fs.promises.readFile(url);
  }
  // http(s): in browsers and workers; data: when a bundler inlined the file (assetsInlineLimit).
  const response = await fetch(url);
  if (!response.ok) throw new Error(`cannot load ${url.href}: HTTP ${response.status}`);
  return new Uint8Array(await response.arrayBuffer());
}

const modules = new Map<Flavour, Promise<WebAssembly.Module>>();

/**
 * The compiled module of one flavour, fetched and compiled once per thread (page or worker) and
 * cached. Each Web Worker fetches the file itself (from the browser's HTTP cache after the first
 * time) rather than being posted a compiled module: the kernel is ready when its module finishes
 * evaluating (top-level await below), before any message could arrive.
 */
export function compileKernel(flavour: Flavour): Promise<WebAssembly.Module> {
  let module = modules.get(flavour);
  if (!module) {
    module = readBytes(wasmUrl(flavour)).then((bytes) => WebAssembly.compile(bytes as Uint8Array<ArrayBuffer>));
    modules.set(flavour, module);
  }
  return module;
}

/** The flavour this thread uses by default: SIMD where the engine has it, overridable for tests. */
export function defaultFlavour(): Flavour {
  const forced = typeof process !== 'undefined' ? process.env?.BUDGETED_SYNERGY_WASM : undefined;
  if (forced === 'plain' || forced === 'simd') return forced;
  return simdSupported() ? 'simd' : 'plain';
}

/** A fresh instance (own memory and arena) of the given flavour. */
export async function instantiateKernel(flavour: Flavour = defaultFlavour()): Promise<Kernel> {
  const instance = await WebAssembly.instantiate(await compileKernel(flavour), {});
  return new Kernel(flavour, instance.exports as unknown as KernelExports);
}

/** An instance plus typed views into its scratch arena. */
export class Kernel {
  constructor(readonly flavour: Flavour, readonly exports: KernelExports) {}

  /**
   * Reserves the arena for a list of arrays (element counts, in 8-byte slots) and returns each
   * array's byte address. Addresses stay valid until the next call; views must be taken after it,
   * because growing memory detaches earlier views.
   */
  layout(slots: readonly number[]): number[] {
    const total = slots.reduce((sum, n) => sum + align8(n), 0) * 8;
    const base = this.exports.reserve(total);
    if (base === 0) throw new RangeError(`the WebAssembly kernel could not grow its memory to ${total} bytes`);
    const addresses: number[] = [];
    let at = base;
    for (const n of slots) {
      addresses.push(at);
      at += align8(n) * 8;
    }
    return addresses;
  }

  f64(address: number, length: number): Float64Array {
    return new Float64Array(this.exports.memory.buffer, address, length);
  }

  u8(address: number, length: number): Uint8Array {
    return new Uint8Array(this.exports.memory.buffer, address, length);
  }

  i32(address: number, length: number): Int32Array {
    return new Int32Array(this.exports.memory.buffer, address, length);
  }
}

/** Rounds a slot count up to a multiple of 8 slots (64 bytes) so every array stays cache-line aligned. */
function align8(n: number): number {
  return Math.ceil(n / 8) * 8;
}

/** This thread's shared instance, loaded once when the package is imported. */
export const kernel: Kernel = await instantiateKernel();
