import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { formatMoney } from '../../../src/domain/money/index.js';
import { DEFAULT_TEMPLATES } from '../../../src/domain/templates/catalogue.js';
import { formatMoneyCached } from '../../../src/domain/templates/engine.js';
import { renderTemplate } from '../../../src/domain/templates/render.js';
import { smsEncoding } from '../../../src/domain/templates/sms.js';
import { type TemplateVariables, toView } from '../../../src/domain/templates/variables.js';
import { AppError } from '../../../src/errors.js';

const spaces = (s: string) => s.replace(/[\u202f\u00a0]/g, ' ');

function vars(over: Partial<TemplateVariables> = {}): TemplateVariables {
  return {
    organisation: {
      name: 'Acme SAS',
      addressLines: ['1 rue de la Paix', '75002 Paris'],
      iban: 'FR76 3000 6000 0112 3456 7890 189',
      bic: 'AGRIFRPP',
      signature: 'Service recouvrement Acme',
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
        number: 'F-2026-118',
        issueDate: '2026-04-01',
        dueDate: '2026-05-31',
        amountMinor: 123456,
        balanceMinor: 123456,
        currency: 'EUR',
        daysLate: 16,
      },
    ],
    payment: { iban: 'FR76 3000 6000 0112 3456 7890 189', bic: 'AGRIFRPP', reference: 'RF18539007547034' },
    portalUrl: 'https://pay.example/p/abc',
    collector: { name: 'Paul Durand', title: 'Credit manager' },
    today: '2026-06-16',
    deadlineDays: 15,
    ...over,
  };
}

