/**
 * Write paths like `/customers/{id}` or `/orders/{header.orderNo}/lines`: each `{field}` (a dotted
 * path into the item's data) is replaced by the field's value, URL-encoded as one path segment.
 */
const PLACEHOLDER = /\{([^{}]+)\}/g;

export function placeholders(template: string): string[] {
  return [...template.matchAll(PLACEHOLDER)].map((match) => match[1].trim());
}

export type FilledPath = { ok: true; path: string } | { ok: false; missing: string };

/** Fills the template; a placeholder whose value is absent, null, empty or an object is reported as missing. */
export function fillPath(template: string, data: unknown): FilledPath {
  let missing: string | undefined;
  const path = template.replace(PLACEHOLDER, (whole, field: string) => {
    const value = valueAt(data, field.trim());
    if (value === undefined || value === null || value === '' || typeof value === 'object') {
      missing ??= field.trim();
      return whole;
    }
    return encodeURIComponent(String(value));
  });
  return missing === undefined ? { ok: true, path } : { ok: false, missing };
}

function valueAt(data: unknown, path: string): unknown {
  let current = data;
  for (const part of path.split('.')) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[part];
  }
  return current;
}
