import type { FastifyInstance } from 'fastify';
import type { Insertable, Kysely } from 'kysely';
import pino from 'pino';
import { buildServer } from '../../../src/api/server.js';
import { loadConfig } from '../../../src/config.js';
import type { DbHandle } from '../../../src/db/connection.js';
import { refreshBalances } from '../../../src/db/queries/balances.js';
import type { Organisation } from '../../../src/db/queries/organisations.js';
import type { CustomersTable, Database, InvoicesTable, Role } from '../../../src/db/schema/index.js';
import { addDays } from '../../../src/domain/calendar/index.js';
import { createApiKey } from '../../../src/services/api-keys/create-api-key.js';
import { createOrganisation } from '../../../src/services/organisations/create-organisation.js';

/** Fixed "now" for API tests: 2026-03-15 at noon in Paris. */
export const NOW = new Date('2026-03-15T11:00:00Z');
export const TODAY = '2026-03-15';

export async function testServer(
  handle: DbHandle,
  now: Date = NOW,
  env: Record<string, string> = {},
): Promise<FastifyInstance> {
  const app = await buildServer({
    handle,
    config: loadConfig({ LOG_LEVEL: 'silent', ...env }),
    log: pino({ level: 'silent' }),
    now: () => now,
  });
  await app.ready();
  return app;
}

export interface OrgFixture {
  org: Organisation;
  token: string;
  auth: { authorization: string };
}

export async function orgWithKey(
  db: Kysely<Database>,
  name: string,
  role: Role = 'admin',
): Promise<OrgFixture> {
  const org = await createOrganisation(db, { name });
  const { token } = await createApiKey(db, org.id, { name: `${name} key`, role });
  return { org, token, auth: { authorization: `Bearer ${token}` } };
}

export async function keyFor(db: Kysely<Database>, orgId: string, role: Role): Promise<string> {
  return (await createApiKey(db, orgId, { name: `${role} key`, role })).token;
}

type CustomerOverrides = Partial<Omit<Insertable<CustomersTable>, 'org_id'>>;

/** n customers in one statement; `each(i)` customises row i. */
export async function makeCustomers(
  db: Kysely<Database>,
  orgId: string,
  n: number,
  each: (i: number) => CustomerOverrides = () => ({}),
) {
  const rows = Array.from({ length: n }, (_, i) => ({
    org_id: orgId,
    external_ref: `C${String(i + 1).padStart(5, '0')}`,
    name: `Client ${String(i + 1).padStart(5, '0')} SARL`,
    ...each(i),
  }));
  return db.insertInto('customers').values(rows).returningAll().execute();
}

type InvoiceOverrides = Partial<Omit<Insertable<InvoicesTable>, 'org_id'>>;

/** n invoices in one statement, then balances derived the one official way. */
export async function makeInvoices(
  db: Kysely<Database>,
  orgId: string,
  customerIds: string[],
  n: number,
  each: (i: number) => InvoiceOverrides = () => ({}),
) {
  const rows = Array.from({ length: n }, (_, i) => {
    const issue = addDays('2026-01-01', i % 60);
    const o = each(i);
    return {
      org_id: orgId,
      customer_id: customerIds[i % customerIds.length] as string,
      invoice_number: `F2026-${String(i + 1).padStart(5, '0')}`,
      issue_date: issue,
      due_date: addDays(issue, 30),
      currency: 'EUR',
      gross_minor: 10_000 + ((i * 7919) % 50) * 1_000,
      ...o,
    };
  });
  const inserted = await db.insertInto('invoices').values(rows).returning('id').execute();
  await refreshBalances(db, orgId, { all: true });
  const ids = inserted.map((r) => r.id);
  return db.selectFrom('invoices').selectAll().where('org_id', '=', orgId).where('id', 'in', ids).execute();
}

/** A payment allocated to invoices ({invoiceId: amount}); the rest stays unallocated. */
export async function makePayment(
  db: Kysely<Database>,
  orgId: string,
  customerId: string,
  amount: number,
  allocations: Record<string, number>,
  reference = `PAY-${Math.random().toString(36).slice(2, 10)}`,
) {
  const p = await db
    .insertInto('payments')
    .values({
      org_id: orgId,
      customer_id: customerId,
      payment_reference: reference,
      received_on: '2026-03-01',
      currency: 'EUR',
      amount_minor: amount,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  const rows = Object.entries(allocations).map(([invoiceId, a]) => ({
    org_id: orgId,
    invoice_id: invoiceId,
    payment_id: p.id,
    amount_minor: a,
  }));
  if (rows.length > 0) await db.insertInto('allocations').values(rows).execute();
  await refreshBalances(db, orgId, { customerIds: [customerId] });
  return p;
}

export function bearer(token: string) {
  return { authorization: `Bearer ${token}` };
}
