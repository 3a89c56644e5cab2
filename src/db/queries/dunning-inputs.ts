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
import { type CustomerScope, customerIdList, customerIdRange } from './customer-scope.js';
import { packFields, unpackFields } from './packed-rows.js';
import { invoicesInPlansInGoodStandingQuery } from './payment-plans.js';

/** Everything the planner needs about one customer, loaded set-based for a batch. */
export interface CustomerPlanningState {
  customer: PlannerCustomer;
  policyOverride: string | null;
  /** Latest risk score 0–100 (policy rules' minRiskScore/maxRiskScore), null if never scored. */
  riskScore: number | null;
  items: OpenItem[];
  history: StepDone[];
  recentContacts: RecentContact[];
  pauses: DunningPause[];
  promises: PromiseToPay[];
  /** The case as the last run stored it (the planner alone writes cases): a run rewrites
   * only those whose policy or next date changes. */
  storedCase: StoredCase | null;
}

export interface StoredCase {
  policyId: string | null;
  policyVersion: number | null;
  nextActionDate: IsoDate | null;
}

const CONTACT_CHANNELS = ['email', 'sms', 'letter', 'registered_letter'];

/** A customer row of the batch: the columns the planner reads. */
export interface CustomerRow {
  id: string;
  name: string;
  kind: PlannerCustomer['kind'];
  segment: string;
  language: PlannerCustomer['language'];
  address_line1: string | null;
  postal_code: string | null;
  city: string | null;
  dunning_policy_key: string | null;
  /** The customer's latest risk score (0–100) and band (migration 0060), null if never scored. */
  risk_score: number | null;
  risk_band: string | null;
}

const CUSTOMER_COLUMNS = sql`c.id, c.name, c.kind, c.segment, c.language, c.address_line1, c.postal_code,
  c.city, c.dunning_policy_key, r.score as risk_score, r.band as risk_band`;

/** Appended after `from customers c` wherever CUSTOMER_COLUMNS is selected: the latest score. */
const CUSTOMER_RISK_JOIN = sql`left join lateral (select s.score, s.band from customer_risk_scores s
  where s.org_id = c.org_id and s.customer_id = c.id order by s.scored_on desc limit 1) r on true`;

/** The model's four bands on the dunning policy's three (a step may require one). */
function dunningRiskBand(band: string | null): 'low' | 'medium' | 'high' | null {
  if (band === null) return null;
  return band === 'faible' ? 'low' : band === 'moyen' ? 'medium' : 'high';
}

/** Runs `fn` in a transaction scoped to the organisation (`withOrg`). */
export type OrgReader = <T>(fn: (db: Kysely<Database>) => Promise<T>) => Promise<T>;

/**
 * An open invoice, as the sweep reads them: the predicate of the invoices_open_by_customer
 * index (migration 0025), so both the owing check and a page's read stay on that index.
 */
const OPEN_INVOICE = sql`i.balance_minor > 0 and i.status <> 'written_off'`;

// Pause and promise rows are rare: plain JSON tuples (see loadStates).
type PauseTuple = [customerId: string, id: string, invoiceId: string | null, until: string, reason: string];
type PromiseTuple = [
  customerId: string,
  id: string,
  invoiceIds: string[],
  promisedDate: string,
  graceDays: number,
  status: PromiseToPay['status'],
];

/** The batch statement's one row: packed fields (packed-rows.ts) and JSON columns. */
interface BatchRow {
  /** customer_id, id, issue_date, due_date, balance_minor, gross_minor, disputed */
  invoices: string | null;
  invoice_numbers: string[] | null;
  invoice_currencies: string[] | null;
  /** invoice_id, seq, due_date, amount_minor, in (invoice, seq) order */
  instalments: string | null;
  in_plans: string[] | null;
  /** customer_id, id, email_invalid, consent_email, consent_sms, is_primary */
  contacts: string | null;
  contact_names: (string | null)[] | null;
  contact_emails: (string | null)[] | null;
  contact_phones: (string | null)[] | null;
  /** customer_id, invoice ids (';'-joined), instalment seqs (';'-joined), done_at in epoch ms,
   * sent_at in epoch ms ('' = not sent), postal ('t'/'f'), posted_on, received_on */
  steps: string | null;
  step_keys: string[][] | null;
  step_action_keys: string[] | null;
  /** customer_id, first not_before in epoch ms */
  sent: string | null;
  sent_keys: string[] | null;
  pauses: PauseTuple[] | null;
  promises: PromiseTuple[] | null;
  /** customer_id, policy_id, policy_version, next_action_date (the last three may be '') */
  cases: string | null;
}

