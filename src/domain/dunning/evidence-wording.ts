/**
 * What a timeline or evidence entry says happened, in French or English, from what was
 * recorded (kind, channel, payload) — never more than happened: a registered letter handed to
 * the print queue is "mise en file d'impression", not "sent"; it is "remise à La Poste" once
 * posted (with its tracking number) and "AR reçu le …" when the receipt comes back. An email
 * is "envoyé" when the SMTP server accepted it, then "délivré" or "rejeté" from the receipts.
 * Pure: the server stores the English wording as the entry's summary and serves both.
 */
export type EvidenceLang = 'fr' | 'en';

export interface DescribableEntry {
  kind: string;
  channel: string | null;
  summary: string;
  payload: Record<string, unknown>;
}

const str = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' ? v : null);

/** 2026-12-20 → "20/12/2026" (fr) or "20 Dec 2026" (en); other text unchanged. */
export function evidenceDate(d: string, lang: EvidenceLang): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(d);
  if (!m) return d;
  const [, y, mo, da] = m;
  if (lang === 'fr') return `${da}/${mo}/${y}`;
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  return `${Number(da)} ${months[Number(mo) - 1]} ${y}`;
}

const isLetter = (channel: string | null) => channel === 'letter' || channel === 'registered_letter';

function letterNoun(channel: string | null, lang: EvidenceLang): string {
  if (channel === 'registered_letter') return lang === 'fr' ? 'lettre recommandée' : 'registered letter';
  return lang === 'fr' ? 'lettre' : 'letter';
}

function tracking(n: string | null, lang: EvidenceLang): string {
  if (!n) return '';
  return lang === 'fr' ? ` (n° ${n})` : ` (tracking no. ${n})`;
}

/** A message handed to its channel: what the channel's answer actually means. */
export function describeSent(
  p: {
    stepLabel: string;
    channel: string;
    toAddress?: string | null;
    invoiceNumbers: string[];
    /** The channel's answer: 'sent' (SMTP accepted), 'queued', 'queued_for_print', 'posted'. */
    deliveryStatus: string;
    trackingNumber?: string | null;
  },
  lang: EvidenceLang,
): string {
  const items = p.invoiceNumbers.length > 0 ? `: ${p.invoiceNumbers.join(', ')}` : '';
  const to = p.toAddress ? (lang === 'fr' ? ` à ${p.toAddress}` : ` to ${p.toAddress}`) : '';
  const fr = lang === 'fr';
  if (isLetter(p.channel)) {
    const noun = letterNoun(p.channel, lang);
    if (p.deliveryStatus === 'posted') {
      return fr
        ? `${p.stepLabel} : ${noun} remise à La Poste${tracking(p.trackingNumber ?? null, lang)}${items}`
        : `${p.stepLabel}: ${noun} handed to the post${tracking(p.trackingNumber ?? null, lang)}${items}`;
    }
    return fr
      ? `${p.stepLabel} : ${noun} mise en file d'impression (pas encore remise à La Poste)${items}`
      : `${p.stepLabel}: ${noun} queued for printing (not yet posted)${items}`;
  }
  if (p.channel === 'email') {
    if (p.deliveryStatus === 'queued')
      return fr
        ? `${p.stepLabel} : e-mail en file d'envoi${to}${items}`
        : `${p.stepLabel}: email queued for sending${to}${items}`;
    return fr
      ? `${p.stepLabel} : e-mail envoyé${to} (accepté par le serveur d'envoi)${items}`
      : `${p.stepLabel}: email sent${to} (accepted by the mail server)${items}`;
  }
  if (p.channel === 'sms') {
    return fr
      ? `${p.stepLabel} : SMS ${p.deliveryStatus === 'queued' ? "en file d'envoi" : 'envoyé'}${to}${items}`
      : `${p.stepLabel}: SMS ${p.deliveryStatus === 'queued' ? 'queued for sending' : 'sent'}${to}${items}`;
  }
  if (p.channel === 'portal_notice') {
    return fr
      ? `${p.stepLabel} : avis publié sur l'espace client${items}`
      : `${p.stepLabel}: notice published on the customer portal${items}`;
  }
  return fr
    ? `${p.stepLabel} : envoyé par ${p.channel}${to}${items}`
    : `${p.stepLabel}: sent by ${p.channel}${to}${items}`;
}

const RECEIPT_WORDS: Record<string, { fr: string; en: string }> = {
  delivered: { fr: 'délivré', en: 'delivered' },
  opened: { fr: 'ouvert', en: 'opened' },
  clicked: { fr: 'lien cliqué', en: 'link clicked' },
  bounced: { fr: 'rejeté', en: 'rejected (bounced)' },
  failed: { fr: 'échec de remise', en: 'delivery failed' },
};

/** An entry's wording in a language; entries the wording does not know keep their summary. */
export function describeEvidence(e: DescribableEntry, lang: EvidenceLang): string {
  const p = e.payload;
  const fr = lang === 'fr';
  if (e.kind === 'message_sent') {
    const step = str(p.stepLabel) ?? str(p.subject) ?? (fr ? 'Relance' : 'Reminder');
    const items = Array.isArray(p.items)
      ? p.items.map((i) => str((i as Record<string, unknown>)?.number)).filter((x): x is string => x !== null)
      : [];
    return describeSent(
      {
        stepLabel: step,
        channel: e.channel ?? '',
        toAddress: str(p.toAddress),
        invoiceNumbers: items,
        deliveryStatus: str(p.deliveryStatus) ?? 'sent',
        trackingNumber: str(p.trackingNumber),
      },
      lang,
    );
  }
  if (e.kind === 'delivery_status' && isLetter(e.channel)) {
    const noun = letterNoun(e.channel, lang);
    const n = tracking(str(p.trackingNumber), lang);
    if (p.status === 'posted' && str(p.postedOn)) {
      const on = evidenceDate(str(p.postedOn) ?? '', lang);
      return fr
        ? `${cap(noun)} remise à La Poste le ${on}${n}`
        : `${cap(noun)} handed to the post on ${on}${n}`;
    }
    if (p.status === 'delivered' && str(p.receivedOn)) {
      const on = evidenceDate(str(p.receivedOn) ?? '', lang);
      return fr ? `AR reçu le ${on}${n}` : `Acknowledgement of receipt: received on ${on}${n}`;
    }
  }
  if (e.kind === 'delivery_status' && (e.channel === 'email' || e.channel === 'sms')) {
    const status = str(p.status);
    const w = status ? RECEIPT_WORDS[status] : undefined;
    if (w) {
      const noun = e.channel === 'sms' ? 'SMS' : fr ? 'E-mail' : 'Email';
      const code = str(p.errorCode) ? ` (${str(p.errorCode)})` : '';
      return `${noun} ${fr ? w.fr : w.en}${code}`;
    }
  }
  return e.summary;
}

function cap(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
