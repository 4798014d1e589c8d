// The Web Worker script (module worker). Importing the package's modules instantiates this
// worker's WebAssembly kernel once (fetched next to dist/, src/wasm/kernel.ts); every task reuses it.
import { PhaseGridKernel } from '../phaseGrid.ts';
import { kernel } from '../wasm/kernel.ts';
import { resultTransferables, runSweepTask, WorkerCrash, workerStamper, type SweepTask, type SweepTaskResult, type TaskContext } from './task.ts';

/** Messages to the page: 'ready' once the kernel is loaded, then one 'result' per task. */
export type WebWorkerMessage = { type: 'ready' } | { type: 'result'; result: SweepTaskResult };

interface WorkerScope {
  onmessage: ((event: MessageEvent<SweepTask>) => void) | null;
  postMessage(message: WebWorkerMessage, transfer?: Transferable[]): void;
}

const scope = globalThis as unknown as WorkerScope;

const context: TaskContext = {
  kernel: PhaseGridKernel.shared(),
  simulator: kernel,
  stamp: workerStamper(`web-worker-${Math.random().toString(36).slice(2, 10)}`),
  // Escapes the message handler as an uncaught error: the page sees the worker's 'error' event.
  crash: () => { throw new WorkerCrash('injected crash'); },
};

scope.onmessage = (event) => {
  const result = runSweepTask(event.data, context);
  scope.postMessage({ type: 'result', result }, resultTransferables(result));
};
// Messages that reach a module worker while its imports are still loading can be lost, so the pool
// sends nothing before this.
scope.postMessage({ type: 'ready' });
