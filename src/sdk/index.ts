/** The public surface for connector authors. */
export type * from './connector.ts';
export type { Logger } from './logger.ts';
export { silentLogger } from './logger.ts';
export { DatongError, toDatongError } from '../errors/datong-error.ts';
export type { ErrorCode } from '../errors/catalogue.ts';
export type { RecordEnvelope } from '../record/envelope.ts';
