import { type Kysely, sql } from 'kysely';
import type { IsoDate } from '../../domain/calendar/index.js';
import type {
  DunningPause,
  OpenItem,
  PlannerContact,
  PlannerCustomer,
  PromiseToPay,
  RecentContact,
  StepDone,
} from '../../domain/dunning/index.js';
import type { Database } from '../schema/index.js';
import { invoicesInPlansInGoodStanding } from './payment-plans.js';

/** Everything the planner needs about one customer, loaded set-based for a batch. */
export interface CustomerPlanningState {
  customer: PlannerCustomer;
  policyOverride: string | null;
  items: OpenItem[];
  history: StepDone[];
  recentContacts: RecentContact[];
  pauses: DunningPause[];
  promises: PromiseToPay[];
}

/**
 * Customers with something to collect, in id order after `after` (keyset): the sweep walks
 * the whole portfolio in batches so each run catches up on anything due, whatever happened
 * the days before.
 */
export async function nextCustomersWithOpenItems(
  db: Kysely<Database>,
  orgId: string,
  after: string | null,
  limit: number,
): Promise<string[]> {
  const rows = await sql<{ customer_id: string }>`
    select distinct customer_id from invoices
    where org_id = ${orgId} and balance_minor > 0 and status <> 'written_off'
      ${after ? sql`and customer_id > ${after}` : sql``}
    order by customer_id
    limit ${limit}
  `.execute(db);
  return rows.rows.map((r) => r.customer_id);
}

const CONTACT_CHANNELS = ['email', 'sms', 'letter', 'registered_letter'];

function groupBy<T>(rows: T[], key: (r: T) => string): Map<string, T[]> {
  const m = new Map<string, T[]>();
  for (const r of rows) {
    const k = key(r);
    const list = m.get(k);
    if (list) list.push(r);
    else m.set(k, [r]);
  }
  return m;
}

