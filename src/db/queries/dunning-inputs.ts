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
}

const CUSTOMER_COLUMNS = sql`c.id, c.name, c.kind, c.segment, c.language, c.address_line1, c.postal_code,
  c.city, c.dunning_policy_key`;

/** Rows keyed by customer id, in the order they came. */
function byCustomer<T extends { customer_id: string }>(rows: T[]): Map<string, T[]> {
  const m = new Map<string, T[]>();
  for (const r of rows) {
    const list = m.get(r.customer_id);
    if (list) list.push(r);
    else m.set(r.customer_id, [r]);
  }
  return m;
}

/** Which customers' rows a related-table statement reads, as a condition on its customer column. */
type CustomerScope = (column: string) => RawBuilder<unknown>;

/**
 * Runs `fn` in a transaction scoped to the organisation (`withOrg`). The loader opens two
 * at once, so that PostgreSQL runs one half of a batch's statements while this process
 * parses the other's rows; inside one transaction, they simply take turns.
 */
export type OrgReader = <T>(fn: (db: Kysely<Database>) => Promise<T>) => Promise<T>;

/**
 * The sweep's batch is a slice of the customers' key order: its related rows are one range
 * of each table's (org_id, customer_id) index, read in order. An id list (`= any`) reads
 * the same rows for a handful of customers but, for a thousand, PostgreSQL prefers a
 * sequential scan of the whole table: quadratic over a run.
 */
function idRange(after: string | null, last: string): CustomerScope {
  return (column) =>
    after
      ? sql`${sql.ref(column)} > ${after}::uuid and ${sql.ref(column)} <= ${last}::uuid`
      : sql`${sql.ref(column)} <= ${last}::uuid`;
}

function idList(ids: string[]): CustomerScope {
  return (column) => sql`${sql.ref(column)} = any(${ids}::uuid[])`;
}

/** An open invoice as the batch read returns it (customer id first). */
type InvoiceTuple = [
  customerId: string,
  id: string,
  invoiceNumber: string,
  issueDate: string,
  dueDate: string,
  balanceMinor: number,
  grossMinor: number,
  currency: string,
  disputed: boolean,
];

/** An action's items row, as the history read returns it. */
interface ActionItemsRow {
  idempotency_key: string;
  invoice_ids: string;
  instalment_seqs: string;
  step_keys: string[];
  done_ms: number;
}

/** One StepDone per item of each action, in the order the action listed them. */
function historyOf(rows: ActionItemsRow[] | undefined, withActionKeys: boolean): StepDone[] {
  const out: StepDone[] = [];
  if (!rows) return out;
  for (const r of rows) {
    const ids = r.invoice_ids.split(',');
    const seqs = r.instalment_seqs.split(',');
    const at = new Date(r.done_ms);
    for (let i = 0; i < ids.length; i++) {
      const seq = Number(seqs[i]);
      const step: StepDone = {
        invoiceId: ids[i] as string,
        instalmentSeq: seq === 0 ? null : seq,
        stepKey: r.step_keys[i] as string,
        at,
      };
      if (withActionKeys) step.actionKey = r.idempotency_key;
      out.push(step);
    }
  }
  return out;
}

/**
 * Everything the planner needs about the batch's customers, as flat rows: one statement per
 * related table over its customer index, grouped here by customer (rows of customers outside
 * the batch, in a range, are ignored). Flat rows cost PostgreSQL nothing to build, where a
 * json_agg per customer cost ~150 ms per 1,000 customers (docs/dunning.md, "Scale").
 */
