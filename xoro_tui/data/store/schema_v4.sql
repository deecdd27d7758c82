-- Migration 4: indexes the Centre's default windows can walk without sorting, and statistics
-- so the planner knows that "state = 'active'" is not selective.
CREATE INDEX IF NOT EXISTS customers_state_name ON customers(state, name COLLATE NOCASE);
CREATE INDEX IF NOT EXISTS customers_state_account ON customers(state, account_number COLLATE NOCASE);
DROP INDEX IF EXISTS customers_state;
ANALYZE;
