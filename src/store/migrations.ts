/**
 * Versioned store migrations. Each runs once, in order, in its own transaction; the applied
 * versions are kept in `schema_migrations`. Never edit a released migration: add a new one.
 * Types are chosen so one text serves SQLite and PostgreSQL: BIGINT epoch-ms times, TEXT JSON.
 */
export interface Migration {
  version: number;
  name: string;
  /** Statements separated by `;` at line ends. `{{autoinc}}` is the dialect's auto-increment primary key. */
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'core',
    sql: `
CREATE TABLE snapshots (
  id BIGINT PRIMARY KEY,
  created_at BIGINT NOT NULL,
  actor TEXT NOT NULL,
  source TEXT NOT NULL,
  digest TEXT NOT NULL,
  workspace TEXT NOT NULL
);

CREATE TABLE records (
  seq {{autoinc}},
  id TEXT NOT NULL UNIQUE,
  flow TEXT NOT NULL,
  snapshot BIGINT NOT NULL,
  source_system TEXT NOT NULL,
  source_id TEXT NOT NULL,
  ordering_key TEXT NOT NULL,
  version TEXT,
  delivery_id TEXT,
  accepted_at BIGINT NOT NULL,
  trace_id TEXT NOT NULL,
  correlation_id TEXT,
  causation_id TEXT,
  org TEXT,
  payload TEXT NOT NULL,
  state TEXT NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  lease_owner TEXT,
  lease_until BIGINT,
  done_targets TEXT,
  last_error TEXT,
  holds_key INTEGER NOT NULL DEFAULT 0,
  start_step INTEGER NOT NULL DEFAULT 0,
  finished_at BIGINT
);
CREATE UNIQUE INDEX records_delivery ON records (flow, delivery_id);
CREATE INDEX records_ready ON records (state, seq);
CREATE INDEX records_key ON records (flow, ordering_key, state, seq);
CREATE INDEX records_lease ON records (lease_until);
CREATE INDEX records_finished ON records (finished_at);
CREATE INDEX records_source ON records (flow, source_id);

CREATE TABLE dead_letters (
  id TEXT PRIMARY KEY,
  record_id TEXT NOT NULL,
  flow TEXT NOT NULL,
  reason TEXT NOT NULL,
  step TEXT,
  error_code TEXT NOT NULL,
  error TEXT NOT NULL,
  attempts INTEGER NOT NULL,
  payload TEXT NOT NULL,
  original_payload TEXT NOT NULL,
  state TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  resolved_at BIGINT,
  resolved_by TEXT
);
CREATE INDEX dead_letters_state ON dead_letters (state, created_at);
CREATE INDEX dead_letters_flow ON dead_letters (flow, state);

CREATE TABLE timers (
  id TEXT PRIMARY KEY,
  kind TEXT NOT NULL,
  due_at BIGINT NOT NULL,
  ref TEXT NOT NULL,
  data TEXT,
  lease_owner TEXT,
  lease_until BIGINT
);
CREATE INDEX timers_due ON timers (due_at);

CREATE TABLE runs (
  seq {{autoinc}},
  record_id TEXT NOT NULL,
  flow TEXT NOT NULL,
  attempt INTEGER NOT NULL,
  worker TEXT NOT NULL,
  started_at BIGINT NOT NULL,
  finished_at BIGINT NOT NULL,
  outcome TEXT NOT NULL,
  error_code TEXT,
  hops TEXT NOT NULL
);
CREATE INDEX runs_record ON runs (record_id);
CREATE INDEX runs_flow ON runs (flow, seq);
CREATE INDEX runs_finished ON runs (finished_at);

CREATE TABLE xref (
  entity TEXT NOT NULL,
  canonical_id TEXT NOT NULL,
  system TEXT NOT NULL,
  system_id TEXT NOT NULL,
  version TEXT,
  updated_at BIGINT NOT NULL,
  PRIMARY KEY (entity, system, system_id)
);
CREATE INDEX xref_canonical ON xref (entity, canonical_id);

CREATE TABLE cursors (
  name TEXT PRIMARY KEY,
  value TEXT,
  updated_at BIGINT NOT NULL
);

CREATE TABLE aggregates (
  flow TEXT NOT NULL,
  step TEXT NOT NULL,
  group_key TEXT NOT NULL,
  items TEXT NOT NULL,
  count INTEGER NOT NULL,
  first_at BIGINT NOT NULL,
  PRIMARY KEY (flow, step, group_key)
);

CREATE TABLE api_tokens (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  token_hash TEXT NOT NULL UNIQUE,
  role TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  created_by TEXT NOT NULL,
  last_used_at BIGINT,
  revoked_at BIGINT
);

CREATE TABLE audit_log (
  seq BIGINT PRIMARY KEY,
  at BIGINT NOT NULL,
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  target TEXT NOT NULL,
  details TEXT NOT NULL,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL
);

CREATE TABLE secrets (
  name TEXT PRIMARY KEY,
  ciphertext TEXT NOT NULL,
  updated_at BIGINT NOT NULL
);

CREATE TABLE hub_settings (
  name TEXT PRIMARY KEY,
  value TEXT NOT NULL
)`,
  },
];

export function migrationStatements(migration: Migration, dialect: 'sqlite' | 'postgres'): string[] {
  const autoinc = dialect === 'sqlite' ? 'INTEGER PRIMARY KEY AUTOINCREMENT' : 'BIGSERIAL PRIMARY KEY';
  return migration.sql
    .replaceAll('{{autoinc}}', autoinc)
    .split(/;\s*\n/)
    .map((statement) => statement.trim())
    .filter(Boolean);
}
