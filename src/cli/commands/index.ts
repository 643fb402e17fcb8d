import type { Command } from 'commander';
import { startCommand } from './start.ts';

export function registerCommands(program: Command): void {
  startCommand(program);
}
