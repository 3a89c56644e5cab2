-- One dispute model (issue 13): an invoice is disputed exactly when it has an open dispute.
-- Every writer now goes through openDisputes (src/services/disputes/open-disputes.ts), which
-- writes the dispute, the flag and the collector's task together; resolveDispute clears both.
-- Data written before could disagree: the demo generator and older imports set the flag
-- without a dispute (the customer file's "Litiges" showed nothing while the invoice read
-- "disputed"). Reconcile it the way openDisputes would have written it:
-- 1. a flagged invoice without an open dispute gets one (reason 'other', saying why), with
--    a task so a collector reviews it;
INSERT INTO disputes (org_id, invoice_id, customer_id, reason_code, comment, opened_by)
SELECT i.org_id, i.id, i.customer_id, 'other',
  'Invoice was flagged disputed without a dispute record, recorded by migration 0036',
  'migration 0036'
FROM invoices i
WHERE i.disputed
  AND NOT EXISTS (SELECT 1 FROM disputes d WHERE d.org_id = i.org_id AND d.invoice_id = i.id AND d.status = 'open');

INSERT INTO tasks (org_id, customer_id, invoice_id, kind, title, detail, due_date)
SELECT d.org_id, d.customer_id, d.invoice_id, 'dispute',
  'Dispute on invoice ' || i.invoice_number || ': other',
  jsonb_build_object('disputeId', d.id, 'reasonCode', 'other', 'source', 'migration'),
  current_date
FROM disputes d JOIN invoices i ON i.org_id = d.org_id AND i.id = d.invoice_id
WHERE d.opened_by = 'migration 0036' AND d.status = 'open'
  AND NOT EXISTS (SELECT 1 FROM tasks k WHERE k.org_id = d.org_id AND k.kind = 'dispute'
    AND k.detail ->> 'disputeId' = d.id::text);

-- 2. an open dispute flags its invoice;
UPDATE invoices i SET disputed = true, updated_at = now()
WHERE NOT i.disputed
  AND EXISTS (SELECT 1 FROM disputes d WHERE d.org_id = i.org_id AND d.invoice_id = i.id AND d.status = 'open');

-- 3. the status follows the flag as refreshBalances computes it (an unpaid disputed invoice
--    reads 'disputed'; a paid, credited or written-off one keeps its status).
UPDATE invoices SET status = 'disputed', updated_at = now()
WHERE disputed AND balance_minor > 0 AND status IN ('open', 'partially_paid');

-- 4. and an invoice no longer disputed does not read 'disputed'.
UPDATE invoices SET
  status = CASE WHEN paid_minor + credited_minor > 0 THEN 'partially_paid' ELSE 'open' END,
  updated_at = now()
WHERE NOT disputed AND balance_minor > 0 AND status = 'disputed';
