/** Thin client for /api/v1: cookie session, CSRF header on writes, problem+json errors. */
export interface Problem {
  status: number;
  code: string;
  title: string;
  detail?: string;
  errors?: { field?: string; reason: string }[];
}

export class ApiError extends Error {
  constructor(public readonly problem: Problem) {
    super(problem.detail ?? problem.title);
  }
}

let csrfToken: string | undefined;
export function setCsrfToken(token: string | undefined): void {
  csrfToken = token;
}

export async function api<T>(path: string, init: { method?: string; body?: unknown } = {}): Promise<T> {
  const method = init.method ?? 'GET';
  const headers: Record<string, string> = { accept: 'application/json' };
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;
  const res = await fetch(`/api/v1${path}`, {
    method,
    headers,
    credentials: 'same-origin',
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  if (res.status === 204) return undefined as T;
  const data = await res.json().catch(() => ({}));
  if (!res.ok) {
    throw new ApiError({ status: res.status, code: 'UNKNOWN', title: res.statusText, ...data });
  }
  return data as T;
}

export interface Money {
  amount: number;
  currency: string;
  decimal: string;
}

export interface SessionInfo {
  user: { id: string; email: string; name: string; role: string };
  organisation: { id: string; name: string; currency: string; locale: string };
  csrfToken: string;
}

export interface CurrencyDashboard {
  currency: string;
  receivables: Money;
  overdue: Money;
  overdueSharePercent: number;
  openInvoices: number;
  overdueInvoices: number;
  dso: { days: number; complete: boolean };
  aging: Record<'notDue' | 'd1_30' | 'd31_60' | 'd61_90' | 'd90plus', Money>;
  collectedThisMonth: Money;
  collectedLastMonth: Money;
  topOverdueCustomers: { customerId: string; name: string; overdue: Money; invoices: number; maxDaysLate: number }[];
}

export interface DashboardData {
  asOf: string;
  currencies: CurrencyDashboard[];
}

export interface Invoice {
  id: string;
  invoiceNumber: string;
  customer: { id: string; name: string };
  issueDate: string;
  dueDate: string;
  balanceDue: Money;
  gross: Money;
  daysOverdue: number;
  status: string;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}
