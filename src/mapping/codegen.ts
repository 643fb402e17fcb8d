/**
 * Generates the synchronous record loop of a field set as one JavaScript function, so reads
 * and writes are property accesses with literal names (monomorphic inline caches, stable
 * hidden classes for the output) instead of calls through shared accessor closures, whose
 * keyed lookups go megamorphic once a mapping has a dozen fields. The per-field `finish`
 * closures are still called; only the plumbing is generated.
 *
 * Safety: the generated text contains no user data except keys, always as JSON string
 * literals; everything else is referenced by index into arrays passed in. When code
 * generation from strings is disabled (--disallow-code-generation-from-strings) this returns
 * undefined and the caller keeps its closure loop.
 */
import type { FieldPlan } from './field-rule.ts';
import type { MapContext } from './types.ts';

export type RunSync = (input: unknown, ctx: MapContext, root: unknown) => Record<string, unknown>;
export type EachSync = (plan: FieldPlan, items: readonly unknown[], ctx: MapContext, root: unknown) => unknown[];

const lit = (key: string | number): string => (typeof key === 'number' ? String(key) : JSON.stringify(key));

export function generateRunSync(plans: readonly FieldPlan[], start: (input: unknown) => Record<string, unknown>, eachSync: EachSync): RunSync | undefined {
  const lines: string[] = [];
  const parents = new Map<string, string>();
  const header: string[] = [];
  plans.forEach((plan, i) => {
    header.push(`const F${i} = P[${i}].finish, R${i} = P[${i}].read;`);
  });
  lines.push('const out = start(input);', 'let v, t;');
  for (const [key] of collectParents(plans)) {
    const name = `o${parents.size}`;
    parents.set(key, name);
    lines.push(`let ${name};`);
  }
  plans.forEach((plan, i) => {
    lines.push(`// ${i}`);
    if (plan.segments !== undefined) {
      lines.push('t = input;');
      for (const segment of plan.segments) lines.push(`t = t !== null && typeof t === "object" ? t[${lit(segment)}] : undefined;`);
      lines.push('v = t;');
    } else {
      lines.push(`v = R${i}(input);`);
    }
    if (plan.finish !== undefined) lines.push(`v = F${i}(v, ctx);`);
    if (plan.nested !== undefined) lines.push(`if (Array.isArray(v)) v = each(P[${i}], v, ctx, root);`);
    lines.push('if (v !== undefined) {');
    let target = 'out';
    for (let k = 0; k < plan.parts.length - 1; k++) {
      const name = parents.get(plan.parts.slice(0, k + 1).join('.'))!;
      lines.push(`  if (${name} === undefined) ${target}[${lit(plan.parts[k]!)}] = ${name} = {};`);
      target = name;
    }
    lines.push(`  ${target}[${lit(plan.parts[plan.parts.length - 1]!)}] = v;`, '}');
  });
  lines.push('return out;');
  const body = `"use strict";\n${header.join('\n')}\nreturn function run(input, ctx, root) {\n  ${lines.join('\n  ')}\n};`;
  try {
    return new Function('P', 'start', 'each', body)(plans, start, eachSync) as RunSync;
  } catch {
    return undefined;
  }
}

/** Every proper prefix of a dotted output key, in first-use order: the nested objects. */
function collectParents(plans: readonly FieldPlan[]): Map<string, true> {
  const parents = new Map<string, true>();
  for (const plan of plans) {
    for (let k = 1; k < plan.parts.length; k++) parents.set(plan.parts.slice(0, k).join('.'), true);
  }
  return parents;
}
