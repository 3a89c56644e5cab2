import { describe, expect, it } from 'vitest';
import { ChannelError, type OutboundMessage } from '../../../src/channels/channel.js';
import { LetterChannel } from '../../../src/channels/letter/letter-channel.js';
import { RecordingPostalProvider } from '../../../src/channels/letter/postal-provider.js';
import { createChannels, parseOrgChannelSettings } from '../../../src/channels/registry.js';
import { AppError } from '../../../src/errors.js';
import { plain, readPdf } from './pdf-text.js';

function letterMessage(registered: boolean, overrides: Partial<OutboundMessage> = {}): OutboundMessage {
  return {
    channel: 'letter',
    idempotencyKey: `act-7:letter:${registered}`,
    sender: { orgId: 'o', name: 'Crèmes Dupont SAS', siren: '552100554' },
    recipient: {
      customerId: 'c',
      address: { name: 'Bœuf & Cie', lines: ['3 avenue des Cœurs'], postalCode: '69003', city: 'Lyon' },
    },
    content: {
      letter: {
        subject: 'Mise en demeure de payer',
        body: 'Madame, Monsieur,\n\nNous vous mettons en demeure de régler 1 234,56 €.',
        place: 'Paris',
        date: '2026-11-25',
        registered,
      },
    },
    ...overrides,
  };
}

describe('letter channel', () => {
  it('queues a letter for printing when no postal provider is configured, with its PDF', async () => {
    const result = await new LetterChannel().send(letterMessage(true));
    expect(result.status).toBe('queued_for_print');
    expect(result.provider).toBe('print');
    expect(result.providerMessageId).toMatch(/^print:[0-9a-f]{64}$/);
    expect(result.document?.contentType).toBe('application/pdf');
    const text = plain((await readPdf(result.document?.content ?? Buffer.alloc(0))).text.join('\n'));
    expect(text).toContain('Objet : Mise en demeure de payer');
    expect(text).toContain('1 234,56 €');
  });

  it('posts a registered letter through the provider once and returns its tracking number', async () => {
    const postal = new RecordingPostalProvider();
    const channel = new LetterChannel({ postal });
    const a = await channel.send(letterMessage(true));
    const b = await channel.send(letterMessage(true));
    expect(a.status).toBe('posted');
    expect(a.trackingNumber).toMatch(/^1A\d{11}$/);
    expect(b.providerMessageId).toBe(a.providerMessageId);
    expect(postal.submitted).toHaveLength(1);
    expect(postal.submitted[0]).toMatchObject({ registered: true, pages: 1, recipient: { city: 'Lyon' } });
    const plainLetter = await channel.send(letterMessage(false));
    expect(plainLetter.trackingNumber).toBeUndefined();
  });

  it('refuses a letter without an address or with unprintable text, without retry', async () => {
    const channel = new LetterChannel();
    const noAddress = await channel
      .send(letterMessage(false, { recipient: { customerId: 'c' } }))
      .catch((e) => e);
    expect(noAddress).toBeInstanceOf(ChannelError);
    expect(noAddress).toMatchObject({ retryable: false, invalidAddress: true });
    const msg = letterMessage(false);
    if (msg.content.letter) msg.content.letter.body = 'Ελληνικά';
    expect(await channel.send(msg).catch((e) => e)).toMatchObject({
      retryable: false,
      invalidAddress: false,
    });
  });
});

describe('channel registry', () => {
  it('prefers the organisation SMTP settings over SMTP_URL and builds SMS from its provider', () => {
    const org = parseOrgChannelSettings({
      channels: {
        smtp: { host: 'smtp.org.example', port: 587, user: 'u', pass: 'p' },
        sms: { provider: 'brevo', apiKey: 'k', webhookSecret: 'w'.repeat(16) },
      },
    });
    const ch = createChannels({
      smtpUrl: 'smtp://instance.example:25',
      org,
      smsStatusCallbackBase: 'https://r.example/hooks/sms/o1',
    });
    expect(ch.email).toBeDefined();
    expect(ch.smsProvider?.name).toBe('brevo');
    expect(ch.get('letter')?.kind).toBe('letter');
    ch.close();
    expect(createChannels({}).get('email')).toBeUndefined();
  });

  it('names the bad field of invalid settings without echoing secret values', () => {
    try {
      parseOrgChannelSettings({
        channels: { sms: { provider: 'twilio', accountSid: 'nope', authToken: 'sekret-token' } },
      });
      throw new Error('should fail');
    } catch (e) {
      expect(e).toBeInstanceOf(AppError);
      const err = e as AppError;
      expect(err.details.map((d) => d.field)).toEqual(['settings.channels.sms.accountSid']);
      expect(JSON.stringify(err.details) + err.message).not.toContain('sekret-token');
    }
  });
});
