// Theory worker: the phase grid (§B7–§B9), the trajectory and clipped predictor, and the design
// search (§E) for one state. Each takes milliseconds; the page sends only the latest input.
import { computeDesign, computeTheory } from './compute.ts';
import { messageOf, type TheoryReply, type WorkerRequest } from './protocol.ts';

self.onmessage = (event: MessageEvent<WorkerRequest>) => {
  const { id, state } = event.data;
  const started = performance.now();
  const reply: TheoryReply = { id, type: 'theory', theory: null, theoryError: null, design: null, designError: null, milliseconds: 0, partial: true };
  try {
    reply.theory = computeTheory(state);
  } catch (e) {
    reply.theoryError = messageOf(e);
  }
  // A state the theory refuses (e.g. ρ_task or φ with K ≠ 2) gets no design search: the page shows
  // the refusal, and that search can take a minute (K = 3 with φ > 0: the §I2 quadrature per row).
  if (reply.theoryError !== null) {
    reply.partial = false;
    reply.milliseconds = performance.now() - started;
    self.postMessage(reply);
    return;
  }
  // The theory goes out first: the design search can take seconds (plurality trees up to b = 151).
  reply.milliseconds = performance.now() - started;
  self.postMessage(reply);
  reply.partial = false;
  try {
    reply.design = computeDesign(state);
  } catch (e) {
    reply.designError = messageOf(e);
  }
  reply.milliseconds = performance.now() - started;
  self.postMessage(reply);
};
// Messages that reach a module worker while its imports (and the kernel's top-level await) are still
// loading can be lost, so the page sends nothing before this.
self.postMessage({ type: 'ready' });
