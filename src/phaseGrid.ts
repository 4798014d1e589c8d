// The phase-grid kernel (assembly/phaseGrid.ts): α_ρ, s, u*, u_L, mixing depth and clipped predictor
// for every cell of a cartesian grid over (b, γ, ρ, u_0), §B7–§B9, in one WebAssembly call.
import { checkBias, checkFanIn, checkInteger, checkKnownFields, checkNumber, checkUnit, InvalidParameterError } from './errors.ts';
import { DEFAULT_MAX_MIXING_DEPTH, DEFAULT_MIXING_EPSILON, isBinaryIdentity, MAX_DEPTH, type Regime } from './theory/level.ts';
import { type Aggregator, type Answers, checkAggregator, checkTaskModel, type TaskModel } from './theory/model.ts';
import { checkPluralityFanIn, checkSkill, pluralitySlope, pluralityWeights } from './theory/plurality.ts';
import { instantiateKernel, kernel as sharedKernel, type Kernel } from './wasm/kernel.ts';

export interface PhaseGridSpec {
  b: readonly number[];
  gamma: readonly number[];
  rho: readonly number[];
  u0: readonly number[];
  /** Depths L at which u_L and û_L are reported. */
  depths: readonly number[];
  /** ε of the mixing depth (default 0.05). */
  epsilon?: number;
  /** Cap on the exact mixing depth (default 1,000,000); beyond it the cell's mixing depth is NaN. */
  maxMixingDepth?: number;
  /**
   * K answers (§H5): with answers ≠ 2 or a judge, u0 holds leaf skills and the grid gives α, s, the
   * regime (bistable included) and s_L per cell; uStar, mixing depths and the clipped predictor are
   * NaN there (use phaseStructure / mixingDepth per cell). Symmetric distractors only.
   */
  task?: TaskModel;
  aggregator?: Aggregator;
}

/** Regime codes of {@link PhaseGridResult.regime}. */
export const REGIME_CODES: readonly Regime[] = ['subcritical', 'critical', 'bistable', 'amplifying', 'identity'];

/**
 * Results for cells numbered with u_0 fastest, then ρ, then γ, then b:
 * cell = ((ib·|γ| + iγ)·|ρ| + iρ)·|u_0| + iu; per-depth fields at cell·|depths| + k.
 */
export interface PhaseGridResult {
  cells: number;
  shape: { b: number; gamma: number; rho: number; u0: number; depths: number };
  alpha: Float64Array;
  s: Float64Array;
  uStar: Float64Array;
  /** Exact mixing depth; NaN where there is none (not amplifying, u_0 = 0, or beyond the cap). */
  mixingDepth: Float64Array;
  /** Small-signal mixing depth ln(u* / |u_0|)/ln α_ρ floored at 0; NaN where there is none. */
  mixingDepthSmallSignal: Float64Array;
  /** u_L per cell and depth. */
  uL: Float64Array;
  /** û_L = min(α^L·u_0, u*) per cell and depth (α^L·u_0 when not amplifying). */
  clipped: Float64Array;
  /** Regime per cell as an index into {@link REGIME_CODES}. */
  regime: Uint8Array;
}

function checkAxis(name: string, values: unknown, check: (name: string, v: number) => number): readonly number[] {
  if (!Array.isArray(values) && !ArrayBuffer.isView(values)) throw new InvalidParameterError(name, 'a non-empty array', values);
  const list = values as readonly number[];
  if (list.length === 0) throw new InvalidParameterError(name, 'a non-empty array', values);
  list.forEach((v, i) => check(`${name}[${i}]`, v));
  return list;
}

/** A kernel instance that owns its arena; results of `run` are views valid until the next run. */
export class PhaseGridKernel {
  private constructor(private readonly kernel: Kernel) {}

  /** A private instance (its own memory), e.g. for a worker or to keep views alive independently. */
  static async create(flavour?: Kernel['flavour']): Promise<PhaseGridKernel> {
    return new PhaseGridKernel(await instantiateKernel(flavour));
  }

