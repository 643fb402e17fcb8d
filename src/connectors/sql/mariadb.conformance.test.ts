/** The shared sink and source conformance suites on mariadb. Tables: conf_ma_*_<run tag>_*. */
import { afterAll } from 'vitest';
import { describeSinkConformance } from '../../sdk/testing/sink-conformance.ts';
import { describeSourceConformance } from '../../sdk/testing/source-conformance.ts';
import { sqlSinkHarness, sqlSourceHarness } from './testing/harness.ts';
import { openTestDb, RUN_TAG, type TestDb } from './testing/test-db.ts';

let opened: Promise<TestDb | null> | undefined;
const db = () => (opened ??= openTestDb('mysql'));
afterAll(async () => (await opened)?.close());

describeSinkConformance('sql/mariadb', async () => {
  const test = await db();
  return test && sqlSinkHarness(test, `conf_ma_sink_${RUN_TAG}`);
});
describeSourceConformance('sql/mariadb table', async () => {
  const test = await db();
  return test && sqlSourceHarness(test, `conf_ma_table_${RUN_TAG}`, 'table');
});
describeSourceConformance('sql/mariadb query', async () => {
  const test = await db();
  return test && sqlSourceHarness(test, `conf_ma_query_${RUN_TAG}`, 'query');
});
