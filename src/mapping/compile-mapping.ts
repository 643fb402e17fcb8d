/**
 * Compiles a mapping (mappings/<id>.yaml) into a function of (record, ctx). Each field rule
 * becomes a plan of closures once (see field-rule.ts); applying the mapping is a loop over
 * plans with no interpretation of the rule left. A mapping without `expr` fields applies
 * synchronously; with one anywhere (nested `each` included) apply() returns a Promise.
 *
 * Compile errors throw a DatongError naming the field (`lines[].sku` inside `each`). apply()
 * never throws: failures come back as `{ ok: false, error }`, the error naming the output field
 * (`lines[2].sku`), the input path (`items[2].skuId`) and the value.
 */
import { DatongError, toDatongError } from '../errors/datong-error.ts';
import type { FieldRuleSpec, MappingFile } from '../workspace/schema.ts';
import { nestError, ruleError } from './failure.ts';
import { compileField, type FieldEnv, type FieldPlan, type NestedFields } from './field-rule.ts';
import { generateRunSync, type RunSync } from './codegen.ts';
import type { CompileOptions, CompiledMapping, MapContext, MapResult } from './types.ts';

export type { CompileOptions, CompiledMapping, MapContext, MapResult } from './types.ts';

interface FieldsSpec {
  fields: Record<string, string | FieldRuleSpec>;
  keepUnmapped?: boolean;
}

function checkFieldsSpec(spec: unknown, where: string): FieldsSpec {
  const fields = (spec as FieldsSpec | null)?.fields;
  if (spec === null || typeof spec !== 'object' || fields === null || typeof fields !== 'object' || Array.isArray(fields)) {
    throw ruleError(where, 'a mapping needs `fields`: an object of output key → rule');
  }
  return spec as FieldsSpec;
}

/** `buyer` and `buyer.name` cannot both be set: one would overwrite or break the other. */
function checkKeyConflicts(plans: readonly FieldPlan[], prefix: string): void {
  const whole = new Set(plans.map((plan) => plan.parts.join('.')));
  for (const plan of plans) {
    for (let i = 1; i < plan.parts.length; i++) {
      const parent = plan.parts.slice(0, i).join('.');
      if (whole.has(parent)) throw ruleError(prefix + plan.name, `output key clashes with "${parent}", which is set as a whole`);
    }
  }
}

/** A compiled set of field rules: the top level of a mapping or the body of an `each`. */
class FieldSet implements NestedFields {
  readonly isAsync: boolean;
  private readonly plans: FieldPlan[];
  private readonly keepUnmapped: boolean;
  private readonly named: Set<string>;

  constructor(spec: FieldsSpec, env: Omit<FieldEnv, 'compileNested'> & { generateCode?: boolean }) {
    const fullEnv: FieldEnv = { ...env, compileNested: (nested, prefix) => new FieldSet(checkFieldsSpec(nested, prefix.slice(0, -3)), { ...env, prefix }) };
    this.plans = Object.entries(spec.fields).map(([name, rule]) => compileField(name, rule, fullEnv));
    checkKeyConflicts(this.plans, env.prefix);
    this.keepUnmapped = spec.keepUnmapped === true;
    this.named = new Set<string>();
    for (const plan of this.plans) {
      this.named.add(plan.parts[0]!);
      if (plan.sourceRoot !== undefined) this.named.add(plan.sourceRoot);
    }
    this.isAsync = this.plans.some((plan) => plan.expr !== undefined || plan.nested?.isAsync === true);
    if (!this.isAsync && env.generateCode !== false) {
      const generated = generateRunSync(this.plans, (input) => this.start(input), eachSync);
      if (generated) this.runSync = generated;
    }
  }

  private start(input: unknown): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    if (this.keepUnmapped && input !== null && typeof input === 'object' && !Array.isArray(input)) {
      for (const key of Object.keys(input)) {
        if (!this.named.has(key)) out[key] = (input as Record<string, unknown>)[key];
      }
    }
    return out;
  }

  /**
   * Maps one record; throws a DatongError on the first failing field. Replaced per instance by
   * the generated equivalent (codegen.ts) when the set is synchronous.
   */
  runSync: RunSync = (input, ctx, root) => this.runClosures(input, ctx, root);

  private runClosures(input: unknown, ctx: MapContext, root: unknown): Record<string, unknown> {
    const out = this.start(input);
    const plans = this.plans;
    for (let i = 0; i < plans.length; i++) {
      const plan = plans[i]!;
      let value = plan.read!(input);
      if (plan.finish !== undefined) value = plan.finish(value, ctx);
      if (plan.nested !== undefined && Array.isArray(value)) value = eachSync(plan, value, ctx, root);
      if (value !== undefined) plan.set(out, value);
    }
    return out;
  }

  async runAsync(input: unknown, ctx: MapContext, root: unknown): Promise<Record<string, unknown>> {
    const out = this.start(input);
    for (const plan of this.plans) {
      let value = plan.expr !== undefined ? await plan.expr.evaluate(input, { now: ctx.now, root }) : plan.read!(input);
      if (plan.finish !== undefined) value = plan.finish(value, ctx);
      if (plan.nested !== undefined && Array.isArray(value)) {
        value = plan.nested.isAsync ? await eachAsync(plan, value, ctx, root) : eachSync(plan, value, ctx, root);
      }
      if (value !== undefined) plan.set(out, value);
    }
    return out;
  }
}

function eachSync(plan: FieldPlan, items: readonly unknown[], ctx: MapContext, root: unknown): unknown[] {
  const nested = plan.nested!;
  const result = new Array<unknown>(items.length);
  let i = 0;
  try {
    for (; i < items.length; i++) result[i] = nested.runSync(items[i], ctx, root);
  } catch (error) {
    throw error instanceof DatongError ? nestError(error, plan.name, plan.path, i) : error;
  }
  return result;
}

async function eachAsync(plan: FieldPlan, items: readonly unknown[], ctx: MapContext, root: unknown): Promise<unknown[]> {
  const nested = plan.nested!;
  const result = new Array<unknown>(items.length);
  for (let i = 0; i < items.length; i++) {
    try {
      result[i] = await nested.runAsync(items[i], ctx, root);
    } catch (error) {
      throw error instanceof DatongError ? nestError(error, plan.name, plan.path, i) : error;
    }
  }
  return result;
}

function failed(error: unknown): MapResult {
  return { ok: false, error: error instanceof DatongError ? error : toDatongError(error) };
}

export function compileMapping(id: string, spec: MappingFile, options: CompileOptions = {}): CompiledMapping {
  const fields = new FieldSet(checkFieldsSpec(spec, id), {
    prefix: '',
    defaultTimezone: options.defaultTimezone,
    expressionTimeoutMs: spec.expressionTimeoutMs,
    generateCode: options.generateCode,
  });
  if (!fields.isAsync) {
    return {
      id,
      isAsync: false,
      apply(input: unknown, ctx: MapContext): MapResult {
        try {
          return { ok: true, value: fields.runSync(input, ctx, input) };
        } catch (error) {
          return failed(error);
        }
      },
    };
  }
  return {
    id,
    isAsync: true,
    async apply(input: unknown, ctx: MapContext): Promise<MapResult> {
      try {
        return { ok: true, value: await fields.runAsync(input, ctx, input) };
      } catch (error) {
        return failed(error);
      }
    },
  };
}
