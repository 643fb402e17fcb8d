/**
 * A flow compiled for one snapshot: its steps as functions, its retry policy and ordering rule.
 * Plans are cached per (snapshot, flow): a record runs the flow as it was when it was accepted.
 */
import { DatongError } from '../errors/datong-error.ts';
import type { Db } from '../store/db.ts';
import type { FlowFile, StepSpec, Workspace } from '../workspace/schema.ts';
import type { ConnectorPool } from './connector-pool.ts';
import { DEFAULT_RETRY, type RetryPolicy } from './retry-policy.ts';
import { aggregateStep } from './steps/aggregate-step.ts';
import { filterStep } from './steps/filter-step.ts';
import { lookupStep } from './steps/lookup-step.ts';
import { mapStep } from './steps/map-step.ts';
import { routeStep } from './steps/route-step.ts';
import { splitStep } from './steps/split-step.ts';
import type { CompiledStep } from './steps/step.ts';
import { validateStep } from './steps/validate-step.ts';
import { writeStep } from './steps/write-step.ts';

export interface FlowPlan {
  id: string;
  snapshot: number;
  flow: FlowFile;
  workspace: Workspace;
  steps: CompiledStep[];
  /** Write steps by step id, with their target system and options. */
  writes: Map<string, { system: string; options: Record<string, unknown> }>;
  aggregates: Map<string, Extract<StepSpec, { type: 'aggregate' }>>;
  retry: RetryPolicy;
  holdKeyAfterDeadLetter: boolean;
  sourceSystem: string;
}

export function stepIds(flow: FlowFile): string[] {
  return flow.steps.map((step, index) => step.id ?? `${step.type}-${index + 1}`);
}

export function sourceSystemOf(flow: FlowFile): string {
  return flow.trigger.type === 'webhook' ? flow.trigger.system : (flow.trigger.read?.system ?? 'schedule');
}

export function compileFlowPlan(options: { id: string; snapshot: number; workspace: Workspace; pool: ConnectorPool; db: Db }): FlowPlan {
  const { id, workspace } = options;
  const flow = workspace.flows[id];
  if (!flow) throw new DatongError('DT_RUNTIME_UNKNOWN_FLOW', { params: { flow: id } });
  const ids = stepIds(flow);
  const stepIndex = (stepId: string) => {
    const index = ids.indexOf(stepId);
    if (index < 0) throw new DatongError('DT_CONFIG_INVALID', { params: { reason: `route target "${stepId}" is not a step of flow ${id}` }, where: { flow: id } });
    return index;
  };
  const sourceSystem = sourceSystemOf(flow);
  const sourceTimezone = workspace.systems[sourceSystem]?.timezone ?? workspace.file.timezone ?? 'Asia/Shanghai';
  const writes = new Map<string, { system: string; options: Record<string, unknown> }>();
  const aggregates = new Map<string, Extract<StepSpec, { type: 'aggregate' }>>();

  const steps = flow.steps.map((step, index): CompiledStep => {
    const stepId = ids[index];
    const base = { id: stepId, index };
    try {
      switch (step.type) {
        case 'map': {
          const mapping = workspace.mappings[step.mapping];
          if (!mapping) throw new DatongError('DT_CONFIG_UNKNOWN_MAPPING', { params: { mapping: step.mapping } });
          return mapStep({ ...base, mappingId: step.mapping, mapping, sourceTimezone });
        }
        case 'filter':
          return filterStep({ ...base, when: step.when });
        case 'validate':
          return validateStep({ ...base, schema: step.schema });
        case 'route':
          return routeStep({ ...base, routes: step.routes, otherwise: step.otherwise, stepIndex });
        case 'split':
          return splitStep({ ...base, path: step.path, sourceId: step.sourceId });
        case 'aggregate':
          aggregates.set(stepId, step);
          return aggregateStep({ ...base, groupBy: step.groupBy });
        case 'lookup':
          return lookupStep({
            ...base,
            key: step.key,
            into: step.into,
            onMissing: step.onMissing ?? 'fail',
            cacheTtlMs: step.cacheTtlMs ?? 60_000,
            xref: step.xref,
            connector: step.system ? { live: () => options.pool.get(workspace, step.system!), options: step.options ?? {} } : undefined,
            db: options.db,
          });
        case 'write':
          writes.set(stepId, { system: step.system, options: step.options });
          return writeStep({ ...base, flow: id, system: step.system, entity: step.entity });
      }
    } catch (error) {
      throw error instanceof DatongError ? error.at({ flow: id, step: stepId }) : error;
    }
  });

  return {
    id,
    snapshot: options.snapshot,
    flow,
    workspace,
    steps,
    writes,
    aggregates,
    retry: { ...DEFAULT_RETRY, ...flow.retry },
    holdKeyAfterDeadLetter: flow.ordering?.afterDeadLetter === 'hold',
    sourceSystem,
  };
}
