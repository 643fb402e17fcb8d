/** Turns the measured figures into ratios, target verdicts, a printed table and the results file. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, release, totalmem } from 'node:os';
import { join } from 'node:path';
import type { BenchArgs } from './args.ts';
import type { BareResult } from './bare-bench.ts';
import type { E2eResult } from './e2e-bench.ts';
import type { MappingBenchResult } from './mapping-bench.ts';

export interface BenchResults {
  bare?: BareResult;
  sqlite?: E2eResult;
  postgres?: E2eResult;
  mapping?: MappingBenchResult;
}

export interface TargetVerdict {
  name: string;
  ratio: number;
  atLeast: number;
  met: boolean;
}

export interface Report {
  startedAt: string;
  finishedAt: string;
  command: string;
  args: BenchArgs;
  machine: { cpus: number; cpuModel: string; memoryGb: number; node: string; platform: string };
  results: BenchResults;
  ratios: Record<string, number>;
  targets: TargetVerdict[];
}

export function buildReport(input: { startedAt: Date; command: string; args: BenchArgs; results: BenchResults }): Report {
  const { results } = input;
  const ratios: Record<string, number> = {};
  const targets: TargetVerdict[] = [];
  const bare = results.bare?.requestsPerSec;
  for (const store of ['sqlite', 'postgres'] as const) {
    const e2e = results[store];
    if (!e2e || !bare) continue;
    ratios[`${store}DonePerBare`] = e2e.donePerSec / bare;
    ratios[`${store}IntakePerBare`] = e2e.intakePerSec / bare;
  }
  if (ratios.sqliteDonePerBare !== undefined) {
    targets.push({ name: 'SQLite e2e done/s ≥ 0.4 × bare requests/s', ratio: ratios.sqliteDonePerBare, atLeast: 0.4, met: ratios.sqliteDonePerBare >= 0.4 });
  }
  if (results.mapping) {
    ratios.mappingCompiledPerHand = results.mapping.ratio;
    ratios.mappingJsonataPerHand = results.mapping.jsonataPerSec / results.mapping.handWrittenPerSec;
    targets.push({ name: 'compiled mapping ≥ 0.5 × hand-written', ratio: results.mapping.ratio, atLeast: 0.5, met: results.mapping.ratio >= 0.5 });
  }
  const cpu = cpus();
  return {
    startedAt: input.startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    command: input.command,
    args: input.args,
    machine: { cpus: cpu.length, cpuModel: cpu[0]?.model ?? 'unknown', memoryGb: Math.round(totalmem() / 2 ** 30), node: process.version, platform: `${process.platform} ${release()}` },
    results,
    ratios,
    targets,
  };
}

const int = (n: number | undefined): string => (n === undefined ? '—' : Math.round(n).toLocaleString('en-US'));
const ms = (n: number | undefined): string => (n === undefined ? '—' : n < 10 ? `${n.toFixed(2)} ms` : `${Math.round(n).toLocaleString('en-US')} ms`);
const x = (n: number | undefined): string => (n === undefined ? '' : `${n.toFixed(2)}×`);

export function formatReport(report: Report): string {
  const { results, ratios } = report;
  const rows: [string, string, string][] = [];
  if (results.bare) {
    const { runs } = results.bare;
    rows.push(['bare node:http (signature + hand map, no store)', `${int(results.bare.requestsPerSec)} req/s`, runs.length > 1 ? 'baseline (mean)' : 'baseline']);
    runs.forEach((b, index) => {
      const label = runs.length > 1 ? (index === 0 ? '  before e2e' : '  after e2e') : '  run';
      rows.push([`${label}: req/s · response p50 / p99`, `${int(b.requestsPerSec)} · ${ms(b.responseP50Ms)} / ${ms(b.responseP99Ms)}`, '']);
      rows.push([`${label}: CPU server · generator (cores) · peak RSS`, `${b.serverCpuCores.toFixed(2)} · ${b.window.generatorCpuCores.toFixed(2)} · ${int(b.peakRssMb)} MB`, '']);
    });
  }
  for (const store of ['sqlite', 'postgres'] as const) {
    const e = results[store];
    if (!e) continue;
    rows.push([`e2e ${store} store → ${e.target} target: done`, `${int(e.donePerSec)} records/s`, x(ratios[`${store}DonePerBare`]) + (ratios[`${store}DonePerBare`] !== undefined ? ' bare' : '')]);
    rows.push(['  intake (202 answered)', `${int(e.intakePerSec)} req/s`, x(ratios[`${store}IntakePerBare`]) + (ratios[`${store}IntakePerBare`] !== undefined ? ' bare' : '')]);
    rows.push(['  target rows written', `${int(e.writtenPerSec)} rows/s`, '']);
    rows.push(['  latency send → target write p50 / p99', `${ms(e.latencyP50Ms)} / ${ms(e.latencyP99Ms)}`, '']);
    rows.push(['  webhook response p50 / p99', `${ms(e.responseP50Ms)} / ${ms(e.responseP99Ms)}`, '']);
    rows.push(['  backlog mean / max · generator paused', `${int(e.window.backlogMean)} / ${int(e.window.backlogMax)} · ${(e.window.pausedShare * 100).toFixed(0)}%`, '']);
    rows.push(['  CPU hub · generator (cores) · hub peak RSS', `${e.hubCpuCores.toFixed(2)} · ${e.window.generatorCpuCores.toFixed(2)} · ${int(e.peakRssMb)} MB`, '']);
    if (e.window.refused || e.window.errors) rows.push(['  refused / failed requests', `${e.window.refused} / ${e.window.errors}`, '']);
  }
  if (results.mapping) {
    const m = results.mapping;
    rows.push(['mapping: hand-written JS', `${int(m.handWrittenPerSec)} records/s`, 'baseline']);
    rows.push(['mapping: compiled field map', `${int(m.compiledPerSec)} records/s`, `${x(m.ratio)} hand`]);
    rows.push(['mapping: JSONata', `${int(m.jsonataPerSec)} records/s`, `${x(ratios.mappingJsonataPerHand)} hand`]);
  }
  const width = [Math.max(...rows.map((r) => r[0].length)), Math.max(...rows.map((r) => r[1].length))];
  const lines = rows.map(([a, b, c]) => `${a.padEnd(width[0]!)}  ${b.padStart(width[1]!)}  ${c}`.trimEnd());
  lines.push('');
  for (const target of report.targets) lines.push(`${target.met ? 'MET    ' : 'NOT MET'}  ${target.name}: ${target.ratio.toFixed(2)} (≥ ${target.atLeast})`);
  lines.push('', `machine: ${report.machine.cpus} × ${report.machine.cpuModel}, ${report.machine.memoryGb} GB, node ${report.machine.node}`);
  lines.push(`reproduce: ${report.command}`);
  return lines.join('\n');
}

export function writeReport(report: Report, dir: string): string {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${report.startedAt.replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
  return file;
}
