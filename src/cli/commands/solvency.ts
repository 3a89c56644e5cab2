import { readFile, writeFile } from 'node:fs/promises';
import { basename } from 'node:path';
import type { Command } from 'commander';
import { formatMoney } from '../../domain/money/index.js';
import { AppError } from '../../errors.js';
import { creditCheck } from '../../services/solvency/credit-check.js';
import { declareClaim } from '../../services/solvency/declare-claim.js';
import { importBodacc, refreshBodaccOnline } from '../../services/solvency/import-bodacc.js';
import { importSireneStock } from '../../services/solvency/import-sirene.js';
import { action } from '../action.js';
import { withRuntime } from '../context.js';
import { commandOrganisation, withOrgOption } from '../org-option.js';

const TERMS_FR: Record<string, string> = {
  refuse: 'refuser le crédit',
  prepayment: 'paiement d’avance',
  net_15: '15 jours',
  net_30: '30 jours',
  net_45: '45 jours',
};

const out = (s: string) => process.stdout.write(s);

/** `relance bodacc import`, `relance sirene import`, `relance credit check`, `relance credit declare`. */
export function register(program: Command): void {
  const bodacc = program.command('bodacc').description('BODACC insolvency notices (procédures collectives)');
  withOrgOption(
    bodacc
      .command('import')
      .description(
        'import a BODACC export (DILA JSON/CSV or the re-export): match customers by SIREN, apply the law',
      )
      .argument('<file>', 'the JSON or CSV file'),
  )
    .option('--json', 'print the full result as JSON')
    .action(
      action(async (o: { org?: string; json?: boolean }, cmd: Command, args: string[]) => {
        const file = args[0] ?? '';
        const text = await readFile(file, 'utf8').catch((e: Error) => {
          throw new AppError('NOT_FOUND', `Cannot read ${file}: ${e.message}`, [
            { field: 'file', value: file, reason: 'not readable' },
          ]);
        });
        await withRuntime(cmd, async (rt) => {
          const org = await commandOrganisation(rt.handle.db, o);
          const r = await importBodacc(rt.handle.db, org.id, text, { filename: basename(file) });
          if (o.json) return out(`${JSON.stringify(r, null, 2)}\n`);
          out(
            `${r.records} record(s): ${r.notices} notice(s) read, ${r.inserted} new, ${r.matched} matching a customer, ${r.applied.length} applied; ${r.problems.length} problem(s).\n`,
          );
          for (const a of r.applied)
            out(
              `  ${a.kind} for customer ${a.customerId}: ${a.pausedInvoices} invoice(s) stayed${a.declarationDeadline ? `, declare the claim by ${a.declarationDeadline}` : ''}${a.writeOffTaskId ? ', write-off proposed' : ''}\n`,
            );
          for (const p of r.problems.slice(0, 50)) out(`  record ${p.record}: ${p.field}: ${p.reason}\n`);
          if (r.problems.length > 50) out(`  … ${r.problems.length - 50} more (use --json)\n`);
        });
      }),
    );

  withOrgOption(
    bodacc
      .command('fetch')
      .description('fetch the notices published since a date from the DILA BODACC API and apply them')
      .requiredOption('--since <date>', 'first publication date (YYYY-MM-DD)')
      .option('--url <url>', 'API base URL (default: the DILA open-data site)'),
  ).action(
    action(async (o: { org?: string; since: string; url?: string }, cmd: Command) => {
      await withRuntime(cmd, async (rt) => {
        const org = await commandOrganisation(rt.handle.db, o);
        const r = await refreshBodaccOnline(rt.handle.db, org.id, o.since, o.url ? { baseUrl: o.url } : {});
        out(
          `${r.records} record(s) since ${o.since}: ${r.inserted} new, ${r.matched} matching a customer, ${r.applied.length} applied; ${r.problems.length} problem(s).\n`,
        );
      });
    }),
  );

  const sirene = program.command('sirene').description('INSEE SIRENE company identities');
  withOrgOption(
    sirene
      .command('import')
      .description(
        'import an INSEE stock file (StockUniteLegale or StockEtablissement CSV) for the customers’ SIRENs',
      )
      .argument('<file>', 'the CSV stock file')
      .option('--all', 'keep every unit of the file, not only the customers’ SIRENs'),
  )
    .option('--json', 'print the full result as JSON')
    .action(
      action(async (o: { org?: string; json?: boolean; all?: boolean }, cmd: Command, args: string[]) => {
        const file = args[0] ?? '';
        await withRuntime(cmd, async (rt) => {
          const org = await commandOrganisation(rt.handle.db, o);
          const r = await importSireneStock(rt.handle.db, org.id, file, { all: !!o.all });
          if (o.json) return out(`${JSON.stringify(r, null, 2)}\n`);
          out(
            `${r.kind}: ${r.rows} row(s), ${r.identities} identit(y/ies) saved, ${r.addresses} address(es), ${r.ceasedTasks.length} ceased-company task(s); ${r.problems.length} problem(s).\n`,
          );
          for (const p of r.problems.slice(0, 50))
            out(`  line ${p.line}: ${p.field}: ${p.reason}${p.value ? ` (${p.value})` : ''}\n`);
        });
      }),
    );

  const credit = program.command('credit').description('credit checks and insolvency declarations');
  withOrgOption(
    credit
      .command('check')
      .description(
        'check a company before giving credit: identity, status, proceedings, history, suggested limit',
      )
      .requiredOption('--siren <siren>', 'the company’s SIREN (9 digits)')
      .option('--refresh', 'fetch the identity from the SIRENE API even if one is stored'),
  )
    .option('--json', 'print the full result as JSON')
    .action(
      action(async (o: { org?: string; json?: boolean; siren: string; refresh?: boolean }, cmd: Command) => {
        await withRuntime(cmd, async (rt) => {
          const org = await commandOrganisation(rt.handle.db, o);
          const r = await creditCheck(rt.handle.db, org.id, o.siren, { refresh: !!o.refresh });
          if (o.json) return out(`${JSON.stringify(r, null, 2)}\n`);
          const i = r.identity;
          out(`SIREN ${r.siren}\n`);
          if (i)
            out(
              `  ${i.legalName ?? '(sans nom)'} — ${i.statusLabel}${i.statusSince ? ` depuis le ${i.statusSince}` : ''}\n  créée le ${i.creationDate ?? '?'}, forme ${i.legalForm ?? '?'}, NAF ${i.nafCode ?? '?'}, effectif ${i.headcountLabel ?? '?'} (source ${i.source})\n`,
            );
          else out('  identité inconnue (importez le fichier SIRENE ou configurez la clé API)\n');
          out(r.proceedings.length ? '  procédures :\n' : '  aucune procédure collective connue\n');
          for (const p of r.proceedings) out(`    ${p.judgmentDate} ${p.label} (${p.tribunal ?? '?'})\n`);
          if (r.history)
            out(
              `  historique : ${r.history.invoicesPaid} facture(s) payée(s), retard moyen ${r.history.averageDaysLate === null ? '—' : Math.round(r.history.averageDaysLate)} j\n`,
            );
          out(
            `  limite suggérée : ${formatMoney({ amount: r.suggestion.limitMinor, currency: 'EUR' })}, conditions : ${TERMS_FR[r.suggestion.terms]}, risque ${r.suggestion.riskScore}/100\n`,
          );
          for (const reason of r.suggestion.reasons) out(`    - ${reason.text}\n`);
        });
      }),
    );

  withOrgOption(
    credit
      .command('declare')
      .description('generate the déclaration de créance PDF for a customer in an insolvency proceeding')
      .requiredOption('--customer <id>', 'the customer id')
      .requiredOption('--out <file>', 'where to write the PDF')
      .option('--signatory <name>', 'who signs the declaration')
      .option('--reservation-of-title', 'the goods were sold with a reservation of title clause'),
  ).action(
    action(
      async (
        o: { org?: string; customer: string; out: string; signatory?: string; reservationOfTitle?: boolean },
        cmd: Command,
      ) => {
        await withRuntime(cmd, async (rt) => {
          const org = await commandOrganisation(rt.handle.db, o);
          const r = await declareClaim(
            rt.handle.db,
            org.id,
            o.customer,
            {
              ...(o.signatory ? { signatory: o.signatory } : {}),
              reservationOfTitle: !!o.reservationOfTitle,
            },
            new Date(),
          );
          await writeFile(o.out, r.pdf);
          out(
            `${o.out}: ${r.amounts.lines.length} invoice(s), ${formatMoney({ amount: r.amounts.totalMinor, currency: r.amounts.currency })} declared (sha256 ${r.sha256}).\n`,
          );
        });
      },
    ),
  );
}
