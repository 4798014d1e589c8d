// Monte Carlo worker (§D): one simulation per depth ℓ, posted as each finishes. This is the heavy
// part; the page cancels it by terminating this worker when the input changes.
import { monteCarloDepths, simulatePoint } from './compute.ts';
import { messageOf, type MonteCarloReply, type WorkerRequest } from './protocol.ts';

const post = (reply: MonteCarloReply) => self.postMessage(reply);

self.onmessage = (event: MessageEvent<WorkerRequest>) => {
  const { id, state } = event.data;
  try {
    const { depths, skipped } = monteCarloDepths(state);
    post({ id, type: 'plan', depths, skipped });
    for (const depth of depths) post({ id, type: 'point', point: simulatePoint(state, depth) });
    post({ id, type: 'done' });
  } catch (e) {
    post({ id, type: 'error', message: messageOf(e) });
  }
};
// Messages that reach a module worker while its imports (and the kernel's top-level await) are still
// loading can be lost, so the page sends nothing before this.
self.postMessage({ type: 'ready' });
