/** The parsed files of a workspace as the cross-file checks see them. */
import type { ConnectorSpec } from '../sdk/connector.ts';
import type { ErrorCode } from '../errors/catalogue.ts';
import type { Finding } from './finding.ts';
import type { ResourceKind } from './schema.ts';
import { formatPath, locate, type PathSegment, type YamlSource } from './yaml-source.ts';

export interface ParsedFile {
  file: string;
  source: YamlSource;
  /** The file's data as plain JS; not yet known to match its schema. */
  value: unknown;
}

export interface ParsedResource extends ParsedFile {
  kind: ResourceKind;
  id: string;
}

export interface CheckContext {
  workspace?: ParsedFile;
  /** Resources by id, one map per kind; files with unusable names or duplicate ids are not here. */
  resources: Record<ResourceKind, Map<string, ParsedResource>>;
  connectors: ReadonlyMap<string, ConnectorSpec<any>>;
}

/** An error finding at the node `path` of a parsed file. */
export function findingAt(parsed: ParsedFile, path: readonly PathSegment[], code: ErrorCode, message: string): Finding {
  const position = locate(parsed.source, path);
  return { file: parsed.file, line: position.line, column: position.column, path: formatPath(path), code, message, severity: 'error' };
}
