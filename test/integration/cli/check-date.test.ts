import { afterAll, beforeAll, expect, it } from 'vitest';
import { EXIT } from '../../../src/cli/run-command.js';
import { addDays, zonedParts } from '../../../src/domain/calendar/index.js';
import { createOrganisation } from '../../../src/services/organisations/create-organisation.js';
import { describeEngines } from '../../helpers/db.js';
import { makeCustomers, makeInvoices } from '../api/factories.js';
import { type CliDatabase, cliDatabase } from './cli-database.js';
import { runCliInProcess } from './in-process.js';

const SLOW = 240_000;

describeEngines('--date on the promise and payment-plan checks', (engine) => {
  let d: CliDatabase;
  let promiseId: string;
  let today: string;
  const relance = (...args: string[]) => runCliInProcess(args, d.env);

  beforeAll(async () => {
    d = await cliDatabase(engine);
    ({ promiseId, today } = await d.use(async (db) => {
      const org = await createOrganisation(db, { name: 'Promesses SAS' });
      const day = zonedParts(new Date(), org.time_zone).date;
      const [c] = await makeCustomers(db, org.id, 1, () => ({ external_ref: 'CLI050', name: 'Promet SARL' }));
      const [inv] = await makeInvoices(db, org.id, [c?.id as string], 1, () => ({
        invoice_number: 'F-PROM',
        issue_date: addDays(day, -60),
        due_date: addDays(day, -30),
        gross_minor: 80_000,
      }));
      const p = await db
        .insertInto('promises_to_pay')
        .values({
          org_id: org.id,
          customer_id: c?.id as string,
          invoice_ids: [inv?.id as string],
          amount_minor: 80_000,
          currency: 'EUR',
          promised_date: addDays(day, 10),
          grace_days: 3,
          created_by: 'portal',
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      return { promiseId: p.id, today: day };
    }));
  }, SLOW);
  afterAll(async () => {
    await d?.drop();
  });

  const statusOf = () =>
    d.use(
      async (db) =>
        (
          await db
            .selectFrom('promises_to_pay')
            .select('status')
            .where('id', '=', promiseId)
            .executeTakeFirstOrThrow()
        ).status,
    );

  it(
    'portal check-promises judges the promise as on the --date given',
    async () => {
      // Today the promise (due in 10 days, 3 days' grace) is not yet broken.
      const now = await relance('portal', 'check-promises');
      expect(now.stderr).toBe('');
      expect(now.stdout).toContain('0 broken');
      expect(await statusOf()).toBe('active');
      // As on the day after the grace, it is.
      const later = await relance('portal', 'check-promises', '--date', addDays(today, 14));
      expect(later.code).toBe(EXIT.ok);
      expect(later.stdout).toContain('1 broken (1 task(s) created)');
      expect(await statusOf()).toBe('broken');
    },
    SLOW,
  );

  it(
    'payment-plans-check takes --date and refuses a bad one naming the option',
    async () => {
      const ok = await relance('payment-plans-check', '--date', addDays(today, 30));
      expect(ok.stderr).toBe('');
      expect(ok.code).toBe(EXIT.ok);
      expect(ok.stdout).toContain('0 completed, 0 defaulted');
      const bad = await relance('portal', 'check-promises', '--date', '2026-13-01');
      expect(bad.code).toBe(EXIT.invalid);
      expect(bad.stderr).toContain('--date "2026-13-01" is not a YYYY-MM-DD date');
    },
    SLOW,
  );
});
