/**
 * The one test suite every sink runs (HTTP, SQL, …): open/close, batches, retries after a lost
 * acknowledgement, the version guard, poison items, reconnect after an outage, and abort.
 *
 * ```ts
 * describeSinkConformance('http', async () => ({ connector: () => …, writeOptions: { path: '/c/{id}' }, … }));
 * ```
 *
 * Entity n has the id {@link conformanceId}(n) and the idempotency key {@link conformanceKey}(n):
 * `harness.item(n, v)` must build the payload of that entity. The key depends on n only, as the
 * engine's keys depend on the source record and not on its version: a sink must treat the same
 * key with a newer version as an update, not as a duplicate.
 */
import { describe, expect, it } from 'vitest';
import { useHarness } from './harness-lifecycle.ts';
import { DatongError } from '../../errors/datong-error.ts';
import type { Connector, WriteItem, WriteOutcome } from '../connector.ts';

export interface SinkHarness {
  /** A new connector instance for the target under test (same target each call). */
  connector(): Connector;
  writeOptions: Record<string, unknown>;
  /** A valid item payload for entity n at version v. */
  item(n: number, version?: string): unknown;
  /** A payload the target rejects permanently (poison). */
  poison(): unknown;
  /** Every raw write the target received, in order (the witness: HTTP delivery log / SQL write-log trigger). */
  witness(): Promise<{ id: string; idempotencyKey?: string; version?: string }[]>;
  /**
   * What the target holds now: entity id → version. A target that could hold an id twice (a
   * table without a unique key) must make this reject when it does.
   */
  stored(): Promise<Map<string, string | undefined>>;
  /**
   * True when a repeated write of an already applied (key, version) never reaches the target's
   * storage (the witness shows each entity once); false when the target receives the repeat and
   * recognises it itself (the HTTP delivery log shows it twice, with the same key).
   */
  dedupesRawWrites: boolean;
  /** Optional: makes the target unreachable; the returned function restores it. */
  outage?(): Promise<() => Promise<void>>;
  /** Empties the target between tests. */
  reset(): Promise<void>;
  close(): Promise<void>;
}

/** Entity id of entity n: `sink-000n`. */
export function conformanceId(n: number): string {
  return `sink-${String(n).padStart(4, '0')}`;
}

/** Idempotency key of entity n (the same for every version, as the engine derives it). */
export function conformanceKey(n: number): string {
  return `conformance:${conformanceId(n)}`;
}

/** Versions the suite writes: ISO 8601 times with an offset, so they order as text and as instants. */
export const V1 = '2026-11-20T09:00:00+08:00';
export const V2 = '2026-11-21T09:00:00+08:00';

