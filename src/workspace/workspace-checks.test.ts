import { describe, it, expect, afterAll } from 'vitest';
import { loadWorkspace } from './load-workspace.ts';
import { formatFinding } from './format-finding.ts';
import { fakeConnectors } from './fixtures/fake-connectors.ts';
import { removeTempWorkspaces, tempWorkspace } from './fixtures/temp-workspace.ts';

afterAll(removeTempWorkspaces);

const SHOP = 'type: http\nconfig:\n  baseUrl: https://shop.example.com\n';
const ERP = 'type: sql\nconfig:\n  url: postgres://erp@127.0.0.1/erp\n';
const WEBHOOK = 'trigger:\n  type: webhook\n  system: shop\n  secrets: ["${env:S}"]\n  sourceId: orderNo\n';

async function check(files: Record<string, string>): Promise<string[]> {
  const dir = await tempWorkspace({ 'systems/shop.yaml': SHOP, 'systems/erp.yaml': ERP, ...files });
  const result = await loadWorkspace(dir, { connectors: fakeConnectors });
  return result.findings.map(formatFinding);
}

describe('workspace files', () => {
  it('reports the same id given as .yaml and .yml', async () => {
    expect(await check({ 'systems/erp.yml': ERP })).toEqual(['systems/erp.yml:1:1 — Duplicate id "erp": systems/erp.yaml has the same id [DT_CONFIG_DUPLICATE_ID]']);
  });

  it('reports file names that cannot be ids and warns about files it ignores', async () => {
    expect(await check({ 'mappings/订单.yaml': 'fields: {}\n', 'flows/README.md': '# notes\n', 'flows/.keep': '' })).toEqual([
      'flows/README.md:1:1 — warning: Invalid file name "flows/README.md": only .yaml and .yml files are read; this one is ignored [DT_CONFIG_FILE_NAME]',
      'mappings/订单.yaml:1:1 — Invalid file name "mappings/订单.yaml": the name without extension is the id and must be lower-case letters, digits and dashes (at most 63) [DT_CONFIG_FILE_NAME]',
    ]);
  });

  it('reports a folder without datong.yaml', async () => {
    const result = await loadWorkspace('/nonexistent/datong-workspace', { connectors: fakeConnectors });
    expect(result.workspace).toBeUndefined();
    expect(result.findings.map((finding) => [finding.file, finding.code])).toEqual([['datong.yaml', 'DT_CONFIG_INVALID']]);
  });

  it('reports a missing apiVersion at the top mapping', async () => {
    const dir = await tempWorkspace({ 'datong.yaml': '# 工作区\nname: 测试\n' });
    const result = await loadWorkspace(dir, { connectors: fakeConnectors });
    expect(result.findings.map(formatFinding)).toEqual(['datong.yaml:2:1 apiVersion — missing apiVersion: add "apiVersion: datong/v1" [DT_CONFIG_API_VERSION]']);
  });

  it('gives a workspace when only warnings were found', async () => {
    const dir = await tempWorkspace({ 'systems/notes.txt': '说明' });
    const result = await loadWorkspace(dir, { connectors: fakeConnectors });
    expect(result.findings).toHaveLength(1);
    expect(result.workspace?.file.name).toBe('测试工作区');
  });
});

