/**
 * The workspace's file formats, declared once. Validation (ajv), the TypeScript types (Static),
 * the generated reference in docs/workspace.md and the console's forms all come from here.
 * Connector-specific parts (a system's `config`, a write step's `options`) are declared by each
 * connector's spec and checked against it in a second pass.
 */
import { Type, type Static } from 'typebox';
import { StepSchema } from './step-schema.ts';

export { StepSchema, type StepSpec, type StepType } from './step-schema.ts';

export const API_VERSION = 'datong/v1';

/** Ids of systems, flows and mappings: the file name without its extension. */
export const ID_PATTERN = '^[a-z0-9][a-z0-9-]{0,62}$';
export const IdSchema = Type.String({ pattern: ID_PATTERN, description: 'Lower-case letters, digits and dashes' });
const Description = Type.Optional(Type.String({ description: 'What this is for, in a sentence' }));

export const WorkspaceFileSchema = Type.Object(
  {
    apiVersion: Type.Literal(API_VERSION, { description: 'Format version of the workspace files' }),
    name: Type.String({ description: 'Workspace name shown in the console' }),
    description: Description,
    store: Type.Optional(
      Type.Object(
        { url: Type.String({ description: 'sqlite:<path> or postgres://…; DATONG_STORE_URL overrides it' }) },
        { additionalProperties: false, description: 'Where the hub keeps records, runs and dead letters' },
      ),
    ),
    timezone: Type.Optional(Type.String({ default: 'Asia/Shanghai', description: 'Default IANA time zone of systems' })),
    retention: Type.Optional(
      Type.Object(
        {
          doneRecordsDays: Type.Optional(Type.Number({ minimum: 0, default: 7, description: 'Keep finished records and their traces this long' })),
          deadLettersDays: Type.Optional(Type.Number({ minimum: 0, default: 30, description: 'Keep resolved dead letters this long' })),
          runsDays: Type.Optional(Type.Number({ minimum: 0, default: 14, description: 'Keep run history this long' })),
        },
        { additionalProperties: false, description: 'How long finished data is kept' },
      ),
    ),
    sidecars: Type.Optional(
      Type.Array(
        Type.Object(
          {
            name: Type.String({ description: 'Name in logs' }),
            command: Type.Array(Type.String(), { minItems: 1, description: 'Program and arguments; a relative .ts/.js file runs with the hub\'s Node.js, relative to the workspace folder' }),
            env: Type.Optional(Type.Record(Type.String(), Type.String(), { description: 'Extra environment variables' })),
          },
          { additionalProperties: false },
        ),
        { description: 'Local helper processes `datong start` runs beside the hub and stops with it (simulators, bridges); they get DATONG_URL' },
      ),
    ),
  },
  { additionalProperties: false },
);
export type WorkspaceFile = Static<typeof WorkspaceFileSchema>;

export const SystemSchema = Type.Object(
  {
    type: Type.String({ description: 'Connector type, e.g. http, sql' }),
    description: Description,
    timezone: Type.Optional(Type.String({ description: 'IANA time zone of the system; defaults to the workspace zone' })),
    config: Type.Record(Type.String(), Type.Unknown(), { description: 'Connector config, checked against the connector\'s schema' }),
    concurrency: Type.Optional(Type.Integer({ minimum: 1, default: 4, description: 'Writes in flight to this system at once' })),
    rateLimit: Type.Optional(
      Type.Object(
        { perSecond: Type.Number({ exclusiveMinimum: 0, description: 'Requests per second' }), burst: Type.Optional(Type.Integer({ minimum: 1, description: 'Requests that may go at once above the rate' })) },
        { additionalProperties: false, description: 'Most requests per second sent to this system' },
      ),
    ),
  },
  { additionalProperties: false },
);
export type SystemFile = Static<typeof SystemSchema>;

// ---- mappings ----

