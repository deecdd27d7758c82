-- Migration 9: a cheque register per refund account.
-- A book starts at a number an admin sets; every number from the first book's start to the
-- last one used is a row here (reserved, printed, spoiled or voided) or lies in a book's
-- skipped range. Historical numbers from the old system are rows marked 'imported', below
-- the first book's start, outside that rule.
CREATE TABLE cheque_books (
  id INTEGER PRIMARY KEY,
  account TEXT NOT NULL COLLATE NOCASE REFERENCES refund_accounts(name) ON UPDATE CASCADE,
  start INTEGER NOT NULL,
  -- the numbers from skipped_from to start - 1 were skipped when this book started
  skipped_from INTEGER,
  reason TEXT,
  started_by TEXT NOT NULL,
  started_at TEXT NOT NULL
);
CREATE INDEX cheque_books_account ON cheque_books(account, start);

CREATE TABLE cheque_register (
  id INTEGER PRIMARY KEY,
  account TEXT NOT NULL COLLATE NOCASE REFERENCES refund_accounts(name) ON UPDATE CASCADE,
  number INTEGER NOT NULL,
  status TEXT NOT NULL
    CHECK (status IN ('reserved', 'printed', 'spoiled', 'voided', 'imported')),
  refund_id INTEGER REFERENCES refunds(id),
  payee TEXT,
  amount INTEGER,
  currency TEXT,
  cheque_date TEXT,
  reason TEXT,
  printed_by TEXT,
  user TEXT NOT NULL,
  at TEXT NOT NULL,
  UNIQUE (account, number)
);
CREATE INDEX cheque_register_refund ON cheque_register(refund_id);
CREATE INDEX cheque_register_status ON cheque_register(status);
-- Every cheque number already on a refund is then recorded as imported: see
-- xoro_tui.data.refunds.cheque_register.backfill_imported.
