-- 023: the match of gb.enterprise_search (013) for one row, so that the
-- client can read its list in order and test each row: a term found in
-- most enterprises (有限公司) meets a match within the first rows, where
-- collecting every match through the trigram indexes first took seconds
-- at 1,000,000 rows.  Same rule as the function: name, main products or
-- contact contain term (case-insensitive, % _ \ match themselves), or the
-- USCC equals it (any case, spaces around ignored).  Inlined by the
-- planner (SQL, immutable); it reads only its arguments, so it runs after
-- the row policy like any other condition on the officer's rows.
SET ROLE gb_owner;

-- term as an ILIKE pattern matching it anywhere, with \ % _ escaped (as
-- gb.enterprise_search builds its own).
CREATE FUNCTION gb.search_pattern(term text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$ SELECT '%' || replace(replace(replace(term, '\', '\\'), '%', '\%'), '_', '\_') || '%' $$;

CREATE FUNCTION gb.enterprise_match(name text, main_products text, contact_name text,
				    uscc text, term text) RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$ SELECT coalesce(name ILIKE gb.search_pattern(term)
	OR main_products ILIKE gb.search_pattern(term)
	OR contact_name ILIKE gb.search_pattern(term)
	OR uscc = upper(btrim(term)), false) $$;

RESET ROLE;
