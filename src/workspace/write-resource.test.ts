import { describe, it, expect, afterAll } from 'vitest';
import { readFile, readdir, access } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'yaml';
import { deleteResource, writeResource } from './write-resource.ts';
import { loadWorkspace } from './load-workspace.ts';
import { DatongError } from '../errors/datong-error.ts';
import { fakeConnectors } from './fixtures/fake-connectors.ts';
import { removeTempWorkspaces, tempWorkspace } from './fixtures/temp-workspace.ts';

afterAll(removeTempWorkspaces);

const FLOW = `# 网店订单 → ERP
description: 网店订单推送到 ERP   # 给运维看的说明
trigger:
  type: webhook
  system: shop
  secrets: ["\${env:SHOP_SECRET}"]
  sourceId: orderNo   # 订单号

steps:
- type: map
  mapping: order-to-erp
# 写入 ERP 销售订单表
- type: write
  system: erp
  options: {table: sales_orders, key: [order_no]}   # 目标表
  entity: sales-order
retry:
  maxAttempts: 5
`;

async function withFlow(text = FLOW): Promise<{ dir: string; read: () => Promise<string>; value: any }> {
  const dir = await tempWorkspace({ 'flows/orders.yaml': text });
  return { dir, read: () => readFile(join(dir, 'flows/orders.yaml'), 'utf8'), value: parse(text) };
}

describe('writeResource', () => {
  it('leaves the file byte-identical when nothing changed', async () => {
    const { dir, read, value } = await withFlow();
    await writeResource(dir, 'flows', 'orders', value);
    expect(await read()).toBe(FLOW);
  });

  it('changes one scalar and keeps every other line as written', async () => {
    const { dir, read, value } = await withFlow();
    value.steps[1].options.table = 'sales_orders_v2';
    await writeResource(dir, 'flows', 'orders', value);
    const expected = FLOW.replace('  options: {table: sales_orders, key: [order_no]}   # 目标表', '  options: { table: sales_orders_v2, key: [ order_no ] } # 目标表');
    expect(await read()).toBe(expected);
  });

  it('keeps comments on untouched keys and on the lines of changed keys', async () => {
    const { dir, read, value } = await withFlow();
    value.trigger.sourceId = 'orderId';
    value.description = '网店订单实时推送到 ERP';
    await writeResource(dir, 'flows', 'orders', value);
    const text = await read();
    expect(text).toContain('sourceId: orderId # 订单号\n');
    expect(text).toContain('description: 网店订单实时推送到 ERP # 给运维看的说明\n');
    expect(text.startsWith('# 网店订单 → ERP\n')).toBe(true);
    expect(text).toContain('# 写入 ERP 销售订单表\n- type: write\n');
    expect(parse(text)).toEqual(value);
  });

  it('adds and removes keys and list items, keeping key order and list style', async () => {
    const { dir, read, value } = await withFlow();
    delete value.retry;
    value.enabled = false;
    value.steps.splice(0, 0, { type: 'filter', when: 'status = "PAID"' });
    value.trigger.key = '0012';
    await writeResource(dir, 'flows', 'orders', value);
    const text = await read();
    expect(parse(text)).toEqual(value);
    expect(text).not.toContain('retry');
    expect(text.trimEnd().endsWith('enabled: false')).toBe(true);
    expect(text).toContain('\n- type: filter\n  when: status = "PAID"\n- type: map\n');
    // Items that moved keep their nodes: the comment stays above its step, the flow map as written.
    expect(text).toContain('# 写入 ERP 销售订单表\n- type: write\n  system: erp\n  options: {table: sales_orders, key: [order_no]}   # 目标表\n');
    // A string that reads as a number stays a string.
    expect(text).toContain('key: "0012"');
    expect(Object.keys(parse(text))).toEqual(['description', 'trigger', 'steps', 'enabled']);
  });

  it('creates a new file that the loader accepts', async () => {
    const dir = await tempWorkspace({});
    const system = { type: 'http', description: '用友 OA', config: { baseUrl: 'https://oa.example.com' } };
    await writeResource(dir, 'systems', 'oa', system);
    expect(parse(await readFile(join(dir, 'systems/oa.yaml'), 'utf8'))).toEqual(system);
    const { workspace } = await loadWorkspace(dir, { connectors: fakeConnectors });
    expect(workspace?.systems.oa).toEqual(system);
    expect((await readdir(join(dir, 'systems'))).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });

  it('writes to an existing .yml file rather than adding a .yaml one', async () => {
    const dir = await tempWorkspace({ 'mappings/m.yml': 'fields:\n  a: b # 保留\n' });
    await writeResource(dir, 'mappings', 'm', { fields: { a: 'c' } });
    expect(await readFile(join(dir, 'mappings/m.yml'), 'utf8')).toBe('fields:\n  a: c # 保留\n');
    await expect(access(join(dir, 'mappings/m.yaml'))).rejects.toThrow();
  });

  it('refuses a value that breaks the schema, with located findings, and leaves the file alone', async () => {
    const { dir, read, value } = await withFlow();
    value.steps[1].optoins = value.steps[1].options;
    delete value.steps[1].options;
    const error = await writeResource(dir, 'flows', 'orders', value).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(DatongError);
    expect((error as DatongError).code).toBe('DT_CONFIG_SCHEMA');
    const findings = (error as DatongError).details!.findings as { path: string; code: string; line: number }[];
    expect(findings.map((finding) => [finding.path, finding.code])).toEqual([
      ['steps[1].options', 'DT_CONFIG_SCHEMA'],
      ['steps[1].optoins', 'DT_CONFIG_UNKNOWN_FIELD'],
    ]);
    expect(await read()).toBe(FLOW);
  });

  it('refuses an id that cannot be a file name', async () => {
    const dir = await tempWorkspace({});
    await expect(writeResource(dir, 'systems', '../etc', { type: 'http', config: {} })).rejects.toMatchObject({ code: 'DT_CONFIG_FILE_NAME' });
  });
});

describe('deleteResource', () => {
  it('removes the file, and reports a resource that is not there', async () => {
    const { dir } = await withFlow();
    await deleteResource(dir, 'flows', 'orders');
    await expect(access(join(dir, 'flows/orders.yaml'))).rejects.toThrow();
    await expect(deleteResource(dir, 'flows', 'orders')).rejects.toMatchObject({ code: 'DT_CONFIG_NOT_FOUND' });
  });
});
