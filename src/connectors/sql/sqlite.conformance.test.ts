/** The shared sink and source conformance suites on sqlite. Tables: conf_sq_*_<run tag>_*. */
import { afterAll } from 'vitest';
import { describeSinkConformance } from '../../sdk/testing/sink-conformance.ts';
import { describeSourceConformance } from '../../sdk/testing/source-conformance.ts';
import { sqlSinkHarness, sqlSourceHarness } from './testing/harness.ts';
import { openTestDb, RUN_TAG, type TestDb } from './testing/test-db.ts';

let opened: Promise<TestDb | null> | undefined;
const db = () => (opened ??= openTestDb('sqlite'));
afterAll(async () => (await opened)?.close());

describeSinkConformance('sql/sqlite', async () => {
  const test = await db();
  return test && sqlSinkHarness(test, `conf_sq_sink_${RUN_TAG}`);
});
describeSourceConformance('sql/sqlite table', async () => {
  const test = await db();
  return test && sqlSourceHarness(test, `conf_sq_table_${RUN_TAG}`, 'table');
});
describeSourceConformance('sql/sqlite query', async () => {
  const test = await db();
  return test && sqlSourceHarness(test, `conf_sq_query_${RUN_TAG}`, 'query');
});
