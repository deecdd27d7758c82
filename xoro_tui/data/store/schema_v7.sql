-- Migration 7: the audit log stays append-only except for one change, a redaction: the
-- `changes` text of a row may be replaced by a shorter text holding a masked card number
-- (••••1111), once an audit row of action 'redact' on table 'audit_log' names that row.
DROP TRIGGER IF EXISTS audit_log_no_update;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
WHEN NOT (
  new.id = old.id AND new.at = old.at AND new.user = old.user
  AND new.table_name = old.table_name AND new.record_key = old.record_key
  AND new.action = old.action
  AND length(new.changes) < length(old.changes) AND instr(new.changes, '••••') > 0
  AND EXISTS (SELECT 1 FROM audit_log r WHERE r.table_name = 'audit_log' AND r.action = 'redact'
              AND r.record_key = CAST(old.id AS TEXT) AND r.id > old.id)
)
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only (only xoro-tui redact masks a card number in it)'); END;
