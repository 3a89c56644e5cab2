import { AppError } from '../../errors.js';
import { DEFAULT_TEMPLATES } from './catalogue.js';
import { hbs } from './engine.js';
import { htmlSource, letterSource, textSource } from './layout.js';
import type { TemplateLocale } from './variables.js';

/**
 * An organisation's edit of one template (key × locale): each part is the whole Handlebars
 * source of that part, in the dialect of the defaults; null or absent means the default.
 */
export const TEMPLATE_PARTS = ['subject', 'html', 'text', 'sms', 'letter'] as const;
export type TemplatePart = (typeof TEMPLATE_PARTS)[number];
export type TemplateOverride = Partial<Record<TemplatePart, string | null>>;

/** The default source of every part, as an editor pre-fills it. */
export function defaultTemplateParts(key: string, locale: TemplateLocale): Record<TemplatePart, string> {
  const src = DEFAULT_TEMPLATES[key]?.[locale];
  if (!src) throw new AppError('NOT_FOUND', `no template "${key}" in locale ${locale}`);
  return {
    subject: src.subject,
    html: htmlSource(src, locale),
    text: textSource(src, locale),
    sms: src.sms,
    letter: letterSource(src, locale),
  };
}

// What a template can name at its root (TemplateView in variables.ts, plus the rendered subject).
const ROOT: Record<string, readonly string[] | null> = {
  organisation: ['name', 'addressLines', 'email', 'phone', 'iban', 'bic', 'signature'],
  customer: ['name', 'kind', 'reference', 'addressLines'],
  contact: ['name'],
  invoices: null,
  penalties: ['accruedMinor', 'indemnityMinor', 'currency', 'asOf', 'provisionalRates'],
  payment: ['iban', 'bic', 'reference'],
  portalUrl: [],
  collector: ['name', 'title', 'email', 'phone'],
  today: [],
  deadlineDays: [],
  locale: [],
  intlLocale: [],
  single: [],
  first: null,
  count: [],
  lateCount: [],
  totals: null,
  deadlineDate: [],
  greetingName: [],
  indemnity: ['amountMinor', 'currency', 'computed'],
  subject: [],
  previousReminders: null,
  previousRemindersText: [],
  provisionalRatesText: [],
  onlinePayment: [],
};
const INVOICE = [
  'number',
  'issueDate',
  'dueDate',
  'amountMinor',
  'balanceMinor',
  'currency',
  'daysLate',
  'instalmentSeq',
];
const TOTAL = ['currency', 'balanceMinor'];
/** Fields of the element a block iterates over or enters, by the path it was given. */
const SCOPES: Record<string, readonly string[]> = {
  invoices: INVOICE,
  first: INVOICE,
  totals: TOTAL,
  'organisation.addressLines': [],
  'customer.addressLines': [],
  ...Object.fromEntries(
    Object.entries(ROOT)
      .filter(([, f]) => f && f.length > 0)
      .map(([k, f]) => [k, f as readonly string[]]),
  ),
};
const HELPERS = new Set(['money', 'date', 'dateShort', 'plural', 'gt', 'totals']);
const BUILTIN_BLOCKS = new Set(['if', 'unless', 'each', 'with', 'lookup']);

export const KNOWN_VARIABLES: readonly string[] = Object.entries(ROOT).flatMap(([k, f]) => [
  k,
  ...(f ?? (k === 'totals' ? TOTAL : INVOICE)).map((x) => `${k}.${x}`),
]);

export interface TemplateIssue {
  part: TemplatePart;
  line: number | null;
  reason: string;
}

type Node = { type: string; loc?: { start: { line: number } } | null; [k: string]: unknown };
type Path = Node & { original: string; parts: string[]; depth: number; data: boolean };
/** A scope is the names valid for a relative path: null = anything (unknown element shape). */
type Scope = readonly string[] | null;