/** Push `value` onto the list `key` maps to. */
function pushTo<T>(m: Map<string, T[]>, key: string, value: T): void {
  const list = m.get(key);
  if (list) list.push(value);
  else m.set(key, [value]);
}

/**
 * Everything the planner needs about the batch's customers, in one statement: each related
 * table is one subquery over its customers' index, aggregated to one row. One statement
 * instead of nine saves a round trip and a plan each, per batch. Ids, dates and numbers come
 * packed (packed-rows.ts), free text as JSON arrays of the same rows in the same order; both
 * are parsed natively, where the driver decodes each field of each row in JavaScript. Rows
 * of customers outside the batch (in a range) are ignored.
 */
async function loadStates(
  db: Kysely<Database>,
  orgId: string,
  customers: CustomerRow[],
  scope: CustomerScope,
  now: Date,
  today: IsoDate,
  /** Which action did each step (StepDone.actionKey): re-checking one action needs it, the
   * planner does not. */
  withActionKeys: boolean,
): Promise<CustomerPlanningState[]> {
  if (customers.length === 0) return [];
  const weekAgo = new Date(now.getTime() - 7 * 86_400_000);
  const openInvoice = sql`i.org_id = ${orgId} and ${scope('i.customer_id')} and ${OPEN_INVOICE}`;
  // date_part is float8 arithmetic, where extract(epoch) is numeric: a third of the cost. Rounded
  // to the millisecond, which is all a Date holds.
  const epochMs = (column: RawBuilder<unknown>) => sql`(date_part('epoch', ${column}) * 1000)::int8`;
  const res = await sql<BatchRow>`
    select inv.packed as invoices, inv.numbers as invoice_numbers, inv.currencies as invoice_currencies,
      ins.packed as instalments, pl.ids as in_plans,
      con.packed as contacts, con.names as contact_names, con.emails as contact_emails,
      con.phones as contact_phones,
      st.packed as steps, st.step_keys, st.action_keys as step_action_keys,
      se.packed as sent, se.keys as sent_keys,
      pa.tuples as pauses, pr.tuples as promises, ca.packed as cases
    from (
      select ${packFields([
        sql`i.customer_id`,
        sql`i.id`,
        sql`i.issue_date`,
        sql`i.due_date`,
        sql`i.balance_minor`,
        sql`i.gross_minor`,
        // A list of the range's open disputes, built once (a hashed subplan), rather than a
        // probe of the disputes per invoice.
        sql`i.disputed or i.id in (select d.invoice_id from disputes d
          where d.org_id = ${orgId} and ${scope('d.customer_id')} and d.status = 'open')`,
      ])} as packed, json_agg(i.invoice_number) as numbers, json_agg(i.currency) as currencies
      from invoices i where ${openInvoice}
    ) inv
    cross join (
      select ${packFields(
        [sql`s.invoice_id`, sql`s.seq`, sql`s.due_date`, sql`s.amount_minor`],
        sql`s.invoice_id, s.seq`,
      )} as packed
      from invoices i join invoice_instalments s on s.org_id = i.org_id and s.invoice_id = i.id
      where ${openInvoice}
        -- Split terms are rare: an organisation without any skips the join (a one-time check).
        and exists (select 1 from invoice_instalments x where x.org_id = ${orgId})
    ) ins
    -- Items of an active payment plan in good standing are not reminded (src/domain/dunning/pauses.ts).
    cross join (
      select json_agg(g.invoice_id) as ids from (${invoicesInPlansInGoodStandingQuery(orgId, scope, today)}) g
    ) pl
    cross join (
      select ${packFields([
        sql`k.customer_id`,
        sql`k.id`,
        sql`k.email_invalid`,
        sql`k.consent_email`,
        sql`k.consent_sms`,
        sql`k.is_primary`,
      ])} as packed, json_agg(k.name) as names, json_agg(k.email) as emails, json_agg(k.phone) as phones
      from contacts k where k.org_id = ${orgId} and ${scope('k.customer_id')}
    ) con
    -- One row per action, its items as parallel arrays (decision 020).
    cross join (
      select ${packFields([
        sql`s.customer_id`,
        sql`array_to_string(s.invoice_ids, ';')`,
        sql`array_to_string(s.instalment_seqs, ';')`,
        epochMs(sql`s.done_at`),
        // A step presupposing this one needs it sent (decision 021): the first channel the
        // outbox settled as sent; a step recorded before the outbox kept its rows counts as sent.
        // The send slot stands for the send when earlier: sent_at is the wall clock, while a
        // run's instant can be simulated (`relance run --date`).
        epochMs(sql`case when x.n = 0 then s.done_at else least(x.sent_at, greatest(s.done_at, x.slot)) end`),
        sql`x.postal`,
        sql`x.posted_on`,
        sql`x.received_on`,
      ])} as packed, json_agg(s.step_keys) as step_keys, json_agg(s.idempotency_key) as action_keys
      from dunning_action_items s
      left join lateral (
        select count(*) as n, min(a.sent_at) filter (where a.status = 'sent') as sent_at,
          min(a.not_before) filter (where a.status = 'sent') as slot,
          bool_or(a.channel in ('letter', 'registered_letter')) as postal,
          min(md.posted_on) as posted_on, min(md.received_on) as received_on
        from dunning_actions a
        left join message_deliveries md on md.org_id = a.org_id
          and md.idempotency_key = a.idempotency_key || ':' || a.channel
        where a.org_id = s.org_id and a.idempotency_key = s.idempotency_key
      ) x on true
      where s.org_id = ${orgId} and ${scope('s.customer_id')}
    ) st
    -- A reminder sent on two channels is one contact: the outbox rows grouped by action key.
    -- Planned-but-not-yet-delivered actions count too, so two runs a day cannot exceed the
    -- cap; so do sends awaiting approval (approved, they go out as planned).
    cross join (
      select ${packFields([sql`x.customer_id`, epochMs(sql`x.at`)])} as packed, json_agg(x.idempotency_key) as keys
      from (
        select a.customer_id, a.idempotency_key, min(a.not_before) as at
        from dunning_actions a
        where a.org_id = ${orgId} and ${scope('a.customer_id')}
          and a.kind = 'send' and a.channel = any(${CONTACT_CHANNELS}::text[])
          and a.status in ('planned', 'claimed', 'sent', 'awaiting_approval')
          and a.not_before > ${weekAgo} and a.not_before <= ${now}
        group by a.customer_id, a.idempotency_key
      ) x
    ) se
    cross join (
      select json_agg(json_build_array(p.customer_id, p.id, p.invoice_id, p.until, p.reason)) as tuples
      from dunning_pauses p
      where p.org_id = ${orgId} and ${scope('p.customer_id')} and p.cancelled_at is null
        and p.until >= ${today}::date
    ) pa
    cross join (
      select json_agg(json_build_array(p.customer_id, p.id, p.invoice_ids, p.promised_date, p.grace_days,
        p.status)) as tuples
      from promises_to_pay p
      where p.org_id = ${orgId} and ${scope('p.customer_id')} and p.status = 'active'
    ) pr
    cross join (
      select ${packFields([sql`c.customer_id`, sql`c.policy_id`, sql`c.policy_version`, sql`c.next_action_date`])} as packed
      from dunning_cases c where c.org_id = ${orgId} and ${scope('c.customer_id')}
    ) ca
  `.execute(db);
  const row = res.rows[0];
  if (!row) throw new Error('the batch statement returned no row');

  const inPlans = new Set(row.in_plans ?? []);
  const instalmentsOf = new Map<string, { seq: number; dueDate: string; amountMinor: number }[]>();
  const ins = unpackFields(row.instalments, 4, 'instalments');
  for (let f = 0; f < ins.length; f += 4)
    pushTo(instalmentsOf, ins[f] as string, {
      seq: Number(ins[f + 1]),
      dueDate: ins[f + 2] as string,
      amountMinor: Number(ins[f + 3]),
    });

  const itemsOf = new Map<string, OpenItem[]>();
  const inv = unpackFields(row.invoices, 7, 'invoices');
  const numbers = row.invoice_numbers ?? [];
  const currencies = row.invoice_currencies ?? [];
  for (let f = 0, r = 0; f < inv.length; f += 7, r++) {
    const id = inv[f + 1] as string;
    const item: OpenItem = {
      invoiceId: id,
      invoiceNumber: numbers[r] as string,
      issueDate: inv[f + 2] as string,
      dueDate: inv[f + 3] as string,
      balanceMinor: Number(inv[f + 4]),
      grossMinor: Number(inv[f + 5]),
      currency: currencies[r] as string,
      disputed: inv[f + 6] === 't',
    };
    if (inPlans.has(id)) item.inPaymentPlanInGoodStanding = true;
    const inst = instalmentsOf.get(id);
    if (inst && inst.length > 1) item.instalments = inst;
    pushTo(itemsOf, inv[f] as string, item);
  }

  const contactsOf = new Map<string, PlannerContact[]>();
  const con = unpackFields(row.contacts, 6, 'contacts');
  const names = row.contact_names ?? [];
  const emails = row.contact_emails ?? [];
  const phones = row.contact_phones ?? [];
  for (let f = 0, r = 0; f < con.length; f += 6, r++) {
    pushTo(contactsOf, con[f] as string, {
      id: con[f + 1] as string,
      name: names[r] ?? null,
      email: emails[r] ?? null,
      emailValid: con[f + 2] !== 't',
      consentEmail: con[f + 3] === 't',
      phone: phones[r] ?? null,
      consentSms: con[f + 4] === 't',
      isPrimary: con[f + 5] === 't',
    });
  }

  const historyOf = new Map<string, StepDone[]>();
  const st = unpackFields(row.steps, 8, 'action items');
  const stepKeys = row.step_keys ?? [];
  const actionKeys = row.step_action_keys ?? [];
  // A posting or receipt date stands for midday UTC: the same calendar day in Europe.
  const dayOf = (d: string | undefined) => (d ? new Date(`${d}T12:00:00Z`) : null);
  for (let f = 0, r = 0; f < st.length; f += 8, r++) {
    if (st[f + 1] === '') continue;
    const ids = (st[f + 1] as string).split(';');
    const seqs = (st[f + 2] as string).split(';');
    const at = new Date(Number(st[f + 3]));
    const postal = st[f + 5] === 't';
    // A letter is sent when it is posted, not when it is queued for print.
    const sentAt = postal && st[f + 6] ? dayOf(st[f + 6]) : st[f + 4] ? new Date(Number(st[f + 4])) : null;
    const deliveredAt = dayOf(st[f + 7]);
    const keys = stepKeys[r] ?? [];
    let list = historyOf.get(st[f] as string);
    if (!list) {
      list = [];
      historyOf.set(st[f] as string, list);
    }
    for (let i = 0; i < ids.length; i++) {
      const seq = Number(seqs[i]);
      const step: StepDone = {
        invoiceId: ids[i] as string,
        instalmentSeq: seq === 0 ? null : seq,
        stepKey: keys[i] as string,
        at,
        sentAt,
        deliveredAt,
        postal,
      };
      if (withActionKeys) step.actionKey = actionKeys[r] as string;
      list.push(step);
    }
  }

  const sentOf = new Map<string, RecentContact[]>();
  const se = unpackFields(row.sent, 2, 'recent contacts');
  const sentKeys = row.sent_keys ?? [];
  for (let f = 0, r = 0; f < se.length; f += 2, r++)
    pushTo(sentOf, se[f] as string, {
      at: new Date(Number(se[f + 1])),
      automatic: true,
      actionKey: sentKeys[r] as string,
    });

  const pausesOf = new Map<string, DunningPause[]>();
  for (const p of row.pauses ?? [])
    pushTo(pausesOf, p[0], { id: p[1], invoiceId: p[2], until: p[3], reason: p[4] });
  const promisesOf = new Map<string, PromiseToPay[]>();
  for (const p of row.promises ?? [])
    pushTo(promisesOf, p[0], {
      id: p[1],
      invoiceIds: p[2],
      promisedDate: p[3],
      graceDays: p[4],
      status: p[5],
    });

  const caseOf = new Map<string, StoredCase>();
  const ca = unpackFields(row.cases, 4, 'cases');
  for (let f = 0; f < ca.length; f += 4)
    caseOf.set(ca[f] as string, {
      policyId: ca[f + 1] || null,
      policyVersion: ca[f + 2] ? Number(ca[f + 2]) : null,
      nextActionDate: ca[f + 3] || null,
    });

  return customers.map((c) => ({
    customer: {
      id: c.id,
      name: c.name,
      kind: c.kind,
      segment: c.segment,
      language: c.language,
      timeZone: null,
      riskBand: dunningRiskBand(c.risk_band ?? null),
      hasPostalAddress: Boolean(c.address_line1 && c.postal_code && c.city),
      contacts: contactsOf.get(c.id) ?? [],
    },
    policyOverride: c.dunning_policy_key ?? null,
    riskScore: c.risk_score === null || c.risk_score === undefined ? null : Number(c.risk_score),
    items: itemsOf.get(c.id) ?? [],
    history: historyOf.get(c.id) ?? [],
    recentContacts: sentOf.get(c.id) ?? [],
    pauses: pausesOf.get(c.id) ?? [],
    promises: promisesOf.get(c.id) ?? [],
    storedCase: caseOf.get(c.id) ?? null,
  }));
}

