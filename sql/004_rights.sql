-- 004: who may do what (DOMAIN.md §2, RELIABILITY.md §2).  Privileges say
-- which commands and columns a group role may use at all; row-level
-- security, forced on every table and keyed on session_user through
-- gb.officer (gb.my_role(), gb.my_district(), gb.my_agency()), says on
-- which rows.  Workflow state changes only through the action functions.
SET ROLE gb_owner;

GRANT SELECT ON ALL TABLES IN SCHEMA gb TO gb_city, gb_district, gb_agency, gb_observer;

-- city: everything except cases (actions) and history.
GRANT INSERT, UPDATE, DELETE ON gb.programme_year, gb.deadline, gb.district, gb.district_year,
	gb.agency, gb.agency_staff, gb.officer, gb.enterprise, gb.contract, gb.visit,
	gb.credit_check, gb.training, gb.material, gb.evaluation, gb.evaluation_score,
	gb.demo_event, gb.reward TO gb_city;
GRANT UPDATE (management_committed, working_group_formed, work_plan_done, dedicated_staff,
	department_defined, internal_evaluation_done, acceptance_score, opinion, note)
	ON gb.gb_case TO gb_city;
GRANT UPDATE (evaluation_score, designation_doc_no, rectify_by, note) ON gb.demo_case TO gb_city;

-- district: own enterprises, credit checks and materials; the district
-- contacts; the commitment flag of its applications.
GRANT INSERT, UPDATE ON gb.enterprise, gb.credit_check, gb.material TO gb_district;
GRANT UPDATE (head_name, head_phone) ON gb.district_year TO gb_district;
GRANT UPDATE (management_committed, note) ON gb.gb_case TO gb_district;
GRANT UPDATE (note) ON gb.demo_case TO gb_district;

-- agency: checklist, trainings, visits, materials, self-evaluation, staff.
GRANT UPDATE (working_group_formed, work_plan_done, dedicated_staff, department_defined,
	internal_evaluation_done, note) ON gb.gb_case TO gb_agency;
GRANT INSERT, UPDATE, DELETE ON gb.training TO gb_agency;
GRANT INSERT, UPDATE ON gb.visit, gb.material, gb.evaluation, gb.agency_staff TO gb_agency;
GRANT INSERT ON gb.evaluation_score TO gb_agency;
GRANT UPDATE (self_score, self_finding) ON gb.evaluation_score TO gb_agency;

-- History: officers read what their rights allow, nobody writes directly.
REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON gb.history FROM PUBLIC, gb_city, gb_district,
	gb_agency, gb_observer;

-- The aggregate views read everything but show only counts.
GRANT SELECT ON gb.enterprise, gb.gb_case, gb.demo_case, gb.district, gb.district_year,
	gb.programme_year, gb.deadline, gb.wf_transition, gb.wf_state, gb.wf_action,
	gb.agency_access TO gb_stats;

-- Row policies.  @R, @D, @A: the role, district and agency of session_user,
-- each computed once per statement (the sub-selects become InitPlans); @T
-- the table itself.
CREATE FUNCTION pg_temp.expand(expr text, tbl text) RETURNS text
LANGUAGE sql AS $$
	SELECT replace(replace(replace(replace(expr, '@R', '(SELECT gb.my_role())'),
		'@D', '(SELECT gb.my_district())'), '@A', '(SELECT gb.my_agency())'), '@T', 'gb.' || tbl)
$$;

CREATE FUNCTION pg_temp.policies(tbl text, read_expr text, write_expr text) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
	r text := pg_temp.expand(read_expr, tbl);
	w text := pg_temp.expand(write_expr, tbl);
