import type { Generated } from 'kysely';
import type { Timestamp } from './organisations.js';

export interface PortalSecretsTable {
  org_id: string;
  secret_hex: string;
  created_at: Generated<Timestamp>;
}

export interface PortalLinksTable {
  org_id: string;
  id: string;
  customer_id: string;
  /** SHA-256 hex of the token; the token itself is never stored. */
  token_hash: string;
  expires_at: Timestamp;
  revoked_at: Timestamp | null;
  created_at: Generated<Timestamp>;
  created_by: string | null;
  first_viewed_at: Timestamp | null;
  last_viewed_at: Timestamp | null;
  view_count: Generated<number>;
}

export interface PortalReferencesTable {
  org_id: string;
  reference: string;
  customer_id: string;
  kind: 'customer' | 'selection';
  invoice_ids: Generated<string[]>;
  created_at: Generated<Timestamp>;
}

export interface PortalTables {
  portal_secrets: PortalSecretsTable;
  portal_links: PortalLinksTable;
  portal_references: PortalReferencesTable;
}
