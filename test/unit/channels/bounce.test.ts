import { simpleParser } from 'mailparser';
import { describe, expect, it } from 'vitest';
import { bounceFromParsedMail, parseDeliveryStatus } from '../../../src/channels/email/bounce.js';

function dsn(action: string, status: string, headersPart: string): string {
  return [
    'From: Mail Delivery System <MAILER-DAEMON@relay.example>',
    'To: compta@cremes.example',
    'Subject: Undelivered Mail Returned to Sender',
    'Date: Wed, 25 Nov 2026 10:15:00 +0100',
    'MIME-Version: 1.0',
    'Content-Type: multipart/report; report-type=delivery-status; boundary="BOUND"',
    '',
    '--BOUND',
    'Content-Type: text/plain; charset=utf-8',
    '',
    'I am sorry to inform you that your message could not be delivered.',
    '',
    '--BOUND',
    'Content-Type: message/delivery-status',
    '',
    'Reporting-MTA: dns; relay.example',
    'Arrival-Date: Wed, 25 Nov 2026 10:14:58 +0100',
    '',
    'Final-Recipient: rfc822; helene@client.example',
    'Original-Recipient: rfc822;helene@client.example',
    `Action: ${action}`,
    `Status: ${status}`,
    'Diagnostic-Code: smtp; 550 5.1.1 <helene@client.example>: Recipient address',
    '  rejected: User unknown',
    '',
    '--BOUND',
    'Content-Type: text/rfc822-headers',
    '',
    headersPart,
    '',
    '--BOUND--',
    '',
  ].join('\r\n');
}

const originalHeaders = [
  'From: "Crèmes Dupont" <compta@cremes.example>',
  'To: helene@client.example',
  'Subject: Relance',
  'Message-ID: <rl.0123abcd@reply.cremes.example>',
].join('\r\n');

describe('asynchronous bounces (RFC 3464 DSN)', () => {
  it('turns a permanent failure into a bounce of the original Message-ID that flags the address', async () => {
    const receipt = bounceFromParsedMail(await simpleParser(dsn('failed', '5.1.1', originalHeaders)));
    expect(receipt).toMatchObject({
      providerMessageId: '<rl.0123abcd@reply.cremes.example>',
      status: 'bounced',
      errorCode: '5.1.1',
      invalidAddress: true,
      eventKey: '<rl.0123abcd@reply.cremes.example>:dsn:5.1.1',
    });
    expect(receipt?.occurredAt?.toISOString()).toBe('2026-11-25T09:15:00.000Z');
  });

  it('does not blame the address for a policy bounce (5.7.1)', async () => {
    const receipt = bounceFromParsedMail(await simpleParser(dsn('failed', '5.7.1', originalHeaders)));
    expect(receipt?.status).toBe('bounced');
    expect(receipt?.invalidAddress).toBeUndefined();
  });

  it('ignores a delay notice and ordinary mail', async () => {
    expect(bounceFromParsedMail(await simpleParser(dsn('delayed', '4.4.7', originalHeaders)))).toBeNull();
    expect(bounceFromParsedMail(await simpleParser('From: a@b.c\r\nSubject: hi\r\n\r\nhello'))).toBeNull();
  });

  it('unfolds continued fields of the status block', () => {
    const [r] = parseDeliveryStatus(
      'Reporting-MTA: dns; x\n\nFinal-Recipient: rfc822; a@b.c\nAction: failed\nStatus: 5.1.1\nDiagnostic-Code: smtp; 550\n  user unknown\n',
    );
    expect(r).toEqual({
      finalRecipient: 'a@b.c',
      action: 'failed',
      status: '5.1.1',
      diagnostic: 'smtp; 550 user unknown',
    });
  });
});
