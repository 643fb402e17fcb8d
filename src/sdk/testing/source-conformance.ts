/**
 * The one test suite every cursor-paged source runs (SQL query source, HTTP list endpoints, …):
 * open/close, paging, resuming from a saved cursor on a fresh instance (as after kill -9), rows
 * added or changed later, equal cursor values at a page edge, and an empty source.
 *
 * ```ts
 * describeSourceConformance('sqlite', async () => ({ connector: () => …, readOptions: { table: 't', … }, … }));
 * ```
 *
 * The harness models a source whose rows are entities n = 1, 2, …:
 * - the record of entity n has the sourceId `String(n)`;
 * - all rows of one `insert` call share ONE cursor value (like a bulk load stamping one
 *   updated_at), greater than every cursor value given before; the source breaks ties by id, so
 *   within a call rows come in ascending n;
 * - `update(n)` gives row n a new cursor value greater than every one before.
 */
import { describe, expect, it } from 'vitest';
import { useHarness } from './harness-lifecycle.ts';
import type { Connector, ReadPage } from '../connector.ts';

export interface SourceHarness {
  /** A new connector instance for the source under test (same data each call). */
  connector(): Connector;
  readOptions: Record<string, unknown>;
  /** Adds rows for these entity numbers (ascending), all with one new, greatest cursor value. */
  insert(rows: number[]): Promise<void>;
  /** Gives row n a new, greatest cursor value (and changes its data). */
  update(n: number): Promise<void>;
  /** Empties the source between tests. */
  reset(): Promise<void>;
  close(): Promise<void>;
}

export function describeSourceConformance(name: string, makeHarness: () => Promise<SourceHarness | null>): void {
  describe(`source conformance: ${name}`, () => {
    const signal = new AbortController().signal;
    const { need, connect } = useHarness('source', name, makeHarness);
    function read(h: SourceHarness, connector: Connector, cursor: string | null, limit: number): Promise<ReadPage> {
      if (!connector.read) throw new Error(`${name}: the connector has no read capability`);
      return connector.read({ options: h.readOptions, cursor, limit }, signal);
    }
    /** Reads pages until one says there is no more; returns the ids in order and the last cursor. */
    async function drain(h: SourceHarness, connector: Connector, cursor: string | null, limit: number): Promise<{ ids: string[]; cursor: string | null; pages: number }> {
      const ids: string[] = [];
      let pages = 0;
      for (;;) {
        const page = await read(h, connector, cursor, limit);
        pages++;
        expect(page.records.length).toBeLessThanOrEqual(limit);
        ids.push(...page.records.map((record) => record.sourceId));
        if (page.records.length === 0) expect(page.cursor).toBe(cursor);
        cursor = page.cursor;
        if (!page.hasMore) return { ids, cursor, pages };
        if (pages > 1000) throw new Error(`${name}: more than 1000 pages — the cursor does not advance`);
      }
    }

    it('opens and closes, twice; closes without opening', async (context) => {
      const h = need(context);
      await h.insert([1]);
      for (let round = 0; round < 2; round++) {
        const connector = h.connector();
        await connector.open?.(signal);
        const page = await read(h, connector, null, 10);
        expect(page.records.map((record) => record.sourceId)).toEqual(['1']);
        await connector.close();
      }
      await expect(h.connector().close()).resolves.toBeUndefined();
    });

    it('reads every row exactly once, in cursor order, over small pages', async (context) => {
      const h = need(context);
      await h.insert([1, 2, 3, 4]);
      await h.insert([5, 6, 7]);
      await h.insert([8, 9, 10, 11, 12]);
      const { ids, pages } = await drain(h, connect(h), null, 3);
      expect(ids).toEqual(range(1, 12).map(String));
      expect(pages).toBeGreaterThanOrEqual(4);

      const first = await read(h, connect(h), null, 5);
      expect(first.hasMore).toBe(true);
      for (const record of first.records) {
        expect(typeof record.sourceId).toBe('string');
        expect(record.payload).toBeTypeOf('object');
        if (record.version !== undefined) expect(typeof record.version).toBe('string');
      }
    });

    it('resumes from a saved cursor on a new instance with no gap and no repeat', async (context) => {
      const h = need(context);
      await h.insert(range(1, 6));
      await h.insert(range(7, 10));
      const crashed = connect(h);
      const first = await read(h, crashed, null, 4);
      const second = await read(h, crashed, first.cursor, 4);
      // The process dies here: the cursor after the first page was saved, the second page was in flight.
      const saved = first.cursor;
      const fresh = connect(h);
      const rest = await drain(h, fresh, saved, 4);
      const seen = [...first.records.map((record) => record.sourceId), ...rest.ids];
      expect(seen).toEqual(range(1, 10).map(String));
      expect(rest.ids.slice(0, second.records.length)).toEqual(second.records.map((record) => record.sourceId));
    });

    it('picks up rows added or updated after the last read', async (context) => {
      const h = need(context);
      await h.insert([1, 2, 3]);
      const connector = connect(h);
      const before = await drain(h, connector, null, 2);
      expect(before.ids).toEqual(['1', '2', '3']);

      await h.insert([4, 5]);
      await h.update(2);
      const after = await drain(h, connector, before.cursor, 2);
      expect(after.ids).toEqual(['4', '5', '2']);

      const fresh = await drain(h, connect(h), after.cursor, 2);
      expect(fresh.ids).toEqual([]);
      expect(fresh.cursor).toBe(after.cursor);
    });

    it('does not skip rows that share a cursor value across a page boundary', async (context) => {
      const h = need(context);
      await h.insert(range(1, 7));
      for (const limit of [1, 2, 3, 6]) {
        const { ids } = await drain(h, connect(h), null, limit);
        expect(ids, `page size ${limit}`).toEqual(range(1, 7).map(String));
      }
      const connector = connect(h);
      const page = await read(h, connector, null, 3);
      await h.insert([8, 9]);
      const rest = await drain(h, connector, page.cursor, 3);
      expect(rest.ids).toEqual(['4', '5', '6', '7', '8', '9']);
    });

    it('answers an empty source with an empty page and the cursor unchanged', async (context) => {
      const h = need(context);
      const connector = connect(h);
      const empty = await read(h, connector, null, 5);
      expect(empty).toEqual({ records: [], cursor: null, hasMore: false });

      await h.insert([1, 2]);
      const all = await drain(h, connector, null, 5);
      expect(all.ids).toEqual(['1', '2']);
      const end = await read(h, connector, all.cursor, 5);
      expect(end.records).toEqual([]);
      expect(end.cursor).toBe(all.cursor);
      expect(end.hasMore).toBe(false);
    });
  });
}

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}
