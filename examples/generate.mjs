// Regenerates the synthetic example inputs of `synergy calibrate` (SPEC §G) from known parameters,
// with the package's own seeded generators (src/calibrate/synthetic.ts). Run `npm run examples`
// (it builds first); the output is identical on every run.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { syntheticCorrectnessMatrix, syntheticFidelityCounts, syntheticLeafCounts, syntheticMatchedTable, syntheticSamples } from '../dist/index.js';

const here = (name) => fileURLToPath(new URL(name, import.meta.url));
const comment = (lines) => lines.map((l) => `# ${l}`).join('\n') + '\n';

// §G1: 5 agents of bias 0.3, 400 tasks, shared failure ρ = 0.25 (§B4), 5% of the cells unanswered.
const corr = { biases: [0.3, 0.3, 0.3, 0.3, 0.3], tasks: 400, rho: 0.25, missing: 0.05, seed: 7 };
const { matrix } = syntheticCorrectnessMatrix(corr);
writeFileSync(here('correlation.csv'), comment([
  'Synthetic correctness matrix (examples/generate.mjs): 5 agents of bias u = 0.3, 400 tasks,',
  'shared failure rho = 0.25 (SPEC §B4), 5% of cells missing, seed 7. 1 = right, 0 = wrong, empty = not answered.',
]) + matrix.agents.join(',') + '\n' + matrix.tasks.map((row) => row.map((z) => (z === null ? '' : z)).join(',')).join('\n') + '\n');

// §G2: saturating fidelity γ(m) = 0.9·(1 − e^(−m/60)), 500 messages per length.
const fid = syntheticFidelityCounts({ curve: { kind: 'saturating', gammaInf: 0.9, m0: 60 }, lengths: [10, 25, 50, 100, 200, 400], total: 500, seed: 7 });
writeFileSync(here('fidelity.csv'), comment([
  'Synthetic fidelity counts (examples/generate.mjs): gamma(m) = 0.9*(1 - exp(-m/60)) (SPEC §B3 saturating),',
  '500 votes sent per length through the simulated channel, seed 7. agree = received vote equal to the sent one.',
]) + 'm,agree,total\n' + fid.map((r) => `${r.m},${r.agree},${r.total}`).join('\n') + '\n');

// §G3: binary leaf law g(x) = min(0.7, 0.01·x^0.45), chance 1/2, 400 trials per budget.
const leaf = syntheticLeafCounts({ law: { kind: 'power', k: 0.01, beta: 0.45, gMax: 0.7 }, chance: 0.5, budgets: [100, 300, 1000, 3000, 10000, 30000, 100000], trials: 400, seed: 7 });
writeFileSync(here('leaf.csv'), comment([
  'Synthetic leaf counts (examples/generate.mjs): g(x) = min(0.7, 0.01*x^0.45) (SPEC §B2), binary task (chance 1/2),',
  '400 trials per compute budget x (tokens), seed 7.',
]) + 'x,right,trials\n' + leaf.map((r) => `${r.x},${r.right},${r.trials}`).join('\n') + '\n');
// §J4: a matched-budget table in the shape pandas' DataFrame.to_csv() writes (an unnamed index column):
// 6 benchmarks × 4 models, three organizations drawn from the §J3 voter model, 400 instances per cell.
const matched = syntheticMatchedTable({
  world: 'theory', benchmarks: ['arith', 'logic', 'trivia', 'code', 'math', 'reading'], models: ['small', 'medium', 'large', 'xl'],
  organizations: [
    { name: 'vote-5', agents: 5, a: 0.8, rho: 0.1 },
    { name: 'vote-15', agents: 15, a: 0.6, rho: 0.2 },
    { name: 'lead+3', agents: 4, a: 0.85, rho: 0.05 },
  ],
  n: 400, chance: 0.25, singleRange: [0.3, 0.95], seed: 7,
});
writeFileSync(here('matched-budget.csv'), ',benchmark,model,organization,agents,single,accuracy,n,chance\n' + matched.map((c, i) => {
  const [benchmark, model] = c.group.split(' / ');
  return [i, benchmark, model, c.organization, c.agents, c.single, c.accuracy, c.n, c.chance].join(',');
}).join('\n') + '\n');

// §I3/§I4: 500 tasks × 5 samples of one agent, mean accuracy 0.7, shared failure ρ = 0.1 and
// difficulty φ = 0.2, written as pandas' DataFrame.to_csv() does (an unnamed index column).
const samples = syntheticSamples({ tasks: 500, samples: 5, mean: 0.7, rho: 0.1, dispersion: 0.2, seed: 7 });
writeFileSync(here('samples.csv'), comment([
  'Synthetic tasks x samples matrix (examples/generate.mjs): 500 tasks, 5 samples each, mean accuracy 0.7,',
  'shared failure rho = 0.1 (SPEC §I1), difficulty phi = 0.2 (§I2), seed 7. 1 = right, 0 = wrong.',
]) + ',s1,s2,s3,s4,s5\n' + samples.rows.map((row, t) => [t, ...row].join(',')).join('\n') + '\n');

// §I4 open answers: 400 tasks × 7 samples, mean accuracy 0.35, φ = 0.2, ρ = 0.05, and a dominant
// distractor taking 70% of the wrong answers: the plurality curve rises, then turns down.
const open = syntheticSamples({ tasks: 400, samples: 7, mean: 0.35, rho: 0.05, dispersion: 0.2, wrongShare: 0.7, seed: 7 });
writeFileSync(here('samples-open.csv'), comment([
  'Synthetic open-answer samples (examples/generate.mjs): 400 tasks, 7 answer texts each, mean accuracy 0.35,',
  'rho = 0.05, phi = 0.2, a dominant wrong answer ("B") takes 70% of wrong answers, the rest scatter; seed 7.',
]) + 'task,answer,s1,s2,s3,s4,s5,s6,s7\n' + open.answers.map((row, t) => [`q${t + 1}`, open.right[t], ...row].join(',')).join('\n') + '\n');
console.log('wrote examples/correlation.csv, examples/fidelity.csv, examples/leaf.csv, examples/matched-budget.csv, examples/samples.csv, examples/samples-open.csv');
