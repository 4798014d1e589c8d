// What travels through the Redis queue (issue 14): task payloads that name their sweep and carry a
// digest binding (protocol, package version, sweep, task), and results as compact binary records.
// Pure data code: no Redis here, so it is testable and loads without the optional packages.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { SweepTask, SweepTaskResult, WorkerStamp } from './task.ts';

/** Bumped whenever payloads or result records change shape. */
export const QUEUE_PROTOCOL = 1;

/**
 * The package version: results may differ between versions (a kernel fix), so a worker runs only
 * tasks written by its own version. src/sweep and dist/sweep both sit two levels below the root.
 */
export const PACKAGE_VERSION: string = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')).version;

export interface TaskPayload {
  protocol: number;
  version: string;
  /** The sweep's hash (spec, seed, version): every key of this sweep starts with it. */
  sweep: string;
  /** sha256 of (protocol, version, sweep, task): the task's identity and an integrity check. */
  digest: string;
  task: SweepTask;
}

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

/**
 * The hash naming a sweep: any JSON-able identity (the CLI passes its spec and seed) with the protocol
 * and version, so two versions never share keys.
 */
export function sweepHash(identity: unknown, version: string = PACKAGE_VERSION): string {
  return sha256(JSON.stringify({ protocol: QUEUE_PROTOCOL, version, identity })).slice(0, 24);
}

function taskDigest(protocol: number, version: string, sweep: string, task: SweepTask): string {
  return sha256(JSON.stringify([protocol, version, sweep, task]));
}

export function taskPayload(sweep: string, task: SweepTask, version: string = PACKAGE_VERSION): TaskPayload {
  return { protocol: QUEUE_PROTOCOL, version, sweep, digest: taskDigest(QUEUE_PROTOCOL, version, sweep, task), task };
}

/**
 * The job id of a task: its (sweep, task) key. The digest covers the attempt number too, so a retry
 * is a new job, while a task redelivered or enqueued again (a resumed coordinator) is the same job.
 * BullMQ ids may not contain ':'.
 */
export function jobIdOf(payload: Pick<TaskPayload, 'sweep' | 'digest'>): string {
  return `${payload.sweep}.${payload.digest.slice(0, 32)}`;
}

/**
 * Why a worker must not run this payload, or null to run it. Another protocol or version: its
 * results could differ from the coordinator's. A worker started with `onlySweep` serves one sweep.
 */
export function refusal(data: unknown, onlySweep?: string, version: string = PACKAGE_VERSION): string | null {
  const p = data as Partial<TaskPayload> | null;
  if (typeof p !== 'object' || p === null || typeof p.task !== 'object') return 'not a synergy sweep task';
  if (p.protocol !== QUEUE_PROTOCOL) return `queue protocol ${p.protocol}, this worker speaks ${QUEUE_PROTOCOL}`;
  if (p.version !== version) return `written by synergy ${p.version}, this worker is ${version}`;
  if (onlySweep !== undefined && p.sweep !== onlySweep) return `sweep ${p.sweep}, this worker serves only ${onlySweep}`;
  if (typeof p.sweep !== 'string' || p.digest !== taskDigest(p.protocol, p.version, p.sweep, p.task as SweepTask)) return 'its digest does not match its content';
  return null;
}

/**
 * A result as bytes: a 4-byte header length, a JSON header (the task's key, status, stamp, array
 * lengths), then the arrays as little-endian doubles — exact bits, NaN included, ~9× smaller than JSON.
 */
export function encodeResult(payload: Pick<TaskPayload, 'sweep' | 'digest'>, result: SweepTaskResult): Buffer {
  const arrays = result.ok ? [result.theory, result.correct] : [];
  const header = Buffer.from(JSON.stringify({
    sweep: payload.sweep, digest: payload.digest,
    ...(result.ok ? { ok: true, worker: result.worker } : result),
    lengths: arrays.map((a) => (a === undefined ? -1 : a.length)),
  }));
  const doubles = arrays.reduce((n, a) => n + (a?.length ?? 0), 0);
  const out = Buffer.alloc(4 + header.length + 8 * doubles);
  out.writeUInt32LE(header.length, 0);
  header.copy(out, 4);
  let o = 4 + header.length;
  for (const a of arrays) if (a) for (let i = 0; i < a.length; i++, o += 8) out.writeDoubleLE(a[i], o);
  return out;
}

/** Decodes a result record, checking it is the result of this (sweep, task). */
export function decodeResult(bytes: Buffer, payload: Pick<TaskPayload, 'sweep' | 'digest'>): SweepTaskResult {
  const length = bytes.readUInt32LE(0);
  const header = JSON.parse(bytes.subarray(4, 4 + length).toString('utf8')) as {
    sweep: string; digest: string; ok: boolean; worker: WorkerStamp; message: string; name: string; cell: number | null; lengths: number[];
  };
  if (header.sweep !== payload.sweep || header.digest !== payload.digest) {
    throw new Error(`result record of task ${header.sweep}.${header.digest} where ${payload.sweep}.${payload.digest} was expected`);
  }
  if (!header.ok) return { ok: false, message: header.message, name: header.name, cell: header.cell, worker: header.worker };
  const expected = 4 + length + 8 * header.lengths.reduce((n, k) => n + Math.max(0, k), 0);
  if (bytes.length !== expected) throw new Error(`result record of ${bytes.length} bytes, expected ${expected}`);
  let o = 4 + length;
  const [theory, correct] = header.lengths.map((n) => {
    if (n < 0) return undefined;
    const a = new Float64Array(n);
    for (let i = 0; i < n; i++, o += 8) a[i] = bytes.readDoubleLE(o);
    return a;
  });
  return { ok: true, theory, correct, worker: header.worker };
}
