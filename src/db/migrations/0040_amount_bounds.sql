-- Amounts are bounded at input to 10^13 minor units (MAX_AMOUNT_MINOR in
-- src/domain/money/money.ts): the database refuses larger ones too, whoever writes them.
-- NOT VALID: rows written before the bound stay readable (pages tolerate them); new and
-- updated rows are checked.
ALTER TABLE invoices ADD CONSTRAINT invoices_gross_bound CHECK (gross_minor <= 10000000000000) NOT VALID;
ALTER TABLE credit_notes ADD CONSTRAINT credit_notes_gross_bound CHECK (gross_minor <= 10000000000000) NOT VALID;
ALTER TABLE payments ADD CONSTRAINT payments_amount_bound CHECK (amount_minor <= 10000000000000) NOT VALID;
ALTER TABLE allocations ADD CONSTRAINT allocations_amount_bound CHECK (amount_minor <= 10000000000000) NOT VALID;
