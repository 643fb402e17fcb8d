/**
 * The workspace as resources: read (secrets redacted), write back to the YAML files (comments
 * kept) and apply as the next snapshot, delete, re-read the folder, list snapshots.
 */
import type { FastifyInstance } from 'fastify';
import { parseDocument } from 'yaml';
import { CONNECTORS } from '../../connectors/registry.ts';
import { DatongError } from '../../errors/datong-error.ts';
import type { Hub } from '../../hub/hub.ts';
import { decodeCursor, encodeCursor } from '../../store/paging.ts';
import { RESOURCE_KINDS, type ResourceKind } from '../../workspace/schema.ts';
import { deleteResource, writeResource } from '../../workspace/write-resource.ts';
import { actorName } from '../auth.ts';
import { redactResource, restoreRedacted } from './redact-resource.ts';
import { looseObject, pageLimit, pageOf, pageQueryProperties, type PageQuery } from './schemas.ts';
import { applyWorkspace, editResource, resourceFiles } from './workspace-edit.ts';

interface ResourceParams {
  kind: ResourceKind;
  id: string;
}

const resourceParams = {
  type: 'object',
  properties: { kind: { type: 'string', enum: [...RESOURCE_KINDS] }, id: { type: 'string', minLength: 1 } },
  required: ['kind', 'id'],
} as const;

const snapshotInfo = {
  type: 'object',
  properties: {
    id: { type: 'integer' },
    digest: { type: 'string' },
    createdAt: { type: 'string' },
    actor: { type: 'string' },
    source: { type: 'string' },
  },
} as const;

const applyResult = {
  type: 'object',
  description: 'The snapshot now active, and whether this call created it (false: nothing changed)',
  properties: { snapshot: { type: 'integer' }, created: { type: 'boolean' } },
  required: ['snapshot', 'created'],
} as const;

export function workspaceRoutes(api: FastifyInstance, hub: Hub): void {
  api.get(
    '/workspace',
    {
      config: { action: 'workspace.read' },
      schema: {
        summary: 'The active snapshot and the ids of its systems, flows and mappings',
        tags: ['workspace'],
        response: {
          200: {
            type: 'object',
            properties: {
              name: { type: 'string' },
              snapshot: snapshotInfo,
              systems: { type: 'array', items: { type: 'string' } },
              flows: { type: 'array', items: { type: 'string' } },
              mappings: { type: 'array', items: { type: 'string' } },
            },
          },
        },
      },
    },
    async () => {
      const { workspace, ...snapshot } = await hub.refreshSnapshot();
      return {
        name: workspace.file.name,
        snapshot,
        systems: Object.keys(workspace.systems).sort(),
        flows: Object.keys(workspace.flows).sort(),
        mappings: Object.keys(workspace.mappings).sort(),
      };
    },
  );

  api.get<{ Params: ResourceParams }>(
    '/workspace/:kind/:id',
    {
      config: { action: 'workspace.read' },
      schema: {
        summary: 'One system, flow or mapping of the active snapshot, secrets redacted',
        tags: ['workspace'],
        params: resourceParams,
        response: { 200: looseObject },
      },
    },
    async (request) => {
      const { kind, id } = request.params;
      const snapshot = await hub.refreshSnapshot();
      const value = snapshot.workspace[kind][id];
      if (value === undefined) throw new DatongError('DT_CONFIG_NOT_FOUND', { params: { kind, id } });
      return redactResource(kind, value, CONNECTORS);
    },
  );

  api.put<{ Params: ResourceParams; Body: Record<string, unknown> }>(
    '/workspace/:kind/:id',
    {
      config: { action: 'workspace.write' },
      schema: {
        summary: 'Create or replace a resource: writes its YAML file (comments kept) and applies the workspace as the next snapshot',
        description:
          'A value that does not fit its schema, or a workspace that no longer validates, answers 400 with `details.findings` and leaves the file unchanged. Redacted secrets sent back keep their current value.',
        tags: ['workspace'],
        params: resourceParams,
        body: looseObject,
        response: { 200: applyResult },
      },
    },
    async (request) => {
      const { kind, id } = request.params;
      const actor = actorName(request);
      const result = await editResource(hub, {
        kind,
        id,
        actor,
        change: async (original) => {
          const current = [...original.values()].find((text) => text !== undefined);
          const value = current === undefined ? request.body : restoreRedacted(request.body, parseDocument(current).toJS());
          await writeResource(hub.workspaceDir, kind, id, value);
        },
      });
      await hub.audit.append({ actor, action: 'config.write', target: `${kind}/${id}`, details: { op: 'put', ...result } });
      return result;
    },
  );

  api.delete<{ Params: ResourceParams }>(
    '/workspace/:kind/:id',
    {
      config: { action: 'workspace.write' },
      schema: {
        summary: 'Delete a resource file and apply the workspace; refused (400, findings) while something still uses it',
        tags: ['workspace'],
        params: resourceParams,
        response: { 200: applyResult },
      },
    },
    async (request) => {
      const { kind, id } = request.params;
      const actor = actorName(request);
      const result = await editResource(hub, { kind, id, actor, change: () => deleteResource(hub.workspaceDir, kind, id) });
      await hub.audit.append({ actor, action: 'config.write', target: `${kind}/${id}`, details: { op: 'delete', files: resourceFiles(kind, id), ...result } });
      return result;
    },
  );

  api.post(
    '/workspace/apply',
    {
      config: { action: 'workspace.apply' },
      schema: {
        summary: 'Re-read the workspace folder; a changed, valid workspace becomes the next snapshot',
        description: 'An invalid workspace answers 400 with `details.findings`; the active snapshot stays.',
        tags: ['workspace'],
        response: { 200: applyResult },
      },
    },
    async (request) => applyWorkspace(hub, actorName(request)),
  );

  api.get<{ Querystring: PageQuery }>(
    '/snapshots',
    {
      config: { action: 'workspace.read' },
      schema: {
        summary: 'Workspace snapshots, newest first',
        tags: ['workspace'],
        querystring: { type: 'object', properties: pageQueryProperties },
        response: { 200: pageOf(snapshotInfo) },
      },
    },
    async (request) => {
      const limit = pageLimit(request.query);
      const before = request.query.cursor === undefined ? undefined : Number(decodeCursor(request.query.cursor));
      const rows = await hub.db.all<{ id: number; created_at: number; actor: string; source: string; digest: string }>(
        `SELECT id, created_at, actor, source, digest FROM snapshots ${before === undefined ? '' : 'WHERE id < ?'} ORDER BY id DESC LIMIT ?`,
        before === undefined ? [limit + 1] : [before, limit + 1],
      );
      const items = rows.slice(0, limit).map((row) => ({
        id: Number(row.id),
        createdAt: new Date(Number(row.created_at)).toISOString(),
        actor: row.actor,
        source: row.source,
        digest: row.digest,
      }));
      return { items, nextCursor: rows.length > limit ? encodeCursor(items[items.length - 1].id) : null };
    },
  );
}
