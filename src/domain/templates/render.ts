import { createHash } from 'node:crypto';
import type Handlebars from 'handlebars';
import { AppError } from '../../errors.js';
import { DEFAULT_TEMPLATES, type TemplateCatalogue } from './catalogue.js';
import { compileHtml, compileText } from './engine.js';
import { htmlSource, letterSource, textSource } from './layout.js';
import { overrideError, type TemplateOverride, type TemplatePart, validateOverride } from './overrides.js';
import { type SmsEncoding, toSmsFriendly, truncateSms } from './sms.js';
import { type TemplateLocale, type TemplateVariables, toView } from './variables.js';

/**
 * Render a dunning message. The API preview and the channel workers both call this one
 * function with the same variables, so what a user previews is byte for byte what is sent;
 * the returned sha256 is what the evidence file records for the send.
 */
export interface RenderedMessage {
  templateKey: string;
  locale: TemplateLocale;
  subject: string;
  html: string;
  text: string;
  sms: { text: string; encoding: SmsEncoding; units: number; segments: number; truncated: boolean };
  letter: string;
  /** SHA-256 (hex) of the canonical JSON of subject, html, text, sms text and letter. */
  sha256: string;
}

export interface RenderOptions {
  /** An organisation's edited templates; falls back to the defaults per key. */
  templates?: TemplateCatalogue;
  /** SMS longer than this is cut with an ellipsis (default 3 segments). */
  maxSmsSegments?: number;
  /** An organisation's saved (or draft) edit of this key and locale: replaces the parts it sets. */
  override?: TemplateOverride | null;
}

interface Compiled {
  subject: Handlebars.TemplateDelegate;
  html: Handlebars.TemplateDelegate;
  text: Handlebars.TemplateDelegate;
  sms: Handlebars.TemplateDelegate;
  letter: Handlebars.TemplateDelegate;
}

const cache = new WeakMap<object, Map<string, Compiled>>();

export function normaliseLocale(locale: string): TemplateLocale {
  const lang = locale.slice(0, 2).toLowerCase();
  if (lang === 'fr' || lang === 'en') return lang;
  throw new AppError('VALIDATION', `unsupported template locale "${locale}"`, [
    { field: 'locale', value: locale, reason: 'supported: fr, en' },
  ]);
}

function compiled(catalogue: TemplateCatalogue, key: string, locale: TemplateLocale): Compiled {
  let byKey = cache.get(catalogue);
  if (!byKey) {
    byKey = new Map();
    cache.set(catalogue, byKey);
  }
  const id = `${key}/${locale}`;
  const hit = byKey.get(id);
  if (hit) return hit;
  const src = catalogue[key]?.[locale] ?? DEFAULT_TEMPLATES[key]?.[locale];
  if (!src) throw new AppError('NOT_FOUND', `no template "${key}" in locale ${locale}`);
  const c: Compiled = {
    subject: compileText(src.subject),
    html: compileHtml(htmlSource(src, locale)),
    text: compileText(textSource(src, locale)),
    sms: compileText(src.sms),
    letter: compileText(letterSource(src, locale)),
  };
  byKey.set(id, c);
  return c;
}

// Overrides compiled once per source text: a run sends many messages with the same edit.
const overrideCache = new Map<string, Handlebars.TemplateDelegate>();
const OVERRIDE_CACHE_MAX = 500;

function compileOverride(part: TemplatePart, source: string): Handlebars.TemplateDelegate {
  const id = `${part}\u0000${source}`;
  const hit = overrideCache.get(id);
  if (hit) return hit;
  validateOverride({ [part]: source });
  if (overrideCache.size >= OVERRIDE_CACHE_MAX) overrideCache.clear();
  // Same engine and escaping as the defaults: HTML escapes every {{value}}, the rest does not.
  const fn = part === 'html' ? compileHtml(source) : compileText(source);
  overrideCache.set(id, fn);
  return fn;
}

function withOverride(base: Compiled, override: TemplateOverride): Compiled {
  const out = { ...base };
  for (const part of ['subject', 'html', 'text', 'sms', 'letter'] as const) {
    const source = override[part];
    if (source !== null && source !== undefined) out[part] = compileOverride(part, source);
  }
  return out;
}

/** Collapse the blank-line runs conditional blocks leave behind. */
function tidy(text: string): string {
  return `${text
    .replace(/[ \t]+\n/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim()}\n`;
}

export function renderTemplate(
  templateKey: string,
  locale: string,
  variables: TemplateVariables,
  options: RenderOptions = {},
): RenderedMessage {
  const loc = normaliseLocale(locale);
  const base = compiled(options.templates ?? DEFAULT_TEMPLATES, templateKey, loc);
  const c = options.override ? withOverride(base, options.override) : base;
  const view = toView(loc, variables);
  const run = (part: TemplatePart, data: object): string => {
    try {
      return c[part](data);
    } catch (err) {
      // A helper given the wrong arguments fails only when run: name the part, like a parse error.
      if (!options.override?.[part]) throw err;
      throw overrideError([{ part, line: null, reason: err instanceof Error ? err.message : String(err) }]);
    }
  };
  const subject = run('subject', view).replace(/\s+/g, ' ').trim();
  const withSubject = { ...view, subject };
  const html = run('html', withSubject);
  const text = tidy(run('text', withSubject));
  const letter = tidy(run('letter', withSubject));
  const sms = truncateSms(
    toSmsFriendly(run('sms', withSubject).replace(/\s+/g, ' ').trim()),
    options.maxSmsSegments ?? 3,
  );
  const sha256 = renderedContentSha256({ html, letter, sms: sms.text, subject, text });
  return { templateKey, locale: loc, subject, html, text, sms, letter, sha256 };
}

/**
 * The hash the evidence file records for a rendered message: over every part, in a fixed
 * order, so a stored copy of the parts can be checked against the timeline later.
 */
export function renderedContentSha256(parts: {
  html: string;
  letter: string;
  sms: string;
  subject: string;
  text: string;
}): string {
  const { html, letter, sms, subject, text } = parts;
  return createHash('sha256').update(JSON.stringify({ html, letter, sms, subject, text })).digest('hex');
}
