"""Any Field on PostgreSQL: each customer's search text, kept by triggers and indexed.

Testing the 26 search columns of every customer row by row (with each one's sites, tags,
references and brands) takes tens of seconds at a million customers, so a search as you
type in Any Field never comes back. SQLite keeps FTS5 tables for it; PostgreSQL keeps
``customer_search``: per customer, the folded texts of every search column
(``pg_search.CUSTOMER_COLUMNS``, the one list) joined by the unit separator (``chr(31)``),
which no typed term holds, so a term still matches inside one column as on SQLite. A
trigram index makes ``doc LIKE '%term%'`` an index scan.

Triggers keep it: a customer's row is written again when the customer or one of its
sites, tags, references or brands changes (a handful of index look-ups per save).
``copy`` sets them aside and fills the table in one statement at the end (:data:`FILL`).
"""

from __future__ import annotations

from xoro_tui.data.search.pg_search import CUSTOMER_COLUMNS
from xoro_tui.data.store.schema_info import SEARCH_TEXT_TABLES

TABLE = SEARCH_TEXT_TABLES[0]  # left out of redact, check and copy, as FTS5 tables are
#: the tables whose rows make up a customer's search text (by ``customer_id``)
CHILD_TABLES = ("sites", "customer_tags", "customer_references", "customer_brands")


def document_sql() -> str:
    """The search text of ``customers c`` (every search column, folded, separated)."""
    parts = [expr for exprs in CUSTOMER_COLUMNS.values() for expr in exprs]
    return f"concat_ws(chr(31), {', '.join(parts)})"


#: every customer's search text at once (after ``copy``'s load)
FILL = f"INSERT INTO {TABLE}(customer_id, doc) SELECT c.id, {document_sql()} FROM customers c"


def ddl() -> list[str]:
    """The table, its trigram index, and the triggers keeping it (PostgreSQL only)."""
    refresh = (
        f"INSERT INTO {TABLE}(customer_id, doc) SELECT c.id, {document_sql()} "
        f"FROM customers c WHERE c.id = customer "
        f"ON CONFLICT (customer_id) DO UPDATE SET doc = excluded.doc"
    )
    statements = [
        f"CREATE TABLE {TABLE} (customer_id BIGINT PRIMARY KEY "
        "REFERENCES customers(id) ON DELETE CASCADE, doc TEXT NOT NULL)",
        f"CREATE INDEX {TABLE}_trgm ON {TABLE} USING gin (doc gin_trgm_ops)",
        "CREATE OR REPLACE FUNCTION xoro_customer_search_refresh(customer bigint) "
        f"RETURNS void LANGUAGE sql AS $$ {refresh} $$",
        "CREATE OR REPLACE FUNCTION customer_search_customer_fn() RETURNS trigger "
        "LANGUAGE plpgsql AS $$\nBEGIN\n  PERFORM xoro_customer_search_refresh(NEW.id);\n"
        "  RETURN NULL;\nEND $$",
        "CREATE TRIGGER customer_search_customer AFTER INSERT OR UPDATE ON customers "
        "FOR EACH ROW EXECUTE FUNCTION customer_search_customer_fn()",
        "CREATE OR REPLACE FUNCTION customer_search_part_fn() RETURNS trigger "
        "LANGUAGE plpgsql AS $$\nBEGIN\n"
        "  IF TG_OP <> 'INSERT' THEN PERFORM xoro_customer_search_refresh(OLD.customer_id);"
        " END IF;\n"
        "  IF TG_OP = 'INSERT' OR (TG_OP = 'UPDATE' AND NEW.customer_id IS DISTINCT FROM "
        "OLD.customer_id) THEN\n"
        "    PERFORM xoro_customer_search_refresh(NEW.customer_id);\n  END IF;\n"
        "  RETURN NULL;\nEND $$",
    ]
    statements += [
        f"CREATE TRIGGER customer_search_{table} AFTER INSERT OR UPDATE OR DELETE ON {table} "
        "FOR EACH ROW EXECUTE FUNCTION customer_search_part_fn()"
        for table in CHILD_TABLES
    ]
    return statements