/** One query per table for the whole batch, never one per customer. */
export async function loadPlanningBatch(
  db: Kysely<Database>,
  orgId: string,
  customerIds: string[],
  now: Date,
  today: IsoDate,
): Promise<Map<string, CustomerPlanningState>> {
  const out = new Map<string, CustomerPlanningState>();
  if (customerIds.length === 0) return out;
  const [customers, contacts, invoices, instalments, steps, contactsSent, pauses, promises] =
    await Promise.all([
      db
        .selectFrom('customers')
        .selectAll()
        .where('org_id', '=', orgId)
        .where('id', 'in', customerIds)
        .execute(),
      db
        .selectFrom('contacts')
        .selectAll()
        .where('org_id', '=', orgId)
        .where('customer_id', 'in', customerIds)
        .execute(),
      sql<{
        id: string;
        customer_id: string;
        invoice_number: string;
        issue_date: string;
        due_date: string;
        balance_minor: number;
        gross_minor: number;
        currency: string;
        disputed: boolean;
      }>`
        select i.id, i.customer_id, i.invoice_number, i.issue_date, i.due_date, i.balance_minor, i.gross_minor, i.currency,
          (i.disputed or exists (select 1 from disputes d where d.org_id = i.org_id and d.invoice_id = i.id and d.status = 'open')) as disputed
        from invoices i
        where i.org_id = ${orgId} and i.customer_id = any(${customerIds}::uuid[])
          and i.balance_minor > 0 and i.status <> 'written_off'
      `.execute(db),
      sql<{ invoice_id: string; seq: number; due_date: string; amount_minor: number }>`
        select s.invoice_id, s.seq, s.due_date, s.amount_minor from invoice_instalments s
        join invoices i on i.org_id = s.org_id and i.id = s.invoice_id
        where s.org_id = ${orgId} and i.customer_id = any(${customerIds}::uuid[]) and i.balance_minor > 0
        order by s.invoice_id, s.seq
      `.execute(db),
      sql<{
        customer_id: string;
        invoice_id: string;
        instalment_seq: number;
        step_key: string;
        done_at: Date;
        action_key: string | null;
      }>`
        select s.customer_id, s.invoice_id, s.instalment_seq, s.step_key, s.done_at, a.idempotency_key as action_key
        from dunning_item_steps s
        left join dunning_actions a on a.org_id = s.org_id and a.id = s.action_id
        where s.org_id = ${orgId} and s.customer_id = any(${customerIds}::uuid[])
      `.execute(db),
      // A reminder sent on two channels is one contact: group the outbox rows by action key.
      // Planned-but-not-yet-delivered actions count too, so two runs a day cannot exceed the cap;
      // so do sends awaiting approval (approved, they go out as planned).
      sql<{ customer_id: string; idempotency_key: string; at: Date }>`
        select customer_id, idempotency_key, min(not_before) as at
        from dunning_actions
        where org_id = ${orgId} and customer_id = any(${customerIds}::uuid[])
          and kind = 'send' and channel = any(${CONTACT_CHANNELS}::text[])
          and status in ('planned', 'claimed', 'sent', 'awaiting_approval')
          and not_before > ${new Date(now.getTime() - 7 * 86_400_000)} and not_before <= ${now}
        group by customer_id, idempotency_key
      `.execute(db),
      db
        .selectFrom('dunning_pauses')
        .selectAll()
        .where('org_id', '=', orgId)
        .where('customer_id', 'in', customerIds)
        .where('cancelled_at', 'is', null)
        .where('until', '>=', today)
        .execute(),
      db
        .selectFrom('promises_to_pay')
        .selectAll()
        .where('org_id', '=', orgId)
        .where('customer_id', 'in', customerIds)
        .where('status', '=', 'active')
        .execute(),
    ]);

  // Items of an active payment plan in good standing are not reminded (src/domain/dunning/pauses.ts).
  const inPlans = await invoicesInPlansInGoodStanding(db, orgId, customerIds, today);
  const contactsBy = groupBy(contacts, (c) => c.customer_id);
  const invoicesBy = groupBy(invoices.rows, (i) => i.customer_id);
  const instalmentsBy = groupBy(instalments.rows, (s) => s.invoice_id);
  const stepsBy = groupBy(steps.rows, (s) => s.customer_id);
  const sentBy = groupBy(contactsSent.rows, (s) => s.customer_id);
  const pausesBy = groupBy(pauses, (p) => p.customer_id);
  const promisesBy = groupBy(promises, (p) => p.customer_id);

  for (const c of customers) {
    const plannerContacts: PlannerContact[] = (contactsBy.get(c.id) ?? []).map((k) => ({
      id: k.id,
      name: k.name,
      email: k.email,
      emailValid: !k.email_invalid,
      consentEmail: k.consent_email,
      phone: k.phone,
      consentSms: k.consent_sms,
      isPrimary: k.is_primary,
    }));
    out.set(c.id, {
      customer: {
        id: c.id,
        name: c.name,
        kind: c.kind,
        segment: c.segment,
        language: c.language,
        timeZone: null,
        riskBand: null,
        hasPostalAddress: Boolean(c.address_line1 && c.postal_code && c.city),
        contacts: plannerContacts,
      },
      policyOverride: c.dunning_policy_key ?? null,
      items: (invoicesBy.get(c.id) ?? []).map((i) => {
        const inst = instalmentsBy.get(i.id);
        return {
          invoiceId: i.id,
          invoiceNumber: i.invoice_number,
          issueDate: i.issue_date,
          dueDate: i.due_date,
          balanceMinor: i.balance_minor,
          grossMinor: i.gross_minor,
          currency: i.currency,
          disputed: i.disputed,
          ...(inPlans.has(i.id) ? { inPaymentPlanInGoodStanding: true } : {}),
          ...(inst && inst.length > 1
            ? {
                instalments: inst.map((s) => ({
                  seq: s.seq,
                  dueDate: s.due_date,
                  amountMinor: s.amount_minor,
                })),
              }
            : {}),
        };
      }),
      history: (stepsBy.get(c.id) ?? []).map((s) => ({
        invoiceId: s.invoice_id,
        instalmentSeq: s.instalment_seq === 0 ? null : s.instalment_seq,
        stepKey: s.step_key,
        at: new Date(s.done_at),
        ...(s.action_key ? { actionKey: s.action_key } : {}),
      })),
      recentContacts: (sentBy.get(c.id) ?? []).map((s) => ({
        at: new Date(s.at),
        automatic: true,
        actionKey: s.idempotency_key,
      })),
      pauses: (pausesBy.get(c.id) ?? []).map((p) => ({
        id: p.id,
        invoiceId: p.invoice_id,
        until: p.until,
        reason: p.reason,
      })),
      promises: (promisesBy.get(c.id) ?? []).map((p) => ({
        id: p.id,
        invoiceIds: p.invoice_ids,
        promisedDate: p.promised_date,
        graceDays: p.grace_days,
        status: p.status,
      })),
    });
  }
  return out;
}
