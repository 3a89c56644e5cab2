/**
 * Client for the debtor's portal API (/portal-api/<token>/…). The token is the only
 * credential: no cookie, no CSRF header. Errors arrive as problem+json.
 */
import type { Money } from '../api';

export type { Money };

export interface PortalProblem {
  status: number;
  code: string;
  title: string;
  detail?: string;
  errors?: { field?: string; reason: string }[];
  [extension: string]: unknown;
}

export class PortalError extends Error {
  constructor(public readonly problem: PortalProblem) {
    super(problem.detail ?? problem.title);
  }
  get status() {
    return this.problem.status;
  }
}

export interface PortalItem {
  invoiceId: string;
  invoiceNumber: string;
  issueDate: string;
  dueDate: string;
  daysLate: number;
  amount: Money;
  balanceDue: Money;
  status: string;
  disputed: boolean;
  dispute: { id: string; reasonCode: string; status: string; openedAt: string } | null;
  promisedDate: string | null;
  /** Late-payment interest accrued to date (law engine); null when none or not computable. */
  penalties?: Money | null;
  /** Fixed recovery indemnity owed (40 € in French B2B); null when none applies. */
  indemnity?: Money | null;
}

export interface PortalTransfer {
  beneficiary: string;
  iban: string;
  ibanPrinted: string;
  bic: string | null;
  reference: string;
  referencePrinted: string;
  amount: Money | null;
  epcPayload: string;
  qrSvg: string;
}

export interface PortalSummary {
  creditor: { name: string; email: string | null; phone: string | null; logoUrl?: string | null };
  customer: { name: string; reference: string; language: 'fr' | 'en' };
  today: string;
  items: PortalItem[];
  balances: Money[];
  /** The balance split: overdue and undisputed (pay now), not yet due, disputed. */
  amounts: { payNow: Money[]; notYetDue: Money[]; disputed: Money[] };
  transfer: PortalTransfer | null;
  firstView: boolean;
  /** A payment provider is configured: "Payer en ligne" is offered. */
  onlinePayment?: boolean;
}

export interface PlanInstalment {
  /** 0 is the down payment. */
  seq: number;
  dueDate: string;
  amountMinor: number;
  paidMinor?: number;
  status?: 'due' | 'paid' | 'missed';
}

export type PlanStatus =
  | 'proposed'
  | 'pending_approval'
  | 'active'
  | 'completed'
  | 'defaulted'
  | 'cancelled';

export interface PaymentPlan {
  /** Absent when the server only records the request (no stored plan to accept). */
  id?: string;
  status: PlanStatus;
  currency: string;
  totalMinor: number;
  instalments: PlanInstalment[];
  acceptedAt?: string | null;
  /** What the total covers: the principal; penalties and indemnities to `asOf` are not in it. */
  covers?: {
    basis: 'principal';
    principalMinor: number;
    penaltiesNotIncludedMinor: number;
    indemnitiesNotIncludedMinor: number;
    asOf: string;
  } | null;
}

/** A plan the server refused: the rules it breaks and the nearest plan that fits. */
export interface PlanRefusal {
  reasons: string[];
  nearest: { instalments: number; firstDate: string; downPaymentMinor: number } | null;
}

