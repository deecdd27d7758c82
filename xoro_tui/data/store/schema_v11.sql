-- Migration 11: every text column a customer can be found by (see search/search_sync.py).
-- The phone column holds the number as written and, after a space, without separators
-- (spaces, dashes, brackets, dots, '+', '/'), so typed digits find it however it was written.
-- ``refs`` holds the references only; the account number has a column of its own.
CREATE VIEW customer_search_source AS
SELECT c.id AS id,
       xoro_fold(c.name) AS name,
       xoro_fold(c.email) AS email,
       CASE WHEN c.phone IS NULL THEN '' ELSE xoro_fold(c.phone) || ' ' ||
         replace(replace(replace(replace(replace(replace(replace(xoro_fold(c.phone), ' ', ''), '-', ''), '(', ''), ')', ''), '.', ''), '+', ''), '/', '') END AS phone,
       xoro_fold(c.type_name) AS type_name,
       xoro_fold((SELECT group_concat(s.postal_code, ' ') FROM sites s WHERE s.customer_id = c.id)) AS postal,
       xoro_fold((SELECT group_concat(r.reference, ' ') FROM customer_references r WHERE r.customer_id = c.id)) AS refs,
       xoro_fold(c.account_number) AS account,
       xoro_fold((SELECT group_concat(s.line1, ' ') FROM sites s WHERE s.customer_id = c.id)) AS ship_line1,
       xoro_fold((SELECT group_concat(s.city, ' ') FROM sites s WHERE s.customer_id = c.id)) AS ship_city,
       xoro_fold((SELECT group_concat(s.state, ' ') FROM sites s WHERE s.customer_id = c.id)) AS ship_state,
       xoro_fold((SELECT group_concat(s.country, ' ') FROM sites s WHERE s.customer_id = c.id)) AS ship_country,
       xoro_fold(c.bill_to_line1) AS bill_line1,
       xoro_fold(c.bill_to_city) AS bill_city,
       xoro_fold(c.bill_to_state) AS bill_state,
       xoro_fold(c.bill_to_postal_code) AS bill_postal,
       xoro_fold(c.bill_to_country) AS bill_country,
       xoro_fold(c.sales_rep) AS sales_rep,
       xoro_fold(c.payment_terms) AS payment_terms,
       xoro_fold(c.customer_group) AS customer_group,
       xoro_fold(c.order_type) AS order_type,
       xoro_fold(c.default_shipping_terms) AS shipping_terms,
       xoro_fold(c.default_payment_method) AS payment_method,
       xoro_fold((SELECT group_concat(t.tag, ' ') FROM customer_tags t WHERE t.customer_id = c.id)) AS tags,
       xoro_fold((SELECT group_concat(b.brand, ' ') FROM customer_brands b WHERE b.customer_id = c.id)) AS brands,
       xoro_fold(c.portal_status) AS portal_status,
       xoro_fold(c.portal_email) AS portal_email,
       xoro_fold(c.portal_email_status) AS portal_email_status,
       xoro_fold(c.mandate_status) AS mandate_status
FROM customers c;

CREATE VIRTUAL TABLE customer_fts USING fts5(
  name, email, phone, type_name, postal, refs, account, ship_line1, ship_city, ship_state, ship_country, bill_line1, bill_city, bill_state, bill_postal, bill_country, sales_rep, payment_terms, customer_group, order_type, shipping_terms, payment_method, tags, brands, portal_status, portal_email, portal_email_status, mandate_status,
  tokenize = 'trigram');
CREATE VIRTUAL TABLE customer_words USING fts5(
  name, email, phone, type_name, postal, refs, account, ship_line1, ship_city, ship_state, ship_country, bill_line1, bill_city, bill_state, bill_postal, bill_country, sales_rep, payment_terms, customer_group, order_type, shipping_terms, payment_method, tags, brands, portal_status, portal_email, portal_email_status, mandate_status,
  content = '', tokenize = 'unicode61 remove_diacritics 2', prefix = '1 2');
