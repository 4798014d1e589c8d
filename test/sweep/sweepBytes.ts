// Canonical bytes of a sweep's output, for byte-for-byte comparisons between executors.
import { THEORY_FIELDS, type SweepRun } from '../../src/index.ts';

/**
 * All of a run's output as bytes. Block boundaries depend on the chunking, so only the cells'
 * values are concatenated (block headers are checked for contiguity instead).
 */
export async function sweepBytes(run: SweepRun): Promise<Buffer> {
  const perField: Buffer[][] = [];
  let next = run.range.start;
  for await (const block of run.blocks()) {
    if (block.start !== next) throw new Error(`block starts at ${block.start}, expected ${next}`);
    next += block.count;
    const arrays: Float64Array[] = [];
    if (block.theory) for (const f of THEORY_FIELDS) arrays.push(block.theory[f]);
    if (block.montecarlo) arrays.push(block.montecarlo.trials, block.montecarlo.correct);
    arrays.forEach((a, i) => (perField[i] ??= []).push(Buffer.from(a.buffer, a.byteOffset, a.byteLength)));
  }
  if (next !== run.range.end) throw new Error(`blocks end at cell ${next}, expected ${run.range.end}`);
  return Buffer.concat(perField.map((parts) => Buffer.concat(parts)));
}
