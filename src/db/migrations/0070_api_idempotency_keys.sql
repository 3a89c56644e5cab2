-- Idempotency keys of the API's write routes (header Idempotency-Key): an ERP that retries a
-- request after a timeout gets the first answer back instead of a second write. The request
-- is fingerprinted (method, route, body) so the same key with another body is refused. Rows
-- older than a day may be purged; the key space is the organisation's, hence org_id first.
CREATE TABLE api_idempotency_keys (
  org_id uuid NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
  key text NOT NULL CHECK (length(key) BETWEEN 1 AND 255),
  request_hash text NOT NULL,
  status_code integer NOT NULL,
  response json NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (org_id, key)
);
