import type { TemplatePart } from './overrides.js';
import type { TemplateLocale } from './variables.js';

/**
 * One template (key × locale) as the template editor sees it: the reply of GET, PUT and
 * DELETE /dunning/templates/:key/:locale, and each entry of GET /dunning/templates. Shared
 * with the web app so the two cannot drift apart.
 */
export interface MessageTemplateView {
  templateKey: string;
  locale: TemplateLocale;
  /** The built-in source of each part. */
  defaults: Record<TemplatePart, string>;
  /** The organisation's edit of each part, null where it uses the default. */
  override: Record<TemplatePart, string | null>;
  /** 0 when never edited. */
  version: number;
  updatedBy: string | null;
  updatedAt: string | null;
  /** Variables each edited part uses. */
  variables: Partial<Record<TemplatePart, string[]>>;
}
