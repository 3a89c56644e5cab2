import { describe, expect, it } from 'vitest';
import { DEFAULT_TEMPLATES } from '../../../src/domain/templates/catalogue.js';
import {
  checkOverride,
  defaultTemplateParts,
  TEMPLATE_PARTS,
  validateOverride,
} from '../../../src/domain/templates/overrides.js';
import { renderTemplate } from '../../../src/domain/templates/render.js';
import type { TemplateVariables } from '../../../src/domain/templates/variables.js';
import { AppError } from '../../../src/errors.js';

function vars(customerName = 'Dupont SARL'): TemplateVariables {
  return {
    organisation: { name: 'Acme SAS', addressLines: ['1 rue de la Paix'], iban: null, bic: null },
    customer: { name: customerName, kind: 'b2b', reference: 'C-42' },
    contact: { name: 'Claire Martin' },
    invoices: [
      {
        number: 'F-1',
        issueDate: '2026-04-01',
        dueDate: '2026-05-31',
        amountMinor: 123456,
        balanceMinor: 123456,
        currency: 'EUR',
        daysLate: 16,
      },
    ],
    payment: { iban: null, bic: null, reference: null },
    today: '2026-06-16',
  };
}

function thrown(fn: () => unknown): AppError {
  try {
    fn();
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  throw new Error('expected an AppError');
}

describe('template overrides', () => {
  it('every default part passes its own validation (the known variables cover the defaults)', () => {
    for (const key of Object.keys(DEFAULT_TEMPLATES))
      for (const locale of ['fr', 'en'] as const) {
        const parts = defaultTemplateParts(key, locale);
        expect(checkOverride(parts).issues, `${key}/${locale}`).toEqual([]);
      }
  });

  it('renders the default parts as an override byte for byte like the defaults', () => {
    const plain = renderTemplate('formal_notice_b2b', 'fr', vars());
    const same = renderTemplate('formal_notice_b2b', 'fr', vars(), {
      override: defaultTemplateParts('formal_notice_b2b', 'fr'),
    });
    expect(same.sha256).toBe(plain.sha256);
  });

  it('replaces only the parts it sets', () => {
    const r = renderTemplate('first_reminder', 'fr', vars(), {
      override: { subject: 'Votre facture {{first.number}} ({{totals}})', sms: null },
    });
    expect(r.subject.replace(/[\u202f\u00a0]/g, ' ')).toBe('Votre facture F-1 (1 234,56 €)');
    expect(r.html).toContain('<title>Votre facture F-1');
    expect(r.sms.text).toBe(renderTemplate('first_reminder', 'fr', vars()).sms.text);
  });

  it('escapes a hostile customer name in an HTML override, not in text', () => {
    const hostile = '<script>alert(1)</script> & "Co"';
    const r = renderTemplate('first_reminder', 'fr', vars(hostile), {
      override: { html: '<p>Bonjour {{customer.name}}</p>', text: 'Bonjour {{customer.name}}' },
    });
    expect(r.html).toBe('<p>Bonjour &lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;Co&quot;</p>');
    expect(r.html).not.toContain('<script>');
    expect(r.text).toBe(`Bonjour ${hostile}\n`);
  });

  it('refuses an unknown variable, naming the part and the line', () => {
    const err = thrown(() => validateOverride({ text: 'Bonjour\n{{customer.nom}}' }));
    expect(err.code).toBe('VALIDATION');
    expect(err.message).toBe('template text line 2: unknown variable "customer.nom"');
    expect(err.details).toEqual([{ field: 'text', line: 2, reason: 'unknown variable "customer.nom"' }]);
    expect(() =>
      renderTemplate('first_reminder', 'fr', vars(), { override: { subject: '{{montant}}' } }),
    ).toThrow(/template subject line 1: unknown variable "montant"/);
  });

  it('knows the fields of an invoice inside {{#each invoices}} and refuses others', () => {
    expect(
      checkOverride({ text: '{{#each invoices}}{{number}} {{money balanceMinor currency}}{{/each}}' }).issues,
    ).toEqual([]);
    expect(checkOverride({ text: '{{#each invoices}}{{numero}}{{/each}}' }).issues[0]?.reason).toBe(
      'unknown variable "numero"',
    );
  });

  it('reports a syntax error and an unknown helper with their line', () => {
    const syntax = checkOverride({ letter: 'a\nb {{#if single}} c' });
    expect(syntax.issues[0]?.part).toBe('letter');
    expect(syntax.issues[0]?.reason).toMatch(/Parse error|Expecting/);
    const helper = checkOverride({ html: '<p>\n{{euros first.amountMinor}}</p>' });
    expect(helper.issues).toEqual([{ part: 'html', line: 2, reason: 'unknown helper "euros"' }]);
  });

  it('accepts literals, parent paths and blocks over known objects; checks hash arguments', () => {
    expect(
      checkOverride({
        text: '{{"ok"}} {{#each invoices}}{{../customer.name}} {{this.number}}{{/each}} {{#with customer}}{{name}}{{/with}}',
      }).issues,
    ).toEqual([]);
    expect(checkOverride({ text: '{{#with customer}}{{nom}}{{/with}}' }).issues[0]?.reason).toBe(
      'unknown variable "nom"',
    );
    expect(checkOverride({ text: '{{plural count one=inconnu}}' }).issues[0]?.reason).toBe(
      'unknown variable "inconnu"',
    );
  });

  it('lists the variables a part uses', () => {
    const c = checkOverride({
      sms: '{{organisation.name}}: {{totals}} {{#if portalUrl}}{{portalUrl}}{{/if}}',
    });
    expect(c.variables.sms).toEqual(['organisation.name', 'portalUrl']);
  });

  it('still enforces the GSM-7 segment limit on an SMS override', () => {
    const long = `{{organisation.name}} ${'rappel de paiement '.repeat(40)}`;
    const r = renderTemplate('first_reminder', 'fr', vars(), { override: { sms: long } });
    expect(r.sms.encoding).toBe('GSM-7');
    expect(r.sms.truncated).toBe(true);
    expect(r.sms.segments).toBe(3);
    expect(r.sms.units).toBeLessThanOrEqual(3 * 153);
    const one = renderTemplate('first_reminder', 'fr', vars(), {
      override: { sms: long },
      maxSmsSegments: 1,
    });
    expect(one.sms.units).toBeLessThanOrEqual(160);
  });

  it('has the five parts', () => {
    expect(TEMPLATE_PARTS).toEqual(['subject', 'html', 'text', 'sms', 'letter']);
  });
});
