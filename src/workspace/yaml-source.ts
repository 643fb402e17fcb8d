/**
 * One parsed YAML file with its positions. Every check reports through `locate`, so a finding
 * points at the node it is about even deep inside nested mappings and sequences.
 */
import { LineCounter, parseDocument, isAlias, isMap, isPair, isScalar, isSeq, type Document, type Node } from 'yaml';
import type { Finding } from './finding.ts';

export type PathSegment = string | number;

export interface YamlSource {
  file: string;
  text: string;
  doc: Document;
  lineCounter: LineCounter;
}

export interface Position {
  line: number;
  column: number;
}

export function parseYamlSource(file: string, text: string): { source: YamlSource; findings: Finding[] } {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: true, uniqueKeys: true });
  const findings: Finding[] = [];
  for (const [problems, severity] of [
    [doc.errors, 'error'],
    [doc.warnings, 'warning'],
  ] as const) {
    for (const problem of problems) {
      const at = problem.linePos?.[0] ?? lineCounter.linePos(problem.pos[0]);
      findings.push({
        file,
        line: at.line,
        column: at.col,
        path: '',
        code: 'DT_CONFIG_YAML_SYNTAX',
        message: firstLine(problem.message),
        severity,
      });
    }
  }
  return { source: { file, text, doc, lineCounter }, findings };
}

/** yaml's messages end with " at line L, column C:" and a code excerpt; the finding has both already. */
function firstLine(message: string): string {
  return message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
}

/**
 * Position of the node at `path`: its value, or with `target: 'key'` the key naming it.
 * When the path goes past what the file holds (a missing property), the deepest node that
 * exists is used, which for a missing required property is the parent mapping.
 */
export function locate(source: YamlSource, path: readonly PathSegment[], target: 'value' | 'key' = 'value'): Position {
  let node: unknown = source.doc.contents;
  let keyNode: unknown;
  let fallback: Position = { line: 1, column: 1 };
  for (let i = 0; i < path.length; i++) {
    node = resolveAlias(source, node);
    const here = positionOfNode(source, node);
    if (here) fallback = here;
    const segment = path[i];
    keyNode = undefined;
    if (isMap(node)) {
      const pair = node.items.find((item) => isPair(item) && keyString(item.key) === String(segment));
      if (!pair) return fallback;
      keyNode = pair.key;
      node = pair.value;
    } else if (isSeq(node) && typeof segment === 'number' && segment < node.items.length) {
      node = node.items[segment];
    } else {
      return fallback;
    }
  }
  const keyPosition = positionOfNode(source, keyNode);
  if (target === 'key' && keyPosition) return keyPosition;
  // `key:` with nothing after it holds an empty null scalar; point at the key instead.
  if (keyPosition && (node === null || (isScalar(node) && node.value === null && node.range?.[0] === node.range?.[1]))) return keyPosition;
  return positionOfNode(source, node) ?? keyPosition ?? fallback;
}

function resolveAlias(source: YamlSource, node: unknown): unknown {
  return isAlias(node) ? node.resolve(source.doc) : node;
}

function positionOfNode(source: YamlSource, node: unknown): Position | undefined {
  const range = (node as Node | null | undefined)?.range;
  if (!range) return undefined;
  const { line, col } = source.lineCounter.linePos(range[0]);
  return { line, column: col };
}

export function keyString(key: unknown): string {
  return isScalar(key) ? String(key.value) : String(key);
}

/** `['steps', 2, 'options', 'table']` → `steps[2].options.table`; odd keys are quoted: `fields["a.b"]`. */
export function formatPath(path: readonly PathSegment[]): string {
  let text = '';
  for (const segment of path) {
    if (typeof segment === 'number') text += `[${segment}]`;
    else if (/^[^.[\]"\s]+$/.test(segment)) text += text ? `.${segment}` : segment;
    else text += `[${JSON.stringify(segment)}]`;
  }
  return text;
}
