/**
 * The shared sink and source conformance suites for one SQL dialect: one file per dialect
 * calls this, so the dialects run in parallel. Tables: conf_<prefix>_*_<run tag>_*.
 */
import { afterAll } from 'vitest';
import { describeSinkConformance } from '../../../sdk/testing/sink-conformance.ts';
import { describeSourceConformance } from '../../../sdk/testing/source-conformance.ts';
import { sqlSinkHarness, sqlSourceHarness } from './harness.ts';
import { openTestDb, RUN_TAG, type TestDb } from './test-db.ts';

export function describeSqlConformance(dialect: Parameters<typeof openTestDb>[0], name: string, prefix: string): void {
  let opened: Promise<TestDb | null> | undefined;
  const db = () => (opened ??= openTestDb(dialect));
  afterAll(async () => (await opened)?.close());

  describeSinkConformance(`sql/${name}`, async () => {
    const test = await db();
    return test && sqlSinkHarness(test, `conf_${prefix}_sink_${RUN_TAG}`);
  });
  for (const mode of ['table', 'query'] as const) {
    describeSourceConformance(`sql/${name} ${mode}`, async () => {
      const test = await db();
      return test && sqlSourceHarness(test, `conf_${prefix}_${mode}_${RUN_TAG}`, mode);
    });
  }
}
