-- FEC imports (decision 027): which ledger row each receivable line of the books became, so
-- importing the next export of the same books creates only what is new, settles what was
-- lettered since and flags (never deletes) what disappeared from the books.
CREATE TABLE fec_items (
  org_id uuid NOT NULL,
  -- Journal, entry number, account, auxiliary account and rank of the line in its entry.
  fec_key text NOT NULL,
  kind text NOT NULL CHECK (kind IN ('invoice', 'credit_note', 'payment')),
  -- The invoices, credit_notes or payments row (by kind).
  entity_id uuid NOT NULL,
  customer_id uuid NOT NULL,
  amount_minor bigint NOT NULL CHECK (amount_minor > 0),
  letter text,
  first_import_id uuid NOT NULL,
  -- Set when an import of the same books no longer has the line; cleared if it comes back.
  disappeared_at timestamptz,
  PRIMARY KEY (org_id, fec_key),
  FOREIGN KEY (org_id, customer_id) REFERENCES customers (org_id, id)
);
CREATE INDEX fec_items_entity ON fec_items (org_id, entity_id);
CREATE INDEX fec_items_customer ON fec_items (org_id, customer_id);

-- One row per FEC import: what was read, written and checked (the summary the user saw).
CREATE TABLE fec_imports (
  org_id uuid NOT NULL,
  id uuid NOT NULL,
  filename text,
  status text NOT NULL CHECK (status IN ('committed', 'rejected')),
  rows_read integer NOT NULL,
  rows_accepted integer NOT NULL,
  rows_rejected integer NOT NULL,
  summary jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (org_id, id)
);
