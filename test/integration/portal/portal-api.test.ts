import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { withOrg } from '../../../src/db/connection.js';
import { listEvidence } from '../../../src/db/queries/evidence.js';
import { findPortalReference } from '../../../src/db/queries/portal.js';
import { addDays } from '../../../src/domain/calendar/index.js';
import { isValidCreditorReference, parseEpcPayload } from '../../../src/domain/sepa/index.js';
import { planDunningRun } from '../../../src/services/dunning/plan-dunning-run.js';
import { computeInvoicePenalties } from '../../../src/services/law/invoice-penalties.js';
import {
  createPortalLink,
  revokeCustomerPortalLinks,
} from '../../../src/services/portal/create-portal-link.js';
import { PORTAL_LINK_INVALID } from '../../../src/services/portal/portal-access.js';
import { createTestDb, describeEngines, type TestDb } from '../../helpers/db.js';
import { fileUpload } from '../../helpers/upload.js';
import { makeCustomers, makeInvoices, NOW, orgWithKey, TODAY, testServer } from '../api/factories.js';

const IBAN = 'FR7630006000011234567890189';
const BASE = 'https://pay.example.com';

interface Summary {
  customer: { name: string; reference: string; language: string };
  items: {
    invoiceId: string;
    invoiceNumber: string;
    daysLate: number;
    balanceDue: { amount: number };
    disputed: boolean;
    penalties: { amount: number; currency: string } | null;
    indemnity: { amount: number; currency: string } | null;
  }[];
  balances: { amount: number; currency: string }[];
  transfer: {
    iban: string;
    reference: string;
    epcPayload: string;
    qrSvg: string;
    amount: { amount: number } | null;
  } | null;
  firstView: boolean;
}

