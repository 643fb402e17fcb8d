import { describe, it, expect } from 'vitest';
import { formatPath, locate, parseYamlSource } from './yaml-source.ts';

const TEXT = `base: &base
  table: orders
steps:
  - type: write
    options:
      table: 订单
      key:
  - { type: map, mapping: m }
ref: *base
`;

describe('locate', () => {
  const { source, findings } = parseYamlSource('flows/a.yaml', TEXT);

  it('finds values and keys in nested block and flow collections', () => {
    expect(findings).toEqual([]);
    expect(locate(source, ['steps', 0, 'options', 'table'])).toEqual({ line: 6, column: 14 });
    expect(locate(source, ['steps', 0, 'options', 'table'], 'key')).toEqual({ line: 6, column: 7 });
    expect(locate(source, ['steps', 1, 'mapping'])).toEqual({ line: 8, column: 27 });
  });

  it('points at the key of a property with no value', () => {
    expect(locate(source, ['steps', 0, 'options', 'key'])).toEqual({ line: 7, column: 7 });
  });

  it('falls back to the deepest node that exists', () => {
    expect(locate(source, ['steps', 0, 'options', 'mode'])).toEqual({ line: 6, column: 7 });
    expect(locate(source, ['steps', 5, 'type'])).toEqual({ line: 4, column: 3 });
  });

  it('follows aliases', () => {
    expect(locate(source, ['ref', 'table'])).toEqual({ line: 2, column: 10 });
  });
});

describe('parseYamlSource', () => {
  it('reports duplicate keys with their position', () => {
    const { findings } = parseYamlSource('systems/a.yaml', 'type: http\nconfig: {}\ntype: sql\n');
    expect(findings.map((finding) => [finding.line, finding.column, finding.code, finding.message])).toEqual([[3, 1, 'DT_CONFIG_YAML_SYNTAX', 'Map keys must be unique']]);
  });
});

describe('formatPath', () => {
  it('writes indexes in brackets and quotes keys that are not plain names', () => {
    expect(formatPath(['steps', 2, 'options', 'table'])).toBe('steps[2].options.table');
    expect(formatPath(['fields', '客户名称'])).toBe('fields.客户名称');
    expect(formatPath(['fields', 'buyer.name'])).toBe('fields["buyer.name"]');
    expect(formatPath([])).toBe('');
  });
});
