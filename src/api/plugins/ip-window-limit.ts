import type { FastifyRequest } from 'fastify';
import { AppError } from '../../errors.js';

/**
 * A fixed-window counter per client address, for limits that span several keys of a finer
 * limiter (the portal's per-link limit): someone cycling through stolen or guessed links
 * from one address hits this one. In memory, per process, like @fastify/rate-limit's default.
 */
export function ipWindowLimit(max: number, windowMs: number, now: () => number = Date.now) {
  const counts = new Map<string, { start: number; n: number }>();
  return async (request: FastifyRequest): Promise<void> => {
    const t = now();
    const key = request.ip;
    let c = counts.get(key);
    if (!c || t - c.start >= windowMs) {
      // Drop expired windows now and then so the map stays as small as the active clients.
      if (counts.size > 10_000) for (const [k, v] of counts) if (t - v.start >= windowMs) counts.delete(k);
      c = { start: t, n: 0 };
      counts.set(key, c);
    }
    c.n++;
    if (c.n > max) {
      const retry = Math.ceil((c.start + windowMs - t) / 1000);
      throw new AppError('RATE_LIMITED', `Too many requests from this address; retry in ${retry} s`, [], {
        retryAfterSeconds: retry,
      });
    }
  };
}
