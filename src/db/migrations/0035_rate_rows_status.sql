-- Each rate row carries the status of its citation (docs/law.md "Rate sources"):
-- 'verified' (official publication read or identified), 'corrected' (added or changed by the
-- verification, on an official citation), 'unverified' (no authoritative source). A
-- statement using an unverified row flags it. Rows loaded before this migration said
-- nothing about their source's standing: they become 'unverified' (an organisation confirms
-- them by re-importing with a status column), so they are no longer applied silently.
ALTER TABLE rate_rows
  ADD COLUMN status text NOT NULL DEFAULT 'unverified'
  CHECK (status IN ('verified', 'corrected', 'unverified'));
UPDATE rate_rows SET provisional = true WHERE status = 'unverified';
