import { describe, expect, it } from 'vitest';
import { describeEvidence, describeSent } from '../../../src/domain/dunning/evidence-wording.js';

const sentLetter = (deliveryStatus: string, trackingNumber: string | null = null) => ({
  kind: 'message_sent',
  channel: 'registered_letter',
  summary: 'legacy summary',
  payload: {
    stepLabel: 'Mise en demeure',
    deliveryStatus,
    trackingNumber,
    items: [{ number: 'F-1' }, { number: 'F-2' }],
  },
});

describe('evidence tells the truth', () => {
  it('a registered letter waiting for print is queued, not sent', () => {
    expect(describeEvidence(sentLetter('queued_for_print'), 'fr')).toBe(
      "Mise en demeure : lettre recommandée mise en file d'impression (pas encore remise à La Poste): F-1, F-2",
    );
    expect(describeEvidence(sentLetter('queued_for_print'), 'en')).toBe(
      'Mise en demeure: registered letter queued for printing (not yet posted): F-1, F-2',
    );
    for (const lang of ['fr', 'en'] as const)
      expect(describeEvidence(sentLetter('queued_for_print'), lang)).not.toMatch(/\bsent\b|envoy/i);
  });

  it('a letter handed to a postal provider is posted, with its tracking number', () => {
    expect(describeEvidence(sentLetter('posted', '1A0123'), 'fr')).toBe(
      'Mise en demeure : lettre recommandée remise à La Poste (n° 1A0123): F-1, F-2',
    );
  });

  it('posting and the receipt (AR) are named with their dates', () => {
    const posted = {
      kind: 'delivery_status',
      channel: 'registered_letter',
      summary: 'x',
      payload: { status: 'posted', postedOn: '2026-11-20', trackingNumber: '1A0123' },
    };
    expect(describeEvidence(posted, 'fr')).toBe(
      'Lettre recommandée remise à La Poste le 20/11/2026 (n° 1A0123)',
    );
    expect(describeEvidence(posted, 'en')).toBe(
      'Registered letter handed to the post on 20 Nov 2026 (tracking no. 1A0123)',
    );
    const ar = {
      ...posted,
      payload: { status: 'delivered', receivedOn: '2026-11-23', trackingNumber: '1A0123' },
    };
    expect(describeEvidence(ar, 'fr')).toBe('AR reçu le 23/11/2026 (n° 1A0123)');
    expect(describeEvidence(ar, 'en')).toBe(
      'Acknowledgement of receipt: received on 23 Nov 2026 (tracking no. 1A0123)',
    );
  });

  it('an email is sent when the server accepted it, then delivered or rejected from the receipts', () => {
    const sent = describeSent(
      {
        stepLabel: 'Première relance',
        channel: 'email',
        toAddress: 'compta@client.example',
        invoiceNumbers: ['F-1'],
        deliveryStatus: 'sent',
      },
      'fr',
    );
    expect(sent).toBe(
      "Première relance : e-mail envoyé à compta@client.example (accepté par le serveur d'envoi): F-1",
    );
    const receipt = (status: string, errorCode: string | null = null) => ({
      kind: 'delivery_status',
      channel: 'email',
      summary: 'x',
      payload: { status, errorCode },
    });
    expect(describeEvidence(receipt('delivered'), 'fr')).toBe('E-mail délivré');
    expect(describeEvidence(receipt('bounced', '5.1.1'), 'fr')).toBe('E-mail rejeté (5.1.1)');
    expect(describeEvidence(receipt('bounced', '5.1.1'), 'en')).toBe('Email rejected (bounced) (5.1.1)');
  });

  it('keeps the stored summary for entries it has no wording for', () => {
    expect(
      describeEvidence({ kind: 'note', channel: 'portal', summary: 'portal viewed', payload: {} }, 'fr'),
    ).toBe('portal viewed');
  });
});
