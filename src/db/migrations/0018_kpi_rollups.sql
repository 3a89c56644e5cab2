-- Dashboard rollups (decision 017): the dashboard's figures are sums over a few thousand
-- rollup rows instead of a million invoices. Statement-level triggers with transition
-- tables append each statement's changes as deltas in the writer's own transaction, whoever
-- writes the ledger (imports, payments, refreshBalances, the demo writer, a test inserting
-- rows by hand); the dashboard folds them in before reading. The next dashboard request sees
-- every committed write, and a rolled-back write leaves no trace.

-- Per organisation, currency and day. Each measure is keyed by its own date:
--   open_minor, open_invoices  balance due and count of open invoices (balance > 0) by due date
--   issued_minor               gross invoiced by issue date
--   received_minor             payments received by date received
-- A row whose measures all went back to zero is kept (it costs nothing to sum).
CREATE TABLE kpi_daily (
  org_id uuid NOT NULL,
  currency char(3) NOT NULL,
  day date NOT NULL,
  open_minor bigint NOT NULL DEFAULT 0,
  open_invoices bigint NOT NULL DEFAULT 0,
  issued_minor bigint NOT NULL DEFAULT 0,
  received_minor bigint NOT NULL DEFAULT 0,
  PRIMARY KEY (org_id, currency, day)
);

-- Per organisation, currency and customer: balance due and count of open invoices. The
-- upper bound of each customer's overdue amount, read largest first for the top overdue
-- customers (services/kpi/top-overdue-customers.ts).
CREATE TABLE kpi_customer_open (
  org_id uuid NOT NULL,
  currency char(3) NOT NULL,
  customer_id uuid NOT NULL,
  open_minor bigint NOT NULL DEFAULT 0,
  open_invoices bigint NOT NULL DEFAULT 0,
  PRIMARY KEY (org_id, currency, customer_id)
);
CREATE INDEX kpi_customer_open_largest ON kpi_customer_open (org_id, currency, open_minor DESC, customer_id)
  WHERE open_minor > 0;

-- What writes add, appended: a trigger only inserts here, so writers never wait for each
-- other on a rollup row, and a long import (one transaction, the same debtors in every
-- batch) does not pile up versions of the same rows. The dashboard folds them into the two
-- tables above before reading, in its own transaction (src/db/queries/kpi-fold.ts).
CREATE TABLE kpi_daily_delta (
  org_id uuid NOT NULL,
  id bigint GENERATED ALWAYS AS IDENTITY,
  currency char(3) NOT NULL,
  day date NOT NULL,
  open_minor bigint NOT NULL DEFAULT 0,
  open_invoices bigint NOT NULL DEFAULT 0,
  issued_minor bigint NOT NULL DEFAULT 0,
  received_minor bigint NOT NULL DEFAULT 0,
  PRIMARY KEY (org_id, id)
);
CREATE TABLE kpi_customer_delta (
  org_id uuid NOT NULL,
  id bigint GENERATED ALWAYS AS IDENTITY,
  currency char(3) NOT NULL,
  customer_id uuid NOT NULL,
  open_minor bigint NOT NULL DEFAULT 0,
  open_invoices bigint NOT NULL DEFAULT 0,
  PRIMARY KEY (org_id, id)
);

-- One function per source table, fired once per statement for every event. The changed
-- rows enter as +1 (new image) and -1 (old image), so an update counts as "remove the old,
-- add the new" and an update that leaves the measures alone nets to zero and writes
-- nothing. One delta row per key and statement.
-- Dynamic SQL because a transition table exists only for the events that have it
-- (no OLD TABLE on INSERT): the text picks the images this event has.
CREATE FUNCTION kpi_invoices_rollup() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  changed text := CASE TG_OP
    WHEN 'INSERT' THEN 'select 1 as s, * from kpi_new'
    WHEN 'DELETE' THEN 'select -1 as s, * from kpi_old'
    ELSE 'select 1 as s, * from kpi_new union all select -1 as s, * from kpi_old'
  END;
