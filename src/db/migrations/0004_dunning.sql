-- Dunning: policies (versioned data), selection rules, cases, pauses, promises to pay,
-- disputes, the action outbox, per-item step history, the evidence file (hash chain,
-- append-only) and tasks for humans. Shapes mirror src/domain/dunning/types.ts.

-- A policy version is immutable once used: an edit inserts version + 1 with a new id, so
-- (policy_id, policy_version, step_key) on actions and evidence always means what was sent.
CREATE TABLE dunning_policies (
  org_id uuid NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  key text NOT NULL CHECK (key ~ '^[A-Za-z0-9][A-Za-z0-9_-]{0,62}$'),
  version integer NOT NULL CHECK (version >= 1),
  name text NOT NULL,
  kind text NOT NULL CHECK (kind IN ('b2b', 'b2c', 'any')),
  -- DunningPolicy minus id/key/version/name/kind: steps, automaticSends, replayMissedSteps.
  definition jsonb NOT NULL,
  is_default boolean NOT NULL DEFAULT false,
  created_by text,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (org_id, id),
  UNIQUE (org_id, key, version)
);

-- Ordered selection rules (PolicyRule): first match wins after the customer override.
CREATE TABLE dunning_policy_rules (
  org_id uuid NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
  position integer NOT NULL CHECK (position >= 1),
  policy_key text NOT NULL,
  label text,
  conditions jsonb NOT NULL DEFAULT '{}'::jsonb,
  PRIMARY KEY (org_id, position)
);

-- Per-customer override: the key of a policy (its latest version applies).
ALTER TABLE customers ADD COLUMN dunning_policy_key text;

-- One dunning case per customer: the policy in force and when the sweep must look again.
CREATE TABLE dunning_cases (
  org_id uuid NOT NULL,
  customer_id uuid NOT NULL,
  policy_id uuid,
  policy_key text,
  policy_version integer,
  status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'paused', 'closed')),
  next_action_date date,
  last_planned_at timestamptz,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (org_id, customer_id),
  FOREIGN KEY (org_id, customer_id) REFERENCES customers (org_id, id) ON DELETE CASCADE
);
CREATE INDEX dunning_cases_next ON dunning_cases (org_id, next_action_date) WHERE status = 'active';

CREATE TABLE dunning_pauses (
  org_id uuid NOT NULL,
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  customer_id uuid NOT NULL,
  -- NULL pauses the whole customer.
  invoice_id uuid,
  reason text NOT NULL,
  -- Last paused day, inclusive.
  until date NOT NULL,
  created_by text,
  created_at timestamptz NOT NULL DEFAULT now(),
  cancelled_at timestamptz,
  PRIMARY KEY (org_id, id),
  FOREIGN KEY (org_id, customer_id) REFERENCES customers (org_id, id) ON DELETE CASCADE,
  FOREIGN KEY (org_id, invoice_id) REFERENCES invoices (org_id, id) ON DELETE CASCADE
);
CREATE INDEX dunning_pauses_customer ON dunning_pauses (org_id, customer_id, until) WHERE cancelled_at IS NULL;

CREATE TABLE promises_to_pay (
  org_id uuid NOT NULL,
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  customer_id uuid NOT NULL,
  -- Empty = every open item of the customer.
  invoice_ids uuid[] NOT NULL DEFAULT '{}',
  amount_minor bigint NOT NULL CHECK (amount_minor > 0),
  currency char(3) NOT NULL,
  promised_date date NOT NULL,
  grace_days integer NOT NULL DEFAULT 3 CHECK (grace_days BETWEEN 0 AND 60),
  status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'kept', 'broken', 'cancelled')),
  created_by text,
  created_at timestamptz NOT NULL DEFAULT now(),
  resolved_at timestamptz,
  PRIMARY KEY (org_id, id),
  FOREIGN KEY (org_id, customer_id) REFERENCES customers (org_id, id) ON DELETE CASCADE
);
CREATE INDEX promises_to_pay_customer ON promises_to_pay (org_id, customer_id) WHERE status = 'active';

CREATE TABLE disputes (
  org_id uuid NOT NULL,
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  invoice_id uuid NOT NULL,
  customer_id uuid NOT NULL,
  reason_code text NOT NULL CHECK (reason_code IN
    ('not_received', 'quality', 'price', 'quantity', 'already_paid', 'duplicate', 'contract', 'other')),
  comment text,
  status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'resolved', 'rejected')),
  opened_by text,
  opened_at timestamptz NOT NULL DEFAULT now(),
  resolved_at timestamptz,
  resolution text,
  PRIMARY KEY (org_id, id),
  FOREIGN KEY (org_id, invoice_id) REFERENCES invoices (org_id, id) ON DELETE CASCADE,
  FOREIGN KEY (org_id, customer_id) REFERENCES customers (org_id, id) ON DELETE CASCADE
);
CREATE INDEX disputes_invoice ON disputes (org_id, invoice_id) WHERE status = 'open';

