/** Types and calls of the dunning policy, preview and approval endpoints (/api/v1/dunning/…). */
import type { DunningChannel, PolicyKind, Tone } from '../../../src/domain/dunning/policy';
import { api } from '../api';

/** A step's channels and tone, and a policy's kind, are the server's own unions (src/domain/dunning/policy.ts). */
export type { DunningChannel as Channel, Tone };

export interface PolicyStep {
  key: string;
  label: string;
  offsetDays: number;
  latestOffsetDays?: number;
  channels: DunningChannel[];
  templateKey: string;
  tone: Tone;
  [more: string]: unknown;
}

export interface Policy {
  id: string;
  key: string;
  version: number;
  name: string;
  kind: PolicyKind;
  automaticSends: boolean;
  replayMissedSteps: boolean;
  steps: PolicyStep[];
  isDefault: boolean;
  createdBy: string | null;
  createdAt: string;
}

export interface PolicyListItem {
  key: string;
  latest: Policy;
  versions: { id: string; version: number; createdAt: string; createdBy: string | null }[];
}

export type PolicyEdit = Pick<Policy, 'name' | 'kind' | 'automaticSends' | 'replayMissedSteps' | 'steps'>;

export interface PreviewItem {
  invoiceId: string;
  invoiceNumber: string;
  dueDate: string;
  daysLate: number;
  balanceMinor: number;
  currency: string;
}

export interface StepPreview {
  policyVersion: number;
  draft: boolean;
  stepKey: string;
  stepLabel: string;
  offsetDays: number;
  templateKey: string;
  kind: 'send' | 'task';
  locale: 'fr' | 'en';
  channels: { channel: string; address: string | null }[];
  notes: string[];
  items: PreviewItem[];
  statementItems: PreviewItem[];
  message: { subject: string; text: string; html: string; sms: { text: string; segments: number }; sha256: string } | null;
}

export interface RunPreview {
  localDate: string;
  customersScanned: number;
  actions: number;
  postponed: number;
  customers: {
    customerId: string;
    customerName: string;
    policyKey: string;
    policyVersion: number;
    policyReason: string;
    actions: {
      stepKey: string;
      stepLabel: string;
      kind: 'send' | 'task';
      channels: { channel: string; address: string | null }[];
      reason: string;
      items: PreviewItem[];
      totals: { currency: string; balanceMinor: number }[];
    }[];
    postponed: { stepLabel: string; reason: string; detail: string; nextTryDate: string }[];
  }[];
}

export interface Approvals {
  requireApproval: boolean;
  customers: {
    customerId: string;
    customerName: string;
    actions: {
      idempotencyKey: string;
      status: 'awaiting_approval' | 'held';
      stepLabel: string;
      policyKey: string;
      policyVersion: number;
      plannedFor: string;
      reason: string;
      channels: { channel: string; address: string | null }[];
      // The approval queue lists items without their due date (services/dunning/approvals.ts).
      items: Omit<PreviewItem, 'dueDate'>[];
      totals: { currency: string; balanceMinor: number }[];
    }[];
  }[];
}

export const dunningApi = {
  policies: () => api<{ items: PolicyListItem[] }>('/dunning/policies'),
  savePolicy: (id: string, edit: PolicyEdit) => api<Policy>(`/dunning/policies/${id}`, { method: 'PUT', body: edit }),
  previewStep: (id: string, body: { customerId: string; stepIndex: number; lang: 'fr' | 'en'; draft?: PolicyEdit }) =>
    api<StepPreview>(`/dunning/policies/${id}/preview`, { method: 'POST', body }),
  runPreview: (date: string) => api<RunPreview>(`/dunning/preview?date=${date}`),
  approvals: () => api<Approvals>('/dunning/approvals'),
  decide: (decision: 'approve' | 'hold', customerIds: string[]) =>
    api<{ customers: number; actions: number }>(`/dunning/approvals/${decision}`, {
      method: 'POST',
      body: { customerIds },
    }),
  setRequireApproval: (requireApproval: boolean) =>
    api<{ requireApproval: boolean }>('/dunning/settings', { method: 'PATCH', body: { requireApproval } }),
};

/** Minor units to a localised amount; display only (the server's figures are exact integers). */
export function minorToText(minor: number, currency: string, locale: string): string {
  return new Intl.NumberFormat(locale, { style: 'currency', currency }).format(minor / 100);
}
