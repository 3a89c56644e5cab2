import { addDays, type IsoDate, nextWorkingDay } from '../calendar/index.js';

/** What a dunning template can use. Amounts are integer minor units with their currency. */
export interface TemplateInvoice {
  number: string;
  issueDate: IsoDate | null;
  dueDate: IsoDate;
  amountMinor: number;
  balanceMinor: number;
  currency: string;
  daysLate: number;
  instalmentSeq?: number | null;
}

export interface TemplatePenalties {
  /** Late-payment penalties accrued to `asOf` (from the law engine). */
  accruedMinor: number;
  /** Fixed recovery indemnities (40 € per late invoice between professionals). */
  indemnityMinor: number;
  currency: string;
  asOf: IsoDate;
  /** Rates the penalties used that no official source confirms yet (status unverified or
   * provisional): the letter names them and the collector approves it before it is sent. */
  provisionalRates?: ProvisionalRate[];
}

/** One rate row used although not verified: its series, effective date and value. */
export interface ProvisionalRate {
  series: string;
  effectiveFrom: IsoDate;
  ratePct: string;
}

export interface TemplateVariables {
  organisation: {
    name: string;
    addressLines: string[];
    email?: string | null;
    phone?: string | null;
    iban: string | null;
    bic: string | null;
    signature?: string | null;
  };
  customer: { name: string; kind: 'b2b' | 'b2c'; reference?: string | null; addressLines?: string[] };
  contact?: { name: string | null } | null;
  invoices: TemplateInvoice[];
  /** Absent until the law engine computes them: templates then print a clear placeholder. */
  penalties?: TemplatePenalties | null;
  payment: { iban: string | null; bic: string | null; reference: string | null };
  portalUrl?: string | null;
  collector?: { name: string; title?: string | null; email?: string | null; phone?: string | null } | null;
  /** The send date (business date in the organisation's zone). */
  today: IsoDate;
  /** Formal notice: days the debtor has to pay. */
  deadlineDays?: number | null;
  /** Reminders actually sent before for these items (oldest first): the wording says what
   * happened ("Malgré nos relances des 3 et 17 novembre"), or nothing when there were none. */
  history?: TemplateReminder[];
  /** Country whose public holidays a written deadline avoids (default FR). */
  holidayCountry?: string;
  /** A payment provider is configured: the portal link offers to pay online. Otherwise the
   * message only offers to view the invoices (and pay by transfer). */
  onlinePayment?: boolean;
}

/** One earlier reminder: its local send date and the channels it went by. */
export interface TemplateReminder {
  date: IsoDate;
  channels: string[];
}

export type TemplateLocale = 'fr' | 'en';

export const INTL_LOCALE: Record<TemplateLocale, string> = { fr: 'fr-FR', en: 'en-GB' };

/** The 40 € fixed indemnity per late invoice: Code de commerce art. L441-10 II and D441-5. */
export const RECOVERY_INDEMNITY_EUR_MINOR = 4000;

export interface TemplateView extends TemplateVariables {
  locale: TemplateLocale;
  intlLocale: string;
  single: boolean;
  first: TemplateInvoice | null;
  count: number;
  lateCount: number;
  totals: { currency: string; balanceMinor: number }[];
  deadlineDate: IsoDate | null;
  greetingName: string | null;
  indemnity: { amountMinor: number; currency: string; computed: boolean } | null;
  /** Earlier reminders, oldest first; empty when none was sent. */
  previousReminders: TemplateReminder[];
  /** "notre relance du 3 novembre 2026 (courriel)" / "our reminders of 3 and 17 November 2026"; null when none. */
  previousRemindersText: string | null;
  /** The sentence naming the provisional rates used, in the template's language; null when none. */
  provisionalRatesText: string | null;
}

const CHANNEL_WORDS: Record<TemplateLocale, Record<string, string>> = {
  fr: { email: 'courriel', sms: 'SMS', letter: 'courrier', registered_letter: 'lettre recommandée' },
  en: { email: 'email', sms: 'text message', letter: 'letter', registered_letter: 'registered letter' },
};

const longDate = new Map<string, Intl.DateTimeFormat>();
function formatLong(d: IsoDate, locale: TemplateLocale): string {
  let f = longDate.get(locale);
  if (!f) {
    f = new Intl.DateTimeFormat(INTL_LOCALE[locale], {
      timeZone: 'UTC',
      day: 'numeric',
      month: 'long',
      year: 'numeric',
    });
    longDate.set(locale, f);
  }
  return f.format(new Date(`${d}T00:00:00Z`));
}

