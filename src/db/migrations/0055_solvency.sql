-- Solvency (issue 20): company identities from INSEE SIRENE, insolvency judgments from the
-- BODACC, per-customer proceedings and the credit group. Decision 031.

-- One row per SIREN the organisation has looked up or imported (stock file or API).
CREATE TABLE company_identities (
  org_id uuid NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
  siren char(9) NOT NULL,
  legal_name text,
  -- INSEE etatAdministratifUniteLegale: A active, C cessée.
  status char(1) NOT NULL CHECK (status IN ('A', 'C')),
  status_since date,
  creation_date date,
  legal_form text,
  naf_code text,
  headcount_band text,
  company_category text,
  head_office_siret char(14),
  address text,
  source text NOT NULL CHECK (source IN ('sirene_stock', 'sirene_api')),
  source_updated_at text,
  fetched_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (org_id, siren)
);

-- BODACC "procédures collectives" notices the organisation imported (matched or not).
CREATE TABLE insolvency_judgments (
  org_id uuid NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  siren char(9) NOT NULL,
  customer_id uuid,
  kind text NOT NULL,
  famille text NOT NULL,
  nature text NOT NULL,
  judgment_date date NOT NULL,
  publication_date date NOT NULL,
  announcement_number text NOT NULL,
  tribunal text,
  debtor_name text,
  -- The notice's `cp`: the debtor's postal code, hence the court's territory (R622-24).
  debtor_postal_code text,
  mandataire text,
  complement text,
  -- Deadlines computed when the notice was applied (R622-24, L624-9), null for other kinds.
  declaration_deadline date,
  reservation_deadline date,
  applied_at timestamptz,
  imported_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (org_id, id),
  UNIQUE (org_id, publication_date, announcement_number),
  FOREIGN KEY (org_id, customer_id) REFERENCES customers (org_id, id) ON DELETE CASCADE
);
CREATE INDEX insolvency_judgments_customer ON insolvency_judgments (org_id, customer_id, judgment_date);
CREATE INDEX insolvency_judgments_siren ON insolvency_judgments (org_id, siren);

-- Companies sharing a parent share a credit limit (issue 20): the group key is free text
-- (usually the parent's SIREN), the group limit lives on the organisation's credit groups.
ALTER TABLE customers ADD COLUMN credit_group text;
-- Orders accepted but not yet invoiced (sent through the API): part of the exposure.
ALTER TABLE customers ADD COLUMN pending_orders_minor bigint NOT NULL DEFAULT 0 CHECK (pending_orders_minor >= 0);

CREATE TABLE credit_groups (
  org_id uuid NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
  key text NOT NULL,
  name text,
  credit_limit_minor bigint CHECK (credit_limit_minor IS NULL OR credit_limit_minor >= 0),
  currency char(3) NOT NULL DEFAULT 'EUR',
  PRIMARY KEY (org_id, key)
);
