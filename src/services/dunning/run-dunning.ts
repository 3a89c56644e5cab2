import type { Kysely } from 'kysely';
import { getOrganisation } from '../../db/queries/organisations.js';
import type { Database } from '../../db/schema/index.js';
import { type IsoDate, zonedInstant } from '../../domain/calendar/index.js';
import { AppError } from '../../errors.js';
import { type DeliveryDeps, type DeliveryTally, deliverDueActions } from './deliver-actions.js';
import { dunningSettingsOf } from './dunning-settings.js';
import { type PlanRunResult, planDunningRun } from './plan-dunning-run.js';

/** The instant a run "happens" for a business date: the organisation's send time, local. */
export async function runInstant(
  db: Kysely<Database>,
  orgId: string,
  date?: IsoDate,
  now = new Date(),
): Promise<Date> {
  const org = await getOrganisation(db, orgId);
  if (!org) throw new AppError('NOT_FOUND', `organisation ${orgId} not found`);
  if (!date) return now;
  const s = dunningSettingsOf(org.settings, org.time_zone);
  return zonedInstant(date, Math.floor(s.runAtMinute / 60), s.runAtMinute % 60, org.time_zone);
}

export interface RunResult {
  plan: PlanRunResult;
  delivery: DeliveryTally | null;
}

/**
 * What the scheduler does daily, in one call: plan, then deliver until this run's outbox is
 * drained (retries that must wait are left for later workers).
 */
export async function runDunning(
  db: Kysely<Database>,
  orgId: string,
  opts: { at: Date; dryRun: boolean; delivery?: DeliveryDeps },
): Promise<RunResult> {
  const plan = await planDunningRun(db, orgId, {
    now: opts.at,
    dryRun: opts.dryRun,
    collectPlans: opts.dryRun,
  });
  if (opts.dryRun || !opts.delivery) return { plan, delivery: null };
  const delivery = await deliverDueActions(db, orgId, opts.at, opts.delivery);
  return { plan, delivery };
}
