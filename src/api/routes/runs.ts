/**
 * Run history and record traces. Reading a trace shows business data (payloads, outputs), so
 * every read is audited (`trace.read`) in the transaction that reads it.
 */
import type { FastifyInstance } from 'fastify';
import { DatongError } from '../../errors/datong-error.ts';
import type { Hub } from '../../hub/hub.ts';
import { findRecords, listRuns, traceRecord } from '../../store/runs.ts';
import { RECORD_STATES } from '../../store/rows.ts';
import { actorName } from '../auth.ts';
import { withHopInputs } from './trace-view.ts';
import { anyValue, idParams, looseObject, pageLimit, pageOf, pageQueryProperties, type PageQuery } from './schemas.ts';

const OUTCOMES = ['done', 'retry', 'dead', 'filtered', 'split'] as const;

const runItem = {
  type: 'object',
  properties: {
    seq: { type: 'integer' },
    recordId: { type: 'string' },
    flow: { type: 'string' },
    attempt: { type: 'integer' },
    worker: { type: 'string' },
    startedAt: { type: 'integer', description: 'Epoch ms' },
    finishedAt: { type: 'integer', description: 'Epoch ms' },
    outcome: { type: 'string', enum: [...OUTCOMES] },
    errorCode: { type: 'string' },
  },
} as const;

const hop = {
  type: 'object',
  properties: {
    step: { type: 'string' },
    type: { type: 'string' },
    startedAt: { type: 'integer' },
    ms: { type: 'number' },
    input: anyValue,
    output: anyValue,
    error: looseObject,
    outcome: { type: 'string' },
  },
} as const;

export function runRoutes(api: FastifyInstance, hub: Hub): void {
  api.get<{ Querystring: PageQuery & { flow?: string; outcome?: string } }>(
    '/runs',
    {
      config: { action: 'runs.read' },
      schema: {
        summary: 'Attempts of records, newest first',
        tags: ['runs'],
        querystring: {
          type: 'object',
          properties: { ...pageQueryProperties, flow: { type: 'string' }, outcome: { type: 'string', enum: [...OUTCOMES] } },
        },
        response: { 200: pageOf(runItem) },
      },
    },
    async (request) => {
      const { flow, outcome, cursor } = request.query;
      return listRuns(hub.db, { flow, outcome, cursor, limit: pageLimit(request.query) });
    },
  );

  api.get<{ Querystring: { sourceId: string; flow?: string; limit?: number } }>(
    '/records',
    {
      config: { action: 'runs.read' },
      schema: {
        summary: 'Find records by their id in the source system, newest first',
        tags: ['runs'],
        querystring: {
          type: 'object',
          properties: { sourceId: { type: 'string', minLength: 1 }, flow: { type: 'string' }, limit: pageQueryProperties.limit },
          required: ['sourceId'],
        },
        response: {
          200: pageOf({
            type: 'object',
            properties: { id: { type: 'string' }, flow: { type: 'string' }, state: { type: 'string', enum: [...RECORD_STATES] }, acceptedAt: { type: 'string' } },
          }),
        },
      },
    },
    async (request) => {
      const { sourceId, flow } = request.query;
      return { items: await findRecords(hub.db, { sourceId, flow, limit: pageLimit(request.query) }), nextCursor: null };
    },
  );

  api.get<{ Params: { id: string } }>(
    '/records/:id/trace',
    {
      config: { action: 'trace.read' },
      schema: {
        summary: 'A record: envelope, state and every attempt hop by hop (input, output, error, timings); audited',
        tags: ['runs'],
        params: idParams,
        response: {
          200: {
            type: 'object',
            properties: {
              record: looseObject,
              runs: { type: 'array', items: { ...runItem, properties: { ...runItem.properties, hops: { type: 'array', items: hop } } } },
            },
          },
        },
      },
    },
    async (request) => {
      const id = request.params.id;
      const actor = actorName(request);
      return hub.db.transaction(async (tx) => {
        const trace = await traceRecord(tx, id);
        if (!trace) throw new DatongError('DT_API_NOT_FOUND', { params: { what: `record ${id}` } });
        await hub.audit.append({ actor, action: 'trace.read', target: `record:${id}`, details: { flow: trace.record.flow } }, tx);
        return withHopInputs(tx, trace);
      });
    },
  );
}
