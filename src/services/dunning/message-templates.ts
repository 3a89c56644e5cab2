import type { Kysely } from 'kysely';
import {
  insertMessageTemplateVersion,
  latestMessageTemplate,
  latestMessageTemplates,
  type MessageTemplateRow,
} from '../../db/queries/message-templates.js';
import type { Database } from '../../db/schema/index.js';
import {
  DEFAULT_TEMPLATES,
  defaultTemplateParts,
  type MessageTemplateView,
  TEMPLATE_PARTS,
  type TemplateLocale,
  type TemplateOverride,
  type TemplatePart,
  validateOverride,
} from '../../domain/templates/index.js';
import { AppError } from '../../errors.js';

const LOCALES: TemplateLocale[] = ['fr', 'en'];

/** A stored row as an override; null when it sets no part (never edited, or reset). */
export function overrideOf(row: MessageTemplateRow | undefined): TemplateOverride | null {
  if (!row) return null;
  const o: TemplateOverride = {
    subject: row.subject,
    html: row.html,
    text: row.body_text,
    sms: row.sms,
    letter: row.letter,
  };
  return TEMPLATE_PARTS.some((p) => o[p] !== null) ? o : null;
}

function knownKey(key: string, locale: string): TemplateLocale {
  if ((locale !== 'fr' && locale !== 'en') || !DEFAULT_TEMPLATES[key]?.[locale])
    throw new AppError('NOT_FOUND', `no template "${key}" in locale ${locale}`);
  return locale;
}

function viewOf(
  key: string,
  locale: TemplateLocale,
  row: MessageTemplateRow | undefined,
): MessageTemplateView {
  const o = overrideOf(row) ?? {};
  const override = Object.fromEntries(TEMPLATE_PARTS.map((p) => [p, o[p] ?? null])) as Record<
    TemplatePart,
    string | null
  >;
  return {
    templateKey: key,
    locale,
    defaults: defaultTemplateParts(key, locale),
    override,
    version: row?.version ?? 0,
    updatedBy: row?.updated_by ?? null,
    updatedAt: row ? new Date(row.updated_at).toISOString() : null,
    variables: validateOverride(override).variables,
  };
}

export async function listMessageTemplates(
  db: Kysely<Database>,
  orgId: string,
): Promise<MessageTemplateView[]> {
  const rows = await latestMessageTemplates(db, orgId);
  const byId = new Map(rows.map((r) => [`${r.template_key}/${r.locale}`, r]));
  return Object.keys(DEFAULT_TEMPLATES).flatMap((key) =>
    LOCALES.map((locale) => viewOf(key, locale, byId.get(`${key}/${locale}`))),
  );
}

export async function getMessageTemplate(
  db: Kysely<Database>,
  orgId: string,
  key: string,
  locale: string,
): Promise<MessageTemplateView> {
  const loc = knownKey(key, locale);
  return viewOf(key, loc, await latestMessageTemplate(db, orgId, key, loc));
}

/**
 * Save an edit as a new version (validated first: a template that cannot render is never
 * stored). A part equal to its default is stored as null, so later changes to the default
 * text reach organisations that did not really edit it. `null` for every part = reset.
 */
export async function saveMessageTemplate(
  db: Kysely<Database>,
  orgId: string,
  key: string,
  locale: string,
  edit: TemplateOverride,
  actor: string,
): Promise<MessageTemplateView> {
  const loc = knownKey(key, locale);
  const defaults = defaultTemplateParts(key, loc);
  const part = (p: TemplatePart) => {
    const v = edit[p];
    return v === undefined || v === null || v === defaults[p] ? null : v;
  };
  const override: TemplateOverride = Object.fromEntries(TEMPLATE_PARTS.map((p) => [p, part(p)]));
  validateOverride(override);
  try {
    const row = await insertMessageTemplateVersion(db, {
      org_id: orgId,
      template_key: key,
      locale: loc,
      subject: part('subject'),
      html: part('html'),
      body_text: part('text'),
      sms: part('sms'),
      letter: part('letter'),
      updated_by: actor,
    });
    return viewOf(key, loc, row);
  } catch (err) {
    if (err instanceof Error && /duplicate key|unique/i.test(err.message))
      throw new AppError('CONFLICT', 'the template was edited meanwhile: reload the latest version');
    throw err;
  }
}
