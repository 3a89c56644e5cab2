-- The dunning sweep reads each page of customers' open invoices over a range of customer ids,
-- and checks each customer for one open invoice. Through invoices_customer, both also visit
-- every paid invoice in the range and filter it out: most of the rows, in a portfolio with
-- years of paid history. This index holds the open ones only, with the same predicate as the
-- sweep (src/db/queries/dunning-inputs.ts). Measured on 20k customers with 5 open and 20 paid
-- invoices each: the database's time for a run's reads went from 0.67 to 0.55 s.
CREATE INDEX invoices_open_by_customer ON invoices (org_id, customer_id)
  WHERE balance_minor > 0 AND status <> 'written_off';
