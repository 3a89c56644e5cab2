import { describe, expect, it } from 'vitest';
import { DEFAULT_TEMPLATES } from '../../../src/domain/templates/catalogue.js';
import { renderTemplate } from '../../../src/domain/templates/render.js';
import type { TemplateVariables } from '../../../src/domain/templates/variables.js';

/** Any wording that claims an earlier reminder was sent. */
const CLAIMS_EARLIER =
  /précédente relance|précédentes relances|nos relances|notre relance|malgré|deuxième relance|2e relance|déjà relancé|previous reminder|our reminders|our reminder|despite|second reminder|already reminded/i;
/** Bracketed placeholders and unresolved template variables. */
const PLACEHOLDER = /\[[^\]]*\]|\{\{|\}\}|undefined|NaN|null/;

function vars(over: Partial<TemplateVariables> = {}): TemplateVariables {
  return {
    organisation: {
      name: 'Acme SAS',
      addressLines: ['1 rue de la Paix', '75002 Paris'],
      iban: null,
      bic: null,
    },
    customer: {
      name: 'Dupont SARL',
      kind: 'b2b',
      reference: 'C-42',
      addressLines: ['3 avenue Foch', '69006 Lyon'],
    },
    contact: { name: 'Claire Martin' },
    invoices: [
      {
        number: 'F-2024-118',
        issueDate: '2024-08-01',
        dueDate: '2024-09-01',
        amountMinor: 123456,
        balanceMinor: 123456,
        currency: 'EUR',
        daysLate: 650,
      },
    ],
    payment: { iban: null, bic: null, reference: 'C-42' },
    portalUrl: null,
    collector: null,
    // Friday 4 December 2026: 15 days later is Saturday 19 December.
    today: '2026-12-04',
    deadlineDays: 15,
    ...over,
  };
}

const keys = Object.keys(DEFAULT_TEMPLATES);
const parts = (r: ReturnType<typeof renderTemplate>) => ({
  subject: r.subject,
  text: r.text,
  html: r.html,
  sms: r.sms.text,
  letter: r.letter,
});

describe('every template tells the truth about earlier reminders', () => {
  for (const key of keys)
    for (const locale of ['fr', 'en'])
      it(`${key}/${locale}: no claim of an earlier reminder and no placeholder when none was sent`, () => {
        const r = renderTemplate(
          key,
          locale,
          vars({ customer: { ...vars().customer, kind: key.endsWith('_b2c') ? 'b2c' : 'b2b' } }),
        );
        for (const [part, text] of Object.entries(parts(r))) {
          expect(text, `${key}/${locale} ${part}`).not.toMatch(CLAIMS_EARLIER);
          expect(text, `${key}/${locale} ${part}`).not.toMatch(PLACEHOLDER);
        }
      });

  const history = [
    { date: '2026-11-03', channels: ['email'] },
    { date: '2026-11-17', channels: ['email', 'sms'] },
  ];
  for (const key of keys.filter((k) => k.startsWith('second_reminder') || k.startsWith('formal_notice')))
    it(`${key}: names the dates and channels of the reminders actually sent`, () => {
      const fr = renderTemplate(key, 'fr', vars({ history }));
      expect(fr.text).toContain(
        'Malgré nos relances des 3 novembre 2026 (courriel) et 17 novembre 2026 (courriel et SMS)',
      );
      expect(fr.letter).toContain('3 novembre 2026');
      const en = renderTemplate(key, 'en', vars({ history: history.slice(0, 1) }));
      expect(en.text).toContain('Despite our reminder of 3 November 2026 (email)');
      for (const text of Object.values(parts(fr))) expect(text).not.toMatch(PLACEHOLDER);
    });

  it('writes a formal notice deadline that falls on a working day (a Saturday moves to Monday)', () => {
    const fr = renderTemplate('formal_notice_b2b', 'fr', vars());
    expect(fr.text).toContain('au plus tard le 21 décembre 2026');
    expect(fr.sms.text).toContain('21/12/2026');
    expect(renderTemplate('formal_notice_b2c', 'en', vars()).text).toContain(
      'no later than 21 December 2026',
    );
  });
});
