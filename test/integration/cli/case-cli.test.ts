import type { Kysely } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { EXIT } from '../../../src/cli/run-command.js';
import type { Database } from '../../../src/db/schema/index.js';
import { addDays, zonedParts } from '../../../src/domain/calendar/index.js';
import { recordDispute } from '../../../src/services/disputes/record-dispute.js';
import { createOrganisation } from '../../../src/services/organisations/create-organisation.js';
import { describeEngines } from '../../helpers/db.js';
import { makeCustomers, makeInvoices } from '../api/factories.js';
import { type CliDatabase, cliDatabase } from './cli-database.js';
import { runCliInProcess } from './in-process.js';

const SLOW = 240_000;

interface Seeded {
  orgId: string;
  customerId: string;
  today: string;
  promiseId: string;
  disputedInvoiceId: string;
}

/**
 * One organisation, customer CLI042 with two open invoices (F-OPEN, and F-DISP under an open
 * dispute), an active promise to pay on F-OPEN; a second customer CLI043 it must not touch.
 */
async function seed(db: Kysely<Database>): Promise<Seeded> {
  const org = await createOrganisation(db, { name: 'Dossiers SAS' });
  // The commands count in the organisation's business date, so the test does too.
  const today = zonedParts(new Date(), org.time_zone).date;
  const [c, other] = await makeCustomers(db, org.id, 2, (i) => ({
    external_ref: ['CLI042', 'CLI043'][i] as string,
    name: ['Retard SARL', 'Voisin SAS'][i] as string,
  }));
  const customerId = c?.id as string;
  const invoices = await makeInvoices(db, org.id, [customerId], 2, (i) => ({
    invoice_number: ['F-OPEN', 'F-DISP'][i] as string,
    issue_date: addDays(today, -60),
    due_date: addDays(today, -30),
    gross_minor: [120_000, 50_000][i] as number,
  }));
  const open = invoices.find((x) => x.invoice_number === 'F-OPEN');
  const disputed = invoices.find((x) => x.invoice_number === 'F-DISP');
  if (!open || !disputed || !other) throw new Error('seed: rows missing');
  await recordDispute(db, org.id, {
    customerId,
    invoice: disputed,
    reasonCode: 'quality',
    comment: 'Pièces non conformes',
    openedBy: 'test',
    source: 'call',
    today,
  });
  const promise = await db
    .insertInto('promises_to_pay')
    .values({
      org_id: org.id,
      customer_id: customerId,
      invoice_ids: [open.id],
      amount_minor: 120_000,
      currency: 'EUR',
      promised_date: addDays(today, 5),
      grace_days: 3,
      created_by: 'portal',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { orgId: org.id, customerId, today, promiseId: promise.id, disputedInvoiceId: disputed.id };
}

describeEngines('relance case', (engine) => {
  let d: CliDatabase;
  let s: Seeded;
  const relance = (...args: string[]) => runCliInProcess(['case', ...args], d.env);

  beforeAll(async () => {
    d = await cliDatabase(engine);
    s = await d.use(seed);
  }, SLOW);
  afterAll(async () => {
    await d?.drop();
  });

  const pausesOf = (customerId: string) =>
    d.use((db) =>
      db
        .selectFrom('dunning_pauses')
        .select(['id', 'until', 'reason', 'invoice_id', 'cancelled_at', 'cancel_reason', 'created_by'])
        .where('customer_id', '=', customerId)
        .orderBy('created_at')
        .execute(),
    );

  it(
    'pauses the whole account until the date given, and ends a pause chosen by --pause',
    async () => {
      const until = addDays(s.today, 10);
      const r = await relance('pause', '--customer', 'CLI042', '--until', until, '--reason', 'Litige global');
      expect(r.stderr).toBe('');
      expect(r.code).toBe(EXIT.ok);
      expect(r.stdout).toContain(`Dunning of CLI042 paused until ${until} inclusive`);
      const [pause] = await pausesOf(s.customerId);
      expect(pause).toMatchObject({ until, reason: 'Litige global', invoice_id: null, cancelled_at: null });
      // Who paused it, as the other commands record the command line.
      expect(pause?.created_by).toBe('cli');

      // A second pause: ending "the" pause is now ambiguous, and the error lists both.
      const later = addDays(s.today, 20);
      const json = await relance(
        'pause',
        '--customer',
        'CLI042',
        '--until',
        later,
        '--reason',
        'Relevé',
        '--json',
      );
      expect(json.code).toBe(EXIT.ok);
      const second = JSON.parse(json.stdout) as { customer: string; pauseId: string; until: string };
      expect(second).toMatchObject({ customer: 'CLI042', until: later });

      const ambiguous = await relance('end-pause', '--customer', 'CLI042');
      expect(ambiguous.code).toBe(EXIT.invalid);
      expect(ambiguous.stderr).toContain('has 2 pauses: choose one with --pause');
      expect(ambiguous.stderr).toContain(`"${pause?.id}": whole account until ${until}`);

      const ended = await relance(
        'end-pause',
        '--customer',
        'CLI042',
        '--pause',
        second.pauseId,
        '--reason',
        'Réglé',
      );
      expect(ended.code).toBe(EXIT.ok);
      expect(ended.stdout).toContain(`(whole account until ${later}) ended`);
      const after = await pausesOf(s.customerId);
      expect(after.find((p) => p.id === second.pauseId)).toMatchObject({ cancel_reason: 'Réglé' });
      expect(after.find((p) => p.id === second.pauseId)?.cancelled_at).not.toBeNull();
      expect(after.find((p) => p.id === pause?.id)?.cancelled_at).toBeNull();

      // One live pause left: no --pause needed; then none left.
      expect((await relance('end-pause', '--customer', 'CLI042')).code).toBe(EXIT.ok);
      expect((await pausesOf(s.customerId)).every((p) => p.cancelled_at !== null)).toBe(true);
      const none = await relance('end-pause', '--customer', 'CLI042');
      expect(none.code).toBe(EXIT.notFound);
      expect(none.stderr).toContain('customer CLI042 has no pause to act on');
    },
    SLOW,
  );

  it(
    'closes the active promise to pay as broken, with the follow-up task, and refuses to close it twice',
    async () => {
      const r = await relance(
        'close-promise',
        '--customer',
        'CLI042',
        '--status',
        'broken',
        '--reason',
        'Refus de payer',
      );
      expect(r.stderr).toBe('');
      expect(r.code).toBe(EXIT.ok);
      expect(r.stdout).toContain(`for ${addDays(s.today, 5)} closed as broken; a follow-up task was created`);
      const { promise, tasks } = await d.use(async (db) => ({
        promise: await db
          .selectFrom('promises_to_pay')
          .select(['status', 'resolution'])
          .where('id', '=', s.promiseId)
          .executeTakeFirstOrThrow(),
        tasks: await db
          .selectFrom('tasks')
          .select(['kind', 'status'])
          .where('customer_id', '=', s.customerId)
          .where('kind', '=', 'broken_promise')
          .execute(),
      }));
      expect(promise).toEqual({ status: 'broken', resolution: 'Refus de payer' });
      expect(tasks).toEqual([{ kind: 'broken_promise', status: 'open' }]);

      const again = await relance(
        'close-promise',
        '--customer',
        'CLI042',
        '--status',
        'kept',
        '--reason',
        'x',
        '--promise',
        s.promiseId,
      );
      expect(again.code).toBe(EXIT.conflict);
      expect(again.stderr).toContain('already broken');
    },
    SLOW,
  );

  it(
    'upholds the dispute of an invoice with a credit note: the invoice is no longer disputed and its balance drops',
    async () => {
      const r = await relance(
        'resolve-dispute',
        '--customer',
        'CLI042',
        '--invoice',
        'F-DISP',
        '--outcome',
        'upheld',
        '--reason',
        'Remise accordée',
        '--credit-note',
        '200,00',
        '--json',
      );
      expect(r.stderr).toBe('');
      expect(r.code).toBe(EXIT.ok);
      const out = JSON.parse(r.stdout) as { status: string; balanceMinor: number; invoiceNumber: string };
      expect(out).toMatchObject({ status: 'resolved', balanceMinor: 30_000, invoiceNumber: 'F-DISP' });
      const { dispute, invoice, note } = await d.use(async (db) => ({
        dispute: await db
          .selectFrom('disputes')
          .select(['status', 'resolution', 'credit_note_id'])
          .where('invoice_id', '=', s.disputedInvoiceId)
          .executeTakeFirstOrThrow(),
        invoice: await db
          .selectFrom('invoices')
          .select(['disputed', 'balance_minor'])
          .where('id', '=', s.disputedInvoiceId)
          .executeTakeFirstOrThrow(),
        note: await db
          .selectFrom('credit_notes')
          .select(['id', 'gross_minor'])
          .where('org_id', '=', s.orgId)
          .execute(),
      }));
      expect(dispute).toMatchObject({ status: 'resolved', resolution: 'Remise accordée' });
      expect(invoice).toEqual({ disputed: false, balance_minor: 30_000 });
      expect(note).toEqual([{ id: dispute.credit_note_id, gross_minor: 20_000 }]);

      const bad = await relance(
        'resolve-dispute',
        '--customer',
        'CLI042',
        '--invoice',
        'F-OPEN',
        '--outcome',
        'rejected',
        '--reason',
        'x',
      );
      expect(bad.code).toBe(EXIT.notFound);
      expect(bad.stderr).toContain('--invoice F-OPEN: not found for customer CLI042');
    },
    SLOW,
  );

  it(
    'puts the customer on credit hold and releases it; a second release is a conflict',
    async () => {
      const holdOf = () =>
        d.use((db) =>
          db
            .selectFrom('customers')
            .select(['external_ref', 'credit_hold', 'credit_hold_reason'])
            .orderBy('external_ref')
            .execute(),
        );
      const on = await relance('credit-hold', '--customer', 'CLI042', '--reason', 'Encours dépassé');
      expect(on.code).toBe(EXIT.ok);
      expect(on.stdout).toContain('CLI042 is on credit hold.');
      expect(await holdOf()).toEqual([
        { external_ref: 'CLI042', credit_hold: true, credit_hold_reason: 'Encours dépassé' },
        { external_ref: 'CLI043', credit_hold: false, credit_hold_reason: null },
      ]);
      const off = await relance('release-hold', '--customer', 'CLI042', '--reason', 'Acompte reçu');
      expect(off.code).toBe(EXIT.ok);
      expect((await holdOf())[0]).toEqual({
        external_ref: 'CLI042',
        credit_hold: false,
        credit_hold_reason: null,
      });
      const twice = await relance('release-hold', '--customer', 'CLI042', '--reason', 'Acompte reçu');
      expect(twice.code).toBe(EXIT.conflict);
      expect(twice.stderr).toContain('already not on credit hold');
    },
    SLOW,
  );

  it(
    'names the unknown customer and the invalid date, and changes nothing',
    async () => {
      const before = (await pausesOf(s.customerId)).length;
      const unknown = await relance(
        'pause',
        '--customer',
        'NOPE',
        '--until',
        addDays(s.today, 3),
        '--reason',
        'x',
      );
      expect(unknown.code).toBe(EXIT.notFound);
      expect(unknown.stderr).toContain('no customer with reference "NOPE"');

      const badDate = await relance(
        'pause',
        '--customer',
        'CLI042',
        '--until',
        '2026-02-30',
        '--reason',
        'x',
      );
      expect(badDate.code).toBe(EXIT.invalid);
      expect(badDate.stderr).toContain('until: a date YYYY-MM-DD');
      expect(badDate.stderr).toContain('"2026-02-30"');

      const past = await relance(
        'pause',
        '--customer',
        'CLI042',
        '--until',
        addDays(s.today, -1),
        '--reason',
        'x',
      );
      expect(past.code).toBe(EXIT.invalid);
      expect(past.stderr).toContain(`until: must be ${s.today} or later`);

      const badAmount = await relance(
        'resolve-dispute',
        '--customer',
        'CLI042',
        '--invoice',
        'F-DISP',
        '--outcome',
        'upheld',
        '--reason',
        'x',
        '--credit-note',
        'douze',
      );
      expect(badAmount.code).toBe(EXIT.invalid);
      expect(badAmount.stderr).toContain('--credit-note:');
      expect((await pausesOf(s.customerId)).length).toBe(before);
    },
    SLOW,
  );
});
