import { describe, expect, it } from 'vitest';
import { appendEvidence, verifyChain } from '../../../src/domain/dunning/evidence.js';
import { evidenceForAction, templateVariablesForAction } from '../../../src/domain/dunning/message.js';
import { planCustomer } from '../../../src/domain/dunning/planner.js';
import { renderTemplate } from '../../../src/domain/templates/render.js';
import { invoice, parisAt, plannerInput } from './fixtures.js';

const ctx = {
  organisation: {
    name: 'Acme SAS',
    addressLines: ['1 rue de la Paix'],
    iban: 'FR76 3000 6000 0112 3456 7890 189',
    bic: 'AGRIFRPP',
  },
  customer: { name: 'Dupont SARL', kind: 'b2b' as const },
  contactName: 'Claire Martin',
  payment: { iban: 'FR76 3000 6000 0112 3456 7890 189', bic: 'AGRIFRPP', reference: 'RF18539007547034' },
  today: '2026-06-16',
};

describe('from planned action to message and evidence', () => {
  const moved = invoice({
    dueDate: '2026-05-31',
    invoiceNumber: 'F-A',
    grossMinor: 150_000,
    balanceMinor: 120_000,
  });
  const listed = invoice({
    dueDate: '2026-06-05',
    invoiceNumber: 'F-B',
    balanceMinor: 30_000,
    issueDate: '2026-05-05',
  });
  const action = planCustomer(
    plannerInput({
      items: [moved, listed],
      history: [
        {
          invoiceId: moved.invoiceId,
          instalmentSeq: null,
          stepKey: 'first_reminder',
          at: parisAt('2026-06-07'),
        },
        {
          invoiceId: listed.invoiceId,
          instalmentSeq: null,
          stepKey: 'first_reminder',
          at: parisAt('2026-06-12'),
        },
      ],
    }),
  ).actions[0];
  if (!action) throw new Error('fixture: expected an action');

  it('lists the moved and the other overdue items on the statement, oldest first', () => {
    const v = templateVariablesForAction(action, ctx);
    expect(v.invoices.map((i) => [i.number, i.amountMinor, i.balanceMinor, i.daysLate])).toEqual([
      ['F-A', 150_000, 120_000, 16],
      ['F-B', 30_000, 30_000, 11],
    ]);
    const r = renderTemplate(action.templateKey, 'fr', v);
    expect(r.text.replace(/[\u202f\u00a0]/g, ' ')).toContain('Total dû : 1 500,00 €');
  });

  it('records what was sent, to whom, for which items, with the content hash', () => {
    const e = evidenceForAction(action, {
      id: 'ev-1',
      at: '2026-06-16T07:00:03.000Z',
      channel: 'email',
      to: 'claire@client.example',
      contentSha256: 'c'.repeat(64),
      providerMessageId: '<m1@smtp>',
    });
    expect(e.summary).toBe(
      'second reminder sent by email to claire@client.example for F-A (statement total 1500.00 EUR)',
    );
    expect(e.kind).toBe('message_sent');
    expect(e.payload).toMatchObject({
      idempotencyKey: action.idempotencyKey,
      policyKey: 'FR-B2B-standard',
      policyVersion: 1,
      stepKey: 'second_reminder',
      providerMessageId: '<m1@smtp>',
      statementItems: [listed.invoiceId],
    });
    const chain = [appendEvidence(null, e)];
    expect(verifyChain(chain).ok).toBe(true);
  });
});
