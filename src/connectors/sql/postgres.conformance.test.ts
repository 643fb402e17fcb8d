/** The shared sink and source conformance suites on postgres. */
import { describeSqlConformance } from './testing/conformance.ts';

describeSqlConformance('postgres', 'postgres', 'po');
