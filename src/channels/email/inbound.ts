import type { AddressObject, ParsedMail } from 'mailparser';
import { type ExtractedReplyToken, extractReplyToken, type InboundEnvelope } from './reply-token.js';

/**
 * An inbound email reduced to what filing a reply needs. Built from mailparser's output so
 * the HTTP inbound route (raw MIME from a forwarding MTA or a provider's inbound webhook)
 * and an IMAP poller share one path.
 */
export interface InboundEmail extends InboundEnvelope {
  messageId: string;
  from: string;
  subject: string;
  text: string;
  receivedAt: Date;
}

function addresses(field: AddressObject | AddressObject[] | undefined): string[] {
  if (!field) return [];
  const list = Array.isArray(field) ? field : [field];
  return list.flatMap((a) => a.value.map((v) => v.address ?? '')).filter(Boolean);
}

/** Reduce a parsed message; `envelopeTo` is the SMTP RCPT TO list when known (it survives Bcc). */
export function inboundFromParsedMail(
  mail: ParsedMail,
  envelopeTo: string[] = [],
  now = new Date(),
): InboundEmail {
  const deliveredTo = mail.headers.get('delivered-to');
  const tokenHeader = mail.headers.get('x-relance-token');
  return {
    messageId: mail.messageId ?? '',
    from: addresses(mail.from)[0] ?? '',
    subject: mail.subject ?? '',
    text: mail.text ?? '',
    receivedAt: mail.date ?? now,
    recipients: [
      ...envelopeTo,
      ...addresses(mail.to),
      ...addresses(mail.cc),
      ...(typeof deliveredTo === 'string' ? [deliveredTo] : []),
    ],
    ...(mail.inReplyTo ? { inReplyTo: mail.inReplyTo } : {}),
    ...(mail.references ? { references: mail.references } : {}),
    ...(typeof tokenHeader === 'string' ? { tokenHeader } : {}),
  };
}

/** Drop the quoted original below the reply, so the timeline shows what the debtor wrote. */
export function stripQuotedReply(text: string): string {
  const lines = text.split(/\r?\n/);
  const out: string[] = [];
  for (const line of lines) {
    // "Le lun. 25 nov. 2026 à 10:00, X a écrit :" / "On Mon, … wrote:" / "-----Original Message-----"
    if (
      /^(Le .+a écrit\s*:|On .+wrote:|-{2,}\s*(Original Message|Message d'origine)\s*-{2,})\s*$/i.test(
        line.trim(),
      )
    )
      break;
    if (line.startsWith('>')) continue;
    out.push(line);
  }
  return out.join('\n').trim();
}

export function findReplyToken(mail: InboundEmail, secret: string): ExtractedReplyToken | null {
  return extractReplyToken(mail, secret);
}
