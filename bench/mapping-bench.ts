/**
 * How fast a compiled mapping runs compared with the same field map written by hand in plain
 * JavaScript, and with the same map as one JSONata expression. The hand-written map does what
 * a careful developer would: a regex for the date, toFixed for fen → yuan, a lookup table for
 * status codes, a few required checks. Outputs of all three are compared on sample records
 * before timing, so the figures are for the same work.
 *
 *   node bin/run-ts.js bench/mapping-bench.ts [seconds]
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
import { compileMapping } from '../src/mapping/compile-mapping.ts';
import { compileExpression } from '../src/mapping/expression.ts';
import type { MapContext, MapResult } from '../src/mapping/types.ts';
import { ORDER_MAPPING, STATUS_MAP, makeOrder, type PlatformOrder } from './fixtures/order-fixture.ts';

export interface MappingBenchResult {
  compiledPerSec: number;
  handWrittenPerSec: number;
  jsonataPerSec: number;
  /** compiledPerSec / handWrittenPerSec; the target is ≥ 0.5. */
  ratio: number;
}

const SHANGHAI_MS = 8 * 3_600_000;
const CREATED = /^(\d{2})\/(\d{2})\/(\d{4}) (\d{2}):(\d{2})$/;
const BOOLEAN: Record<string, boolean> = { Y: true, N: false, 是: true, 否: false, '1': true, '0': false, true: true, false: false };

/** The same 15 fields, written by hand for Asia/Shanghai. */
export function handMapOrder(o: PlatformOrder): Record<string, unknown> {
  if (!o.tid) throw new Error('tid is required');
  if (!o.buyer?.mobile) throw new Error('buyer.mobile is required');
  const c = CREATED.exec(o.created);
  if (!c) throw new Error(`bad created date ${o.created}`);
  const status = STATUS_MAP[o.status];
  if (status === undefined) throw new Error(`unknown status ${o.status}`);
  const needInvoice = BOOLEAN[o.invoice];
  if (needInvoice === undefined) throw new Error(`bad invoice flag ${o.invoice}`);
  return {
    orderNo: o.tid,
    createdAt: `${c[3]}-${c[2]}-${c[1]}T${c[4]}:${c[5]}:00.000+08:00`,
    paidAt: new Date(o.pay_time * 1000 + SHANGHAI_MS).toISOString().replace('Z', '+08:00'),
    totalAmount: (o.total_fee_fen / 100).toFixed(2),
    freightAmount: (o.post_fee_fen / 100).toFixed(2),
    status,
    buyer: { name: o.buyer.nick.trim(), phone: o.buyer.mobile },
    address: { province: o.receiver.state, city: o.receiver.city, detail: o.receiver.address.trim() },
    lineCount: o.orders.length,
    weightKg: String(o.weight_g / 1000),
    needInvoice,
    remark: o.seller_memo || '无',
  };
}

/** The same map as one JSONata expression (dates through $toMillis/$fromMillis pictures). */
export const ORDER_JSONATA = `{
  "orderNo": tid,
  "createdAt": $fromMillis($toMillis(created, '[D01]/[M01]/[Y0001] [H01]:[m01]') - 28800000, '[Y0001]-[M01]-[D01]T[H01]:[m01]:[s01].[f001][Z01:01]', '+0800'),
  "paidAt": $fromMillis(pay_time * 1000, '[Y0001]-[M01]-[D01]T[H01]:[m01]:[s01].[f001][Z01:01]', '+0800'),
  "totalAmount": $decimal(total_fee_fen / 100, 2),
  "freightAmount": $decimal(post_fee_fen / 100, 2),
  "status": $lookup($statusMap, status),
  "buyer": { "name": $trim(buyer.nick), "phone": buyer.mobile },
  "address": { "province": receiver.state, "city": receiver.city, "detail": $trim(receiver.address) },
  "lineCount": $count(orders),
  "weightKg": $string(weight_g / 1000),
  "needInvoice": invoice in ['Y', '是', '1', 'true'],
  "remark": seller_memo ? seller_memo : '无'
}`;

const SAMPLE_COUNT = 1024;

function checksum(out: Record<string, unknown>): number {
  const buyer = out.buyer as Record<string, string>;
  return (out.orderNo as string).length + (out.createdAt as string).charCodeAt(15) + (out.totalAmount as string).length + buyer.name.length + (out.lineCount as number);
}