const FieldRule = Type.Object(
  {
    from: Type.Optional(Type.String({ description: 'Dotted path in the input, e.g. buyer.name or items[0].sku' })),
    const: Type.Optional(Type.Unknown({ description: 'A fixed value' })),
    expr: Type.Optional(Type.String({ description: 'JSONata expression over the input record' })),
    default: Type.Optional(Type.Unknown({ description: 'Used when the source value is empty' })),
    required: Type.Optional(Type.Boolean({ description: 'Fail the record when the value is empty' })),
    trim: Type.Optional(Type.Boolean({ description: 'Remove spaces around a string value' })),
    cast: Type.Optional(
      Type.Union([Type.Literal('string'), Type.Literal('integer'), Type.Literal('number'), Type.Literal('boolean'), Type.Literal('decimal')], {
        description: 'Convert the value to this type; decimal gives an exact string',
      }),
    ),
    date: Type.Optional(
      Type.Object(
        {
          format: Type.String({ description: 'Input format in Luxon tokens, e.g. dd/MM/yyyy HH:mm; "iso" or "epoch-ms"/"epoch-s"' }),
          timezone: Type.Optional(Type.String({ description: 'Zone of the input; defaults to the source system zone' })),
          output: Type.Optional(Type.Union([Type.Literal('iso'), Type.Literal('date'), Type.Literal('epoch-ms')], { default: 'iso', description: 'ISO 8601 with offset, a plain date, or epoch milliseconds' })),
        },
        { additionalProperties: false, description: 'Parse a date or time and output it normalised' },
      ),
    ),
    decimal: Type.Optional(
      Type.Object(
        {
          scale: Type.Optional(Type.Integer({ minimum: 0, maximum: 18, description: 'Digits after the point' })),
          divide: Type.Optional(Type.Union([Type.Number(), Type.String()], { description: 'Divide by this number' })),
          multiply: Type.Optional(Type.Union([Type.Number(), Type.String()], { description: 'Multiply by this number' })),
          rounding: Type.Optional(Type.Union([Type.Literal('half-up'), Type.Literal('half-even'), Type.Literal('down'), Type.Literal('up')], { description: 'How the last digit is rounded' })),
        },
        { additionalProperties: false, description: 'Exact decimal arithmetic; the result is a string, e.g. fen → yuan: { divide: 100, scale: 2 }' },
      ),
    ),
    unit: Type.Optional(
      Type.Object(
        { from: Type.String({ description: 'Unit of the input' }), to: Type.String({ description: 'Unit of the output' }) },
        { additionalProperties: false, description: 'Unit conversion, e.g. g → kg' },
      ),
    ),
    valueMap: Type.Optional(Type.Record(Type.String(), Type.Unknown(), { description: 'Source value → target value' })),
    unmapped: Type.Optional(
      Type.Union([Type.Literal('fail'), Type.Literal('pass'), Type.Literal('default')], { description: 'What a value missing from valueMap does (default fail)' }),
    ),
    each: Type.Optional(Type.Unknown({ description: 'For arrays: a nested mapping ({ fields: … }) applied to every element' })),
  },
  { additionalProperties: false, description: 'How one output field is made' },
);

export const MappingSchema = Type.Object(
  {
    description: Description,
    source: Type.Optional(Type.String({ description: 'System the input comes from (its zone is the default for dates)' })),
    target: Type.Optional(Type.String({ description: 'System the output goes to' })),
    fields: Type.Record(Type.String(), Type.Union([Type.String({ description: 'Shorthand for { from: <path> }' }), FieldRule]), {
      description: 'Output field name → a source path, or a field rule',
    }),
    keepUnmapped: Type.Optional(Type.Boolean({ default: false, description: 'Copy input fields the mapping does not name' })),
    expressionTimeoutMs: Type.Optional(Type.Integer({ minimum: 1, maximum: 10000, default: 100, description: 'Longest time one expression may run' })),
  },
  { additionalProperties: false },
);
export type MappingFile = Static<typeof MappingSchema>;
export type FieldRuleSpec = Static<typeof FieldRule>;

// ---- flows ----

