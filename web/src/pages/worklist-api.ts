import type { FactorContribution, PriorityScore } from '../../../src/domain/prioritisation/score';
import { ApiError, type Money } from '../api';

/** An item's priority and its factors are the server's own types: the worklist sends priorityScore() as is. */
export type { FactorContribution as Factor };

/** Shapes of the worklist, tasks, customer file and statement answers (see the API's OpenAPI). */
export interface WorklistEntry {
  type: 'task' | 'item';
  id: string;
  kind: string;
  customer: { id: string; name: string };
  invoice: { id: string; invoiceNumber: string } | null;
  title: string | null;
  dueDate: string;
  daysLate: number;
  balanceDue: Money | null;
  assignee: { id: string; name: string | null } | null;
  priority: PriorityScore | null;
}

export interface Collector {
  id: string;
  name: string;
  email: string;
  role: string;
}

export interface TaskInfo {
  id: string;
  kind: string;
  title: string;
  dueDate: string;
  assignee: { id: string; name: string | null } | null;
  invoice: { id: string; invoiceNumber: string } | null;
}

export interface CustomerInfo {
  id: string;
  name: string;
  externalRef: string;
  segment: string;
  creditHold: boolean;
  assignedCollector: string | null;
  contacts: { id: string; name: string | null; role: string | null; email: string | null; phone: string | null }[];
  balances: { currency: string; totalDue: Money; overdue: Money; openInvoices: number }[];
}

export interface CustomerFileData {
  creditHold: boolean;
  notes: string | null;
  assignedCollector: string | null;
  policy: {
    key: string | null;
    version: number | null;
    name: string | null;
    caseStatus: string | null;
    nextActionDate: string | null;
    overrideKey: string | null;
  };
  pauses: { id: string; invoice: { invoiceNumber: string } | null; reason: string; until: string; createdBy: string | null; cancelledAt: string | null }[];
  promises: { id: string; amount: Money; promisedDate: string; status: string; createdBy: string | null }[];
  disputes: { id: string; invoice: { invoiceNumber: string }; reasonCode: string; status: string; comment: string | null }[];
  calls: { id: string; outcome: string; note: string | null; loggedAt: string; invoice: { invoiceNumber: string } | null }[];
  documents: { id: string; filename: string; kind: string; createdAt: string }[];
  openTasks: TaskInfo[];
}

export interface StatementLine {
  date: string;
  kind: 'invoice' | 'credit_note' | 'payment';
  id: string;
  reference: string;
  debit: Money;
  credit: Money;
  balance: Money;
}

export interface TimelineEntry {
  seq: number;
  at: string;
  kind: string;
  channel: string | null;
  summary: string;
  /** What happened, in French and English (server's evidence wording). */
  text?: { fr: string; en: string };
  contentSha256: string | null;
  payload: Record<string, unknown>;
}

/** The server's field errors (zod or business rules), keyed by field name, for display next to inputs. */
export function fieldErrors(err: unknown): Record<string, string> {
  if (!(err instanceof ApiError)) return {};
  const out: Record<string, string> = {};
  for (const e of err.problem.errors ?? []) {
    const key = (e.field ?? '').replace(/^body\./, '');
    if (key && !out[key]) out[key] = e.reason;
  }
  return out;
}

export const isoToday = () => new Date().toISOString().slice(0, 10);
export function addDaysIso(iso: string, days: number): string {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}
