/**
 * The dead-letter queue: list, inspect, edit the payload, replay (one or many) and discard.
 * Every change is audited in the transaction that makes it; a replay wakes the worker.
 */
import type { FastifyInstance } from 'fastify';
import { DatongError } from '../../errors/datong-error.ts';
import type { Hub } from '../../hub/hub.ts';
import { discardDeadLetter, editDeadLetter, getDeadLetter, listDeadLetters, replayDeadLetter } from '../../store/dead-letters.ts';
import type { DeadLetter } from '../../store/rows.ts';
import { actorName } from '../auth.ts';
import { replayMany } from './bulk-replay.ts';
import { anyValue, idParams, looseObject, pageLimit, pageOf, pageQueryProperties, type PageQuery } from './schemas.ts';

const STATES = ['open', 'replayed', 'discarded'] as const;
const REASONS = ['error', 'validation'] as const;

export const deadLetterSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    recordId: { type: 'string' },
    flow: { type: 'string' },
    reason: { type: 'string', enum: [...REASONS] },
    step: { type: ['string', 'null'] },
    errorCode: { type: 'string' },
    error: looseObject,
    attempts: { type: 'integer' },
    payload: anyValue,
    originalPayload: anyValue,
    state: { type: 'string', enum: [...STATES] },
    createdAt: { type: 'string' },
    resolvedAt: { type: ['string', 'null'] },
    resolvedBy: { type: ['string', 'null'] },
  },
} as const;

interface ListQuery extends PageQuery {
  flow?: string;
  state?: DeadLetter['state'];
  reason?: DeadLetter['reason'];
}

export function deadLetterRoutes(api: FastifyInstance, hub: Hub): void {
  api.get<{ Querystring: ListQuery }>(
    '/dead-letters',
    {
      config: { action: 'deadletter.read' },
      schema: {
        summary: 'Dead letters, oldest first',
        tags: ['dead-letters'],
        querystring: {
          type: 'object',
          properties: {
            ...pageQueryProperties,
            flow: { type: 'string' },
            state: { type: 'string', enum: [...STATES] },
            reason: { type: 'string', enum: [...REASONS] },
          },
        },
        response: { 200: pageOf(deadLetterSchema) },
      },
    },
    async (request) => {
      const { flow, state, reason, cursor } = request.query;
      return listDeadLetters(hub.db, { flow, state, reason, cursor, limit: pageLimit(request.query) });
    },
  );

  api.get<{ Params: { id: string } }>(
    '/dead-letters/:id',
    {
      config: { action: 'deadletter.read' },
      schema: { summary: 'One dead letter with its error and payloads', tags: ['dead-letters'], params: idParams, response: { 200: deadLetterSchema } },
    },
    async (request) => {
      const entry = await getDeadLetter(hub.db, request.params.id);
      if (!entry) throw new DatongError('DT_API_NOT_FOUND', { params: { what: `dead letter ${request.params.id}` } });
      return entry;
    },
  );

  api.patch<{ Params: { id: string }; Body: { payload: unknown } }>(
    '/dead-letters/:id',
    {
      config: { action: 'deadletter.edit' },
      schema: {
        summary: 'Edit the payload an open dead letter will be replayed with',
        tags: ['dead-letters'],
        params: idParams,
        body: { type: 'object', properties: { payload: anyValue }, required: ['payload'], additionalProperties: false },
        response: { 200: deadLetterSchema },
      },
    },
    async (request) => {
      const id = request.params.id;
      const actor = actorName(request);
      return hub.db.transaction(async (tx) => {
        const entry = await editDeadLetter(tx, id, request.body.payload);
        await hub.audit.append({ actor, action: 'deadletter.edit', target: `deadletter:${id}`, details: { flow: entry.flow, recordId: entry.recordId } }, tx);
        return entry;
      });
    },
  );

  api.post<{ Params: { id: string } }>(
    '/dead-letters/:id/replay',
    {
      config: { action: 'deadletter.replay' },
      schema: {
        summary: 'Put the record back in the queue with its (edited) payload, under the active snapshot',
        tags: ['dead-letters'],
        params: idParams,
        response: { 200: deadLetterSchema },
      },
    },
    async (request) => {
      const id = request.params.id;
      const actor = actorName(request);
      const snapshot = (await hub.refreshSnapshot()).id;
      const entry = await hub.db.transaction(async (tx) => {
        const replayed = await replayDeadLetter(tx, id, { actor, snapshot });
        await hub.audit.append({ actor, action: 'deadletter.replay', target: `deadletter:${id}`, details: { flow: replayed.flow, recordId: replayed.recordId, snapshot } }, tx);
        return replayed;
      });
      hub.wake();
      return entry;
    },
  );

  api.post<{ Params: { id: string } }>(
    '/dead-letters/:id/discard',
    {
      config: { action: 'deadletter.discard' },
      schema: { summary: 'Give up on an open dead letter; releases any key it held', tags: ['dead-letters'], params: idParams, response: { 200: deadLetterSchema } },
    },
    async (request) => {
      const id = request.params.id;
      const actor = actorName(request);
      return hub.db.transaction(async (tx) => {
        const entry = await discardDeadLetter(tx, id, actor);
        await hub.audit.append({ actor, action: 'deadletter.discard', target: `deadletter:${id}`, details: { flow: entry.flow, recordId: entry.recordId } }, tx);
        return entry;
      });
    },
  );

  api.post<{ Body: { flow?: string; ids?: string[]; all?: boolean } }>(
    '/dead-letters/replay',
    {
      config: { action: 'deadletter.replay' },
      schema: {
        summary: 'Replay many open dead letters: the given ids, every one of a flow, or all',
        description: 'Give `ids`, `flow` (both: the ids of that flow) or `all: true`. Entries no longer open are counted as skipped.',
        tags: ['dead-letters'],
        body: {
          type: 'object',
          properties: {
            flow: { type: 'string', minLength: 1 },
            ids: { type: 'array', items: { type: 'string', minLength: 1 }, maxItems: 10_000 },
            all: { type: 'boolean' },
          },
          additionalProperties: false,
        },
        response: {
          200: {
            type: 'object',
            properties: { replayed: { type: 'integer' }, skipped: { type: 'integer' }, notFound: { type: 'integer' } },
            required: ['replayed', 'skipped', 'notFound'],
          },
        },
      },
    },
    async (request) => {
      const { flow, ids, all } = request.body ?? {};
      if (!ids && !flow && all !== true) {
        throw new DatongError('DT_API_BAD_REQUEST', { params: { reason: 'give ids, a flow, or all: true' } });
      }
      const snapshot = (await hub.refreshSnapshot()).id;
      const counts = await replayMany(hub, { flow, ids, actor: actorName(request), snapshot });
      if (counts.replayed > 0) hub.wake();
      return counts;
    },
  );
}
