/**
 * Reading a record's fields by the paths a workspace names (`orderNo`, `buyer.name`,
 * `items[0].sku`): the mapping module's path syntax and compiled accessors, cached per path.
 */
import { compileAccessor, parsePath, type Accessor } from '../mapping/path.ts';

const accessors = new Map<string, Accessor>();
const absent: Accessor = () => undefined;

function accessor(path: string): Accessor {
  let found = accessors.get(path);
  if (!found) {
    try {
      found = compileAccessor(parsePath(path));
    } catch {
      // A path that cannot be parsed finds nothing; callers report the value as missing at it.
      found = absent;
    }
    if (accessors.size > 1000) accessors.clear();
    accessors.set(path, found);
  }
  return found;
}

/** The value at a path; undefined when absent. */
export function readPath(value: unknown, path: string): unknown {
  return accessor(path)(value);
}

/** The value at a path as a non-empty string, or undefined. */
export function readString(value: unknown, path: string): string | undefined {
  const found = readPath(value, path);
  if (found === undefined || found === null || found === '') return undefined;
  return typeof found === 'object' ? JSON.stringify(found) : String(found);
}
