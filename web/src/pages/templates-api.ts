import type { MessageTemplateView } from '../../../src/domain/templates/message-template-view';
import { api } from '../api';
import type { StepPreview } from './dunning-api';

/** The server's own type (src/domain/templates), so the editor follows any change to the reply. */
export type { MessageTemplateView as MessageTemplate };

export const PARTS = ['subject', 'html', 'text', 'sms', 'letter'] as const;
export type Part = (typeof PARTS)[number];
export type TemplateEdit = Partial<Record<Part, string | null>>;

const path = (key: string, locale: string) => `/dunning/templates/${encodeURIComponent(key)}/${locale}`;

export const templatesApi = {
  get: (key: string, locale: 'fr' | 'en') => api<MessageTemplateView>(path(key, locale)),
  save: (key: string, locale: 'fr' | 'en', edit: TemplateEdit) =>
    api<MessageTemplateView>(path(key, locale), { method: 'PUT', body: edit }),
  reset: (key: string, locale: 'fr' | 'en') => api<MessageTemplateView>(path(key, locale), { method: 'DELETE' }),
  preview: (
    policyId: string,
    body: { customerId: string; stepIndex: number; lang: 'fr' | 'en'; templateDraft?: TemplateEdit },
  ) => api<StepPreview>(`/dunning/policies/${policyId}/preview`, { method: 'POST', body }),
};
