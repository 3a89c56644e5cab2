import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { withOrg } from '../../../src/db/connection.js';
import { listEvidence } from '../../../src/db/queries/evidence.js';
import { addDays } from '../../../src/domain/calendar/index.js';
import { createPortalLink } from '../../../src/services/portal/create-portal-link.js';
import { createTestDb, describeEngines, type TestDb } from '../../helpers/db.js';
import { plain, readPdf } from '../../unit/channels/pdf-text.js';
import { makeCustomers, makeInvoices, NOW, orgWithKey, TODAY, testServer } from '../api/factories.js';

const BASE = 'https://pay.example.com';

interface Plan {
  id: string;
  status: string;
  currency: string;
  totalMinor: number;
  acceptedAt: string | null;
  instalments: { seq: number; dueDate: string; amountMinor: number }[];
}

describeEngines('portal payment plans and documents', (engine) => {
  let t: TestDb;
  let app: FastifyInstance;
  let orgId: string;
  let customers: { id: string; name: string }[];
  let invoices: { id: string; customer_id: string; balance_minor: number; invoice_number: string }[];

  const tokenFor = async (customerId: string) =>
    (
      await withOrg(t.db, orgId, (trx) =>
        createPortalLink(trx, orgId, { customerId }, { baseUrl: BASE, now: NOW }),
      )
    ).url.slice(`${BASE}/portal/`.length);
  const owedBy = (customerId: string) =>
    invoices.filter((i) => i.customer_id === customerId).reduce((s, i) => s + i.balance_minor, 0);

  beforeAll(async () => {
    t = await createTestDb(engine);
    app = await testServer(t);
    orgId = (await orgWithKey(t.db, 'Gamma Fournitures SAS')).org.id;
    await t.db
      .updateTable('organisations')
      .set({
        iban: 'FR7630006000011234567890189',
        siren: '732829320',
        // Auto-accept up to 6 instalments; a collector may agree up to 12.
        settings: JSON.stringify({
          portal: {
            paymentPlan: { maxInstalments: 6, minInstalmentMinor: 1_000 },
            paymentPlanLimits: { maxInstalments: 12 },
          },
        }),
      })
      .where('id', '=', orgId)
      .execute();
    customers = await makeCustomers(t.db, orgId, 3);
    invoices = await makeInvoices(
      t.db,
      orgId,
      customers.map((c) => c.id),
      9,
    );
  });
  afterAll(async () => {
    await app?.close();
    await t?.drop();
  });

  it('proposes a plan within the rules; accepting it activates it, stores the agreement and records the acknowledgment', async () => {
    const c = customers[0] as (typeof customers)[number];
    const token = await tokenFor(c.id);
    const r = await app.inject({
      method: 'POST',
      url: `/portal-api/${token}/payment-plan`,
      payload: { instalments: 3, firstDate: addDays(TODAY, 10) },
    });
    expect(r.statusCode, r.body).toBe(200);
    const plan = (r.json() as { plan: Plan }).plan;
    expect(plan.status).toBe('proposed');
    expect(plan.totalMinor).toBe(owedBy(c.id));
    expect(plan.instalments.map((i) => i.seq)).toEqual([1, 2, 3]);
    expect(plan.instalments.map((i) => i.dueDate)).toEqual([addDays(TODAY, 10), '2026-04-25', '2026-05-25']);
    expect(plan.instalments.reduce((s, i) => s + i.amountMinor, 0)).toBe(plan.totalMinor);

    // No document before acceptance.
    expect(
      (await app.inject({ method: 'GET', url: `/portal-api/${token}/payment-plans/${plan.id}.pdf` }))
        .statusCode,
    ).toBe(404);
    const refused = await app.inject({
      method: 'POST',
      url: `/portal-api/${token}/payment-plans/${plan.id}/accept`,
      payload: { acceptTerms: false, name: 'Jeanne Martin' },
    });
    expect(refused.statusCode).toBe(400);

    const acc = await app.inject({
      method: 'POST',
      url: `/portal-api/${token}/payment-plans/${plan.id}/accept`,
      payload: { acceptTerms: true, name: 'Jeanne Martin' },
      headers: { 'user-agent': 'test-browser/1.0' },
    });
    expect(acc.statusCode, acc.body).toBe(200);
    const accepted = acc.json() as { plan: Plan; documentSha256: string };
    expect(accepted.plan.status).toBe('active');
    expect(accepted.plan.acceptedAt).toBe(NOW.toISOString());

    const again = await app.inject({
      method: 'POST',
      url: `/portal-api/${token}/payment-plans/${plan.id}/accept`,
      payload: { acceptTerms: true, name: 'Jeanne Martin' },
    });
    expect(again.statusCode).toBe(409);

    const pdf = await app.inject({ method: 'GET', url: `/portal-api/${token}/payment-plans/${plan.id}.pdf` });
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    const sha = createHash('sha256').update(pdf.rawPayload).digest('hex');
    expect(sha).toBe(accepted.documentSha256);
    const text = plain((await readPdf(pdf.rawPayload)).text.join('\n'));
    expect(text).toContain('Reconnaissance de dette');
    expect(text).toContain('Jeanne Martin');
    expect(text).toContain(c.name);
    for (const inv of invoices.filter((i) => i.customer_id === c.id))
      expect(text).toContain(inv.invoice_number);

    const evidence = await withOrg(t.db, orgId, (trx) => listEvidence(trx, orgId, c.id));
    const ack = evidence.find((e) => e.kind === 'payment_plan' && e.payload.acknowledgmentOfDebt === true);
    expect(ack?.contentSha256).toBe(sha);
    expect(ack?.at).toBe(NOW.toISOString());
    expect(ack?.payload.acceptedName).toBe('Jeanne Martin');
    expect(ack?.payload.userAgent).toBe('test-browser/1.0');

    const list = await app.inject({ method: 'GET', url: `/portal-api/${token}/payment-plans` });
    expect(list.statusCode).toBe(200);
    const plans = (list.json() as { plans: Plan[] }).plans;
    expect(plans.map((p) => [p.id, p.status])).toEqual([[plan.id, 'active']]);

    // One running plan at a time.
    const second = await app.inject({
      method: 'POST',
      url: `/portal-api/${token}/payment-plan`,
      payload: { instalments: 2, firstDate: addDays(TODAY, 3) },
    });
    expect(second.statusCode).toBe(409);
  });

  it('sends a plan beyond auto-accept but within the limits for approval, and refuses one beyond the limits', async () => {
    const c = customers[1] as (typeof customers)[number];
    const token = await tokenFor(c.id);
    const url = `/portal-api/${token}/payment-plan`;
    const wide = await app.inject({
      method: 'POST',
      url,
      payload: { instalments: 9, firstDate: addDays(TODAY, 1) },
    });
    expect(wide.statusCode, wide.body).toBe(200);
    const plan = (wide.json() as { plan: Plan }).plan;
    expect(plan.status).toBe('pending_approval');
    const tasks = await t.db.selectFrom('tasks').selectAll().where('customer_id', '=', c.id).execute();
    expect(tasks.map((x) => (x.detail as { planId?: string }).planId)).toContain(plan.id);
    const acc = await app.inject({
      method: 'POST',
      url: `/portal-api/${token}/payment-plans/${plan.id}/accept`,
      payload: { acceptTerms: true, name: 'Paul Durand' },
    });
    expect(acc.statusCode).toBe(409);

    const beyond = await app.inject({
      method: 'POST',
      url,
      payload: { instalments: 13, firstDate: addDays(TODAY, 1) },
    });
    expect(beyond.statusCode).toBe(422);
    const p = beyond.json() as { rules: string[]; nearestPlan: { instalments: number } };
    expect(p.rules).toContain('max_instalments');
    expect(p.nearestPlan.instalments).toBeLessThanOrEqual(6);
  });

  it("serves another customer's plan, invoice or document to nobody", async () => {
    const [a, b] = customers as [(typeof customers)[number], (typeof customers)[number]];
    const plan = await t.db
      .selectFrom('payment_plans')
      .select('id')
      .where('customer_id', '=', a.id)
      .executeTakeFirstOrThrow();
    const tokenB = await tokenFor(b.id);
    const foreignInvoice = invoices.find((i) => i.customer_id === a.id)?.id;
    for (const url of [
      `/portal-api/${tokenB}/payment-plans/${plan.id}.pdf`,
      `/portal-api/${tokenB}/invoices/${foreignInvoice}.pdf`,
    ])
      expect((await app.inject({ method: 'GET', url })).statusCode, url).toBe(404);
    const acc = await app.inject({
      method: 'POST',
      url: `/portal-api/${tokenB}/payment-plans/${plan.id}/accept`,
      payload: { acceptTerms: true, name: 'Intrus' },
    });
    expect(acc.statusCode).toBe(404);
  });

  it('downloads a generated invoice summary, the stored invoice PDF when there is one, and a statement', async () => {
    const c = customers[2] as (typeof customers)[number];
    const token = await tokenFor(c.id);
    const mine = invoices.filter((i) => i.customer_id === c.id);
    const first = mine[0] as (typeof mine)[number];
    const gen = await app.inject({ method: 'GET', url: `/portal-api/${token}/invoices/${first.id}.pdf` });
    expect(gen.statusCode).toBe(200);
    expect(gen.headers['x-relance-document']).toBe('generated');
    const genText = plain((await readPdf(gen.rawPayload)).text.join('\n'));
    expect(genText).toContain(first.invoice_number);
    expect(genText).toContain('Solde dû');

    const stored = Buffer.from('%PDF-1.4\n% the original invoice\n');
    await t.db
      .insertInto('documents')
      .values({
        org_id: orgId,
        customer_id: c.id,
        invoice_id: first.id,
        kind: 'invoice',
        filename: `${first.invoice_number}.pdf`,
        mime_type: 'application/pdf',
        size_bytes: stored.length,
        sha256: createHash('sha256').update(stored).digest('hex'),
        content: stored,
      })
      .execute();
    const got = await app.inject({ method: 'GET', url: `/portal-api/${token}/invoices/${first.id}.pdf` });
    expect(got.headers['x-relance-document']).toBe('stored');
    expect(Buffer.compare(got.rawPayload, stored)).toBe(0);

    const st = await app.inject({ method: 'GET', url: `/portal-api/${token}/statement.pdf` });
    expect(st.statusCode).toBe(200);
    expect(st.headers['cache-control']).toBe('no-store');
    const stText = plain((await readPdf(st.rawPayload)).text.join('\n'));
    expect(stText).toContain('Relevé de compte au 15/03/2026');
    for (const i of mine) expect(stText).toContain(i.invoice_number);
    expect(stText).toContain('Total restant dû');
  });
});
