-- Relance ledger: organisations (tenants), customers (debtors), invoices, credit notes,
-- payments and their allocations, documents, imports and the ledger history.
-- Every tenant table is keyed (org_id, id) so it can be distributed by org_id on Citus.
-- Money: bigint minor units + ISO 4217 currency. Business dates: date. Instants: timestamptz.

CREATE TABLE organisations (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  slug text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9][a-z0-9-]{0,62}$'),
  legal_name text NOT NULL,
  siren text CHECK (siren IS NULL OR siren ~ '^[0-9]{9}$'),
  vat_number text,
  address_line1 text,
  address_line2 text,
  postal_code text,
  city text,
  country char(2) NOT NULL DEFAULT 'FR',
  email text,
  phone text,
  iban text,
  bic text,
  jurisdiction text NOT NULL DEFAULT 'FR',
  default_payment_terms_days integer NOT NULL DEFAULT 30 CHECK (default_payment_terms_days BETWEEN 0 AND 365),
  -- Contractual late-penalty rate in percent per year (null = statutory default).
  late_penalty_rate numeric(7, 4),
  late_penalty_clause text,
  currency char(3) NOT NULL DEFAULT 'EUR',
  locale text NOT NULL DEFAULT 'fr-FR',
  time_zone text NOT NULL DEFAULT 'Europe/Paris',
  settings jsonb NOT NULL DEFAULT '{}'::jsonb,
  is_demo boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE customers (
  org_id uuid NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  external_ref text NOT NULL,
  name text NOT NULL,
  kind text NOT NULL DEFAULT 'b2b' CHECK (kind IN ('b2b', 'b2c')),
  siren text,
  siret text,
  vat_number text,
  address_line1 text,
  address_line2 text,
  postal_code text,
  city text,
  country char(2) NOT NULL DEFAULT 'FR',
  segment text NOT NULL DEFAULT 'standard' CHECK (segment IN ('strategic', 'standard')),
  credit_limit_minor bigint CHECK (credit_limit_minor IS NULL OR credit_limit_minor >= 0),
  currency char(3) NOT NULL DEFAULT 'EUR',
  language text NOT NULL DEFAULT 'fr' CHECK (language IN ('fr', 'en')),
  assigned_collector text,
  credit_hold boolean NOT NULL DEFAULT false,
  payment_terms_days integer CHECK (payment_terms_days IS NULL OR payment_terms_days BETWEEN 0 AND 365),
  notes text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (org_id, id),
  UNIQUE (org_id, external_ref)
);

CREATE TABLE contacts (
  org_id uuid NOT NULL,
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  customer_id uuid NOT NULL,
  name text,
  role text,
  email text,
  phone text,
  preferred_channel text NOT NULL DEFAULT 'email' CHECK (preferred_channel IN ('email', 'sms', 'letter', 'phone')),
  language text CHECK (language IS NULL OR language IN ('fr', 'en')),
  consent_email boolean NOT NULL DEFAULT true,
  consent_sms boolean NOT NULL DEFAULT false,
  is_primary boolean NOT NULL DEFAULT false,
  email_invalid boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (org_id, id),
  FOREIGN KEY (org_id, customer_id) REFERENCES customers (org_id, id) ON DELETE CASCADE
);
CREATE INDEX contacts_customer ON contacts (org_id, customer_id);

CREATE TABLE invoices (
  org_id uuid NOT NULL,
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  customer_id uuid NOT NULL,
  invoice_number text NOT NULL,
  external_id text,
  issue_date date NOT NULL,
  due_date date NOT NULL,
  -- Date the goods were delivered / the service performed: starts limitation periods.
  performance_date date,
  currency char(3) NOT NULL,
  net_minor bigint NOT NULL DEFAULT 0,
  tax_minor bigint NOT NULL DEFAULT 0,
  gross_minor bigint NOT NULL CHECK (gross_minor >= 0),
  -- Derived by refresh_balances (src/db/queries/balances.ts) from allocations; never set by hand.
  paid_minor bigint NOT NULL DEFAULT 0,
  credited_minor bigint NOT NULL DEFAULT 0,
  written_off_minor bigint NOT NULL DEFAULT 0 CHECK (written_off_minor >= 0),
  balance_minor bigint NOT NULL DEFAULT 0,
  status text NOT NULL DEFAULT 'open'
    CHECK (status IN ('open', 'partially_paid', 'paid', 'credited', 'written_off', 'disputed')),
  disputed boolean NOT NULL DEFAULT false,
  payment_terms text,
  po_reference text,
  description text,
  import_batch_id uuid,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (org_id, id),
  UNIQUE (org_id, invoice_number),
  FOREIGN KEY (org_id, customer_id) REFERENCES customers (org_id, id),
  CHECK (due_date >= issue_date),
  CHECK (net_minor + tax_minor = gross_minor OR (net_minor = 0 AND tax_minor = 0))
);
CREATE INDEX invoices_customer ON invoices (org_id, customer_id);
CREATE INDEX invoices_open_due ON invoices (org_id, due_date) WHERE balance_minor > 0;

-- Split payment terms: an invoice may be due in several instalments, each reminded on its own.
CREATE TABLE invoice_instalments (
  org_id uuid NOT NULL,
  invoice_id uuid NOT NULL,
  seq integer NOT NULL CHECK (seq >= 1),
  due_date date NOT NULL,
  amount_minor bigint NOT NULL CHECK (amount_minor > 0),
  PRIMARY KEY (org_id, invoice_id, seq),
  FOREIGN KEY (org_id, invoice_id) REFERENCES invoices (org_id, id) ON DELETE CASCADE
);

