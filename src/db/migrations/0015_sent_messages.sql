-- What each reminder said, exactly as its SHA-256 on the evidence file was computed, so the
-- customer file can show a sent message as it was sent (and prove it: the hash must match).
CREATE TABLE sent_messages (
  org_id uuid NOT NULL,
  action_id uuid NOT NULL,
  customer_id uuid NOT NULL,
  channel text NOT NULL,
  locale text NOT NULL,
  subject text NOT NULL,
  html text NOT NULL,
  body_text text NOT NULL,
  sms text NOT NULL,
  letter text NOT NULL,
  content_sha256 text NOT NULL,
  sent_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (org_id, action_id),
  FOREIGN KEY (org_id, customer_id) REFERENCES customers (org_id, id) ON DELETE CASCADE
);
CREATE INDEX sent_messages_customer ON sent_messages (org_id, customer_id, sent_at);
