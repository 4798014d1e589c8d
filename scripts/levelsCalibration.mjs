// Issue 12 calibration numbers of the level-by-level error (§D1b): fraction of 500 seeds whose
// estimate lies outside ±2 reported errors, the seed spread over the RMS reported error, warnings.
// Run after `npm run build`: node scripts/levelsCalibration.mjs [--binary | --continuous]
import { simulateContinuous, simulateTree, trajectory, treeRisk } from '../dist/index.js';

const SEEDS = 500;
function calibrate(label, level, u0, depth, trials) {
  const exact = trajectory(level, u0, depth)[depth];
  const rs = Array.from({ length: SEEDS }, (_, i) => simulateTree({ tree: level, u0, depth, mode: 'levels', trials, seed: i + 1 }));
  const mean = rs.reduce((s, r) => s + r.bias, 0) / SEEDS;
  const sd = Math.sqrt(rs.reduce((s, r) => s + (r.bias - mean) ** 2, 0) / (SEEDS - 1));
  const rms = Math.sqrt(rs.reduce((s, r) => s + r.stdError ** 2, 0) / SEEDS);
  const out = (t) => rs.filter((r) => Math.abs(r.bias - t) > 2 * r.stdError).length / SEEDS;
  const pct = (x) => `${(100 * x).toFixed(1)}%`;
  console.log(`${label}: u_L ${exact.toFixed(4)}, mean ${mean.toFixed(4)}, seed sd ${sd.toFixed(4)}, RMS error ${rms.toFixed(4)} (ratio ${(sd / rms).toFixed(2)}), ` +
    `outside ±2 errors of u_L ${pct(out(exact))}, of the seed mean ${pct(out(mean))}, warned ${pct(rs.filter((r) => r.warning).length / SEEDS)}`);
}
if (!process.argv.includes('--continuous')) calibrate('b=3 γ=0.9 ρ=0.2 u0=0.1 depth 4, 8,000 trials', { b: 3, gamma: 0.9, rho: 0.2 }, 0.1, 4, 8000);
if (!process.argv.includes('--continuous')) calibrate('b=5 γ=0.6 ρ=0 u0=0.05 depth 30, 2,000 trials', { b: 5, gamma: 0.6, rho: 0 }, 0.05, 30, 2000);
if (!process.argv.includes('--continuous')) calibrate('b=5 γ=0.6 ρ=0.3 u0=0.05 depth 30, 50,000 trials', { b: 5, gamma: 0.6, rho: 0.3 }, 0.05, 30, 50000);

// The continuous level-by-level tree (§D3): the error is the spread of 16 replicate populations.
function calibrateContinuous(label, spec, trials) {
  const exact = treeRisk({ v: spec.v, rho: spec.rho, sigma2: spec.sigma2, b: spec.topology.b, depth: spec.topology.depth }).risk;
  const rs = Array.from({ length: SEEDS }, (_, i) => simulateContinuous({ ...spec, trials, seed: i + 1 }));
  const mean = rs.reduce((s, r) => s + r.risk, 0) / SEEDS;
  const sd = Math.sqrt(rs.reduce((s, r) => s + (r.risk - mean) ** 2, 0) / (SEEDS - 1));
  const rms = Math.sqrt(rs.reduce((s, r) => s + r.stdError ** 2, 0) / SEEDS);
  const iid = Math.sqrt(rs.reduce((s, r) => s + (r.sumFourth / r.trials - r.risk ** 2) / r.trials, 0) / SEEDS);
  const out = rs.filter((r) => Math.abs(r.risk - exact) > 2 * r.stdError).length / SEEDS;
  console.log(`${label}: R_L ${exact.toFixed(5)}, mean ${mean.toFixed(5)}, seed sd ${sd.toFixed(5)}, RMS error ${rms.toFixed(5)} (ratio ${(sd / rms).toFixed(2)}; ` +
    `the i.i.d. error ${iid.toFixed(5)} would give ${(sd / iid).toFixed(2)}), outside ±2 errors of R_L ${(100 * out).toFixed(1)}%`);
}
if (!process.argv.includes('--binary')) calibrateContinuous('continuous tree b=2 depth 6 v=1 ρ=0.9 σ²=0.05, 4,000 trials', { topology: { kind: 'tree', b: 2, depth: 6 }, v: 1, rho: 0.9, sigma2: 0.05 }, 4000);
