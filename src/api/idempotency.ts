import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { withOrg } from '../db/connection.js';
import { findIdempotentAnswer, storeIdempotentAnswer } from '../db/queries/idempotency-keys.js';
import { AppError } from '../errors.js';
import type { ApiDeps } from './context.js';

export const IDEMPOTENCY_HEADER = 'idempotency-key';

const KEY = /^[\x21-\x7e]{1,255}$/;

/**
 * Run a write at most once per Idempotency-Key (IETF draft "The Idempotency-Key HTTP Header
 * Field"): an ERP that retries after a timeout gets the first answer back, marked
 * `Idempotent-Replayed: true`. The same key with another request (method, path or body) is
 * refused, since replaying the first answer would hide the second write. Only successful
 * answers are kept: a refused request changed nothing, and a retry may be corrected.
 * Without the header the write runs as usual (the upserts are idempotent by number anyway).
 */
export async function idempotent<T>(
  deps: ApiDeps,
  request: FastifyRequest,
  reply: FastifyReply,
  orgId: string,
  run: () => Promise<{ status: number; body: T }>,
): Promise<FastifyReply> {
  const raw = request.headers[IDEMPOTENCY_HEADER];
  if (raw === undefined) {
    const r = await run();
    return reply.status(r.status).send(r.body);
  }
  const key = Array.isArray(raw) ? raw[0] : raw;
  if (key === undefined || !KEY.test(key)) {
    throw new AppError('VALIDATION', 'Invalid Idempotency-Key header', [
      { field: 'Idempotency-Key', reason: '1 to 255 printable ASCII characters' },
    ]);
  }
  const requestHash = createHash('sha256')
    .update(`${request.method} ${request.url}\n${JSON.stringify(request.body ?? null)}`)
    .digest('hex');
  const db = deps.handle.db;
  const stored = await withOrg(db, orgId, (trx) => findIdempotentAnswer(trx, orgId, key));
  if (stored) {
    if (stored.requestHash !== requestHash) {
      throw new AppError('UNPROCESSABLE', 'This Idempotency-Key was used for another request', [
        {
          field: 'Idempotency-Key',
          value: key,
          reason: 'already used with a different method, path or body',
        },
      ]);
    }
    return reply.status(stored.statusCode).header('idempotent-replayed', 'true').send(stored.body);
  }
  const r = await run();
  await withOrg(db, orgId, (trx) =>
    storeIdempotentAnswer(trx, orgId, key, { requestHash, statusCode: r.status, body: r.body }),
  );
  return reply.status(r.status).send(r.body);
}
