import type { ParsedMail } from 'mailparser';
import type { DeliveryReceipt } from '../sms/provider.js';

/**
 * Asynchronous bounces. A relay that accepted our message (so the send was 'sent') may
 * fail later and mail back a delivery status notification: multipart/report with a
 * message/delivery-status part (RFC 3464) and the original message or its headers. This
 * turns one into a receipt for the original Message-ID, so the same recordDeliveryEvents
 * path moves the delivery to 'bounced' and flags the address on a permanent failure.
 */
export interface DsnRecipient {
  finalRecipient: string;
  action: string;
  status: string;
  diagnostic?: string;
}

/** Parse the fields of a message/delivery-status body (per-message block, then per-recipient blocks). */
export function parseDeliveryStatus(body: string): DsnRecipient[] {
  const blocks = body
    .replace(/\r\n/g, '\n')
    .replace(/\n[ \t]+/g, ' ') // unfold continuation lines
    .split(/\n\s*\n/);
  const out: DsnRecipient[] = [];
  for (const block of blocks) {
    const fields = new Map<string, string>();
    for (const line of block.split('\n')) {
      const m = /^([A-Za-z-]+)\s*:\s*(.*)$/.exec(line.trim());
      if (m?.[1] && m[2] !== undefined) fields.set(m[1].toLowerCase(), m[2].trim());
    }
    const action = fields.get('action');
    const status = fields.get('status');
    if (!action || !status) continue;
    const recipient = (fields.get('final-recipient') ?? fields.get('original-recipient') ?? '').replace(
      /^rfc822\s*;\s*/i,
      '',
    );
    const diagnostic = fields.get('diagnostic-code');
    out.push({
      finalRecipient: recipient,
      action: action.toLowerCase(),
      status,
      ...(diagnostic ? { diagnostic } : {}),
    });
  }
  return out;
}

function originalMessageId(text: string): string | undefined {
  return /^Message-ID:\s*(<[^>]+>)/im.exec(text.replace(/\r\n/g, '\n'))?.[1];
}

/**
 * A receipt for the bounced message, or null when the mail is not a DSN about one of our
 * messages. Action "failed" with a 5.x.x status is a hard bounce (5.1.x: bad address);
 * "delayed" (4.x.x) is ignored: the relay is still trying.
 */
export function bounceFromParsedMail(mail: ParsedMail, provider = 'smtp'): DeliveryReceipt | null {
  const parts = mail.attachments ?? [];
  const statusPart = parts.find((a) => a.contentType === 'message/delivery-status');
  const contentType = mail.headers.get('content-type') as { value?: string } | string | undefined;
  const type = (typeof contentType === 'string' ? contentType : (contentType?.value ?? '')).toLowerCase();
  // mailparser inlines a message/delivery-status part into the text body; older versions
  // kept it as an attachment. Accept both, but only inside a multipart/report.
  let statusText: string | undefined;
  if (statusPart) statusText = statusPart.content.toString('utf8');
  else if (type.startsWith('multipart/report')) statusText = mail.text ?? '';
  if (!statusText) return null;
  const recipients = parseDeliveryStatus(statusText);
  const failed = recipients.find((r) => r.action === 'failed');
  if (!failed) return null;
  const original = parts.find(
    (a) => a.contentType === 'message/rfc822' || a.contentType === 'text/rfc822-headers',
  );
  const messageId = original ? originalMessageId(original.content.toString('utf8')) : undefined;
  if (!messageId) return null;
  const permanent = failed.status.startsWith('5');
  return {
    provider,
    providerMessageId: messageId,
    status: permanent ? 'bounced' : 'failed',
    providerStatus: `dsn:${failed.status}`,
    errorCode: failed.status,
    eventKey: `${messageId}:dsn:${failed.status}`,
    ...(mail.date ? { occurredAt: mail.date } : {}),
    ...(permanent && /^5\.1\./.test(failed.status) ? { invalidAddress: true } : {}),
  };
}
