import { addDays, type IsoDate } from '../calendar/index.js';

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
    deadlineDate: v.deadlineDays ? addDays(v.today, v.deadlineDays) : null,
    greetingName: v.contact?.name ?? null,
    indemnity,
  };
}
