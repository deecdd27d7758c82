-- Migration 14: import mappings saved under a name, and each refund account's cheque layout.
CREATE TABLE import_mappings (
  name TEXT PRIMARY KEY COLLATE NOCASE,
  kind TEXT NOT NULL CHECK (kind IN ('customers', 'refunds')),
  preset TEXT,
  -- "Their Header=field,…" as --map takes it
  column_map TEXT NOT NULL DEFAULT '',
  version INTEGER NOT NULL DEFAULT 1,
  updated_by TEXT NOT NULL,
  updated_at TEXT NOT NULL
);

CREATE TABLE cheque_layouts (
  account TEXT PRIMARY KEY COLLATE NOCASE REFERENCES refund_accounts(name)
    ON UPDATE CASCADE ON DELETE CASCADE,
  -- where the cheque sits on the stock: top, middle or bottom of a page with two stubs, or
  -- wallet cheques (three a page, each with its stub at the left)
  stock TEXT NOT NULL DEFAULT 'top' CHECK (stock IN ('top', 'middle', 'bottom', 'wallet')),
  -- the stock's paper; NULL: the page size chosen in the settings when printing
  page_size TEXT CHECK (page_size IN ('Letter', 'A4')),
  -- {"field": [x_mm, y_mm], …}: moves from the stock's standard positions
  offsets TEXT NOT NULL DEFAULT '{}',
  version INTEGER NOT NULL DEFAULT 1,
  updated_by TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
