import type { Logger } from 'pino';
import { z } from 'zod';
import type { DbHandle } from '../db/connection.js';
import { runBodaccWatch } from '../services/solvency/bodacc-watch.js';
import { defineJob } from './catalogue.js';
import type { JobQueue } from './queue.js';

/** Nightly BODACC watch (decision 031): only organisations with settings.solvency.bodaccWatch. */
export const solvencyBodaccWatch = defineJob({
  name: 'solvency-bodacc-watch',
  payload: z.object({}),
  retryLimit: 2,
});

export async function registerSolvencyJobs(
  deps: { handle: DbHandle; queue: JobQueue; log: Logger },
  opts: { schedule: boolean },
): Promise<void> {
  await deps.queue.work(solvencyBodaccWatch, async (_payload, ctx) => {
    for (const r of await runBodaccWatch(deps.handle.db, new Date())) {
      if (r.error) ctx.log.error({ orgId: r.orgId, err: r.error }, 'BODACC watch failed');
      else
        ctx.log.info(
          { orgId: r.orgId, inserted: r.result?.inserted, applied: r.result?.applied.length },
          'BODACC watch',
        );
    }
  });
  // 05:30 Paris in winter: the DILA publishes the day's BODACC overnight.
  if (opts.schedule) await deps.queue.schedule(solvencyBodaccWatch, '30 4 * * *', {}, 'UTC');
}
