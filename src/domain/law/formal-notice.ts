import { AppError } from '../../errors.js';
import { addDays, type IsoDate, nextWorkingDay } from '../calendar/index.js';
import { formatMoney, type Money } from '../money/index.js';
import { remindersText, type TemplateReminder } from '../templates/variables.js';
import { computePenalties } from './penalties.js';
import type { RateTable } from './rate-table.js';
import type { DebtorKind, PaymentInput, PenaltyStatement } from './types.js';

export interface NoticeParty {
  name: string;
  siren?: string;
  /** Intra-community VAT number, printed next to the SIREN when known. */
  vatNumber?: string;
  addressLines: string[];
  postalCode: string;
  city: string;
}

export interface NoticeInvoice {
  invoiceNumber: string;
  issueDate: IsoDate;
  dueDate: IsoDate;
  amount: Money;
  payments?: PaymentInput[];
  contractualRate?: string;
  waivePenalties?: boolean;
  waiveIndemnity?: boolean;
}

export interface FormalNoticeInput {
  creditor: NoticeParty;
  debtor: NoticeParty & { kind: DebtorKind };
  invoices: NoticeInvoice[];
  /** Date of the letter: penalties are computed to this day. */
  date: IsoDate;
  /** Calendar days to pay (default 15), moved to the next working day. */
  deadlineDays?: number;
  /** Country of the working-day calendar (FR; FR-57 etc. for local holidays). */
  calendar?: string;
  /** Reminders actually sent before for these invoices (oldest first): the letter names
   * them ("Malgré nos relances des 3 et 17 novembre…"), or claims none when empty. */
  history?: TemplateReminder[];
}

export interface FormalNotice {
  title: string;
  date: IsoDate;
  deadline: IsoDate;
  creditor: NoticeParty;
  debtor: NoticeParty & { kind: DebtorKind };
  invoices: {
    invoiceNumber: string;
    issueDate: IsoDate;
    dueDate: IsoDate;
    principal: Money;
    interest: Money;
    indemnity: Money;
    statement: PenaltyStatement;
  }[];
  totals: { principal: Money; interest: Money; indemnity: Money; total: Money };
  consequences: string[];
  legalReferences: string[];
  warnings: string[];
  /**
   * 'unverified' when a rate the letter uses is not confirmed by an official source: the
   * letter must say which (`rateSources`) and the collector approve it before it goes out.
   */
  rateStatus: 'verified' | 'unverified';
  /** Every rate row used, once, with its official citation and status, for the letter. */
  rateSources: PenaltyStatement['rateSources'];
  /** The reminders sent before, as given (oldest first); empty when none was. */
  history: TemplateReminder[];
  /** The opening sentence, true to the history: names the earlier reminders, or none. */
  opening: string;
  text: string;
}

const sumOf = (items: Money[], currency: string): Money => ({
  amount: items.reduce((a, m) => a + m.amount, 0),
  currency,
});

/**
 * The content of a French mise en demeure de payer (art. 1344 C. civ.): who claims what from
 * whom, on which invoices, with the penalties and indemnity computed to the letter's date,
 * the deadline, the consequences and the legal references. Structured data for the PDF
 * renderer, plus the plain text. Against a consumer the letter itself starts legal interest
 * (art. 1231-6 C. civ.), so none is claimed yet, and no collection fee may be (L111-8 CPCE).
 */
