-- Accept-valid imports commit in chunks: each chunk's transaction also advances its batch
-- (counts of what landed, heartbeat_at), so a batch whose process died says exactly what
-- was committed. On the next start such a batch is marked failed with `failure` saying why
-- (decision 025).
ALTER TABLE import_batches ADD COLUMN heartbeat_at timestamptz;
ALTER TABLE import_batches ADD COLUMN failure text;
CREATE INDEX import_batches_running ON import_batches (org_id, started_at) WHERE status = 'running';