async function loadStates(
  read: OrgReader,
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
  const ids = customers.map((c) => c.id);
  const weekAgo = new Date(now.getTime() - 7 * 86_400_000);
  // Two halves on two connections: the invoices (the batch's largest read) and what hangs
  // off them, and everything else.
  const [ledger, dunning] = await Promise.all([
    read(async (db) => {
      // The batch's largest read (~5 rows a customer) as one JSON document of tuples: parsing
      // it is one native call, where the driver decodes each field of each row in JavaScript.
      const invoices = await sql<{ rows: InvoiceTuple[] | null }>`
      select json_agg(json_build_array(i.customer_id, i.id, i.invoice_number, i.issue_date, i.due_date,
        i.balance_minor, i.gross_minor, i.currency,
        i.disputed or exists (select 1 from disputes d
          where d.org_id = i.org_id and d.invoice_id = i.id and d.status = 'open'))) as rows
      from invoices i
      where i.org_id = ${orgId} and ${scope('i.customer_id')}
        and i.balance_minor > 0 and i.status <> 'written_off'
    `.execute(db);
      const instalments = (
        await sql<{ invoice_id: string; seq: number; due_date: string; amount_minor: number }>`
        select s.invoice_id, s.seq, s.due_date, s.amount_minor
        from invoices i
        join invoice_instalments s on s.org_id = i.org_id and s.invoice_id = i.id
        where i.org_id = ${orgId} and ${scope('i.customer_id')}
          and i.balance_minor > 0 and i.status <> 'written_off'
        order by s.invoice_id, s.seq
      `.execute(db)
      ).rows;
      // Items of an active payment plan in good standing are not reminded (src/domain/dunning/pauses.ts).
      const inPlans = await invoicesInPlansInGoodStanding(db, orgId, ids, today);
      return { invoices, instalments, inPlans };
    }),
    read(async (db) => {
      const contacts = await sql<{
        customer_id: string;
        id: string;
        name: string | null;
        email: string | null;
        email_invalid: boolean;
        consent_email: boolean;
        phone: string | null;
        consent_sms: boolean;
        is_primary: boolean;
      }>`
      select k.customer_id, k.id, k.name, k.email, k.email_invalid, k.consent_email, k.phone, k.consent_sms,
        k.is_primary
      from contacts k where k.org_id = ${orgId} and ${scope('k.customer_id')}
    `.execute(db);
      // One row per action, its items as parallel arrays (decision 020). Ids and numbers come as
      // comma-joined text, split here: the driver's array parser is JavaScript, and a run reads
      // one array per column and action. Step keys may hold any character, so they come as JSON.
      // Instants as epoch milliseconds: a float is parsed in a fraction of the time a timestamptz
      // text takes.
      const steps = await sql<{
        customer_id: string;
        idempotency_key: string;
        invoice_ids: string;
        instalment_seqs: string;
        step_keys: string[];
        done_ms: number;
      }>`
      select s.customer_id, s.idempotency_key, array_to_string(s.invoice_ids, ',') as invoice_ids,
        array_to_string(s.instalment_seqs, ',') as instalment_seqs, array_to_json(s.step_keys) as step_keys,
        (extract(epoch from s.done_at) * 1000)::float8 as done_ms
      from dunning_action_items s
      where s.org_id = ${orgId} and ${scope('s.customer_id')}
    `.execute(db);
      // A reminder sent on two channels is one contact: group the outbox rows by action key.
      // Planned-but-not-yet-delivered actions count too, so two runs a day cannot exceed the cap;
      // so do sends awaiting approval (approved, they go out as planned).
      const sent = await sql<{ customer_id: string; idempotency_key: string; at_ms: number }>`
      select a.customer_id, a.idempotency_key, (extract(epoch from min(a.not_before)) * 1000)::float8 as at_ms
      from dunning_actions a
      where a.org_id = ${orgId} and ${scope('a.customer_id')}
        and a.kind = 'send' and a.channel = any(${CONTACT_CHANNELS}::text[])
        and a.status in ('planned', 'claimed', 'sent', 'awaiting_approval')
        and a.not_before > ${weekAgo} and a.not_before <= ${now}
      group by a.customer_id, a.idempotency_key
    `.execute(db);
      const pauses = await sql<{
        customer_id: string;
        id: string;
        invoice_id: string | null;
        until: string;
        reason: string;
      }>`
      select p.customer_id, p.id, p.invoice_id, p.until, p.reason
      from dunning_pauses p
      where p.org_id = ${orgId} and ${scope('p.customer_id')} and p.cancelled_at is null
        and p.until >= ${today}::date
    `.execute(db);
      const promises = await sql<{
        customer_id: string;
        id: string;
        invoice_ids: string[];
        promised_date: string;
        grace_days: number;
        status: PromiseToPay['status'];
      }>`
      select p.customer_id, p.id, p.invoice_ids::text[] as invoice_ids, p.promised_date, p.grace_days, p.status
      from promises_to_pay p
      where p.org_id = ${orgId} and ${scope('p.customer_id')} and p.status = 'active'
    `.execute(db);
      const cases = await sql<{
        customer_id: string;
        policy_id: string | null;
        policy_version: number | null;
        next_action_date: string | null;
      }>`
        select c.customer_id, c.policy_id, c.policy_version, c.next_action_date
        from dunning_cases c
        where c.org_id = ${orgId} and ${scope('c.customer_id')}
      `.execute(db);
      return { contacts, steps, sent, pauses, promises, cases };
    }),
  ]);
  const { invoices, instalments, inPlans } = ledger;
  const { contacts, steps, sent, pauses, promises, cases } = dunning;
  const caseOf = new Map<string, StoredCase>();
  for (const c of cases.rows)
    caseOf.set(c.customer_id, {
      policyId: c.policy_id,
      policyVersion: c.policy_version,
      nextActionDate: c.next_action_date,
    });

  const contactsOf = byCustomer(contacts.rows);
  const stepsOf = byCustomer(steps.rows);
  const sentOf = byCustomer(sent.rows);
  const pausesOf = byCustomer(pauses.rows);
  const promisesOf = byCustomer(promises.rows);
  const instalmentsOf = new Map<string, { seq: number; dueDate: string; amountMinor: number }[]>();
  for (const s of instalments) {
    const row = { seq: s.seq, dueDate: s.due_date, amountMinor: Number(s.amount_minor) };
    const list = instalmentsOf.get(s.invoice_id);
    if (list) list.push(row);
    else instalmentsOf.set(s.invoice_id, [row]);
  }

  const itemsOf = new Map<string, OpenItem[]>();
  for (const t of invoices.rows[0]?.rows ?? []) {
    const item: OpenItem = {
      invoiceId: t[1],
      invoiceNumber: t[2],
      issueDate: t[3],
      dueDate: t[4],
      balanceMinor: t[5],
      grossMinor: t[6],
      currency: t[7],
      disputed: t[8],
    };
    if (inPlans.has(t[1])) item.inPaymentPlanInGoodStanding = true;
    const inst = instalmentsOf.get(t[1]);
    if (inst && inst.length > 1) item.instalments = inst;
    const list = itemsOf.get(t[0]);
    if (list) list.push(item);
    else itemsOf.set(t[0], [item]);
  }

  return customers.map((c) => ({
    customer: {
      id: c.id,
      name: c.name,
      kind: c.kind,
      segment: c.segment,
      language: c.language,
      timeZone: null,
      riskBand: null,
      hasPostalAddress: Boolean(c.address_line1 && c.postal_code && c.city),
      contacts: (contactsOf.get(c.id) ?? []).map(
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
    items: itemsOf.get(c.id) ?? [],
    history: historyOf(stepsOf.get(c.id), withActionKeys),
    recentContacts: (sentOf.get(c.id) ?? []).map(
      (s): RecentContact => ({ at: new Date(s.at_ms), automatic: true, actionKey: s.idempotency_key }),
    ),
    pauses: (pausesOf.get(c.id) ?? []).map(
      (p): DunningPause => ({ id: p.id, invoiceId: p.invoice_id, until: p.until, reason: p.reason }),
    ),
    promises: (promisesOf.get(c.id) ?? []).map(
      (p): PromiseToPay => ({
        id: p.id,
        invoiceIds: p.invoice_ids,
        promisedDate: p.promised_date,
        graceDays: p.grace_days,
        status: p.status,
      }),
    ),
    storedCase: caseOf.get(c.id) ?? null,
  }));
}

/**
 * The next `limit` customers with something to collect after `after` (keyset, id order): the
 * sweep walks the whole portfolio so each run catches up on anything due, whatever happened
 * the days before. Cheap, so the sweep can start the next page while this one's state loads.
 */
export async function loadCustomerPage(
  read: OrgReader,
  orgId: string,
  after: string | null,
  limit: number,
): Promise<CustomerRow[]> {
  // Walk the customers' primary key in order and keep those owing something: the page
  // costs its own size, however far into the portfolio the sweep is.
  const customers = await read((db) =>
    sql<CustomerRow>`
    select ${CUSTOMER_COLUMNS} from customers c
    where c.org_id = ${orgId} ${after ? sql`and c.id > ${after}` : sql``}
      -- A scalar subquery, not EXISTS: the planner would turn EXISTS into a semi join that
      -- scans the organisation's invoices from the start for every batch.
      and coalesce((select true from invoices i where i.org_id = c.org_id and i.customer_id = c.id
        and i.balance_minor > 0 and i.status <> 'written_off' limit 1), false)
    order by c.id
    limit ${limit}
  `.execute(db),
  );
  return customers.rows;
}

/** The planning state of a page of customers, read over the page's key range (after, last]. */
export async function loadPageStates(
  read: OrgReader,
  orgId: string,
  customers: CustomerRow[],
  after: string | null,
  now: Date,
  today: IsoDate,
): Promise<CustomerPlanningState[]> {
  const last = customers[customers.length - 1];
  if (!last) return [];
  return loadStates(read, orgId, customers, idRange(after, last.id), now, today, false);
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
    select ${CUSTOMER_COLUMNS} from customers c
    where c.org_id = ${orgId} and c.id = any(${customerIds}::uuid[])
    order by c.id
  `.execute(db);
  const read: OrgReader = (fn) => fn(db);
  for (const s of await loadStates(read, orgId, customers.rows, idList(customerIds), now, today, true))
    out.set(s.customer.id, s);
  return out;
}
