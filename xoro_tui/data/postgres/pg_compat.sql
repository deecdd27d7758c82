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

-- printf(format, …) for the shapes the repositories and the schema use: %d, %s, %%, with a
-- width and a zero flag ('%020d%019d', '%04d-%02d-01', '%02d/%04d'); NULL prints as 0 for %d
-- and as nothing for %s, as in SQLite
CREATE OR REPLACE FUNCTION xoro_printf(fmt text, args text[]) RETURNS text
  LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
DECLARE
  out text := '';
  rest text := fmt;
  spec text[];
  at integer;
  n integer := 0;
  v text;
  width integer;
  sign text;
BEGIN
  IF fmt IS NULL THEN
    RETURN NULL;
  END IF;
  LOOP
    at := strpos(rest, '%');
    IF at = 0 THEN
      RETURN out || rest;
    END IF;
    out := out || left(rest, at - 1);
    rest := substr(rest, at);
    spec := regexp_match(rest, '^%(-?)(0?)(\d*)([ds%])');
    IF spec IS NULL THEN
      out := out || '%';
      rest := substr(rest, 2);
      CONTINUE;
    END IF;
    rest := substr(rest, length(spec[1] || spec[2] || spec[3]) + 3);
    IF spec[4] = '%' THEN
      out := out || '%';
      CONTINUE;
    END IF;
    n := n + 1;
    v := args[n];
    IF spec[4] = 'd' THEN
      v := coalesce(trunc(v::numeric)::bigint::text, '0');
    ELSE
      v := coalesce(v, '');
    END IF;
    width := coalesce(nullif(spec[3], '')::integer, 0);
    IF spec[1] = '-' THEN
      v := rpad(v, greatest(width, length(v)));
    ELSIF spec[2] = '0' AND spec[4] = 'd' THEN
      sign := CASE WHEN left(v, 1) = '-' THEN '-' ELSE '' END;
      v := sign || lpad(ltrim(v, '-'), greatest(width - length(sign), length(ltrim(v, '-'))), '0');
    ELSE
      v := lpad(v, greatest(width, length(v)));
    END IF;
    out := out || v;
  END LOOP;
END $$;
CREATE OR REPLACE FUNCTION printf(fmt text, a bigint) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT xoro_printf(fmt, ARRAY[a::text]) $$;
CREATE OR REPLACE FUNCTION printf(fmt text, a bigint, b bigint) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT xoro_printf(fmt, ARRAY[a::text, b::text]) $$;

-- SQLite's date(value, modifier, …): 'now' (UTC), 'localtime', 'utc', 'start of month',
-- 'start of year', 'start of day' and '±N days|hours|minutes|seconds|months|years'; months
-- and years move the month and keep the day, an overflow running into the next month
-- ('2021-01-31', '+1 month' is 2021-03-03), as SQLite's; NULL for a bad value or modifier.
-- date(x) with one argument stays PostgreSQL's cast.
CREATE OR REPLACE FUNCTION date(value text, VARIADIC modifiers text[]) RETURNS text
  LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
DECLARE
  t timestamp;
  m text;
  step text[];
  offset_in_month interval;
BEGIN
  IF value IS NULL THEN
    RETURN NULL;
  END IF;
  IF lower(trim(value)) = 'now' THEN
    t := now() AT TIME ZONE 'UTC';
  ELSE
    BEGIN
      t := trim(value)::timestamp;
    EXCEPTION WHEN others THEN
      RETURN NULL;
    END;
  END IF;
  FOREACH m IN ARRAY modifiers LOOP
    m := lower(trim(m));
    IF m IS NULL THEN
      RETURN NULL;
    ELSIF m = 'localtime' THEN
      t := (t AT TIME ZONE 'UTC')::timestamp;
    ELSIF m = 'utc' THEN
      t := t::timestamptz AT TIME ZONE 'UTC';
    ELSIF m = 'start of month' THEN
      t := date_trunc('month', t);
    ELSIF m = 'start of year' THEN
      t := date_trunc('year', t);
    ELSIF m = 'start of day' THEN
      t := date_trunc('day', t);
    ELSE
      step := regexp_match(m, '^([+-]?\d+(?:\.\d+)?)\s*(day|hour|minute|second|month|year)s?$');
      IF step IS NULL THEN
        RETURN NULL;
      END IF;
      IF step[2] IN ('month', 'year') THEN
        offset_in_month := t - date_trunc('month', t);
        t := date_trunc('month', t) + (step[1] || ' ' || step[2])::interval + offset_in_month;
      ELSE
        t := t + (step[1] || ' ' || step[2])::interval;
      END IF;
    END IF;
  END LOOP;
  RETURN to_char(t, 'YYYY-MM-DD');
END $$;

-- SQLite's JSON builders, writing the same compact text as SQLite ('[1,"x"]', '{"k":[1,2]}');
-- of type json, so that one nested in another is kept as JSON, as SQLite's JSON subtype is
-- (a json value is read back as its text: pg_connection.py)
CREATE OR REPLACE FUNCTION xoro_json_value(value anyelement) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT coalesce(to_json(value)::text, 'null') $$;
CREATE OR REPLACE FUNCTION json_array(a anycompatible) RETURNS json
  LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT ('[' || xoro_json_value(a) || ']')::json $$;
CREATE OR REPLACE FUNCTION json_array(a anycompatible, b anycompatible) RETURNS json
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT ('[' || xoro_json_value(a) || ',' || xoro_json_value(b) || ']')::json $$;
CREATE OR REPLACE FUNCTION json_object(key text, value anyelement) RETURNS json
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT ('{' || to_json(key)::text || ':' || xoro_json_value(value) || '}')::json $$;
CREATE OR REPLACE FUNCTION xoro_json_group_step(acc text[], value anyelement) RETURNS text[]
  LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT array_append(acc, xoro_json_value(value)) $$;
