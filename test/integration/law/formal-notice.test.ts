import { afterAll, beforeAll, expect, it } from 'vitest';
import { AppError } from '../../../src/errors.js';
import { renderFormalNotice } from '../../../src/services/law/render-formal-notice.js';
import { createTestDb, describeEngines, type TestDb } from '../../helpers/db.js';
import { plain, readPdf } from '../../unit/channels/pdf-text.js';
import { type CaseFixture, seedCase } from './case-fixture.js';

describeEngines('mise en demeure PDF of a ledger customer', (engine) => {
  let t: TestDb;
  let c: CaseFixture;
  beforeAll(async () => {
    t = await createTestDb(engine);
    c = await seedCase(t.db);
  });
  afterAll(async () => t.drop());

  it('prints both parties, the overdue invoices and the figures computed to the letter date', async () => {
    const r = await renderFormalNotice(t.db, c.orgId, c.customerId, { date: '2025-09-30' });
    expect(r.notice.totals).toEqual({
      principal: { amount: 747_381, currency: 'EUR' },
      interest: { amount: 26_279, currency: 'EUR' },
      indemnity: { amount: 8_000, currency: 'EUR' },
      total: { amount: 781_660, currency: 'EUR' },
    });
    expect(r.notice.deadline).toBe('2025-10-15');
    expect(r.excluded).toEqual([
      { invoiceNumber: 'F-2025-003', reason: expect.stringContaining('disputed') },
    ]);
    const pdf = await readPdf(r.pdf);
    const text = plain(pdf.text.join('\n'));
    for (const s of [
      'Créancier Dupont SAS',
      'SIREN 732 829 320',
      'TVA intracommunautaire FR44732829320',
      'Martin Bâtiment SARL',
      '69003 LYON',
      'SIREN 552 100 554',
      'TVA FR27552100554',
      'Lettre recommandée avec accusé de réception',
      'Objet : MISE EN DEMEURE DE PAYER',
      'Paris, le 30 septembre 2025',
      'F-2025-001',
      'F-2025-002',
      '6 273,81 €', // EX2 principal after imputing the payment to interest first (1343-1 C. civ.)
      '4 000,00 €', // the payment received, as the debtor knows it
      "imputés d'abord sur les intérêts",
      '36,75 €',
      '7 473,81 €',
      '262,79 €',
      '80,00 €',
      '7 816,60 €',
      '15 octobre 2025',
      'injonction de payer',
      'art. L441-10 C. com.',
      'art. D441-5 C. com.',
      'art. 1344 C. civ.',
      'IBAN FR76 3000 6000 0112 3456 7890 189',
    ]) {
      expect(text, s).toContain(s);
    }
    expect(text).not.toContain('F-2025-003');
    expect(text).not.toContain('F-2025-004');
    // The debtor sits in the envelope window (x ≥ 90 mm, 45–90 mm from the top).
    const debtor = pdf.items.find((i) => i.str.includes('Martin Bâtiment SARL') && i.topMm < 95);
    expect(debtor?.xMm).toBeGreaterThanOrEqual(90);
    expect(debtor?.topMm).toBeGreaterThan(45);
    expect(r.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('renders the same bytes twice (the hash identifies the letter)', async () => {
    const a = await renderFormalNotice(t.db, c.orgId, c.customerId, { date: '2025-09-30' });
    const b = await renderFormalNotice(t.db, c.orgId, c.customerId, { date: '2025-09-30' });
    expect(a.sha256).toBe(b.sha256);
  });

  it('moves a deadline falling on a weekend to the next working day', async () => {
    // 2025-10-03 + 15 days = Saturday 18 October → Monday 20 October.
    const r = await renderFormalNotice(t.db, c.orgId, c.customerId, { date: '2025-10-03' });
    expect(r.notice.deadline).toBe('2025-10-20');
    expect(plain((await readPdf(r.pdf)).text.join('\n'))).toContain('20 octobre 2025');
  });

  it('refuses a customer with nothing overdue, naming why', async () => {
    const err = await renderFormalNotice(t.db, c.orgId, c.customerId, { date: '2025-03-01' }).catch((e) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe('UNPROCESSABLE');
  });
});
