/**
 * Opt-out keywords in inbound SMS. A collection SMS is not marketing (the STOP mention of
 * art. L34-5 CPCE is not mandatory for it), but a B2C debtor who answers STOP has said they
 * no longer want SMS: we honour it and fall back to email or letter. Keywords: the carriers'
 * usual English set (as Twilio applies them) plus the French words in use.
 */
const STOP_WORDS = new Set([
  'STOP',
  'STOPALL',
  'STOPSMS',
  'UNSUBSCRIBE',
  'CANCEL',
  'END',
  'QUIT',
  'ARRET',
  'ARRETER',
  'DESABONNER',
  'DESINSCRIPTION',
  'DESINSCRIRE',
]);
const START_WORDS = new Set(['START', 'UNSTOP', 'YES', 'OUI', 'REPRENDRE']);

export type OptKeyword = 'stop' | 'start';

/**
 * The keyword an inbound SMS carries, or null. Only the first word counts (a debtor
 * writing "je ne peux pas payer, stop aux relances" is a reply to read, not an opt-out);
 * "STOP 36180" and "Stop." are opt-outs.
 */
export function parseOptKeyword(text: string): OptKeyword | null {
  const first = text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .trim()
    .split(/[\s.,!;:]+/)[0]
    ?.toUpperCase();
  if (!first) return null;
  if (STOP_WORDS.has(first)) return 'stop';
  if (START_WORDS.has(first)) return 'start';
  return null;
}

export interface OptEvent {
  phone: string;
  keyword: OptKeyword;
  at: Date;
}

/** Opted out when the latest keyword from this number is STOP. */
export function isOptedOut(phone: string, events: OptEvent[]): boolean {
  let latest: OptEvent | undefined;
  for (const e of events) {
    if (e.phone !== phone) continue;
    if (!latest || e.at.getTime() >= latest.at.getTime()) latest = e;
  }
  return latest?.keyword === 'stop';
}

/** "STOP au 36180": the mention for marketing SMS, optional for collection messages. */
export function stopMention(shortCode: string): string {
  return `STOP au ${shortCode}`;
}
