import { base, Faker, fr } from '@faker-js/faker';
import type { PaymentMethod } from '../db/schema/payments.js';
import type { IsoDate } from '../domain/calendar/index.js';
import { addDays } from '../domain/calendar/index.js';
import { frenchVatNumber, withLuhnDigit } from './identifiers.js';
import { deriveSeed, type Rng } from './prng.js';
import type { DemoContact, DemoCustomer, PaymentBehaviour } from './types.js';

export interface PaymentTerms {
  label: string;
  days: number;
  /** "45 jours fin de mois": the due date moves to the end of the month. */
  endOfMonth: boolean;
}

/** What the ledger generator needs to know about a customer beyond its row. */
export interface CustomerProfile {
  customer: DemoCustomer;
  /** Relative share of the invoices. */
  weight: number;
  typicalNetMinor: number;
  terms: PaymentTerms;
  method: PaymentMethod;
  /** Defaulters stop paying what falls due after this date. */
  defaultsFrom: IsoDate | null;
}

// Code de commerce art. L441-10 I: agreed terms may not exceed 60 days from the invoice
// date, or 45 days end of month; the demo uses the common ones within that limit.
const B2B_TERMS: readonly (readonly [PaymentTerms, number])[] = [
  [{ label: '30 jours', days: 30, endOfMonth: false }, 50],
  [{ label: '45 jours fin de mois', days: 45, endOfMonth: true }, 25],
  [{ label: '60 jours', days: 60, endOfMonth: false }, 25],
];
const B2C_TERMS: PaymentTerms = { label: '15 jours', days: 15, endOfMonth: false };

const BEHAVIOURS: readonly (readonly [PaymentBehaviour, number])[] = [
  ['punctual', 45],
  ['slightly_late', 30],
  ['chronic_late', 17],
  ['defaulter', 8],
];

const BEHAVIOUR_NOTES: Record<PaymentBehaviour, string> = {
  punctual: 'Profil démo : payeur ponctuel',
  slightly_late: 'Profil démo : paie avec un léger retard',
  chronic_late: 'Profil démo : retardataire chronique, paiements partiels',
  defaulter: 'Profil démo : défaillant, a cessé de payer',
};

const CITIES: readonly (readonly [string, string])[] = [
  ['75008', 'Paris'],
  ['75011', 'Paris'],
  ['69003', 'Lyon'],
  ['13008', 'Marseille'],
  ['31000', 'Toulouse'],
  ['44000', 'Nantes'],
  ['59000', 'Lille'],
  ['33000', 'Bordeaux'],
  ['67000', 'Strasbourg'],
  ['35000', 'Rennes'],
  ['06000', 'Nice'],
  ['34000', 'Montpellier'],
  ['38000', 'Grenoble'],
  ['21000', 'Dijon'],
  ['49000', 'Angers'],
  ['51100', 'Reims'],
  ['76600', 'Le Havre'],
  ['42000', 'Saint-Étienne'],
  ['63000', 'Clermont-Ferrand'],
  ['37000', 'Tours'],
  ['87000', 'Limoges'],
  ['45000', 'Orléans'],
  ['57000', 'Metz'],
  ['14000', 'Caen'],
  ['29200', 'Brest'],
  ['86000', 'Poitiers'],
  ['74000', 'Annecy'],
  ['25000', 'Besançon'],
];

const LEGAL_FORMS = ['SAS', 'SARL', 'SA', 'EURL', 'SASU'] as const;

/** Trades a small or mid-sized French business is named after ("Boulangerie Martin SARL"). */
const TRADES = [
  'Boulangerie',
  'Transports',
  'Garage',
  'Menuiserie',
  'Imprimerie',
  'Plomberie',
  'Électricité',
  'Pharmacie',
  'Cabinet',
  'Carrosserie',
  'Charpente',
  'Maçonnerie',
  'Fromagerie',
  'Librairie',
  'Brasserie',
  'Serrurerie',
] as const;
const SECTORS = ['Industries', 'Services', 'Distribution', 'Logistique', 'Bâtiment', 'Conseil'] as const;

/**
 * A company name with exactly one legal form: a trade and a family name, two partners'
 * names, or a family name and a sector. (faker's French company names may already end in a
 * form — "Leclerc SEM" — so they are not used: "Leclerc SEM SAS" is not a name.)
 */
export function companyName(rng: Rng, lastName: () => string): string {
  const form = rng.pick(LEGAL_FORMS);
  const pattern = rng.int(0, 2);
  if (pattern === 0) return `${rng.pick(TRADES)} ${lastName()} ${form}`;
  if (pattern === 1) {
    const a = lastName();
    let b = lastName();
    if (b === a) b = lastName();
    return `${a} et ${b} ${form}`;
  }
  return `${lastName()} ${rng.pick(SECTORS)} ${form}`;
}

/** "12 rue de la Paix": house numbers as streets have them (1 to 180, sometimes "bis"). */
function streetLine(rng: Rng, street: string): string {
  const n = rng.int(1, 180);
  return `${n}${rng.chance(0.05) ? ' bis' : ''} ${street.charAt(0).toLowerCase()}${street.slice(1)}`;
}
const B2B_ROLES = [
  'Comptabilité fournisseurs',
  'Directeur administratif et financier',
  'Gérant',
  'Assistante de direction',
  'Responsable achats',
] as const;
const COLLECTORS = ['Camille Martin', 'Julien Bernard', 'Sophie Petit'] as const;

