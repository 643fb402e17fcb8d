import { describe, expect, it } from 'vitest';
import { actionsOf, assertCan, can, isRole, PERMISSIONS } from './roles.ts';

describe('roles', () => {
  it('lets viewers read but not act', () => {
    for (const action of ['workspace.read', 'runs.read', 'status.read', 'metrics.read', 'deadletter.read']) expect(can('viewer', action)).toBe(true);
    for (const action of ['flow.run', 'deadletter.replay', 'deadletter.edit', 'deadletter.discard', 'trace.read', 'workspace.write', 'token.manage']) {
      expect(can('viewer', action)).toBe(false);
    }
  });

  it('lets operators run flows, handle dead letters and read traces, but not change the workspace or tokens', () => {
    for (const action of ['workspace.read', 'flow.run', 'deadletter.replay', 'deadletter.edit', 'deadletter.discard', 'deadletter.write', 'trace.read']) {
      expect(can('operator', action)).toBe(true);
    }
    for (const action of ['workspace.write', 'workspace.apply', 'config.apply', 'token.manage', 'token.read', 'audit.read', 'secret.write']) {
      expect(can('operator', action)).toBe(false);
    }
  });

  it('lets admins do every listed action and nobody an unlisted one', () => {
    expect(actionsOf('admin')).toEqual(Object.keys(PERMISSIONS));
    expect(actionsOf('viewer').length).toBeLessThan(actionsOf('operator').length);
    expect(can('admin', 'workspace.wirte')).toBe(false);
    expect(can('root' as 'admin', 'workspace.read')).toBe(false);
    expect(isRole('operator')).toBe(true);
    expect(isRole('Admin')).toBe(false);
  });

  it('throws DT_API_FORBIDDEN naming role and action', () => {
    expect(() => assertCan('viewer', 'flow.run')).toThrow(expect.objectContaining({ code: 'DT_API_FORBIDDEN', params: { role: 'viewer', action: 'flow.run' } }));
    expect(() => assertCan('operator', 'flow.run')).not.toThrow();
  });
});
