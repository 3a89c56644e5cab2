-- Invitations to join an organisation. The link carries a token signed with the
-- organisation's key (see services/users/invitation-token.ts); only its SHA-256 is stored,
-- and accepting sets accepted_at in the same statement that checks it is still unset, so a
-- link works once. Expired, revoked or accepted rows are kept as the audit of who invited whom.
CREATE TABLE invitations (
  org_id uuid NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  email text NOT NULL CHECK (email = lower(email) AND email LIKE '%_@_%'),
  role text NOT NULL CHECK (role IN ('admin', 'collector', 'accountant', 'viewer')),
  token_hash char(64) NOT NULL UNIQUE,
  invited_by uuid,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  accepted_at timestamptz,
  accepted_user_id uuid,
  revoked_at timestamptz,
  PRIMARY KEY (org_id, id)
);
CREATE INDEX invitations_pending ON invitations (org_id, email)
  WHERE accepted_at IS NULL AND revoked_at IS NULL;

-- Dashboard at scale (bench/dashboard.bench.ts): covering indexes so the four dashboard
-- queries read narrow index entries (index-only scans on a vacuumed table) instead of
-- whole invoice and payment rows.
-- Receivables, aging and top overdue customers: the open invoices only.
CREATE INDEX invoices_open_kpi ON invoices (org_id, currency, due_date)
  INCLUDE (balance_minor, customer_id) WHERE balance_minor > 0;
-- Count-back DSO: gross invoiced per month over the last 12 months.
CREATE INDEX invoices_issue_kpi ON invoices (org_id, issue_date) INCLUDE (currency, gross_minor);
-- Cash collected this month and last.
CREATE INDEX payments_received_kpi ON payments (org_id, received_on) INCLUDE (currency, amount_minor);
