/**
 * Target faults, hub in process: an HTTP witness target that answers 500s for a while, then
 * hangs past the connector timeout, then applies writes and loses the answers, then recovers.
 * Every record is delivered after recovery, with one Idempotency-Key across all its attempts,
 * and stored once; a poison record (422 from the target) is dead-lettered at its first answered
 * attempt while the others flow. And a target slower than the lease: the worker's heartbeat
 * keeps its lease, so the record is not taken over and sent a second time.
 */
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer } from '../../src/api/server.ts';
import { WitnessServer } from '../../src/connectors/http/testing/witness-server.ts';
import { Hub } from '../../src/hub/hub.ts';
import { silentLogger } from '../../src/sdk/logger.ts';
import { signedHeaders } from '../../src/triggers/webhook/signature.ts';
import { waitFor, writeWorkspace } from '../support/workspace-folder.ts';
import { faultTempDir, removeDir, subDir } from './support/temp-dir.ts';

const SECRET = 'target-faults-secret';
const TIMEOUT_MS = 400;
const LEASE_MS = 1_500;
let dir: string;
let hub: Hub;
let app: FastifyInstance;
let witness: WitnessServer;
let delivery = 0;

async function post(flow: string, body: Record<string, unknown>) {
  const raw = JSON.stringify(body);
  const answer = await app.inject({ method: 'POST', url: `/hooks/${flow}`, payload: raw, headers: signedHeaders(SECRET, raw, `tf-${++delivery}`) });
  expect(answer.statusCode).toBe(202);
  return answer.json().recordId as string;
}

const stateOf = async (ids: readonly string[]) =>
  hub.db.all<{ id: string; state: string; attempts: number; source_id: string }>(`SELECT id, state, attempts, source_id FROM records WHERE id IN (${ids.map(() => '?').join(', ')})`, ids);

beforeAll(async () => {
  dir = faultTempDir('target-faults');
  // Refuses a record flagged as poison with 422, like a target whose validation it fails.
  witness = await WitnessServer.start({
    auth: { type: 'bearer', token: 'erp-token' },
    validate: (record) => (record.poison ? '商品编码不存在 (unknown SKU)' : record.id === undefined ? 'field "id" is required' : undefined),
  });
  const erp = (timeoutMs: number) => ({ type: 'http', concurrency: 4, config: { baseUrl: witness.url, auth: { type: 'bearer', token: 'erp-token' }, timeoutMs } });
  const flow = (system: string) => ({
    trigger: { type: 'webhook', system: 'shop', secrets: [SECRET], sourceId: 'id', version: 'version' },
    retry: { maxAttempts: 40, initialDelayMs: 20, maxDelayMs: 150 },
    steps: [{ id: 'push', type: 'write', system, options: { method: 'PUT', path: '/orders/{id}' } }],
  });
  const workspaceDir = writeWorkspace(
    {
      name: '目标故障',
      systems: { shop: { type: 'http', config: { baseUrl: 'http://127.0.0.1:9/unused' } }, erp: erp(TIMEOUT_MS), 'erp-patient': erp(10_000) },
      flows: { faulty: flow('erp'), slow: flow('erp-patient') },
    },
    subDir(dir, 'workspace'),
  );
  hub = await Hub.start({
    workspaceDir,
    dataDir: join(dir, 'data'),
    storeUrl: `sqlite:${join(dir, 'store.db')}`,
    logger: silentLogger,
    defaultMetrics: false,
    worker: { leaseMs: LEASE_MS },
  });
  app = await buildServer(hub);
}, 60_000);

afterAll(async () => {
  await app?.close();
  await hub?.stop(2_000);
  await witness?.close();
  removeDir(dir);
});

