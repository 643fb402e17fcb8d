import { ERROR_CATALOGUE, type ErrorCode, isErrorCode } from './catalogue.ts';

export type Locale = 'en' | 'zh';
export type ErrorParams = Record<string, string | number | boolean | undefined>;

/** Where an error happened, as far as it is known. Every field is optional. */
export interface ErrorLocation {
  flow?: string;
  step?: string;
  system?: string;
  recordId?: string;
  sourceId?: string;
  field?: string;
  path?: string;
  file?: string;
  line?: number;
  column?: number;
}

export interface DatongErrorOptions {
  params?: ErrorParams;
  where?: ErrorLocation;
  cause?: unknown;
  /** Overrides the catalogue's retryable flag when the data says otherwise. */
  retryable?: boolean;
  /** For retryable target errors: the earliest moment a retry makes sense. */
  retryAfterMs?: number;
  details?: Record<string, unknown>;
}

export function formatMessage(code: ErrorCode, params: ErrorParams = {}, locale: Locale = 'en'): string {
  const template = ERROR_CATALOGUE[code][locale];
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = params[name];
    return value === undefined ? whole : String(value);
  });
}

/** The one error class of the hub: a stable code, a retryable flag, a cause and a location. */
export class DatongError extends Error {
  readonly code: ErrorCode;
  readonly params: ErrorParams;
  readonly where: ErrorLocation;
  readonly retryable: boolean;
  readonly retryAfterMs?: number;
  readonly details?: Record<string, unknown>;

  constructor(code: ErrorCode, options: DatongErrorOptions = {}) {
    super(formatMessage(code, options.params), { cause: options.cause });
    this.name = 'DatongError';
    this.code = code;
    this.params = options.params ?? {};
    this.where = options.where ?? {};
    this.retryable = options.retryable ?? ERROR_CATALOGUE[code].retryable;
    this.retryAfterMs = options.retryAfterMs;
    this.details = options.details;
  }

  get status(): number {
    return ERROR_CATALOGUE[this.code].status;
  }

  localized(locale: Locale): string {
    return formatMessage(this.code, this.params, locale);
  }

  /** A copy with more location facts; facts already known win. */
  at(where: ErrorLocation): DatongError {
    return new DatongError(this.code, {
      params: this.params,
      where: { ...where, ...this.where },
      cause: this.cause,
      retryable: this.retryable,
      retryAfterMs: this.retryAfterMs,
      details: this.details,
    });
  }

  toJSON(): SerializedError {
    return {
      code: this.code,
      message: this.message,
      retryable: this.retryable,
      params: this.params,
      where: this.where,
      ...(this.details ? { details: this.details } : {}),
      ...(this.cause instanceof Error ? { cause: this.cause.message } : {}),
    };
  }
}

export interface SerializedError {
  code: string;
  message: string;
  retryable: boolean;
  params?: ErrorParams;
  where?: ErrorLocation;
  details?: Record<string, unknown>;
  cause?: string;
}

/** Turns anything thrown into a DatongError; unknown errors are internal and retryable. */
export function toDatongError(error: unknown, where: ErrorLocation = {}): DatongError {
  if (error instanceof DatongError) return error.at(where);
  const code = (error as { code?: unknown })?.code;
  if (typeof code === 'string' && isErrorCode(code)) {
    return new DatongError(code, { where, cause: error, params: { reason: (error as Error).message } });
  }
  const reason = error instanceof Error ? error.message : String(error);
  return new DatongError('DT_RUNTIME_INTERNAL', { params: { reason }, where, cause: error });
}
