/** The shared sink and source conformance suites on postgres. Tables: conf_po_*_<run tag>_*. */
import { afterAll } from 'vitest';
import { describeSinkConformance } from '../../sdk/testing/sink-conformance.ts';
import { describeSourceConformance } from '../../sdk/testing/source-conformance.ts';
import { sqlSinkHarness, sqlSourceHarness } from './testing/harness.ts';
import { openTestDb, RUN_TAG, type TestDb } from './testing/test-db.ts';

let opened: Promise<TestDb | null> | undefined;
const db = () => (opened ??= openTestDb('postgres'));
afterAll(async () => (await opened)?.close());

describeSinkConformance('sql/postgres', async () => {
  const test = await db();
  return test && sqlSinkHarness(test, `conf_po_sink_${RUN_TAG}`);
});
describeSourceConformance('sql/postgres table', async () => {
  const test = await db();
  return test && sqlSourceHarness(test, `conf_po_table_${RUN_TAG}`, 'table');
});
describeSourceConformance('sql/postgres query', async () => {
  const test = await db();
  return test && sqlSourceHarness(test, `conf_po_query_${RUN_TAG}`, 'query');
});
