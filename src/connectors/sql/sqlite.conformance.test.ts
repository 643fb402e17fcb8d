/** The shared sink and source conformance suites on sqlite. */
import { describeSqlConformance } from './testing/conformance.ts';

describeSqlConformance('sqlite', 'sqlite', 'sq');
