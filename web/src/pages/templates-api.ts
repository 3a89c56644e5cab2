import { api } from '../api';
import type { StepPreview } from './dunning-api';

export const PARTS = ['subject', 'html', 'text', 'sms', 'letter'] as const;
export type Part = (typeof PARTS)[number];
export type TemplateEdit = Partial<Record<Part, string | null>>;

export interface MessageTemplate {
  templateKey: string;
  locale: 'fr' | 'en';
  defaults: Record<Part, string>;
  override: Record<Part, string | null>;
  version: number;
  updatedBy: string | null;
  updatedAt: string | null;
  variables: Partial<Record<Part, string[]>>;
}

const path = (key: string, locale: string) => `/dunning/templates/${encodeURIComponent(key)}/${locale}`;

export const templatesApi = {
  get: (key: string, locale: 'fr' | 'en') => api<MessageTemplate>(path(key, locale)),
  save: (key: string, locale: 'fr' | 'en', edit: TemplateEdit) =>
    api<MessageTemplate>(path(key, locale), { method: 'PUT', body: edit }),
  reset: (key: string, locale: 'fr' | 'en') => api<MessageTemplate>(path(key, locale), { method: 'DELETE' }),
  preview: (
    policyId: string,
    body: { customerId: string; stepIndex: number; lang: 'fr' | 'en'; templateDraft?: TemplateEdit },
  ) => api<StepPreview>(`/dunning/policies/${policyId}/preview`, { method: 'POST', body }),
};
