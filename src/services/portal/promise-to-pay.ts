import { type Kysely, sql } from 'kysely';
import { appendEvidenceEntry } from '../../db/queries/evidence.js';
import { getOrganisation } from '../../db/queries/organisations.js';
import type { Database } from '../../db/schema/index.js';
import { addDays, type IsoDate, zonedParts } from '../../domain/calendar/index.js';
import { portalSettingsOf, promiseDateProblem } from '../../domain/portal/index.js';
import { AppError } from '../../errors.js';
import type { PortalAccess } from './portal-access.js';

export interface PromiseToPayInput {
  /** Absent or empty: every item the customer still owes. */
  invoiceIds?: string[];
  promisedDate: string;
}

export interface PromiseToPayResult {
  promiseId: string;
  invoiceIds: string[];
  amount: { amount: number; currency: string };
  promisedDate: IsoDate;
  graceDays: number;
  /** Dunning of these items resumes on this date if they are still unpaid. */
  resumesOn: IsoDate;
  /** Earlier active promises on the same items, now cancelled (superseded). */
  superseded: string[];
}

/**
 * The debtor promises to pay some or all open items by a date, no later than the
 * organisation's maximum (settings.portal.maxPromiseDays). The planner pauses those items
 * until the date plus the grace days; a new promise on the same items supersedes the old.
 */
