import { type Kysely, sql } from 'kysely';
import type { Database } from '../schema/index.js';

/** Judgment kinds that stay individual actions and stop interest (see domain/solvency/judgments.ts). */
export const STAYING_KIND_LIST = [
  'opening_sauvegarde',
  'opening_redressement',
  'opening_liquidation',
  'conversion_redressement',
  'conversion_liquidation',
] as const;

/**
 * For each invoice born before an applied opening (or conversion) judgment of its customer,
 * the earliest such judgment date: the day interest stops running (L622-28 C. com.). The
 * penalties engine caps its `until` there; invoices born after (L622-17) are not listed.
 */
export async function interestStopDates(
  db: Kysely<Database>,
  orgId: string,
  invoiceIds: readonly string[],
): Promise<Map<string, string>> {
  if (invoiceIds.length === 0) return new Map();
  const r = await sql<{ id: string; stop: string }>`
    select i.id, min(j.judgment_date)::text as stop
    from invoices i
    join insolvency_judgments j on j.org_id = i.org_id and j.customer_id = i.customer_id
      and j.applied_at is not null and j.kind = any(${[...STAYING_KIND_LIST]}::text[])
      and i.issue_date < j.judgment_date
    where i.org_id = ${orgId} and i.id = any(${[...invoiceIds]}::uuid[])
    group by i.id
  `.execute(db);
  return new Map(r.rows.map((x) => [x.id, x.stop]));
}

export async function customersWithSiren(db: Kysely<Database>, orgId: string, sirens: readonly string[]) {
  if (sirens.length === 0) return [];
  return db
    .selectFrom('customers')
    .select(['id', 'name', 'siren', 'currency'])
    .where('org_id', '=', orgId)
    .where('siren', 'in', [...sirens])
    .execute();
}

export async function judgmentsOfCustomer(db: Kysely<Database>, orgId: string, customerId: string) {
  return db
    .selectFrom('insolvency_judgments')
    .selectAll()
    .where('org_id', '=', orgId)
    .where('customer_id', '=', customerId)
    .orderBy('judgment_date')
    .orderBy('publication_date')
    .execute();
}
