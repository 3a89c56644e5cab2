import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { OutboxChannel, OutboxStatus } from '../../../src/db/schema/dunning.js';
import { PLACEHOLDER_PATTERN } from '../../../src/services/dunning/deliver-actions.js';
import { renderFormalNotice } from '../../../src/services/law/render-formal-notice.js';
import { createTestDb, describeEngines, type TestDb } from '../../helpers/db.js';
import { plain, readPdf } from '../../unit/channels/pdf-text.js';
import { type CaseFixture, seedCase } from './case-fixture.js';

/** The PDF's text on one line: justified paragraphs wrap anywhere. */
const flat = async (pdf: Buffer) =>
  plain((await readPdf(pdf)).text.join(' '))
    .replace(/\s+/g, ' ')
    .trim();

describeEngines('mise en demeure PDF tells the true history (issue 13)', (engine) => {
  let t: TestDb;
  let c: CaseFixture;
  beforeAll(async () => {
    t = await createTestDb(engine);
    c = await seedCase(t.db);
  });
  afterAll(async () => t.drop());

  /** One reminder actually sent for `invoiceIds` at `at`, by `channel`. */
  const sent = async (
    step: string,
    invoiceIds: string[],
    at: string,
    channel: OutboxChannel,
    status: OutboxStatus = 'sent',
  ) => {
    const key = `history-test-key-${step}`;
    await t.db
      .insertInto('dunning_actions')
      .values({
        org_id: c.orgId,
        idempotency_key: key,
        channel,
        customer_id: c.customerId,
        policy_id: crypto.randomUUID(),
        policy_key: 'standard',
        policy_version: 1,
        step_key: step,
        kind: 'send',
        items: JSON.stringify([]),
        reason: 'due',
        planned_for: at.slice(0, 10),
        status,
        ...(status === 'sent' ? { sent_at: new Date(at) } : {}),
      })
      .execute();
    await t.db
      .insertInto('dunning_action_items')
      .values({
        org_id: c.orgId,
        customer_id: c.customerId,
        idempotency_key: key,
        policy_id: crypto.randomUUID(),
        policy_version: 1,
        invoice_ids: invoiceIds,
        instalment_seqs: invoiceIds.map(() => 0),
        step_keys: invoiceIds.map(() => step),
        done_at: sql`${at}::timestamptz`,
      })
      .execute();
  };

  it('claims no earlier reminder when none was sent, and leaves no placeholder', async () => {
    // A letter still waiting for approval was not sent: it is no "earlier reminder".
    await sent('waiting-1', [c.invoiceIds.f1], '2025-07-01T08:00:00Z', 'email', 'awaiting_approval');
    const r = await renderFormalNotice(t.db, c.orgId, c.customerId, { date: '2025-09-30' });
    expect(r.notice.history).toEqual([]);
    const text = await flat(r.pdf);
    expect(text).toContain('Les factures ci-dessous restent impayées à ce jour.');
    expect(text).not.toMatch(/malgré|relance/i);
    expect(text).not.toMatch(PLACEHOLDER_PATTERN);
    expect(r.notice.text).not.toMatch(/malgré|relance/i);
    expect(r.notice.text).not.toMatch(PLACEHOLDER_PATTERN);
  });

  it('names the dates and channels of the reminders actually sent for these items', async () => {
    await sent('r1', [c.invoiceIds.f1], '2025-08-04T08:00:00Z', 'email');
    await sent('r2', [c.invoiceIds.f1, c.invoiceIds.f2], '2025-09-01T08:00:00Z', 'letter');
    // A reminder about the disputed invoice only is not about the items claimed.
    await sent('r3', [c.invoiceIds.disputed], '2025-09-10T08:00:00Z', 'sms');
    const r = await renderFormalNotice(t.db, c.orgId, c.customerId, { date: '2025-09-30' });
    expect(r.notice.history).toEqual([
      { date: '2025-08-04', channels: ['email'] },
      { date: '2025-09-01', channels: ['letter'] },
    ]);
    const text = await flat(r.pdf);
    expect(text).toContain(
      'Malgré nos relances des 4 août 2025 (courriel) et 1 septembre 2025 (courrier), les factures ci-dessous restent impayées à ce jour.',
    );
    expect(text).not.toContain('10 septembre 2025');
    expect(text).not.toContain('précédentes relances');
    expect(text).not.toMatch(PLACEHOLDER_PATTERN);
    expect(r.notice.text).toContain('Malgré nos relances des 4 août 2025 (courriel) et 1 septembre 2025');
    // Oldest due first.
    expect(r.notice.invoices.map((i) => i.invoiceNumber)).toEqual(['F-2025-001', 'F-2025-002']);
  });
});
