import type { Generated } from 'kysely';
import type { Role } from './access.js';
import type { Timestamp } from './organisations.js';

export interface UsersTable {
  org_id: string;
  id: Generated<string>;
  /** Lowercase; unique across organisations. */
  email: string;
  name: string;
  password_hash: string;
  role: Role;
  created_at: Timestamp;
  disabled_at: Timestamp | null;
}

export interface SessionsTable {
  org_id: string;
  id: Generated<string>;
  user_id: string;
  /** Hex SHA-256 of the cookie token; the token itself is never stored. */
  token_hash: string;
  created_at: Timestamp;
  expires_at: Timestamp;
  revoked_at: Timestamp | null;
  last_seen_at: Timestamp;
}

export interface UserTables {
  users: UsersTable;
  sessions: SessionsTable;
}
