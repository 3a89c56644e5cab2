import type { Command } from 'commander';
import { listOrganisations } from '../../db/queries/organisations.js';
import { settingsUpdateSchema } from '../../domain/settings/schema.js';
import { AppError } from '../../errors.js';
import { createOrganisation } from '../../services/organisations/create-organisation.js';
import { settingsIssues, updateSettings } from '../../services/settings/update-settings.js';
import { action } from '../action.js';
import { withRuntime } from '../context.js';

interface CreateOptions {
  name: string;
  slug?: string;
  siren?: string;
  vat?: string;
  iban?: string;
  bic?: string;
  jurisdiction?: string;
  currency?: string;
  termsDays?: string;
  email?: string;
  phone?: string;
  address?: string;
  postalCode?: string;
  city?: string;
  country?: string;
  senderEmail?: string;
  senderName?: string;
  smtpUrl?: string;
}

/** The settings `org create` can set at once, in the settings screen's sections. */
function initialSettings(o: CreateOptions): Record<string, Record<string, unknown>> {
  const organisation = {
    ...(o.email ? { email: o.email } : {}),
    ...(o.phone ? { phone: o.phone } : {}),
    ...(o.address ? { addressLine1: o.address } : {}),
    ...(o.postalCode ? { postalCode: o.postalCode } : {}),
    ...(o.city ? { city: o.city } : {}),
    ...(o.country ? { country: o.country } : {}),
  };
  const channels = {
    ...(o.senderEmail ? { senderEmail: o.senderEmail } : {}),
    ...(o.senderName ? { senderName: o.senderName } : {}),
    ...(o.smtpUrl ? { smtpUrl: o.smtpUrl } : {}),
  };
  return {
    ...(Object.keys(organisation).length > 0 ? { organisation } : {}),
    ...(Object.keys(channels).length > 0 ? { channels } : {}),
  };
}

export function register(program: Command): void {
  const org = program
    .command('org')
    .description('manage organisations (the creditors whose receivables you collect)');

  org
    .command('create')
    .description('create an organisation')
    .requiredOption('--name <name>', 'legal name, e.g. "Dupont Industrie SAS"')
    .option('--slug <slug>', 'short identifier used by --org (default: from the name)')
    .option('--siren <siren>', 'SIREN (9 digits)')
    .option('--vat <number>', 'intra-community VAT number')
    .option('--iban <iban>', 'IBAN printed on reminders for payment')
    .option('--bic <bic>', 'BIC of that account')
    .option('--jurisdiction <code>', 'law applied to late payment: FR, DE, GB or EU', 'FR')
    .option('--currency <code>', 'ISO 4217 currency of the ledger', 'EUR')
    .option('--terms-days <days>', 'default payment terms in days', '30')
    .option('--email <email>', "the creditor's contact email, printed on letters")
    .option('--phone <phone>', "the creditor's phone number, printed on letters")
    .option('--address <line>', 'street address, e.g. "12 rue de la Paix"')
    .option('--postal-code <code>', 'postal code, e.g. 75002')
    .option('--city <city>', 'city, e.g. Paris')
    .option('--country <code>', 'ISO country code of the address', 'FR')
    .option('--sender-email <email>', 'address reminders are sent from (needed to send email)')
    .option('--sender-name <name>', 'name reminders are signed with')
    .option('--smtp-url <url>', "the organisation's SMTP server, smtp://user:password@host:port")
    .action(
      action(async (o: CreateOptions, cmd: Command) => {
        // Checked before anything is written: an organisation half set up would be taken by
        // later commands as the only one there is.
        const settings = initialSettings(o);
        const checked = settingsUpdateSchema.safeParse(settings);
        if (!checked.success) {
          throw new AppError('VALIDATION', 'Invalid organisation', settingsIssues(checked.error.issues));
        }
        await withRuntime(cmd, async (rt) => {
          const created = await createOrganisation(rt.handle.db, {
            name: o.name,
            ...(o.slug ? { slug: o.slug } : {}),
            ...(o.siren ? { siren: o.siren } : {}),
            ...(o.vat ? { vatNumber: o.vat } : {}),
            ...(o.iban ? { iban: o.iban } : {}),
            ...(o.bic ? { bic: o.bic } : {}),
            // Validated by createOrganisation's schema, which names the allowed values.
            jurisdiction: (o.jurisdiction ?? 'FR').toUpperCase() as 'FR',
            currency: (o.currency ?? 'EUR').toUpperCase(),
            paymentTermsDays: Number(o.termsDays ?? 30),
          });
          if (Object.keys(settings).length > 0) {
            await updateSettings(rt.handle.db, created.id, settings, new Date());
          }
          process.stdout.write(
            `Created organisation "${created.legal_name}" (slug: ${created.slug}). ` +
              `Use --org ${created.slug} with other commands.\n`,
          );
        });
      }),
    );

  org
    .command('list')
    .description('list organisations')
    .option('--json', 'print JSON')
    .action(
      action(async (o: { json?: boolean }, cmd: Command) => {
        await withRuntime(cmd, async (rt) => {
          const orgs = await listOrganisations(rt.handle.db);
          if (o.json) {
            const rows = orgs.map((x) => ({
              slug: x.slug,
              name: x.legal_name,
              siren: x.siren,
              jurisdiction: x.jurisdiction,
              currency: x.currency,
              isDemo: x.is_demo,
            }));
            process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
            return;
          }
          if (orgs.length === 0) {
            process.stdout.write('No organisation yet: create one with `relance org create --name "…"`.\n');
            return;
          }
          const width = Math.max(4, ...orgs.map((x) => x.slug.length));
          process.stdout.write(`${'SLUG'.padEnd(width)}  NAME\n`);
          for (const x of orgs) {
            const tags = [x.siren ? `SIREN ${x.siren}` : '', x.is_demo ? 'demo' : '']
              .filter(Boolean)
              .join(', ');
            process.stdout.write(`${x.slug.padEnd(width)}  ${x.legal_name}${tags ? ` (${tags})` : ''}\n`);
          }
        });
      }),
    );
}