describe('schema checks', () => {
  it('names the allowed values of an enum', async () => {
    const flow = 'trigger:\n  type: schedule\n  cron: "0 2 * * *"\n  missed: never\nsteps:\n  - type: filter\n    when: "true"\n';
    expect(await check({ 'flows/nightly.yaml': flow })).toEqual(['flows/nightly.yaml:4:11 trigger.missed — must be one of: skip, once, all [DT_CONFIG_SCHEMA]']);
  });

  it('checks a step against the kind its type names, not every kind', async () => {
    const flow = `${WEBHOOK}steps:\n  - type: aggregate\n    groupBy: customerId\n    size: 十\n`;
    expect(await check({ 'flows/orders.yaml': flow })).toEqual(['flows/orders.yaml:9:11 steps[0].size — must be an integer (found a string) [DT_CONFIG_SCHEMA]']);
  });

  it('reports an unknown step type at the type, and a missing one at the step', async () => {
    const flow = `${WEBHOOK}steps:\n  - type: transform\n    expr: x\n  - mapping: order-to-erp\n`;
    expect(await check({ 'flows/orders.yaml': flow })).toEqual([
      'flows/orders.yaml:7:11 steps[0].type — must be one of: map, filter, validate, route, split, aggregate, lookup, write [DT_CONFIG_SCHEMA]',
      'flows/orders.yaml:9:5 steps[1].type — missing required property "type" (one of: map, filter, validate, route, split, aggregate, lookup, write) [DT_CONFIG_SCHEMA]',
    ]);
  });

  it('reports a missing required property at the mapping that lacks it', async () => {
    const flow = `${WEBHOOK}steps:\n  - type: filter\n  - type: map\n    mapping: m\n`;
    const mapping = 'fields:\n  a: b\n';
    expect(await check({ 'flows/orders.yaml': flow, 'mappings/m.yaml': mapping })).toEqual([
      'flows/orders.yaml:7:5 steps[0].when — missing required property "when" [DT_CONFIG_SCHEMA]',
    ]);
  });

  it('picks the branch of a non-discriminated union by the value\'s type', async () => {
    const mapping = 'fields:\n  amount:\n    from: totalFen\n    decimal: { divide: true, scale: 2 }\n  name: 7\n';
    expect(await check({ 'mappings/m.yaml': mapping })).toEqual([
      'mappings/m.yaml:4:24 fields.amount.decimal.divide — must be a number or a string (found a boolean) [DT_CONFIG_SCHEMA]',
      'mappings/m.yaml:5:9 fields.name — must be a string or a mapping (found an integer) [DT_CONFIG_SCHEMA]',
    ]);
  });

  it('suggests the nearest known property for a misspelt one', async () => {
    expect(await check({ 'systems/crm.yaml': 'type: http\nconfg: {}\nconfig:\n  baseUrl: https://crm.example.com\n' })).toEqual([
      'systems/crm.yaml:2:1 confg — Unknown field "confg" for a system (did you mean "config"?) [DT_CONFIG_UNKNOWN_FIELD]',
    ]);
  });
});

describe('cross-references', () => {
  it('checks trigger, read, lookup and mapping systems', async () => {
    const flow = 'trigger:\n  type: schedule\n  cron: "*/5 * * * *"\n  read:\n    system: oa\n    options: {}\nsteps:\n  - type: lookup\n    key: k\n    into: v\n    xref: { system: wms, entity: sku }\n';
    const mapping = 'source: shop\ntarget: mes\nfields: {}\n';
    expect(await check({ 'flows/sync.yaml': flow, 'mappings/m.yaml': mapping, 'flows/hook.yaml': WEBHOOK.replace('system: shop', 'system: shopp') + 'steps:\n  - type: filter\n    when: "true"\n' })).toEqual([
      'flows/hook.yaml:3:11 trigger.system — Unknown system "shopp" (did you mean "shop"?) [DT_CONFIG_UNKNOWN_SYSTEM]',
      'flows/sync.yaml:5:13 trigger.read.system — Unknown system "oa" [DT_CONFIG_UNKNOWN_SYSTEM]',
      'flows/sync.yaml:11:21 steps[0].xref.system — Unknown system "wms" [DT_CONFIG_UNKNOWN_SYSTEM]',
      'mappings/m.yaml:2:9 target — Unknown system "mes" [DT_CONFIG_UNKNOWN_SYSTEM]',
    ]);
  });

  it('checks route targets against step ids, defaulting ids to <type>-<position>', async () => {
    const flow = `${WEBHOOK}steps:\n  - type: route\n    routes:\n      - when: amount > 100\n        to: write-2\n      - when: amount < 0\n        to: refunds\n    otherwise: write-9\n  - type: write\n    system: erp\n    options: { table: orders }\n`;
    expect(await check({ 'flows/orders.yaml': flow })).toEqual([
      'flows/orders.yaml:12:13 steps[0].routes[1].to — Unknown step "refunds" [DT_CONFIG_UNKNOWN_STEP]',
      'flows/orders.yaml:13:16 steps[0].otherwise — Unknown step "write-9" (did you mean "write-2"?) [DT_CONFIG_UNKNOWN_STEP]',
    ]);
  });

  it('accepts "stop" as a route target and reports duplicate step ids', async () => {
    const flow = `${WEBHOOK}steps:\n  - id: check\n    type: filter\n    when: "true"\n  - type: route\n    routes: [{ when: "true", to: check }]\n    otherwise: stop\n  - id: check\n    type: filter\n    when: "false"\n`;
    expect(await check({ 'flows/orders.yaml': flow })).toEqual(['flows/orders.yaml:13:9 steps[2].id — Duplicate id "check": steps[0] has the same step id [DT_CONFIG_DUPLICATE_ID]']);
  });
});