describeEngines('debtor portal API', (engine) => {
  let t: TestDb;
  let app: FastifyInstance;
  let orgId: string;
  let otherOrgId: string;
  let customers: { id: string; external_ref: string; name: string }[];
  let invoicesOf: Map<string, { id: string; invoice_number: string; balance_minor: number }[]>;

  const link = async (customerId: string, opts: { days?: number; now?: Date; org?: string } = {}) =>
    withOrg(t.db, opts.org ?? orgId, (trx) =>
      createPortalLink(
        trx,
        opts.org ?? orgId,
        { customerId },
        { baseUrl: BASE, now: opts.now ?? NOW, ...opts },
      ),
    );
  const tokenOf = (url: string) => url.slice(`${BASE}/portal/`.length);
  const summary = (token: string) => app.inject({ method: 'GET', url: `/portal-api/${token}/summary` });
  const plannedFor = async (customerId: string, now = NOW) => {
    const run = await planDunningRun(t.db, orgId, {
      now,
      dryRun: true,
      collectPlans: true,
      customerIds: [customerId],
    });
    const plan = run.plans.find((p) => p.plan.customerId === customerId)?.plan;
    return {
      excluded: new Map((plan?.excluded ?? []).map((e) => [e.invoiceId, e.reason])),
      // Planned today or postponed (NOW is a Sunday): either way the item would be reminded.
      actioned: new Set(
        [...(plan?.actions ?? []), ...(plan?.postponed ?? []).map((p) => p.action)].flatMap((a) =>
          a.items.map((i) => i.invoiceId),
        ),
      ),
    };
  };

  beforeAll(async () => {
    t = await createTestDb(engine);
    app = await testServer(t);
    const a = await orgWithKey(t.db, 'Alpha Négoce SAS');
    orgId = a.org.id;
    await t.db
      .updateTable('organisations')
      .set({ iban: IBAN, bic: 'BDFEFRPP' })
      .where('id', '=', orgId)
      .execute();
    otherOrgId = (await orgWithKey(t.db, 'Beta SARL')).org.id;
    customers = await makeCustomers(t.db, orgId, 4);
    await t.db
      .insertInto('contacts')
      .values(
        customers.map((c) => ({
          org_id: orgId,
          customer_id: c.id,
          email: `${c.external_ref}@client.example`,
          is_primary: true,
        })),
      )
      .execute();
    const invoices = await makeInvoices(
      t.db,
      orgId,
      customers.map((c) => c.id),
      12,
    );
    invoicesOf = new Map(customers.map((c) => [c.id, invoices.filter((i) => i.customer_id === c.id)]));
  });
  afterAll(async () => {
    await app?.close();
    await t?.drop();
  });

  it('shows the open items, a valid RF reference and a parsable EPC payload, and records the visit', async () => {
    const c = customers[0] as (typeof customers)[number];
    const l = await link(c.id);
    expect(l.url.startsWith(`${BASE}/portal/`)).toBe(true);
    const r = await summary(tokenOf(l.url));
    expect(r.statusCode, r.body).toBe(200);
    expect(r.headers['cache-control']).toBe('no-store');
    const s = r.json() as Summary;
    const mine = invoicesOf.get(c.id) ?? [];
    expect(s.customer.name).toBe(c.name);
    expect(s.items.map((i) => i.invoiceId).sort()).toEqual(mine.map((i) => i.id).sort());
    expect(s.items.every((i) => i.daysLate > 0)).toBe(true);
    // Penalties to date come from the law engine, the same figures as its own statement.
    for (const item of s.items) {
      const st = await computeInvoicePenalties(t.db, orgId, item.invoiceId, TODAY);
      expect(st.totals.interestOutstanding.amount).toBeGreaterThan(0);
      expect(item.penalties).toEqual(expect.objectContaining(st.totals.interestOutstanding));
      expect(item.indemnity).toEqual(expect.objectContaining({ amount: 4000, currency: 'EUR' }));
    }
    const total = mine.reduce((sum, i) => sum + i.balance_minor, 0);
    expect(s.balances).toEqual([expect.objectContaining({ amount: total, currency: 'EUR' })]);
    const transfer = s.transfer;
    if (!transfer) throw new Error('no transfer instructions');
    expect(isValidCreditorReference(transfer.reference)).toBe(true);
    const epc = parseEpcPayload(transfer.epcPayload);
    expect(epc.iban).toBe(IBAN);
    expect(epc.amount).toEqual({ amount: total, currency: 'EUR' });
    expect(epc.structuredReference).toBe(transfer.reference);
    expect(transfer.qrSvg).toContain('<svg');
    expect(s.firstView).toBe(true);
    const ref = await withOrg(t.db, orgId, (trx) => findPortalReference(trx, orgId, transfer.reference));
    expect(ref?.customer_id).toBe(c.id);

    const again = (await summary(tokenOf(l.url))).json() as Summary;
    expect(again.firstView).toBe(false);
    const visits = (await withOrg(t.db, orgId, (trx) => listEvidence(trx, orgId, c.id))).filter(
      (e) => e.summary === 'portal viewed',
    );
    expect(visits.map((v) => v.payload.firstView)).toEqual([true, false]);
    expect(visits[0]?.payload.evidenceOf).toBe('reminder_read');
    const row = await t.db
      .selectFrom('portal_links')
      .selectAll()
      .where('id', '=', l.id)
      .executeTakeFirstOrThrow();
    expect(row.view_count).toBe(2);
    expect(row.first_viewed_at).not.toBeNull();
  });

  it('refuses tampered, forged, expired, revoked and foreign tokens with one identical answer', async () => {
    const c = customers[1] as (typeof customers)[number];
    const good = tokenOf((await link(c.id)).url);
    const [payload, sig] = good.split('.') as [string, string];
    const tampered = `${payload}.${sig.slice(0, -2)}${sig.endsWith('AA') ? 'BB' : 'AA'}`;
    const forged = `${payload.slice(0, 30)}${payload[30] === 'x' ? 'y' : 'x'}${payload.slice(31)}.${sig}`;
    const expired = tokenOf(
      (await link(c.id, { days: 1, now: new Date(NOW.getTime() - 2 * 86_400_000) })).url,
    );
    const revokedCustomer = customers[3] as (typeof customers)[number];
    const revoked = tokenOf((await link(revokedCustomer.id)).url);
    expect((await summary(revoked)).statusCode).toBe(200);
    await withOrg(t.db, orgId, (trx) => revokeCustomerPortalLinks(trx, orgId, revokedCustomer.id, NOW));
    // A genuine token of another organisation, with its org id swapped for ours: signature fails.
    const foreignCustomer = (await makeCustomers(t.db, otherOrgId, 1))[0] as { id: string };
    const foreign = tokenOf((await link(foreignCustomer.id, { org: otherOrgId })).url);
    const bodies = new Set<string>();
    for (const bad of [tampered, forged, expired, revoked, 'not-a-token', `${payload}.${sig}x`]) {
      const r = await summary(bad);
      expect(r.statusCode, bad).toBe(404);
      const p = r.json() as { detail: string; code: string; instance?: string };
      expect(p.detail).toBe(PORTAL_LINK_INVALID);
      bodies.add(JSON.stringify({ ...p, instance: undefined }));
    }
    expect(bodies.size).toBe(1);
    // The foreign token is genuine for its own organisation and shows only its own customer.
    const f = await summary(foreign);
    expect(f.statusCode).toBe(200);
    expect((f.json() as Summary).items).toEqual([]);
    // A valid link cannot reach another customer's invoice either, and gets the same answer.
    const other = (invoicesOf.get(customers[0]?.id as string) ?? [])[0] as { id: string };
    const d = await app.inject({
      method: 'POST',
      url: `/portal-api/${good}/invoices/${other.id}/dispute`,
      payload: { reasonCode: 'quality' },
    });
    expect(d.statusCode).toBe(404);
    expect((d.json() as { detail: string }).detail).toBe(PORTAL_LINK_INVALID);
    const inv = await t.db
      .selectFrom('invoices')
      .select('disputed')
      .where('id', '=', other.id)
      .executeTakeFirstOrThrow();
    expect(inv.disputed).toBe(false);
  });

  it('disputing an invoice flags it, creates a task and evidence, and the planner stops reminding it', async () => {
    const c = customers[2] as (typeof customers)[number];
    const [target, kept] = invoicesOf.get(c.id) ?? [];
    if (!target || !kept) throw new Error('fixture needs two invoices');
    const before = await plannedFor(c.id);
    expect(before.excluded.has(target.id)).toBe(false);
    expect(before.actioned.has(target.id)).toBe(true);

    const token = tokenOf((await link(c.id)).url);
    const r = await app.inject({
      method: 'POST',
      url: `/portal-api/${token}/invoices/${target.id}/dispute`,
      payload: { reasonCode: 'not_received', comment: 'Jamais reçu <b>rien</b>' },
    });
    expect(r.statusCode, r.body).toBe(201);
    const inv = await t.db
      .selectFrom('invoices')
      .selectAll()
      .where('id', '=', target.id)
      .executeTakeFirstOrThrow();
    expect(inv.disputed).toBe(true);
    expect(inv.status).toBe('disputed');
    const tasks = await t.db.selectFrom('tasks').selectAll().where('invoice_id', '=', target.id).execute();
    expect(tasks.map((x) => x.kind)).toEqual(['dispute']);
    const evidence = await withOrg(t.db, orgId, (trx) => listEvidence(trx, orgId, c.id));
    expect(evidence.filter((e) => e.kind === 'dispute').map((e) => e.payload.comment)).toEqual([
      'Jamais reçu <b>rien</b>',
    ]);

    const after = await plannedFor(c.id);
    expect(after.excluded.get(target.id)).toBe('disputed');
    expect(after.actioned.has(target.id)).toBe(false);
    expect(after.excluded.has(kept.id)).toBe(false);

    const disputeId = (r.json() as { disputeId: string }).disputeId;
    const pdf = Buffer.from('%PDF-1.4\n% bon de livraison\n%%EOF\n');
    const att = await app.inject({
      method: 'POST',
      url: `/portal-api/${token}/disputes/${disputeId}/attachment`,
      ...fileUpload({ name: 'bl.pdf', type: 'application/pdf', content: pdf }),
    });
    expect(att.statusCode, att.body).toBe(201);
    const { sha256 } = att.json() as { sha256: string };
    expect(sha256).toBe(createHash('sha256').update(pdf).digest('hex'));
    const withFile = await withOrg(t.db, orgId, (trx) => listEvidence(trx, orgId, c.id));
    expect(withFile.at(-1)?.contentSha256).toBe(sha256);
    const exe = await app.inject({
      method: 'POST',
      url: `/portal-api/${token}/disputes/${disputeId}/attachment`,
      ...fileUpload({ name: 'x.html', type: 'text/html', content: Buffer.from('<script>') }),
    });
    expect(exe.statusCode).toBe(400);
    expect((exe.json() as { errors: { field: string }[] }).errors[0]?.field).toBe('file');

    const twice = await app.inject({
      method: 'POST',
      url: `/portal-api/${token}/invoices/${target.id}/dispute`,
      payload: { reasonCode: 'not_received' },
    });
    expect(twice.statusCode).toBe(200);
    expect(
      await t.db.selectFrom('disputes').select('id').where('invoice_id', '=', target.id).execute(),
    ).toHaveLength(1);

    const bad = await app.inject({
      method: 'POST',
      url: `/portal-api/${token}/invoices/${kept.id}/dispute`,
      payload: { reasonCode: 'because', comment: 'x'.repeat(2001) },
    });
    expect(bad.statusCode).toBe(400);
    const fields = (bad.json() as { errors: { field: string }[] }).errors.map((e) => e.field).sort();
    expect(fields).toEqual(['comment', 'reasonCode']);
  });

  it('a promise pauses the promised items until the date plus grace, then resumes them', async () => {
    const c = customers[3] as (typeof customers)[number];
    // Revoked in the previous test: a fresh link works again.
    const token = tokenOf((await link(c.id)).url);
    const [promised, other] = invoicesOf.get(c.id) ?? [];
    if (!promised || !other) throw new Error('fixture needs two invoices');
    const promisedDate = addDays(TODAY, 10);
    const r = await app.inject({
      method: 'POST',
      url: `/portal-api/${token}/promise`,
      payload: { invoiceIds: [promised.id], promisedDate },
    });
    expect(r.statusCode, r.body).toBe(201);
    expect(r.json()).toMatchObject({ promisedDate, graceDays: 3, resumesOn: addDays(promisedDate, 4) });

    const during = await plannedFor(c.id, new Date(NOW.getTime() + 13 * 86_400_000));
    expect(during.excluded.get(promised.id)).toBe('promise_to_pay');
    expect(during.excluded.has(other.id)).toBe(false);
    const afterGrace = await plannedFor(c.id, new Date(NOW.getTime() + 14 * 86_400_000));
    expect(afterGrace.excluded.has(promised.id)).toBe(false);
  });

  it('refuses a promise beyond the maximum or in the past, naming the field and the rule', async () => {
    const c = customers[0] as (typeof customers)[number];
    const token = tokenOf((await link(c.id)).url);
    const far = await app.inject({
      method: 'POST',
      url: `/portal-api/${token}/promise`,
      payload: { promisedDate: addDays(TODAY, 31) },
    });
    expect(far.statusCode).toBe(422);
    const p = far.json() as { rule: string; latestDate: string; errors: { field: string; reason: string }[] };
    expect(p.rule).toBe('max_days');
    expect(p.latestDate).toBe(addDays(TODAY, 30));
    expect(p.errors[0]?.field).toBe('promisedDate');
    const past = await app.inject({
      method: 'POST',
      url: `/portal-api/${token}/promise`,
      payload: { promisedDate: addDays(TODAY, -1) },
    });
    expect(past.statusCode).toBe(422);
    expect((past.json() as { rule: string }).rule).toBe('not_in_past');
    const rows = await t.db
      .selectFrom('promises_to_pay')
      .select('id')
      .where('customer_id', '=', c.id)
      .execute();
    expect(rows).toHaveLength(0);
  });

  it('refuses a payment plan outside the rules with the nearest plan, which is then proposed', async () => {
    const c = customers[1] as (typeof customers)[number];
    const token = tokenOf((await link(c.id)).url);
    const url = `/portal-api/${token}/payment-plan`;
    const owed = (invoicesOf.get(c.id) ?? []).reduce((s, i) => s + i.balance_minor, 0);
    const bad = await app.inject({
      method: 'POST',
      url,
      payload: { instalments: 24, firstDate: addDays(TODAY, 5) },
    });
    expect(bad.statusCode, bad.body).toBe(422);
    const p = bad.json() as {
      rules: string[];
      errors: { field: string }[];
      nearestPlan: { instalments: number; firstDate: string; schedule: { amount: { amount: number } }[] };
    };
    expect(p.rules).toContain('max_instalments');
    expect(p.errors.map((e) => e.field)).toContain('instalments');
    expect(p.nearestPlan.instalments).toBeLessThanOrEqual(12);
    expect(p.nearestPlan.schedule.reduce((s, x) => s + x.amount.amount, 0)).toBe(owed);
    expect(
      await t.db
        .selectFrom('tasks')
        .select('id')
        .where('customer_id', '=', c.id)
        .where('kind', '=', 'follow_up')
        .execute(),
    ).toHaveLength(0);

    const ok = await app.inject({
      method: 'POST',
      url,
      payload: { instalments: p.nearestPlan.instalments, firstDate: p.nearestPlan.firstDate },
    });
    expect(ok.statusCode, ok.body).toBe(200);
    const body = ok.json() as { plan: { status: string; instalments: { amountMinor: number }[] } };
    // The nearest plan is within the auto-accept rules: offered at once, no collector needed.
    expect(body.plan.status).toBe('proposed');
    expect(body.plan.instalments.reduce((s, x) => s + x.amountMinor, 0)).toBe(owed);
    const tasks = await t.db
      .selectFrom('tasks')
      .selectAll()
      .where('customer_id', '=', c.id)
      .where('kind', '=', 'follow_up')
      .execute();
    expect(tasks).toHaveLength(0);
  });

  it('documents the portal routes in OpenAPI as needing no API key', async () => {
    const doc = (await app.inject({ method: 'GET', url: '/docs/json' })).json() as {
      paths: Record<string, Record<string, { security?: unknown[] }>>;
    };
    const portalPaths = Object.keys(doc.paths).filter((p) => p.startsWith('/portal-api/'));
    expect(portalPaths.sort()).toEqual([
      '/portal-api/{token}/checkout',
      '/portal-api/{token}/disputes/{disputeId}/attachment',
      '/portal-api/{token}/invoices/{invoiceId}.pdf',
      '/portal-api/{token}/invoices/{invoiceId}/dispute',
      '/portal-api/{token}/logo',
      '/portal-api/{token}/payment-plan',
      '/portal-api/{token}/payment-plans',
      '/portal-api/{token}/payment-plans/{planId}.pdf',
      '/portal-api/{token}/payment-plans/{planId}/accept',
      '/portal-api/{token}/promise',
      '/portal-api/{token}/statement.pdf',
      '/portal-api/{token}/summary',
    ]);
    for (const p of portalPaths)
      for (const op of Object.values(doc.paths[p] ?? {})) expect(op.security).toEqual([]);
  });

  it('rate-limits one token from one address', async () => {
    const codes: number[] = [];
    for (let i = 0; i < 61; i++) codes.push((await summary('rate-limit-probe')).statusCode);
    expect(codes.slice(0, 60).every((s) => s === 404)).toBe(true);
    expect(codes[60]).toBe(429);
  });
});
