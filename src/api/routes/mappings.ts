/**
 * `POST /mappings/preview`: runs a mapping (a saved one by id, or one being edited) on sample
 * records without saving anything. Each sample answers its output or its error, naming the
 * output field, the input path and, for expressions, the position in the expression.
 */
import type { FastifyInstance } from 'fastify';
import { Document } from 'yaml';
import { DatongError } from '../../errors/datong-error.ts';
import type { Hub } from '../../hub/hub.ts';
import { previewMapping } from '../../mapping/preview.ts';
import { MappingSchema, type MappingFile, type Workspace } from '../../workspace/schema.ts';
import { checkSchema } from '../../workspace/schema-check.ts';
import { parseYamlSource } from '../../workspace/yaml-source.ts';
import { anyValue, looseObject } from './schemas.ts';

interface PreviewBody {
  mappingId?: string;
  mapping?: Record<string, unknown>;
  samples: unknown[];
  /** The clock the mapping sees (ISO 8601); default now. */
  now?: string;
}

export function mappingRoutes(api: FastifyInstance, hub: Hub): void {
  api.post<{ Body: PreviewBody }>(
    '/mappings/preview',
    {
      config: { action: 'mapping.preview' },
      schema: {
        summary: 'Run a mapping on sample records: a saved one (mappingId) or an unsaved one (mapping)',
        description: 'Answers one item per sample: `{ ok: true, output }` or `{ ok: false, error: { code, message, where: { field, path }, params } }`. An unsaved mapping that does not fit the mapping schema answers 400 with findings.',
        tags: ['mappings'],
        body: {
          type: 'object',
          properties: {
            mappingId: { type: 'string', minLength: 1 },
            mapping: looseObject,
            samples: { type: 'array', items: anyValue, maxItems: 1000 },
            now: { type: 'string', format: 'date-time' },
          },
          required: ['samples'],
        },
        response: {
          200: {
            type: 'object',
            properties: {
              items: {
                type: 'array',
                items: { type: 'object', properties: { ok: { type: 'boolean' }, output: looseObject, error: looseObject }, required: ['ok'] },
              },
            },
          },
        },
      },
    },
    async (request) => {
      const { mappingId, samples } = request.body;
      const snapshot = await hub.refreshSnapshot();
      const mapping = request.body.mapping ? checkMapping(request.body.mapping) : savedMapping(snapshot.workspace, mappingId);
      const now = request.body.now ? new Date(request.body.now) : new Date();
      const zone = sourceZone(snapshot.workspace, mapping);
      const items = await previewMapping(mappingId ?? 'preview', mapping, samples, { now, sourceTimezone: zone }, { defaultTimezone: zone });
      return { items };
    },
  );
}

function savedMapping(workspace: Workspace, id: string | undefined): MappingFile {
  if (!id) throw new DatongError('DT_API_BAD_REQUEST', { params: { reason: 'give mappingId or mapping' } });
  const mapping = workspace.mappings[id];
  if (!mapping) throw new DatongError('DT_CONFIG_NOT_FOUND', { params: { kind: 'mappings', id } });
  return mapping;
}

/** Checks an unsaved mapping as if it were a file, so findings carry the same paths as `validate`. */
function checkMapping(value: Record<string, unknown>): MappingFile {
  const file = 'mappings/(preview).yaml';
  const { source } = parseYamlSource(file, new Document(value).toString());
  const findings = checkSchema({ source, value, schema: MappingSchema, subject: 'a mapping' });
  if (findings.length > 0) {
    const reason = `not a valid mapping: ${findings.map((finding) => `${finding.path || '(root)'} ${finding.message}`).join('; ')}`;
    throw new DatongError('DT_CONFIG_SCHEMA', { params: { reason }, details: { findings } });
  }
  return value as MappingFile;
}

function sourceZone(workspace: Workspace, mapping: MappingFile): string {
  const source = mapping.source ? workspace.systems[mapping.source] : undefined;
  return source?.timezone ?? workspace.file.timezone ?? 'Asia/Shanghai';
}
