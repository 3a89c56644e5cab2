-- Decision 019: the rows a dunning run writes in bulk (outbox, item steps, cases) carry no
-- foreign keys. PostgreSQL checks a foreign key row by row; on a first run over 1,000,000
-- invoices that is ~1.6 million index probes for rows the planner has just read under its
-- lock. Nothing deletes customers or invoices (the ledger corrects with credit notes), so
-- the cascades these keys carried never ran.
ALTER TABLE dunning_item_steps DROP CONSTRAINT IF EXISTS dunning_item_steps_org_id_invoice_id_fkey;
ALTER TABLE dunning_actions DROP CONSTRAINT IF EXISTS dunning_actions_org_id_customer_id_fkey;
ALTER TABLE dunning_cases DROP CONSTRAINT IF EXISTS dunning_cases_org_id_customer_id_fkey;
