import { describe, expect, it } from 'vitest';
import { parseSqlUrl, redactUrl } from './url.ts';

describe('SQL connection URLs', () => {
  it('resolves a SQLite path against the workspace folder', () => {
    expect(parseSqlUrl('sqlite:data/erp.db', { baseDir: '/srv/ws' })).toEqual({ dialect: 'sqlite', path: '/srv/ws/data/erp.db' });
    expect(parseSqlUrl('sqlite:/var/erp.db', { baseDir: '/srv/ws' })).toEqual({ dialect: 'sqlite', path: '/var/erp.db' });
    expect(parseSqlUrl('sqlite:///var/erp.db', { baseDir: '/srv/ws' })).toEqual({ dialect: 'sqlite', path: '/var/erp.db' });
    expect(parseSqlUrl('sqlite::memory:', { baseDir: '/srv/ws' })).toEqual({ dialect: 'sqlite', path: ':memory:' });
  });

  it('lets a separate password replace the one in a PostgreSQL URL', () => {
    const target = parseSqlUrl('postgres://erp:old@db.local:5433/erp', { baseDir: '/', password: 'n3w/p@ss' });
    expect(target).toEqual({ dialect: 'postgres', connectionString: 'postgres://erp:n3w%2Fp%40ss@db.local:5433/erp' });
  });

  it('splits a MariaDB URL into driver options', () => {
    expect(parseSqlUrl('mariadb://wms:s%40cret@10.0.0.5/wms', { baseDir: '/' })).toEqual({
      dialect: 'mysql',
      host: '10.0.0.5',
      port: 3306,
      user: 'wms',
      password: 's@cret',
      database: 'wms',
    });
    expect(parseSqlUrl('mysql://root@127.0.0.1:3307/test', { baseDir: '/', password: 'x' })).toMatchObject({ port: 3307, password: 'x' });
  });

  it('rejects unknown schemes and URLs without a database', () => {
    expect(() => parseSqlUrl('oracle://x/y', { baseDir: '/' })).toThrow(/expected sqlite/);
    expect(() => parseSqlUrl('mysql://root@host', { baseDir: '/' })).toThrow(/names no database/);
    expect(() => parseSqlUrl('sqlite:', { baseDir: '/' })).toThrow(/file path/);
  });

  it('masks passwords in messages', () => {
    expect(redactUrl('postgres://erp:secret@db/erp')).toBe('postgres://erp:***@db/erp');
    expect(() => parseSqlUrl('ftp://u:secret@x/y', { baseDir: '/' })).toThrow(/u:\*\*\*@/);
  });
});
