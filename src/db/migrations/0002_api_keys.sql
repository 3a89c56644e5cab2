-- Per-organisation API keys. The token `rk_<prefix>_<secret>` is shown once; only the
-- SHA-256 of the secret is kept (the secret is 256 random bits, so a slow hash adds nothing).
-- The prefix is unique across organisations: it finds the key before the organisation is known.
CREATE TABLE api_keys (
  org_id uuid NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  name text NOT NULL,
  prefix text NOT NULL UNIQUE CHECK (prefix ~ '^[a-z0-9]{8,32}$'),
  secret_sha256 char(64) NOT NULL,
  role text NOT NULL CHECK (role IN ('admin', 'collector', 'accountant', 'viewer')),
  created_at timestamptz NOT NULL DEFAULT now(),
  last_used_at timestamptz,
  revoked_at timestamptz,
  PRIMARY KEY (org_id, id)
);

-- Keyset pagination of the ledger API sorts on these keys with id as tie-break; the
-- indexes let each page be an index range scan instead of a sort of the whole ledger.
CREATE INDEX invoices_due_date_page ON invoices (org_id, due_date, id);
CREATE INDEX invoices_issue_date_page ON invoices (org_id, issue_date, id);
CREATE INDEX invoices_balance_page ON invoices (org_id, balance_minor, id);
CREATE INDEX customers_name_page ON customers (org_id, name, id);
CREATE INDEX customers_created_page ON customers (org_id, created_at, id);
CREATE INDEX payments_received_page ON payments (org_id, received_on, id);
CREATE INDEX credit_notes_issue_page ON credit_notes (org_id, issue_date, id);
CREATE INDEX documents_created_page ON documents (org_id, created_at, id);
