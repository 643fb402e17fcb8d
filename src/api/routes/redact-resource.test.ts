import { describe, expect, it } from 'vitest';
import { CONNECTORS } from '../../connectors/registry.ts';
import { REDACTED, redactResource, restoreRedacted } from './redact-resource.ts';

describe('redactResource', () => {
  const erp = {
    type: 'http',
    description: '金蝶 ERP',
    config: { baseUrl: 'https://erp.example.com', auth: { type: 'basic', username: '管理员', password: 's3cret' } },
  };

  it('masks the fields the connector marks secret and keeps the rest', () => {
    const shown = redactResource('systems', erp, CONNECTORS) as typeof erp;
    expect(shown.config.auth).toEqual({ type: 'basic', username: '管理员', password: REDACTED });
    expect(shown.config.baseUrl).toBe('https://erp.example.com');
    expect(erp.config.auth.password).toBe('s3cret');
  });

  it('masks literal webhook secrets and ciphertexts, not environment references', () => {
    const flow = {
      trigger: { type: 'webhook', system: 'shop', secrets: ['${env:SHOP_SECRET}', 'plain-secret'], sourceId: 'id' },
      steps: [{ type: 'write', system: 'erp', options: { path: '/x', key: 'enc:v1:0a1b2c3d:AAAA' } }],
    };
    const shown = redactResource('flows', flow, CONNECTORS) as typeof flow;
    expect(shown.trigger.secrets).toEqual(['${env:SHOP_SECRET}', REDACTED]);
    expect(shown.steps[0].options.key).toBe(REDACTED);
  });

  it('puts current values back where an edited resource still holds the marker', () => {
    const edited = { ...(redactResource('systems', erp, CONNECTORS) as typeof erp), description: '金蝶云星空' };
    expect(restoreRedacted(edited, erp)).toEqual({ ...erp, description: '金蝶云星空' });
    const newPassword = { ...erp, config: { ...erp.config, auth: { ...erp.config.auth, password: 'n3w' } } };
    expect(restoreRedacted(newPassword, erp)).toEqual(newPassword);
  });
});
