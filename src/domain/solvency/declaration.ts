import type { IsoDate } from '../calendar/index.js';
import { bornBeforeJudgment, dueStatusAt } from './judgments.js';

export interface DeclarableInvoice {
  invoiceId: string;
  invoiceNumber: string;
  issueDate: IsoDate;
  dueDate: IsoDate;
  currency: string;
  /** What is still owed today on the invoice (minor units). */
  balanceMinor: number;
  /** Interest accrued up to the judgment date (L622-28 stops it there), minor units. */
  interestMinor: number;
}

export interface DeclarationLine extends DeclarableInvoice {
  status: 'echu' | 'a_echoir';
}

export interface DeclarationAmounts {
  currency: string;
  lines: DeclarationLine[];
  echuMinor: number;
  aEchoirMinor: number;
  interestMinor: number;
  totalMinor: number;
  /** Invoices born on or after the judgment (L622-17): not declared, collected normally. */
  postJudgment: DeclarableInvoice[];
}

/**
 * The amounts a creditor declares (L622-25, R622-23 C. com.): each claim born before the
 * judgment with what is owed, split between sums fallen due at the judgment date ("échu")
 * and sums to fall due ("à échoir"), plus interest accrued until the judgment (L622-28).
 * One currency per declaration: a mixed ledger is refused by the caller.
 */
export function declarationAmounts(invoices: DeclarableInvoice[], judgmentDate: IsoDate): DeclarationAmounts {
  const lines: DeclarationLine[] = [];
  const postJudgment: DeclarableInvoice[] = [];
  for (const i of invoices) {
    if (i.balanceMinor <= 0) continue;
    if (bornBeforeJudgment(i.issueDate, judgmentDate))
      lines.push({ ...i, status: dueStatusAt(i.dueDate, judgmentDate) });
    else postJudgment.push(i);
  }
  lines.sort((a, b) =>
    a.issueDate < b.issueDate
      ? -1
      : a.issueDate > b.issueDate
        ? 1
        : a.invoiceNumber < b.invoiceNumber
          ? -1
          : 1,
  );
  let echu = 0;
  let aEchoir = 0;
  let interest = 0;
  for (const l of lines) {
    if (l.status === 'echu') echu += l.balanceMinor;
    else aEchoir += l.balanceMinor;
    interest += l.interestMinor;
  }
  return {
    currency: lines[0]?.currency ?? invoices[0]?.currency ?? 'EUR',
    lines,
    echuMinor: echu,
    aEchoirMinor: aEchoir,
    interestMinor: interest,
    totalMinor: echu + aEchoir + interest,
    postJudgment,
  };
}
