import { describe, expect, it } from 'vitest';
import type { LetterContent, PostalAddress, SenderIdentity } from '../../../src/channels/channel.js';
import { ADDRESS_BLOCK, ENVELOPE_WINDOW } from '../../../src/channels/letter/layout.js';
import { addressLines, renderLetterPdf } from '../../../src/channels/letter/render-letter.js';
import { formatIban, longFrenchDate, unencodable } from '../../../src/channels/letter/text.js';
import { formatMoney, money } from '../../../src/domain/money/index.js';
import { AppError } from '../../../src/errors.js';
import { plain, readPdf } from './pdf-text.js';

const sender: SenderIdentity = {
  orgId: 'org-1',
  name: 'Crèmes Glacées Dupont SAS',
  email: 'compta@cremes.example',
  phone: '01 23 45 67 89',
  siren: '552100554',
  address: {
    name: 'Crèmes Glacées Dupont SAS',
    lines: ['12 rue de la Paix'],
    postalCode: '75002',
    city: 'Paris',
  },
};

const recipient: PostalAddress = {
  name: 'Bœuf & Cie SARL',
  lines: ["À l'attention de Mme Hélène Dupré", '3 avenue des Cœurs'],
  postalCode: '69003',
  city: 'Lyon',
};

const eur = (cents: number) => formatMoney(money(cents, 'EUR'));

function letter(overrides: Partial<LetterContent> = {}): LetterContent {
  return {
    subject: 'Mise en demeure de payer',
    place: 'Paris',
    date: '2026-11-25',
    body:
      'Madame, Monsieur,\n\nMalgré nos relances, les factures ci-dessous restent impayées à ce jour. ' +
      'Nous vous mettons en demeure de régler la somme de 1 357,90 € sous huit jours.\n\n' +
      "À défaut, nous engagerons une procédure de recouvrement judiciaire, sans autre préavis. L'œuvre du temps n'y changera rien.",
    items: [
      {
        invoiceNumber: 'F-2024-118',
        issueDate: '2026-09-01',
        dueDate: '2026-10-01',
        amount: eur(123456),
        balance: eur(123456),
      },
      {
        invoiceNumber: 'F-2024-131',
        issueDate: '2026-09-15',
        dueDate: '2026-10-15',
        amount: eur(20000),
        balance: eur(12334),
      },
    ],
    total: eur(135790),
    payment: {
      iban: 'FR7630006000011234567890189',
      bic: 'AGRIFRPP',
      reference: 'DUP-F-2024-118',
      holder: 'Crèmes Glacées Dupont SAS',
    },
    signature: { name: 'Jeanne Martin', title: 'Responsable recouvrement' },
    registered: true,
    ...overrides,
  };
}

