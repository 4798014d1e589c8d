// The Piscina worker (Node worker thread). Importing the package's modules instantiates this
// thread's WebAssembly kernel once (src/wasm/kernel.ts); every task then reuses it.
import { threadId } from 'node:worker_threads';
import { Piscina } from 'piscina';
import { PhaseGridKernel } from '../phaseGrid.ts';
import { kernel } from '../wasm/kernel.ts';
import { resultTransferables, runSweepTask, workerStamper, type SweepTask, type TaskContext } from './task.ts';

const context: TaskContext = {
  kernel: PhaseGridKernel.shared(),
  simulator: kernel,
  stamp: workerStamper(`node-thread-${threadId}`),
  // process.exit in a worker thread ends only this thread: Piscina sees a dead worker.
  crash: () => process.exit(70),
};

export default function runTask(task: SweepTask): unknown {
  const result = runSweepTask(task, context);
  // Transfer the result buffers instead of copying them.
  const movable = { [Piscina.transferableSymbol]: resultTransferables(result), [Piscina.valueSymbol]: result };
  return Piscina.move(movable as unknown as Parameters<typeof Piscina.move>[0]);
}
