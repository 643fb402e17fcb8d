/**
 * `npm run bench`: the hub's throughput against baselines measured in the same run (the
 * machine is shared and noisy, so ratios matter more than absolute numbers). See README.md.
 *
 *   npm run bench -- [--seconds 60] [--quick] [--only bare,sqlite,postgres,mapping]
 */
import { fileURLToPath } from 'node:url';
import { parseArgs } from './args.ts';
import { combineBare, runBare, type BareRun } from './bare-bench.ts';
import { runE2e } from './e2e-bench.ts';
import { benchMapping } from './mapping-bench.ts';
import { buildReport, formatReport, writeReport, type BenchResults } from './report.ts';

const args = parseArgs(process.argv.slice(2));
const startedAt = new Date();
const command = `npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`;
const results: BenchResults = {};
const http = { seconds: args.seconds, warmupSeconds: args.warmupSeconds, connections: args.connections };
const worker = args.batchSize || args.maxBatchesInFlight ? { batchSize: args.batchSize, maxBatchesInFlight: args.maxBatchesInFlight } : undefined;
const profileDir = args.profileHub ? fileURLToPath(new URL('results/profiles', import.meta.url)) : undefined;
const log = (text: string) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${text}`);

// The baseline runs before and after the end-to-end runs, so a change in the machine's load
// during the run shows (and averages out) instead of skewing the ratio.
const bareRuns: BareRun[] = [];
const e2eSelected = args.only.includes('sqlite') || args.only.includes('postgres');
if (args.only.includes('bare')) {
  log(`bare server${e2eSelected ? ' (before)' : ''}: ${args.warmupSeconds}s warm-up + ${args.seconds}s`);
  bareRuns.push(await runBare(http));
}
for (const store of ['sqlite', 'postgres'] as const) {
  if (!args.only.includes(store)) continue;
  log(`end to end, ${store} store: ${args.warmupSeconds}s warm-up + ${args.seconds}s`);
  try {
    results[store] = await runE2e({ store, ...http, backlogBound: args.backlogBound, profileDir, worker });
  } catch (error) {
    if (store === 'postgres' && /ECONNREFUSED|connect/i.test(String(error))) log(`PostgreSQL not reachable, skipped: ${String(error)}`);
    else throw error;
  }
}
if (args.only.includes('bare') && e2eSelected) {
  log(`bare server (after): ${args.warmupSeconds}s warm-up + ${args.seconds}s`);
  bareRuns.push(await runBare(http));
}
if (bareRuns.length) results.bare = combineBare(bareRuns);
if (args.only.includes('mapping')) {
  log(`mapping: ${args.mappingSeconds}s per variant`);
  results.mapping = await benchMapping({ seconds: args.mappingSeconds });
}

const report = buildReport({ startedAt, command, args, results });
const file = writeReport(report, fileURLToPath(new URL('results', import.meta.url)));
console.log(`\n${formatReport(report)}\nresults: ${file}`);
