-- Per-organisation edits of the message templates (issues 3 and 6). Versioned like the
-- policies: an edit or a reset inserts a new version and old versions are kept, so the
-- version a send used (recorded on its evidence payload) can still be read. A NULL part
-- means "use the default text from src/domain/templates"; a row with every part NULL is a
-- reset to the defaults.
CREATE TABLE message_templates (
  org_id uuid NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
  template_key text NOT NULL,
  locale text NOT NULL CHECK (locale IN ('fr', 'en')),
  version integer NOT NULL CHECK (version > 0),
  subject text,
  html text,
  body_text text,
  sms text,
  letter text,
  updated_by text,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (org_id, template_key, locale, version)
);
