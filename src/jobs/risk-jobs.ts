import type { Logger } from 'pino';
import { z } from 'zod';
import type { DbHandle } from '../db/connection.js';
import { listOrganisations } from '../db/queries/organisations.js';
import { zonedParts } from '../domain/calendar/index.js';
import { trainRiskModelForOrg } from '../services/scoring/train-risk-model.js';
import { defineJob } from './catalogue.js';
import type { JobQueue } from './queue.js';

/** The nightly training: one sweep enqueues one training per organisation and local day. */
export const riskTrainSweep = defineJob({ name: 'risk-train-sweep', payload: z.object({}), retryLimit: 2 });

export const riskTrainOrg = defineJob({
  name: 'risk-train-org',
  payload: z.object({ orgId: z.uuid(), localDate: z.iso.date() }),
  retryLimit: 2,
  // A million paid invoices train in minutes, not seconds.
  expireInSeconds: 60 * 60,
});

/** Enqueue today's training of every organisation (a key per organisation and local date:
 * a second sweep the same day adds nothing). */
export async function enqueueNightlyTraining(
  db: DbHandle['db'],
  queue: Pick<JobQueue, 'send'>,
  at: Date,
): Promise<string[]> {
  const out: string[] = [];
  for (const org of await listOrganisations(db)) {
    const localDate = zonedParts(at, org.time_zone).date;
    await queue.send(
      riskTrainOrg,
      { orgId: org.id, localDate },
      { idempotencyKey: `risk:${org.id}:${localDate}` },
    );
    out.push(org.id);
  }
  return out;
}

export async function registerRiskJobs(
  deps: { handle: DbHandle; queue: JobQueue; log: Logger; now?: () => Date },
  opts: { schedule: boolean },
): Promise<void> {
  const { handle, queue, log } = deps;
  const now = deps.now ?? (() => new Date());
  await queue.work(riskTrainSweep, async () => {
    await enqueueNightlyTraining(handle.db, queue, now());
  });
  await queue.work(riskTrainOrg, async ({ orgId, localDate }, ctx) => {
    const r = await trainRiskModelForOrg(handle.db, orgId, { today: localDate });
    ctx.log.info(
      { orgId, localDate, version: r.version, kind: r.kind, invoices: r.scores.invoices },
      'risk model trained and portfolio scored',
    );
  });
  // 02:30 UTC: after the evening's payments are in, before the morning's dunning run.
  if (opts.schedule) await queue.schedule(riskTrainSweep, '30 2 * * *', {}, 'UTC');
  log.info({ schedule: opts.schedule }, 'risk jobs registered');
}
