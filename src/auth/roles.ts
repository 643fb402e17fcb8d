/**
 * Who may do what. Three roles, each including the one below it:
 *
 *   viewer   — reads: workspace, runs, status and metrics, dead letters, cross references.
 *   operator — viewer + runs flows, checks systems, replays/edits/discards dead letters,
 *              reads record traces (payloads), unlinks cross references.
 *   admin    — operator + writes and applies the workspace, manages tokens and secrets,
 *              reads the audit log.
 *
 * Every API route names one Action; an action missing from this table is refused for every
 * role, so a typo fails closed.
 */
import { DatongError } from '../errors/datong-error.ts';

export const ROLES = ['viewer', 'operator', 'admin'] as const;
export type Role = (typeof ROLES)[number];

const RANK: Record<Role, number> = { viewer: 0, operator: 1, admin: 2 };

/** Each action with the least role that may perform it. */
export const PERMISSIONS = {
  'workspace.read': 'viewer',
  'runs.read': 'viewer',
  'status.read': 'viewer',
  'metrics.read': 'viewer',
  'deadletter.read': 'viewer',
  'xref.read': 'viewer',
  'mapping.preview': 'viewer',

  'flow.run': 'operator',
  'system.check': 'operator',
  'deadletter.write': 'operator',
  'deadletter.edit': 'operator',
  'deadletter.replay': 'operator',
  'deadletter.discard': 'operator',
  'trace.read': 'operator',
  'xref.write': 'operator',

  'workspace.write': 'admin',
  'workspace.apply': 'admin',
  'config.write': 'admin',
  'config.apply': 'admin',
  'token.read': 'admin',
  'token.manage': 'admin',
  'secret.read': 'admin',
  'secret.write': 'admin',
  'audit.read': 'admin',
  'key.rotate': 'admin',
} as const satisfies Record<string, Role>;

export type Action = keyof typeof PERMISSIONS;

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

export function isAction(value: unknown): value is Action {
  return typeof value === 'string' && Object.hasOwn(PERMISSIONS, value);
}

export function can(role: Role, action: Action | string): boolean {
  if (!isRole(role) || !isAction(action)) return false;
  return RANK[role] >= RANK[PERMISSIONS[action]];
}

/** Throws DT_API_FORBIDDEN unless the role may perform the action. */
export function assertCan(role: Role, action: Action | string): void {
  if (!can(role, action)) throw new DatongError('DT_API_FORBIDDEN', { params: { role, action } });
}

/** The actions a role may perform, for `GET /me`-style answers and docs. */
export function actionsOf(role: Role): Action[] {
  return (Object.keys(PERMISSIONS) as Action[]).filter((action) => can(role, action));
}
