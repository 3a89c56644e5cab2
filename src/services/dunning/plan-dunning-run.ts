import { type Kysely, sql } from 'kysely';
import { withOrg } from '../../db/connection.js';
import { loadNextPlanningBatch, loadPlanningBatch } from '../../db/queries/dunning-inputs.js';
import { storePlans } from '../../db/queries/dunning-outbox.js';
import { ensureDefaultPolicies, loadPolicies } from '../../db/queries/dunning-policies.js';
import { getOrganisation } from '../../db/queries/organisations.js';
import type { Database } from '../../db/schema/index.js';
import { zonedParts } from '../../domain/calendar/index.js';
import {
  type CustomerPlan,
  DEFAULT_POLICIES,
  DEFAULT_POLICY_RULES,
  type DunningPolicy,
  latestVersion,
  planCustomer,
  selectPolicy,
} from '../../domain/dunning/index.js';
import { AppError } from '../../errors.js';
import { dunningSettingsOf } from './dunning-settings.js';

export interface PlanRunOptions {
  /** The instant the run happens (a scheduled 09:00 local, or `--date` at the send time). */
  now: Date;
  /** Preview only: nothing is written. */
  dryRun: boolean;
  /** Keep every customer plan in the result (default: on a dry run, for previews); a full run only counts. */
  collectPlans?: boolean;
  customerIds?: string[];
  batchSize?: number;
}

export interface PlannedCustomer {
  plan: CustomerPlan;
  customerName: string;
  policyKey: string;
  policyVersion: number;
  policyReason: string;
}

export interface PlanRunResult {
  orgId: string;
  now: string;
  localDate: string;
  dryRun: boolean;
  customersScanned: number;
  actions: number;
  postponed: number;
  excludedItems: number;
  outboxRowsInserted: number;
  plans: PlannedCustomer[];
  /** Where the run's time went, in milliseconds (the bench reports it). */
  phaseMs: { load: number; plan: number; write: number };
}

/**
 * Plan one organisation's run: walk the customers with open items in keyset batches, load
 * each batch's state as flat rows (one statement per related table), run the pure planner per customer, and store
 * the batch's actions in the outbox in one transaction. A per-organisation advisory lock
 * makes concurrent planners take turns batch by batch, so a customer is never planned from
 * stale history.
 */
export async function planDunningRun(
  db: Kysely<Database>,
  orgId: string,
  opts: PlanRunOptions,
): Promise<PlanRunResult> {
  const org = await getOrganisation(db, orgId);
  if (!org) throw new AppError('NOT_FOUND', `organisation ${orgId} not found`);
  const settings = dunningSettingsOf(org.settings, org.time_zone);
  const batchSize = opts.batchSize ?? 500;
  const local = zonedParts(opts.now, org.time_zone);
  const result: PlanRunResult = {
    orgId,
    now: opts.now.toISOString(),
    localDate: local.date,
    dryRun: opts.dryRun,
    customersScanned: 0,
    actions: 0,
    postponed: 0,
    excludedItems: 0,
    outboxRowsInserted: 0,
    plans: [],
    phaseMs: { load: 0, plan: 0, write: 0 },
  };

  if (!opts.dryRun) await withOrg(db, orgId, (trx) => ensureDefaultPolicies(trx, orgId));
  let { policies, rules } = await withOrg(db, orgId, (trx) => loadPolicies(trx, orgId));
  if (policies.length === 0) {
    // A preview before the first run: plan with the defaults without storing them.
    policies = [...DEFAULT_POLICIES];
    rules = [...DEFAULT_POLICY_RULES];
  }

  let after: string | null = null;
  const explicit = opts.customerIds ? [...opts.customerIds].sort() : null;
  for (let offset = 0; ; offset += batchSize) {
    const ids = explicit?.slice(offset, offset + batchSize);
    if (ids?.length === 0) break;

    const loaded = await withOrg(db, orgId, async (trx) => {
      if (!opts.dryRun) {
        await sql`select pg_advisory_xact_lock(hashtextextended(${`dunning-plan:${orgId}`}, 0))`.execute(trx);
      }
      // The batch is picked and loaded under the lock: a customer is never planned from stale history.
      const t0 = performance.now();
      const states = ids
        ? [...(await loadPlanningBatch(trx, orgId, ids, opts.now, local.date)).values()]
        : await loadNextPlanningBatch(trx, orgId, after, batchSize, opts.now, local.date);
      const last = states[states.length - 1];
      if (last) after = last.customer.id;
      const t1 = performance.now();
      result.phaseMs.load += t1 - t0;
      const batch: { plan: CustomerPlan; policyKey: string; policyId: string; policyVersion: number }[] = [];
      for (const state of states) {
        const exposure = state.items.reduce((s, i) => s + i.balanceMinor, 0);
        const selection = selectPolicy(
          rules,
          {
            kind: state.customer.kind,
            segment: state.customer.segment,
            riskScore: null,
            policyOverride: state.policyOverride,
          },
          exposure,
        );
        const policy: DunningPolicy | undefined = selection
          ? latestVersion(policies, selection.policyKey)
          : undefined;
        if (!policy) continue;
        const plan = planCustomer({
          customer: state.customer,
          policy,
          items: state.items,
          history: state.history,
          recentContacts: state.recentContacts,
          pauses: state.pauses,
          promises: state.promises,
          settings,
          now: opts.now,
        });
        result.customersScanned++;
        result.actions += plan.actions.length;
        result.postponed += plan.postponed.length;
        result.excludedItems += plan.excluded.length;
        batch.push({ plan, policyKey: policy.key, policyId: policy.id, policyVersion: policy.version });
        if (opts.collectPlans ?? opts.dryRun) {
          result.plans.push({
            plan,
            customerName: state.customer.name,
            policyKey: policy.key,
            policyVersion: policy.version,
            policyReason: selection?.reason ?? '',
          });
        }
      }
      const t2 = performance.now();
      result.phaseMs.plan += t2 - t1;
      if (!opts.dryRun) {
        const { inserted } = await storePlans(trx, orgId, batch, opts.now, {
          awaitApproval: settings.requireApproval,
        });
        result.outboxRowsInserted += inserted;
        result.phaseMs.write += performance.now() - t2;
      }
      return states.length;
    });
    if (!ids && loaded < batchSize) break;
  }
  return result;
}
