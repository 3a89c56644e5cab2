import type { Command } from 'commander';
import { publicBaseUrl } from '../../config.js';
import { withOrg } from '../../db/connection.js';
import { AppError } from '../../errors.js';
import { createPortalLink, revokeCustomerPortalLinks } from '../../services/portal/create-portal-link.js';
import { checkBrokenPromises } from '../../services/portal/promise-to-pay.js';
import { action } from '../action.js';
import { withRuntime } from '../context.js';
import { commandDay, DATE_OPTION_HELP } from '../date-option.js';
import { commandOrganisation, withOrgOption } from '../org-option.js';

function days(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < 1 || n > 365) {
    throw new AppError('VALIDATION', `--days ${value}: a portal link lasts 1 to 365 days`, [
      { field: 'days', value, reason: 'must be a whole number from 1 to 365' },
    ]);
  }
  return n;
}

export function register(program: Command): void {
  const portal = program.command('portal').description("the debtor portal: links to a customer's own page");

  withOrgOption(portal.command('link').description('print a fresh portal link for one customer'))
    .requiredOption('--customer <ref>', "the customer's reference (external_ref)")
    .option('--days <n>', 'validity in days (1-365)', '30')
    .action(
      action(async (o: { customer: string; days: string; org?: string }, cmd: Command) => {
        const validity = days(o.days);
        await withRuntime(cmd, async (rt) => {
          const org = await commandOrganisation(rt.handle.db, o);
          const link = await withOrg(rt.handle.db, org.id, (trx) =>
            createPortalLink(
              trx,
              org.id,
              { customerRef: o.customer },
              {
                baseUrl: publicBaseUrl(rt.config),
                days: validity,
                createdBy: 'cli',
                appSecret: rt.config.RELANCE_SECRET,
              },
            ),
          );
          process.stderr.write(
            `Portal link for ${link.customerRef} (${org.slug}), valid until ${link.expiresAt.toISOString()}:\n`,
          );
          process.stdout.write(`${link.url}\n`);
        });
      }),
    );

  withOrgOption(portal.command('revoke').description('revoke every portal link of one customer'))
    .requiredOption('--customer <ref>', "the customer's reference (external_ref)")
    .action(
      action(async (o: { customer: string; org?: string }, cmd: Command) => {
        await withRuntime(cmd, async (rt) => {
          const org = await commandOrganisation(rt.handle.db, o);
          const n = await withOrg(rt.handle.db, org.id, async (trx) => {
            const c = await trx
              .selectFrom('customers')
              .select('id')
              .where('org_id', '=', org.id)
              .where('external_ref', '=', o.customer)
              .executeTakeFirst();
            if (!c)
              throw new AppError('NOT_FOUND', `Customer ${o.customer} not found`, [
                { field: 'customer', value: o.customer, reason: 'no customer with this reference' },
              ]);
            return revokeCustomerPortalLinks(trx, org.id, c.id);
          });
          process.stdout.write(`Revoked ${n} portal link(s) of ${o.customer}.\n`);
        });
      }),
    );

  withOrgOption(
    portal
      .command('check-promises')
      .description('mark promises to pay past their grace as kept or broken')
      .option('--date <YYYY-MM-DD>', DATE_OPTION_HELP),
  ).action(
    action(async (o: { org?: string; date?: string }, cmd: Command) => {
      await withRuntime(cmd, async (rt) => {
        const org = await commandOrganisation(rt.handle.db, o);
        const { today } = await commandDay(rt.handle.db, org, o.date);
        const r = await withOrg(rt.handle.db, org.id, (trx) => checkBrokenPromises(trx, org.id, today));
        process.stdout.write(`${r.broken} broken (${r.tasksCreated} task(s) created), ${r.kept} kept.\n`);
      });
    }),
  );
}
