-- Migration 2: refund quick search, and the journals that let merges and batch updates be undone.

CREATE VIEW refund_search_source AS
SELECT r.id AS id,
       xoro_fold(r.refund_number) AS refund_number,
       xoro_fold(c.account_number || ' ' || c.name) AS customer,
       coalesce(CAST(r.cheque_number AS TEXT), '') AS cheque_number,
       xoro_fold(r.reference) AS reference
FROM refunds r JOIN customers c ON c.id = r.customer_id;

CREATE VIRTUAL TABLE refund_fts USING fts5(
  refund_number, customer, cheque_number, reference, tokenize = 'trigram');

INSERT INTO refund_fts(rowid, refund_number, customer, cheque_number, reference)
  SELECT id, refund_number, customer, cheque_number, reference FROM refund_search_source;

CREATE TRIGGER refunds_search_insert AFTER INSERT ON refunds BEGIN
  INSERT INTO refund_fts(rowid, refund_number, customer, cheque_number, reference)
    SELECT id, refund_number, customer, cheque_number, reference FROM refund_search_source WHERE id = new.id;
END;

CREATE TRIGGER refunds_search_update
AFTER UPDATE OF refund_number, customer_id, cheque_number, reference ON refunds BEGIN
  DELETE FROM refund_fts WHERE rowid = old.id;
  INSERT INTO refund_fts(rowid, refund_number, customer, cheque_number, reference)
    SELECT id, refund_number, customer, cheque_number, reference FROM refund_search_source WHERE id = new.id;
END;

CREATE TRIGGER refunds_search_delete AFTER DELETE ON refunds BEGIN
  DELETE FROM refund_fts WHERE rowid = old.id;
END;

CREATE TRIGGER customers_refund_search_update AFTER UPDATE OF name, account_number ON customers BEGIN
  DELETE FROM refund_fts WHERE rowid IN (SELECT id FROM refunds WHERE customer_id = new.id);
  INSERT INTO refund_fts(rowid, refund_number, customer, cheque_number, reference)
    SELECT s.id, s.refund_number, s.customer, s.cheque_number, s.reference
    FROM refund_search_source s JOIN refunds r ON r.id = s.id WHERE r.customer_id = new.id;
END;

-- A merge records exactly which rows it moved, so that undo moves exactly those back.
CREATE TABLE merges (
  id INTEGER PRIMARY KEY,
  primary_id INTEGER NOT NULL REFERENCES customers(id),
  at TEXT NOT NULL,
  user TEXT NOT NULL,
  primary_before TEXT NOT NULL,
  undone_at TEXT,
  undone_by TEXT
);
CREATE TABLE merge_moves (
  merge_id INTEGER NOT NULL REFERENCES merges(id),
  table_name TEXT NOT NULL,
  row_id INTEGER NOT NULL,
  from_customer_id INTEGER NOT NULL,
  PRIMARY KEY (merge_id, table_name, row_id)
) WITHOUT ROWID;
CREATE TABLE merge_secondaries (
  merge_id INTEGER NOT NULL REFERENCES merges(id),
  customer_id INTEGER NOT NULL REFERENCES customers(id),
  before TEXT NOT NULL,
  PRIMARY KEY (merge_id, customer_id)
) WITHOUT ROWID;

-- A batch update keeps each changed customer's old value so one batch can be undone.
CREATE TABLE batches (
  id INTEGER PRIMARY KEY,
  kind TEXT NOT NULL,
  field TEXT NOT NULL,
  description TEXT NOT NULL,
  at TEXT NOT NULL,
  user TEXT NOT NULL,
  undone_at TEXT
);
CREATE TABLE batch_items (
  batch_id INTEGER NOT NULL REFERENCES batches(id),
  customer_id INTEGER NOT NULL REFERENCES customers(id),
  old_value TEXT,
  PRIMARY KEY (batch_id, customer_id)
) WITHOUT ROWID;
