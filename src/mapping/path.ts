/**
 * Input paths and output keys, compiled once into accessors.
 *
 * An input path is dotted with `[n]` indexes and optional quoted keys: `buyer.name`,
 * `items[0].sku`, `attrs["颜色.主"]`; `$` alone (or a leading `$.`) is the record itself.
 * An output key is dotted (`buyer.name` creates nested objects).
 */

export type PathSegment = string | number;
export type Accessor = (input: unknown) => unknown;
export type Setter = (out: Record<string, unknown>, value: unknown) => void;

/** Splits a path into segments; throws an Error whose message says what is wrong. */
export function parsePath(path: string): PathSegment[] {
  let text = path.trim();
  if (text === '$') return [];
  if (text.startsWith('$.')) text = text.slice(2);
  if (text === '') throw new Error('the path is empty');
  const segments: PathSegment[] = [];
  let i = 0;
  let expectName = true;
  while (i < text.length) {
    const ch = text[i];
    if (ch === '[') {
      const close = text.indexOf(']', i);
      if (close < 0) throw new Error(`unclosed "[" at ${i + 1} in "${path}"`);
      const inner = text.slice(i + 1, close).trim();
      if (/^\d+$/.test(inner)) segments.push(Number(inner));
      else if (/^(["']).*\1$/.test(inner) && inner.length >= 2) segments.push(inner.slice(1, -1));
      else throw new Error(`"[${inner}]" in "${path}" is neither an index nor a quoted key`);
      i = close + 1;
      expectName = false;
      continue;
    }
    if (ch === '.') {
      if (expectName) throw new Error(`empty segment at ${i + 1} in "${path}"`);
      expectName = true;
      i++;
      continue;
    }
    if (!expectName) throw new Error(`expected "." or "[" at ${i + 1} in "${path}"`);
    let end = i;
    while (end < text.length && text[end] !== '.' && text[end] !== '[') end++;
    const name = text.slice(i, end);
    if (name.trim() !== name) throw new Error(`segment "${name}" in "${path}" has surrounding spaces`);
    segments.push(name);
    i = end;
    expectName = false;
  }
  if (expectName) throw new Error(`"${path}" ends with "."`);
  return segments;
}

export function formatPath(segments: readonly PathSegment[]): string {
  let text = '';
  for (const segment of segments) {
    if (typeof segment === 'number') text += `[${segment}]`;
    else if (/^[^.[\]"']+$/.test(segment)) text += text === '' ? segment : `.${segment}`;
    else text += `[${JSON.stringify(segment)}]`;
  }
  return text === '' ? '$' : text;
}

function step(value: unknown, key: PathSegment): unknown {
  return value === null || typeof value !== 'object' ? undefined : (value as Record<PathSegment, unknown>)[key];
}

/** One accessor per path, unrolled for the short paths that make up nearly every mapping. */
export function compileAccessor(segments: readonly PathSegment[]): Accessor {
  const [a, b, c] = segments;
  switch (segments.length) {
    case 0:
      return (input) => input;
    case 1:
      return (input) => (input === null || typeof input !== 'object' ? undefined : (input as Record<PathSegment, unknown>)[a!]);
    case 2:
      return (input) => {
        if (input === null || typeof input !== 'object') return undefined;
        const mid = (input as Record<PathSegment, unknown>)[a!];
        return mid === null || typeof mid !== 'object' ? undefined : (mid as Record<PathSegment, unknown>)[b!];
      };
    case 3:
      return (input) => step(step(step(input, a!), b!), c!);
    default: {
      const keys = segments.slice();
      return (input) => {
        let value = input;
        for (let i = 0; i < keys.length && value !== undefined; i++) value = step(value, keys[i]!);
        return value;
      };
    }
  }
}

/** Splits an output key on dots; every part must be non-empty. */
export function parseOutputKey(key: string): string[] {
  const parts = key.split('.');
  if (parts.some((part) => part === '')) throw new Error(`output key "${key}" has an empty part`);
  return parts;
}

/** A setter that writes one output key, creating intermediate objects on demand. */
export function compileSetter(parts: readonly string[]): Setter {
  const [a, b] = parts;
  if (parts.length === 1) return (out, value) => { out[a!] = value; };
  if (parts.length === 2) {
    return (out, value) => {
      let inner = out[a!] as Record<string, unknown> | undefined;
      if (inner === undefined) out[a!] = inner = {};
      inner[b!] = value;
    };
  }
  const keys = parts.slice();
  const last = keys.length - 1;
  return (out, value) => {
    let target = out;
    for (let i = 0; i < last; i++) {
      let inner = target[keys[i]!] as Record<string, unknown> | undefined;
      if (inner === undefined) target[keys[i]!] = inner = {};
      target = inner;
    }
    target[keys[last]!] = value;
  };
}
