-- What only the PostgreSQL schema has (after the tables and indexes written from SQLite's).

-- The audit log is append-only: no DELETE at all, and UPDATE only for the one change
-- ``xoro-tui redact`` makes (a card number masked, with its own newer redact row), as the
-- SQLite triggers allow.
CREATE OR REPLACE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'the audit log is append-only';
  END IF;
  IF NOT (
    NEW.id = OLD.id AND NEW.at = OLD.at AND NEW."user" = OLD."user"
    AND NEW.table_name = OLD.table_name AND NEW.record_key = OLD.record_key
    AND NEW.action = OLD.action
    AND length(NEW.changes) < length(OLD.changes) AND strpos(NEW.changes, '••••') > 0
    AND EXISTS (SELECT 1 FROM audit_log r WHERE r.table_name = 'audit_log' AND r.action = 'redact'
                AND r.record_key = OLD.id::text AND r.id > OLD.id)
  ) THEN
    RAISE EXCEPTION 'the audit log is append-only (only xoro-tui redact masks a card number in it)';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
CREATE OR REPLACE FUNCTION audit_log_no_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'the audit log is append-only';
END $$;
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION audit_log_no_truncate();
REVOKE UPDATE, DELETE, TRUNCATE ON audit_log FROM PUBLIC;

-- The quick search on PostgreSQL: trigram indexes over folded text (pg_trgm + unaccent)
-- where SQLite has its FTS5 tables.
CREATE INDEX customers_name_trgm ON customers USING gin (xoro_fold(name::text) gin_trgm_ops);
CREATE INDEX customers_email_trgm ON customers USING gin (xoro_fold(email::text) gin_trgm_ops);
CREATE INDEX customers_account_trgm ON customers
  USING gin (xoro_fold(account_number::text) gin_trgm_ops);
CREATE INDEX customers_phone_trgm ON customers USING gin (xoro_fold(phone::text) gin_trgm_ops);
-- the number without separators (search/pg_search.py: PHONE_DIGITS), so typed digits find it
CREATE INDEX customers_phone_digits_trgm ON customers USING gin (
  replace(replace(replace(replace(replace(replace(replace(xoro_fold(phone::text),
    ' ', ''), '-', ''), '(', ''), ')', ''), '.', ''), '+', ''), '/', '') gin_trgm_ops);
CREATE INDEX refunds_number_trgm ON refunds
  USING gin (xoro_fold(refund_number::text) gin_trgm_ops);
CREATE INDEX refunds_memo_trgm ON refunds USING gin (xoro_fold(memo) gin_trgm_ops);
