import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { AppError, type ErrorCode } from '../errors.js';

/**
 * Every error leaves the API as RFC 9457 problem details (application/problem+json) with a
 * stable `type` URI and `code`, so clients branch on the code, never on the message text.
 */
export interface ProblemError {
  field?: string;
  line?: number;
  column?: string;
  value?: string;
  reason: string;
  in?: string;
}

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  code: string;
  errors?: ProblemError[];
  [extension: string]: unknown;
}

const titles: Record<string, string> = {
  VALIDATION: 'Invalid request',
  IMPORT_REJECTED: 'Import rejected',
  UNAUTHENTICATED: 'Authentication required',
  FORBIDDEN: 'Not allowed',
  NOT_FOUND: 'Not found',
  CONFLICT: 'Conflict',
  ORG_AMBIGUOUS: 'Organisation ambiguous',
  DATA_DIR_LOCKED: 'Data directory locked',
  RATE_LIMITED: 'Too many requests',
  LAW_NO_RATE: 'No legal rate for the period',
  UNPROCESSABLE: 'Unprocessable request',
  PAYLOAD_TOO_LARGE: 'Payload too large',
  UNSUPPORTED_MEDIA_TYPE: 'Unsupported media type',
  METHOD_NOT_ALLOWED: 'Method not allowed',
  INTERNAL: 'Internal error',
};

const codeForStatus: Record<number, string> = {
  400: 'VALIDATION',
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  406: 'VALIDATION',
  409: 'CONFLICT',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  422: 'UNPROCESSABLE',
  429: 'RATE_LIMITED',
};

export const problemType = (code: string) =>
  `https://relance.dev/problems/${code.toLowerCase().replaceAll('_', '-')}`;

export function problem(
  code: ErrorCode | string,
  status: number,
  detail: string,
  extra: Partial<Problem> = {},
): Problem {
  return { type: problemType(code), title: titles[code] ?? 'Error', status, detail, code, ...extra };
}

const locationOf: Record<string, string> = {
  querystring: 'query',
  params: 'path',
  body: 'body',
  headers: 'header',
};

function valueAt(source: unknown, path: string[]): string | undefined {
  let v: unknown = source;
  for (const p of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string, unknown>)[p];
  }
  if (v === undefined || v === null) return undefined;
  const s = typeof v === 'string' ? v : JSON.stringify(v);
  return s.length > 200 ? `${s.slice(0, 200)}…` : s;
}

/** Map any thrown error to a problem; unknown errors become a 500 that reveals nothing. */
export function toProblem(err: unknown, request: FastifyRequest): Problem {
  const instance = request.url.split('?')[0] ?? request.url;
  if (err instanceof AppError) {
    return {
      ...err.extra,
      ...problem(err.code, err.status, err.message, { instance }),
      ...(err.details.length > 0 ? { errors: err.details } : {}),
    };
  }
  if (hasZodFastifySchemaValidationErrors(err)) {
    const context = (err as { validationContext?: string }).validationContext ?? 'body';
    const source =
      context === 'querystring'
        ? request.query
        : context === 'params'
          ? request.params
          : context === 'headers'
            ? request.headers
            : request.body;
    const errors = err.validation.map((v) => {
      const path = v.instancePath.split('/').filter((p) => p !== '');
      const keys = (v.params as { keys?: unknown }).keys;
      // Unknown keys are reported on the object itself: name them instead.
      const field = path.length > 0 ? path.join('.') : Array.isArray(keys) ? keys.join(',') : context;
      const value = valueAt(source, path);
      return {
        field,
        in: locationOf[context] ?? context,
        reason: v.message ?? 'invalid',
        ...(value !== undefined ? { value } : {}),
      };
    });
    const names = [...new Set(errors.map((e) => e.field))].join(', ');
    return problem('VALIDATION', 400, `Invalid ${locationOf[context] ?? context} parameter(s): ${names}`, {
      instance,
      errors,
    });
  }
  const fe = err as Partial<FastifyError>;
  if (typeof fe.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 500) {
    const code = codeForStatus[fe.statusCode] ?? 'VALIDATION';
    return problem(code, fe.statusCode, fe.message ?? 'Bad request', { instance });
  }
  return problem('INTERNAL', 500, 'An unexpected error occurred; it has been logged with the request id.', {
    instance,
  });
}

export function sendProblem(reply: FastifyReply, p: Problem): FastifyReply {
  return reply.status(p.status).type('application/problem+json').send(p);
}
