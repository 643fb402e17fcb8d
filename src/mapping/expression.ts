/**
 * JSONata expressions, compiled once and time-boxed. Used only where a mapping asks for `expr`
 * (and by filter/route conditions): JSONata walks its syntax tree asynchronously per node and is
 * two orders of magnitude slower than a compiled field.
 *
 * The time box is JSONata 2.2's own guardrail (`timeout`/`stack` options), which is the
 * "timeboxExpression" technique of its test suite built in: every node evaluation bumps a depth
 * counter and checks the elapsed time. Like that technique, it cannot interrupt a single
 * built-in call that runs long by itself (a huge `$sort`), only the walk between nodes.
 *
 * Extra functions keep money exact (all return canonical decimal strings):
 *   $decimal(x, scale?, rounding?)  $decimalAdd(a, b)  $decimalSub(a, b)  $decimalMul(a, b)
 *   $decimalDiv(a, b, scale?)       $decimalSum(array) $decimalCmp(a, b) → -1 | 0 | 1
 * `$now()` and `$millis()` answer from the caller's clock (bindings `now`), never the machine's.
 */
import jsonata from 'jsonata';
import { DatongError } from '../errors/datong-error.ts';
import { Dec, ROUNDING, canonical, toDecimal, type RoundingName } from './decimals.ts';

export const DEFAULT_TIMEOUT_MS = 100;
export const DEFAULT_MAX_DEPTH = 300;

export interface ExpressionOptions {
  timeoutMs?: number;
  maxDepth?: number;
  /** Field (or step setting) the expression belongs to, for error locations. */
  field?: string;
}

export interface CompiledExpression {
  readonly source: string;
  /**
   * Evaluates against `input`. `bindings.now` (a Date) fixes `$now()`/`$millis()`; other
   * bindings become `$name` variables. Rejects with a DatongError (DT_MAP_EXPRESSION or
   * DT_MAP_EXPRESSION_TIMEOUT), with the position in `where.column`/`details.position`.
   */
  evaluate(input: unknown, bindings?: Record<string, unknown>): Promise<unknown>;
}

export interface CompiledCondition {
  readonly source: string;
  /** JSONata truthiness of the result ($boolean): undefined, '', 0, [] and {} are false. */
  test(input: unknown, bindings?: Record<string, unknown>): Promise<boolean>;
}

interface JsonataFailure {
  code?: string;
  position?: number;
  token?: string;
  message?: string;
}

/** Line and column (1-based) of a JSONata character position in a possibly multi-line source. */
function lineAndColumn(source: string, position: number): { line: number; column: number } {
  const before = source.slice(0, Math.max(0, position));
  const lines = before.split('\n');
  return { line: lines.length, column: lines[lines.length - 1]!.length || 1 };
}

function failureFacts(source: string, error: JsonataFailure) {
  const position = typeof error.position === 'number' ? error.position : 0;
  const { line, column } = lineAndColumn(source, position);
  return { position, line, column, reason: error.message ?? String(error), jsonataCode: error.code, token: error.token };
}

function decimalArg(value: unknown, name: string): InstanceType<typeof Dec> {
  const d = toDecimal(value);
  if (!d) throw { code: 'D3001', message: `${name}: ${JSON.stringify(value)} is not a decimal number` };
  return d;
}

function registerDecimalFunctions(expr: jsonata.Expression): void {
  expr.registerFunction(
    'decimal',
    (x: unknown, scale?: number, rounding?: string) => {
      if (x === undefined) return undefined;
      const mode = rounding !== undefined && Object.hasOwn(ROUNDING, rounding) ? ROUNDING[rounding as RoundingName] : undefined;
      if (rounding !== undefined && mode === undefined) throw { code: 'D3001', message: `$decimal: unknown rounding "${rounding}"` };
      return canonical(decimalArg(x, '$decimal'), scale, mode);
    },
    '<(ns)n?s?:s>',
  );
  const binary = (name: string, op: (a: InstanceType<typeof Dec>, b: InstanceType<typeof Dec>) => InstanceType<typeof Dec>) =>
    (a: unknown, b: unknown) => (a === undefined || b === undefined ? undefined : canonical(op(decimalArg(a, name), decimalArg(b, name))));
  expr.registerFunction('decimalAdd', binary('$decimalAdd', (a, b) => a.plus(b)), '<(ns)(ns):s>');
  expr.registerFunction('decimalSub', binary('$decimalSub', (a, b) => a.minus(b)), '<(ns)(ns):s>');
  expr.registerFunction('decimalMul', binary('$decimalMul', (a, b) => a.times(b)), '<(ns)(ns):s>');
  expr.registerFunction(
    'decimalDiv',
    (a: unknown, b: unknown, scale?: number) => {
      if (a === undefined || b === undefined) return undefined;
      const divisor = decimalArg(b, '$decimalDiv');
      if (divisor.isZero()) throw { code: 'D3001', message: '$decimalDiv: division by zero' };
      return canonical(decimalArg(a, '$decimalDiv').div(divisor), scale);
    },
    '<(ns)(ns)n?:s>',
  );
  expr.registerFunction(
    'decimalSum',
    (values: unknown) => {
      if (values === undefined) return '0';
      const list = Array.isArray(values) ? values : [values];
      let sum = new Dec(0);
      for (const v of list) sum = sum.plus(decimalArg(v, '$decimalSum'));
      return canonical(sum);
    },
    '<x:s>',
  );
  expr.registerFunction('decimalCmp', (a: unknown, b: unknown) => decimalArg(a, '$decimalCmp').cmp(decimalArg(b, '$decimalCmp')), '<(ns)(ns):n>');
}