  /** The instance shared with the scalar API of this thread. */
  static shared(): PhaseGridKernel {
    return new PhaseGridKernel(sharedKernel);
  }

  /**
   * Evaluates the grid. The returned arrays are views into WebAssembly memory, overwritten by the
   * next `run` on this kernel: copy them (or use {@link phaseGrid}) to keep them.
   */
  run(spec: PhaseGridSpec): PhaseGridResult {
    // The other API's spelling gets its own message (a sweep's axis is depth, this list is depths).
    if (typeof spec === 'object' && spec !== null && spec.depths === undefined && (spec as { depth?: unknown }).depth !== undefined) {
      throw new InvalidParameterError('depth', "absent: phaseGrid's list of depths is named depths (a sweep's axis is depth)", (spec as { depth?: unknown }).depth);
    }
    if (typeof spec === 'object' && spec !== null) checkKnownFields('spec', spec, ['b', 'gamma', 'rho', 'u0', 'depths', 'epsilon', 'maxMixingDepth', 'task', 'aggregator']);
    const task = checkTaskModel(spec.task ?? {}, 'task');
    const aggregator = checkAggregator('aggregator', spec.aggregator ?? 'plurality');
    if (task.answers !== 2 || aggregator !== 'plurality') return this.runPlurality(spec, task.answers, aggregator);
    const b = checkAxis('b', spec.b, checkFanIn);
    const gamma = checkAxis('gamma', spec.gamma, checkUnit);
    const rho = checkAxis('rho', spec.rho, checkUnit);
    const u0 = checkAxis('u0', spec.u0, checkBias);
    const depths = checkAxis('depths', spec.depths, (n, v) => checkInteger(n, v, 0, MAX_DEPTH));
    const epsilon = checkNumber('epsilon', spec.epsilon ?? DEFAULT_MIXING_EPSILON, Number.MIN_VALUE, 1, 'a number in (0, 1]');
    const maxMix = checkInteger('maxMixingDepth', spec.maxMixingDepth ?? DEFAULT_MAX_MIXING_DEPTH, 0, 2 ** 31 - 1);
    const shape = { b: b.length, gamma: gamma.length, rho: rho.length, u0: u0.length, depths: depths.length };
    const cells = shape.b * shape.gamma * shape.rho * shape.u0;
    const nd = shape.depths;
    const k = this.kernel;
    const at = k.layout([
      Math.ceil(shape.b / 2), shape.gamma, shape.rho, shape.u0, Math.ceil(nd / 2),
      cells, cells, cells, cells, cells, cells * nd, cells * nd,
    ]);
    k.i32(at[0], shape.b).set(b);
    k.f64(at[1], shape.gamma).set(gamma);
    k.f64(at[2], shape.rho).set(rho);
    k.f64(at[3], shape.u0).set(u0);
    k.i32(at[4], nd).set(depths);
    k.exports.phaseGrid(
      at[0], shape.b, at[1], shape.gamma, at[2], shape.rho, at[3], shape.u0, at[4], nd, epsilon, maxMix,
      at[5], at[6], at[7], at[8], at[9], at[10], at[11],
    );
    const alpha = k.f64(at[5], cells);
    // §B7 regimes from α (K = 2 has no bistable region), as codes into REGIME_CODES; the identity map
    // (γ = 1 with ρ = 1 or b = 2) by the scalar API's own test, isBinaryIdentity
    const regime = new Uint8Array(cells);
    for (let i = 0; i < cells; i++) {
      const bb = b[Math.floor(i / (shape.gamma * shape.rho * shape.u0))];
      const g = gamma[Math.floor(i / (shape.rho * shape.u0)) % shape.gamma];
      const r = rho[Math.floor(i / shape.u0) % shape.rho];
      regime[i] = isBinaryIdentity({ b: bb, gamma: g, rho: r }) ? 4 : alpha[i] > 1 ? 3 : alpha[i] === 1 ? 1 : 0;
    }
    return {
      cells, shape, regime,
      alpha,
      s: k.f64(at[6], cells),
      uStar: k.f64(at[7], cells),
      mixingDepth: k.f64(at[8], cells),
      mixingDepthSmallSignal: k.f64(at[9], cells),
      uL: k.f64(at[10], cells * nd),
      clipped: k.f64(at[11], cells * nd),
    };
  }

