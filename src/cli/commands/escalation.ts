import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import type { Kysely } from 'kysely';
import { withOrg } from '../../db/connection.js';
import { findCustomerByRef } from '../../db/queries/law-case.js';
import type { Organisation } from '../../db/queries/organisations.js';
import type { Database } from '../../db/schema/index.js';
import { zonedParts } from '../../domain/calendar/index.js';
import { formatMoney } from '../../domain/money/index.js';
import { AppError } from '../../errors.js';
import type { ClaimOptions } from '../../services/law/customer-claim.js';
import { action } from '../action.js';
import { withRuntime } from '../context.js';
import { commandOrganisation, withOrgOption } from '../org-option.js';

interface DocumentOptions {
  customer: string;
  out: string;
  date?: string;
  deadlineDays?: string;
  currency?: string;
  org?: string;
}

async function customerId(db: Kysely<Database>, orgId: string, ref: string): Promise<string> {
  const c = await withOrg(db, orgId, (trx) => findCustomerByRef(trx, orgId, ref));
  if (!c) {
    throw new AppError('NOT_FOUND', `no customer with reference "${ref}"`, [
      { field: 'customer', value: ref, reason: 'unknown customer reference' },
    ]);
  }
  return c.id;
}

function claimOptions(o: DocumentOptions, org: Organisation): ClaimOptions {
  const deadlineDays = o.deadlineDays === undefined ? undefined : Number(o.deadlineDays);
  if (
    deadlineDays !== undefined &&
    (!Number.isInteger(deadlineDays) || deadlineDays < 8 || deadlineDays > 60)
  ) {
    throw new AppError('VALIDATION', '--deadline-days: a whole number of days between 8 and 60', [
      { field: 'deadlineDays', value: String(o.deadlineDays), reason: 'between 8 and 60' },
    ]);
  }
  return {
    // "Today" is the organisation's business date, as for the API.
    date: o.date ?? zonedParts(new Date(), org.time_zone).date,
    ...(deadlineDays !== undefined ? { deadlineDays } : {}),
    ...(o.currency ? { currency: o.currency } : {}),
  };
}

const documentOptions = (cmd: Command) =>
  withOrgOption(
    cmd
      .requiredOption('--customer <ref>', "the customer's reference (code client)")
      .requiredOption('--out <file>', 'file to write')
      .option('--date <date>', 'date of the document, penalties computed to it (default today)')
      .option('--currency <code>', "one claim per currency (default the organisation's)"),
  );

export function register(program: Command): void {
  const escalation = program
    .command('escalation')
    .description('legal documents of a claim: mise en demeure, escalation file (French law)');

  documentOptions(
    escalation
      .command('export')
      .description(
        'write the escalation file as a ZIP: dossier PDF, stored documents, evidence log (CSV, JSON), SHA-256 manifest',
      ),
  ).action(
    action(async (o: DocumentOptions, cmd: Command) => {
      const { buildEscalationFile } = await import('../../services/law/build-escalation-file.js');
      await withRuntime(cmd, async (rt) => {
        const org = await commandOrganisation(rt.handle.db, o);
        const id = await customerId(rt.handle.db, org.id, o.customer);
        const f = await buildEscalationFile(rt.handle.db, org.id, id, claimOptions(o, org));
        await writeFile(o.out, f.zip);
        const total = f.manifest.files.length + 2;
        process.stdout.write(
          `Escalation file of ${o.customer} written to ${o.out} (${total} files, ${f.zip.length} bytes)\nSHA-256 ${f.zipSha256}\n`,
        );
      });
    }),
  );

  documentOptions(
    escalation
      .command('notice')
      .description('write the mise en demeure of a customer as a PDF letter')
      .option('--deadline-days <n>', 'days given to pay (default 15, moved to the next working day)'),
  ).action(
    action(async (o: DocumentOptions, cmd: Command) => {
      const { renderFormalNotice } = await import('../../services/law/render-formal-notice.js');
      await withRuntime(cmd, async (rt) => {
        const org = await commandOrganisation(rt.handle.db, o);
        const id = await customerId(rt.handle.db, org.id, o.customer);
        const r = await renderFormalNotice(rt.handle.db, org.id, id, claimOptions(o, org));
        await writeFile(o.out, r.pdf);
        process.stdout.write(
          `Mise en demeure of ${o.customer} written to ${o.out}: ${formatMoney(r.notice.totals.total)} to pay by ${r.notice.deadline}\nSHA-256 ${r.sha256}\n`,
        );
        for (const x of r.excluded) process.stdout.write(`  not claimed: ${x.invoiceNumber} (${x.reason})\n`);
      });
    }),
  );
}
