import type { Timestamp } from './organisations.js';

/** Table of migration 0015_sent_messages.sql. */
export interface SentMessagesTable {
  org_id: string;
  action_id: string;
  customer_id: string;
  channel: string;
  locale: string;
  subject: string;
  html: string;
  body_text: string;
  sms: string;
  letter: string;
  content_sha256: string;
  // Insert may omit it (DEFAULT now()).
  sent_at: Timestamp;
}

/** Merged into the Database interface (src/db/schema/index.ts) in one line. */
export interface SentMessageTables {
  sent_messages: SentMessagesTable;
}
