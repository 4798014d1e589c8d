// The queue's data layer (issue 14), without Redis: Redis URLs, task payloads and their refusal
// rules, result records (exact bits, keyed by (sweep, task)), and the message when the optional
// packages are missing.
import { describe, expect, it } from 'vitest';
import { InvalidParameterError } from '../../src/errors.ts';
import {
  decodeResult, encodeResult, jobIdOf, PACKAGE_VERSION, QUEUE_PROTOCOL, refusal, sweepHash, taskPayload,
} from '../../src/sweep/queueProtocol.ts';
import { loadBullmq, MissingQueuePackagesError, parseRedisUrl, redactUrl } from '../../src/sweep/redisConnection.ts';
import type { SweepTask, SweepTaskResult } from '../../src/sweep/task.ts';

const task: SweepTask = {
  index: 3, attempt: 0,
  montecarlo: { seed: 7, mode: 'full', variant: { kind: 'standard' }, segments: [{ cell: 4, b: 3, gamma: 0.9, rho: 0.1, u0: 0.2, depth: 5, trials: 1000, firstChunk: 0, chunks: 1 }] },
};

describe('Redis URLs (--queue)', () => {
  it('parses host, port, db, credentials, TLS and unix sockets', () => {
    expect(parseRedisUrl('redis://localhost')).toEqual({ host: 'localhost', port: 6379 });
    expect(parseRedisUrl('redis://u:p%40ss@10.0.0.5:6380/2')).toEqual({ host: '10.0.0.5', port: 6380, db: 2, username: 'u', password: 'p@ss' });
    expect(parseRedisUrl('rediss://cache.example:6390')).toEqual({ host: 'cache.example', port: 6390, tls: {} });
    expect(parseRedisUrl('unix:///tmp/r.sock?db=3')).toEqual({ path: '/tmp/r.sock', db: 3 });
  });

  it('messages never show a password', () => {
    expect(redactUrl('redis://u:secret@h:1/0')).toBe('redis://u:***@h:1/0');
    expect(redactUrl('redis://h:1')).toBe('redis://h:1');
  });

  it('refuses other forms, naming the parameter', () => {
    for (const bad of ['localhost:6379', 'http://x', 'redis://', 'unix://', 'redis://h/x']) {
      expect(() => parseRedisUrl(bad, '--queue')).toThrow(InvalidParameterError);
      expect(() => parseRedisUrl(bad, '--queue')).toThrow(/^--queue must be a Redis URL/);
    }
  });
});

describe('task payloads', () => {
  const sweep = sweepHash({ spec: 'x', seed: 1 });

  it('a sweep hash depends on the identity and the version', () => {
    expect(sweep).toMatch(/^[0-9a-f]{24}$/);
    expect(sweepHash({ spec: 'x', seed: 2 })).not.toBe(sweep);
    expect(sweepHash({ spec: 'x', seed: 1 }, '9.9.9')).not.toBe(sweep);
  });

  it('the job id is the (sweep, task) key: the same task twice is one job, a retry is another', () => {
    const p = taskPayload(sweep, task);
    expect(jobIdOf(p)).toBe(jobIdOf(taskPayload(sweep, structuredClone(task))));
    expect(jobIdOf(p)).not.toBe(jobIdOf(taskPayload(sweep, { ...task, attempt: 1 })));
    expect(jobIdOf(p)).not.toBe(jobIdOf(taskPayload(sweepHash('other'), task)));
    expect(jobIdOf(p).startsWith(`${sweep}.`)).toBe(true);
    expect(jobIdOf(p)).not.toContain(':'); // BullMQ refuses ':' in ids
  });

  it('a worker runs only payloads of its protocol, version (and sweep, when filtered) with an intact digest', () => {
    const p = taskPayload(sweep, task);
    expect(p.protocol).toBe(QUEUE_PROTOCOL);
    expect(refusal(p)).toBeNull();
    expect(refusal(p, sweep)).toBeNull();
    expect(refusal(p, 'f'.repeat(24))).toBe(`sweep ${sweep}, this worker serves only ${'f'.repeat(24)}`);
    expect(refusal(taskPayload(sweep, task, '0.0.1'))).toBe(`written by synergy 0.0.1, this worker is ${PACKAGE_VERSION}`);
    expect(refusal({ ...p, protocol: 99 })).toBe(`queue protocol 99, this worker speaks ${QUEUE_PROTOCOL}`);
    expect(refusal({ ...p, task: { ...task, index: 4 } })).toBe('its digest does not match its content');
    expect(refusal({ hello: 1 })).toBe('not a synergy sweep task');
    expect(refusal(null)).toBe('not a synergy sweep task');
  });
});

describe('result records', () => {
  const payload = taskPayload(sweepHash('r'), task);
  const stamp = { id: 'node-thread-1', tasks: 2 };

  it('round-trip exactly: every bit of every double, NaN and ±∞ included', () => {
    const theory = new Float64Array([0.1, NaN, Infinity, -Infinity, -0, 1e-310, Math.PI]);
    const correct = new Float64Array([65536, 0, 2 ** 53]);
    for (const result of [
      { ok: true, theory, correct, worker: stamp },
      { ok: true, correct, worker: stamp },
      { ok: true, theory, worker: stamp },
    ] as SweepTaskResult[]) {
      const back = decodeResult(encodeResult(payload, result), payload);
      expect(back).toEqual(result);
      if (back.ok && result.ok && result.theory) expect(Buffer.from(back.theory!.buffer)).toEqual(Buffer.from(result.theory.buffer));
    }
    const failure: SweepTaskResult = { ok: false, message: 'injected fault at cell 4', name: 'InjectedFault', cell: 4, worker: stamp };
    expect(decodeResult(encodeResult(payload, failure), payload)).toEqual(failure);
  });

  it('a record is accepted only as the result of its own (sweep, task)', () => {
    const bytes = encodeResult(payload, { ok: true, correct: new Float64Array([1]), worker: stamp });
    const other = taskPayload(sweepHash('r'), { ...task, attempt: 1 });
    expect(() => decodeResult(bytes, other)).toThrow(/result record of task .* where .* was expected/);
    expect(() => decodeResult(bytes.subarray(0, bytes.length - 8), payload)).toThrow(/bytes, expected/);
  });
});

describe('optional packages', () => {
  it('without bullmq the error says what to install', async () => {
    const missing = () => Promise.reject(Object.assign(new Error("Cannot find package 'bullmq'"), { code: 'ERR_MODULE_NOT_FOUND' }));
    const error = await loadBullmq(missing).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MissingQueuePackagesError);
    expect((error as Error).message).toBe('the Redis queue needs the optional packages bullmq and ioredis, which are not installed: npm install bullmq@5.81.5 ioredis@5.11.1');
  });
});
