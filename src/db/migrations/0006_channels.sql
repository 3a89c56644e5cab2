-- Delivery tracking for every message a channel handed over (email, SMS, letter).
-- One row per dunning action and channel (idempotency_key), created 'queued' before the
-- send so a crash between "provider accepted" and "we recorded it" leaves a row to
-- reconcile, never a silent double send. to_address is the address actually used: it is
-- evidence (which address was the debtor reminded at) and stays under row-level security.
CREATE TABLE message_deliveries (
  org_id uuid NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  action_id uuid,
  customer_id uuid NOT NULL,
  contact_id uuid,
  channel text NOT NULL CHECK (channel IN ('email', 'sms', 'letter')),
  provider text NOT NULL,
  idempotency_key text NOT NULL CHECK (length(idempotency_key) BETWEEN 1 AND 200),
  provider_message_id text,
  to_address text NOT NULL,
  status text NOT NULL DEFAULT 'queued' CHECK (status IN
    ('queued', 'sent', 'delivered', 'bounced', 'failed', 'opened', 'clicked', 'queued_for_print', 'posted')),
  status_at timestamptz NOT NULL DEFAULT now(),
  error text,
  retryable boolean,
  attempts integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  segments integer CHECK (segments IS NULL OR segments > 0),
  document_id uuid,
  document_sha256 char(64),
  tracking_number text,
  posted_on date,
  received_on date,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (org_id, id),
  UNIQUE (org_id, idempotency_key),
  FOREIGN KEY (org_id, customer_id) REFERENCES customers (org_id, id) ON DELETE CASCADE
);
CREATE UNIQUE INDEX message_deliveries_provider_message
  ON message_deliveries (org_id, provider, provider_message_id) WHERE provider_message_id IS NOT NULL;
CREATE INDEX message_deliveries_customer ON message_deliveries (org_id, customer_id, created_at);
CREATE INDEX message_deliveries_health ON message_deliveries (org_id, channel, created_at);

-- Provider events (webhooks, posting, acknowledgement of receipt). Idempotent on the
-- provider's event key: a webhook delivered twice is stored once.
CREATE TABLE delivery_events (
  org_id uuid NOT NULL,
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  delivery_id uuid NOT NULL,
  provider text NOT NULL,
  event_key text NOT NULL,
  status text NOT NULL CHECK (status IN
    ('queued', 'sent', 'delivered', 'bounced', 'failed', 'opened', 'clicked', 'queued_for_print', 'posted')),
  provider_status text,
  error_code text,
  occurred_at timestamptz NOT NULL,
  received_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (org_id, id),
  UNIQUE (org_id, provider, event_key),
  FOREIGN KEY (org_id, delivery_id) REFERENCES message_deliveries (org_id, id) ON DELETE CASCADE
);
CREATE INDEX delivery_events_delivery ON delivery_events (org_id, delivery_id, occurred_at);

-- Debtors' answers (email replies found by reply token, inbound SMS).
CREATE TABLE inbound_replies (
  org_id uuid NOT NULL,
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  delivery_id uuid,
  customer_id uuid NOT NULL,
  channel text NOT NULL CHECK (channel IN ('email', 'sms')),
  external_id text NOT NULL,
  from_address text NOT NULL,
  subject text,
  body_text text NOT NULL DEFAULT '',
  token_source text,
  received_at timestamptz NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (org_id, id),
  UNIQUE (org_id, channel, external_id),
  FOREIGN KEY (org_id, customer_id) REFERENCES customers (org_id, id) ON DELETE CASCADE,
  FOREIGN KEY (org_id, delivery_id) REFERENCES message_deliveries (org_id, id) ON DELETE SET NULL (delivery_id)
);
CREATE INDEX inbound_replies_customer ON inbound_replies (org_id, customer_id, received_at);

-- SMS opt-out state per number: the latest STOP/START keyword wins.
CREATE TABLE sms_opt_outs (
  org_id uuid NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
  phone text NOT NULL CHECK (phone ~ '^\+[1-9][0-9]{7,14}$'),
  opted_out boolean NOT NULL,
  keyword_at timestamptz NOT NULL,
  source text NOT NULL,
  PRIMARY KEY (org_id, phone)
);
