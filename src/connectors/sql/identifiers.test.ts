import { describe, expect, it } from 'vitest';
import { DatongError } from '../../sdk/index.ts';
import { checkIdentifier, Params, quoteIdentifier } from './identifiers.ts';

describe('SQL identifiers', () => {
  it('accepts letters, digits and underscores up to 63 characters', () => {
    for (const name of ['orders', 'sale_order_line', '_tmp', 'T2', 'a'.repeat(63)]) expect(checkIdentifier(name)).toBe(name);
  });

  it.each([
    'orders; DROP TABLE x',
    'orders"; DROP TABLE x; --',
    'orders` ; DROP TABLE x',
    'a b',
    '1orders',
    'public.orders',
    '订单',
    '',
    'a'.repeat(64),
    "o'rders",
    'x--',
  ])('rejects %j with DT_SQL_IDENTIFIER', (name) => {
    let caught: unknown;
    try {
      checkIdentifier(name);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(DatongError);
    expect((caught as DatongError).code).toBe('DT_SQL_IDENTIFIER');
    expect((caught as DatongError).retryable).toBe(false);
    expect((caught as DatongError).params.identifier).toBe(name);
  });

  it('rejects values that are not strings', () => {
    expect(() => checkIdentifier(42)).toThrow(DatongError);
    expect(() => checkIdentifier(undefined)).toThrow(DatongError);
  });

  it('quotes per dialect after checking', () => {
    expect(quoteIdentifier('sqlite', 'order_no')).toBe('"order_no"');
    expect(quoteIdentifier('postgres', 'Order')).toBe('"Order"');
    expect(quoteIdentifier('mysql', 'order')).toBe('`order`');
    expect(() => quoteIdentifier('mysql', 'a`b')).toThrow(/Invalid SQL identifier/);
  });

  it('numbers PostgreSQL placeholders and uses ? elsewhere', () => {
    const pg = new Params('postgres');
    expect([pg.add('a'), pg.add(2), pg.add(null)]).toEqual(['$1', '$2', '$3']);
    expect(pg.values).toEqual(['a', 2, null]);
    const my = new Params('mysql');
    expect([my.add('a'), my.add('b')]).toEqual(['?', '?']);
  });
});
