import { describe, expect, it } from 'vitest';
import { openTestDb, STORE_KINDS } from './store-dbs.ts';

describe.each(STORE_KINDS)('openTestDb(%s)', (kind) => {
  it('gives a migrated, private store that cleanup removes', async () => {
    const first = await openTestDb(kind);
    if (!first) return;
    const second = await openTestDb(kind);
    try {
      expect(first.url).toMatch(kind === 'sqlite' ? /^sqlite:/ : /^postgres:\/\//);
      await first.db.run('INSERT INTO cursors (name, value, updated_at) VALUES (?, ?, ?)', ['订单游标', '42', 1]);
      expect(await first.db.get('SELECT value FROM cursors WHERE name = ?', ['订单游标'])).toEqual({ value: '42' });
      // A second store does not see the first one's rows.
      expect(await second!.db.all('SELECT name FROM cursors')).toEqual([]);
      // Another handle on the same store does.
      const other = first.open();
      expect(await other.get('SELECT value FROM cursors WHERE name = ?', ['订单游标'])).toEqual({ value: '42' });
    } finally {
      await first.cleanup();
      await second?.cleanup();
    }
  });
});
