-- SQLite's functions the repositories call, given to PostgreSQL under the same names and
-- meanings, so that one set of repositories runs on both engines (see pg_translate.py).
CREATE EXTENSION IF NOT EXISTS unaccent;
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE EXTENSION IF NOT EXISTS citext;

-- search folding: lower case, accents removed (Python's folding.fold on SQLite); immutable
-- so that trigram indexes may be built on it
CREATE OR REPLACE FUNCTION xoro_fold(value text) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
  AS $$ SELECT lower(public.unaccent('public.unaccent'::regdictionary, value)) $$;

CREATE OR REPLACE FUNCTION instr(haystack text, needle text) RETURNS integer
  LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT strpos(haystack, needle) $$;

CREATE OR REPLACE FUNCTION iif(condition boolean, a anycompatible, b anycompatible)
  RETURNS anycompatible LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT CASE WHEN condition THEN a ELSE b END $$;

CREATE OR REPLACE FUNCTION ifnull(a anycompatible, b anycompatible)
  RETURNS anycompatible LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT coalesce(a, b) $$;

-- SQLite's scalar max(a, b) and min(a, b): NULL if either is NULL, as in SQLite
CREATE OR REPLACE FUNCTION max(a anycompatible, b anycompatible)
  RETURNS anycompatible LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT AS $$ SELECT greatest(a, b) $$;
CREATE OR REPLACE FUNCTION min(a anycompatible, b anycompatible)
  RETURNS anycompatible LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT AS $$ SELECT least(a, b) $$;

CREATE OR REPLACE FUNCTION json_extract(document text, path text) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
  AS $$ SELECT jsonb_path_query_first(document::jsonb, path::jsonpath) #>> '{}' $$;

-- the one printf shape the schema uses: zero-padded integers ('%020d%019d')
CREATE OR REPLACE FUNCTION printf(fmt text, a bigint) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT lpad(a::text, substring(fmt from '%0(\d+)d')::int, '0') $$;
CREATE OR REPLACE FUNCTION printf(fmt text, a bigint, b bigint) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT lpad(a::text, (regexp_match(fmt, '%0(\d+)d%0(\d+)d'))[1]::int, '0')
            || lpad(b::text, (regexp_match(fmt, '%0(\d+)d%0(\d+)d'))[2]::int, '0') $$;

-- group_concat(x) and group_concat(x, separator)
CREATE OR REPLACE FUNCTION xoro_concat_step(acc text, value anyelement, sep text) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT CASE WHEN value IS NULL THEN acc WHEN acc IS NULL THEN value::text
                    ELSE acc || sep || value::text END $$;
CREATE OR REPLACE FUNCTION xoro_concat_step(acc text, value anyelement) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT xoro_concat_step(acc, value, ',') $$;
CREATE OR REPLACE AGGREGATE group_concat(anyelement, text) (sfunc = xoro_concat_step, stype = text);
CREATE OR REPLACE AGGREGATE group_concat(anyelement) (sfunc = xoro_concat_step, stype = text);

-- ``IN (SELECT value FROM json_each(?))``: the repositories pass a JSON list of row ids
CREATE OR REPLACE FUNCTION json_each(doc text) RETURNS TABLE(value bigint)
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT e::bigint FROM jsonb_array_elements_text(doc::jsonb) AS e $$;

-- ``sqlite_master``: which tables, indexes and triggers exist, asked as on SQLite (the
-- integrity check's protections, "is there a cheque register yet")
CREATE OR REPLACE VIEW sqlite_master AS
  SELECT 'table'::text AS type, c.relname::text AS name, c.relname::text AS tbl_name,
         0 AS rootpage, ('CREATE TABLE ' || c.relname)::text AS sql
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
   WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p')
  UNION ALL
  SELECT 'index', i.relname::text, t.relname::text, 0, pg_get_indexdef(i.oid)
    FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid
    JOIN pg_class t ON t.oid = x.indrelid JOIN pg_namespace n ON n.oid = t.relnamespace
   WHERE n.nspname = current_schema()
  UNION ALL
  SELECT 'trigger', g.tgname::text, t.relname::text, 0, pg_get_triggerdef(g.oid)
    FROM pg_trigger g JOIN pg_class t ON t.oid = g.tgrelid
    JOIN pg_namespace n ON n.oid = t.relnamespace
   WHERE NOT g.tgisinternal AND n.nspname = current_schema();

-- ``x GLOB pattern`` (rewritten to xoro_glob(x, pattern)): SQLite's case-sensitive glob
CREATE OR REPLACE FUNCTION xoro_glob(value text, pattern text) RETURNS boolean
  LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
  AS $$ SELECT value ~ ('^' || replace(replace(
           regexp_replace(pattern, '([.+(){}^$|\\])', '\\\1', 'g'), '*', '.*'), '?', '.') || '$') $$;

-- SQLite's typeof(): the storage class's name
CREATE OR REPLACE FUNCTION typeof(value anyelement) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT CASE WHEN value IS NULL THEN 'null'
    WHEN pg_typeof(value) IN ('bigint'::regtype, 'integer'::regtype, 'smallint'::regtype)
      THEN 'integer'
    WHEN pg_typeof(value) IN ('double precision'::regtype, 'real'::regtype, 'numeric'::regtype)
      THEN 'real'
    WHEN pg_typeof(value) = 'bytea'::regtype THEN 'blob' ELSE 'text' END $$;