CREATE OR REPLACE FUNCTION xoro_json_group_final(acc text[]) RETURNS json
  LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT ('[' || array_to_string(acc, ',') || ']')::json $$;
CREATE OR REPLACE AGGREGATE json_group_array(anyelement) (
  sfunc = xoro_json_group_step, stype = text[], finalfunc = xoro_json_group_final, initcond = '{}');

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

-- ``a = b COLLATE NOCASE`` (translated ``a = b::citext``) with ``a`` plain text: compared case
-- aside, as SQLite's collation applies to the whole comparison (PostgreSQL would otherwise
-- read citext as text and compare case and all)
CREATE OR REPLACE FUNCTION xoro_text_cmp_citext(a text, b citext) RETURNS integer
  LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT AS $$ SELECT citext_cmp(a::citext, b) $$;
CREATE OR REPLACE FUNCTION xoro_citext_cmp_text(a citext, b text) RETURNS integer
  LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT AS $$ SELECT citext_cmp(a, b::citext) $$;
CREATE OR REPLACE FUNCTION xoro_eq(a text, b citext) RETURNS boolean
  LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT AS $$ SELECT xoro_text_cmp_citext(a, b) = 0 $$;
CREATE OR REPLACE FUNCTION xoro_ne(a text, b citext) RETURNS boolean
  LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT AS $$ SELECT xoro_text_cmp_citext(a, b) <> 0 $$;
CREATE OR REPLACE FUNCTION xoro_lt(a text, b citext) RETURNS boolean
  LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT AS $$ SELECT xoro_text_cmp_citext(a, b) < 0 $$;
CREATE OR REPLACE FUNCTION xoro_le(a text, b citext) RETURNS boolean
  LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT AS $$ SELECT xoro_text_cmp_citext(a, b) <= 0 $$;
CREATE OR REPLACE FUNCTION xoro_gt(a text, b citext) RETURNS boolean
  LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT AS $$ SELECT xoro_text_cmp_citext(a, b) > 0 $$;
CREATE OR REPLACE FUNCTION xoro_ge(a text, b citext) RETURNS boolean
  LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT AS $$ SELECT xoro_text_cmp_citext(a, b) >= 0 $$;
CREATE OR REPLACE FUNCTION xoro_eq(a citext, b text) RETURNS boolean
  LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT AS $$ SELECT xoro_citext_cmp_text(a, b) = 0 $$;
CREATE OR REPLACE FUNCTION xoro_ne(a citext, b text) RETURNS boolean
  LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT AS $$ SELECT xoro_citext_cmp_text(a, b) <> 0 $$;
CREATE OR REPLACE FUNCTION xoro_lt(a citext, b text) RETURNS boolean
  LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT AS $$ SELECT xoro_citext_cmp_text(a, b) < 0 $$;
CREATE OR REPLACE FUNCTION xoro_le(a citext, b text) RETURNS boolean
  LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT AS $$ SELECT xoro_citext_cmp_text(a, b) <= 0 $$;
CREATE OR REPLACE FUNCTION xoro_gt(a citext, b text) RETURNS boolean
  LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT AS $$ SELECT xoro_citext_cmp_text(a, b) > 0 $$;
CREATE OR REPLACE FUNCTION xoro_ge(a citext, b text) RETURNS boolean
  LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT AS $$ SELECT xoro_citext_cmp_text(a, b) >= 0 $$;
CREATE OPERATOR = (LEFTARG = text, RIGHTARG = citext, FUNCTION = xoro_eq, COMMUTATOR = =, NEGATOR = <>);
CREATE OPERATOR <> (LEFTARG = text, RIGHTARG = citext, FUNCTION = xoro_ne, COMMUTATOR = <>, NEGATOR = =);
CREATE OPERATOR < (LEFTARG = text, RIGHTARG = citext, FUNCTION = xoro_lt, COMMUTATOR = >, NEGATOR = >=);
CREATE OPERATOR <= (LEFTARG = text, RIGHTARG = citext, FUNCTION = xoro_le, COMMUTATOR = >=, NEGATOR = >);
CREATE OPERATOR > (LEFTARG = text, RIGHTARG = citext, FUNCTION = xoro_gt, COMMUTATOR = <, NEGATOR = <=);
CREATE OPERATOR >= (LEFTARG = text, RIGHTARG = citext, FUNCTION = xoro_ge, COMMUTATOR = <=, NEGATOR = <);
CREATE OPERATOR = (LEFTARG = citext, RIGHTARG = text, FUNCTION = xoro_eq, COMMUTATOR = =, NEGATOR = <>);
CREATE OPERATOR <> (LEFTARG = citext, RIGHTARG = text, FUNCTION = xoro_ne, COMMUTATOR = <>, NEGATOR = =);
CREATE OPERATOR < (LEFTARG = citext, RIGHTARG = text, FUNCTION = xoro_lt, COMMUTATOR = >, NEGATOR = >=);
CREATE OPERATOR <= (LEFTARG = citext, RIGHTARG = text, FUNCTION = xoro_le, COMMUTATOR = >=, NEGATOR = >);
CREATE OPERATOR > (LEFTARG = citext, RIGHTARG = text, FUNCTION = xoro_gt, COMMUTATOR = <, NEGATOR = <=);
CREATE OPERATOR >= (LEFTARG = citext, RIGHTARG = text, FUNCTION = xoro_ge, COMMUTATOR = <=, NEGATOR = <);
