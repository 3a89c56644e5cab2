import { generateCustomers } from './generate-customers.js';
import { generateLedger } from './generate-ledger.js';
import { deriveSeed, Rng } from './prng.js';
import type { DemoPortfolio, GenerateOptions } from './types.js';

/**
 * A realistic receivables portfolio, pure and deterministic: the same options give the
 * same rows (ids included) on every run. The demo seed, `relance demo`, tests and
 * benchmarks all use it.
 */
export function generatePortfolio(opts: GenerateOptions): DemoPortfolio {
  const prefix = opts.prefix ?? '';
  const currency = opts.currency ?? 'EUR';
  const rng = new Rng(deriveSeed(opts.seed, prefix));
  const { profiles, contacts } = generateCustomers(rng, {
    customers: opts.customers,
    seed: opts.seed,
    today: opts.today,
    currency,
    prefix,
  });
  const ledger = generateLedger(rng, profiles, {
    invoices: opts.invoices,
    today: opts.today,
    months: opts.months ?? 18,
    currency,
    prefix,
  });
  return { customers: profiles.map((p) => p.customer), contacts, ...ledger };
}

/** The id of a portfolio's first customer: tells whether that portfolio is already in an
 * organisation (same seed and prefix), without generating it all. */
export function firstCustomerId(seed: number, prefix = ''): string | undefined {
  return generatePortfolio({ customers: 1, invoices: 0, seed, today: '2000-01-01', prefix }).customers[0]?.id;
}