describe('PDF letters for windowed envelopes', () => {
  it('prints letterhead, recipient, place and date, subject, items, total, IBAN and signature', async () => {
    const out = await renderLetterPdf({ sender, recipient, letter: letter() });
    expect(out.pdf.subarray(0, 5).toString()).toBe('%PDF-');
    expect(out.sha256).toMatch(/^[0-9a-f]{64}$/);
    const { text, pages } = await readPdf(out.pdf);
    expect(pages).toBe(out.pages);
    // Justified lines come back word by word and wrap anywhere: compare on collapsed spaces.
    const all = plain(text.join(' ')).replace(/\s+/g, ' ');
    for (const expected of [
      'Crèmes Glacées Dupont SAS',
      'SIREN 552 100 554',
      'Bœuf & Cie SARL',
      "À l'attention de Mme Hélène Dupré",
      '3 avenue des Cœurs',
      '69003 LYON',
      'Paris, le 25 novembre 2026',
      'Objet : Mise en demeure de payer',
      'Lettre recommandée avec accusé de réception',
      'F-2024-118',
      '01/10/2026',
      '1 234,56 €',
      '123,34 €',
      'Total restant dû',
      '1 357,90 €',
      'IBAN FR76 3000 6000 0112 3456 7890 189',
      'BIC AGRIFRPP',
      'Référence à rappeler : DUP-F-2024-118',
      'Jeanne Martin',
      "L'œuvre du temps",
    ]) {
      expect(all, expected).toContain(expected);
    }
  });

  it('places every recipient line inside the 45 × 100 mm envelope window', async () => {
    const out = await renderLetterPdf({ sender, recipient, letter: letter() });
    const { items } = await readPdf(out.pdf);
    const lines = addressLines(recipient);
    const found = lines.map((l) => items.find((i) => i.page === 1 && plain(i.str) === plain(l)));
    expect(found.every(Boolean)).toBe(true);
    for (const item of found) {
      if (!item) continue;
      // Baseline position from pdf.js; the glyphs sit above it by at most the font height.
      expect(item.xMm).toBeGreaterThanOrEqual(ENVELOPE_WINDOW.leftMm);
      expect(item.xMm).toBeLessThan(ENVELOPE_WINDOW.leftMm + ENVELOPE_WINDOW.widthMm);
      expect(item.topMm - item.heightMm).toBeGreaterThanOrEqual(ENVELOPE_WINDOW.topMm);
      expect(item.topMm).toBeLessThanOrEqual(ENVELOPE_WINDOW.bottomMm);
    }
    expect(found[0]?.xMm).toBeCloseTo(ADDRESS_BLOCK.xMm, 0);
    // Nothing else is printed inside the window: it would show through the envelope.
    const intruders = items.filter(
      (i) =>
        i.page === 1 &&
        !lines.map(plain).includes(plain(i.str)) &&
        i.xMm + 1 >= ENVELOPE_WINDOW.leftMm &&
        i.topMm >= ENVELOPE_WINDOW.topMm &&
        i.topMm - i.heightMm <= ENVELOPE_WINDOW.bottomMm,
    );
    expect(intruders.map((i) => i.str)).toEqual([]);
  });

  it('prints a foreign country in capitals on the last line', async () => {
    const out = await renderLetterPdf({
      sender,
      recipient: {
        name: 'Kunde GmbH',
        lines: ['Hauptstraße 5'],
        postalCode: '10115',
        city: 'Berlin',
        country: 'DE',
      },
      letter: letter({ registered: false }),
    });
    const all = plain((await readPdf(out.pdf)).text.join('\n'));
    expect(all).toContain('10115 BERLIN');
    expect(all).toContain('ALLEMAGNE');
    expect(all).not.toContain('Lettre recommandée');
  });

  it('continues the item table on a second page with its header and numbers the pages', async () => {
    const items = Array.from({ length: 45 }, (_, i) => ({
      invoiceNumber: `F-2026-${String(i + 1).padStart(3, '0')}`,
      issueDate: '2026-06-01',
      dueDate: '2026-07-01',
      amount: eur(10000 + i),
      balance: eur(10000 + i),
    }));
    const out = await renderLetterPdf({ sender, recipient, letter: letter({ items }) });
    expect(out.pages).toBeGreaterThanOrEqual(2);
    const { items: textItems } = await readPdf(out.pdf);
    const page2 = textItems.filter((i) => i.page === 2).map((i) => i.str);
    expect(page2).toContain('Facture n°');
    expect(page2).toContain('F-2026-045');
    expect(plain(textItems.map((i) => i.str).join('|'))).toContain(`Page 2/${out.pages}`);
    // Every invoice appears exactly once.
    for (const it of items) expect(textItems.filter((t) => t.str === it.invoiceNumber)).toHaveLength(1);
  });

  it('renders the same letter to the same bytes', async () => {
    const a = await renderLetterPdf({ sender, recipient, letter: letter() });
    const b = await renderLetterPdf({ sender, recipient, letter: letter() });
    expect(a.sha256).toBe(b.sha256);
  });

  it('refuses characters Helvetica cannot print instead of printing garbage', async () => {
    await expect(
      renderLetterPdf({ sender, recipient, letter: letter({ body: 'Dziękujemy — Ελλάδα' }) }),
    ).rejects.toThrow(AppError);
    expect(unencodable('1 234,56 € œ Œ ’ « » … — ÿ')).toEqual([]);
    expect(unencodable('ę Ω')).toEqual(['ę', 'Ω']);
  });

  it('refuses an address that cannot fit the window', async () => {
    const tooLong = { ...recipient, lines: ['a', 'b', 'c', 'd', 'e'] };
    await expect(renderLetterPdf({ sender, recipient: tooLong, letter: letter() })).rejects.toThrow(
      /at most 6/,
    );
  });
});

describe('letter text helpers', () => {
  it('writes long French dates with the ordinal for the first of the month', () => {
    expect(longFrenchDate('2026-11-25')).toBe('25 novembre 2026');
    expect(longFrenchDate('2026-03-01')).toBe('1er mars 2026');
    expect(longFrenchDate('2024-02-29')).toBe('29 février 2024');
    expect(() => longFrenchDate('25/11/2026')).toThrow(RangeError);
  });

  it('groups IBANs by four', () => {
    expect(formatIban('fr76 3000 6000 0112 3456 7890 189')).toBe('FR76 3000 6000 0112 3456 7890 189');
  });
});
