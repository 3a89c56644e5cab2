/**
 * One application error with a stable code. The API maps codes to HTTP statuses and
 * RFC 9457 problem types; the CLI maps them to exit codes; the UI maps them to messages.
 */
export const errorCodes = {
  VALIDATION: 400,
  IMPORT_REJECTED: 422,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  ORG_AMBIGUOUS: 409,
  DATA_DIR_LOCKED: 409,
  RATE_LIMITED: 429,
  LAW_NO_RATE: 422,
  UNPROCESSABLE: 422,
  INTERNAL: 500,
} as const;

export type ErrorCode = keyof typeof errorCodes;

export interface ErrorDetail {
  /** Where the problem is: a field name, or file line/column for imports. */
  field?: string;
  line?: number;
  column?: string;
  value?: string;
  reason: string;
  /** Stable key of the reason (e.g. iban_checksum) for clients that translate it. */
  code?: string;
}

export class AppError extends Error {
  constructor(
    public readonly code: ErrorCode,
    message: string,
    public readonly details: ErrorDetail[] = [],
    public readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'AppError';
  }

  get status(): number {
    return errorCodes[this.code];
  }

  /** Stable problem type URI for RFC 9457 answers. */
  get type(): string {
    return `https://relance.dev/problems/${this.code.toLowerCase().replaceAll('_', '-')}`;
  }
}

export const notFound = (what: string, id: string) => new AppError('NOT_FOUND', `${what} ${id} not found`);
