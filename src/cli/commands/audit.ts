import type { Command } from 'commander';
import { DatongError } from '../../errors/datong-error.ts';
import { clientFor, hubCommand, print, printJson, type HubCommandOptions } from './hub-options.ts';

type VerifyResult = ({ ok: true; count: number } | { ok: false; seq: number; reason: string }) & { head: { seq: number; hash: string } };

/** `datong audit verify`: recomputes the audit log's hash chain on the hub. */
export function auditCommand(program: Command): void {
  const audit = program.command('audit').description('The tamper-evident audit log');
  hubCommand(audit, 'verify', 'Recompute the audit hash chain; exit code 1 if an entry was changed, removed or reordered').action(async (options: HubCommandOptions) => {
    const result = await clientFor(options).get<VerifyResult>('/audit/verify');
    if (options.json) {
      printJson(result);
      process.exitCode = result.ok ? 0 : 1;
      return;
    }
    if (!result.ok) throw new DatongError('DT_AUDIT_TAMPERED', { params: { seq: result.seq, reason: result.reason } });
    print(`✔ audit log intact: ${result.count} entries`, `  head ${result.head.seq} ${result.head.hash} (record it elsewhere to detect a rewritten tail)`);
  });
}
