import type { Timestamp } from './organisations.js';

/** Table of migration 0016_message_templates.sql. NULL parts mean "the default text". */
export interface MessageTemplatesTable {
  org_id: string;
  template_key: string;
  locale: 'fr' | 'en';
  version: number;
  subject: string | null;
  html: string | null;
  body_text: string | null;
  sms: string | null;
  letter: string | null;
  updated_by: string | null;
  // Insert may omit it (DEFAULT now()).
  updated_at: Timestamp;
}

/** Merged into the Database interface (src/db/schema/index.ts) in one line. */
export interface MessageTemplateTables {
  message_templates: MessageTemplatesTable;
}
