import type { Command } from 'commander';
import { CONNECTORS } from '../../connectors/registry.ts';
import { loadWorkspace } from '../../workspace/load-workspace.ts';
import { runValidate } from '../../workspace/validate-command.ts';
import { printJson } from './hub-options.ts';

/** `datong validate <dir>`: lints a workspace folder offline; exit code 1 when it has errors. */
export function validateCommand(program: Command): void {
  program
    .command('validate')
    .description('Check a workspace folder (YAML, schemas, references, connector options, cron) without a hub; prints file:line:col findings')
    .argument('[dir]', 'workspace folder', '.')
    .option('--json', 'print { valid, findings } as JSON')
    .action(async (dir: string, options: { json?: boolean }) => {
      if (options.json) {
        const { workspace, findings } = await loadWorkspace(dir, { connectors: CONNECTORS });
        printJson({ valid: workspace !== undefined, findings });
        process.exitCode = workspace ? 0 : 1;
        return;
      }
      process.exitCode = await runValidate(dir, { connectors: CONNECTORS });
    });
}