/** `$now(picture?, zone?)` and `$millis()` reading a given clock; with arguments, as JSONata's own. */
function clockBindings(now: Date): Record<string, unknown> {
  const ms = now.getTime();
  return {
    now: {
      _jsonata_function: true,
      implementation(this: { environment: { lookup(name: string): { implementation: (...args: unknown[]) => unknown } } }, picture?: string, zone?: string) {
        if (picture === undefined && zone === undefined) return new Date(ms).toISOString();
        const fromMillis = this.environment.lookup('fromMillis');
        return fromMillis.implementation.call(this, ms, picture, zone);
      },
    },
    millis: { _jsonata_function: true, implementation: () => ms },
  };
}

export function compileExpression(source: string, options: ExpressionOptions = {}): CompiledExpression {
  const field = options.field ?? 'expr';
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const maxDepth = options.maxDepth ?? DEFAULT_MAX_DEPTH;
  let expr: jsonata.Expression;
  try {
    expr = jsonata(source, { timeout: timeoutMs, stack: maxDepth });
  } catch (error) {
    const facts = failureFacts(source, error as JsonataFailure);
    throw new DatongError('DT_MAP_EXPRESSION_SYNTAX', {
      params: { field, position: facts.position, reason: facts.reason },
      where: { field, line: facts.line, column: facts.column },
      details: { expression: source, position: facts.position, token: facts.token, jsonataCode: facts.jsonataCode },
    });
  }
  registerDecimalFunctions(expr);

  const fail = (error: unknown): DatongError => {
    const failure = error as JsonataFailure;
    const overrun = failure?.code === 'D1011' || failure?.code === 'D1012' || (error instanceof RangeError && /call stack/i.test(error.message));
    const facts = failureFacts(source, failure ?? {});
    const details = { expression: source, position: facts.position, token: facts.token, jsonataCode: facts.jsonataCode };
    if (overrun) {
      return new DatongError('DT_MAP_EXPRESSION_TIMEOUT', { params: { field, limitMs: timeoutMs, maxDepth }, where: { field }, details, cause: error });
    }
    return new DatongError('DT_MAP_EXPRESSION', {
      params: { field, position: facts.position, reason: facts.reason },
      where: { field, line: facts.line, column: facts.column },
      details,
      cause: error instanceof Error ? error : undefined,
    });
  };

  return {
    source,
    async evaluate(input, bindings) {
      let scope: Record<string, unknown> | undefined;
      if (bindings) {
        const { now, ...rest } = bindings;
        scope = now instanceof Date ? { ...rest, ...clockBindings(now) } : rest;
      }
      try {
        return await expr.evaluate(input, scope);
      } catch (error) {
        throw fail(error);
      }
    },
  };
}

/** JSONata's $boolean: what counts as true for filter and route conditions. */
export function jsonataTruthy(value: unknown): boolean {
  if (value === undefined || value === null) return false;
  if (Array.isArray(value)) {
    if (value.length === 1) return jsonataTruthy(value[0]);
    return value.some((item) => jsonataTruthy(item));
  }
  switch (typeof value) {
    case 'string':
      return value.length > 0;
    case 'number':
      return value !== 0;
    case 'boolean':
      return value;
    case 'object':
      return Object.keys(value).length > 0;
    default:
      return false;
  }
}

export function compileCondition(source: string, options: ExpressionOptions = {}): CompiledCondition {
  const compiled = compileExpression(source, { field: 'when', ...options });
  return {
    source,
    async test(input, bindings) {
      return jsonataTruthy(await compiled.evaluate(input, bindings));
    },
  };
}
