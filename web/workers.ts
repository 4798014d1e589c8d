// The page's side of the two workers. Theory requests are coalesced (cheap: the latest input is sent
// when the worker is free); a Monte Carlo request cancels the run in flight by terminating its worker
// — a simulation is one synchronous WASM call per depth, so terminating is the only prompt way to
// stop it — and starts a fresh one (which fetches the kernel from the HTTP cache and compiles it).
import type { MonteCarloReply, TheoryReply, WorkerRequest } from './protocol.ts';

type Ready = { type: 'ready' };

class Handle<Reply> {
  private worker!: Worker;
  /** Whether the worker has loaded (sent 'ready'); until then requests wait in `pending`. */
  loaded = false;
  private pending: WorkerRequest | null = null;

  constructor(private readonly create: () => Worker, private readonly onReply: (reply: Reply) => void, private readonly onFailure: (message: string) => void) {
    this.spawn();
  }

  private spawn(): void {
    const worker = this.create();
    this.worker = worker;
    this.loaded = false;
    this.pending = null;
    worker.onmessage = (event: MessageEvent<Reply | Ready>) => {
      if (worker !== this.worker) return;
      if ((event.data as Ready).type === 'ready') {
        this.loaded = true;
        if (this.pending) worker.postMessage(this.pending);
        this.pending = null;
      } else {
        this.onReply(event.data as Reply);
      }
    };
    worker.onerror = (event) => {
      event.preventDefault();
      if (worker === this.worker) this.onFailure(event.message || 'the worker failed to load');
    };
  }

  /** Sends now, or (while the worker loads) replaces any request still waiting. */
  post(request: WorkerRequest): void {
    if (this.loaded) this.worker.postMessage(request);
    else this.pending = request;
  }

  /** Forgets a request still waiting for the worker to load. */
  drop(): void {
    this.pending = null;
  }

  restart(): void {
    this.worker.terminate();
    this.spawn();
  }
}

export class TheoryWorker {
  private readonly handle: Handle<TheoryReply>;
  private busy = false;
  private pending: WorkerRequest | null = null;

  constructor(onReply: (reply: TheoryReply) => void, onFailure: (message: string) => void) {
    this.handle = new Handle<TheoryReply>(
      () => new Worker(new URL('./theory.worker.ts', import.meta.url), { type: 'module', name: 'theory' }),
      (reply) => {
        this.busy = false;
        onReply(reply);
        this.flush();
      },
      onFailure,
    );
  }

  request(request: WorkerRequest): void {
    this.pending = request;
    this.flush();
  }

  private flush(): void {
    if (this.busy || !this.pending) return;
    this.busy = true;
    this.handle.post(this.pending);
    this.pending = null;
  }
}

export class MonteCarloWorker {
  private readonly handle: Handle<MonteCarloReply>;
  private running = false;
  /** Runs cancelled by a newer input (shown on the page). */
  cancelled = 0;

  constructor(onReply: (reply: MonteCarloReply) => void, onFailure: (message: string) => void) {
    this.handle = new Handle<MonteCarloReply>(
      () => new Worker(new URL('./montecarlo.worker.ts', import.meta.url), { type: 'module', name: 'montecarlo' }),
      (reply) => {
        if (reply.type === 'done' || reply.type === 'error') this.running = false;
        onReply(reply);
      },
      onFailure,
    );
  }

  /** Stops the run in flight, if any (a worker still loading has not started it: dropping it is enough). */
  cancel(): void {
    if (!this.running) return;
    if (this.handle.loaded) this.handle.restart();
    else this.handle.drop();
    this.running = false;
    this.cancelled++;
  }

  request(request: WorkerRequest): void {
    this.cancel();
    this.running = true;
    this.handle.post(request);
  }
}