/** Records per second of each runner, timed in alternating 100 ms slices so machine noise hits all alike. */
function timeInterleaved(seconds: number, runners: readonly ((i: number) => number)[]): number[] {
  const done = runners.map(() => 0);
  const spent = runners.map(() => 0);
  let sum = 0;
  const slices = Math.max(1, Math.round(seconds * 10));
  for (let slice = 0; slice < slices; slice++) {
    for (let r = 0; r < runners.length; r++) {
      const run = runners[r]!;
      const started = performance.now();
      const deadline = started + 100;
      let n = done[r]!;
      let now = started;
      while (now < deadline) {
        for (let k = 0; k < 500; k++) sum += run(n++);
        now = performance.now();
      }
      done[r] = n;
      spent[r]! += now - started;
    }
  }
  if (sum === -1) console.log('unreachable');
  return done.map((n, r) => n / (spent[r]! / 1000));
}

async function timeAsync(seconds: number, run: (i: number) => Promise<number>): Promise<number> {
  const deadline = performance.now() + seconds * 1000;
  let done = 0;
  let sum = 0;
  const started = performance.now();
  while (performance.now() < deadline) {
    for (let k = 0; k < 50; k++) sum += await run(done++);
  }
  const elapsed = (performance.now() - started) / 1000;
  if (sum === -1) console.log('unreachable');
  return done / elapsed;
}

/** Runs each of the three variants for about `seconds` (after a short warm-up). */
export async function benchMapping(opts: { seconds: number }): Promise<MappingBenchResult> {
  const orders = Array.from({ length: SAMPLE_COUNT }, (_, i) => makeOrder(i));
  const ctx: MapContext = { now: new Date('2026-11-22T12:00:00.000Z'), sourceTimezone: 'Asia/Shanghai' };
  const mapping = compileMapping('order', ORDER_MAPPING);
  if (mapping.isAsync) throw new Error('the order mapping must be synchronous');
  const apply = mapping.apply.bind(mapping) as (input: unknown, ctx: MapContext) => MapResult;
  const expression = compileExpression(ORDER_JSONATA, { timeoutMs: 1000 });
  const bindings = { now: ctx.now, statusMap: STATUS_MAP };

  for (let i = 0; i < 50; i++) {
    const compiled = apply(orders[i], ctx);
    if (!compiled.ok) throw compiled.error;
    const hand = handMapOrder(orders[i]!);
    const viaJsonata = await expression.evaluate(orders[i], bindings);
    if (!isDeepStrictEqual(compiled.value, hand)) throw new Error(`compiled and hand-written differ on order ${i}: ${JSON.stringify(compiled.value)} vs ${JSON.stringify(hand)}`);
    if (!isDeepStrictEqual(JSON.parse(JSON.stringify(viaJsonata)), hand)) throw new Error(`JSONata and hand-written differ on order ${i}: ${JSON.stringify(viaJsonata)}`);
  }

  const mask = SAMPLE_COUNT - 1;
  const runCompiled = (i: number): number => {
    const result = apply(orders[i & mask], ctx);
    if (!result.ok) throw result.error;
    return checksum(result.value);
  };
  const runHand = (i: number): number => checksum(handMapOrder(orders[i & mask]!));
  const runJsonata = async (i: number): Promise<number> => checksum((await expression.evaluate(orders[i & mask], bindings)) as Record<string, unknown>);

  const warm = Math.min(0.5, opts.seconds / 4);
  timeInterleaved(warm, [runHand, runCompiled]);
  const [handWrittenPerSec, compiledPerSec] = timeInterleaved(opts.seconds, [runHand, runCompiled]) as [number, number];
  await timeAsync(Math.min(warm, 0.2), runJsonata);
  const jsonataPerSec = await timeAsync(opts.seconds, runJsonata);
  return { compiledPerSec, handWrittenPerSec, jsonataPerSec, ratio: compiledPerSec / handWrittenPerSec };
}

const isMain = process.argv[1] !== undefined && pathToFileURL(resolve(process.argv[1])).href === import.meta.url;
if (isMain) {
  const seconds = Number(process.argv[2] ?? 3);
  const r = await benchMapping({ seconds });
  const fmt = (n: number) => Math.round(n).toLocaleString('en-US').padStart(12);
  console.log(`mapping benchmark, 15-field order, ${seconds}s per variant`);
  console.log(`  hand-written JS   ${fmt(r.handWrittenPerSec)} records/s`);
  console.log(`  compiled mapping  ${fmt(r.compiledPerSec)} records/s  (${r.ratio.toFixed(2)}× hand-written)`);
  console.log(`  JSONata           ${fmt(r.jsonataPerSec)} records/s  (${(r.handWrittenPerSec / r.jsonataPerSec).toFixed(0)}× slower than hand-written)`);
}
