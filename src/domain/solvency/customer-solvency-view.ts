import type { CreditPosition } from './credit.js';

/**
 * A customer's solvency as the API answers it and the customer file shows it (identity,
 * proceedings, banner, declarations, credit position). Shared by the use case and the web app.
 */
export interface CustomerSolvency {
  customerId: string;
  siren: string | null;
  sirenProblem: string | null;
  identity: {
    legalName: string | null;
    status: 'A' | 'C';
    statusSince: string | null;
    creationDate: string | null;
    legalForm: string | null;
    nafCode: string | null;
    headcountLabel: string | null;
    address: string | null;
    source: string;
  } | null;
  proceedings: {
    id: string;
    kind: string;
    label: string;
    judgmentDate: string;
    publicationDate: string;
    tribunal: string | null;
    mandataire: string | null;
    declarationDeadline: string | null;
    reservationDeadline: string | null;
  }[];
  /** Set while a proceeding is open: what the banner says. */
  banner: {
    label: string;
    judgmentDate: string;
    declarationDeadline: string | null;
    judgmentId: string;
    /** Claims born before the judgment: stayed, to declare. */
    preJudgment: { count: number; balanceMinor: number };
    /** Claims born after (L622-17): collected as usual. */
    postJudgment: { count: number; balanceMinor: number };
  } | null;
  declarations: { documentId: string; filename: string; createdAt: string }[];
  credit: CreditPosition;
  group: (CreditPosition & { key: string; name: string | null }) | null;
}
