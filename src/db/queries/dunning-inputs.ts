import { type Kysely, type RawBuilder, sql } from 'kysely';
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

const CONTACT_CHANNELS = ['email', 'sms', 'letter', 'registered_letter'];

/** One customer's row: its columns plus its related rows aggregated as JSON arrays. */
interface AggregatedRow {
  id: string;
  name: string;
  kind: PlannerCustomer['kind'];
  segment: string;
  language: PlannerCustomer['language'];
  address_line1: string | null;
  postal_code: string | null;
  city: string | null;
  dunning_policy_key: string | null;
  contacts: {
    id: string;
    name: string | null;
    email: string | null;
    email_invalid: boolean;
    consent_email: boolean;
    phone: string | null;
    consent_sms: boolean;
    is_primary: boolean;
  }[];
  invoices: {
    id: string;
    invoice_number: string;
    issue_date: string;
    due_date: string;
    balance_minor: number;
    gross_minor: number;
    currency: string;
    disputed: boolean;
    instalments: { seq: number; due_date: string; amount_minor: number }[] | null;
  }[];
  steps: {
    invoice_id: string;
    instalment_seq: number;
    step_key: string;
    done_at: string;
    action_key: string | null;
  }[];
  sent: { idempotency_key: string; at: string }[];
  pauses: { id: string; invoice_id: string | null; until: string; reason: string }[];
  promises: {
    id: string;
    invoice_ids: string[];
    promised_date: string;
    grace_days: number;
    status: PromiseToPay['status'];
  }[];
}

/**
 * The batch's customers (the \`batch\` fragment selects their rows) and everything the planner needs about them in ONE statement: each
 * related table is aggregated per customer (json_agg over its customer index), so a batch
 * costs one round trip whatever its size, and nothing is grouped in JavaScript.
 */
async function loadAggregated(
  db: Kysely<Database>,
  batch: RawBuilder<unknown>,
  now: Date,
  today: IsoDate,
): Promise<AggregatedRow[]> {
  const weekAgo = new Date(now.getTime() - 7 * 86_400_000);
  const r = await sql<AggregatedRow>`
    with batch as (${batch})
    select c.id, c.name, c.kind, c.segment, c.language, c.address_line1, c.postal_code, c.city,
      c.dunning_policy_key,
      coalesce((
        select json_agg(json_build_object('id', k.id, 'name', k.name, 'email', k.email,
          'email_invalid', k.email_invalid, 'consent_email', k.consent_email, 'phone', k.phone,
          'consent_sms', k.consent_sms, 'is_primary', k.is_primary))
        from contacts k where k.org_id = c.org_id and k.customer_id = c.id
      ), '[]') as contacts,
      coalesce((
        select json_agg(json_build_object('id', i.id, 'invoice_number', i.invoice_number,
          'issue_date', i.issue_date, 'due_date', i.due_date, 'balance_minor', i.balance_minor,
          'gross_minor', i.gross_minor, 'currency', i.currency,
          'disputed', i.disputed or exists (select 1 from disputes d
            where d.org_id = i.org_id and d.invoice_id = i.id and d.status = 'open'),
          'instalments', (select json_agg(json_build_object('seq', s.seq, 'due_date', s.due_date,
              'amount_minor', s.amount_minor) order by s.seq)
            from invoice_instalments s where s.org_id = i.org_id and s.invoice_id = i.id)))
        from invoices i
        where i.org_id = c.org_id and i.customer_id = c.id and i.balance_minor > 0 and i.status <> 'written_off'
      ), '[]') as invoices,
      coalesce((
        select json_agg(json_build_object('invoice_id', s.invoice_id, 'instalment_seq', s.instalment_seq,
          'step_key', s.step_key, 'done_at', s.done_at, 'action_key', a.idempotency_key))
        from dunning_item_steps s
        left join dunning_actions a on a.org_id = s.org_id and a.id = s.action_id
        where s.org_id = c.org_id and s.customer_id = c.id
      ), '[]') as steps,
      -- A reminder sent on two channels is one contact: group the outbox rows by action key.
      -- Planned-but-not-yet-delivered actions count too, so two runs a day cannot exceed the cap;
      -- so do sends awaiting approval (approved, they go out as planned).
      coalesce((
        select json_agg(json_build_object('idempotency_key', x.idempotency_key, 'at', x.at))
        from (
          select a.idempotency_key, min(a.not_before) as at
          from dunning_actions a
          where a.org_id = c.org_id and a.customer_id = c.id
            and a.kind = 'send' and a.channel = any(${CONTACT_CHANNELS}::text[])
            and a.status in ('planned', 'claimed', 'sent', 'awaiting_approval')
            and a.not_before > ${weekAgo} and a.not_before <= ${now}
          group by a.idempotency_key
        ) x
      ), '[]') as sent,
      coalesce((
        select json_agg(json_build_object('id', p.id, 'invoice_id', p.invoice_id, 'until', p.until,
          'reason', p.reason))
        from dunning_pauses p
        where p.org_id = c.org_id and p.customer_id = c.id and p.cancelled_at is null
          and p.until >= ${today}::date
      ), '[]') as pauses,
      coalesce((
        select json_agg(json_build_object('id', p.id, 'invoice_ids', p.invoice_ids,
          'promised_date', p.promised_date, 'grace_days', p.grace_days, 'status', p.status))
        from promises_to_pay p
        where p.org_id = c.org_id and p.customer_id = c.id and p.status = 'active'
      ), '[]') as promises
    from batch c
    order by c.id
  `.execute(db);
  return r.rows;
}