describe('connector checks', () => {
  it('reports a system type no connector has', async () => {
    expect(await check({ 'systems/oa.yaml': 'type: htp\nconfig: {}\n' })).toEqual([
      'systems/oa.yaml:1:7 type — Unknown connector type "htp" (did you mean "http"?) [DT_CONFIG_UNKNOWN_CONNECTOR]',
    ]);
  });

  it('checks a system\'s config against its connector\'s schema, allowing secret references', async () => {
    const system = 'type: sql\nconfig:\n  url: ${env:ERP_URL}\n  port: 七千\n  pasword: x\n';
    expect(await check({ 'systems/erp.yaml': system })).toEqual([
      'systems/erp.yaml:4:9 config.port — must be an integer (found a string) [DT_CONFIG_SCHEMA]',
      'systems/erp.yaml:5:3 config.pasword — Unknown field "pasword" for config (did you mean "password"?) [DT_CONFIG_UNKNOWN_FIELD]',
    ]);
  });

  it('reports a flow using a capability its connector lacks', async () => {
    const flow = 'trigger:\n  type: schedule\n  cron: "0 * * * *"\n  read:\n    system: erp\n    options: {}\nsteps:\n  - type: filter\n    when: "true"\n';
    expect(await check({ 'flows/pull.yaml': flow })).toEqual([
      'flows/pull.yaml:5:13 trigger.read.system — System "erp" (sql) cannot read (it can: write, lookup) [DT_CONFIG_CAPABILITY]',
    ]);
  });

  it('checks read, write and lookup options against the connector\'s schemas', async () => {
    const flow = 'trigger:\n  type: schedule\n  cron: "0 * * * *"\n  read:\n    system: shop\n    options: { path: 1 }\nsteps:\n  - type: lookup\n    key: k\n    into: v\n    system: erp\n  - type: write\n    system: erp\n    options:\n      table: orders\n      mode: merge\n';
    expect(await check({ 'flows/pull.yaml': flow })).toEqual([
      'flows/pull.yaml:6:22 trigger.read.options.path — must be a string (found an integer) [DT_CONFIG_SCHEMA]',
      'flows/pull.yaml:8:5 steps[0].options.table — missing required property "table" [DT_CONFIG_SCHEMA]',
      'flows/pull.yaml:16:13 steps[1].options.mode — must be one of: insert, upsert [DT_CONFIG_SCHEMA]',
    ]);
  });
});

describe('times', () => {
  it('checks zones of the workspace, systems and mapping dates', async () => {
    const mapping = 'fields:\n  at:\n    from: t\n    date: { format: iso, timezone: Beijing }\n';
    const dir = await tempWorkspace({
      'datong.yaml': 'apiVersion: datong/v1\nname: 测试\ntimezone: China/Shanghai\n',
      'systems/shop.yaml': `${SHOP}timezone: Asia/Shanghai\n`,
      'mappings/m.yaml': mapping,
    });
    const result = await loadWorkspace(dir, { connectors: fakeConnectors });
    expect(result.findings.map(formatFinding)).toEqual([
      'datong.yaml:3:11 timezone — Unknown time zone "China/Shanghai": use an IANA name such as Asia/Shanghai [DT_CONFIG_TIMEZONE]',
      'mappings/m.yaml:4:36 fields.at.date.timezone — Unknown time zone "Beijing": use an IANA name such as Asia/Shanghai [DT_CONFIG_TIMEZONE]',
    ]);
  });
});
