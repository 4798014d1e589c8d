// Types of server.mjs.
export interface StaticServer {
  origin: string;
  /** Paths requested so far, in order. */
  requests: string[];
  close(): Promise<void>;
}

/** Serves `mounts` (URL prefix → directory); a request for a directory serves its index.html. */
export function serveStatic(mounts: Record<string, string>): Promise<StaticServer>;
