// A SweepRun whose blocks() generator is dropped before its first next() must not leave a worker
// pool behind: the default executor is created only when the generator starts.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const NODE_ENTRY = fileURLToPath(new URL('../../dist/node.js', import.meta.url));

const script = `
import { readFileSync } from 'node:fs';
const { sweep } = await import(${JSON.stringify(NODE_ENTRY)});
const threads = () => Number(readFileSync('/proc/self/status', 'utf8').match(/Threads:\\s+(\\d+)/)[1]);
const spec = { b: [3], gamma: [0.8], rho: [0.1], u0: [0.1], depth: [3] };
const before = threads();
for (let i = 0; i < 5; i++) await sweep(spec, { workers: 2 }).blocks().return(undefined);
await new Promise((r) => setTimeout(r, 500));
console.log(JSON.stringify({ before, after: threads() }));
`;

describe('worker pools', () => {
  it('an abandoned blocks() generator starts no threads', async () => {
    const out = await new Promise<string>((resolve, reject) => {
      const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
      let text = '';
      child.stdout.on('data', (d) => (text += d));
      child.on('error', reject);
      child.on('close', () => resolve(text));
    });
    const { before, after } = JSON.parse(out);
    expect(before).toBeGreaterThan(0);
    expect(after).toBe(before);
  });
});
