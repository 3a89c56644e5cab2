-- The organisation's logo, drawn in the letterhead of every PDF and in the debtor portal's
-- header. One per organisation (org_id is the whole key); removing it deletes the row. The
-- media type and dimensions are the ones read from the bytes at upload, never the file name.
CREATE TABLE organisation_logos (
  org_id uuid NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
  media_type text NOT NULL CHECK (media_type IN ('image/png', 'image/jpeg')),
  width integer NOT NULL CHECK (width > 0),
  height integer NOT NULL CHECK (height > 0),
  size_bytes integer NOT NULL CHECK (size_bytes > 0 AND size_bytes <= 524288),
  sha256 text NOT NULL,
  content bytea NOT NULL,
  uploaded_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (org_id)
);
