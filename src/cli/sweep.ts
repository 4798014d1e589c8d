// `synergy sweep` and `synergy merge` (in progress).
import type { Command } from 'commander';

export function registerSweepCommands(_root: Command): void {}
