/**
 * The SQL connector's schemas: a system's config and the options its write, read and lookup
 * steps take. Declared once; validation, types, forms and docs come from here.
 */
import { Type, type Static } from 'typebox';

const Identifier = (description: string) => Type.String({ pattern: '^[A-Za-z_][A-Za-z0-9_]{0,62}$', description });

export const SqlConfigSchema = Type.Object(
  {
    url: Type.String({
      description: 'sqlite:<path> (relative to the workspace folder), postgres://user@host:5432/db, or mysql://… / mariadb://user@host:3306/db',
      examples: ['sqlite:data/erp.db', 'postgres://datong@127.0.0.1:5432/erp', 'mariadb://datong@127.0.0.1:3306/wms'],
    }),
    password: Type.Optional(Type.String({ 'x-secret': true, description: 'Password; replaces any password in the URL' })),
    poolSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 5, description: 'Connections kept open (PostgreSQL, MariaDB)' })),
  },
  { additionalProperties: false },
);
export type SqlConfig = Static<typeof SqlConfigSchema>;

const ChildTable = Type.Object(
  {
    table: Identifier('Child table, e.g. the order lines'),
    from: Type.String({ description: 'Field of the item holding the array of child rows' }),
    parentKey: Type.Record(Type.String(), Identifier('Parent column'), {
      description: 'Child column → parent column it copies, e.g. { order_no: order_no }',
      minProperties: 1,
    }),
    key: Type.Array(Identifier('Key column'), { minItems: 1, description: 'Columns that identify a child row (a unique key of the child table)' }),
  },
  { additionalProperties: false },
);

export const SqlWriteOptionsSchema = Type.Object(
  {
    table: Identifier('Target table'),
    key: Type.Array(Identifier('Key column'), {
      minItems: 1,
      description: 'Columns of the primary or a unique key; rows are upserted on them',
    }),
    version: Type.Optional(
      Identifier('Version column: an older version never overwrites a newer one. Versions compare as text, so use values that sort as text (ISO timestamps in one zone, zero-padded numbers)'),
    ),
    columns: Type.Optional(Type.Array(Identifier('Column'), { description: 'Only these fields are written (key and version columns always are)' })),
    children: Type.Optional(Type.Array(ChildTable, { description: 'Child tables written with the row in one transaction (header + lines)' })),
    idempotency: Type.Optional(
      Type.Boolean({ default: true, description: 'Record applied idempotency keys in the ledger table so a replay never writes twice' }),
    ),
    ledgerTable: Type.Optional(Identifier('Ledger table of applied idempotency keys, created on demand (default datong_applied_writes)')),
  },
  { additionalProperties: false },
);
export type SqlWriteOptions = Static<typeof SqlWriteOptionsSchema>;
export type SqlChildTable = Static<typeof ChildTable>;

export const SqlReadOptionsSchema = Type.Object(
  {
    query: Type.Optional(
      Type.String({
        description:
          'A SELECT returning cursorColumn and idColumn; paging and ordering are added around it. It may use :cursor (the last cursor value, NULL at the start) to narrow the scan: WHERE (updated_at >= :cursor OR :cursor IS NULL) — in PostgreSQL keep the comparison first, or cast (:cursor::timestamptz IS NULL)',
      }),
    ),
    table: Type.Optional(Identifier('Table to read (instead of query)')),
    cursorColumn: Identifier('Column that grows when a row changes (updated_at, a sequence); must not be NULL'),
    idColumn: Identifier('Unique column; breaks ties between rows with equal cursor values and becomes the sourceId'),
    where: Type.Optional(Type.String({ description: 'Extra SQL condition for table mode, e.g. status = \'approved\' (workspace SQL, not record data)' })),
    columns: Type.Optional(Type.Array(Identifier('Column'), { description: 'Columns to read in table mode (default all)' })),
  },
  { additionalProperties: false },
);
export type SqlReadOptions = Static<typeof SqlReadOptionsSchema>;

export const SqlLookupOptionsSchema = Type.Object(
  {
    table: Identifier('Table to look in'),
    keyColumn: Identifier('Column the keys are matched against'),
    columns: Type.Optional(Type.Array(Identifier('Column'), { description: 'Columns to return (default all)' })),
  },
  { additionalProperties: false },
);
export type SqlLookupOptions = Static<typeof SqlLookupOptionsSchema>;
