import type { FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LetterChannel } from '../../../src/channels/letter/letter-channel.js';
import { FR_B2B_STANDARD } from '../../../src/domain/dunning/index.js';
import { planDunningRun } from '../../../src/services/dunning/plan-dunning-run.js';
import { runDunning } from '../../../src/services/dunning/run-dunning.js';
import { createTestDb, describeEngines, type TestDb } from '../../helpers/db.js';
import { seedStepsSent, seedStepsSentForOverdue } from '../../helpers/dunning-history.js';
import { keyFor, makeCustomers, makeInvoices, type OrgFixture, orgWithKey, testServer } from './factories.js';

/** Monday 16 March 2026, 11:00 in Paris (the factories' NOW is a Sunday: nothing is sent). */
const MONDAY = new Date('2026-03-16T10:00:00Z');

describeEngines('dunning policies through the API: versions, assignment, preview', (engine) => {
  let t: TestDb;
  let app: FastifyInstance;
  let a: OrgFixture;
  let viewer: { authorization: string };
  let customerId: string;
  let otherCustomerId: string;

  const edit = (steps = FR_B2B_STANDARD.steps) => ({
    name: 'B2B maison',
    kind: 'b2b',
    automaticSends: true,
    replayMissedSteps: false,
    steps,
  });

  beforeAll(async () => {
    t = await createTestDb(engine);
    app = await testServer(t, MONDAY);
    a = await orgWithKey(t.db, 'Politiques SA');
    viewer = { authorization: `Bearer ${await keyFor(t.db, a.org.id, 'viewer')}` };
    const cs = await makeCustomers(t.db, a.org.id, 2, () => ({
      address_line1: '1 rue Test',
      postal_code: '69001',
      city: 'Lyon',
    }));
    customerId = (cs[0] as { id: string }).id;
    otherCustomerId = (cs[1] as { id: string }).id;
    // Due 5 March: 11 days late on 16 March — the first reminder (J+7) is due.
    await makeInvoices(t.db, a.org.id, [customerId, otherCustomerId], 2, (i) => ({
      customer_id: i === 0 ? customerId : otherCustomerId,
      invoice_number: `F-POL-${i + 1}`,
      due_date: '2026-03-05',
      issue_date: '2026-02-05',
    }));
  });
  afterAll(async () => {
    await app.close();
    await t.drop();
  });

  it('documents the new routes in the OpenAPI document', async () => {
    const doc = (await app.inject({ method: 'GET', url: '/docs/json' })).json();
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/dunning/policies',
        '/api/v1/dunning/policies/{id}',
        '/api/v1/dunning/policies/{id}/preview',
        '/api/v1/dunning/policy-rules',
        '/api/v1/customers/{id}/dunning-policy',
        '/api/v1/dunning/settings',
        '/api/v1/dunning/approvals',
        '/api/v1/dunning/approvals/approve',
        '/api/v1/dunning/approvals/hold',
      ]),
    );
  });

  describe('versions', () => {
    it('lists the default policies with their versions and reads one by id', async () => {
      const res = await app.inject({ method: 'GET', url: '/api/v1/dunning/policies', headers: viewer });
      expect(res.statusCode).toBe(200);
      const keys = res.json().items.map((p: { key: string }) => p.key);
      expect(keys).toEqual(['FR-B2B-standard', 'FR-B2C-standard', 'FR-conciliatory']);
      const one = await app.inject({
        method: 'GET',
        url: `/api/v1/dunning/policies/${FR_B2B_STANDARD.id}`,
        headers: viewer,
      });
      expect(one.json()).toMatchObject({
        key: 'FR-B2B-standard',
        version: 1,
        latestVersion: 1,
        isDefault: true,
      });
      expect(one.json().steps.map((s: { offsetDays: number }) => s.offsetDays)).toEqual([-5, 7, 15, 30, 45]);
    });

    it('plans with v1, then an edit saves v2 with a new id and leaves v1 and its planned actions untouched', async () => {
      // A run planned (not delivered) with v1.
      await runDunning(t.db, a.org.id, { at: MONDAY, dryRun: false });
      const steps = FR_B2B_STANDARD.steps.map((s) =>
        s.key === 'first_reminder' ? { ...s, offsetDays: 12 } : s,
      );
      const res = await app.inject({
        method: 'PUT',
        url: `/api/v1/dunning/policies/${FR_B2B_STANDARD.id}`,
        headers: a.auth,
        payload: edit(steps),
      });
      expect(res.statusCode).toBe(201);
      const v2 = res.json();
      expect(v2).toMatchObject({ key: 'FR-B2B-standard', version: 2, name: 'B2B maison', isDefault: false });
      expect(v2.id).not.toBe(FR_B2B_STANDARD.id);
      expect(v2.createdBy).toMatch(/^api-key:/);
      expect(v2.steps[1].offsetDays).toBe(12);

      const v1 = await app.inject({
        method: 'GET',
        url: `/api/v1/dunning/policies/${FR_B2B_STANDARD.id}`,
        headers: a.auth,
      });
      expect(v1.json()).toMatchObject({ version: 1, latestVersion: 2, name: FR_B2B_STANDARD.name });
      expect(v1.json().steps[1].offsetDays).toBe(7);

      const rows = await t.db
        .selectFrom('dunning_actions')
        .select(['policy_id', 'policy_version', 'step_key'])
        .where('org_id', '=', a.org.id)
        .execute();
      expect(rows.length).toBeGreaterThan(0);
      expect(rows.every((r) => r.policy_id === FR_B2B_STANDARD.id && r.policy_version === 1)).toBe(true);

      // The next plan uses v2.
      const next = await planDunningRun(t.db, a.org.id, { now: MONDAY, dryRun: true });
      expect(next.plans).toHaveLength(2);
      expect(next.plans.every((p) => p.policyKey === 'FR-B2B-standard' && p.policyVersion === 2)).toBe(true);

      const list = await app.inject({ method: 'GET', url: '/api/v1/dunning/policies', headers: a.auth });
      const b2b = list.json().items.find((p: { key: string }) => p.key === 'FR-B2B-standard');
      expect(b2b.latest.version).toBe(2);
      expect(b2b.versions.map((v: { version: number }) => v.version)).toEqual([1, 2]);
    });

    it('refuses an edit of a superseded version, an invalid policy, and a non-admin', async () => {
      const stale = await app.inject({
        method: 'PUT',
        url: `/api/v1/dunning/policies/${FR_B2B_STANDARD.id}`,
        headers: a.auth,
        payload: edit(),
      });
      expect(stale.statusCode).toBe(409);
      const latest = (await app.inject({ method: 'GET', url: '/api/v1/dunning/policies', headers: a.auth }))
        .json()
        .items.find((p: { key: string }) => p.key === 'FR-B2B-standard').latest;
      const bad = await app.inject({
        method: 'PUT',
        url: `/api/v1/dunning/policies/${latest.id}`,
        headers: a.auth,
        payload: edit(
          FR_B2B_STANDARD.steps.map((s) => (s.key === 'second_reminder' ? { ...s, offsetDays: 3 } : s)),
        ),
      });
      expect(bad.statusCode).toBe(400);
      expect(bad.json().errors).toContainEqual({
        field: 'steps[2].offsetDays',
        reason: 'steps must be in strictly increasing offset order',
      });
      const forbidden = await app.inject({
        method: 'PUT',
        url: `/api/v1/dunning/policies/${latest.id}`,
        headers: viewer,
        payload: edit(),
      });
      expect(forbidden.statusCode).toBe(403);
    });
  });

  describe('assignment', () => {
    it('replaces the selection rules and forces a policy on one customer', async () => {
      const rules = [
        { policyKey: 'FR-conciliatory', label: 'big exposure', when: { minExposureMinor: 100_000_000 } },
        { policyKey: 'FR-B2B-standard', when: {} },
      ];
      const put = await app.inject({
        method: 'PUT',
        url: '/api/v1/dunning/policy-rules',
        headers: a.auth,
        payload: { rules },
      });
      expect(put.statusCode).toBe(200);
      const got = await app.inject({ method: 'GET', url: '/api/v1/dunning/policy-rules', headers: viewer });
      expect(got.json().rules).toEqual(rules);
      const unknown = await app.inject({
        method: 'PUT',
        url: '/api/v1/dunning/policy-rules',
        headers: a.auth,
        payload: { rules: [{ policyKey: 'nope', when: {} }] },
      });
      expect(unknown.statusCode).toBe(400);

      const override = await app.inject({
        method: 'PUT',
        url: `/api/v1/customers/${otherCustomerId}/dunning-policy`,
        headers: a.auth,
        payload: { policyKey: 'FR-conciliatory' },
      });
      expect(override.statusCode).toBe(204);
      const next = await planDunningRun(t.db, a.org.id, { now: MONDAY, dryRun: true });
      const other = next.plans.find((p) => p.plan.customerId === otherCustomerId);
      expect(other).toMatchObject({
        policyKey: 'FR-conciliatory',
        policyReason: 'per-customer override: FR-conciliatory',
      });
      const noCustomer = await app.inject({
        method: 'PUT',
        url: `/api/v1/customers/${a.org.id}/dunning-policy`,
        headers: a.auth,
        payload: { policyKey: null },
      });
      expect(noCustomer.statusCode).toBe(404);
    });
  });

  describe('step preview', () => {
    it('renders a step for a real customer, in the language asked, and a draft before it is saved', async () => {
      const fr = await app.inject({
        method: 'POST',
        url: `/api/v1/dunning/policies/${FR_B2B_STANDARD.id}/preview`,
        headers: viewer,
        payload: { customerId, stepIndex: 1, lang: 'fr' },
      });
      expect(fr.statusCode).toBe(200);
      const body = fr.json();
      expect(body).toMatchObject({ stepKey: 'first_reminder', policyVersion: 1, locale: 'fr', kind: 'send' });
      expect(body.items.map((i: { invoiceNumber: string }) => i.invoiceNumber)).toEqual(['F-POL-1']);
      expect(body.message.text).toContain('F-POL-1');
      expect(body.message.sha256).toMatch(/^[0-9a-f]{64}$/);
      const en = await app.inject({
        method: 'POST',
        url: `/api/v1/dunning/policies/${FR_B2B_STANDARD.id}/preview`,
        headers: viewer,
        payload: { customerId, stepIndex: 1, lang: 'en' },
      });
      expect(en.json().message.subject).not.toBe(body.message.subject);

      // A draft moving the first reminder to J+12: the 11-day-old invoice has not reached it.
      const draft = await app.inject({
        method: 'POST',
        url: `/api/v1/dunning/policies/${FR_B2B_STANDARD.id}/preview`,
        headers: viewer,
        payload: {
          customerId,
          stepIndex: 1,
          draft: edit(
            FR_B2B_STANDARD.steps.map((s) => (s.key === 'first_reminder' ? { ...s, offsetDays: 12 } : s)),
          ),
        },
      });
      expect(draft.json()).toMatchObject({ draft: true, offsetDays: 12 });
      expect(draft.json().notes[0]).toMatch(/has reached J\+12/);
      const decision = await app.inject({
        method: 'POST',
        url: `/api/v1/dunning/policies/${FR_B2B_STANDARD.id}/preview`,
        headers: viewer,
        payload: { customerId, stepIndex: 4 },
      });
      expect(decision.json()).toMatchObject({ kind: 'task', message: null });
    });

    it('renders byte for byte what the send records', async () => {
      // A fresh customer under v2 at J+16: the second reminder, by letter (no email contact).
      const [c] = await makeCustomers(t.db, a.org.id, 1, () => ({
        external_ref: 'C-SHA',
        address_line1: '2 rue Test',
        postal_code: '69002',
        city: 'Lyon',
      }));
      const id = (c as { id: string }).id;
      await makeInvoices(t.db, a.org.id, [id], 1, () => ({
        customer_id: id,
        invoice_number: 'F-SHA-1',
        due_date: '2026-02-28',
        issue_date: '2026-01-28',
      }));
      // Its first reminder went out on 7 March: the second one presupposes it.
      await seedStepsSentForOverdue(t.db, a.org.id, '2026-02-28', [
        ['first_reminder', '2026-03-07T08:00:00Z'],
      ]);
      const list = await app.inject({ method: 'GET', url: '/api/v1/dunning/policies', headers: a.auth });
      const v2 = list.json().items.find((p: { key: string }) => p.key === 'FR-B2B-standard').latest;
      const preview = await app.inject({
        method: 'POST',
        url: `/api/v1/dunning/policies/${v2.id}/preview`,
        headers: a.auth,
        payload: { customerId: id, stepIndex: 2 },
      });
      expect(preview.json().stepKey).toBe('second_reminder');
      await runDunning(t.db, a.org.id, {
        at: MONDAY,
        dryRun: false,
        delivery: {
          channels: { letter: new LetterChannel() },
          workerId: 'sha',
          log: pino({ level: 'silent' }),
        },
      });
      const sent = await t.db
        .selectFrom('dunning_actions')
        .select(['rendered_sha256', 'status', 'step_key', 'policy_version'])
        .where('org_id', '=', a.org.id)
        .where('customer_id', '=', id)
        .execute();
      expect(sent).toEqual([
        {
          rendered_sha256: preview.json().message.sha256,
          status: 'sent',
          step_key: 'second_reminder',
          policy_version: 2,
        },
      ]);
    });
  });
  describe('approvals', () => {
    it('turns approval on, lists the waiting sends per customer and approves one customer', async () => {
      const off = await app.inject({
        method: 'PATCH',
        url: '/api/v1/dunning/settings',
        headers: viewer,
        payload: { requireApproval: true },
      });
      expect(off.statusCode).toBe(403);
      const on = await app.inject({
        method: 'PATCH',
        url: '/api/v1/dunning/settings',
        headers: a.auth,
        payload: { requireApproval: true },
      });
      expect(on.statusCode).toBe(200);
      expect(on.json().requireApproval).toBe(true);
      // 33 days late on Tuesday 7 April (the 6th is Easter Monday): formal notice for the first customer (B2B), waiting for approval.
      const mineInvoices = await t.db
        .selectFrom('invoices')
        .select('id')
        .where('org_id', '=', a.org.id)
        .where('customer_id', '=', customerId)
        .execute();
      await seedStepsSent(
        t.db,
        a.org.id,
        customerId,
        mineInvoices.map((i) => i.id),
        [['second_reminder', '2026-03-20T08:00:00Z']],
      );
      await runDunning(t.db, a.org.id, { at: new Date('2026-04-07T08:00:00Z'), dryRun: false });
      const list = await app.inject({ method: 'GET', url: '/api/v1/dunning/approvals', headers: viewer });
      expect(list.statusCode).toBe(200);
      const mine = list.json().customers.find((c: { customerId: string }) => c.customerId === customerId);
      expect(mine.actions[0]).toMatchObject({ stepKey: 'formal_notice', status: 'awaiting_approval' });
      expect(mine.actions[0].channels.map((c: { channel: string }) => c.channel).sort()).toEqual([
        'registered_letter',
      ]);
      const denied = await app.inject({
        method: 'POST',
        url: '/api/v1/dunning/approvals/approve',
        headers: viewer,
        payload: { customerIds: [customerId] },
      });
      expect(denied.statusCode).toBe(403);
      const ok = await app.inject({
        method: 'POST',
        url: '/api/v1/dunning/approvals/approve',
        headers: a.auth,
        payload: { customerIds: [customerId] },
      });
      expect(ok.json()).toMatchObject({ customers: 1, actions: 1 });
      const after = await app.inject({ method: 'GET', url: '/api/v1/dunning/approvals', headers: viewer });
      expect(after.json().customers.some((c: { customerId: string }) => c.customerId === customerId)).toBe(
        false,
      );
    });
  });
});
