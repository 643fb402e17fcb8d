/** The shared sink and source conformance suites on mariadb. */
import { describeSqlConformance } from './testing/conformance.ts';

describeSqlConformance('mysql', 'mariadb', 'ma');
