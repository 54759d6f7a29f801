-- 020: the eligibility shown beside one case in the review screen.  The
-- client asked gb.explain(enterprise, 'demo_suzhou', year) there, whose
-- "one open case per level" rule counts the case under review itself, so
-- every 示范 case read "✗ 已有苏州市级示范案件" about itself.
-- gb.explain_case(kind, case_id) gives the rules of the case's own next
-- step: for 贯标 those of explain (application before enrolment, acceptance
-- after); for 示范 the level's rules with the case itself excluded, and its
-- application materials.
SET ROLE gb_owner;

CREATE FUNCTION gb.explain_case(kind text, case_id bigint)
RETURNS TABLE (rule text, ok boolean, reason text)
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, gb, pg_temp
AS $$
DECLARE
	g gb.gb_case;
	d gb.demo_case;
	e gb.enterprise;
BEGIN
	PERFORM gb.require_officer();
	IF kind = 'gb' THEN
		SELECT * INTO g FROM gb.gb_case x WHERE x.id = case_id;
		IF NOT FOUND THEN
			PERFORM gb.raise_not_found('贯标案件', case_id);
		END IF;
		RETURN QUERY SELECT * FROM gb.explain(g.enterprise_id,
			CASE WHEN g.state IN ('draft', 'applied', 'submitted') THEN 'gb_apply'
			     ELSE 'gb_acceptance' END, g.year);
	ELSIF kind = 'demo' THEN
		SELECT * INTO d FROM gb.demo_case x WHERE x.id = case_id;
		IF NOT FOUND THEN
			PERFORM gb.raise_not_found('示范案件', case_id);
		END IF;
		SELECT * INTO e FROM gb.enterprise x WHERE x.id = d.enterprise_id;
		RETURN QUERY SELECT * FROM gb.rules_demo(e, d.level, gb.programme(d.year), d.id);
		RETURN QUERY SELECT * FROM gb.rules_materials('demo', d.id, '申报');
	ELSE
		RAISE EXCEPTION USING ERRCODE = 'GB006',
			MESSAGE = format('未知的案件类别 %s', kind), HINT = '类别应为 gb 或 demo';
	END IF;
END $$;

RESET ROLE;
