// Where the queue lives (a Redis URL) and the optional packages that talk to it. bullmq and ioredis
// are optionalDependencies imported only here, on first use: a user who never passes --queue never
// loads (or needs) them.
import { InvalidParameterError } from '../errors.ts';

/** The BullMQ queue's name when none is given (coordinators and workers must use the same). */
export const DEFAULT_QUEUE_NAME = 'synergy';

/** What ioredis needs to connect (a subset of its RedisOptions). */
export interface RedisTarget {
  host?: string;
  port?: number;
  /** A unix socket instead of host and port. */
  path?: string;
  db?: number;
  username?: string;
  password?: string;
  tls?: Record<string, never>;
}

const URL_FORMS = 'a Redis URL: redis://[user:password@]host[:port][/db], rediss://… (TLS) or unix:///path/to/redis.sock[?db=n]';

/** Parses the --queue URL. */
export function parseRedisUrl(text: string, parameter = 'queue'): RedisTarget {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new InvalidParameterError(parameter, URL_FORMS, text);
  }
  const db = (value: string | null): number | undefined => {
    if (value === null || value === '') return undefined;
    if (!/^\d+$/.test(value) || Number(value) > 1_000_000) throw new InvalidParameterError(parameter, `${URL_FORMS} (db: an integer ≥ 0)`, text);
    return Number(value);
  };
  const target: RedisTarget = {};
  if (url.protocol === 'unix:') {
    if (url.pathname === '' || url.pathname === '/') throw new InvalidParameterError(parameter, URL_FORMS, text);
    target.path = decodeURIComponent(url.pathname);
    target.db = db(url.searchParams.get('db'));
  } else if (url.protocol === 'redis:' || url.protocol === 'rediss:') {
    if (url.hostname === '') throw new InvalidParameterError(parameter, URL_FORMS, text);
    target.host = url.hostname.replace(/^\[(.*)\]$/, '$1');
    target.port = url.port === '' ? 6379 : Number(url.port);
    target.db = db(url.pathname.replace(/^\//, ''));
    if (url.username) target.username = decodeURIComponent(url.username);
    if (url.password) target.password = decodeURIComponent(url.password);
    if (url.protocol === 'rediss:') target.tls = {};
  } else {
    throw new InvalidParameterError(parameter, URL_FORMS, text);
  }
  for (const key of Object.keys(target) as (keyof RedisTarget)[]) if (target[key] === undefined) delete target[key];
  return target;
}

/** The URL as printed in messages: a password in it is replaced by ***. */
export function redactUrl(text: string): string {
  try {
    const url = new URL(text);
    if (url.password === '') return text;
    url.password = '***';
    return url.toString();
  } catch {
    return text;
  }
}

/** Thrown when --queue is used without the optional packages. */
export class MissingQueuePackagesError extends Error {
  constructor(cause: unknown) {
    super('the Redis queue needs the optional packages bullmq and ioredis, which are not installed: npm install bullmq@5.81.5 ioredis@5.11.1');
    this.name = 'MissingQueuePackagesError';
    this.cause = cause;
  }
}

export type BullMQ = typeof import('bullmq');
export type IORedis = { Redis: typeof import('ioredis').Redis };

/** Imports bullmq, or says how to install it. `importer` is replaceable for the test of the message. */
export async function loadBullmq(importer: () => Promise<BullMQ> = () => import('bullmq')): Promise<BullMQ> {
  try {
    return await importer();
  } catch (error) {
    throw new MissingQueuePackagesError(error);
  }
}

/** Imports ioredis: the result records are read and written on a connection of our own. */
export async function loadIORedis(importer: () => Promise<IORedis> = () => import('ioredis')): Promise<IORedis> {
  try {
    return await importer();
  } catch (error) {
    throw new MissingQueuePackagesError(error);
  }
}

/**
 * A connected ioredis client, or one clear error when the server cannot be reached (instead of
 * retrying forever). Once connected, a lost connection is retried (backing off to 2 s), as BullMQ's are.
 */
export async function connectRedis(target: RedisTarget, url: string): Promise<InstanceType<IORedis['Redis']>> {
  const { Redis } = await loadIORedis();
  const redis = new Redis({ ...target, lazyConnect: true, retryStrategy: () => null });
  let lastError: Error | undefined;
  redis.on('error', (error: Error) => { lastError = error; });
  try {
    await redis.connect();
  } catch (error) {
    redis.disconnect();
    throw new Error(`cannot reach the Redis queue at ${redactUrl(url)}: ${(lastError ?? (error as Error)).message}`);
  }
  redis.options.retryStrategy = (times: number) => Math.min(100 * times, 2000);
  return redis;
}

/** The key of a task's result record, under BullMQ's own prefix for the queue. */
export function resultKey(queueName: string, jobId: string): string {
  return `bull:${queueName}:result:${jobId}`;
}

/** Result records left by a coordinator that died expire after a day. */
export const RESULT_TTL_MS = 24 * 3600 * 1000;