CREATE TABLE credit_notes (
  org_id uuid NOT NULL,
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  customer_id uuid NOT NULL,
  credit_note_number text NOT NULL,
  external_id text,
  -- The invoice it corrects, when known; its amount is then allocated to that invoice.
  invoice_id uuid,
  issue_date date NOT NULL,
  currency char(3) NOT NULL,
  net_minor bigint NOT NULL DEFAULT 0,
  tax_minor bigint NOT NULL DEFAULT 0,
  gross_minor bigint NOT NULL CHECK (gross_minor > 0),
  unallocated_minor bigint NOT NULL DEFAULT 0,
  reason text,
  import_batch_id uuid,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (org_id, id),
  UNIQUE (org_id, credit_note_number),
  FOREIGN KEY (org_id, customer_id) REFERENCES customers (org_id, id),
  FOREIGN KEY (org_id, invoice_id) REFERENCES invoices (org_id, id)
);
CREATE INDEX credit_notes_customer ON credit_notes (org_id, customer_id);

CREATE TABLE payments (
  org_id uuid NOT NULL,
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  customer_id uuid NOT NULL,
  -- The payer's or bank's reference; the organisation's idempotency key on import.
  payment_reference text NOT NULL,
  received_on date NOT NULL,
  currency char(3) NOT NULL,
  amount_minor bigint NOT NULL CHECK (amount_minor > 0),
  method text NOT NULL DEFAULT 'transfer'
    CHECK (method IN ('transfer', 'direct_debit', 'card', 'cheque', 'cash', 'other')),
  -- What is left after allocations: stays on the customer as credit (overpayment).
  unallocated_minor bigint NOT NULL DEFAULT 0,
  bank_reference text,
  import_batch_id uuid,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (org_id, id),
  UNIQUE (org_id, payment_reference),
  FOREIGN KEY (org_id, customer_id) REFERENCES customers (org_id, id)
);
CREATE INDEX payments_customer ON payments (org_id, customer_id);

-- A payment or a credit note applied to an invoice. Balances derive from these rows only.
CREATE TABLE allocations (
  org_id uuid NOT NULL,
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  invoice_id uuid NOT NULL,
  payment_id uuid,
  credit_note_id uuid,
  amount_minor bigint NOT NULL CHECK (amount_minor > 0),
  allocated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (org_id, id),
  FOREIGN KEY (org_id, invoice_id) REFERENCES invoices (org_id, id) ON DELETE CASCADE,
  FOREIGN KEY (org_id, payment_id) REFERENCES payments (org_id, id) ON DELETE CASCADE,
  FOREIGN KEY (org_id, credit_note_id) REFERENCES credit_notes (org_id, id) ON DELETE CASCADE,
  CHECK ((payment_id IS NULL) <> (credit_note_id IS NULL))
);
CREATE INDEX allocations_invoice ON allocations (org_id, invoice_id);
CREATE INDEX allocations_payment ON allocations (org_id, payment_id) WHERE payment_id IS NOT NULL;
CREATE INDEX allocations_credit_note ON allocations (org_id, credit_note_id) WHERE credit_note_id IS NOT NULL;

CREATE TABLE documents (
  org_id uuid NOT NULL,
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  customer_id uuid,
  invoice_id uuid,
  kind text NOT NULL CHECK (kind IN ('invoice', 'contract', 'delivery_note', 'proof_of_delivery', 'letter', 'attachment', 'other')),
  filename text NOT NULL,
  mime_type text NOT NULL,
  size_bytes bigint NOT NULL CHECK (size_bytes >= 0),
  sha256 char(64) NOT NULL,
  content bytea NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (org_id, id),
  FOREIGN KEY (org_id, customer_id) REFERENCES customers (org_id, id) ON DELETE CASCADE,
  FOREIGN KEY (org_id, invoice_id) REFERENCES invoices (org_id, id) ON DELETE CASCADE
);
CREATE INDEX documents_invoice ON documents (org_id, invoice_id);
CREATE INDEX documents_customer ON documents (org_id, customer_id);

CREATE TABLE import_batches (
  org_id uuid NOT NULL,
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  entity text NOT NULL CHECK (entity IN ('customers', 'invoices', 'payments', 'credit-notes')),
  filename text,
  mode text NOT NULL CHECK (mode IN ('all-or-nothing', 'accept-valid')),
  status text NOT NULL DEFAULT 'running' CHECK (status IN ('running', 'committed', 'rejected', 'failed')),
  rows_read integer NOT NULL DEFAULT 0,
  rows_accepted integer NOT NULL DEFAULT 0,
  rows_rejected integer NOT NULL DEFAULT 0,
  rows_created integer NOT NULL DEFAULT 0,
  rows_updated integer NOT NULL DEFAULT 0,
  rows_unchanged integer NOT NULL DEFAULT 0,
  errors jsonb NOT NULL DEFAULT '[]'::jsonb,
  started_at timestamptz NOT NULL DEFAULT now(),
  finished_at timestamptz,
  PRIMARY KEY (org_id, id)
);

-- What changed on a ledger row and why (re-imports keep history instead of overwriting silently).
CREATE TABLE ledger_history (
  org_id uuid NOT NULL,
  id bigint GENERATED ALWAYS AS IDENTITY,
  entity text NOT NULL,
  entity_id uuid NOT NULL,
  action text NOT NULL CHECK (action IN ('created', 'updated', 'deleted')),
  changes jsonb NOT NULL DEFAULT '{}'::jsonb,
  import_batch_id uuid,
  actor text,
  at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (org_id, id)
);
CREATE INDEX ledger_history_entity ON ledger_history (org_id, entity, entity_id);
