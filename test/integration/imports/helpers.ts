import { sql } from 'kysely';
import { importFile } from '../../../src/services/imports/import-file.js';
import type { ImportOptions } from '../../../src/services/imports/types.js';
import { createOrganisation } from '../../../src/services/organisations/create-organisation.js';
import type { TestDb } from '../../helpers/db.js';

let n = 0;
export async function newOrg(t: TestDb): Promise<string> {
  n++;
  const org = await createOrganisation(t.db, { name: `Import Test ${n} ${Date.now()}` });
  return org.id;
}

export function csv(lines: string[]): Buffer {
  return Buffer.from(`${lines.join('\n')}\n`, 'utf8');
}

export function run(
  t: TestDb,
  orgId: string,
  entity: ImportOptions['entity'],
  input: Buffer,
  extra: Partial<ImportOptions> = {},
) {
  return importFile(t.db, orgId, { entity, input, mode: 'accept-valid', format: 'csv', ...extra });
}

/** Rows as the owner sees them (bypassing RLS), scoped explicitly to the organisation. */
export async function invoiceRow(t: TestDb, orgId: string, invoiceNumber: string) {
  const r = await sql<{
    gross_minor: number;
    paid_minor: number;
    credited_minor: number;
    balance_minor: number;
    status: string;
    due_date: string;
    description: string | null;
  }>`select gross_minor, paid_minor, credited_minor, balance_minor, status, due_date, description
     from invoices where org_id = ${orgId} and invoice_number = ${invoiceNumber}`.execute(t.db);
  return r.rows[0];
}

export async function count(t: TestDb, table: string, orgId: string): Promise<number> {
  const r = await sql<{
    n: number;
  }>`select count(*)::int as n from ${sql.table(table)} where org_id = ${orgId}`.execute(t.db);
  return r.rows[0]?.n ?? 0;
}

export const CUSTOMERS = csv([
  'Code client;Raison sociale;SIREN;Ville;Email',
  'C001;Boulangerie Martin;552 100 554;Lyon;compta@martin.fr',
  'C002;Garage Dupont SARL;;Paris;',
  'C003;Société Générale de Tests;;Nantes;',
]);
