import { ConfigError } from '../config.js';
import { AppError, type ErrorCode } from '../errors.js';

/**
 * Exit codes of `relance`, one table for every command (documented in the README):
 * scripts can tell "fix your input" from "someone else holds the database".
 */
export const EXIT = {
  ok: 0,
  error: 1,
  dataDirLocked: 2,
  orgAmbiguous: 3,
  notFound: 4,
  conflict: 5,
  invalid: 6,
  rowsRejected: 7,
  /** `relance run`: not everything planned for the date is done (claimed elsewhere, retrying, failed). */
  runIncomplete: 8,
  config: 78,
} as const;

const exitByCode: Partial<Record<ErrorCode, number>> = {
  DATA_DIR_LOCKED: EXIT.dataDirLocked,
  ORG_AMBIGUOUS: EXIT.orgAmbiguous,
  NOT_FOUND: EXIT.notFound,
  CONFLICT: EXIT.conflict,
  VALIDATION: EXIT.invalid,
  UNPROCESSABLE: EXIT.invalid,
  IMPORT_REJECTED: EXIT.rowsRejected,
};

export function exitCodeFor(err: unknown): number {
  if (err instanceof ConfigError) return EXIT.config;
  if (err instanceof AppError) return exitByCode[err.code] ?? EXIT.error;
  return EXIT.error;
}

/** The message a user sees for an error: what went wrong and where, no stack unless asked. */
export function describeError(err: unknown, verbose: boolean): string {
  if (err instanceof ConfigError) return `${err.message}\nSee docs/configuration.md.`;
  if (err instanceof AppError) {
    const details = err.details.map((d) => {
      const where = [
        d.line !== undefined ? `line ${d.line}` : undefined,
        d.column ?? d.field,
        d.value !== undefined ? `"${d.value}"` : undefined,
      ]
        .filter(Boolean)
        .join(', ');
      return `  - ${where ? `${where}: ` : ''}${d.reason}`;
    });
    const text = [err.message, ...details].join('\n');
    return verbose && err.stack ? `${text}\n${err.stack}` : text;
  }
  if (err instanceof Error) {
    if (verbose) return err.stack ?? err.message;
    return `Unexpected error: ${err.message} (run again with --verbose for details)`;
  }
  return `Unexpected error: ${String(err)}`;
}

/** Print the error on stderr and set the exit code. */
export function reportError(err: unknown, verbose: boolean): number {
  const code = exitCodeFor(err);
  process.stderr.write(`relance: ${describeError(err, verbose)}\n`);
  process.exitCode = code;
  return code;
}
