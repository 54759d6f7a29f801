-- 013: substring search of enterprises by the trigram indexes under RLS.
-- ILIKE is not leakproof, so through the row policy the planner must check
-- visibility first and cannot use the trigram indexes (a full scan at 1M
-- rows).  gb.enterprise_search finds candidates by the indexes as the
-- NOLOGIN role gb_search (BYPASSRLS, nobody is a member) and keeps only the
-- rows the caller may read, by the same predicate the row policy uses:
-- gb.enterprise_visible, which officer_read on gb.enterprise now calls.

DO $$
BEGIN
	IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'gb_search') THEN
		CREATE ROLE gb_search NOLOGIN NOSUPERUSER BYPASSRLS;
	END IF;
END $$;

SET ROLE gb_owner;

-- Who may read an enterprise (DOMAIN.md §2): city and observer all, a
-- district its own, an agency those it holds a contract with.  The facts
-- come from the caller (a policy computes them once per statement);
-- inlined by the planner (SQL, no sub-query, each argument used once).
CREATE FUNCTION gb.enterprise_visible(my_role text, my_district int, e_district int,
				      agency_holds boolean) RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$ SELECT my_role IN ('city', 'observer') OR e_district = my_district OR agency_holds $$;

ALTER POLICY officer_read ON gb.enterprise USING (
	gb.enterprise_visible((SELECT gb.my_role()), (SELECT gb.my_district()), district_id,
		id IN (SELECT x.enterprise_id FROM gb.agency_access x WHERE x.agency_id = (SELECT gb.my_agency())))
	OR (SELECT gb.session_is_superuser()));

RESET ROLE;

-- Enterprises whose name, main products or contact contain term (case
-- insensitive, no wildcards: % and _ match themselves), or whose USCC is
-- term, that the caller may read; keyset paging in (name, id) order after
-- (after_name, after_id) when given, or with backward in descending order
-- before it.  GB001 for a login that is not an officer.
CREATE FUNCTION gb.enterprise_search(term text, after_name text DEFAULT NULL,
				     after_id bigint DEFAULT NULL, lim int DEFAULT 100,
				     backward boolean DEFAULT false)
RETURNS TABLE(id bigint, name text)
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = pg_catalog, gb, pg_temp
AS $$
DECLARE
	r constant text := gb.my_role();
	d constant int := gb.my_district();
	a constant bigint := gb.my_agency();
	pat constant text := '%' || replace(replace(replace(term, '\', '\\'), '%', '\%'), '_', '\_') || '%';
BEGIN
	IF r IS NULL THEN
		PERFORM gb.require_officer();
	END IF;
	RETURN QUERY
	SELECT e.id, e.name FROM gb.enterprise e
	WHERE (e.name ILIKE pat OR e.main_products ILIKE pat OR e.contact_name ILIKE pat
	       OR e.uscc = upper(btrim(term)))
	  AND (after_name IS NULL OR CASE WHEN backward THEN (e.name, e.id) < (after_name, coalesce(after_id, 0))
					  ELSE (e.name, e.id) > (after_name, coalesce(after_id, 0)) END)
	  AND gb.enterprise_visible(r, d, e.district_id,
		e.id IN (SELECT x.enterprise_id FROM gb.agency_access x WHERE x.agency_id = a))
	ORDER BY CASE WHEN backward THEN e.name END DESC, CASE WHEN backward THEN e.id END DESC, e.name, e.id
	LIMIT greatest(coalesce(lim, 100), 0);
END $$;

ALTER FUNCTION gb.enterprise_search(text, text, bigint, int, boolean) OWNER TO gb_search;
GRANT SELECT ON gb.enterprise, gb.agency_access TO gb_search;
REVOKE EXECUTE ON FUNCTION gb.enterprise_search(text, text, bigint, int, boolean) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION gb.enterprise_search(text, text, bigint, int, boolean)
	TO gb_city, gb_district, gb_agency, gb_observer;
