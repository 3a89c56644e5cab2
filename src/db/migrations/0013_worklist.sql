-- Worklist: calls logged by collectors, an invoice-level collector (overrides the customer's
-- assigned_collector for one item), and indexes for "my work today".

-- Who works this item, when not the customer's collector. Users are referenced by id (text,
-- like tasks.assignee and customers.assigned_collector).
ALTER TABLE invoices ADD COLUMN assigned_collector text;

-- One row per call a collector logs; the evidence file holds the same facts hash-chained.
CREATE TABLE call_logs (
  org_id uuid NOT NULL,
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  customer_id uuid NOT NULL,
  invoice_id uuid,
  task_id uuid,
  outcome text NOT NULL CHECK (outcome IN ('promise', 'dispute', 'no_answer', 'paid', 'other')),
  note text,
  promise_id uuid,
  dispute_id uuid,
  logged_by text,
  logged_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (org_id, id),
  FOREIGN KEY (org_id, customer_id) REFERENCES customers (org_id, id) ON DELETE CASCADE,
  FOREIGN KEY (org_id, invoice_id) REFERENCES invoices (org_id, id) ON DELETE CASCADE
);
CREATE INDEX call_logs_customer ON call_logs (org_id, customer_id, logged_at);

CREATE INDEX tasks_assignee_open ON tasks (org_id, assignee, due_date) WHERE status = 'open';
CREATE INDEX customers_collector ON customers (org_id, assigned_collector) WHERE assigned_collector IS NOT NULL;