export function describeSinkConformance(name: string, makeHarness: () => Promise<SinkHarness | null>): void {
  describe(`sink conformance: ${name}`, () => {
    const { need, connect } = useHarness('sink', name, makeHarness);
    function items(h: SinkHarness, ns: number[], version?: string): WriteItem[] {
      return ns.map((n) => ({ recordId: `rec-${conformanceId(n)}`, idempotencyKey: conformanceKey(n), version, data: h.item(n, version) }));
    }
    async function write(h: SinkHarness, connector: Connector, batch: WriteItem[], signal = new AbortController().signal): Promise<WriteOutcome[]> {
      if (!connector.write) throw new Error(`${name}: the connector has no write capability`);
      return connector.write({ options: h.writeOptions, items: batch }, signal);
    }

    it('opens and closes, twice; closes twice, without opening, and after a failure', async (context) => {
      const h = need(context);
      for (let round = 0; round < 2; round++) {
        const connector = h.connector();
        await connector.open?.(new AbortController().signal);
        expect(await write(h, connector, items(h, [round + 1], V1))).toEqual([expect.objectContaining({ status: 'written' })]);
        await connector.close();
      }
      const twice = h.connector();
      await twice.open?.(new AbortController().signal);
      await twice.close();
      await expect(twice.close()).resolves.toBeUndefined();

      await expect(h.connector().close()).resolves.toBeUndefined();

      const failed = h.connector();
      const poisoned: WriteItem = { recordId: 'rec-poison', idempotencyKey: 'conformance:poison', data: h.poison() };
      const [outcome] = await write(h, failed, [poisoned]);
      expect(outcome.status).toBe('failed');
      if (h.outage) {
        const restore = await h.outage();
        try {
          await write(h, failed, items(h, [9], V1)).catch(() => undefined);
        } finally {
          await failed.close().finally(restore);
        }
      } else {
        await failed.close();
      }
      expect((await h.stored()).size).toBe(2);
    });

    it('writes a batch of 200 items', async (context) => {
      const h = need(context);
      const ns = range(1, 200);
      const outcomes = await write(h, connect(h), items(h, ns, V1));
      expect(outcomes).toHaveLength(200);
      expect(outcomes.filter((outcome) => outcome.status === 'written')).toHaveLength(200);
      const stored = await h.stored();
      expect(stored.size).toBe(200);
      for (const n of ns) expect(stored.get(conformanceId(n))).toBe(V1);
      const witness = await h.witness();
      expect(new Set(witness.map((entry) => entry.id))).toEqual(new Set(ns.map(conformanceId)));
    });

    it('answers an empty batch with no outcomes and writes nothing', async (context) => {
      const h = need(context);
      expect(await write(h, connect(h), [])).toEqual([]);
      expect(await h.witness()).toEqual([]);
      expect((await h.stored()).size).toBe(0);
    });

    it('writes the same batch again (a retry after a lost ack) without a second copy', async (context) => {
      const h = need(context);
      const ns = range(1, 20);
      const connector = connect(h);
      expect((await write(h, connector, items(h, ns, V1))).every((outcome) => outcome.status === 'written')).toBe(true);
      const again = await write(h, connector, items(h, ns, V1));
      for (const outcome of again) expect(['written', 'unchanged']).toContain(outcome.status);
      await expectStoredOnce(h, ns, V1);
      const witness = await h.witness();
      for (const n of ns) {
        const deliveries = witness.filter((entry) => entry.id === conformanceId(n));
        expect(deliveries.length).toBeGreaterThanOrEqual(1);
        if (h.dedupesRawWrites) expect(deliveries).toHaveLength(1);
        for (const entry of deliveries) if (entry.idempotencyKey !== undefined) expect(entry.idempotencyKey).toBe(conformanceKey(n));
      }
    });

    it('applies a newer version under the same idempotency key', async (context) => {
      const h = need(context);
      const connector = connect(h);
      expect((await write(h, connector, items(h, [1, 2], V1))).map((outcome) => outcome.status)).toEqual(['written', 'written']);
      expect((await write(h, connector, items(h, [1, 2], V2))).map((outcome) => outcome.status)).toEqual(['written', 'written']);
      await expectStoredOnce(h, [1, 2], V2);
    });

    it('never lets an older version overwrite a newer one', async (context) => {
      const h = need(context);
      const connector = connect(h);
      expect((await write(h, connector, items(h, [1], V2)))[0].status).toBe('written');
      const [older] = await write(h, connector, items(h, [1], V1));
      expect(older.status).not.toBe('failed');
      if (older.status === 'unchanged') expect(older.reason).toBe('stale');
      await expectStoredOnce(h, [1], V2);
    });

    it('fails a poison item alone, permanently, and writes the rest of its batch', async (context) => {
      const h = need(context);
      const batch = items(h, [1, 2, 3], V1);
      batch.splice(1, 0, { recordId: 'rec-poison', idempotencyKey: 'conformance:poison', version: V1, data: h.poison() });
      const outcomes = await write(h, connect(h), batch);
      expect(outcomes.map((outcome) => outcome.status)).toEqual(['written', 'failed', 'written', 'written']);
      const poison = outcomes[1];
      if (poison.status !== 'failed') throw new Error('unreachable');
      expect(poison.error).toBeInstanceOf(DatongError);
      expect(poison.error.retryable).toBe(false);
      await expectStoredOnce(h, [1, 2, 3], V1);
    });

    it('recovers after an outage with the same connector instance', async (context) => {
      const h = need(context);
      if (!h.outage) return context.skip(`${name}: the harness cannot simulate an outage`);
      const connector = connect(h);
      expect((await write(h, connector, items(h, [1], V1)))[0].status).toBe('written');
      const restore = await h.outage();
      let restored = false;
      try {
        const during = await write(h, connector, items(h, [2, 3], V1)).then(
          (outcomes) => ({ outcomes }),
          (error: unknown) => ({ error }),
        );
        if ('error' in during) {
          expect(during.error).toBeInstanceOf(DatongError);
          expect((during.error as DatongError).retryable).toBe(true);
        } else {
          for (const outcome of during.outcomes) {
            expect(outcome.status).toBe('failed');
            if (outcome.status === 'failed') expect(outcome.error.retryable).toBe(true);
          }
        }
        await restore();
        restored = true;
      } finally {
        if (!restored) await restore();
      }
      const after = await write(h, connector, items(h, [2, 3], V1));
      expect(after.map((outcome) => outcome.status)).toEqual(['written', 'written']);
      await expectStoredOnce(h, [1, 2, 3], V1);
    });

    it('rejects when aborted mid-batch, and a rewrite stores each entity once', async (context) => {
      const h = need(context);
      const ns = range(1, 300);
      const controller = new AbortController();
      const reason = new Error('conformance: aborted on purpose');
      const pending = write(h, connect(h), items(h, ns, V1), controller.signal);
      setImmediate(() => controller.abort(reason));
      const error = await pending.then(
        () => new Error('the write resolved although its signal was aborted mid-batch'),
        (rejection: unknown) => rejection,
      );
      expect(error === reason || (error as Error).cause === reason, `rejected with ${String(error)}`).toBe(true);

      const outcomes = await write(h, connect(h), items(h, ns, V1));
      for (const outcome of outcomes) expect(['written', 'unchanged']).toContain(outcome.status);
      await expectStoredOnce(h, ns, V1);
    });

    async function expectStoredOnce(h: SinkHarness, ns: number[], version: string): Promise<void> {
      const stored = await h.stored();
      for (const n of ns) expect(stored.get(conformanceId(n)), conformanceId(n)).toBe(version);
    }
  });
}

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}
