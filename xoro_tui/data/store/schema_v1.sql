-- Migration 1: the foundation schema.

CREATE TABLE customer_types   (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE COLLATE NOCASE);
CREATE TABLE sales_reps       (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE COLLATE NOCASE);
CREATE TABLE payment_terms    (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE COLLATE NOCASE);
CREATE TABLE customer_groups  (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE COLLATE NOCASE);
CREATE TABLE order_types      (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE COLLATE NOCASE);
CREATE TABLE shipping_terms   (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE COLLATE NOCASE);
CREATE TABLE payment_methods  (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE COLLATE NOCASE);
CREATE TABLE tags             (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE COLLATE NOCASE);
CREATE TABLE brands           (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE COLLATE NOCASE);

-- The fixed list of payment method types refunds use; not editable.
CREATE TABLE payment_method_types (name TEXT PRIMARY KEY, position INTEGER NOT NULL) WITHOUT ROWID;
INSERT INTO payment_method_types VALUES
  ('Cheque', 1), ('Cash', 2), ('ACH', 3), ('Bank Transfer', 4), ('Credit Card', 5), ('Store Credit', 6);

CREATE TABLE customers (
  id INTEGER PRIMARY KEY,
  account_number TEXT NOT NULL UNIQUE COLLATE NOCASE,
  name TEXT NOT NULL,
  type_name TEXT REFERENCES customer_types(name) ON UPDATE CASCADE,
  email TEXT,
  phone TEXT,
  bill_to_line1 TEXT, bill_to_line2 TEXT, bill_to_city TEXT, bill_to_state TEXT,
  bill_to_postal_code TEXT, bill_to_country TEXT,
  sales_rep TEXT REFERENCES sales_reps(name) ON UPDATE CASCADE,
  payment_terms TEXT REFERENCES payment_terms(name) ON UPDATE CASCADE,
  customer_group TEXT REFERENCES customer_groups(name) ON UPDATE CASCADE,
  order_type TEXT REFERENCES order_types(name) ON UPDATE CASCADE,
  default_shipping_terms TEXT REFERENCES shipping_terms(name) ON UPDATE CASCADE,
  default_payment_method TEXT REFERENCES payment_methods(name) ON UPDATE CASCADE,
  is_active INTEGER NOT NULL DEFAULT 1 CHECK (is_active IN (0, 1)),
  is_restricted INTEGER NOT NULL DEFAULT 0 CHECK (is_restricted IN (0, 1)),
  show_invoice_credit_deposit_on_portal INTEGER NOT NULL DEFAULT 0
    CHECK (show_invoice_credit_deposit_on_portal IN (0, 1)),
  portal_status TEXT CHECK (portal_status IN ('Active', 'Invited', 'Inactive')),
  portal_email TEXT,
  portal_email_status TEXT CHECK (portal_email_status IN ('Valid', 'Invalid', 'Missing', 'Duplicate')),
  portal_email_reason TEXT,
  portal_email_checked_at TEXT,
  mandate_status TEXT CHECK (mandate_status IN ('Requested', 'Active', 'Cancelled', 'Failed')),
  mandate_reference TEXT,
  mandate_date TEXT,
  -- active: in the Centre; deleted: restorable; merged: archived, merged_into points at the primary;
  -- archived: deleted past retention but kept because it has financial history.
  state TEXT NOT NULL DEFAULT 'active' CHECK (state IN ('active', 'deleted', 'merged', 'archived')),
  deleted_at TEXT,
  merged_into INTEGER REFERENCES customers(id),
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  version INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE customer_tags (
  customer_id INTEGER NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
  tag TEXT NOT NULL REFERENCES tags(name) ON UPDATE CASCADE,
  PRIMARY KEY (customer_id, tag)
) WITHOUT ROWID;

CREATE TABLE customer_brands (
  customer_id INTEGER NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
  brand TEXT NOT NULL REFERENCES brands(name) ON UPDATE CASCADE,
  PRIMARY KEY (customer_id, brand)
) WITHOUT ROWID;

CREATE TABLE customer_references (
  customer_id INTEGER NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
  reference TEXT NOT NULL,
  PRIMARY KEY (customer_id, reference)
) WITHOUT ROWID;

CREATE TABLE sites (
  id INTEGER PRIMARY KEY,
  customer_id INTEGER NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
  name TEXT,
  line1 TEXT, line2 TEXT, city TEXT, state TEXT, postal_code TEXT, country TEXT,
  is_default INTEGER NOT NULL DEFAULT 0 CHECK (is_default IN (0, 1)),
  created_at TEXT NOT NULL,
  version INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE saved_cards (
  id INTEGER PRIMARY KEY,
  customer_id INTEGER NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
  brand TEXT NOT NULL,
  last4 TEXT NOT NULL CHECK (length(last4) = 4 AND last4 GLOB '[0-9][0-9][0-9][0-9]'),
  exp_month INTEGER NOT NULL CHECK (exp_month BETWEEN 1 AND 12),
  exp_year INTEGER NOT NULL CHECK (exp_year BETWEEN 2000 AND 2100),
  cardholder TEXT,
  provider_token TEXT,
  created_at TEXT NOT NULL,
  version INTEGER NOT NULL DEFAULT 1
);

-- Numbering for documents, refunds and account numbers: one row per sequence.
CREATE TABLE sequences (name TEXT PRIMARY KEY, next_value INTEGER NOT NULL) WITHOUT ROWID;

CREATE TABLE documents (
  id INTEGER PRIMARY KEY,
  doc_type TEXT NOT NULL CHECK (doc_type IN
    ('estimate', 'sales_order', 'invoice', 'sales_receipt', 'customer_deposit', 'credit_memo')),
  number TEXT NOT NULL,
  customer_id INTEGER NOT NULL REFERENCES customers(id),
  site_id INTEGER REFERENCES sites(id) ON DELETE SET NULL,
  doc_date TEXT NOT NULL,
  due_date TEXT,
  currency TEXT NOT NULL,
  terms TEXT,
  memo TEXT,
  reference TEXT,
  method TEXT,
  total INTEGER NOT NULL DEFAULT 0,
  balance INTEGER NOT NULL DEFAULT 0,
  status TEXT NOT NULL DEFAULT 'Open',
  created_by TEXT,
  created_at TEXT NOT NULL,
  version INTEGER NOT NULL DEFAULT 1,
  UNIQUE (doc_type, number)
);

CREATE TABLE document_lines (
  id INTEGER PRIMARY KEY,
  document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
  line_no INTEGER NOT NULL,
  item TEXT,
  description TEXT,
  quantity TEXT NOT NULL DEFAULT '1',
  rate INTEGER NOT NULL DEFAULT 0,
  amount INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE refund_accounts (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE COLLATE NOCASE,
  bank_name TEXT,
  bank_account TEXT,
  next_cheque_number INTEGER NOT NULL DEFAULT 1001,
  version INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE refunds (
  id INTEGER PRIMARY KEY,
  refund_number TEXT NOT NULL UNIQUE COLLATE NOCASE,
  customer_id INTEGER NOT NULL REFERENCES customers(id),
  refund_date TEXT NOT NULL,
  amount INTEGER NOT NULL CHECK (amount > 0),
  currency TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN
    ('Draft', 'Pending Approval', 'Approved', 'Printed', 'Issued', 'Cleared', 'Voided')),
  refund_account TEXT REFERENCES refund_accounts(name) ON UPDATE CASCADE,
  payment_method TEXT NOT NULL REFERENCES payment_method_types(name),
  cheque_number INTEGER,
  source_document_id INTEGER REFERENCES documents(id),
  memo TEXT,
  reference TEXT,
  void_reason TEXT,
  created_by TEXT,
  approved_by TEXT,
  print_count INTEGER NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  version INTEGER NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX refunds_cheque_per_account ON refunds(refund_account, cheque_number)
  WHERE cheque_number IS NOT NULL;

CREATE TABLE refund_lines (
  id INTEGER PRIMARY KEY,
  refund_id INTEGER NOT NULL REFERENCES refunds(id) ON DELETE CASCADE,
  line_no INTEGER NOT NULL,
  description TEXT,
  amount INTEGER NOT NULL
);

CREATE TABLE outbox (
  id INTEGER PRIMARY KEY,
  to_address TEXT NOT NULL,
  subject TEXT NOT NULL,
  body TEXT NOT NULL,
  attachment_path TEXT,
  status TEXT NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'sent', 'failed')),
  attempts INTEGER NOT NULL DEFAULT 0,
  last_error TEXT,
  created_at TEXT NOT NULL,
  sent_at TEXT
);

CREATE TABLE communications (
  id INTEGER PRIMARY KEY,
  customer_id INTEGER NOT NULL REFERENCES customers(id),
  kind TEXT NOT NULL CHECK (kind IN ('email', 'portal_invitation', 'direct_debit_request', 'note')),
  subject TEXT,
  body TEXT,
  outbox_id INTEGER REFERENCES outbox(id),
  created_by TEXT,
  created_at TEXT NOT NULL
);

CREATE TABLE users (
  name TEXT PRIMARY KEY,
  role TEXT NOT NULL CHECK (role IN ('clerk', 'approver', 'admin')),
  created_at TEXT NOT NULL,
  created_by TEXT
) WITHOUT ROWID;

CREATE TABLE audit_log (
  id INTEGER PRIMARY KEY,
  at TEXT NOT NULL,
  user TEXT NOT NULL,
  table_name TEXT NOT NULL,
  record_key TEXT NOT NULL,
  action TEXT NOT NULL,
  changes TEXT NOT NULL DEFAULT '{}'
);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;

CREATE TABLE ui_settings (
  user TEXT NOT NULL,
  screen TEXT NOT NULL,
  name TEXT NOT NULL,
  value TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  PRIMARY KEY (user, screen, name)
) WITHOUT ROWID;

-- Quick search: a case- and accent-folded copy of the searched text, kept in sync by triggers.
-- Trigram answers "contains" for 3+ characters; the word index answers 1-2 character word starts.
CREATE VIEW customer_search_source AS
SELECT c.id AS id,
       xoro_fold(c.name) AS name,
       xoro_fold(c.email) AS email,
       xoro_fold(c.phone) AS phone,
       xoro_fold(c.type_name) AS type_name,
       xoro_fold((SELECT group_concat(s.postal_code, ' ') FROM sites s WHERE s.customer_id = c.id)) AS postal,
       xoro_fold(c.account_number || ' ' || coalesce(
         (SELECT group_concat(r.reference, ' ') FROM customer_references r WHERE r.customer_id = c.id), '')) AS refs
FROM customers c;

CREATE VIRTUAL TABLE customer_fts USING fts5(
  name, email, phone, type_name, postal, refs, tokenize = 'trigram');
CREATE VIRTUAL TABLE customer_words USING fts5(
  name, email, phone, type_name, postal, refs,
  content = '', tokenize = 'unicode61 remove_diacritics 2', prefix = '1 2');
