-- Rate rows an organisation loads itself (`relance rates import FILE`), so a new ECB rate,
-- taux légal, Basiszinssatz or Bank Rate needs no release. The law engine merges them with
-- its built-in tables; on the same series and effective date the organisation's row wins.
-- Rates are percent per year; numeric, never float.
CREATE TABLE rate_rows (
  org_id uuid NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  series text NOT NULL CHECK (series IN ('ECB_MRO', 'FR_TIL_CONSUMER', 'FR_TIL_OTHER', 'DE_BASISZINS', 'BOE_BASE', 'UK_STATUTORY')),
  effective_from date NOT NULL,
  rate numeric(9, 4) NOT NULL CHECK (rate > -100 AND rate < 100),
  source text NOT NULL CHECK (length(btrim(source)) > 0),
  provisional boolean NOT NULL DEFAULT false,
  loaded_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (org_id, id),
  UNIQUE (org_id, series, effective_from)
);