BEGIN
  EXECUTE format($q$
    insert into kpi_daily_delta (org_id, currency, day, open_minor, open_invoices, issued_minor)
    select org_id, currency, day, sum(open_minor), sum(open_invoices), sum(issued_minor)
    from (
      select org_id, currency, due_date as day,
        s * balance_minor as open_minor, s as open_invoices, 0 as issued_minor
      from (%1$s) c where balance_minor > 0
      union all
      select org_id, currency, issue_date, 0, 0, s * gross_minor
      from (%1$s) c
    ) d
    group by 1, 2, 3
    having sum(open_minor) <> 0 or sum(open_invoices) <> 0 or sum(issued_minor) <> 0
  $q$, changed);
  EXECUTE format($q$
    insert into kpi_customer_delta (org_id, currency, customer_id, open_minor, open_invoices)
    select org_id, currency, customer_id, sum(s * balance_minor), sum(s)
    from (%1$s) c where balance_minor > 0
    group by 1, 2, 3
    having sum(s * balance_minor) <> 0 or sum(s) <> 0
  $q$, changed);
  RETURN NULL;
END $$;

CREATE FUNCTION kpi_payments_rollup() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  changed text := CASE TG_OP
    WHEN 'INSERT' THEN 'select 1 as s, * from kpi_new'
    WHEN 'DELETE' THEN 'select -1 as s, * from kpi_old'
    ELSE 'select 1 as s, * from kpi_new union all select -1 as s, * from kpi_old'
  END;
BEGIN
  EXECUTE format($q$
    insert into kpi_daily_delta (org_id, currency, day, received_minor)
    select org_id, currency, received_on, sum(s * amount_minor)
    from (%1$s) c
    group by 1, 2, 3
    having sum(s * amount_minor) <> 0
  $q$, changed);
  RETURN NULL;
END $$;

-- PostgreSQL refuses transition tables on a trigger for more than one event: one each.
CREATE TRIGGER kpi_invoices_insert AFTER INSERT ON invoices
  REFERENCING NEW TABLE AS kpi_new FOR EACH STATEMENT EXECUTE FUNCTION kpi_invoices_rollup();
CREATE TRIGGER kpi_invoices_update AFTER UPDATE ON invoices
  REFERENCING OLD TABLE AS kpi_old NEW TABLE AS kpi_new FOR EACH STATEMENT EXECUTE FUNCTION kpi_invoices_rollup();
CREATE TRIGGER kpi_invoices_delete AFTER DELETE ON invoices
  REFERENCING OLD TABLE AS kpi_old FOR EACH STATEMENT EXECUTE FUNCTION kpi_invoices_rollup();
CREATE TRIGGER kpi_payments_insert AFTER INSERT ON payments
  REFERENCING NEW TABLE AS kpi_new FOR EACH STATEMENT EXECUTE FUNCTION kpi_payments_rollup();
CREATE TRIGGER kpi_payments_update AFTER UPDATE ON payments
  REFERENCING OLD TABLE AS kpi_old NEW TABLE AS kpi_new FOR EACH STATEMENT EXECUTE FUNCTION kpi_payments_rollup();
CREATE TRIGGER kpi_payments_delete AFTER DELETE ON payments
  REFERENCING OLD TABLE AS kpi_old FOR EACH STATEMENT EXECUTE FUNCTION kpi_payments_rollup();

-- The ledger as it stands when this migration runs.
INSERT INTO kpi_daily (org_id, currency, day, open_minor, open_invoices, issued_minor, received_minor)
SELECT org_id, currency, day, sum(open_minor), sum(open_invoices), sum(issued_minor), sum(received_minor)
FROM (
  SELECT org_id, currency, due_date AS day, balance_minor AS open_minor, 1 AS open_invoices,
    0 AS issued_minor, 0 AS received_minor
  FROM invoices WHERE balance_minor > 0
  UNION ALL
  SELECT org_id, currency, issue_date, 0, 0, gross_minor, 0 FROM invoices
  UNION ALL
  SELECT org_id, currency, received_on, 0, 0, 0, amount_minor FROM payments
) d
GROUP BY 1, 2, 3;

INSERT INTO kpi_customer_open (org_id, currency, customer_id, open_minor, open_invoices)
SELECT org_id, currency, customer_id, sum(balance_minor), count(*)
FROM invoices WHERE balance_minor > 0
GROUP BY 1, 2, 3;

-- Statistics now, so the first dashboard after the upgrade is planned on the real sizes.
ANALYZE kpi_daily;
ANALYZE kpi_customer_open;
