-- Risk model (issue 18, decisions 033–034): versioned models with their metrics, the latest
-- prediction of each open invoice, and each customer's score kept per day (its history).
-- Every score records the model version that produced it.

CREATE TABLE risk_models (
  org_id uuid NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
  version integer NOT NULL CHECK (version >= 1),
  -- 'gbdt': learned from the organisation's ledger; 'prior': too little history (note says why).
  kind text NOT NULL CHECK (kind IN ('gbdt', 'prior')),
  trained_at timestamptz NOT NULL DEFAULT now(),
  -- Training saw invoices settled before this day.
  trained_until date NOT NULL,
  training_rows integer NOT NULL CHECK (training_rows >= 0),
  -- Holdout evaluation (time split) with both baselines: see docs/risk-model.md.
  metrics jsonb NOT NULL DEFAULT '{}'::jsonb,
  note text,
  -- The trees, residual bands and reference values (src/domain/scoring/model.ts), as JSON.
  model jsonb NOT NULL,
  PRIMARY KEY (org_id, version)
);

CREATE TABLE invoice_risk_scores (
  org_id uuid NOT NULL,
  invoice_id uuid NOT NULL,
  model_version integer NOT NULL,
  scored_on date NOT NULL,
  p_late double precision NOT NULL CHECK (p_late BETWEEN 0 AND 1),
  p_unpaid_30 double precision NOT NULL CHECK (p_unpaid_30 BETWEEN 0 AND 1),
  p_unpaid_60 double precision NOT NULL CHECK (p_unpaid_60 BETWEEN 0 AND 1),
  p_unpaid_90 double precision NOT NULL CHECK (p_unpaid_90 BETWEEN 0 AND 1),
  expected_date date NOT NULL,
  p10_date date NOT NULL,
  p50_date date NOT NULL,
  p90_date date NOT NULL,
  PRIMARY KEY (org_id, invoice_id),
  FOREIGN KEY (org_id, invoice_id) REFERENCES invoices (org_id, id) ON DELETE CASCADE,
  FOREIGN KEY (org_id, model_version) REFERENCES risk_models (org_id, version) ON DELETE CASCADE
);

CREATE TABLE customer_risk_scores (
  org_id uuid NOT NULL,
  customer_id uuid NOT NULL,
  scored_on date NOT NULL,
  model_version integer NOT NULL,
  score smallint NOT NULL CHECK (score BETWEEN 0 AND 100),
  band text NOT NULL CHECK (band IN ('faible', 'moyen', 'eleve', 'critique')),
  p_late double precision NOT NULL CHECK (p_late BETWEEN 0 AND 1),
  -- [{feature, weight, value, fr, en}], riskiest first.
  factors jsonb NOT NULL DEFAULT '[]'::jsonb,
  PRIMARY KEY (org_id, customer_id, scored_on),
  FOREIGN KEY (org_id, customer_id) REFERENCES customers (org_id, id) ON DELETE CASCADE,
  FOREIGN KEY (org_id, model_version) REFERENCES risk_models (org_id, version) ON DELETE CASCADE
);
CREATE INDEX customer_risk_scores_day ON customer_risk_scores (org_id, scored_on, score DESC);
