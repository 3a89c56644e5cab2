import type { Money } from '../api';

/** The answer of GET /customers/:id/case (see the API's OpenAPI, CustomerCase). */
export interface CustomerCase {
  customerId: string;
  creditHold: { on: boolean; reason: string | null; since: string | null };
  pauses: {
    id: string;
    invoice: { id: string; invoiceNumber: string } | null;
    reason: string;
    until: string;
    createdBy: string | null;
    endedAt: string | null;
    endReason: string | null;
  }[];
  promises: {
    id: string;
    amount: Money;
    promisedDate: string;
    graceDays: number;
    status: 'active' | 'kept' | 'broken' | 'cancelled';
    resolution: string | null;
  }[];
  disputes: {
    id: string;
    invoice: { id: string; invoiceNumber: string };
    balanceDue: Money;
    reasonCode: string;
    comment: string | null;
    status: 'open' | 'resolved' | 'rejected';
    resolution: string | null;
    resolutionComment: string | null;
    creditNote: { creditNoteNumber: string; amount: Money } | null;
  }[];
}

/** A pause still holds when it was not ended and its last day is today or later. */
export const pauseHolds = (p: { endedAt: string | null; until: string }, today: string) =>
  p.endedAt === null && p.until >= today;