/** The earlier reminders as words, with their dates and channels. */
export function remindersText(locale: TemplateLocale, reminders: TemplateReminder[]): string | null {
  if (reminders.length === 0) return null;
  const and = locale === 'fr' ? ' et ' : ' and ';
  const one = (r: TemplateReminder) => {
    const via = [...new Set(r.channels)].map((c) => CHANNEL_WORDS[locale][c] ?? c).join(and);
    return `${formatLong(r.date, locale)}${via ? ` (${via})` : ''}`;
  };
  const parts = reminders.map(one);
  const list =
    parts.length === 1 ? (parts[0] as string) : `${parts.slice(0, -1).join(', ')}${and}${parts.at(-1)}`;
  if (locale === 'fr')
    return reminders.length === 1 ? `notre relance du ${list}` : `nos relances des ${list}`;
  return reminders.length === 1 ? `our reminder of ${list}` : `our reminders of ${list}`;
}

const SERIES_WORDS: Record<TemplateLocale, Record<string, string>> = {
  fr: {
    ECB_MRO: 'le taux de refinancement de la BCE',
    FR_TIL_OTHER: "le taux de l'intérêt légal (autres cas)",
    FR_TIL_CONSUMER: "le taux de l'intérêt légal (créanciers particuliers)",
    BOE_BASE: 'le taux de base de la Banque d’Angleterre',
    DE_BASISZINS: 'le taux de base de la Bundesbank',
  },
  en: {
    ECB_MRO: 'the ECB main refinancing rate',
    FR_TIL_OTHER: 'the French legal interest rate (other cases)',
    FR_TIL_CONSUMER: 'the French legal interest rate (private creditors)',
    BOE_BASE: 'the Bank of England base rate',
    DE_BASISZINS: 'the Bundesbank base rate',
  },
};

/** "Taux provisoire : le taux de refinancement de la BCE en vigueur au 1 juillet 2026 (2,15 %) …"; null when none. */
export function provisionalRatesText(locale: TemplateLocale, rates: ProvisionalRate[]): string | null {
  if (rates.length === 0) return null;
  const pct = (r: string) => (locale === 'fr' ? `${r.replace('.', ',')} %` : `${r}%`);
  const one = (r: ProvisionalRate) =>
    locale === 'fr'
      ? `${SERIES_WORDS.fr[r.series] ?? r.series} en vigueur au ${formatLong(r.effectiveFrom, 'fr')} (${pct(r.ratePct)})`
      : `${SERIES_WORDS.en[r.series] ?? r.series} in force from ${formatLong(r.effectiveFrom, 'en')} (${pct(r.ratePct)})`;
  const list = rates.map(one).join(locale === 'fr' ? ' ; ' : '; ');
  return locale === 'fr'
    ? `${rates.length === 1 ? 'Taux provisoire' : 'Taux provisoires'} : ${list}, non encore confirmé${rates.length === 1 ? '' : 's'} par une source officielle ; les pénalités seront ajustées si le taux publié diffère.`
    : `Provisional ${rates.length === 1 ? 'rate' : 'rates'}: ${list}, not yet confirmed by an official source; penalties will be adjusted if the published rate differs.`;
}

export function toView(locale: TemplateLocale, v: TemplateVariables): TemplateView {
  const invoices = [...v.invoices];
  const totals = new Map<string, number>();
  for (const i of invoices) totals.set(i.currency, (totals.get(i.currency) ?? 0) + i.balanceMinor);
  const lateInvoices = new Set(invoices.filter((i) => i.daysLate > 0).map((i) => i.number));
  let indemnity: TemplateView['indemnity'] = null;
  if (v.penalties)
    indemnity = { amountMinor: v.penalties.indemnityMinor, currency: v.penalties.currency, computed: true };
  else if (lateInvoices.size > 0)
    indemnity = {
      amountMinor: RECOVERY_INDEMNITY_EUR_MINOR * lateInvoices.size,
      currency: 'EUR',
      computed: false,
    };
  return {
    ...v,
    invoices,
    locale,
    intlLocale: INTL_LOCALE[locale],
    single: invoices.length === 1,
    first: invoices[0] ?? null,
    count: invoices.length,
    lateCount: lateInvoices.size,
    totals: [...totals.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([currency, balanceMinor]) => ({ currency, balanceMinor })),
    // A deadline written in a message falls on a working day (CPC art. 642), as the PDF's does.
    deadlineDate: v.deadlineDays
      ? nextWorkingDay(addDays(v.today, v.deadlineDays), v.holidayCountry ?? 'FR')
      : null,
    greetingName: v.contact?.name ?? null,
    indemnity,
    previousReminders: v.history ?? [],
    previousRemindersText: remindersText(locale, v.history ?? []),
    provisionalRatesText: provisionalRatesText(locale, v.penalties?.provisionalRates ?? []),
  };
}
