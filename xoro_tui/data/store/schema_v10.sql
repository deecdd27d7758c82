-- Migration 10: each customer's money, for the Customer Centre's Open Balance, Unapplied
-- Credits and Last Activity columns. Kept by the triggers of
-- xoro_tui.data.customers.customer_money (which says what each amount is), so the list
-- reads one joined row per customer and never adds up documents for a screen.

-- What a customer has in one currency (minor units); a row per currency they have any
-- document or refund in.
CREATE TABLE customer_balances (
  customer_id INTEGER NOT NULL,
  currency TEXT NOT NULL,
  open_balance INTEGER NOT NULL DEFAULT 0,
  unapplied INTEGER NOT NULL DEFAULT 0,
  -- documents and refunds in this currency: the customer's currency is the one most are in
  items INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (customer_id, currency)
) WITHOUT ROWID;

-- One row per customer (every customer has one): the amounts of the customer's currency.
CREATE TABLE customer_money (
  customer_id INTEGER PRIMARY KEY,
  currency TEXT,
  open_balance INTEGER NOT NULL DEFAULT 0,
  unapplied INTEGER NOT NULL DEFAULT 0,
  -- how many currencies hold money (open or unapplied not zero)
  currencies INTEGER NOT NULL DEFAULT 0,
  last_activity TEXT,
  -- sort keys: by currency, then amount (the offset keeps a negative amount in order), then
  -- customer: each key is unique, so a window is read off the index with no sort of ties
  open_key TEXT GENERATED ALWAYS AS (coalesce(currency, '') ||
    printf('%020d%019d', open_balance + 4000000000000000000, customer_id)) VIRTUAL,
  unapplied_key TEXT GENERATED ALWAYS AS (coalesce(currency, '') ||
    printf('%020d%019d', unapplied + 4000000000000000000, customer_id)) VIRTUAL,
  last_key TEXT GENERATED ALWAYS AS
    (coalesce(last_activity, '') || printf('%019d', customer_id)) VIRTUAL,
  -- what one major unit is in minor units, from the currency's ISO 4217 exponent: the CASE
  -- is written from money.py's table when this script runs (currencies.minor_units_case)
  minor_units REAL GENERATED ALWAYS AS {minor_units_case} STORED,
  -- in major units (1000 is 1,000.00 USD or 1,000 JPY): what Advanced Search compares
  open_major REAL GENERATED ALWAYS AS (open_balance / minor_units) VIRTUAL,
  unapplied_major REAL GENERATED ALWAYS AS (unapplied / minor_units) VIRTUAL
);

-- The sums of customer_balances per currency, kept by its triggers: the totals line of the
-- whole Centre is these less the few customers not in it (deleted, merged, archived).
CREATE TABLE customer_money_totals (
  currency TEXT PRIMARY KEY,
  open_balance INTEGER NOT NULL DEFAULT 0,
  unapplied INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;