BEGIN
	EXECUTE format('ALTER TABLE gb.%I ENABLE ROW LEVEL SECURITY', tbl);
	EXECUTE format('ALTER TABLE gb.%I FORCE ROW LEVEL SECURITY', tbl);
	EXECUTE format('CREATE POLICY officer_read ON gb.%I FOR SELECT USING (%s)', tbl, r);
	EXECUTE format('CREATE POLICY officer_insert ON gb.%I FOR INSERT WITH CHECK (%s)', tbl, w);
	EXECUTE format('CREATE POLICY officer_update ON gb.%I FOR UPDATE USING (%s) WITH CHECK (%s)', tbl, w, w);
	EXECUTE format('CREATE POLICY officer_delete ON gb.%I FOR DELETE USING (%s)', tbl, w);
END $$;

-- Reference data: read by all, changed only by migrations and admin.
SELECT pg_temp.policies(t, 'true', 'false')
FROM unnest(ARRAY['field_label', 'wf_state', 'wf_action', 'wf_transition', 'material_kind',
		  'indicator_version', 'indicator']) t;
-- Directory and programme: read by all, changed by the city.
SELECT pg_temp.policies(t, 'true', $$@R = 'city'$$)
FROM unnest(ARRAY['programme_year', 'deadline', 'district', 'agency', 'officer']) t;
SELECT pg_temp.policies('district_year', 'true',
	$$@R = 'city' OR (@R = 'district' AND district_id = @D)$$);
SELECT pg_temp.policies('agency_staff', 'true',
	$$@R = 'city' OR (@R = 'agency' AND agency_id = @A)$$);

SELECT pg_temp.policies('enterprise',
	$$@R IN ('city', 'observer') OR district_id = @D
	  OR id IN (SELECT x.enterprise_id FROM gb.agency_access x WHERE x.agency_id = @A)$$,
	$$@R = 'city' OR (@R = 'district' AND district_id = @D)$$);
-- Not through gb.enterprise: its policy reads this table.
SELECT pg_temp.policies('agency_access',
	$$@R IN ('city', 'observer') OR agency_id = @A$$,
	$$@R = 'city'$$);
SELECT pg_temp.policies('contract',
	$$@R IN ('city', 'observer') OR agency_id = @A
	  OR EXISTS (SELECT 1 FROM gb.enterprise e WHERE e.id = enterprise_id AND e.district_id = @D)$$,
	$$@R = 'city'$$);
SELECT pg_temp.policies('visit',
	$$@R IN ('city', 'observer') OR EXISTS (SELECT 1 FROM gb.enterprise e WHERE e.id = enterprise_id)$$,
	$$@R = 'city' OR (@R = 'agency' AND EXISTS (SELECT 1 FROM gb.contract c
		WHERE c.id = contract_id AND c.agency_id = @A AND c.enterprise_id = visit.enterprise_id))$$);
SELECT pg_temp.policies('credit_check',
	$$@R IN ('city', 'observer') OR EXISTS (SELECT 1 FROM gb.enterprise e WHERE e.id = enterprise_id)$$,
	$$@R = 'city' OR (@R = 'district' AND EXISTS (SELECT 1 FROM gb.enterprise e
		WHERE e.id = enterprise_id AND e.district_id = @D))$$);
SELECT pg_temp.policies('reward',
	$$@R IN ('city', 'observer') OR EXISTS (SELECT 1 FROM gb.enterprise e WHERE e.id = enterprise_id)$$,
	$$@R = 'city'$$);
-- Cases: the district of the enterprise, or the agency holding a contract.
SELECT pg_temp.policies(t,
	$$@R IN ('city', 'observer') OR EXISTS (SELECT 1 FROM gb.enterprise e WHERE e.id = enterprise_id)$$,
	$$@R = 'city'
	  OR (@R = 'district' AND EXISTS (SELECT 1 FROM gb.enterprise e WHERE e.id = enterprise_id AND e.district_id = @D))
	  OR (@R = 'agency' AND EXISTS (SELECT 1 FROM gb.agency_access x WHERE x.enterprise_id = @T.enterprise_id AND x.agency_id = @A))$$)
FROM unnest(ARRAY['gb_case', 'demo_case']) t;
SELECT pg_temp.policies('training',
	$$@R IN ('city', 'observer') OR EXISTS (SELECT 1 FROM gb.gb_case c WHERE c.id = gb_case_id)$$,
	$$@R = 'city' OR (@R = 'agency' AND EXISTS (SELECT 1 FROM gb.gb_case c JOIN gb.agency_access x
		ON x.enterprise_id = c.enterprise_id WHERE c.id = gb_case_id AND x.agency_id = @A))$$);
