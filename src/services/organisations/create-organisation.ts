import type { Kysely } from 'kysely';
import { z } from 'zod';
import {
  findOrganisationBySlug,
  insertOrganisation,
  type Organisation,
} from '../../db/queries/organisations.js';
import type { Database } from '../../db/schema/index.js';
import { AppError } from '../../errors.js';

export const createOrganisationInput = z.object({
  name: z.string().trim().min(1).max(200),
  slug: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'lowercase letters, digits and dashes')
    .optional(),
  siren: z
    .string()
    .transform((s) => s.replace(/\s/g, ''))
    .pipe(z.string().regex(/^[0-9]{9}$/, 'a SIREN has 9 digits'))
    .optional(),
  vatNumber: z.string().trim().max(20).optional(),
  iban: z.string().trim().max(40).optional(),
  bic: z.string().trim().max(11).optional(),
  jurisdiction: z.enum(['FR', 'DE', 'GB', 'EU']).default('FR'),
  currency: z.string().length(3).default('EUR'),
  locale: z.enum(['fr-FR', 'en-GB']).default('fr-FR'),
  timeZone: z.string().default('Europe/Paris'),
  paymentTermsDays: z.number().int().min(0).max(365).default(30),
  isDemo: z.boolean().default(false),
});
export type CreateOrganisationInput = z.input<typeof createOrganisationInput>;

export function slugify(name: string): string {
  const s = name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 63);
  return s || 'org';
}

export async function createOrganisation(
  db: Kysely<Database>,
  input: CreateOrganisationInput,
): Promise<Organisation> {
  const parsed = createOrganisationInput.safeParse(input);
  if (!parsed.success) {
    throw new AppError(
      'VALIDATION',
      'Invalid organisation',
      parsed.error.issues.map((i) => ({ field: i.path.join('.'), reason: i.message })),
    );
  }
  const o = parsed.data;
  const slug = o.slug ?? slugify(o.name);
  if (await findOrganisationBySlug(db, slug)) {
    throw new AppError('CONFLICT', `An organisation with slug "${slug}" already exists`, [
      { field: 'slug', value: slug, reason: 'already taken' },
    ]);
  }
  return insertOrganisation(db, {
    slug,
    legal_name: o.name,
    siren: o.siren ?? null,
    vat_number: o.vatNumber ?? null,
    iban: o.iban ? o.iban.replace(/\s/g, '').toUpperCase() : null,
    bic: o.bic ?? null,
    jurisdiction: o.jurisdiction,
    currency: o.currency.toUpperCase(),
    locale: o.locale,
    time_zone: o.timeZone,
    default_payment_terms_days: o.paymentTermsDays,
    settings: JSON.stringify({}),
    is_demo: o.isDemo,
    address_line1: null,
    address_line2: null,
    postal_code: null,
    city: null,
    email: null,
    phone: null,
    late_penalty_rate: null,
    late_penalty_clause: null,
  });
}
