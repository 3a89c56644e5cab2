import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { DbHandle } from '../db/connection.js';
import {
  findOrganisationBySlug,
  insertOrganisation,
  type Organisation,
} from '../db/queries/organisations.js';
import type { Database } from '../db/schema/index.js';
import { type IsoDate, zonedParts } from '../domain/calendar/index.js';
import type { DemoSeeder } from '../runtime.js';
import { generatePortfolio } from './generate-portfolio.js';
import { frenchIban, frenchVatNumber } from './identifiers.js';
import { portfolioRowCount, type WriteCounts, writePortfolio } from './write-portfolio.js';

export const DEMO_SLUG = 'demo';
const DEMO_SIREN = '552100554';

/** Today in Paris: the demo company's calendar. */
export function demoToday(now = new Date()): IsoDate {
  return zonedParts(now, 'Europe/Paris').date;
}

/**
 * The demo creditor, "Démo Industries SAS": a complete French company (SIREN, VAT number,
 * a checksum-valid IBAN, Paris address, late-penalty clause) so every feature has what it
 * needs. Takes `demo`, or `demo-2`, `demo-3`… when that slug is used.
 */
export async function createDemoOrganisation(db: Kysely<Database>, slug?: string): Promise<Organisation> {
  let chosen = slug ?? DEMO_SLUG;
  for (let n = 2; !slug && (await findOrganisationBySlug(db, chosen)); n++) chosen = `${DEMO_SLUG}-${n}`;
  return insertOrganisation(db, {
    slug: chosen,
    legal_name: 'Démo Industries SAS',
    siren: DEMO_SIREN,
    vat_number: frenchVatNumber(DEMO_SIREN),
    address_line1: '12 rue de la Chaussée-d’Antin',
    address_line2: null,
    postal_code: '75009',
    city: 'Paris',
    email: 'comptabilite@demo-industries.example',
    phone: '+33 1 99 00 42 42',
    iban: frenchIban('30004', '00001', '00012345678'),
    bic: 'BNPAFRPPXXX',
    jurisdiction: 'FR',
    currency: 'EUR',
    locale: 'fr-FR',
    time_zone: 'Europe/Paris',
    default_payment_terms_days: 30,
    late_penalty_rate: null,
    // Code de commerce art. L441-10 II: the invoice must state the late-payment penalty
    // rate and the 40 € fixed recovery indemnity (art. D441-5).
    late_penalty_clause:
      "Pénalités de retard : trois fois le taux d'intérêt légal. Indemnité forfaitaire pour frais de recouvrement : 40 €.",
    settings: JSON.stringify({}),
    is_demo: true,
  });
}

export interface DemoSize {
  customers: number;
  invoices: number;
  seed: number;
  today?: IsoDate;
  prefix?: string;
}

/** Generate a portfolio and write it into an organisation. */
export async function populateDemo(
  db: Kysely<Database>,
  orgId: string,
  size: DemoSize,
  onProgress?: (rowsWritten: number, totalRows: number) => void,
): Promise<WriteCounts> {
  const portfolio = generatePortfolio({
    customers: size.customers,
    invoices: size.invoices,
    seed: size.seed,
    today: size.today ?? demoToday(),
    ...(size.prefix ? { prefix: size.prefix } : {}),
  });
  const total = portfolioRowCount(portfolio);
  return writePortfolio(db, orgId, portfolio, {
    today: size.today ?? demoToday(),
    ...(onProgress ? { onProgress: (n: number) => onProgress(n, total) } : {}),
  });
}

export const DEMO_SIZE = { customers: 300, invoices: 3_000, seed: 2024 } as const;

/** The first-start seeder registered with the runtime (see src/runtime.ts). */
export function createDemoSeeder(opts: { today?: IsoDate } = {}): DemoSeeder {
  return async (handle: DbHandle, log: Logger) => {
    const started = Date.now();
    const org = await createDemoOrganisation(handle.db);
    const counts = await populateDemo(handle.db, org.id, { ...DEMO_SIZE, ...opts });
    log.info({ org: org.slug, ...counts, ms: Date.now() - started }, 'demo organisation created');
  };
}

export const seedDemo: DemoSeeder = createDemoSeeder();