export async function promiseToPay(
  trx: Kysely<Database>,
  access: PortalAccess,
  input: PromiseToPayInput,
  now: Date,
): Promise<PromiseToPayResult> {
  const { orgId, customerId } = access;
  const org = await getOrganisation(trx, orgId);
  if (!org) throw new AppError('NOT_FOUND', 'Organisation not found');
  const settings = portalSettingsOf(org.settings);
  const today = zonedParts(now, org.time_zone).date;
  const problem = promiseDateProblem(input.promisedDate, today, settings);
  if (problem) {
    throw new AppError(
      'UNPROCESSABLE',
      `promisedDate ${input.promisedDate} refused: ${problem.reason}`,
      [{ field: problem.field, value: input.promisedDate, reason: problem.reason }],
      { rule: problem.rule, ...(problem.latest ? { latestDate: problem.latest } : {}) },
    );
  }
  const requested = [...new Set(input.invoiceIds ?? [])];
  let q = trx
    .selectFrom('invoices')
    .select(['id', 'invoice_number', 'balance_minor', 'currency', 'disputed'])
    .where('org_id', '=', orgId)
    .where('customer_id', '=', customerId)
    .where('balance_minor', '>', 0);
  if (requested.length > 0) q = q.where('id', 'in', requested);
  const items = await q.orderBy('due_date').execute();
  if (requested.length > 0 && items.length !== requested.length) {
    const found = new Set(items.map((i) => i.id));
    const missing = requested.filter((id) => !found.has(id));
    throw new AppError(
      'UNPROCESSABLE',
      'Some invoices cannot be promised',
      missing.map((id) => ({
        field: 'invoiceIds',
        value: id,
        reason: 'not one of your invoices with a balance due',
      })),
    );
  }
  if (items.length === 0) {
    throw new AppError('UNPROCESSABLE', 'Nothing is due: there is nothing to promise', [
      { field: 'invoiceIds', reason: 'no invoice with a balance due' },
    ]);
  }
  const currencies = [...new Set(items.map((i) => i.currency))];
  if (currencies.length > 1) {
    throw new AppError('UNPROCESSABLE', 'One promise covers invoices in one currency', [
      { field: 'invoiceIds', value: currencies.join(','), reason: 'choose invoices in a single currency' },
    ]);
  }
  const ids = items.map((i) => i.id);
  const amount = items.reduce((s, i) => s + i.balance_minor, 0);
  const currency = currencies[0] as string;

  // An empty invoice_ids on an old promise means "everything": it overlaps any new one.
  const superseded = await sql<{ id: string }>`
    update promises_to_pay set status = 'cancelled', resolved_at = ${now}
    where org_id = ${orgId} and customer_id = ${customerId} and status = 'active'
      and (cardinality(invoice_ids) = 0 or invoice_ids && ${ids}::uuid[])
    returning id
  `.execute(trx);
  const promise = await trx
    .insertInto('promises_to_pay')
    .values({
      org_id: orgId,
      customer_id: customerId,
      invoice_ids: ids,
      amount_minor: amount,
      currency,
      promised_date: input.promisedDate,
      grace_days: settings.promiseGraceDays,
      created_by: 'portal',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const resumesOn = addDays(input.promisedDate, settings.promiseGraceDays + 1);
  await appendEvidenceEntry(trx, orgId, {
    customerId,
    kind: 'promise_to_pay',
    channel: 'portal',
    summary: `promise to pay ${items.length} invoice(s) by ${input.promisedDate}`,
    payload: {
      promiseId: promise.id,
      invoiceIds: ids,
      invoiceNumbers: items.map((i) => i.invoice_number),
      amountMinor: amount,
      currency,
      promisedDate: input.promisedDate,
      graceDays: settings.promiseGraceDays,
      superseded: superseded.rows.map((r) => r.id),
      linkId: access.linkId,
    },
    contentSha256: null,
    at: now,
  });
  return {
    promiseId: promise.id,
    invoiceIds: ids,
    amount: { amount, currency },
    promisedDate: input.promisedDate,
    graceDays: settings.promiseGraceDays,
    resumesOn,
    superseded: superseded.rows.map((r) => r.id),
  };
}

export interface BrokenPromisesResult {
  broken: number;
  kept: number;
  tasksCreated: number;
}

/**
 * Resolve the promises whose grace period ended before `today`: kept when nothing is left
 * to pay on their items, broken otherwise — a broken promise gives the collector a
 * 'broken_promise' task, and the planner resumes the policy since the promise is no longer
 * active. Set-based: one statement resolves every promise of the organisation.
 */
export async function checkBrokenPromises(
  trx: Kysely<Database>,
  orgId: string,
  today: IsoDate,
): Promise<BrokenPromisesResult> {
  const r = await sql<{
    id: string;
    customer_id: string;
    status: 'kept' | 'broken';
    owed: number;
    promised_date: string;
    currency: string;
    task_id: string | null;
  }>`
    with due as (
      select p.id, p.customer_id, p.promised_date, p.currency,
        coalesce((
          select sum(i.balance_minor) from invoices i
          where i.org_id = p.org_id and i.customer_id = p.customer_id and i.balance_minor > 0
            and (cardinality(p.invoice_ids) = 0 or i.id = any(p.invoice_ids))
        ), 0)::bigint as owed
      from promises_to_pay p
      where p.org_id = ${orgId} and p.status = 'active'
        and p.promised_date + p.grace_days < ${today}::date
      for update of p
    ), resolved as (
      update promises_to_pay p
      set status = case when d.owed > 0 then 'broken' else 'kept' end, resolved_at = now()
      from due d
      where p.org_id = ${orgId} and p.id = d.id
      returning p.id, p.customer_id, p.status, d.owed, d.promised_date, d.currency
    ), tasks_made as (
      insert into tasks (org_id, customer_id, kind, title, detail, due_date)
      select ${orgId}, r.customer_id, 'broken_promise',
        'Promise to pay of ' || to_char(r.promised_date, 'YYYY-MM-DD') || ' not kept',
        jsonb_build_object('promiseId', r.id, 'owedMinor', r.owed, 'currency', r.currency),
        ${today}::date
      from resolved r where r.status = 'broken'
      returning id, (detail->>'promiseId')::uuid as promise_id
    )
    select r.id, r.customer_id, r.status, r.owed, r.promised_date::text as promised_date, r.currency, t.id as task_id
    from resolved r left join tasks_made t on t.promise_id = r.id
  `.execute(trx);
  // Evidence is one hash chain per customer, appended entry by entry; the rows resolved
  // per day are few (promises past their grace), the statement above did the bulk.
  for (const row of r.rows) {
    await appendEvidenceEntry(trx, orgId, {
      customerId: row.customer_id,
      kind: 'promise_to_pay',
      channel: null,
      summary:
        row.status === 'broken'
          ? `promise to pay of ${row.promised_date} broken: dunning resumes`
          : `promise to pay of ${row.promised_date} kept`,
      payload: {
        promiseId: row.id,
        status: row.status,
        owedMinor: Number(row.owed),
        currency: row.currency,
        taskId: row.task_id,
      },
      contentSha256: null,
    });
  }
  const broken = r.rows.filter((x) => x.status === 'broken');
  return {
    broken: broken.length,
    kept: r.rows.length - broken.length,
    tasksCreated: broken.filter((x) => x.task_id !== null).length,
  };
}
