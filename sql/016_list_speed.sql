-- 016: the client's enterprise list at a million rows.
--
-- gb.v_enterprise_year: the columns of gb.v_enterprise_list with the 贯标
-- stage of a chosen programme year (list_year) instead of the latest case:
-- the client asks WHERE list_year = $1.  One row per enterprise and year of
-- gb.programme_year (and the current calendar year, the client's default
-- when no programme is loaded); the case is a plain join on the unique
-- (enterprise_id, year), so a stage filter starts from gb_case_year_state.
--
-- Sorting: the client pages by (key, name, id) with one row comparison.
-- Indexes serve the keys it offers: name (enterprise_name_id), district
-- (enterprise_district_name on district_id), USCC (the unique index), and
-- sales and employees below.  The other columns (products, contact, phone;
-- stage, 示范 and agency, which come from other tables) are not offered for
-- sorting: without an index a sorted first page reads and sorts every
-- enterprise.
--
-- Under the row policy the planner uses a condition in an index scan only
-- when it is leakproof (it may not run before the policy otherwise).
-- COALESCE and numeric comparisons are not: so the employees key is a CASE
-- (int comparisons are leakproof), and the sales key is gb.sales_key, the
-- amount in fen as bigint, -1 for none: LEAKPROOF because it cannot fail
-- for any value a numeric(14,2) column holds (at most 10^14 fen).  It is
-- PL/pgSQL so that the planner does not inline it back into numeric
-- operators, and has no SET clause (it runs for every row written).  Only
-- a superuser may declare LEAKPROOF: it is created before SET ROLE and
-- stays the superuser's.
CREATE FUNCTION gb.sales_key(wan numeric) RETURNS bigint
LANGUAGE plpgsql IMMUTABLE LEAKPROOF PARALLEL SAFE
AS $$ BEGIN RETURN coalesce(round(wan * 100)::bigint, -1); END $$;
GRANT EXECUTE ON FUNCTION gb.sales_key(numeric) TO PUBLIC;

SET ROLE gb_owner;

-- Largest enterprises first (or last), by name within a value.
CREATE INDEX enterprise_sales_name ON gb.enterprise (gb.sales_key(sales_revenue_wan), name, id);
CREATE INDEX enterprise_employees_name ON gb.enterprise
	((CASE WHEN employees IS NULL THEN -1 ELSE employees END), name, id);
-- The list's 示范 column looks up an enterprise's cases (was a scan of demo_case).
CREATE INDEX demo_case_enterprise ON gb.demo_case (enterprise_id);

CREATE VIEW gb.v_enterprise_year AS
SELECT e.id, py.year AS list_year, e.uscc, e.name, e.district_id, d.name AS district_name,
       e.main_products, e.sales_revenue_wan, e.employees,
       g.state AS gb_state, gs.label AS gb_state_label,
       m.level AS demo_level, m.state AS demo_state, ms.label AS demo_state_label,
       ag.name AS agency_name, e.contact_name, e.contact_phone, e.version,
       g.id AS gb_case_id, m.id AS demo_case_id, e.industry, e.above_scale
FROM gb.enterprise e
CROSS JOIN (SELECT y.year FROM gb.programme_year y
	    UNION SELECT extract(year FROM now())::int) py
JOIN gb.district d ON d.id = e.district_id
LEFT JOIN gb.gb_case g ON g.enterprise_id = e.id AND g.year = py.year
LEFT JOIN gb.wf_state gs ON gs.kind = 'gb' AND gs.code = g.state
LEFT JOIN LATERAL (
	SELECT c.id, c.level, c.state FROM gb.demo_case c
	WHERE c.enterprise_id = e.id
	ORDER BY c.state NOT IN ('rejected', 'revoked', 'withdrawn') DESC,
		 c.level = 'province' DESC, c.year DESC, c.id DESC
	LIMIT 1) m ON true
LEFT JOIN gb.wf_state ms ON ms.kind = 'demo' AND ms.code = m.state
LEFT JOIN LATERAL (
	SELECT a.name FROM gb.contract k JOIN gb.agency a ON a.id = k.agency_id
	WHERE k.enterprise_id = e.id ORDER BY k.starts_on DESC, k.id DESC LIMIT 1) ag ON true;

GRANT SELECT ON gb.v_enterprise_year TO gb_city, gb_district, gb_agency, gb_observer;

RESET ROLE;
