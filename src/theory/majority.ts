// SPEC §B5 — the majority polynomial. The arithmetic lives in assembly/majority.ts (one place,
// shared with the grid kernel and the simulators' references); this file validates and documents.
import { checkBias, checkOddFanIn as checkFanIn } from '../errors.ts';
import { kernel } from '../wasm/kernel.ts';

/**
 * f_b(u): the bias of the strict majority of b i.i.d. votes of bias u (§B5). Odd, increasing,
 * concave on [0, 1], f_b(1) = 1. Evaluated by a recurrence with only non-negative terms, so it is
 * accurate to a few ulps relative for every odd b up to {@link MAX_FAN_IN} and every u.
 */
export function majorityBias(b: number, u: number): number {
  return kernel.exports.majorityBias(checkFanIn('b', b), checkBias('u', u));
}

/** c_b = f_b'(0) = b·C(b−1, (b−1)/2)/2^(b−1) (§B5); c_3 = 1.5, c_5 = 1.875, grows like √(2b/π). */
export function majoritySlope(b: number): number {
  return kernel.exports.majoritySlope(checkFanIn('b', b));
}

/** f_b'(u) = c_b·(1 − u²)^((b−1)/2). */
export function majorityDerivative(b: number, u: number): number {
  return kernel.exports.majorityDerivative(checkFanIn('b', b), checkBias('u', u));
}
