-- Ending what pauses a dunning case, by hand, from the customer file (docs/dunning.md,
-- "Acting on a case"): who ended a pause, a promise or a dispute, and why. The evidence file
-- holds the same facts hash-chained; these columns let the file show them without reading it.

-- An upheld dispute may be settled by a credit note; rejected or upheld, the collector's reason.
ALTER TABLE disputes
  ADD COLUMN resolved_by text,
  ADD COLUMN resolution_comment text,
  ADD COLUMN credit_note_id uuid;

ALTER TABLE dunning_pauses
  ADD COLUMN cancelled_by text,
  ADD COLUMN cancel_reason text;

-- A promise closed by hand (cancelled, kept, broken) rather than by the daily check.
ALTER TABLE promises_to_pay
  ADD COLUMN resolved_by text,
  ADD COLUMN resolution text;

-- Why the customer is on credit hold and since when (NULL once released).
ALTER TABLE customers
  ADD COLUMN credit_hold_reason text,
  ADD COLUMN credit_hold_since timestamptz;
