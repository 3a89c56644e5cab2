import type { Generated } from 'kysely';
import type { Timestamp } from './organisations.js';

export type DocumentKind =
  | 'invoice'
  | 'contract'
  | 'delivery_note'
  | 'proof_of_delivery'
  | 'letter'
  | 'attachment'
  | 'other';

export interface DocumentsTable {
  org_id: string;
  id: Generated<string>;
  customer_id: string | null;
  invoice_id: string | null;
  kind: DocumentKind;
  filename: string;
  mime_type: string;
  size_bytes: number;
  sha256: string;
  content: Uint8Array;
  created_at: Generated<Timestamp>;
}
