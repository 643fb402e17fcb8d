import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONNECTORS } from '../connectors/registry.ts';
import { writeWorkspace } from '../../test/support/workspace-folder.ts';
import { loadWorkspace } from './load-workspace.ts';

describe('secrets in clear', () => {
  it('warns at the line of a clear secret and accepts references and ciphertexts', async () => {
    const dir = writeWorkspace(
      {
        systems: {
          shop: { type: 'http', config: { baseUrl: 'http://127.0.0.1:1', auth: { type: 'bearer', token: 'plain-token' } } },
          erp: { type: 'sql', config: { url: 'sqlite:erp.db', password: '${env:ERP_PASSWORD}' } },
        },
        flows: {
          orders: {
            trigger: { type: 'webhook', system: 'shop', sourceId: 'id', secrets: ['${env:SHOP_SECRET:-dev}', 'hunter2'] },
            steps: [{ type: 'write', system: 'erp', options: { table: 'orders', key: ['id'] } }],
          },
        },
      },
      mkdtempSync(join(tmpdir(), 'datong-secrets-')),
    );
    const result = await loadWorkspace(dir, { connectors: CONNECTORS });
    const plain = result.findings.filter((finding) => finding.code === 'DT_CONFIG_PLAIN_SECRET');
    expect(plain.map((finding) => [finding.file, finding.path, finding.severity])).toEqual([
      ['flows/orders.yaml', 'trigger.secrets[1]', 'warning'],
      ['systems/shop.yaml', 'config.auth.token', 'warning'],
    ]);
    expect(plain.every((finding) => finding.line > 1)).toBe(true);
    expect(result.workspace).toBeDefined();
  });
});
