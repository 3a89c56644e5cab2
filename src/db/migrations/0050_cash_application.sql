-- Cash application (issue 19): every bank line keeps its explanation (rule, evidence,
-- confidence); returns (R-transactions) point at the line they undo; a short payment within
-- the organisation's tolerance books the difference to a named reason; people can set a
-- line aside as "not a customer payment".

ALTER TABLE bank_statement_lines DROP CONSTRAINT IF EXISTS bank_statement_lines_status_check;
ALTER TABLE bank_statement_lines ADD CONSTRAINT bank_statement_lines_status_check
  CHECK (status IN ('matched', 'unmatched', 'ignored', 'returned', 'return', 'not_customer'));
-- 0-100, the matcher's confidence in its best proposal (NULL: ignored lines).
ALTER TABLE bank_statement_lines ADD COLUMN confidence smallint;
-- {rule, reasons: [{code, detail}], alternatives: [...]}: why the line was (not) matched.
ALTER TABLE bank_statement_lines ADD COLUMN explanation jsonb;
-- camt.053, cfonb120, mt940, ofx, csv...
ALTER TABLE bank_statement_lines ADD COLUMN format text;
-- A return line: the credit line whose payment it undid.
ALTER TABLE bank_statement_lines ADD COLUMN reverses_line_id uuid;
-- Who decided a line by hand, and when (review queue).
ALTER TABLE bank_statement_lines ADD COLUMN decided_by text;
ALTER TABLE bank_statement_lines ADD COLUMN decided_at timestamptz;
CREATE INDEX bank_statement_lines_e2e ON bank_statement_lines (org_id, end_to_end_id)
  WHERE end_to_end_id IS NOT NULL AND status = 'matched';
CREATE INDEX bank_statement_lines_review ON bank_statement_lines (org_id, amount_minor DESC)
  WHERE status = 'unmatched';

-- What a bank line settled besides its payment: short-payment write-offs (reason named by
-- the organisation, e.g. bank-fees, rounding) and the bank's fee on a return.
CREATE TABLE bank_line_adjustments (
  org_id uuid NOT NULL,
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  bank_line_id uuid NOT NULL,
  invoice_id uuid,
  kind text NOT NULL CHECK (kind IN ('write_off', 'return_fee')),
  reason text NOT NULL,
  currency char(3) NOT NULL,
  amount_minor bigint NOT NULL CHECK (amount_minor > 0),
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (org_id, id),
  FOREIGN KEY (org_id, bank_line_id) REFERENCES bank_statement_lines (org_id, id) ON DELETE CASCADE
);
CREATE INDEX bank_line_adjustments_line ON bank_line_adjustments (org_id, bank_line_id);
