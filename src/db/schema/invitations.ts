import type { Generated } from 'kysely';
import type { Role } from './access.js';
import type { Timestamp } from './organisations.js';

export interface InvitationsTable {
  org_id: string;
  id: Generated<string>;
  /** Lowercase. */
  email: string;
  role: Role;
  /** Hex SHA-256 of the signed token; the token itself is never stored. */
  token_hash: string;
  invited_by: string | null;
  created_at: Timestamp;
  expires_at: Timestamp;
  accepted_at: Timestamp | null;
  accepted_user_id: string | null;
  revoked_at: Timestamp | null;
}

export interface InvitationTables {
  invitations: InvitationsTable;
}
