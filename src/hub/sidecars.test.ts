import { describe, expect, it } from 'vitest';
import { resolveSecrets } from '../secrets/resolve-secrets.ts';
import { sidecarEnv } from './sidecars.ts';

const spec = {
  name: 'demo-simulator',
  env: {
    DEMO_SHOP_PORT: '${env:DEMO_SHOP_PORT:-7879}',
    DEMO_ERP_DB: '${env:DATONG_DATA_DIR:-../../data}/demo-erp.db',
    FIXED: '门店A',
  },
};

describe('sidecarEnv', () => {
  it('resolves env references in a sidecar\'s env, defaults included', () => {
    const resolveWith = (env: Record<string, string>) => (value: string, path: string) => resolveSecrets(value, { env, path });
    expect(sidecarEnv(spec, resolveWith({}))).toEqual({ DEMO_SHOP_PORT: '7879', DEMO_ERP_DB: '../../data/demo-erp.db', FIXED: '门店A' });
    expect(sidecarEnv(spec, resolveWith({ DEMO_SHOP_PORT: '18079', DATONG_DATA_DIR: '/tmp/x' }))).toEqual({
      DEMO_SHOP_PORT: '18079',
      DEMO_ERP_DB: '/tmp/x/demo-erp.db',
      FIXED: '门店A',
    });
  });

  it('names the value in errors by sidecar and variable', () => {
    const paths: string[] = [];
    sidecarEnv(spec, (value, path) => (paths.push(path), value));
    expect(paths).toEqual(['datong.sidecars.demo-simulator.env.DEMO_SHOP_PORT', 'datong.sidecars.demo-simulator.env.DEMO_ERP_DB', 'datong.sidecars.demo-simulator.env.FIXED']);
    expect(() => sidecarEnv({ name: 's', env: { TOKEN: '${env:NOT_SET_ANYWHERE}' } }, (value, path) => resolveSecrets(value, { env: {}, path }))).toThrow(/NOT_SET_ANYWHERE/);
  });

  it('gives an empty env for a sidecar without one', () => {
    expect(sidecarEnv({ name: 'bare' }, () => 'never')).toEqual({});
  });
});
