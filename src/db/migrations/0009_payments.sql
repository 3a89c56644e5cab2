-- Payments: payment plans agreed through the portal (échéanciers) and their instalments,
-- payment-provider events (webhooks, idempotent by provider + event id), and the bank
-- statement lines imported for matching, the unmatched ones kept for review.

-- A plan covers the debtor's open, undisputed items at the time of the request. Statuses:
-- 'proposed' (within the organisation's auto-accept rules, or approved by a collector:
-- waits for the debtor's acceptance), 'pending_approval' (needs a collector), 'active'
-- (accepted: pauses dunning on its items while in good standing), then 'completed',
-- 'defaulted' (an instalment missed beyond grace: dunning resumes) or 'cancelled'.
CREATE TABLE payment_plans (
  org_id uuid NOT NULL,
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  customer_id uuid NOT NULL,
  status text NOT NULL
    CHECK (status IN ('proposed', 'pending_approval', 'active', 'completed', 'defaulted', 'cancelled')),
  invoice_ids uuid[] NOT NULL,
  currency char(3) NOT NULL,
  total_minor bigint NOT NULL CHECK (total_minor > 0),
  -- Days after an instalment's due date before it counts as missed.
  grace_days integer NOT NULL DEFAULT 5 CHECK (grace_days BETWEEN 0 AND 60),
  -- What the debtor asked: {instalments, firstDate, downPaymentMinor}.
  request jsonb NOT NULL DEFAULT '{}'::jsonb,
  created_by text,
  created_at timestamptz NOT NULL DEFAULT now(),
  approved_at timestamptz,
  approved_by text,
  accepted_at timestamptz,
  accepted_name text,
  -- The signed schedule and terms (documents row) and its SHA-256, also in the evidence file.
  document_id uuid,
  document_sha256 char(64),
  resolved_at timestamptz,
  PRIMARY KEY (org_id, id),
  FOREIGN KEY (org_id, customer_id) REFERENCES customers (org_id, id) ON DELETE CASCADE
);
CREATE INDEX payment_plans_customer ON payment_plans (org_id, customer_id);
CREATE INDEX payment_plans_active ON payment_plans (org_id) WHERE status = 'active';

-- seq 0 is the down payment. paid_minor is derived (src/db/queries/payment-plans.ts): what
-- was paid on the plan's items since, settling instalments in order.
CREATE TABLE payment_plan_instalments (
  org_id uuid NOT NULL,
  plan_id uuid NOT NULL,
  seq integer NOT NULL CHECK (seq >= 0),
  due_date date NOT NULL,
  amount_minor bigint NOT NULL CHECK (amount_minor > 0),
  paid_minor bigint NOT NULL DEFAULT 0 CHECK (paid_minor >= 0),
  status text NOT NULL DEFAULT 'due' CHECK (status IN ('due', 'paid', 'missed')),
  PRIMARY KEY (org_id, plan_id, seq),
  FOREIGN KEY (org_id, plan_id) REFERENCES payment_plans (org_id, id) ON DELETE CASCADE,
  CHECK (paid_minor <= amount_minor)
);

-- Checkout sessions opened at a payment provider for portal payments.
CREATE TABLE payment_checkouts (
  org_id uuid NOT NULL,
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  customer_id uuid NOT NULL,
  provider text NOT NULL,
  provider_session_id text NOT NULL,
  invoice_ids uuid[] NOT NULL,
  currency char(3) NOT NULL,
  amount_minor bigint NOT NULL CHECK (amount_minor > 0),
  status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'paid', 'expired', 'failed')),
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (org_id, id),
  UNIQUE (org_id, provider, provider_session_id),
  FOREIGN KEY (org_id, customer_id) REFERENCES customers (org_id, id) ON DELETE CASCADE
);

-- Every verified provider event, once: the same event delivered twice is recorded once.
CREATE TABLE payment_provider_events (
  org_id uuid NOT NULL,
  provider text NOT NULL,
  event_id text NOT NULL,
  type text NOT NULL,
  payment_id uuid,
  received_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (org_id, provider, event_id)
);

-- Lines of imported bank statements: matched ones point at their payment, the others wait
-- for a human ('unmatched'), or were set aside ('ignored').
CREATE TABLE bank_statement_lines (
  org_id uuid NOT NULL,
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  -- The bank's entry reference (or a hash of the line): importing a statement twice is a no-op.
  line_key text NOT NULL,
  statement_id text,
  filename text,
  booking_date date NOT NULL,
  currency char(3) NOT NULL,
  amount_minor bigint NOT NULL,
  counterparty text,
  -- The payer's IBAN: once a line is matched, later transfers from it identify the customer.
  counterparty_iban text,
  remittance text,
  end_to_end_id text,
  status text NOT NULL CHECK (status IN ('matched', 'unmatched', 'ignored')),
  customer_id uuid,
  payment_id uuid,
  match_reason text,
  -- The matcher's best proposal for an unmatched line (customer, allocations, confidence).
  suggestion jsonb,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (org_id, id),
  UNIQUE (org_id, line_key)
);
CREATE INDEX bank_statement_lines_iban ON bank_statement_lines (org_id, counterparty_iban) WHERE customer_id IS NOT NULL;
CREATE INDEX bank_statement_lines_unmatched ON bank_statement_lines (org_id, booking_date) WHERE status = 'unmatched';