/**
 * The next `limit` customers with something to collect after `after` (keyset, id order),
 * loaded in one statement: the sweep walks the whole portfolio so each run catches up on
 * anything due, whatever happened the days before.
 */
export async function loadNextPlanningBatch(
  db: Kysely<Database>,
  orgId: string,
  after: string | null,
  limit: number,
  now: Date,
  today: IsoDate,
): Promise<CustomerPlanningState[]> {
  // Walk the customers' primary key in order and keep those owing something: the batch
  // costs its own size, however far into the portfolio the sweep is.
  const batch = sql`
    select c.* from customers c
    where c.org_id = ${orgId} ${after ? sql`and c.id > ${after}` : sql``}
      -- A scalar subquery, not EXISTS: the planner would turn EXISTS into a semi join that
      -- scans the organisation's invoices from the start for every batch.
      and coalesce((select true from invoices i where i.org_id = c.org_id and i.customer_id = c.id
        and i.balance_minor > 0 and i.status <> 'written_off' limit 1), false)
    order by c.id
    limit ${limit}
  `;
  return statesOf(db, orgId, await loadAggregated(db, batch, now, today), today);
}

/** The planning state of the given customers (whether or not they owe anything). */
export async function loadPlanningBatch(
  db: Kysely<Database>,
  orgId: string,
  customerIds: string[],
  now: Date,
  today: IsoDate,
): Promise<Map<string, CustomerPlanningState>> {
  const out = new Map<string, CustomerPlanningState>();
  if (customerIds.length === 0) return out;
  const batch = sql`select c.* from customers c where c.org_id = ${orgId} and c.id = any(${customerIds}::uuid[])`;
  const rows = await loadAggregated(db, batch, now, today);
  for (const s of await statesOf(db, orgId, rows, today)) out.set(s.customer.id, s);
  return out;
}

async function statesOf(
  db: Kysely<Database>,
  orgId: string,
  rows: AggregatedRow[],
  today: IsoDate,
): Promise<CustomerPlanningState[]> {
  if (rows.length === 0) return [];
  // Items of an active payment plan in good standing are not reminded (src/domain/dunning/pauses.ts).
  const inPlans = await invoicesInPlansInGoodStanding(
    db,
    orgId,
    rows.map((c) => c.id),
    today,
  );
  return rows.map((c) => ({
    customer: {
      id: c.id,
      name: c.name,
      kind: c.kind,
      segment: c.segment,
      language: c.language,
      timeZone: null,
      riskBand: null,
      hasPostalAddress: Boolean(c.address_line1 && c.postal_code && c.city),
      contacts: c.contacts.map(
        (k): PlannerContact => ({
          id: k.id,
          name: k.name,
          email: k.email,
          emailValid: !k.email_invalid,
          consentEmail: k.consent_email,
          phone: k.phone,
          consentSms: k.consent_sms,
          isPrimary: k.is_primary,
        }),
      ),
    },
    policyOverride: c.dunning_policy_key ?? null,
    items: c.invoices.map((i): OpenItem => {
      const inst = i.instalments;
      return {
        invoiceId: i.id,
        invoiceNumber: i.invoice_number,
        issueDate: i.issue_date,
        dueDate: i.due_date,
        balanceMinor: Number(i.balance_minor),
        grossMinor: Number(i.gross_minor),
        currency: i.currency,
        disputed: i.disputed,
        ...(inPlans.has(i.id) ? { inPaymentPlanInGoodStanding: true } : {}),
        ...(inst && inst.length > 1
          ? {
              instalments: inst.map((s) => ({
                seq: s.seq,
                dueDate: s.due_date,
                amountMinor: Number(s.amount_minor),
              })),
            }
          : {}),
      };
    }),
    history: c.steps.map(
      (s): StepDone => ({
        invoiceId: s.invoice_id,
        instalmentSeq: s.instalment_seq === 0 ? null : s.instalment_seq,
        stepKey: s.step_key,
        at: new Date(s.done_at),
        ...(s.action_key ? { actionKey: s.action_key } : {}),
      }),
    ),
    recentContacts: c.sent.map(
      (s): RecentContact => ({ at: new Date(s.at), automatic: true, actionKey: s.idempotency_key }),
    ),
    pauses: c.pauses.map(
      (p): DunningPause => ({ id: p.id, invoiceId: p.invoice_id, until: p.until, reason: p.reason }),
    ),
    promises: c.promises.map(
      (p): PromiseToPay => ({
        id: p.id,
        invoiceIds: p.invoice_ids,
        promisedDate: p.promised_date,
        graceDays: p.grace_days,
        status: p.status,
      }),
    ),
  }));
}