function ascii(s: string): string {
  return s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

// ARCEP reserves 01 99 00 xx xx and 06 39 98 xx xx for fiction: demo numbers never ring anyone.
function fictionalPhone(rng: Rng, mobile: boolean): string {
  const d = rng.digits(4);
  return mobile ? `+33 6 39 98 ${d.slice(0, 2)} ${d.slice(2)}` : `+33 1 99 00 ${d.slice(0, 2)} ${d.slice(2)}`;
}

/**
 * Customers with their contacts and the hidden profile (behaviour, size, terms) that the
 * ledger generator plays out. Emails use the reserved `.example` top-level domain
 * (RFC 2606) so a demo wired to a real SMTP server cannot mail a real company.
 */
export function generateCustomers(
  rng: Rng,
  opts: { customers: number; seed: number; today: IsoDate; currency: string; prefix: string },
): { profiles: CustomerProfile[]; contacts: DemoContact[] } {
  const faker = new Faker({ locale: [fr, base] });
  faker.seed(deriveSeed(opts.seed, `faker${opts.prefix}`));
  const profiles: CustomerProfile[] = [];
  const contacts: DemoContact[] = [];
  for (let i = 0; i < opts.customers; i++) {
    const kind = rng.chance(0.85) ? 'b2b' : 'b2c';
    const behaviour = rng.weighted(BEHAVIOURS);
    const [postalCode, city] = rng.pick(CITIES);
    const id = rng.uuid();
    const language = rng.chance(0.95) ? 'fr' : 'en';
    const addressLine1 = streetLine(rng, faker.location.street());
    let customer: DemoCustomer;
    let profile: Omit<CustomerProfile, 'customer'>;
    if (kind === 'b2b') {
      const strategic = rng.chance(0.06);
      const siren = withLuhnDigit(rng.digits(8));
      const name = companyName(rng, () => faker.person.lastName());
      const domain = `${ascii(name)}.example`;
      const terms = rng.weighted(B2B_TERMS);
      customer = {
        id,
        externalRef: `${opts.prefix}CLI${String(i + 1).padStart(6, '0')}`,
        name,
        kind,
        siren,
        siret: withLuhnDigit(`${siren}0001`),
        vatNumber: frenchVatNumber(siren),
        addressLine1,
        postalCode,
        city,
        segment: strategic ? 'strategic' : 'standard',
        creditLimitMinor: (strategic ? rng.int(10, 30) * 10_000 : rng.int(1, 8) * 5_000) * 100,
        currency: opts.currency,
        language,
        assignedCollector: rng.pick(COLLECTORS),
        paymentTermsDays: terms.days,
        behaviour,
        notes: BEHAVIOUR_NOTES[behaviour],
      };
      profile = {
        weight: strategic ? rng.int(8, 20) : rng.logNormal(0.7),
        typicalNetMinor: Math.round((strategic ? 6_000 : 1_500) * rng.logNormal(0.5)) * 100,
        terms,
        method:
          behaviour === 'punctual' && rng.chance(0.3)
            ? 'direct_debit'
            : rng.chance(0.9)
              ? 'transfer'
              : 'cheque',
        defaultsFrom: behaviour === 'defaulter' ? addDays(opts.today, -rng.int(45, 240)) : null,
      };
      const n = strategic ? 3 : rng.int(1, 2);
      for (let c = 0; c < n; c++) {
        const first = faker.person.firstName();
        const last = faker.person.lastName();
        contacts.push({
          id: rng.uuid(),
          customerId: id,
          name: `${first} ${last}`,
          role: c === 0 ? 'Comptabilité fournisseurs' : rng.pick(B2B_ROLES),
          email: `${ascii(first)}.${ascii(last)}@${domain}`,
          phone: fictionalPhone(rng, rng.chance(0.5)),
          preferredChannel: c === 0 ? 'email' : rng.pick(['email', 'phone'] as const),
          language,
          consentEmail: true,
          consentSms: false,
          isPrimary: c === 0,
        });
      }
    } else {
      const first = faker.person.firstName();
      const last = faker.person.lastName();
      customer = {
        id,
        externalRef: `${opts.prefix}CLI${String(i + 1).padStart(6, '0')}`,
        name: `${first} ${last}`,
        kind,
        siren: null,
        siret: null,
        vatNumber: null,
        addressLine1,
        postalCode,
        city,
        segment: 'standard',
        creditLimitMinor: null,
        currency: opts.currency,
        language,
        assignedCollector: null,
        paymentTermsDays: B2C_TERMS.days,
        behaviour,
        notes: BEHAVIOUR_NOTES[behaviour],
      };
      profile = {
        weight: 0.3,
        typicalNetMinor: Math.round(120 * rng.logNormal(0.6)) * 100,
        terms: B2C_TERMS,
        method: rng.weighted([
          ['card', 6],
          ['transfer', 3],
          ['cheque', 1],
        ] as const),
        defaultsFrom: behaviour === 'defaulter' ? addDays(opts.today, -rng.int(45, 240)) : null,
      };
      const consentSms = rng.chance(0.6);
      contacts.push({
        id: rng.uuid(),
        customerId: id,
        name: `${first} ${last}`,
        role: null,
        email: `${ascii(first)}.${ascii(last)}${rng.int(1, 99)}@particulier.example`,
        phone: fictionalPhone(rng, true),
        preferredChannel: consentSms && rng.chance(0.3) ? 'sms' : 'email',
        language,
        consentEmail: true,
        consentSms,
        isPrimary: true,
      });
    }
    profiles.push({ customer, ...profile });
  }
  return { profiles, contacts };
}
