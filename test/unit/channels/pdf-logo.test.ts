import { describe, expect, it } from 'vitest';
import type { LetterContent } from '../../../src/channels/channel.js';
import { planAgreementSpec } from '../../../src/channels/documents/portal-documents.js';
import { renderDocumentPdf } from '../../../src/channels/documents/render-document.js';
import { renderFormalNoticePdf } from '../../../src/channels/letter/formal-notice-pdf.js';
import { LOGO_BOX } from '../../../src/channels/letter/letterhead.js';
import { renderLetterPdf } from '../../../src/channels/letter/render-letter.js';
import { buildFormalNotice } from '../../../src/domain/law/formal-notice.js';
import { builtInRates } from '../../../src/domain/law/rate-table.js';
import { money } from '../../../src/domain/money/index.js';
import { makePng } from '../../helpers/images.js';
import { imagesPerPage, readPdf } from './pdf-text.js';

const logo = makePng(300, 100);
const hasImageObject = (pdf: Buffer) => /\/Subtype\s*\/Image/.test(pdf.toString('latin1'));

const letter = (withLogo: boolean): LetterContent => ({
  subject: 'Relance',
  place: 'Paris',
  date: '2026-11-25',
  body: 'Madame, Monsieur,\n\nVotre facture reste impayée.',
  ...(withLogo ? { logo } : {}),
});
const sender = { orgId: 'o', name: 'Dupont SAS', siren: '552100554' };
const recipient = { name: 'Martin SARL', lines: ['3 rue Haute'], postalCode: '69003', city: 'Lyon' };

describe('the organisation logo in the letterhead', () => {
  it('draws the logo on a letter above the sender, and nothing without one', async () => {
    const with_ = await renderLetterPdf({ sender, recipient, letter: letter(true) });
    const without = await renderLetterPdf({ sender, recipient, letter: letter(false) });
    expect(await imagesPerPage(with_.pdf)).toEqual([1]);
    expect(hasImageObject(with_.pdf)).toBe(true);
    expect(await imagesPerPage(without.pdf)).toEqual([0]);
    expect(hasImageObject(without.pdf)).toBe(false);
    // The sender's name moves under the logo box; the window address does not move.
    const at = async (pdf: Buffer, s: string) => (await readPdf(pdf)).items.find((i) => i.str === s);
    const nameWith = await at(with_.pdf, 'Dupont SAS');
    const nameWithout = await at(without.pdf, 'Dupont SAS');
    expect((nameWith?.topMm ?? 0) - (nameWithout?.topMm ?? 0)).toBeCloseTo(
      LOGO_BOX.heightMm + LOGO_BOX.gapMm,
      0,
    );
    expect((await at(with_.pdf, 'Martin SARL'))?.topMm).toBeCloseTo(
      (await at(without.pdf, 'Martin SARL'))?.topMm ?? 0,
      3,
    );
  });

  it('draws it on a portal document and on a formal notice', async () => {
    const spec = planAgreementSpec({
      lang: 'fr',
      issuer: { name: 'Dupont SAS', siren: null, addressLines: [], email: null, iban: null },
      recipient: { name: 'Martin SARL', reference: 'C-1', addressLines: [] },
      planId: 'p1',
      total: money(10000, 'EUR'),
      graceDays: 5,
      invoices: [],
      schedule: [{ seq: 1, dueDate: '2026-01-31', amount: money(10000, 'EUR') }],
      acceptance: { name: 'M. Martin', at: new Date('2026-01-02T10:00:00Z') },
    });
    expect(await imagesPerPage((await renderDocumentPdf(spec, logo)).pdf)).toEqual([1]);
    expect(await imagesPerPage((await renderDocumentPdf(spec)).pdf)).toEqual([0]);

    const notice = buildFormalNotice(
      {
        creditor: { name: 'Dupont SAS', addressLines: ['12 rue'], postalCode: '75002', city: 'Paris' },
        debtor: {
          name: 'Martin SARL',
          kind: 'b2b',
          addressLines: ['3 rue'],
          postalCode: '69003',
          city: 'Lyon',
        },
        invoices: [
          {
            invoiceNumber: 'F-1',
            issueDate: '2025-01-01',
            dueDate: '2025-02-01',
            amount: money(100000, 'EUR'),
          },
        ],
        date: '2025-11-25',
      },
      builtInRates(),
    );
    const input = { notice, customerRef: 'C-1', place: 'Paris' };
    const pages = await imagesPerPage((await renderFormalNoticePdf({ ...input, logo })).pdf);
    expect(pages[0]).toBe(1);
    expect(pages.slice(1).every((n) => n === 0)).toBe(true);
    expect(hasImageObject((await renderFormalNoticePdf(input)).pdf)).toBe(false);
  });
});