/** The variables a part uses, each with its line, and any name that is not a known variable. */
function checkProgram(part: TemplatePart, ast: Node): { used: string[]; issues: TemplateIssue[] } {
  const used = new Set<string>();
  const issues: TemplateIssue[] = [];
  const line = (n: Node) => n.loc?.start.line ?? null;
  const checkPath = (p: Path, scopes: Scope[], asHelper: boolean) => {
    if (p.data || p.original === 'this' || p.original === '.' || p.parts.length === 0) return;
    if (asHelper && HELPERS.has(p.original)) return;
    const scope = scopes[scopes.length - 1 - p.depth] ?? scopes[0];
    const head = p.parts[0] ?? '';
    const atRoot = scopes.length - 1 - p.depth <= 0;
    const known = atRoot
      ? head in ROOT &&
        (p.parts.length === 1 || ROOT[head] === null || (ROOT[head] ?? []).includes(p.parts[1] ?? ''))
      : scope === null || scope === undefined || scope.includes(head) || head in ROOT;
    if (known) used.add(p.original);
    else issues.push({ part, line: line(p), reason: `unknown variable "${p.original}"` });
  };
  const scopeOf = (param: Node | undefined): Scope => {
    if (param?.type !== 'PathExpression') return null;
    return SCOPES[(param as Path).original] ?? null;
  };
  const visitExpr = (e: Node | undefined, scopes: Scope[]) => {
    if (!e) return;
    if (e.type === 'PathExpression') checkPath(e as Path, scopes, false);
    else if (e.type === 'SubExpression') visitCall(e, scopes);
  };
  const visitCall = (n: Node, scopes: Scope[]) => {
    const path = n.path as Path;
    const params = (n.params as Node[]) ?? [];
    const pairs = (n.hash as { pairs?: { value: Node }[] } | undefined)?.pairs ?? [];
    for (const pair of pairs) visitExpr(pair.value, scopes);
    // {{"text"}} or {{42}}: a literal prints itself, there is no name to check.
    if (path.type !== 'PathExpression') return;
    const isCall =
      params.length > 0 || ((n.hash as { pairs?: unknown[] } | undefined)?.pairs?.length ?? 0) > 0;
    if (isCall || n.type === 'BlockStatement' || n.type === 'SubExpression') {
      if (!HELPERS.has(path.original) && !BUILTIN_BLOCKS.has(path.original))
        issues.push({ part, line: line(n), reason: `unknown helper "${path.original}"` });
    } else checkPath(path, scopes, true);
    for (const p of params) visitExpr(p, scopes);
  };
  const visit = (n: Node | undefined | null, scopes: Scope[]) => {
    if (!n) return;
    if (n.type === 'Program') for (const s of n.body as Node[]) visit(s, scopes);
    else if (n.type === 'MustacheStatement') visitCall(n, scopes);
    else if (n.type === 'BlockStatement') {
      visitCall(n, scopes);
      const name = (n.path as Path).original;
      const inner =
        name === 'each' || name === 'with' ? [...scopes, scopeOf((n.params as Node[])[0])] : scopes;
      visit(n.program as Node, inner);
      visit(n.inverse as Node, scopes);
    } else if (
      n.type === 'PartialStatement' ||
      n.type === 'PartialBlockStatement' ||
      n.type === 'DecoratorBlock'
    )
      issues.push({ part, line: line(n), reason: 'partials and decorators are not available in templates' });
  };
  visit(ast, [null]);
  return { used: [...used].sort(), issues };
}

export interface OverrideCheck {
  /** Variables each edited part uses. */
  variables: Partial<Record<TemplatePart, string[]>>;
  issues: TemplateIssue[];
}

/** Parse each edited part and list the variables it uses against the known ones; nothing thrown. */
export function checkOverride(override: TemplateOverride): OverrideCheck {
  const out: OverrideCheck = { variables: {}, issues: [] };
  for (const part of TEMPLATE_PARTS) {
    const source = override[part];
    if (source === null || source === undefined) continue;
    if (part === 'subject' && source.trim() === '') {
      out.issues.push({ part, line: 1, reason: 'the subject cannot be empty' });
      continue;
    }
    let ast: Node;
    try {
      ast = hbs.parse(source) as unknown as Node;
    } catch (err) {
      const msg = err instanceof Error ? err.message : String(err);
      const m = /line (\d+)/.exec(msg);
      out.issues.push({ part, line: m ? Number(m[1]) : null, reason: msg.split('\n')[0] ?? msg });
      continue;
    }
    const r = checkProgram(part, ast);
    out.variables[part] = r.used;
    out.issues.push(...r.issues);
  }
  return out;
}

/** checkOverride, throwing one VALIDATION AppError naming each part and line at fault. */
export function validateOverride(override: TemplateOverride): OverrideCheck {
  const check = checkOverride(override);
  if (check.issues.length > 0) throw overrideError(check.issues);
  return check;
}

export function overrideError(issues: TemplateIssue[]): AppError {
  const first = issues[0];
  return new AppError(
    'VALIDATION',
    `template ${first?.part ?? ''}${first?.line ? ` line ${first.line}` : ''}: ${first?.reason ?? 'invalid'}`,
    issues.map((i) => ({ field: i.part, ...(i.line ? { line: i.line } : {}), reason: i.reason })),
  );
}
