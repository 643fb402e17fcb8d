import type { Command } from 'commander';
import { localTime, table } from './format.ts';
import { clientFor, hubCommand, print, printJson, type HubCommandOptions } from './hub-options.ts';

interface Status {
  hub: string;
  snapshot: { id: number; digest: string; createdAt: string };
  queue: { flow: string; state: string; count: number }[];
  deadLetters: { flow: string; open: number }[];
  recentFailures: { windowMinutes: number; flows: { flow: string; retries: number; dead: number }[] };
}

/** `datong status`: what is queued, stuck and failing, per flow. */
export function statusCommand(program: Command): void {
  hubCommand(program, 'status', 'Show the active snapshot, queue depth per flow, open dead letters and recent failures').action(async (options: HubCommandOptions) => {
    const status = await clientFor(options).get<Status>('/status');
    if (options.json) return printJson(status);
    const flows = new Set([...status.queue.map((row) => row.flow), ...status.deadLetters.map((row) => row.flow), ...status.recentFailures.flows.map((row) => row.flow)]);
    const count = (flow: string, state: string) => status.queue.find((row) => row.flow === flow && row.state === state)?.count ?? 0;
    const rows = [...flows].sort().map((flow) => {
      const failures = status.recentFailures.flows.find((row) => row.flow === flow);
      return [
        flow,
        count(flow, 'ready') + count(flow, 'leased'),
        count(flow, 'waiting'),
        status.deadLetters.find((row) => row.flow === flow)?.open ?? 0,
        failures?.retries ?? 0,
        failures?.dead ?? 0,
      ];
    });
    print(`snapshot ${status.snapshot.id} (since ${localTime(status.snapshot.createdAt)}, ${status.snapshot.digest.slice(0, 12)})`, '');
    if (rows.length === 0) return print('✔ nothing queued, no dead letters, no failures');
    print(table(['FLOW', 'QUEUED', 'WAITING', 'DEAD LETTERS', `RETRIES ${status.recentFailures.windowMinutes}m`, `DEAD ${status.recentFailures.windowMinutes}m`], rows));
  });
}
