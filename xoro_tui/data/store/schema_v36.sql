-- Migration 36: refunds found by every text column the Refund Centre shows: the memo, the
-- void reason, who created and who approved the refund join the refund number, customer,
-- cheque number and reference (see search/refund_search.py). The table, its source view and
-- its triggers are made anew; the migration then fills the table once.
CREATE VIEW refund_search_source AS
SELECT r.id AS id,
       xoro_fold(r.refund_number) AS refund_number,
       xoro_fold(c.account_number || ' ' || c.name) AS customer,
       coalesce(CAST(r.cheque_number AS TEXT), '') AS cheque_number,
       xoro_fold(r.reference) AS reference,
       xoro_fold(r.memo) AS memo,
       xoro_fold(r.void_reason) AS void_reason,
       xoro_fold(r.created_by) AS created_by,
       xoro_fold(r.approved_by) AS approved_by
FROM refunds r JOIN customers c ON c.id = r.customer_id;

CREATE VIRTUAL TABLE refund_fts USING fts5(
  refund_number, customer, cheque_number, reference, memo, void_reason, created_by, approved_by,
  tokenize = 'trigram');

CREATE TRIGGER refunds_search_insert AFTER INSERT ON refunds BEGIN
  INSERT INTO refund_fts(rowid, refund_number, customer, cheque_number, reference, memo, void_reason, created_by, approved_by)
    SELECT id, refund_number, customer, cheque_number, reference, memo, void_reason, created_by, approved_by
    FROM refund_search_source WHERE id = new.id;
END;

CREATE TRIGGER refunds_search_update
AFTER UPDATE OF refund_number, customer_id, cheque_number, reference, memo, void_reason, created_by, approved_by
ON refunds BEGIN
  DELETE FROM refund_fts WHERE rowid = old.id;
  INSERT INTO refund_fts(rowid, refund_number, customer, cheque_number, reference, memo, void_reason, created_by, approved_by)
    SELECT id, refund_number, customer, cheque_number, reference, memo, void_reason, created_by, approved_by
    FROM refund_search_source WHERE id = new.id;
END;

CREATE TRIGGER refunds_search_delete AFTER DELETE ON refunds BEGIN
  DELETE FROM refund_fts WHERE rowid = old.id;
END;

CREATE TRIGGER customers_refund_search_update AFTER UPDATE OF name, account_number ON customers BEGIN
  DELETE FROM refund_fts WHERE rowid IN (SELECT id FROM refunds WHERE customer_id = new.id);
  INSERT INTO refund_fts(rowid, refund_number, customer, cheque_number, reference, memo, void_reason, created_by, approved_by)
    SELECT s.id, s.refund_number, s.customer, s.cheque_number, s.reference, s.memo, s.void_reason, s.created_by, s.approved_by
    FROM refund_search_source s JOIN refunds r ON r.id = s.id WHERE r.customer_id = new.id;
END;
