import { type ChildProcess, spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { refreshBalances } from '../../../src/db/queries/balances.js';
import { listEvidence } from '../../../src/db/queries/evidence.js';
import { verifyChain } from '../../../src/domain/dunning/index.js';
import { planDunningRun } from '../../../src/services/dunning/plan-dunning-run.js';
import { runInstant } from '../../../src/services/dunning/run-dunning.js';
import { createOrganisation } from '../../../src/services/organisations/create-organisation.js';
import { createTestDb, engines, type TestDb } from '../../helpers/db.js';
import { type SmtpFixture, startSmtpFixture } from '../channels/smtp-fixture.js';

const CUSTOMERS = 40;
const WORKERS = 4;
const KILLS = 16;

// Several processes share the outbox: only PostgreSQL can host that (PGlite is one process).
const maybe = engines.includes('postgres') ? describe : describe.skip;

maybe('exactly-once delivery while worker processes are killed at random [postgres]', () => {
  let t: TestDb;
  let smtp: SmtpFixture;
  let orgId: string;
  let asOf: Date;

  beforeAll(async () => {
    t = await createTestDb('postgres');
    smtp = await startSmtpFixture();
    const org = await createOrganisation(t.db, { name: 'Kill Test SA' });
    orgId = org.id;
    await t.db
      .updateTable('organisations')
      .set({ email: 'relances@killtest.example' })
      .where('id', '=', orgId)
      .execute();
    const customers = await t.db
      .insertInto('customers')
      .values(
        Array.from({ length: CUSTOMERS }, (_, i) => ({
          org_id: orgId,
          external_ref: `K${i}`,
          name: `Client ${i}`,
        })),
      )
      .returning(['id', 'external_ref'])
      .execute();
    await t.db
      .insertInto('contacts')
      .values(
        customers.map((c) => ({
          org_id: orgId,
          customer_id: c.id,
          email: `${c.external_ref.toLowerCase()}@client.example`,
          is_primary: true,
        })),
      )
      .execute();
    await t.db
      .insertInto('invoices')
      .values(
        customers.map((c, i) => ({
          org_id: orgId,
          customer_id: c.id,
          invoice_number: `FK-${i}`,
          issue_date: '2026-09-01',
          due_date: '2026-11-02',
          currency: 'EUR',
          gross_minor: 10000 + i,
        })),
      )
      .execute();
    await refreshBalances(t.db, orgId, { all: true });
    asOf = await runInstant(t.db, orgId, '2026-11-10');
    const plan = await planDunningRun(t.db, orgId, { now: asOf, dryRun: false });
    expect(plan.outboxRowsInserted).toBe(CUSTOMERS);
  });
  afterAll(async () => {
    await smtp?.close();
    await t?.drop();
  });

  it('delivers every planned reminder, none twice, with an intact evidence file per customer', async () => {
    const url = t.url as string;
    const live = new Set<ChildProcess>();
    let exitedClean = 0;
    const start = () => {
      const child = spawn(
        process.execPath,
        [
          '--import',
          'tsx',
          'test/integration/dunning/kill-worker.ts',
          url,
          orgId,
          String(smtp.port),
          asOf.toISOString(),
        ],
        { stdio: ['ignore', 'ignore', 'inherit'] },
      );
      live.add(child);
      child.on('exit', (code) => {
        live.delete(child);
        if (code === 0) exitedClean++;
      });
    };
    for (let i = 0; i < WORKERS; i++) start();
    let kills = 0;
    // Kill a random worker at a random moment, start a replacement, until the budget is spent.
    while (kills < KILLS && exitedClean === 0) {
      await new Promise((r) => setTimeout(r, 150 + Math.floor(Math.random() * 600)));
      const victims = [...live];
      const victim = victims[Math.floor(Math.random() * victims.length)];
      if (victim) {
        victim.kill('SIGKILL');
        kills++;
        start();
      }
    }
    const deadline = Date.now() + 120_000;
    while (live.size > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    for (const c of live) c.kill('SIGKILL');

    const rows = await t.db
      .selectFrom('dunning_actions')
      .select(['id', 'customer_id', 'status', 'attempts', 'provider_message_id', 'error'])
      .where('org_id', '=', orgId)
      .execute();
    expect(rows).toHaveLength(CUSTOMERS);
    expect(rows.filter((r) => r.status !== 'sent')).toEqual([]);

    const receivedIds = smtp.received.map((m) => m.parsed.messageId);
    const distinct = new Set(receivedIds);
    const recorded = new Set(rows.map((r) => r.provider_message_id));
    // Every action reached the SMTP server under the one Message-ID it recorded…
    expect(distinct.size).toBe(CUSTOMERS);
    expect([...recorded].sort()).toEqual([...distinct].sort());
    // …and each customer received one reminder (a crash after the server accepted but
    // before the commit re-sends the same Message-ID, which a mailbox treats as one message).
    const perRecipient = new Map<string, Set<string>>();
    for (const m of smtp.received) {
      const to = m.envelopeTo[0] ?? '';
      const set = perRecipient.get(to) ?? new Set<string>();
      set.add(m.parsed.messageId ?? '');
      perRecipient.set(to, set);
    }
    expect(perRecipient.size).toBe(CUSTOMERS);
    expect([...perRecipient.values()].every((s) => s.size === 1)).toBe(true);

    for (const r of rows) {
      const evidence = await listEvidence(t.db, orgId, r.customer_id);
      expect(evidence.filter((e) => e.kind === 'message_sent')).toHaveLength(1);
      expect(verifyChain(evidence).ok).toBe(true);
    }
    const resent = smtp.received.length - distinct.size;
    console.log(
      `[kill test] ${kills} workers killed, ${rows.reduce((s, r) => s + r.attempts, 0)} claims for ${CUSTOMERS} actions, ` +
        `${smtp.received.length} SMTP transactions, ${resent} same-Message-ID re-sends after a crash in the accept→commit window`,
    );
    expect(kills).toBe(KILLS);
  }, 240_000);
});
