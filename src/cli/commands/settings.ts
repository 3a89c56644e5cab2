import type { Command } from 'commander';
import type { z } from 'zod';
import { settingsUpdateSchema } from '../../domain/settings/schema.js';
import { AppError, type ErrorDetail } from '../../errors.js';
import { getSettings } from '../../services/settings/get-settings.js';
import { updateSettings } from '../../services/settings/update-settings.js';
import { action } from '../action.js';
import { withRuntime } from '../context.js';
import { commandOrganisation, withOrgOption } from '../org-option.js';

/**
 * `relance settings show|set`: the web app's settings screen from a terminal, through the same
 * use cases and the same validation, so a creditor can be set up and run without the web app.
 */

type SectionName = keyof z.output<typeof settingsUpdateSchema>;

const sections = settingsUpdateSchema.shape;

function fieldSchema(section: string, field: string): z.ZodType | undefined {
  const s = (sections as Record<string, { unwrap(): { shape: Record<string, z.ZodType> } } | undefined>)[
    section
  ];
  if (!s) return undefined;
  const shape = s.unwrap().shape;
  // Object.hasOwn: a name like "toString" is not a field.
  return Object.hasOwn(shape, field) ? shape[field] : undefined;
}

function knownKeys(): string[] {
  const keys: string[] = [];
  for (const [name, s] of Object.entries(sections)) {
    for (const field of Object.keys((s as { unwrap(): { shape: object } }).unwrap().shape)) {
      keys.push(`${name}.${field}`);
    }
  }
  return keys;
}

/**
 * "KEY=VALUE" → a typed value for that field. The text is tried as text first; when the field
 * wants a number or a yes/no, it is read as one. An empty value clears an optional field.
 */
export function parseAssignment(assignment: string): { section: SectionName; field: string; value: unknown } {
  const eq = assignment.indexOf('=');
  const key = eq < 0 ? assignment : assignment.slice(0, eq);
  const [section = '', field = '', ...rest] = key.split('.');
  const schema = rest.length === 0 ? fieldSchema(section, field) : undefined;
  if (eq < 0 || !schema) {
    const reason = eq < 0 ? 'expected KEY=VALUE' : 'unknown setting';
    throw new AppError('VALIDATION', `${assignment}: ${reason} (settings are: ${knownKeys().join(', ')})`, [
      { field: key, value: assignment, reason },
    ]);
  }
  const raw = assignment.slice(eq + 1);
  if (raw === '') return { section: section as SectionName, field, value: null };
  const asText = schema.safeParse(raw);
  const expected = asText.success
    ? undefined
    : (asText.error.issues.find((i) => i.code === 'invalid_type') as { expected?: string } | undefined)
        ?.expected;
  let value: unknown = raw;
  if (expected === 'number') {
    if (!/^-?\d+$/.test(raw)) {
      throw new AppError('VALIDATION', `${key}: expected a whole number, got "${raw}"`, [
        { field: key, value: raw, reason: 'expected a whole number' },
      ]);
    }
    value = Number(raw);
  } else if (expected === 'boolean') {
    const yes = ['true', 'yes', 'oui', '1', 'on'];
    const no = ['false', 'no', 'non', '0', 'off'];
    const low = raw.toLowerCase();
    if (yes.includes(low)) value = true;
    else if (no.includes(low)) value = false;
    else {
      throw new AppError('VALIDATION', `${key}: expected true or false, got "${raw}"`, [
        { field: key, value: raw, reason: 'expected true or false' },
      ]);
    }
  }
  return { section: section as SectionName, field, value };
}

/** The settings as "section.field  value" lines, in the screen's order. */
export function settingsLines(view: Record<string, unknown>): string[] {
  const lines: string[] = [];
  const text = (v: unknown): string => {
    if (v === null || v === undefined) return '-';
    if (typeof v === 'object') return JSON.stringify(v);
    return String(v);
  };
  for (const [section, value] of Object.entries(view)) {
    if (section === 'warnings') continue;
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      for (const [field, v] of Object.entries(value)) lines.push(`${section}.${field}  ${text(v)}`);
    }
  }
  return lines;
}

function printWarnings(warnings: { message: string }[]): void {
  for (const w of warnings) process.stderr.write(`warning: ${w.message}\n`);
}

export function register(program: Command): void {
  const settings = program
    .command('settings')
    .description("read and change an organisation's settings (as the web app's settings screen)");

  withOrgOption(settings.command('show').description('print every setting'))
    .option('--json', 'print JSON')
    .action(
      action(async (o: { org?: string; json?: boolean }, cmd: Command) => {
        await withRuntime(cmd, async (rt) => {
          const org = await commandOrganisation(rt.handle.db, o);
          const view = await getSettings(rt.handle.db, org.id, new Date());
          if (o.json) {
            process.stdout.write(`${JSON.stringify(view, null, 2)}\n`);
            return;
          }
          process.stdout.write(`${settingsLines(view).join('\n')}\n`);
          printWarnings(view.warnings);
        });
      }),
    );

  withOrgOption(
    settings
      .command('set')
      .description('change settings: relance settings set channels.senderEmail=relances@example.fr …')
      .argument(
        '<assignments...>',
        'one or more KEY=VALUE, e.g. organisation.city=Lyon (empty value clears)',
      ),
  )
    .option('--json', 'print the settings after the change as JSON')
    .action(
      action(async (o: { org?: string; json?: boolean }, cmd: Command, args: string[]) => {
        const update: Record<string, Record<string, unknown>> = {};
        const problems: ErrorDetail[] = [];
        for (const a of cmd.args.length > 0 ? cmd.args : args) {
          try {
            const { section, field, value } = parseAssignment(a);
            update[section] ??= {};
            (update[section] as Record<string, unknown>)[field] = value;
          } catch (e) {
            if (e instanceof AppError) problems.push(...e.details);
            else throw e;
          }
        }
        if (problems.length > 0) {
          throw new AppError(
            'VALIDATION',
            problems.map((p) => `${p.field}: ${p.reason}`).join('; '),
            problems,
          );
        }
        await withRuntime(cmd, async (rt) => {
          const org = await commandOrganisation(rt.handle.db, o);
          const view = await updateSettings(rt.handle.db, org.id, update, new Date());
          if (o.json) {
            process.stdout.write(`${JSON.stringify(view, null, 2)}\n`);
            return;
          }
          const changed = Object.entries(update).flatMap(([s, fields]) =>
            Object.keys(fields).map((f) => `${s}.${f}`),
          );
          const lines = settingsLines(view).filter((l) => changed.includes(l.split('  ')[0] ?? ''));
          process.stdout.write(`Saved for ${org.slug}:\n${lines.map((l) => `  ${l}`).join('\n')}\n`);
          printWarnings(view.warnings);
        });
      }),
    );
}