describe('an HTTP target that fails, hangs, loses answers, then recovers', () => {
  it('delivers every record once after recovery, one idempotency key per record, and dead-letters the poison at once', async () => {
    witness.reset();
    witness.fail500(25);
    witness.hang(TIMEOUT_MS + 600, 10);
    witness.loseResponse(10);
    const ids: string[] = [];
    for (let i = 1; i <= 20; i++) ids.push(await post('faulty', { id: `PO${i}`, version: '2026-11-22T10:00:00+08:00', 客户: '华东贸易', amount: `${i}.50` }));
    const poisonInStorm = await post('faulty', { id: 'PX1', version: '1', poison: true });
    for (let i = 21; i <= 40; i++) ids.push(await post('faulty', { id: `PO${i}`, version: '2026-11-22T10:00:00+08:00', 客户: '华南电子', amount: `${i}.50` }));

    await waitFor(async () => (await stateOf([...ids, poisonInStorm])).every((row) => row.state === 'done' || row.state === 'dead'), { timeoutMs: 60_000, what: 'all records finished' });
    // After recovery: a poison record is dead-lettered on its first answer, not retried.
    const poisonAfter = await post('faulty', { id: 'PX2', version: '1', poison: true });
    const afterLetter = await waitFor(() => hub.db.get<{ error_code: string; attempts: number }>('SELECT error_code, attempts FROM dead_letters WHERE record_id = ?', [poisonAfter]), { what: 'PX2 dead-lettered' });
    expect(afterLetter).toEqual({ error_code: 'DT_TARGET_REJECTED', attempts: 1 });

    // Every fault was really met: 25 × 500, 10 hung past the timeout, 10 applied with the answer lost.
    const deliveries = witness.deliveries;
    expect(deliveries.filter((d) => d.result === 'fault' && d.status === 500)).toHaveLength(25);
    expect(deliveries.filter((d) => d.lost)).toHaveLength(10);
    const retryCodes = await hub.db.all<{ error_code: string; n: number }>(`SELECT error_code, COUNT(*) AS n FROM runs WHERE flow = 'faulty' AND outcome = 'retry' GROUP BY error_code`);
    const codes = new Set(retryCodes.map((row) => row.error_code));
    expect(codes).toContain('DT_TARGET_SERVER_ERROR');
    expect(codes).toContain('DT_TARGET_TIMEOUT');

    // All good records done and stored once; each with a single key on every attempt.
    const rows = await stateOf(ids);
    expect(rows.map((row) => row.state)).toEqual(Array(40).fill('done'));
    expect(rows.some((row) => row.attempts > 1)).toBe(true);
    expect(witness.records.size).toBe(40);
    expect([...witness.records.values()].filter((record) => record.writes !== 1)).toEqual([]);
    for (let i = 1; i <= 40; i++) {
      const mine = deliveries.filter((d) => d.id === `PO${i}`);
      expect(new Set(mine.map((d) => d.idempotencyKey)).size, `PO${i}: one key on every attempt`).toBe(1);
      expect(mine[0].idempotencyKey).toMatch(/^dt-/);
      expect(mine.filter((d) => d.result === 'applied'), `PO${i}: applied once`).toHaveLength(1);
    }

    // The poison sent during the storm: retried only while the target failed, dead-lettered at its first real answer.
    const storm = deliveries.filter((d) => d.id === 'PX1');
    // (A hung attempt may have been refused after the client gave up; the next one then gets that 422 replayed.)
    expect(storm.filter((d) => d.result === 'rejected')).toHaveLength(1);
    expect(storm.at(-1)!.status).toBe(422);
    const stormLetter = await hub.db.get<{ error_code: string; attempts: number }>('SELECT error_code, attempts FROM dead_letters WHERE record_id = ?', [poisonInStorm]);
    expect(stormLetter?.error_code).toBe('DT_TARGET_REJECTED');
    const [poisonRow] = await stateOf([poisonInStorm]);
    expect(poisonRow).toMatchObject({ state: 'dead', attempts: stormLetter!.attempts });
    expect(witness.records.has('PX1') || witness.records.has('PX2')).toBe(false);
  }, 90_000);
});

describe('a target slower than the lease', () => {
  it('keeps the lease alive while the write is in flight: the record is sent once, in one attempt', async () => {
    witness.reset();
    witness.hang(LEASE_MS * 3, 1);
    const id = await post('slow', { id: 'SLOW1', version: '1', 客户: '慢速仓库' });
    const row = await waitFor(async () => (await stateOf([id])).find((r) => r.state === 'done'), { timeoutMs: 20_000, what: 'SLOW1 done' });
    // Give an (unwanted) second lease time to show up before counting.
    await new Promise((resolve) => setTimeout(resolve, LEASE_MS));
    expect(witness.deliveries.filter((d) => d.id === 'SLOW1').map((d) => d.result)).toEqual(['applied']);
    expect(row!.attempts).toBe(1);
    const runs = await hub.db.all<{ outcome: string }>('SELECT outcome FROM runs WHERE record_id = ?', [id]);
    expect(runs.map((run) => run.outcome)).toEqual(['done']);
  }, 30_000);
});
