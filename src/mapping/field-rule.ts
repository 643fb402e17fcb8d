/**
 * One field rule → one plan: an accessor (or a compiled expression) and a `finish` closure that
 * runs the rest of the pipeline. Everything that can be decided from the rule is decided here,
 * once; `finish` only branches on constants captured in its closure.
 *
 * Pipeline: read (from | const | expr) → trim → default / required → valueMap → cast →
 * date | unit then decimal → each.
 *
 * Empty means undefined, null or ''. An empty value takes `default` (written as given, not
 * converted), fails when `required`, else skips the pipeline: undefined omits the key, null
 * stays null, and '' becomes null when the field is typed (cast/date/decimal/unit/each).
 */
import type { FieldRuleSpec } from '../workspace/schema.ts';
import { CASTS, INVALID, type CastName } from './casts.ts';
import { compileDateRule, type DateRule } from './dates.ts';
import { compileDecimalRule, type DecimalRule } from './decimals.ts';
import { compileExpression, type CompiledExpression } from './expression.ts';
import { mapFailure, ruleError, withField } from './failure.ts';
import { compileAccessor, compileSetter, formatPath, parseOutputKey, parsePath, type Accessor, type PathSegment, type Setter } from './path.ts';
import { compileUnitRule, type UnitRule } from './units.ts';
import type { MapContext } from './types.ts';

export type Finish = (raw: unknown, ctx: MapContext) => unknown;

/** A nested mapping for `each`, compiled by the caller (compile-mapping.ts). */
export interface NestedFields {
  readonly isAsync: boolean;
  runSync(input: unknown, ctx: MapContext, root: unknown): Record<string, unknown>;
  runAsync(input: unknown, ctx: MapContext, root: unknown): Promise<Record<string, unknown>>;
}

export interface FieldPlan {
  /** Output key as written in the mapping, e.g. `buyer.name`. */
  readonly name: string;
  readonly parts: readonly string[];
  readonly set: Setter;
  /** Input path as text, for error locations; undefined for `const` and `expr`. */
  readonly path: string | undefined;
  /** First segment of the input path: an input field this rule names (for keepUnmapped). */
  readonly sourceRoot: string | undefined;
  /** The parsed input path, when the value is read from one (for code generation). */
  readonly segments: readonly PathSegment[] | undefined;
  readonly read: Accessor | undefined;
  readonly expr: CompiledExpression | undefined;
  /** undefined when the value is copied as read. */
  readonly finish: Finish | undefined;
  readonly nested: NestedFields | undefined;
}

export interface FieldEnv {
  /** Prefix of compile-time field names inside `each`, e.g. `lines[].`. */
  prefix: string;
  defaultTimezone?: string;
  expressionTimeoutMs?: number;
  compileNested(spec: unknown, prefix: string): NestedFields;
}

const RULE_KEYS = new Set(['from', 'const', 'expr', 'default', 'required', 'trim', 'cast', 'date', 'decimal', 'unit', 'valueMap', 'unmapped', 'each']);
const UNMAPPED = new Set(['fail', 'pass', 'default']);

/** A value handed out per record: objects are copied so no record can change another's. */
function producer(value: unknown): () => unknown {
  if (value !== null && typeof value === 'object') return () => structuredClone(value);
  return () => value;
}


