import type { Command } from 'commander';
import { brief, localTime } from './format.ts';
import { clientFor, hubCommand, print, printJson, type HubCommandOptions } from './hub-options.ts';

interface Hop {
  step: string;
  type: string;
  ms: number;
  input?: unknown;
  output?: unknown;
  outcome?: string;
  error?: { code: string; message: string };
}

interface Trace {
  record: { id: string; flow: string; sourceSystem: string; sourceId: string; state: string; attempts: number; acceptedAt: string; payload: unknown; lastError: { code: string; message: string } | null };
  runs: { attempt: number; worker: string; startedAt: number; finishedAt: number; outcome: string; hops: Hop[] }[];
}

/** `datong trace <recordId>`: one record's path through its flow, attempt by attempt. */
export function traceCommand(program: Command): void {
  hubCommand(program, 'trace', 'Show a record: its state and every attempt step by step (reading a trace is audited)')
    .argument('<recordId>', 'record id (find it with the source id: GET /api/v1/records?sourceId=…)')
    .action(async (recordId: string, options: HubCommandOptions) => {
      const trace = await clientFor(options).get<Trace>(`/records/${encodeURIComponent(recordId)}/trace`);
      if (options.json) return printJson(trace);
      const { record } = trace;
      print(
        `record ${record.id} — flow ${record.flow}, ${record.sourceSystem}:${record.sourceId}`,
        `  state ${record.state}, ${record.attempts} attempt(s), accepted ${localTime(record.acceptedAt)}`,
        `  payload ${brief(record.payload)}`,
      );
      if (record.lastError) print(`  last error ${record.lastError.message} [${record.lastError.code}]`);
      for (const run of trace.runs) {
        print('', `attempt ${run.attempt} — ${run.outcome} at ${localTime(run.finishedAt)} (${run.finishedAt - run.startedAt} ms, ${run.worker})`);
        for (const hop of run.hops) {
          const mark = hop.error ? '✖' : '✔';
          const result = hop.error ? `${hop.error.message} [${hop.error.code}]` : (hop.outcome ?? brief(hop.output, 80));
          print(`  ${mark} ${hop.step} (${hop.type}, ${hop.ms.toFixed(1)} ms) ${result}`);
        }
      }
    });
}
