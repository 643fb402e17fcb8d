/**
 * `datong` — the command line. Every command has `--help`. `start`, `validate` and
 * `token create` work on local files and the store; the others talk to a running hub over HTTP
 * (DATONG_URL, DATONG_TOKEN).
 */
import { Command } from 'commander';
import { registerCommands } from './commands/index.ts';
import { reportCliError } from './output.ts';

const program = new Command();
program
  .name('datong')
  .description('datong (打通) — integration hub for ERP, CRM, OA, MES, WMS, HR and e-commerce systems')
  .version('0.1.0')
  .showHelpAfterError();

registerCommands(program);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  process.exitCode = reportCliError(error);
}
