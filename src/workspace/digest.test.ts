import { describe, it, expect } from 'vitest';
import { canonicalJson } from '../encoding/canonical-json.ts';
import { workspaceDigest } from './digest.ts';
import type { Workspace } from './schema.ts';

const workspace = (): Workspace => ({
  file: { apiVersion: 'datong/v1', name: '演示' },
  systems: { erp: { type: 'sql', config: { url: 'postgres://erp', password: '${env:ERP_PASSWORD}' } } },
  flows: {},
  mappings: { m: { fields: { 客户名称: 'buyer.name', 金额: { from: 'totalFen', decimal: { divide: 100, scale: 2 } } } } },
});

describe('workspaceDigest', () => {
  it('is a sha256 hex digest that ignores key order', () => {
    const a = workspace();
    const b = workspace();
    b.systems.erp = { config: { password: '${env:ERP_PASSWORD}', url: 'postgres://erp' }, type: 'sql' };
    expect(workspaceDigest(a)).toMatch(/^[0-9a-f]{64}$/);
    expect(workspaceDigest(b)).toBe(workspaceDigest(a));
  });

  it('changes when any value changes, however deep', () => {
    const a = workspace();
    const b = workspace();
    (b.mappings.m.fields.金额 as { decimal: { scale: number } }).decimal.scale = 3;
    expect(workspaceDigest(b)).not.toBe(workspaceDigest(a));
  });

  it('keeps list order significant and drops undefined properties', () => {
    expect(canonicalJson({ b: [2, 1], a: undefined, c: null })).toBe('{"b":[2,1],"c":null}');
    expect(canonicalJson([1, 2])).not.toBe(canonicalJson([2, 1]));
  });
});
