-- Decision 020: the step each item has reached is recorded once per action, not once per
-- item. A first run over 1,000,000 invoices wrote ~950,000 item-step rows, each with two
-- index entries, on top of the outbox; the same facts fit in one row per action with the
-- items as parallel arrays (~2.4 items per action in the bench's portfolio).
--
-- The old primary key (org, invoice, instalment, step) kept the first reservation of a step
-- but never stopped a second send: the outbox row was already in. What stops it is the
-- planner reading this history under the run lock, and the outbox's idempotency key. Both stay.
CREATE TABLE dunning_action_items (
  org_id uuid NOT NULL,
  customer_id uuid NOT NULL,
  idempotency_key text NOT NULL,
  policy_id uuid NOT NULL,
  policy_version integer NOT NULL,
  -- Parallel arrays, one element per item: the invoice, its instalment (0 = the whole
  -- invoice) and the step it reaches with this action.
  invoice_ids uuid[] NOT NULL,
  instalment_seqs integer[] NOT NULL,
  step_keys text[] NOT NULL,
  done_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (org_id, customer_id, idempotency_key),
  CHECK (cardinality(invoice_ids) = cardinality(instalment_seqs)
    AND cardinality(invoice_ids) = cardinality(step_keys))
);

-- Carry the history over: one row per action key (the key of the outbox row each step
-- pointed at). A step with no action row left (none should exist) keeps its own key.
INSERT INTO dunning_action_items (org_id, customer_id, idempotency_key, policy_id, policy_version,
  invoice_ids, instalment_seqs, step_keys, done_at)
SELECT s.org_id, s.customer_id,
  coalesce(a.idempotency_key, 'item-step:' || s.invoice_id || ':' || s.instalment_seq || ':' || s.step_key),
  min(s.policy_id::text)::uuid, min(s.policy_version),
  array_agg(s.invoice_id ORDER BY s.invoice_id, s.instalment_seq, s.step_key),
  array_agg(s.instalment_seq ORDER BY s.invoice_id, s.instalment_seq, s.step_key),
  array_agg(s.step_key ORDER BY s.invoice_id, s.instalment_seq, s.step_key),
  min(s.done_at)
FROM dunning_item_steps s
LEFT JOIN dunning_actions a ON a.org_id = s.org_id AND a.id = s.action_id
GROUP BY s.org_id, s.customer_id,
  coalesce(a.idempotency_key, 'item-step:' || s.invoice_id || ':' || s.instalment_seq || ':' || s.step_key);

DROP TABLE dunning_item_steps;
