import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { z } from 'zod';
import type { DbHandle } from '../db/connection.js';
import { withOrg } from '../db/connection.js';
import { countUndelivered } from '../db/queries/dunning-outbox.js';
import { foldKpiDeltas } from '../db/queries/kpi-fold.js';
import { listOrganisations } from '../db/queries/organisations.js';
import { zonedParts } from '../domain/calendar/index.js';
import { type DeliveryDeps, deliverDueActions } from '../services/dunning/deliver-actions.js';
import { dunningSettingsOf } from '../services/dunning/dunning-settings.js';
import { planDunningRun } from '../services/dunning/plan-dunning-run.js';
import { createLimitationTasks } from '../services/law/create-limitation-tasks.js';
import { checkPaymentPlans } from '../services/payment-plans/track-payment-plans.js';
import { checkBrokenPromises } from '../services/portal/promise-to-pay.js';
import { defineJob } from './catalogue.js';
import type { JobQueue } from './queue.js';

/** Every 10 minutes: which organisations are due for today's run, and which have due outbox rows. */
export const dunningSweep = defineJob({ name: 'dunning-sweep', payload: z.object({}), retryLimit: 2 });
/** Plan one organisation's run for its local business date (idempotent per org and date). */
export const dunningPlanOrg = defineJob({
  name: 'dunning-plan-org',
  payload: z.object({ orgId: z.uuid(), localDate: z.string() }),
});
/** Drain an organisation's due outbox rows; any number of these may run at once. */
export const dunningDeliver = defineJob({
  name: 'dunning-deliver',
  payload: z.object({ orgId: z.uuid() }),
  retryDelaySeconds: 60,
});

export interface DunningWorkerDeps {
  handle: DbHandle;
  queue: JobQueue;
  channels: DeliveryDeps['channels'];
  log: Logger;
  secret?: string;
  portalBaseUrl?: string;
  /** A payment provider is configured: reminders offer to pay online. */
  onlinePayment?: boolean;
  now?: () => Date;
}

/**
 * One sweep: enqueue today's plan of every organisation whose send time has passed, and a
 * delivery for every organisation with undelivered outbox rows — due planned or postponed
 * rows, and claims whose worker died (countUndelivered counts them: their lease expires and
 * the delivery re-claims them). Counting only planned rows left a dead worker's claim
 * stranded until some other row happened to trigger a delivery.
 */
export async function sweepOrganisations(
  db: DbHandle['db'],
  queue: Pick<JobQueue, 'send'>,
  at: Date,
): Promise<{ planned: string[]; delivered: string[] }> {
  const out = { planned: [] as string[], delivered: [] as string[] };
  for (const org of await listOrganisations(db)) {
    const settings = dunningSettingsOf(org.settings, org.time_zone);
    const local = zonedParts(at, org.time_zone);
    if (local.hour * 60 + local.minute >= settings.runAtMinute) {
      await queue.send(
        dunningPlanOrg,
        { orgId: org.id, localDate: local.date },
        { idempotencyKey: `${org.id}:${local.date}` },
      );
      out.planned.push(org.id);
    }
    const due = await withOrg(db, org.id, (trx) => countUndelivered(trx, org.id, at));
    if (due > 0) {
      await queue.send(dunningDeliver, { orgId: org.id });
      out.delivered.push(org.id);
    }
  }
  return out;
}

/**
 * The scheduler is data-driven rather than one cron per organisation: a sweep looks at each
 * organisation's local time, and once its send time has passed today it enqueues that day's
 * plan with a key per (organisation, date). A scheduler that was down for days simply plans
 * today's run when it comes back; the planner's catch-up rules do the rest.
 */
export async function registerDunningJobs(
  deps: DunningWorkerDeps,
  opts: { schedule: boolean },
): Promise<void> {
  const { handle, queue, log } = deps;
  const now = deps.now ?? (() => new Date());

  await queue.work(dunningSweep, async () => {
    await sweepOrganisations(handle.db, queue, now());
  });

  await queue.work(dunningPlanOrg, async ({ orgId, localDate }, ctx) => {
    // Promises past their grace become broken (a task, and the policy resumes) before planning.
    await withOrg(handle.db, orgId, (trx) => checkBrokenPromises(trx, orgId, localDate));
    // Payment plans with an instalment missed past grace default: dunning resumes on them.
    await withOrg(handle.db, orgId, (trx) => checkPaymentPlans(trx, orgId, localDate, now()));
    // Limitation alerts (90/30/7 days) become follow-up tasks; a failure there must not stop dunning.
    await createLimitationTasks(handle.db, orgId, localDate).catch((err) =>
      ctx.log.error({ err, orgId }, 'limitation tasks not created'),
    );
    // Dashboard rollups: fold the ledger's deltas daily, so they do not pile up for an
    // organisation nobody looks at (a dashboard request folds them too).
    await withOrg(handle.db, orgId, (trx) => foldKpiDeltas(trx, orgId));
    const result = await planDunningRun(handle.db, orgId, { now: now(), dryRun: false });
    ctx.log.info(
      { orgId, localDate, actions: result.actions, inserted: result.outboxRowsInserted },
      'dunning run planned',
    );
    await queue.send(dunningDeliver, { orgId });
  });

  await queue.work(dunningDeliver, async ({ orgId }, ctx) => {
    const tally = await deliverDueActions(handle.db, orgId, now(), {
      channels: deps.channels,
      workerId: `worker-${process.pid}-${randomUUID().slice(0, 8)}`,
      log: ctx.log,
      ...(deps.secret ? { secret: deps.secret } : {}),
      ...(deps.portalBaseUrl ? { portalBaseUrl: deps.portalBaseUrl } : {}),
      onlinePayment: deps.onlinePayment ?? false,
    });
    ctx.log.info({ orgId, ...tally }, 'dunning outbox drained');
  });

  if (opts.schedule) await queue.schedule(dunningSweep, '*/10 * * * *', {}, 'UTC');
  log.info({ schedule: opts.schedule }, 'dunning jobs registered');
}
