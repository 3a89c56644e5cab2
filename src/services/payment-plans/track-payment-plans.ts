import type { Kysely } from 'kysely';
import { appendEvidenceEntry } from '../../db/queries/evidence.js';
import {
  activePlansWithBalance,
  instalmentsOfPlans,
  setPlanStatus,
  writeInstalmentProgress,
} from '../../db/queries/payment-plans.js';
import type { Database } from '../../db/schema/index.js';
import type { IsoDate } from '../../domain/calendar/index.js';
import {
  type InstalmentProgress,
  instalmentProgress,
  planStanding,
} from '../../domain/payment-plans/index.js';

export interface PlanProgressResult {
  /** Plans whose items are now fully paid. */
  completed: string[];
  /** Active plans with an instalment missed beyond grace (still active: see checkPaymentPlans). */
  missed: {
    planId: string;
    customerId: string;
    owedMinor: number;
    currency: string;
    missed: InstalmentProgress[];
  }[];
}

/**
 * Bring the active plans of some customers (or all) up to date with what has been paid on
 * their items: what the plan's invoices no longer owe settles the instalments in order, and
 * a plan with nothing left to pay is completed. Called after a payment is recorded and by
 * the daily check. `today` null: only payments count (nothing is marked missed).
 */
export async function refreshPlanProgress(
  trx: Kysely<Database>,
  orgId: string,
  customerIds: string[] | 'all',
  today: IsoDate | null,
  now: Date = new Date(),
): Promise<PlanProgressResult> {
  const plans = await activePlansWithBalance(trx, orgId, customerIds);
  const out: PlanProgressResult = { completed: [], missed: [] };
  if (plans.length === 0) return out;
  const instalments = await instalmentsOfPlans(
    trx,
    orgId,
    plans.map((p) => p.plan.id),
  );
  for (const { plan, owedMinor } of plans) {
    const schedule = (instalments.get(plan.id) ?? []).map((i) => ({
      seq: i.seq,
      dueDate: i.due_date,
      amountMinor: Number(i.amount_minor),
    }));
    const paid = Number(plan.total_minor) - owedMinor;
    const progress = instalmentProgress(schedule, paid, today, plan.grace_days);
    await writeInstalmentProgress(trx, orgId, plan.id, progress);
    const standing = planStanding(progress);
    if (standing === 'completed' || owedMinor === 0) {
      await setPlanStatus(trx, orgId, plan.id, { status: 'completed', resolved_at: now });
      await appendEvidenceEntry(trx, orgId, {
        customerId: plan.customer_id,
        kind: 'payment_plan',
        channel: null,
        summary: 'payment plan completed: every instalment paid',
        payload: {
          planId: plan.id,
          status: 'completed',
          totalMinor: Number(plan.total_minor),
          currency: plan.currency,
        },
        contentSha256: null,
        at: now,
      });
      out.completed.push(plan.id);
    } else if (standing === 'missed') {
      out.missed.push({
        planId: plan.id,
        customerId: plan.customer_id,
        owedMinor,
        currency: plan.currency,
        missed: progress.filter((p) => p.status === 'missed'),
      });
    }
  }
  return out;
}

export interface PaymentPlanCheckResult {
  completed: number;
  defaulted: number;
  tasksCreated: number;
}

/**
 * The daily check, before the dunning run: refresh every active plan, and default those
 * with an instalment unpaid past its grace days. The plan's default rule: the whole
 * remaining balance is due again, so dunning resumes on it (the plan no longer pauses its
 * items) and the collector gets a task; the default goes into the evidence file.
 */
export async function checkPaymentPlans(
  trx: Kysely<Database>,
  orgId: string,
  today: IsoDate,
  now: Date = new Date(),
): Promise<PaymentPlanCheckResult> {
  const r = await refreshPlanProgress(trx, orgId, 'all', today, now);
  let tasks = 0;
  for (const m of r.missed) {
    const first = m.missed[0];
    await setPlanStatus(trx, orgId, m.planId, { status: 'defaulted', resolved_at: now });
    const task = await trx
      .insertInto('tasks')
      .values({
        org_id: orgId,
        customer_id: m.customerId,
        kind: 'broken_promise',
        title: `Payment plan defaulted: instalment ${first?.seq} of ${first?.dueDate} not paid`,
        detail: JSON.stringify({
          planId: m.planId,
          owedMinor: m.owedMinor,
          currency: m.currency,
          missed: m.missed.map((x) => ({
            seq: x.seq,
            dueDate: x.dueDate,
            unpaidMinor: x.amountMinor - x.paidMinor,
          })),
        }),
        due_date: today,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    tasks++;
    await appendEvidenceEntry(trx, orgId, {
      customerId: m.customerId,
      kind: 'payment_plan',
      channel: null,
      summary: `payment plan defaulted: instalment ${first?.seq} of ${first?.dueDate} unpaid, dunning resumes`,
      payload: {
        planId: m.planId,
        status: 'defaulted',
        owedMinor: m.owedMinor,
        currency: m.currency,
        missed: m.missed.map((x) => ({
          seq: x.seq,
          dueDate: x.dueDate,
          unpaidMinor: x.amountMinor - x.paidMinor,
        })),
        taskId: task.id,
      },
      contentSha256: null,
      at: now,
    });
  }
  return { completed: r.completed.length, defaulted: r.missed.length, tasksCreated: tasks };
}