export function buildFormalNotice(input: FormalNoticeInput, rates: RateTable): FormalNotice {
  if (input.invoices.length === 0) {
    throw new AppError('VALIDATION', 'invoices: a formal notice needs at least one invoice', [
      { field: 'invoices', reason: 'empty' },
    ]);
  }
  const currency = input.invoices[0]?.amount.currency ?? 'EUR';
  const kind = input.debtor.kind;
  // Oldest due first, as a judge reads a claim (issue 13); the input order breaks ties.
  const sorted = input.invoices
    .map((inv, i) => ({ inv, i }))
    .sort((a, b) => a.inv.dueDate.localeCompare(b.inv.dueDate) || a.i - b.i);
  const invoices = sorted.map(({ inv, i }) => {
    if (inv.amount.currency !== currency) {
      throw new AppError(
        'VALIDATION',
        `invoices[${i}]: ${inv.amount.currency} differs from ${currency}; one letter per currency`,
        [{ field: `invoices[${i}].amount`, value: inv.amount.currency, reason: 'currency mismatch' }],
      );
    }
    if (inv.dueDate >= input.date) {
      throw new AppError(
        'VALIDATION',
        `invoices[${i}]: invoice ${inv.invoiceNumber} is not overdue on ${input.date} (due ${inv.dueDate})`,
        [{ field: `invoices[${i}].dueDate`, value: inv.dueDate, reason: 'not overdue' }],
      );
    }
    const statement = computePenalties(
      {
        jurisdiction: 'FR',
        kind,
        principal: inv.amount,
        dueDate: inv.dueDate,
        until: input.date,
        payments: inv.payments ?? [],
        ...(inv.contractualRate !== undefined ? { contractualRate: inv.contractualRate } : {}),
        ...(inv.waivePenalties ? { waivePenalties: true } : {}),
        ...(inv.waiveIndemnity ? { waiveIndemnity: true } : {}),
      },
      rates,
    );
    return {
      invoiceNumber: inv.invoiceNumber,
      issueDate: inv.issueDate,
      dueDate: inv.dueDate,
      principal: statement.totals.principalOutstanding,
      interest: statement.totals.interestOutstanding,
      indemnity: statement.totals.indemnityOutstanding,
      statement,
    };
  });
  const principal = sumOf(
    invoices.map((i) => i.principal),
    currency,
  );
  const interest = sumOf(
    invoices.map((i) => i.interest),
    currency,
  );
  const indemnity = sumOf(
    invoices.map((i) => i.indemnity),
    currency,
  );
  const total = sumOf([principal, interest, indemnity], currency);
  // CPC 642 by analogy: a deadline falling on a non-working day moves to the next one.
  const deadline = nextWorkingDay(addDays(input.date, input.deadlineDays ?? 15), input.calendar ?? 'FR');

  const consequences =
    kind === 'b2b'
      ? [
          "À défaut de paiement dans ce délai, nous saisirons sans autre avis la juridiction compétente d'une requête en injonction de payer (art. 1405 et suivants CPC).",
          'Les pénalités de retard continuent de courir jusqu’au complet paiement (art. L441-10 C. com.).',
        ]
      : [
          'La présente mise en demeure fait courir les intérêts au taux légal sur les sommes dues (art. 1231-6 et 1344-1 C. civ.).',
          "À défaut de paiement dans ce délai, nous pourrons saisir le tribunal judiciaire d'une requête en injonction de payer (art. 1405 et suivants CPC).",
          'Aucun frais de recouvrement ne vous sera facturé (art. L111-8 CPCE).',
        ];
  const legalReferences =
    kind === 'b2b'
      ? [
          'art. 1344 C. civ.',
          'art. L441-10 C. com.',
          'art. D441-5 C. com.',
          'art. 1343-1 C. civ.',
          'art. 1405 CPC',
        ]
      : [
          'art. 1344 C. civ.',
          'art. 1231-6 C. civ.',
          'art. 1344-1 C. civ.',
          'art. L111-8 CPCE',
          'art. 1405 CPC',
        ];
  const warnings = [
    ...new Set(
      invoices.flatMap((i) =>
        i.statement.warnings.filter((w) => w.code !== 'NO_INTEREST_WITHOUT_NOTICE').map((w) => w.message),
      ),
    ),
  ];

  const rateSources = [
    ...new Map(
      invoices.flatMap((i) => i.statement.rateSources).map((r) => [`${r.series}|${r.effectiveFrom}`, r]),
    ).values(),
  ];
  const rateStatus = invoices.some((i) => i.statement.rateStatus === 'unverified')
    ? 'unverified'
    : 'verified';

  const notice: Omit<FormalNotice, 'text'> = {
    title: 'Mise en demeure de payer',
    date: input.date,
    deadline,
    creditor: input.creditor,
    debtor: input.debtor,
    invoices,
    totals: { principal, interest, indemnity, total },
    consequences,
    legalReferences,
    warnings,
    rateStatus,
    rateSources,
    history: input.history ?? [],
    opening: openingSentence(input.history ?? []),
  };
  return { ...notice, text: formalNoticeText(notice) };
}

/**
 * "Malgré nos relances des 3 (courriel) et 17 novembre 2025 (lettre), les factures ci-dessous
 * restent impayées à ce jour." — or, when nothing was sent before, no claim of earlier reminders.
 */
export function openingSentence(history: TemplateReminder[]): string {
  const earlier = remindersText('fr', history);
  return earlier
    ? `Malgré ${earlier}, les factures ci-dessous restent impayées à ce jour.`
    : 'Les factures ci-dessous restent impayées à ce jour.';
}

function formalNoticeText(n: Omit<FormalNotice, 'text'>): string {
  const m = (x: Money) => formatMoney(x, 'fr-FR').replace(/[\u202f\u00a0]/g, ' ');
  const party = (p: NoticeParty) =>
    [
      p.name,
      p.siren ? `SIREN ${p.siren}` : '',
      p.vatNumber ? `TVA ${p.vatNumber}` : '',
      ...p.addressLines,
      `${p.postalCode} ${p.city}`,
    ]
      .filter(Boolean)
      .join('\n');
  const lines = [
    party(n.creditor),
    '',
    party(n.debtor),
    '',
    `Le ${n.date}`,
    '',
    `Objet : ${n.title.toUpperCase()}`,
    '',
    'Madame, Monsieur,',
    '',
    `${n.opening.replace(/\.$/, ' :').replace('ci-dessous', 'suivantes')}`,
    ...n.invoices.map(
      (i) =>
        `  - facture ${i.invoiceNumber} du ${i.issueDate}, échue le ${i.dueDate} : principal ${m(i.principal)}` +
        (i.interest.amount ? `, pénalités ${m(i.interest)}` : '') +
        (i.indemnity.amount ? `, indemnité forfaitaire ${m(i.indemnity)}` : ''),
    ),
    '',
    `Principal : ${m(n.totals.principal)}`,
    ...(n.totals.interest.amount ? [`Pénalités de retard au ${n.date} : ${m(n.totals.interest)}`] : []),
    ...(n.totals.indemnity.amount
      ? [`Indemnité forfaitaire pour frais de recouvrement : ${m(n.totals.indemnity)}`]
      : []),
    `Total : ${m(n.totals.total)}`,
    '',
    `Nous vous mettons en demeure de régler la somme de ${m(n.totals.total)} au plus tard le ${n.deadline}.`,
    '',
    ...n.consequences,
    '',
    `Références : ${n.legalReferences.join(' ; ')}.`,
    '',
    'Veuillez agréer, Madame, Monsieur, nos salutations distinguées.',
  ];
  return `${lines.join('\n')}\n`;
}
