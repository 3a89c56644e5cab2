import type { FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { LetterChannel } from '../../../src/channels/letter/letter-channel.js';
import { runDunning, runInstant } from '../../../src/services/dunning/run-dunning.js';
import { createTestDb, describeEngines, type TestDb } from '../../helpers/db.js';
import { makeCustomers, makeInvoices, type OrgFixture, orgWithKey, testServer } from './factories.js';

describeEngines('dunning preview and timeline through the API', (engine) => {
  let t: TestDb;
  let app: FastifyInstance;
  let a: OrgFixture;
  let b: OrgFixture;
  let customerId: string;

  beforeAll(async () => {
    t = await createTestDb(engine);
    app = await testServer(t);
    a = await orgWithKey(t.db, 'Preview SA');
    b = await orgWithKey(t.db, 'Other SA');
    const [c] = await makeCustomers(t.db, a.org.id, 1, () => ({
      address_line1: '1 rue Test',
      postal_code: '69001',
      city: 'Lyon',
    }));
    customerId = (c as { id: string }).id;
    // Due 10 March: 5 days late on 15 March (no step yet), 8 days late on 18 March (first reminder).
    await makeInvoices(t.db, a.org.id, [customerId], 1, () => ({
      due_date: '2026-03-10',
      issue_date: '2026-02-10',
    }));
  });
  afterAll(async () => {
    await app.close();
    await t.drop();
  });

  it('previews the run of a given day with the reason for each action, and writes nothing', async () => {
    const res = await app.inject({
      method: 'GET',
      url: '/api/v1/dunning/preview?date=2026-03-18',
      headers: a.auth,
    });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.localDate).toBe('2026-03-18');
    const mine = body.customers.find((c: { customerId: string }) => c.customerId === customerId);
    expect(mine.actions).toHaveLength(1);
    expect(mine.actions[0].stepKey).toBe('first_reminder');
    expect(mine.actions[0].reason).toMatch(/8 days overdue/);
    const rows = await t.db
      .selectFrom('dunning_actions')
      .selectAll()
      .where('org_id', '=', a.org.id)
      .execute();
    expect(rows).toHaveLength(0);
  });

  it("refuses a malformed date and shows nothing of another organisation's portfolio", async () => {
    const bad = await app.inject({
      method: 'GET',
      url: '/api/v1/dunning/preview?date=18/03/2026',
      headers: a.auth,
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.headers['content-type']).toContain('application/problem+json');
    const other = await app.inject({
      method: 'GET',
      url: '/api/v1/dunning/preview?date=2026-03-18',
      headers: b.auth,
    });
    expect(other.json().customers).toEqual([]);
  });

  it('shows the timeline of what was sent, with an intact hash chain', async () => {
    const at = await runInstant(t.db, a.org.id, '2026-04-20');
    await runDunning(t.db, a.org.id, {
      at,
      dryRun: false,
      delivery: {
        channels: { letter: new LetterChannel() },
        workerId: 'api-test',
        log: pino({ level: 'silent' }),
      },
    });
    const res = await app.inject({
      method: 'GET',
      url: `/api/v1/customers/${customerId}/timeline`,
      headers: a.auth,
    });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.intact).toBe(true);
    expect(body.entries.length).toBeGreaterThan(0);
    expect(body.entries[0].seq).toBe(1);
    const foreign = await app.inject({
      method: 'GET',
      url: `/api/v1/customers/${customerId}/timeline`,
      headers: b.auth,
    });
    expect(foreign.statusCode).toBe(404);
  });

  it('shows a sent reminder exactly as sent, proven by the hash on the timeline', async () => {
    const timeline = (
      await app.inject({ method: 'GET', url: `/api/v1/customers/${customerId}/timeline`, headers: a.auth })
    ).json();
    const sent = timeline.entries.find((e: { kind: string }) => e.kind === 'message_sent');
    expect(sent).toBeDefined();
    const actionId = sent.payload.actionId as string;
    const url = `/api/v1/customers/${customerId}/messages/${actionId}`;
    const res = await app.inject({ method: 'GET', url, headers: a.auth });
    expect(res.statusCode).toBe(200);
    const m = res.json();
    expect(m.matchesEvidence).toBe(true);
    expect(m.contentSha256).toBe(sent.contentSha256);
    expect(m.subject).toBe(sent.payload.subject);
    const invoiceNumber = sent.payload.items[0].number as string;
    expect(m.letter).toContain(invoiceNumber);
    expect(m.html).toContain(invoiceNumber);

    expect((await app.inject({ method: 'GET', url, headers: b.auth })).statusCode).toBe(404);

    // Altered after the fact, the copy no longer matches what the evidence file recorded.
    await t.db
      .updateTable('sent_messages')
      .set({ letter: `${m.letter} (modifié)` })
      .where('action_id', '=', actionId)
      .execute();
    const altered = (await app.inject({ method: 'GET', url, headers: a.auth })).json();
    expect(altered.matchesEvidence).toBe(false);
  });
});