-- The outbox: one row per planned action and channel (a decision task with no channel is
-- one row with channel 'task'). The idempotency key derives from (customer, policy key,
-- step, items), so re-planning the same action is ON CONFLICT DO NOTHING, never a second send.
CREATE TABLE dunning_actions (
  org_id uuid NOT NULL,
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  idempotency_key text NOT NULL CHECK (length(idempotency_key) BETWEEN 16 AND 200),
  channel text NOT NULL CHECK (channel IN
    ('email', 'sms', 'letter', 'registered_letter', 'call_task', 'portal_notice', 'task')),
  customer_id uuid NOT NULL,
  contact_id uuid,
  to_address text,
  policy_id uuid NOT NULL,
  policy_key text NOT NULL,
  policy_version integer NOT NULL,
  step_key text NOT NULL,
  kind text NOT NULL CHECK (kind IN ('send', 'task')),
  template_key text,
  -- ActionItem[] (and statementItems under "statement"): ids, numbers, balances at planning.
  items jsonb NOT NULL,
  reason text NOT NULL,
  channel_notes jsonb NOT NULL DEFAULT '[]'::jsonb,
  planned_for date NOT NULL,
  -- Postponed actions: not claimable before this instant (quiet hours, Sunday, pressure).
  not_before timestamptz NOT NULL DEFAULT now(),
  status text NOT NULL DEFAULT 'planned'
    CHECK (status IN ('planned', 'claimed', 'sent', 'failed', 'postponed', 'cancelled')),
  status_reason text,
  attempts integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  claimed_by text,
  claimed_at timestamptz,
  sent_at timestamptz,
  provider_message_id text,
  error text,
  rendered_sha256 char(64),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (org_id, id),
  UNIQUE (org_id, idempotency_key, channel),
  FOREIGN KEY (org_id, customer_id) REFERENCES customers (org_id, id) ON DELETE CASCADE
);
-- Workers claim with FOR UPDATE SKIP LOCKED over this index.
CREATE INDEX dunning_actions_claimable ON dunning_actions (org_id, not_before)
  WHERE status IN ('planned', 'postponed');
CREATE INDEX dunning_actions_customer ON dunning_actions (org_id, customer_id, created_at);

-- Which step each item (invoice, or instalment: seq 0 = the whole invoice) has reached.
-- The primary key is the database's own guarantee that a step never fires twice for an item.
CREATE TABLE dunning_item_steps (
  org_id uuid NOT NULL,
  invoice_id uuid NOT NULL,
  instalment_seq integer NOT NULL DEFAULT 0 CHECK (instalment_seq >= 0),
  step_key text NOT NULL,
  customer_id uuid NOT NULL,
  policy_id uuid NOT NULL,
  policy_version integer NOT NULL,
  action_id uuid,
  done_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (org_id, invoice_id, instalment_seq, step_key),
  FOREIGN KEY (org_id, invoice_id) REFERENCES invoices (org_id, id) ON DELETE CASCADE
);
CREATE INDEX dunning_item_steps_customer ON dunning_item_steps (org_id, customer_id);

-- The customer's evidence file: a hash chain per customer (src/domain/dunning/evidence.ts).
-- No foreign keys on purpose: evidence outlives the ledger rows it talks about.
CREATE TABLE evidence (
  org_id uuid NOT NULL,
  customer_id uuid NOT NULL,
  seq bigint NOT NULL CHECK (seq >= 1),
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  at timestamptz NOT NULL,
  kind text NOT NULL,
  channel text,
  summary text NOT NULL,
  payload jsonb NOT NULL DEFAULT '{}'::jsonb,
  content_sha256 char(64),
  prev_hash char(64) NOT NULL,
  hash char(64) NOT NULL,
  PRIMARY KEY (org_id, customer_id, seq),
  UNIQUE (org_id, id)
);

CREATE FUNCTION evidence_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'evidence is append-only: % refused', TG_OP USING ERRCODE = '55000';
END $$;
CREATE TRIGGER evidence_no_update BEFORE UPDATE OR DELETE ON evidence
  FOR EACH ROW EXECUTE FUNCTION evidence_append_only();
CREATE TRIGGER evidence_no_truncate BEFORE TRUNCATE ON evidence
  FOR EACH STATEMENT EXECUTE FUNCTION evidence_append_only();

CREATE TABLE tasks (
  org_id uuid NOT NULL,
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  customer_id uuid NOT NULL,
  invoice_id uuid,
  action_id uuid,
  kind text NOT NULL CHECK (kind IN
    ('call', 'escalation_decision', 'dispute', 'broken_promise', 'bounce', 'reply', 'review_send', 'follow_up')),
  title text NOT NULL,
  detail jsonb NOT NULL DEFAULT '{}'::jsonb,
  due_date date NOT NULL,
  assignee text,
  status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'done', 'cancelled')),
  created_at timestamptz NOT NULL DEFAULT now(),
  done_at timestamptz,
  outcome text,
  PRIMARY KEY (org_id, id),
  FOREIGN KEY (org_id, customer_id) REFERENCES customers (org_id, id) ON DELETE CASCADE
);
CREATE INDEX tasks_open ON tasks (org_id, status, due_date) WHERE status = 'open';
CREATE INDEX tasks_customer ON tasks (org_id, customer_id);
CREATE UNIQUE INDEX tasks_action ON tasks (org_id, action_id) WHERE action_id IS NOT NULL;
