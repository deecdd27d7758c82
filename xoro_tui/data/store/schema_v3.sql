-- Migration 3: saved reports, form drafts, the print log, and the outbox retry time.

-- A saved Credit Card Report: a dated snapshot of its rows with the settings that made it.
CREATE TABLE saved_reports (
  id INTEGER PRIMARY KEY,
  kind TEXT NOT NULL,
  name TEXT NOT NULL,
  user TEXT NOT NULL,
  created_at TEXT NOT NULL,
  settings TEXT NOT NULL,
  rows TEXT NOT NULL
);

-- The input of a form that was open when the link dropped, offered back next time.
CREATE TABLE form_drafts (
  user TEXT NOT NULL,
  form TEXT NOT NULL,
  record_key TEXT NOT NULL,
  data TEXT NOT NULL,
  saved_at TEXT NOT NULL,
  PRIMARY KEY (user, form, record_key)
) WITHOUT ROWID;

-- Every printed cheque or receipt, so a second print is marked as a reprint.
CREATE TABLE print_log (
  id INTEGER PRIMARY KEY,
  refund_id INTEGER NOT NULL REFERENCES refunds(id),
  kind TEXT NOT NULL CHECK (kind IN ('cheque', 'deposit_receipt')),
  cheque_number INTEGER,
  reprint INTEGER NOT NULL DEFAULT 0,
  path TEXT,
  at TEXT NOT NULL,
  user TEXT NOT NULL
);
CREATE INDEX print_log_refund ON print_log(refund_id);

ALTER TABLE outbox ADD COLUMN next_attempt_at TEXT;
ALTER TABLE outbox ADD COLUMN kind TEXT;
CREATE INDEX outbox_status ON outbox(status);
