import { describe, expect, it } from 'vitest';
import { DEFAULT_TEMPLATES } from '../../../src/domain/templates/catalogue.js';
import { renderTemplate } from '../../../src/domain/templates/render.js';
import type { TemplateVariables } from '../../../src/domain/templates/variables.js';

const vars = (onlinePayment: boolean | undefined): TemplateVariables => ({
  organisation: {
    name: 'Acme SAS',
    addressLines: ['1 rue de la Paix', '75002 Paris'],
    iban: null,
    bic: null,
  },
  customer: { name: 'Dupont SARL', kind: 'b2b', reference: 'C-42' },
  contact: null,
  invoices: [
    {
      number: 'F-1',
      issueDate: '2026-10-01',
      dueDate: '2026-11-01',
      amountMinor: 10_000,
      balanceMinor: 10_000,
      currency: 'EUR',
      daysLate: 30,
    },
  ],
  payment: { iban: null, bic: null, reference: 'C-42' },
  portalUrl: 'https://relance.example/portal/tok',
  today: '2026-12-01',
  deadlineDays: 15,
  ...(onlinePayment === undefined ? {} : { onlinePayment }),
});

/** Any wording that offers to pay online. */
const PAY_ONLINE = /régler vos factures en ligne|payer en ligne|pay your invoices online|pay online/i;

describe('messages offer to pay online only with a payment provider (issue 13)', () => {
  for (const key of Object.keys(DEFAULT_TEMPLATES))
    for (const locale of ['fr', 'en'] as const)
      it(`${key}/${locale}`, () => {
        for (const none of [false, undefined]) {
          const r = renderTemplate(key, locale, vars(none));
          for (const part of [r.subject, r.text, r.html, r.sms.text, r.letter]) {
            expect(part).not.toMatch(PAY_ONLINE);
          }
          // The portal link is still given, to view the invoices.
          expect(r.text).toContain('https://relance.example/portal/tok');
          expect(r.text).toContain(
            locale === 'fr' ? 'Consulter vos factures en ligne' : 'View your invoices online',
          );
        }
        const withProvider = renderTemplate(key, locale, vars(true));
        expect(withProvider.text).toMatch(PAY_ONLINE);
        expect(withProvider.html).toMatch(PAY_ONLINE);
      });
});
