import type { Generated } from 'kysely';
import type { Timestamp } from './organisations.js';

export type Role = 'admin' | 'collector' | 'accountant' | 'viewer';

export interface ApiKeysTable {
  org_id: string;
  id: Generated<string>;
  name: string;
  prefix: string;
  /** Hex SHA-256 of the secret part of the token; the token itself is never stored. */
  secret_sha256: string;
  role: Role;
  created_at: Generated<Timestamp>;
  last_used_at: Timestamp | null;
  revoked_at: Timestamp | null;
}
