/**
 * Keeps the original bytes of every part of a YAML file that an edit did not touch.
 *
 * yaml's `toString()` re-renders a whole document, normalising things the author wrote
 * (spaces before comments, `{a: 1}` → `{ a: 1 }`). Rendering the unchanged document gives
 * `base`, the edited one gives `next`; a three-way line merge then takes each stretch of
 * lines from the original file where `next` did not change it from `base`, and from `next`
 * where it did. No change at all gives back the original text byte for byte.
 */
const MAX_CELLS = 4_000_000;

export function keepFormatting(original: string, base: string, next: string): string {
  if (base === next) return original;
  const crlf = original.includes('\r\n');
  const o = (crlf ? original.replace(/\r\n/g, '\n') : original).split('\n');
  const b = base.split('\n');
  const n = next.split('\n');
  if (b.length * Math.max(o.length, n.length) > MAX_CELLS) return next;
  const toOriginal = matchLines(b, o);
  const toNext = matchLines(b, n);
  const out: string[] = [];
  let lastB = -1;
  let lastO = -1;
  let lastN = -1;
  for (let i = 0; i <= b.length; i++) {
    const end = i === b.length;
    if (!end && (toOriginal[i] < 0 || toNext[i] < 0)) continue;
    // Line i of base is in both the original and next (or is the end): an anchor.
    const oi = end ? o.length : toOriginal[i];
    const ni = end ? n.length : toNext[i];
    const baseChunk = b.slice(lastB + 1, i);
    const nextChunk = n.slice(lastN + 1, ni);
    out.push(...mergeChunk(o.slice(lastO + 1, oi), baseChunk, nextChunk));
    if (!end) out.push(o[oi]);
    lastB = i;
    lastO = oi;
    lastN = ni;
  }
  const merged = out.join('\n');
  return crlf ? merged.replace(/\n/g, '\r\n') : merged;
}

/**
 * One stretch between anchors. Unchanged by the edit: the original lines. Changed, and the
 * original stretch renders line for line as base: original lines where next kept base's line,
 * next's lines elsewhere. Otherwise next's lines.
 */
function mergeChunk(original: string[], base: string[], next: string[]): string[] {
  if (sameLines(base, next)) return original;
  if (original.length !== base.length) return next;
  const kept = matchLines(next, base);
  return next.map((line, index) => (kept[index] >= 0 ? original[kept[index]] : line));
}

/** Longest common subsequence of lines: for each line of `a`, its matching index in `b` or -1. */
export function matchLines(a: readonly string[], b: readonly string[]): Int32Array {
  const width = b.length + 1;
  const lengths = new Int32Array((a.length + 1) * width);
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      lengths[i * width + j] = a[i] === b[j] ? lengths[(i + 1) * width + j + 1] + 1 : Math.max(lengths[(i + 1) * width + j], lengths[i * width + j + 1]);
    }
  }
  const match = new Int32Array(a.length).fill(-1);
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) {
      match[i] = j;
      i++;
      j++;
    } else if (lengths[(i + 1) * width + j] >= lengths[i * width + j + 1]) i++;
    else j++;
  }
  return match;
}

function sameLines(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((line, index) => line === b[index]);
}
