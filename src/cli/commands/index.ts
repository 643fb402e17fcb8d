import type { Command } from 'commander';
import { applyCommand } from './apply.ts';
import { auditCommand } from './audit.ts';
import { deadLettersCommand } from './dead-letters.ts';
import { replayCommand } from './replay.ts';
import { runCommand } from './run.ts';
import { startCommand } from './start.ts';
import { statusCommand } from './status.ts';
import { tokenCommand } from './token.ts';
import { traceCommand } from './trace.ts';
import { validateCommand } from './validate.ts';

export function registerCommands(program: Command): void {
  startCommand(program);
  validateCommand(program);
  applyCommand(program);
  runCommand(program);
  statusCommand(program);
  traceCommand(program);
  deadLettersCommand(program);
  replayCommand(program);
  auditCommand(program);
  tokenCommand(program);
}
