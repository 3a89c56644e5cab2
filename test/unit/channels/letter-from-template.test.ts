import { describe, expect, it } from 'vitest';
import { letterFromTemplate } from '../../../src/channels/letter/from-template.js';
import { renderLetterPdf } from '../../../src/channels/letter/render-letter.js';
import { renderTemplate } from '../../../src/domain/templates/render.js';
import type { TemplateVariables } from '../../../src/domain/templates/variables.js';
import { AppError } from '../../../src/errors.js';
import { plain, readPdf } from './pdf-text.js';

const vars: TemplateVariables = {
  organisation: {
    name: 'Crèmes Dupont SAS',
    addressLines: ['12 rue de la Paix', '75002 Paris'],
    iban: 'FR76 3000 6000 0112 3456 7890 189',
    bic: 'AGRIFRPP',
    signature: 'Service recouvrement',
  },
  customer: {
    name: 'Bœuf & Cie SARL',
    kind: 'b2b',
    reference: 'C-42',
    addressLines: ['3 avenue des Cœurs', '69003 Lyon'],
  },
  contact: { name: 'Hélène Dupré' },
  invoices: [
    {
      number: 'F-2024-118',
      issueDate: '2026-09-01',
      dueDate: '2026-10-01',
      amountMinor: 123456,
      balanceMinor: 123456,
      currency: 'EUR',
      daysLate: 55,
    },
  ],
  payment: { iban: 'FR76 3000 6000 0112 3456 7890 189', bic: 'AGRIFRPP', reference: 'RF18539007547034' },
  collector: { name: 'Jeanne Martin', title: 'Responsable recouvrement' },
  today: '2026-11-25',
  deadlineDays: 8,
};

describe('letters from rendered templates', () => {
  it('prints the formal notice template into a PDF without duplicating the address blocks', async () => {
    const rendered = renderTemplate('formal_notice_b2b', 'fr', vars);
    const letter = letterFromTemplate(rendered.letter, {
      place: 'Paris',
      date: '2026-11-25',
      registered: true,
    });
    expect(letter.subject).toBe(rendered.subject);
    expect(letter.body).not.toContain('Crèmes Dupont SAS\n12 rue de la Paix');
    const out = await renderLetterPdf({
      sender: { orgId: 'o', name: 'Crèmes Dupont SAS', siren: '552100554' },
      recipient: {
        name: 'Bœuf & Cie SARL',
        lines: ['3 avenue des Cœurs'],
        postalCode: '69003',
        city: 'Lyon',
      },
      letter,
    });
    const { text, items } = await readPdf(out.pdf);
    const all = plain(text.join(' ')).replace(/\s+/g, ' ');
    expect(all).toContain(`Objet : ${plain(rendered.subject)}`);
    expect(all).toContain('F-2024-118');
    expect(all).toContain('1 234,56 €');
    expect(all).toContain('FR76 3000 6000 0112 3456 7890 189');
    expect(all).toContain('Jeanne Martin');
    // The addressee appears once: in the window block, not again from the template text.
    expect(items.filter((i) => plain(i.str) === '3 avenue des Cœurs')).toHaveLength(1);
  });

  it('refuses a letter text without a subject line', () => {
    expect(() => letterFromTemplate('Bonjour\n\nMerci', { place: 'Paris', date: '2026-11-25' })).toThrow(
      AppError,
    );
  });
});
