const splitCache = new Map<string, (string | number)[]>();

/** Reads a dotted path (`buyer.name`, `items[0].sku`) from a JSON value; undefined when absent. */
export function readPath(value: unknown, path: string): unknown {
  let parts = splitCache.get(path);
  if (!parts) {
    parts = splitPath(path);
    if (splitCache.size > 1000) splitCache.clear();
    splitCache.set(path, parts);
  }
  let current: unknown = value;
  for (const part of parts) {
    if (current === null || current === undefined) return undefined;
    current = (current as Record<string | number, unknown>)[part];
  }
  return current;
}

export function splitPath(path: string): (string | number)[] {
  const parts: (string | number)[] = [];
  for (const segment of path.replace(/^\$\.?/, '').split('.')) {
    if (!segment) continue;
    const match = /^([^[\]]*)((?:\[\d+\])*)$/.exec(segment);
    if (!match) {
      parts.push(segment);
      continue;
    }
    if (match[1]) parts.push(match[1]);
    for (const index of match[2].matchAll(/\[(\d+)\]/g)) parts.push(Number(index[1]));
  }
  return parts;
}

/** The value at a path as a non-empty string, or undefined. */
export function readString(value: unknown, path: string): string | undefined {
  const found = readPath(value, path);
  if (found === undefined || found === null || found === '') return undefined;
  return typeof found === 'object' ? JSON.stringify(found) : String(found);
}
