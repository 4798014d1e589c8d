// The page's side of the two workers. Theory requests are coalesced (cheap: the latest input is sent
// when the worker is free; a crashed worker is replaced and the input recomputed); a Monte Carlo request cancels the run in flight by terminating its worker
// — a simulation is one synchronous WASM call per depth, so terminating is the only prompt way to
// stop it — and starts a fresh one (which fetches the kernel from the HTTP cache and compiles it).
import type { MonteCarloReply, TheoryReply, WorkerRequest } from './protocol.ts';

type Ready = { type: 'ready' };

class Handle<Reply> {
  private worker!: Worker;
  /** Whether the worker has loaded (sent 'ready'); until then requests wait in `pending`. */
  loaded = false;
  /** Whether the worker failed (an error outside the script's own try, or it could not load): it is not used again. */
  private dead = false;
  private pending: WorkerRequest | null = null;

  constructor(private readonly create: () => Worker, private readonly onReply: (reply: Reply) => void, private readonly onFailure: (message: string) => void) {
    this.spawn();
  }

  /** The live worker (for the page's tests, which inject a crash). */
  get current(): Worker {
    return this.worker;
  }

  private spawn(): void {
    const worker = this.create();
    this.worker = worker;
    this.loaded = false;
    this.dead = false;
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
      if (worker !== this.worker) return;
      // Whatever it was doing is lost and it may be in any state: never post to it again.
      this.dead = true;
      worker.terminate();
      this.onFailure(event.message || 'the worker failed to load');
    };
  }

  /** Sends now, or (while the worker loads) replaces any request still waiting; a failed worker is replaced first. */
  post(request: WorkerRequest): void {
    if (this.dead) this.spawn();
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

/**
 * Theory requests are coalesced: at most one in flight, and only the latest input waits. When the
 * worker fails outside its own try (a crash, onerror), the request in flight gets no reply: the
 * worker is replaced and the latest input recomputed once; if that fails too, the page shows the
 * error (and clears the old values) and the next input tries a fresh worker. A worker that fails
 * while idle lost nothing; the next input goes to a fresh one.
 */
export class TheoryWorker {
  private readonly handle: Handle<TheoryReply>;
  private inFlight: WorkerRequest | null = null;
  private pending: WorkerRequest | null = null;
  /** Failures since the last reply: one automatic retry, then wait for new input. */
  private failures = 0;
  /** Workers replaced after a failure (shown on the page). */
  restarts = 0;

  constructor(onReply: (reply: TheoryReply) => void, private readonly onFailure: (message: string, outcome: { lost: boolean; retrying: boolean }) => void) {
    this.handle = new Handle<TheoryReply>(
      () => new Worker(new URL('./theory.worker.ts', import.meta.url), { type: 'module', name: 'theory' }),
      (reply) => {
        // A partial reply (theory before the design search) leaves the request in flight.
        if (reply.partial) return onReply(reply);
        this.inFlight = null;
        this.failures = 0;
        onReply(reply);
        this.flush();
      },
      (message) => this.failed(message),
    );
  }

  /** The live worker (for the page's tests). */
  get worker(): Worker {
    return this.handle.current;
  }

  /** A new input from the page: it gets its own automatic retry, whatever failed before. */
  request(request: WorkerRequest): void {
    this.failures = 0;
    this.submit(request);
  }

  private submit(request: WorkerRequest): void {
    this.pending = request;
    this.flush();
  }

  private failed(message: string): void {
    const latest = this.pending ?? this.inFlight;
    this.inFlight = null;
    this.pending = null;
    this.restarts++;
    // An idle worker lost nothing: what the page shows is still the current input's.
    if (latest === null) return this.onFailure(message, { lost: false, retrying: false });
    this.failures++;
    const retrying = this.failures === 1;
    this.onFailure(message, { lost: true, retrying });
    if (retrying) this.submit(latest);
  }

  private flush(): void {
    if (this.inFlight || !this.pending) return;
    this.inFlight = this.pending;
    this.pending = null;
    this.handle.post(this.inFlight);
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
      (message) => {
        // The run is lost; the next request starts a fresh worker (Handle.post).
        this.running = false;
        onFailure(message);
      },
    );
  }

  /** The live worker (for the page's tests). */
  get worker(): Worker {
    return this.handle.current;
  }

  /** Stops the run in flight, if any (a worker still loading has not started it: dropping it is enough). */
  cancel(): void {
    if (this.stop()) this.cancelled++;
  }

  /** Ends the run in flight (the Stop button): terminates its worker. True when one was running. */
  stop(): boolean {
    if (!this.running) return false;
    if (this.handle.loaded) this.handle.restart();
    else this.handle.drop();
    this.running = false;
    return true;
  }

  get busy(): boolean {
    return this.running;
  }

  request(request: WorkerRequest): void {
    this.cancel();
    this.running = true;
    this.handle.post(request);
  }
}