SELECT pg_temp.policies('material',
	$$@R IN ('city', 'observer') OR EXISTS (SELECT 1 FROM gb.gb_case c WHERE c.id = gb_case_id)
	  OR EXISTS (SELECT 1 FROM gb.demo_case c WHERE c.id = demo_case_id)$$,
	$$@R = 'city'
	  OR (@R = 'district' AND EXISTS (SELECT 1 FROM gb.enterprise e
		WHERE e.district_id = @D AND e.id IN (SELECT c.enterprise_id FROM gb.gb_case c WHERE c.id = gb_case_id
						     UNION ALL SELECT c.enterprise_id FROM gb.demo_case c WHERE c.id = demo_case_id)))
	  OR (@R = 'agency' AND EXISTS (SELECT 1 FROM gb.agency_access x
		WHERE x.agency_id = @A AND x.enterprise_id IN (SELECT c.enterprise_id FROM gb.gb_case c WHERE c.id = gb_case_id
						     UNION ALL SELECT c.enterprise_id FROM gb.demo_case c WHERE c.id = demo_case_id)))$$);
SELECT pg_temp.policies('evaluation',
	$$@R IN ('city', 'observer') OR EXISTS (SELECT 1 FROM gb.gb_case c WHERE c.id = gb_case_id)
	  OR EXISTS (SELECT 1 FROM gb.demo_case c WHERE c.id = demo_case_id)$$,
	$$@R = 'city' OR (@R = 'agency' AND EXISTS (SELECT 1 FROM gb.agency_access x
		WHERE x.agency_id = @A AND x.enterprise_id IN (SELECT c.enterprise_id FROM gb.gb_case c WHERE c.id = gb_case_id
						     UNION ALL SELECT c.enterprise_id FROM gb.demo_case c WHERE c.id = demo_case_id)))$$);
SELECT pg_temp.policies('evaluation_score',
	$$@R IN ('city', 'observer') OR EXISTS (SELECT 1 FROM gb.evaluation v WHERE v.id = evaluation_id)$$,
	$$@R = 'city' OR (@R = 'agency' AND EXISTS (SELECT 1 FROM gb.evaluation v
		JOIN gb.agency_access x ON x.agency_id = @A
		 AND x.enterprise_id IN (SELECT c.enterprise_id FROM gb.gb_case c WHERE c.id = v.gb_case_id
					 UNION ALL SELECT c.enterprise_id FROM gb.demo_case c WHERE c.id = v.demo_case_id)
		WHERE v.id = evaluation_id))$$);
SELECT pg_temp.policies('demo_event',
	$$@R IN ('city', 'observer') OR EXISTS (SELECT 1 FROM gb.demo_case c WHERE c.id = demo_case_id)$$,
	$$@R = 'city'$$);
-- History: inserted only by the trigger (as gb_owner) in the name of the
-- login that made the change.
SELECT pg_temp.policies('history',
	$$@R IN ('city', 'observer') OR district_id = @D
	  OR enterprise_id IN (SELECT x.enterprise_id FROM gb.agency_access x WHERE x.agency_id = @A)$$,
	$$login = session_user$$);

-- gb_stats (owner of the aggregate views, no members, cannot log in).
CREATE POLICY stats_read ON gb.enterprise FOR SELECT TO gb_stats USING (true);
CREATE POLICY stats_read ON gb.gb_case FOR SELECT TO gb_stats USING (true);
CREATE POLICY stats_read ON gb.demo_case FOR SELECT TO gb_stats USING (true);

-- Interface functions officers call; the rest are internal.
REVOKE EXECUTE ON FUNCTION gb.check_gb_quota(int, int, bigint, text),
	gb.check_demo_quota(text, int, bigint, text) FROM PUBLIC;

RESET ROLE;
