// A bare worker_thread for bench/sweep.mjs: runs the §D4 chunks it is sent with no pool machinery,
// so two of them show how much of 2× the machine itself allows (the ceiling for Piscina).
import { parentPort } from 'node:worker_threads';
import { simulateTreeChunk } from '../dist/node.js';

parentPort.on('message', ({ cells, seed, trials }) => {
  let correct = 0;
  for (const { cell, gamma, rho } of cells) {
    const spec = { tree: { b: 3, gamma, rho }, u0: 0.05, depth: 7, mode: 'full' };
    correct += simulateTreeChunk(spec, { seed, cell, chunk: 0, trials }).correct;
  }
  parentPort.postMessage(correct);
});
