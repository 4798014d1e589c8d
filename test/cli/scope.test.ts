// SPEC §I1, §B9 on the command line: --rho-task on analyze and design.
import { describe, expect, it } from 'vitest';
import { rootBias } from '../../src/index.ts';
import { synergy } from './run.ts';

describe('--rho-task', () => {
  it('analyze reports the §I1 mixture and the §B9 trend', async () => {
    const r = await synergy(['analyze', '--b', '5', '--gamma', '0.9', '--rho', '0.1', '--u0', '0.2', '--depth', '6', '--rho-task', '0.4', '--json']);
    expect(r.code).toBe(0);
    const a = JSON.parse(r.stdout);
    expect(a.rhoTask).toBe(0.4);
    expect(a.uL).toBeCloseTo(rootBias({ b: 5, gamma: 0.9, rho: 0.1 }, 0.2, 6, { rhoTask: 0.4 }), 12);
    expect(a.trend).toBe('growing');
    const high = JSON.parse((await synergy(['analyze', '--b', '5', '--gamma', '0.7', '--rho', '0', '--u0', '0.99', '--depth', '3', '--json'])).stdout);
    expect(high.trend).toBe('falling');
    expect(high.clippedBound).toBe('lower');
    expect(high.uL).toBeGreaterThanOrEqual(high.clipped);
  });

  it('design states the scope and flips the continuous ranking', async () => {
    const args = ['design', '--continuous', '--budget', '100000', '--window', '1000', '--m', '20', '--noise', 'constant:0.000001', '--beta', '0.3'];
    const sibling = await synergy([...args, '--rho', '0.5', '--top', '1']);
    expect(sibling.stdout).toMatch(/All organizations under ρ = 0\.5, ρ_task = 0 /);
    expect(sibling.stdout).toMatch(/^1 +tree b=2 L=8 /m);
    const task = JSON.parse((await synergy([...args, '--rho', '0', '--rho-task', '0.5', '--json'])).stdout);
    const tree = task.rows.find((x: { organization: string; b: number; depth: number }) => x.organization === 'tree' && x.b === 2 && x.depth === 8);
    expect(tree.risk).toBeGreaterThan(task.single.risk);
  });

  it('simulate draws the task-level event per trial and sits within 6σ of the exact mixture', async () => {
    const r = await synergy(['simulate', '--b', '3', '--gamma', '0.9', '--rho', '0.1', '--u0', '0.1', '--depth', '4', '--rho-task', '0.3', '--trials', '200000', '--seed', '1', '--json']);
    expect(r.code).toBe(0);
    const s = JSON.parse(r.stdout);
    expect(s.exact).toBeCloseTo(rootBias({ b: 3, gamma: 0.9, rho: 0.1 }, 0.1, 4, { rhoTask: 0.3 }), 12);
    expect(Math.abs(s.bias - s.exact)).toBeLessThan(6 * s.stdError);
    // Level by level: a mixture of populations (one group per kind of trial, §D1b), same check.
    const levels = JSON.parse((await synergy(['simulate', '--b', '3', '--gamma', '0.9', '--rho', '0.1', '--u0', '0.1', '--depth', '4', '--rho-task', '0.3', '--mode', 'levels', '--trials', '200000', '--seed', '1', '--json'])).stdout);
    expect(levels.stdErrorMethod).toBe('replicates');
    expect(Math.abs(levels.bias - levels.exact)).toBeLessThan(6 * levels.stdError);
    const variant = await synergy(['simulate', '--b', '3', '--gamma', '0.9', '--rho', '0.1', '--u0', '0.1', '--depth', '4', '--rho-task', '0.3', '--variant', 'channelAfterCopy']);
    expect(variant.code).toBe(2);
    expect(variant.stderr).toMatch(/--rho-task/);
  });

  it('bad --rho-task names the flag, exit 2', async () => {
    const r = await synergy(['design', '--continuous', '--budget', '1000', '--window', '100', '--m', '10', '--noise', 'constant:0.1', '--beta', '0.3', '--rho', '0', '--rho-task', '2']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--rho-task/);
    const a = await synergy(['analyze', '--b', '3', '--gamma', '1', '--rho', '0', '--u0', '0.1', '--depth', '2', '--rho-task', 'x']);
    expect(a.code).toBe(2);
    expect(a.stderr).toMatch(/--rho-task/);
  });
});
