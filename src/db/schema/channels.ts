import type { Generated } from 'kysely';
import type { DateString, Timestamp } from './organisations.js';

export type DeliveryChannel = 'email' | 'sms' | 'letter';
export type DeliveryStatusValue =
  | 'queued'
  | 'sent'
  | 'delivered'
  | 'bounced'
  | 'failed'
  | 'opened'
  | 'clicked'
  | 'queued_for_print'
  | 'posted';

export interface MessageDeliveriesTable {
  org_id: string;
  id: Generated<string>;
  action_id: string | null;
  customer_id: string;
  contact_id: string | null;
  channel: DeliveryChannel;
  provider: string;
  idempotency_key: string;
  provider_message_id: string | null;
  to_address: string;
  status: Generated<DeliveryStatusValue>;
  status_at: Timestamp;
  error: string | null;
  retryable: boolean | null;
  attempts: Generated<number>;
  segments: number | null;
  document_id: string | null;
  document_sha256: string | null;
  tracking_number: string | null;
  posted_on: DateString | null;
  received_on: DateString | null;
  created_at: Generated<Timestamp>;
}

export interface DeliveryEventsTable {
  org_id: string;
  id: Generated<string>;
  delivery_id: string;
  provider: string;
  event_key: string;
  status: DeliveryStatusValue;
  provider_status: string | null;
  error_code: string | null;
  occurred_at: Timestamp;
  received_at: Generated<Timestamp>;
}

export interface InboundRepliesTable {
  org_id: string;
  id: Generated<string>;
  delivery_id: string | null;
  customer_id: string;
  channel: 'email' | 'sms';
  external_id: string;
  from_address: string;
  subject: string | null;
  body_text: Generated<string>;
  token_source: string | null;
  received_at: Timestamp;
  created_at: Generated<Timestamp>;
}

export interface SmsOptOutsTable {
  org_id: string;
  phone: string;
  opted_out: boolean;
  keyword_at: Timestamp;
  source: string;
}
