import { simpleParser } from 'mailparser';
import MailComposer from 'nodemailer/lib/mail-composer/index.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EmailChannel } from '../../../src/channels/email/email-channel.js';
import {
  findReplyToken,
  inboundFromParsedMail,
  stripQuotedReply,
} from '../../../src/channels/email/inbound.js';
import { createReplyToken } from '../../../src/channels/email/reply-token.js';
import { parseSmtpUrl } from '../../../src/channels/email/smtp-settings.js';
import { type SmtpFixture, startSmtpFixture } from './smtp-fixture.js';

const SECRET = 'reply-secret-0123456789';
const deliveryId = 'a3f1c2d4-5b6e-4f70-8a9b-0c1d2e3f4a5b';

function compose(opts: ConstructorParameters<typeof MailComposer>[0]): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    new MailComposer(opts).compile().build((err, msg) => (err ? reject(err) : resolve(msg))),
  );
}

describe('replies to a sent reminder find their way back', () => {
  let smtp: SmtpFixture;
  let sentMessageId: string;
  let replyTo: string;

  beforeAll(async () => {
    smtp = await startSmtpFixture();
    const channel = new EmailChannel({ smtp: parseSmtpUrl(`smtp://127.0.0.1:${smtp.port}`) });
    const result = await channel.send({
      channel: 'email',
      idempotencyKey: 'act-9',
      replyToken: createReplyToken(deliveryId, SECRET),
      sender: {
        orgId: 'o',
        name: 'Crèmes Dupont',
        email: 'compta@cremes.example',
        replyDomain: 'in.cremes.example',
      },
      recipient: { customerId: 'c', email: 'helene@client.example' },
      content: { subject: 'Relance : facture n° F-2024-118 échue', text: 'Merci de régler.' },
    });
    channel.close();
    sentMessageId = result.providerMessageId;
    replyTo = smtp.received[0]?.parsed.replyTo?.value[0]?.address ?? '';
  });
  afterAll(async () => smtp.close());

  it('files a reply sent to the Reply-To address under the right delivery', async () => {
    const raw = await compose({
      from: 'Hélène Dupré <helene@client.example>',
      to: replyTo,
      subject: 'Re: Relance : facture n° F-2024-118 échue',
      inReplyTo: sentMessageId,
      references: [sentMessageId],
      text: 'Bonjour,\nJe règle vendredi.\n\nLe lun. 25 nov. 2026 à 10:00, Crèmes Dupont a écrit :\n> Merci de régler.',
    });
    const mail = inboundFromParsedMail(await simpleParser(raw));
    expect(findReplyToken(mail, SECRET)).toMatchObject({ id: deliveryId, source: 'address' });
    expect(mail.from).toBe('helene@client.example');
    expect(stripQuotedReply(mail.text)).toBe('Bonjour,\nJe règle vendredi.');
  });

  it('still finds it when the debtor answered the From address (In-Reply-To only)', async () => {
    const raw = await compose({
      from: 'helene@client.example',
      to: 'compta@cremes.example',
      subject: 'Re: Relance',
      inReplyTo: sentMessageId,
      text: 'Virement fait ce jour.',
    });
    const mail = inboundFromParsedMail(await simpleParser(raw), ['compta@cremes.example']);
    expect(findReplyToken(mail, SECRET)).toMatchObject({ id: deliveryId, source: 'in-reply-to' });
  });

  it('ignores a message with a forged token', async () => {
    const forged = createReplyToken(deliveryId, 'attacker-secret-000000');
    const raw = await compose({
      from: 'x@evil.example',
      to: `relance+${forged}@in.cremes.example`,
      subject: 'Re: Relance',
      text: 'payé',
    });
    expect(findReplyToken(inboundFromParsedMail(await simpleParser(raw)), SECRET)).toBeNull();
  });
});
