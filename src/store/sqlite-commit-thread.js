// The SQLite commit thread (plain JavaScript: worker threads do not inherit the TypeScript
// loader). It owns a second connection to the store file and runs scripts — lists of statements
// with their parameters — each in one IMMEDIATE transaction. With synchronous=FULL the commit
// waits for the WAL fsync; on this thread that wait no longer blocks the hub's event loop, which
// keeps reading webhooks and running steps meanwhile (so the next group commit is larger).
//
// The main connection never writes while a script is out here (SqliteDb's lock covers both), so
// the two connections never contend for SQLite's write lock. This thread also checkpoints the
// WAL now and then, so the main thread never pays for a checkpoint.
//
// In:  { id, sqls: [sql, …], scripts: [[{ s: index into sqls, p: params, o?: onlyIf }, …], …] }
// Out: { id, outcomes: [{ results: [{ changes, rows? }] } | { error: { message, code } }] }
// All scripts of a message run in one transaction (one fsync: group commit). If that fails,
// each runs again in its own transaction, so one script's failure is reported to it alone.
// A step with `onlyIf: i` runs only when step i of its script changed at least one row (a
// guarded update decides whether the statements that depend on it run).
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';

const { path, synchronous, busyTimeoutMs, checkpointMs } = workerData;
const db = new Database(path);
db.pragma('journal_mode = WAL');
db.pragma(`synchronous = ${synchronous}`);
db.pragma(`busy_timeout = ${busyTimeoutMs}`);
db.pragma('foreign_keys = ON');
db.pragma('wal_autocheckpoint = 0');

const statements = new Map();
function prepare(sql) {
  let statement = statements.get(sql);
  if (!statement) {
    statement = db.prepare(sql);
    if (statements.size > 200) statements.clear();
    statements.set(sql, statement);
  }
  return statement;
}

function runSteps(sqls, steps) {
  const results = new Array(steps.length);
  for (let i = 0; i < steps.length; i++) {
    const step = steps[i];
    if (step.o !== undefined && !(results[step.o].changes > 0)) {
      results[i] = { changes: 0 };
      continue;
    }
    const statement = prepare(sqls[step.s]);
    if (statement.reader) {
      const rows = statement.all(...step.p);
      results[i] = { changes: rows.length, rows };
    } else {
      results[i] = { changes: statement.run(...step.p).changes };
    }
  }
  return results;
}

const runAll = db.transaction((sqls, scripts) => scripts.map((steps) => ({ results: runSteps(sqls, steps) })));
const runOne = db.transaction((sqls, steps) => runSteps(sqls, steps));
const describe = (error) => ({ message: String(error?.message ?? error), code: error?.code });

parentPort.on('message', (message) => {
  let outcomes;
  try {
    outcomes = runAll.immediate(message.sqls, message.scripts);
  } catch (error) {
    if (message.scripts.length === 1) outcomes = [{ error: describe(error) }];
    else {
      outcomes = message.scripts.map((steps) => {
        try {
          return { results: runOne.immediate(message.sqls, steps) };
        } catch (failure) {
          return { error: describe(failure) };
        }
      });
    }
  }
  parentPort.postMessage({ id: message.id, outcomes });
});

// A passive checkpoint copies committed WAL frames into the database file without blocking
// writers; the main connection's automatic checkpoint is off while this thread runs.
setInterval(() => {
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch {
    // Busy or locked: the next tick tries again.
  }
}, checkpointMs).unref();
