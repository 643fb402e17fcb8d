import { describe, it, expect } from 'vitest';
import { join } from 'node:path';
import { loadWorkspace } from './load-workspace.ts';
import { formatFinding } from './format-finding.ts';
import { fakeConnectors } from './fixtures/fake-connectors.ts';
import { FIXTURES } from './fixtures/temp-workspace.ts';

async function lines(fixture: string): Promise<string[]> {
  const result = await loadWorkspace(join(FIXTURES, fixture), { connectors: fakeConnectors });
  expect(result.workspace).toBeUndefined();
  return result.findings.map(formatFinding);
}

describe('loadWorkspace on the fixture workspaces', () => {
  it('loads the valid workspace with every resource keyed by its file name', async () => {
    const result = await loadWorkspace(join(FIXTURES, 'valid'), { connectors: fakeConnectors });
    expect(result.findings).toEqual([]);
    const workspace = result.workspace!;
    expect(workspace.file.name).toBe('演示工作区');
    expect(Object.keys(workspace.systems).sort()).toEqual(['crm', 'erp', 'shop']);
    expect(Object.keys(workspace.flows).sort()).toEqual(['nightly-customers', 'shop-orders']);
    expect(Object.keys(workspace.mappings)).toEqual(['order-to-erp']);
    expect(workspace.flows['shop-orders'].steps[3]).toEqual({ type: 'write', system: 'erp', options: { table: 'sales_orders', key: ['order_no'] }, entity: 'sales-order' });
    expect(workspace.mappings['order-to-erp'].fields.status).toEqual({ from: 'status', valueMap: { PAID: '已付款', SHIPPED: '已发货' } });
  });

  it('leaves secret references and encrypted values as strings', async () => {
    const { workspace } = await loadWorkspace(join(FIXTURES, 'valid'), { connectors: fakeConnectors });
    expect(workspace!.systems.shop.config.token).toBe('${env:SHOP_TOKEN}');
    expect(workspace!.systems.erp.config.password).toBe('enc:v1:k1:bm90LXJlYWxseS1lbmNyeXB0ZWQ');
    expect(workspace!.systems.erp.config.port).toBe('${env:ERP_PORT}');
  });

  it('returns the raw text of every file read', async () => {
    const { files } = await loadWorkspace(join(FIXTURES, 'valid'), { connectors: fakeConnectors });
    expect(Object.keys(files).sort()).toEqual([
      'datong.yaml',
      'flows/nightly-customers.yaml',
      'flows/shop-orders.yaml',
      'mappings/order-to-erp.yaml',
      'systems/crm.yaml',
      'systems/erp.yml',
      'systems/shop.yaml',
    ]);
    expect(files['systems/shop.yaml']).toContain('type: http\n');
  });

  it('reports a YAML syntax error at yaml\'s own line and column', async () => {
    expect(await lines('broken-yaml')).toEqual(['flows/shop-orders.yaml:14:29 — Unexpected scalar at node end [DT_CONFIG_YAML_SYNTAX]']);
  });

  it('reports unknown properties deep inside steps at their keys', async () => {
    expect(await lines('unknown-field')).toEqual([
      'flows/shop-orders.yaml:16:9 steps[1].routes[0].priority — Unknown field "priority" for steps[1].routes[0] [DT_CONFIG_UNKNOWN_FIELD]',
      'flows/shop-orders.yaml:21:7 steps[2].options.upsertKey — Unknown field "upsertKey" for steps[2].options [DT_CONFIG_UNKNOWN_FIELD]',
    ]);
  });

  it('reports a write step naming a system that does not exist, at the value', async () => {
    expect(await lines('unknown-system')).toEqual(['flows/shop-orders.yaml:12:13 steps[1].system — Unknown system "kingdee-erp" [DT_CONFIG_UNKNOWN_SYSTEM]']);
  });

  it('reports a map step naming a mapping that does not exist, with a likely fix', async () => {
    expect(await lines('unknown-mapping')).toEqual([
      'flows/shop-orders.yaml:10:14 steps[0].mapping — Unknown mapping "order-to-erpp" (did you mean "order-to-erp"?) [DT_CONFIG_UNKNOWN_MAPPING]',
    ]);
  });

  it('reports an invalid cron expression and an unknown time zone', async () => {
    expect(await lines('bad-cron')).toEqual([
      'flows/nightly-orders.yaml:4:9 trigger.cron — Invalid cron expression "0 25 * * *": Invalid value for hour: 25 [DT_CONFIG_CRON]',
      'flows/nightly-orders.yaml:5:13 trigger.timezone — Unknown time zone "Asia/Beijing": use an IANA name such as Asia/Shanghai [DT_CONFIG_TIMEZONE]',
    ]);
  });

  it('reports a wrong apiVersion once, with its own code', async () => {
    expect(await lines('wrong-api-version')).toEqual(['datong.yaml:2:13 apiVersion — Unsupported apiVersion "datong/v2", expected datong/v1 [DT_CONFIG_API_VERSION]']);
  });
});
