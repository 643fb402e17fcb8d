/**
 * The step kinds a flow's `steps:` may hold, declared once (see schema.ts for the files around
 * them). Each kind is one object schema discriminated by `type`.
 */
import { Type, type Static } from 'typebox';

const StepBase = { id: Type.Optional(Type.String({ description: 'Step name in traces and metrics; defaults to its type and position' })) };

const MapStep = Type.Object(
  { ...StepBase, type: Type.Literal('map'), mapping: Type.String({ description: 'Mapping id (file under mappings/)' }) },
  { additionalProperties: false, description: 'Reshapes the record with a mapping' },
);
const FilterStep = Type.Object(
  { ...StepBase, type: Type.Literal('filter'), when: Type.String({ description: 'JSONata condition; records for which it is false stop here (done, not written)' }) },
  { additionalProperties: false, description: 'Lets only records matching a condition go on' },
);
const ValidateStep = Type.Object(
  { ...StepBase, type: Type.Literal('validate'), schema: Type.Record(Type.String(), Type.Unknown(), { description: 'JSON Schema the payload must satisfy' }) },
  { additionalProperties: false, description: 'Fails records whose payload does not fit a JSON Schema' },
);
const RouteStep = Type.Object(
  {
    ...StepBase,
    type: Type.Literal('route'),
    routes: Type.Array(
      Type.Object({ when: Type.String({ description: 'JSONata condition' }), to: Type.String({ description: 'Id of the step to continue with' }) }, { additionalProperties: false }),
      { minItems: 1, description: 'Checked in order; the first match wins' },
    ),
    otherwise: Type.Optional(Type.String({ description: 'Step id when no route matches; "stop" ends the record as done' })),
  },
  { additionalProperties: false, description: 'Continues with the step named by the first matching condition' },
);
const SplitStep = Type.Object(
  {
    ...StepBase,
    type: Type.Literal('split'),
    path: Type.String({ description: 'Path of the array; each element continues as its own record' }),
    sourceId: Type.Optional(Type.String({ description: 'Path of the element id inside each element; defaults to the index' })),
  },
  { additionalProperties: false, description: 'Turns each element of an array into a record of its own' },
);
const AggregateStep = Type.Object(
  {
    ...StepBase,
    type: Type.Literal('aggregate'),
    groupBy: Type.String({ description: 'Path of the group key' }),
    size: Type.Integer({ minimum: 1, description: 'Emit when the group has this many records' }),
    timeoutMs: Type.Optional(Type.Integer({ minimum: 1, description: 'Emit an incomplete group after this long' })),
    into: Type.Optional(Type.String({ default: 'items', description: 'Field of the emitted record holding the group' })),
  },
  { additionalProperties: false, description: 'Collects records with the same key into one record' },
);
const LookupStep = Type.Object(
  {
    ...StepBase,
    type: Type.Literal('lookup'),
    key: Type.String({ description: 'Path of the key to look up' }),
    into: Type.String({ description: 'Field the result is written to' }),
    xref: Type.Optional(
      Type.Object(
        { system: Type.String({ description: 'System whose id is wanted' }), entity: Type.String({ description: 'Entity name, e.g. customer' }) },
        { additionalProperties: false, description: 'Look the id up in the cross-reference table' },
      ),
    ),
    system: Type.Optional(Type.String({ description: 'Look up through a connector instead' })),
    options: Type.Optional(Type.Record(Type.String(), Type.Unknown(), { description: "Connector lookup options, checked against the connector's schema" })),
    onMissing: Type.Optional(
      Type.Union([Type.Literal('fail'), Type.Literal('null'), Type.Literal('retry')], { default: 'fail', description: 'When nothing is found: fail the record, write null, or retry later' }),
    ),
    cacheTtlMs: Type.Optional(Type.Integer({ minimum: 0, default: 60000, description: 'How long a looked-up value is reused' })),
  },
  { additionalProperties: false, description: 'Adds a value found by key, through the cross-reference table or a connector' },
);
const WriteStep = Type.Object(
  {
    ...StepBase,
    type: Type.Literal('write'),
    system: Type.String({ description: 'Target system' }),
    options: Type.Record(Type.String(), Type.Unknown(), { description: 'Connector write options (table, path…)' }),
    entity: Type.Optional(Type.String({ description: 'Entity name for the cross-reference table, e.g. sales-order' })),
  },
  { additionalProperties: false, description: 'Writes the record to a system' },
);

export const StepSchema = Type.Union([MapStep, FilterStep, ValidateStep, RouteStep, SplitStep, AggregateStep, LookupStep, WriteStep]);
export type StepSpec = Static<typeof StepSchema>;
export type StepType = StepSpec['type'];
