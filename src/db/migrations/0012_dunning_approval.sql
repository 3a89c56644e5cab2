-- Approval before sends (issue 3): with organisations.settings.dunning.requireApproval the
-- daily plan stores automatic sends as 'awaiting_approval'; a user approves them (back to
-- 'planned', claimable by the outbox workers) or holds them ('held': never claimed, the
-- item's step stays reserved so the next run does not plan it again). Who decided and when
-- is kept on the row; the evidence file records it too.
ALTER TABLE dunning_actions DROP CONSTRAINT dunning_actions_status_check;
ALTER TABLE dunning_actions ADD CONSTRAINT dunning_actions_status_check CHECK (status IN
  ('planned', 'claimed', 'sent', 'failed', 'postponed', 'cancelled', 'awaiting_approval', 'held'));
ALTER TABLE dunning_actions ADD COLUMN decided_by text;
ALTER TABLE dunning_actions ADD COLUMN decided_at timestamptz;
CREATE INDEX dunning_actions_awaiting ON dunning_actions (org_id, customer_id)
  WHERE status IN ('awaiting_approval', 'held');
