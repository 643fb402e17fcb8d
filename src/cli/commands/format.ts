/** Plain-text rendering for the CLI: aligned tables and local times. */
import { DateTime } from 'luxon';

/** Columns padded to their widest cell (East Asian wide characters count double). */
export function table(header: string[], rows: (string | number | null | undefined)[][]): string {
  const cells = [header, ...rows.map((row) => row.map((cell) => (cell === null || cell === undefined ? '—' : String(cell))))];
  const widths = header.map((_, column) => Math.max(...cells.map((row) => displayWidth(row[column] ?? ''))));
  return cells
    .map((row) => row.map((cell, column) => (column === row.length - 1 ? cell : cell + ' '.repeat(widths[column] - displayWidth(cell)))).join('  '))
    .join('\n');
}

export function displayWidth(text: string): number {
  let width = 0;
  for (const char of text) width += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6\u{20000}-\u{3fffd}]/u.test(char) ? 2 : 1;
  return width;
}

/** An ISO string or epoch ms as local `yyyy-MM-dd HH:mm:ss`. */
export function localTime(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '—';
  const time = typeof value === 'number' ? DateTime.fromMillis(value) : DateTime.fromISO(value);
  return time.isValid ? time.toFormat('yyyy-MM-dd HH:mm:ss') : String(value);
}

/** A JSON value on one line, shortened. */
export function brief(value: unknown, max = 100): string {
  const text = value === undefined ? '—' : JSON.stringify(value);
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