/**
 * The next `limit` customers with something to collect after `after` (keyset, id order),
 * and their planning state, in one transaction: the sweep walks the whole portfolio so each
 * run catches up on anything due, whatever happened the days before. `onCustomers` hears
 * which customers the page holds as soon as they are known, so the sweep can start the next
 * page while this one's state loads.
 */
export async function loadPlanningPage(
  read: OrgReader,
  orgId: string,
  after: string | null,
  limit: number,
  now: Date,
  today: IsoDate,
  onCustomers: (customers: CustomerRow[]) => void,
): Promise<CustomerPlanningState[]> {
  return read(async (db) => {
    // Walk the customers' primary key in order and keep those owing something: the page
    // costs its own size, however far into the portfolio the sweep is.
    const customers = (
      await sql<CustomerRow>`
        select ${CUSTOMER_COLUMNS} from customers c ${CUSTOMER_RISK_JOIN}
        where c.org_id = ${orgId} ${after ? sql`and c.id > ${after}` : sql``}
          -- A scalar subquery, not EXISTS: the planner would turn EXISTS into a semi join that
          -- scans the organisation's invoices from the start for every batch.
          and coalesce((select true from invoices i where i.org_id = c.org_id and i.customer_id = c.id
            and ${OPEN_INVOICE} limit 1), false)
        order by c.id
        limit ${limit}
      `.execute(db)
    ).rows;
    onCustomers(customers);
    const last = customers[customers.length - 1];
    if (!last) return [];
    return loadStates(db, orgId, customers, customerIdRange(after, last.id), now, today, false);
  });
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
  const customers = await sql<CustomerRow>`
    select ${CUSTOMER_COLUMNS} from customers c ${CUSTOMER_RISK_JOIN}
    where c.org_id = ${orgId} and c.id = any(${customerIds}::uuid[])
    order by c.id
  `.execute(db);
  for (const s of await loadStates(db, orgId, customers.rows, customerIdList(customerIds), now, today, true))
    out.set(s.customer.id, s);
  return out;
}
