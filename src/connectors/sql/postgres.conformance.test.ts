/** The shared sink and source conformance suites on postgres. Tables: conf_po_*. */
import { afterAll } from 'vitest';
import { describeSinkConformance } from '../../sdk/testing/sink-conformance.ts';
import { describeSourceConformance } from '../../sdk/testing/source-conformance.ts';
import { sqlSinkHarness, sqlSourceHarness } from './testing/harness.ts';
import { openTestDb, type TestDb } from './testing/test-db.ts';

let opened: Promise<TestDb | null> | undefined;
const db = () => (opened ??= openTestDb('postgres'));
afterAll(async () => (await opened)?.close());

describeSinkConformance('sql/postgres', async () => {
  const test = await db();
  return test && sqlSinkHarness(test, 'conf_po_sink');
});
describeSourceConformance('sql/postgres table', async () => {
  const test = await db();
  return test && sqlSourceHarness(test, 'conf_po_table', 'table');
});
describeSourceConformance('sql/postgres query', async () => {
  const test = await db();
  return test && sqlSourceHarness(test, 'conf_po_query', 'query');
});
