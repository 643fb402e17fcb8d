/**
 * Applies a new plain value to a parsed YAML Document as a minimal structural change: scalars
 * that differ get the new value in place (keeping their comments and quoting), keys are added
 * at the end or removed, lists are updated element by element. Whatever did not change keeps
 * its node, so its comments, order and style survive `doc.toString()`.
 */
import { isAlias, isMap, isNode, isScalar, isSeq, type Document, type Node } from 'yaml';
import { canonicalJson } from '../encoding/canonical-json.ts';
import { matchLines } from './keep-formatting.ts';
import { keyString } from './yaml-source.ts';

export function applyToDocument(doc: Document, value: unknown): void {
  doc.contents = update(doc, doc.contents, value) as Document['contents'];
}

function update(doc: Document, node: unknown, value: unknown): unknown {
  if (isAlias(node)) return sameData(doc, node.resolve(doc), value) ? node : replace(doc, node, value);
  if (isPlainObject(value) && isMap(node)) {
    const wanted = Object.entries(value).filter(([, item]) => item !== undefined);
    const keys = new Set(wanted.map(([key]) => key));
    node.items = node.items.filter((pair, index) => {
      if (keys.has(keyString(pair.key))) return true;
      // A comment above a removed key usually introduces what follows (or the file): keep it.
      const comment = isNode(pair.key) ? pair.key.commentBefore : undefined;
      const following = node.items[index + 1]?.key;
      if (comment && isNode(following)) following.commentBefore = following.commentBefore ? `${comment}\n${following.commentBefore}` : comment;
      else if (comment && index === 0) doc.commentBefore = doc.commentBefore ? `${doc.commentBefore}\n${comment}` : comment;
      return false;
    });
    for (const [key, item] of wanted) {
      const pair = node.items.find((candidate) => keyString(candidate.key) === key);
      if (pair) pair.value = update(doc, pair.value, item);
      else node.items.push(doc.createPair(key, item));
    }
    return node;
  }
  if (Array.isArray(value) && isSeq(node)) {
    node.items = updateItems(doc, node.items, value);
    return node;
  }
  if (isScalar(node) && isScalarValue(value)) {
    if (node.value === value) return node;
    if (typeof node.value !== typeof value) {
      // A style or number format chosen for the old type may not fit the new one.
      node.type = undefined;
      node.format = undefined;
      delete (node as { minFractionDigits?: number }).minFractionDigits;
    }
    node.value = value;
    return node;
  }
  return replace(doc, node, value);
}

/**
 * List items: items whose data is unchanged keep their nodes even when they moved (an insert
 * at the top does not shift comments onto the wrong item); between those, old items are
 * updated element by element, extra ones dropped, missing ones created.
 */
function updateItems(doc: Document, items: unknown[], values: unknown[]): unknown[] {
  const oldData = items.map((item, index) => fingerprint(isNode(item) ? item.toJS(doc) : item, `old ${index}`));
  const newData = values.map((value, index) => fingerprint(value, `new ${index}`));
  const matched = matchLines(newData, oldData);
  const result: unknown[] = [];
  let nextOld = 0;
  values.forEach((value, index) => {
    const same = matched[index];
    if (same >= 0) {
      result.push(items[same]);
      nextOld = same + 1;
      return;
    }
    // The next old item not claimed by a later unchanged one is this value's counterpart.
    const laterClaim = matched.slice(index + 1).find((old) => old >= 0) ?? items.length;
    if (nextOld < laterClaim) result.push(update(doc, items[nextOld++], value));
    else result.push(doc.createNode(value));
  });
  return result;
}

/** Canonical JSON of an item; data JSON cannot hold (e.g. `.inf`) never counts as unchanged. */
function fingerprint(value: unknown, unique: string): string {
  try {
    return canonicalJson(value);
  } catch {
    return `\u0000${unique}`;
  }
}

/** A new node for a value whose shape changed; comments around the old node move over. */
function replace(doc: Document, old: unknown, value: unknown): Node {
  const created = doc.createNode(value) as Node;
  if (isNode(old)) {
    created.commentBefore = old.commentBefore;
    created.comment = old.comment;
    created.spaceBefore = old.spaceBefore;
  }
  return created;
}

function sameData(doc: Document, node: unknown, value: unknown): boolean {
  const data = isNode(node) ? node.toJS(doc) : node;
  try {
    return canonicalJson(data) === canonicalJson(value);
  } catch {
    return false;
  }
}

function isScalarValue(value: unknown): boolean {
  return value === null || ['string', 'number', 'boolean'].includes(typeof value);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
