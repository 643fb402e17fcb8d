import { DatongError } from '../errors/datong-error.ts';

/** Every list answers `{ items, nextCursor }`; cursors are opaque to clients. */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export function encodeCursor(value: string | number): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

export function decodeCursor(cursor: string): string | number {
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (typeof value === 'string' || typeof value === 'number') return value;
  } catch {
    // fall through
  }
  throw new DatongError('DT_API_BAD_CURSOR');
}
