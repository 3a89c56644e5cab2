-- Debtor portal: per-organisation signing secrets (when RELANCE_SECRET is not configured),
-- signed links scoped to one customer, and the RF references the portal has issued so
-- bank-statement matching can recognise them.

-- Used only when RELANCE_SECRET is absent: one random 256-bit key per organisation,
-- created on first use. With RELANCE_SECRET set, the key is derived from it and this
-- table stays empty (see src/services/portal/portal-secret.ts).
CREATE TABLE portal_secrets (
  org_id uuid NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
  secret_hex char(64) NOT NULL CHECK (secret_hex ~ '^[0-9a-f]{64}$'),
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (org_id)
);

-- The token itself is never stored: only its SHA-256, so a database dump gives no access.
CREATE TABLE portal_links (
  org_id uuid NOT NULL,
  id uuid NOT NULL,
  customer_id uuid NOT NULL,
  token_hash char(64) NOT NULL,
  expires_at timestamptz NOT NULL,
  revoked_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  created_by text,
  first_viewed_at timestamptz,
  last_viewed_at timestamptz,
  view_count integer NOT NULL DEFAULT 0 CHECK (view_count >= 0),
  PRIMARY KEY (org_id, id),
  FOREIGN KEY (org_id, customer_id) REFERENCES customers (org_id, id) ON DELETE CASCADE
);
CREATE INDEX portal_links_customer ON portal_links (org_id, customer_id);

-- Every RF reference shown to a debtor: 'customer' pays whatever the customer owes,
-- 'selection' pays the listed invoices. Issuing the same reference twice is a no-op.
CREATE TABLE portal_references (
  org_id uuid NOT NULL,
  reference text NOT NULL CHECK (reference ~ '^RF[0-9]{2}[A-Z0-9]{1,21}$'),
  customer_id uuid NOT NULL,
  kind text NOT NULL CHECK (kind IN ('customer', 'selection')),
  invoice_ids uuid[] NOT NULL DEFAULT '{}',
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (org_id, reference),
  FOREIGN KEY (org_id, customer_id) REFERENCES customers (org_id, id) ON DELETE CASCADE
);
CREATE INDEX portal_references_customer ON portal_references (org_id, customer_id);
