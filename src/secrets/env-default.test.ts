import { describe, expect, it } from 'vitest';
import { DatongError } from '../errors/datong-error.ts';
import { redact, resolveSecrets } from './resolve-secrets.ts';

describe('${env:NAME:-default}', () => {
  it('takes the variable when it is set, the default when it is unset or empty', () => {
    const raw = { baseUrl: 'http://127.0.0.1:${env:SHOP_PORT:-7879}/api', token: '${env:SHOP_TOKEN:-演示令牌}' };
    expect(resolveSecrets(raw, { env: { SHOP_PORT: '9000', SHOP_TOKEN: 'real' } })).toEqual({ baseUrl: 'http://127.0.0.1:9000/api', token: 'real' });
    expect(resolveSecrets(raw, { env: {} })).toEqual({ baseUrl: 'http://127.0.0.1:7879/api', token: '演示令牌' });
    expect(resolveSecrets(raw, { env: { SHOP_PORT: '', SHOP_TOKEN: '' } })).toEqual({ baseUrl: 'http://127.0.0.1:7879/api', token: '演示令牌' });
  });

  it('allows an empty default and defaults containing colons and slashes', () => {
    expect(resolveSecrets('${env:NOTE:-}', { env: {} })).toBe('');
    expect(resolveSecrets('${env:DB_URL:-sqlite:../../data/erp.db}', { env: {} })).toBe('sqlite:../../data/erp.db');
  });

  it('still fails on a missing variable without a default', () => {
    let error: unknown;
    try {
      resolveSecrets({ token: '${env:MISSING_TOKEN}', port: '${env:PORT:-1}' }, { env: {}, path: 'systems.shop.config' });
    } catch (thrown) {
      error = thrown;
    }
    expect(error).toBeInstanceOf(DatongError);
    expect((error as DatongError).code).toBe('DT_SECRET_ENV_MISSING');
    expect((error as DatongError).params.name).toBe('MISSING_TOKEN');
  });

  it('masks a value filled from a default like any other resolved value', () => {
    const resolved = resolveSecrets({ secret: '${env:HOOK_SECRET:-demo-secret}' }, { env: {} });
    expect(redact(resolved)).toEqual({ secret: '***' });
  });
});