export function compileField(name: string, spec: string | FieldRuleSpec, env: FieldEnv): FieldPlan {
  const field = env.prefix + name;
  let parts: string[];
  try {
    parts = parseOutputKey(name);
  } catch (error) {
    throw ruleError(field, (error as Error).message);
  }
  const rule: FieldRuleSpec = typeof spec === 'string' ? { from: spec } : spec;
  if (rule === null || typeof rule !== 'object' || Array.isArray(rule)) throw ruleError(field, 'a field rule is a path string or an object');
  for (const key of Object.keys(rule)) {
    if (!RULE_KEYS.has(key)) throw ruleError(field, `unknown setting "${key}"`);
  }
  const sources = ['from', 'const', 'expr'].filter((key) => Object.hasOwn(rule, key));
  if (sources.length > 1) throw ruleError(field, `use only one of from, const and expr (found ${sources.join(', ')})`);

  // read
  let read: Accessor | undefined;
  let expr: CompiledExpression | undefined;
  let path: string | undefined;
  let sourceRoot: string | undefined;
  let segments: PathSegment[] | undefined;
  if (rule.expr !== undefined) {
    if (typeof rule.expr !== 'string') throw ruleError(field, 'expr must be a string');
    const compiled = compileExpression(rule.expr, { field, timeoutMs: env.expressionTimeoutMs });
    expr = {
      source: compiled.source,
      evaluate: (input, bindings) => compiled.evaluate(input, bindings).catch((error: unknown) => Promise.reject(withField(error, name))),
    };
  } else if (Object.hasOwn(rule, 'const')) {
    read = producer(rule.const);
  } else {
    const from = rule.from ?? name;
    if (typeof from !== 'string') throw ruleError(field, 'from must be a string path');
    try {
      segments = parsePath(from);
      read = compileAccessor(segments);
      path = formatPath(segments);
      sourceRoot = typeof segments[0] === 'string' ? segments[0] : undefined;
    } catch (error) {
      throw ruleError(field, (error as Error).message);
    }
  }

  // checks on the rest
  if (rule.cast !== undefined && !Object.hasOwn(CASTS, rule.cast)) throw ruleError(field, `unknown cast "${String(rule.cast)}"`);
  if (rule.valueMap !== undefined && (rule.valueMap === null || typeof rule.valueMap !== 'object' || Array.isArray(rule.valueMap))) {
    throw ruleError(field, 'valueMap must be an object of source value → target value');
  }
  if (rule.unmapped !== undefined && !UNMAPPED.has(rule.unmapped)) throw ruleError(field, `unmapped must be fail, pass or default, not "${String(rule.unmapped)}"`);
  if (rule.unmapped !== undefined && rule.valueMap === undefined) throw ruleError(field, 'unmapped only applies with a valueMap');
  if (rule.unmapped === 'default' && !Object.hasOwn(rule, 'default')) throw ruleError(field, 'unmapped: default needs a default value');
  if (rule.date !== undefined && (rule.decimal !== undefined || rule.unit !== undefined)) throw ruleError(field, 'date cannot be combined with decimal or unit');
  const each = rule.each;
  if (each !== undefined && (rule.valueMap !== undefined || rule.cast !== undefined || rule.date !== undefined || rule.decimal !== undefined || rule.unit !== undefined)) {
    throw ruleError(field, 'each cannot be combined with valueMap, cast, date, decimal or unit');
  }

  const facts = { field: name, path };
  const trim = rule.trim === true;
  const required = rule.required === true;
  const hasDefault = Object.hasOwn(rule, 'default');
  const makeDefault = producer(rule.default);
  const valueMap = rule.valueMap ? new Map(Object.entries(rule.valueMap)) : undefined;
  const unmapped = rule.unmapped ?? 'fail';
  const castName = rule.cast as CastName | undefined;
  const cast = castName ? CASTS[castName] : undefined;
  const withName = <T>(make: () => T): T => {
    try {
      return make();
    } catch (error) {
      throw withField(error, field);
    }
  };
  const date = rule.date ? withName(() => compileDateRule(rule.date as DateRule, { ...facts, defaultTimezone: env.defaultTimezone })) : undefined;
  const unit = rule.unit ? withName(() => compileUnitRule(rule.unit as UnitRule, facts)) : undefined;
  const decimal = rule.decimal ? withName(() => compileDecimalRule(rule.decimal as DecimalRule, facts)) : undefined;
  const nested = each !== undefined ? env.compileNested(each, `${field}[].`) : undefined;
  const typed = cast !== undefined || date !== undefined || unit !== undefined || decimal !== undefined || nested !== undefined;
  const plain = !trim && !required && !hasDefault && valueMap === undefined && !typed;

  const finish: Finish | undefined = plain
    ? undefined
    : (raw, ctx) => {
        let v = raw;
        if (trim && typeof v === 'string') v = v.trim();
        if (v === undefined || v === null || v === '') {
          if (hasDefault) return makeDefault();
          if (required) throw mapFailure('DT_MAP_REQUIRED', { field: name, path, value: v });
          return v === '' && typed ? null : v;
        }
        if (valueMap !== undefined) {
          const key = typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint' ? String(v) : undefined;
          if (key !== undefined && valueMap.has(key)) {
            v = valueMap.get(key);
            if (v === null || v === undefined) return v;
          } else if (unmapped === 'fail') {
            throw mapFailure('DT_MAP_UNMAPPED_VALUE', { field: name, path, value: v });
          } else if (unmapped === 'default') {
            return makeDefault();
          }
        }
        if (cast !== undefined) {
          const converted = cast(v);
          if (converted === INVALID) throw mapFailure('DT_MAP_CAST', { field: name, path, value: v, params: { type: castName } });
          v = converted;
        }
        if (date !== undefined) return date(v, ctx);
        if (unit !== undefined) v = unit(v);
        if (decimal !== undefined) v = decimal(v);
        if (nested !== undefined && !Array.isArray(v)) throw mapFailure('DT_MAP_CAST', { field: name, path, value: v, params: { type: 'array' } });
        return v;
      };

  return { name, parts, set: compileSetter(parts), path, sourceRoot, segments, read, expr, finish, nested };
}

