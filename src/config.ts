import { z } from 'zod';

/**
 * The only place that reads process.env. Parsed once at start; a bad value stops the
 * process with a message naming the variable (see docs/configuration.md).
 */
const booleanFlag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

export const configSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must start with postgres:// or postgresql://')
    .optional(),
  DATA_DIR: z.string().min(1).default('./data'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  RELANCE_DEMO: booleanFlag.default(true),
  /** Run the background workers (dunning scheduler and delivery) inside `npm start`. */
  RELANCE_WORKERS: booleanFlag.default(true),
  /**
   * Open sign-up: `POST /api/v1/auth/sign-up` creates an organisation and its admin for
   * anyone who asks. Off by default on a self-hosted install; new users are invited.
   */
  RELANCE_SIGN_UP: booleanFlag.default(false),
  /** Imports refuse dates more than this many years before today (year 0001, 1900…). */
  RELANCE_IMPORT_YEARS_BACK: z.coerce.number().int().min(1).max(200).default(30),
  /** Imports refuse dates more than this many years after today (a payment dated 2999). */
  RELANCE_IMPORT_YEARS_AHEAD: z.coerce.number().int().min(0).max(100).default(10),
  PUBLIC_URL: z.string().url().optional(),
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\//, 'must start with smtp:// or smtps://')
    .optional(),
  RELANCE_SECRET: z.string().min(16, 'must be at least 16 characters').optional(),
  /** Stripe Checkout for portal card / SEPA direct debit payments (docs/payments-sepa.md). */
  STRIPE_SECRET_KEY: z
    .string()
    .regex(/^(sk|rk)_/, 'must start with sk_ or rk_')
    .optional(),
  STRIPE_WEBHOOK_SECRET: z
    .string()
    .regex(/^whsec_/, 'must start with whsec_')
    .optional(),
  STRIPE_API_URL: z.string().url().default('https://api.stripe.com'),
  /** Enables the 'test' payment provider (a local double signing webhooks with this secret). */
  RELANCE_PAYMENT_TEST_SECRET: z.string().min(16, 'must be at least 16 characters').optional(),
});

export type Config = z.infer<typeof configSchema>;

export class ConfigError extends Error {
  constructor(public readonly issues: string[]) {
    super(`Invalid configuration:\n${issues.map((i) => `  - ${i}`).join('\n')}`);
  }
}

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  // Empty strings count as unset, as shells often export VAR= to "clear" it.
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = configSchema.safeParse(cleaned);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.') || '(env)'}: ${i.message}`));
  }
  return parsed.data;
}

/**
 * The address people reach this Relance at, for links put in emails and printed by the CLI:
 * PUBLIC_URL when set, else the configured HOST and PORT (a wildcard host is not an address
 * anyone can open, so it reads as loopback).
 */
export function publicBaseUrl(config: Pick<Config, 'PUBLIC_URL' | 'HOST' | 'PORT'>): string {
  if (config.PUBLIC_URL) return config.PUBLIC_URL.replace(/\/+$/, '');
  const host = config.HOST === '0.0.0.0' || config.HOST === '::' ? '127.0.0.1' : config.HOST;
  return `http://${host.includes(':') ? `[${host}]` : host}:${config.PORT}`;
}