  /** §H5 grid: one WASM call per b, the plurality weights computed once per (b, K) on the host. */
  private runPlurality(spec: PhaseGridSpec, answers: Answers, aggregator: Aggregator): PhaseGridResult {
    const task = checkTaskModel(spec.task ?? {}, 'task');
    if (task.distractors !== 'symmetric') throw new InvalidParameterError('task.distractors', "'symmetric' in a phase grid", task.distractors);
    const b = checkAxis('b', spec.b, checkPluralityFanIn);
    const gamma = checkAxis('gamma', spec.gamma, checkUnit);
    const rho = checkAxis('rho', spec.rho, checkUnit);
    const u0 = checkAxis('u0', spec.u0, (n, v) => checkSkill(n, v, answers));
    const depths = checkAxis('depths', spec.depths, (n, v) => checkInteger(n, v, 0, MAX_DEPTH));
    const shape = { b: b.length, gamma: gamma.length, rho: rho.length, u0: u0.length, depths: depths.length };
    const per = shape.gamma * shape.rho * shape.u0;
    const cells = shape.b * per;
    const nd = shape.depths;
    const out = {
      alpha: new Float64Array(cells), s: new Float64Array(cells), uStar: new Float64Array(cells).fill(NaN),
      mixingDepth: new Float64Array(cells).fill(NaN), mixingDepthSmallSignal: new Float64Array(cells).fill(NaN),
      uL: new Float64Array(cells * nd), clipped: new Float64Array(cells * nd).fill(NaN), regime: new Uint8Array(cells),
    };
    const k = this.kernel;
    const chance = answers === 'open' ? 0 : 1 / answers;
    const judge = aggregator === 'plurality' ? 0 : aggregator.judge;
    b.forEach((bb, ib) => {
      const w = pluralityWeights(bb, answers);
      const at = k.layout([bb + 1, shape.gamma, shape.rho, shape.u0, Math.ceil(nd / 2), per, per, Math.ceil(per / 8), per * nd]);
      const coef = k.f64(at[0], bb + 1);
      let binom = 1; // C(b, c), exact in doubles up to b = 151 to ~1 ulp
      for (let c = 0; c <= bb; c++) {
        coef[c] = w[c] * binom;
        binom = (binom * (bb - c)) / (c + 1);
      }
      k.f64(at[1], shape.gamma).set(gamma);
      k.f64(at[2], shape.rho).set(rho);
      k.f64(at[3], shape.u0).set(u0);
      k.i32(at[4], nd).set(depths);
      k.exports.pluralityGrid(bb, at[0], chance, judge, pluralitySlope(bb, answers, aggregator),
        at[1], shape.gamma, at[2], shape.rho, at[3], shape.u0, at[4], nd, at[5], at[6], at[7], at[8]);
      out.alpha.set(k.f64(at[5], per), ib * per);
      out.s.set(k.f64(at[6], per), ib * per);
      out.regime.set(k.u8(at[7], per), ib * per);
      out.uL.set(k.f64(at[8], per * nd), ib * per * nd);
    });
    return { cells, shape, ...out };
  }
}

/** Evaluates a phase grid on this thread's shared kernel and returns arrays the caller owns. */
export function phaseGrid(spec: PhaseGridSpec): PhaseGridResult {
  const r = PhaseGridKernel.shared().run(spec);
  return {
    ...r,
    alpha: r.alpha.slice(), s: r.s.slice(), uStar: r.uStar.slice(), mixingDepth: r.mixingDepth.slice(),
    mixingDepthSmallSignal: r.mixingDepthSmallSignal.slice(), uL: r.uL.slice(), clipped: r.clipped.slice(), regime: r.regime.slice(),
  };
}
