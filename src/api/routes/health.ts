import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { sql } from 'kysely';
import { z } from 'zod';
import type { ApiDeps } from '../context.js';

const healthSchema = z.object({
  status: z.enum(['ok', 'unavailable']),
  database: z.object({ engine: z.enum(['pglite', 'postgres']), reachable: z.boolean() }),
});

const DB_TIMEOUT_MS = 2000;

export const healthRoutes: FastifyPluginAsyncZod<ApiDeps> = async (app, deps) => {
  app.get(
    '/health',
    {
      schema: {
        tags: ['system'],
        summary: 'Liveness and database reachability',
        security: [],
        response: { 200: healthSchema, 503: healthSchema },
      },
    },
    async (request, reply) => {
      const engine = deps.handle.engine;
      let timer: NodeJS.Timeout | undefined;
      try {
        // A hung database must not hang the probe: a load balancer needs an answer.
        await Promise.race([
          sql`select 1`.execute(deps.handle.db),
          new Promise((_, reject) => {
            timer = setTimeout(() => reject(new Error('database timeout')), DB_TIMEOUT_MS);
          }),
        ]);
        return { status: 'ok' as const, database: { engine, reachable: true } };
      } catch (err) {
        request.log.warn({ err }, 'health check: database unreachable');
        return reply.status(503).send({ status: 'unavailable', database: { engine, reachable: false } });
      } finally {
        clearTimeout(timer);
      }
    },
  );
};
