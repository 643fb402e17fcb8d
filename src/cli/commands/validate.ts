import type { Command } from 'commander';
import { printJson } from './hub-options.ts';

/** `datong validate <dir>`: lints a workspace folder offline; exit code 1 when it has errors. */
export function validateCommand(program: Command): void {
  program
    .command('validate')
    .description('Check a workspace folder (YAML, schemas, references, connector options, cron) without a hub; prints file:line:col findings')
    .argument('[dir]', 'workspace folder', '.')
    .option('--json', 'print { valid, findings } as JSON')
    .action(async (dir: string, options: { json?: boolean }) => {
      // Loaded here, not at start-up: `datong --help` should not load every connector spec.
      const { CONNECTORS } = await import('../../connectors/registry.ts');
      const { loadWorkspace } = await import('../../workspace/load-workspace.ts');
      const { runValidate } = await import('../../workspace/validate-command.ts');
      if (options.json) {
        const { workspace, findings } = await loadWorkspace(dir, { connectors: CONNECTORS });
        printJson({ valid: workspace !== undefined, findings });
        process.exitCode = workspace ? 0 : 1;
        return;
      }
      process.exitCode = await runValidate(dir, { connectors: CONNECTORS });
    });
}
