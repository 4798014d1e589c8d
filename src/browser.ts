// Browser entry ("browser" export condition): the whole API, with sweeps on a Web Worker pool by
// default. No Node built-in is reachable from here. The WASM file is fetched from build/ next to
// dist/ (serve both), or from wherever a bundler put it (README "In the browser").
import { createSweep } from './sweep/run.ts';
import { WebWorkerExecutor } from './sweep/webWorkerExecutor.ts';

export * from './index.ts';
export { WebWorkerExecutor, type WebWorkerExecutorOptions } from './sweep/webWorkerExecutor.ts';

/** `sweep` with a pool of `options.workers` Web Workers (default: hardwareConcurrency) unless an executor is given. */
export const sweep = createSweep((workers) => new WebWorkerExecutor({ workers }));