describe('renderTemplate', () => {
  it('formats money as "1 234,56 €" in French', () => {
    const r = renderTemplate('first_reminder', 'fr', vars());
    expect(spaces(r.text)).toContain('1 234,56 €');
    expect(spaces(r.html)).toContain('1 234,56 €');
    expect(r.subject).toBe('Relance : facture F-2026-118 échue – Acme SAS');
  });

  it('formats money and dates the British way in English', () => {
    const r = renderTemplate('formal_notice_b2b', 'en-GB', vars());
    expect(r.text).toContain('€1,234.56');
    expect(r.text).toContain('no later than 1 July 2026, that is within 15 days');
    expect(r.letter).toContain('16 June 2026');
    expect(r.locale).toBe('en');
  });

  it('escapes a malicious customer contact name in HTML and keeps it verbatim in text', () => {
    const evil = '<script>alert("x")</script> & Co';
    const r = renderTemplate('first_reminder', 'fr', vars({ contact: { name: evil } }));
    expect(r.html).not.toContain('<script>');
    expect(r.html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Co');
    expect(r.text).toContain(`Bonjour ${evil},`);
  });

  it('does not evaluate template syntax found in the data', () => {
    const r = renderTemplate('first_reminder', 'fr', vars({ contact: { name: '{{organisation.iban}}' } }));
    expect(r.text).toContain('Bonjour {{organisation.iban}},');
  });

  it('leaves the figures out, never a bracketed placeholder, while the penalties are not computed', () => {
    const fr = renderTemplate('second_reminder_b2b', 'fr', vars());
    expect(fr.text).not.toMatch(/\[|Pénalités de retard :/);
    expect(fr.text).toContain('article D441-5).');
    const en = renderTemplate('second_reminder_b2b', 'en', vars());
    expect(en.text).not.toMatch(/\[|Penalties:/);
  });

  it('prints the penalties from the law engine when given', () => {
    const r = renderTemplate(
      'second_reminder_b2b',
      'fr',
      vars({
        penalties: { accruedMinor: 2_217, indemnityMinor: 4_000, currency: 'EUR', asOf: '2026-06-16' },
      }),
    );
    expect(spaces(r.text)).toContain('Pénalités de retard : 22,17 € au 16 juin 2026');
    expect(r.text).not.toContain('[pénalités');
  });

  it('counts the 40 € indemnity once per late invoice, not per instalment', () => {
    const inv = vars().invoices[0];
    if (!inv) throw new Error('fixture');
    const v = vars({
      invoices: [
        { ...inv, instalmentSeq: 1 },
        { ...inv, instalmentSeq: 2 },
        { ...inv, number: 'F-2026-200', daysLate: -3 },
      ],
    });
    expect(toView('fr', v).indemnity).toEqual({ amountMinor: 4000, currency: 'EUR', computed: false });
    const r = renderTemplate('second_reminder_b2b', 'fr', v);
    expect(r.text).toContain('Facture F-2026-118 (échéance 1)');
  });

  it('never mentions the 40 € indemnity or collection fees to a consumer', () => {
    for (const key of ['second_reminder_b2c', 'formal_notice_b2c']) {
      for (const locale of ['fr', 'en']) {
        const r = renderTemplate(key, locale, vars({ customer: { name: 'M. Petit', kind: 'b2c' } }));
        const all = `${r.text}${r.sms.text}${r.letter}`;
        expect(all).not.toMatch(/40|indemnit|frais de recouvrement|recovery/i);
      }
    }
  });

  it('states that a consumer formal notice starts legal interest', () => {
    const r = renderTemplate('formal_notice_b2c', 'fr', vars());
    expect(r.letter).toContain('article 1231-6 du Code civil');
    expect(r.letter).toContain('LETTRE RECOMMANDÉE AVEC ACCUSÉ DE RÉCEPTION');
    expect(r.letter).toContain('au plus tard le 1 juillet 2026');
  });

  it('addresses the letter from the organisation to the customer', () => {
    const r = renderTemplate('formal_notice_b2b', 'fr', vars());
    expect(
      r.letter.startsWith(
        'Acme SAS\n1 rue de la Paix\n75002 Paris\n\nDupont SARL\n3 avenue Foch\n69006 Lyon\n\nLe 16 juin 2026\n',
      ),
    ).toBe(true);
    expect(r.letter).toContain('Votre référence client : C-42');
  });

  it('gives the payment instructions with IBAN and structured reference', () => {
    const r = renderTemplate('first_reminder', 'en', vars());
    expect(r.text).toContain('IBAN: FR76 3000 6000 0112 3456 7890 189');
    expect(r.text).toContain('Reference to quote: RF18539007547034');
    expect(r.html).toContain('<a href="https://pay.example/p/abc">');
  });

  it('lists several invoices with a total per currency', () => {
    const inv = vars().invoices[0];
    if (!inv) throw new Error('fixture');
    const r = renderTemplate(
      'first_reminder',
      'fr',
      vars({ invoices: [inv, { ...inv, number: 'F-2026-119', balanceMinor: 1_000, currency: 'USD' }] }),
    );
    expect(r.subject).toBe('Relance : 2 factures échues – Acme SAS');
    expect(spaces(r.text)).toContain('Total dû : 1 234,56 € + 10,00 $US');
  });

  it('renders every default template in both languages without leftovers, SMS in GSM-7', () => {
    for (const key of Object.keys(DEFAULT_TEMPLATES)) {
      for (const locale of ['fr', 'en']) {
        const r = renderTemplate(key, locale, vars());
        for (const part of [r.subject, r.html, r.text, r.letter, r.sms.text]) {
          expect(part).not.toMatch(/\{\{|\}\}|undefined|NaN|\[object/);
        }
        expect(`${key}/${locale}:${smsEncoding(r.sms.text)}`).toBe(`${key}/${locale}:GSM-7`);
        expect(r.sms.segments).toBeLessThanOrEqual(2);
      }
    }
  });

  it('hashes the rendered content so the same input gives the same sha256', () => {
    const a = renderTemplate('first_reminder', 'fr', vars());
    const b = renderTemplate('first_reminder', 'fr', vars());
    const c = renderTemplate('first_reminder', 'fr', vars({ today: '2026-06-17' }));
    expect(a.sha256).toBe(b.sha256);
    expect(a.sha256).toBe(
      createHash('sha256')
        .update(
          JSON.stringify({
            html: a.html,
            letter: a.letter,
            sms: a.sms.text,
            subject: a.subject,
            text: a.text,
          }),
        )
        .digest('hex'),
    );
    expect(c.sha256).not.toBe(a.sha256);
  });

  it("uses an organisation's edited template and falls back to the defaults for others", () => {
    const custom = {
      first_reminder: {
        fr: {
          subject: 'Petit rappel {{first.number}}',
          intro: ['Coucou.'],
          outro: [],
          sms: 'Rappel {{first.number}}',
        },
      },
    };
    expect(renderTemplate('first_reminder', 'fr', vars(), { templates: custom }).subject).toBe(
      'Petit rappel F-2026-118',
    );
    expect(renderTemplate('courtesy', 'fr', vars(), { templates: custom }).subject).toMatch(
      /^Échéance prochaine/,
    );
  });

  it('refuses an unknown template or locale with a clear error', () => {
    expect(() => renderTemplate('nope', 'fr', vars())).toThrow(AppError);
    expect(() => renderTemplate('nope', 'fr', vars())).toThrow(/no template "nope" in locale fr/);
    expect(() => renderTemplate('first_reminder', 'de', vars())).toThrow(/unsupported template locale "de"/);
  });
});

describe('cached money formatting', () => {
  it('formats exactly like formatMoney in every locale and currency exponent', () => {
    for (const locale of ['fr-FR', 'en-GB']) {
      for (const m of [
        { amount: 123456, currency: 'EUR' },
        { amount: -5, currency: 'EUR' },
        { amount: 0, currency: 'USD' },
        { amount: 1234, currency: 'JPY' },
        { amount: 1234567, currency: 'KWD' },
        { amount: 9007199254740991, currency: 'EUR' },
      ]) {
        expect(formatMoneyCached(m, locale)).toBe(formatMoney(m, locale));
      }
    }
  });
});
