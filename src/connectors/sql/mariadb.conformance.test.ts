/** The shared sink and source conformance suites on mariadb. Tables: conf_ma_*. */
import { afterAll } from 'vitest';
import { describeSinkConformance } from '../../sdk/testing/sink-conformance.ts';
import { describeSourceConformance } from '../../sdk/testing/source-conformance.ts';
import { sqlSinkHarness, sqlSourceHarness } from './testing/harness.ts';
import { openTestDb, type TestDb } from './testing/test-db.ts';

let opened: Promise<TestDb | null> | undefined;
const db = () => (opened ??= openTestDb('mysql'));
afterAll(async () => (await opened)?.close());

describeSinkConformance('sql/mariadb', async () => {
  const test = await db();
  return test && sqlSinkHarness(test, 'conf_ma_sink');
});
describeSourceConformance('sql/mariadb table', async () => {
  const test = await db();
  return test && sqlSourceHarness(test, 'conf_ma_table', 'table');
});
describeSourceConformance('sql/mariadb query', async () => {
  const test = await db();
  return test && sqlSourceHarness(test, 'conf_ma_query', 'query');
});
