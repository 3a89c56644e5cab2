import type { Generated } from 'kysely';
import type { Timestamp } from './organisations.js';

/** Migration 0021: the organisation's logo (PNG or JPEG), one per organisation. */
export interface OrganisationLogosTable {
  org_id: string;
  media_type: 'image/png' | 'image/jpeg';
  width: number;
  height: number;
  size_bytes: number;
  sha256: string;
  content: Uint8Array;
  uploaded_at: Generated<Timestamp>;
}