export function portalApi(token: string) {
  const base = `/portal-api/${encodeURIComponent(token)}`;

  async function call<T>(path: string, init: { method?: string; body?: unknown; form?: FormData } = {}) {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (init.body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(`${base}${path}`, {
      method: init.method ?? 'GET',
      headers,
      credentials: 'omit',
      referrerPolicy: 'no-referrer',
      body: init.form ?? (init.body === undefined ? undefined : JSON.stringify(init.body)),
    });
    const data = await res.json().catch(() => ({}));
    if (!res.ok) throw new PortalError({ status: res.status, code: 'UNKNOWN', title: res.statusText, ...data });
    return { status: res.status, data: data as T };
  }

  return {
    /** Links for downloads (the browser fetches them; the token is the credential). */
    href: (path: string) => `${base}${path}`,
    summary: async () => (await call<PortalSummary>('/summary')).data,
    dispute: async (invoiceId: string, reasonCode: string, comment: string) =>
      (
        await call<{ disputeId: string; invoiceNumber: string }>(
          `/invoices/${encodeURIComponent(invoiceId)}/dispute`,
          { method: 'POST', body: { reasonCode, ...(comment ? { comment } : {}) } },
        )
      ).data,
    attach: async (disputeId: string, file: File) => {
      const form = new FormData();
      form.append('file', file, file.name);
      return (await call(`/disputes/${encodeURIComponent(disputeId)}/attachment`, { method: 'POST', form }))
        .data;
    },
    promise: async (promisedDate: string, invoiceIds?: string[]) =>
      (
        await call<{ promiseId: string; amount: Money; promisedDate: string }>('/promise', {
          method: 'POST',
          body: { promisedDate, ...(invoiceIds ? { invoiceIds } : {}) },
        })
      ).data,
    requestPlan: async (input: { instalments: number; firstDate: string; downPaymentMinor?: number }) =>
      normalisePlanAnswer((await call<unknown>('/payment-plan', { method: 'POST', body: input })).data),
    /** null when this server keeps no plans (the endpoint does not exist). */
    plans: async (): Promise<PaymentPlan[] | null> => {
      try {
        return (await call<{ plans: PaymentPlan[] }>('/payment-plans')).data.plans;
      } catch (e) {
        if (e instanceof PortalError && (e.status === 404 || e.status === 405)) return null;
        throw e;
      }
    },
    acceptPlan: async (planId: string, name: string) =>
      (
        await call<{ plan?: PaymentPlan }>(`/payment-plans/${encodeURIComponent(planId)}/accept`, {
          method: 'POST',
          body: { acceptTerms: true, name },
        })
      ).data,
    checkout: async (invoiceIds: string[]) =>
      (await call<{ redirectUrl: string }>('/checkout', { method: 'POST', body: { invoiceIds } })).data,
    /** Whether the server offers PDFs: a HEAD on the statement, without downloading it. */
    hasDownloads: async () => {
      const res = await fetch(`${base}/statement.pdf`, {
        method: 'HEAD',
        credentials: 'omit',
        referrerPolicy: 'no-referrer',
      });
      return res.ok;
    },
  };
}

export type PortalApi = ReturnType<typeof portalApi>;

/**
 * Two shapes of answer to a plan request: `{ plan }` from servers that store plans, and the
 * earlier `{ status, schedule }` (a request passed to the collector, nothing to accept).
 */
export function normalisePlanAnswer(data: unknown): PaymentPlan {
  const d = data as {
    plan?: PaymentPlan;
    status?: PlanStatus;
    schedule?: { seq: number; dueDate: string; amount: Money }[];
  };
  if (d.plan) return d.plan;
  const schedule = d.schedule ?? [];
  return {
    status: d.status ?? 'pending_approval',
    currency: schedule[0]?.amount.currency ?? 'EUR',
    totalMinor: schedule.reduce((s, x) => s + x.amount.amount, 0),
    instalments: schedule.map((x) => ({ seq: x.seq, dueDate: x.dueDate, amountMinor: x.amount.amount })),
  };
}

/** The reasons and nearest plan of a 422 answer to a plan request. */
export function planRefusal(p: PortalProblem): PlanRefusal {
  const nearest = p.nearestPlan as
    | { instalments?: number; firstDate?: string; downPaymentMinor?: number }
    | null
    | undefined;
  return {
    reasons: (p.errors ?? []).map((e) => e.reason),
    nearest:
      nearest && typeof nearest.instalments === 'number' && typeof nearest.firstDate === 'string'
        ? {
            instalments: nearest.instalments,
            firstDate: nearest.firstDate,
            downPaymentMinor: nearest.downPaymentMinor ?? 0,
          }
        : null,
  };
}