const WebhookTrigger = Type.Object(
  {
    type: Type.Literal('webhook'),
    system: Type.String({ description: 'System the deliveries come from' }),
    secrets: Type.Array(Type.String(), { minItems: 1, maxItems: 2, description: 'HMAC secrets (two during rotation); ${env:NAME} or encrypted' }),
    sourceId: Type.String({ description: 'Path of the record id in the body, e.g. orderNo' }),
    key: Type.Optional(Type.String({ description: 'Path of the ordering key; defaults to the source id' })),
    version: Type.Optional(Type.String({ description: 'Path of the record version, e.g. updatedAt' })),
    company: Type.Optional(Type.String({ description: 'Path of the owning company' })),
    department: Type.Optional(Type.String({ description: 'Path of the owning department' })),
    maxBodyBytes: Type.Optional(Type.Integer({ minimum: 1, default: 1048576, description: 'Largest body accepted' })),
    toleranceSeconds: Type.Optional(Type.Integer({ minimum: 1, default: 300, description: 'How far the signed timestamp may be from now' })),
  },
  { additionalProperties: false, description: 'Records pushed by a system over HTTP, signed with HMAC' },
);

const ScheduleTrigger = Type.Object(
  {
    type: Type.Literal('schedule'),
    cron: Type.String({ description: 'Cron expression (5 or 6 fields), e.g. */30 * * * * *' }),
    timezone: Type.Optional(Type.String({ description: 'IANA zone the cron expression is read in; defaults to the workspace zone' })),
    missed: Type.Optional(
      Type.Union([Type.Literal('skip'), Type.Literal('once'), Type.Literal('all')], { default: 'once', description: 'Runs missed while the hub was down: skip them, run once, or run each' }),
    ),
    read: Type.Optional(
      Type.Object(
        {
          system: Type.String({ description: 'System to read from on each run' }),
          options: Type.Record(Type.String(), Type.Unknown(), { description: "Connector read options, checked against the connector's schema" }),
          pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 10000, default: 500, description: 'Records asked for per page' })),
          maxPages: Type.Optional(Type.Integer({ minimum: 1, default: 100, description: 'Most pages read in one run' })),
        },
        { additionalProperties: false, description: 'Pages of records read from a system on each run' },
      ),
    ),
  },
  { additionalProperties: false, description: 'Runs on a cron schedule, reading from a system' },
);

export const FlowSchema = Type.Object(
  {
    description: Description,
    enabled: Type.Optional(Type.Boolean({ default: true, description: 'Whether the flow runs' })),
    trigger: Type.Union([WebhookTrigger, ScheduleTrigger], { description: 'What brings records into the flow' }),
    steps: Type.Array(StepSchema, { minItems: 1, description: 'What happens to each record, in order' }),
    retry: Type.Optional(
      Type.Object(
        {
          maxAttempts: Type.Optional(Type.Integer({ minimum: 1, default: 8, description: 'Attempts before a record is dead-lettered' })),
          initialDelayMs: Type.Optional(Type.Integer({ minimum: 1, default: 500, description: 'Wait before the first retry' })),
          maxDelayMs: Type.Optional(Type.Integer({ minimum: 1, default: 300000, description: 'Longest wait between retries' })),
        },
        { additionalProperties: false, description: 'How retryable failures are retried' },
      ),
    ),
    ordering: Type.Optional(
      Type.Object(
        {
          afterDeadLetter: Type.Optional(
            Type.Union([Type.Literal('continue'), Type.Literal('hold')], {
              default: 'continue',
              description: 'When a record is dead-lettered: let later records of its key flow on, or hold them until it is replayed or discarded',
            }),
          ),
        },
        { additionalProperties: false, description: 'Order of records that share a key' },
      ),
    ),
    maxBacklog: Type.Optional(Type.Integer({ minimum: 1, description: 'Refuse new webhook deliveries (503) while this many records wait' })),
  },
  { additionalProperties: false },
);
export type FlowFile = Static<typeof FlowSchema>;
export type TriggerSpec = FlowFile['trigger'];
export type WebhookTriggerSpec = Static<typeof WebhookTrigger>;
export type ScheduleTriggerSpec = Static<typeof ScheduleTrigger>;

/** A loaded workspace: the parsed files, keyed by id (file name without extension). */
export interface Workspace {
  file: WorkspaceFile;
  systems: Record<string, SystemFile>;
  flows: Record<string, FlowFile>;
  mappings: Record<string, MappingFile>;
}

export type ResourceKind = 'systems' | 'flows' | 'mappings';
export const RESOURCE_KINDS: readonly ResourceKind[] = ['systems', 'flows', 'mappings'];
