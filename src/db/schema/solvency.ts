import type { Generated } from 'kysely';
import type { Timestamp } from './organisations.js';

/** Tables of migration 0055_solvency.sql. */
export interface CompanyIdentitiesTable {
  org_id: string;
  siren: string;
  legal_name: string | null;
  status: 'A' | 'C';
  status_since: string | null;
  creation_date: string | null;
  legal_form: string | null;
  naf_code: string | null;
  headcount_band: string | null;
  company_category: string | null;
  head_office_siret: string | null;
  address: string | null;
  source: 'sirene_stock' | 'sirene_api';
  source_updated_at: string | null;
  fetched_at: Timestamp;
}

export interface InsolvencyJudgmentsTable {
  org_id: string;
  id: Generated<string>;
  siren: string;
  customer_id: string | null;
  kind: string;
  famille: string;
  nature: string;
  judgment_date: string;
  publication_date: string;
  announcement_number: string;
  tribunal: string | null;
  debtor_name: string | null;
  debtor_postal_code: string | null;
  mandataire: string | null;
  complement: string | null;
  declaration_deadline: string | null;
  reservation_deadline: string | null;
  applied_at: Timestamp | null;
  imported_at: Timestamp;
}

export interface CreditGroupsTable {
  org_id: string;
  key: string;
  name: string | null;
  credit_limit_minor: number | null;
  currency: Generated<string>;
}

/** Merged into the Database interface (src/db/schema/index.ts) in one line. */
export interface SolvencyTables {
  company_identities: CompanyIdentitiesTable;
  insolvency_judgments: InsolvencyJudgmentsTable;
  credit_groups: CreditGroupsTable;
}
