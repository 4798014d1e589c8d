// SPEC §B1 — votes as ±1; the bias of a vote is u = E[vote] = 2p − 1 for accuracy p.
import { checkBias, checkUnit, InvalidParameterError } from '../errors.ts';

/** u = 2p − 1. */
export function biasFromAccuracy(p: number): number {
  return 2 * checkUnit('accuracy', p) - 1;
}

/** p = (1 + u)/2. */
export function accuracyFromBias(u: number): number {
  return (1 + checkBias('bias', u)) / 2;
}

/** Inputs that accept either convention say which one they hold; never a bare number. */
export type Quality = { bias: number } | { accuracy: number };

/** The bias of a {@link Quality}, validated. */
export function qualityBias(q: Quality, name = 'quality'): number {
  const hasBias = typeof q === 'object' && q !== null && 'bias' in q;
  const hasAccuracy = typeof q === 'object' && q !== null && 'accuracy' in q;
  if (hasBias === hasAccuracy) {
    throw new InvalidParameterError(name, 'an object with exactly one of { bias } or { accuracy }', q);
  }
  return hasBias ? checkBias(`${name}.bias`, (q as { bias: number }).bias)
    : 2 * checkUnit(`${name}.accuracy`, (q as { accuracy: number }).accuracy) - 1;
}
