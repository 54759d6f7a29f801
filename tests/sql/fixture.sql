-- Helpers of the workflow tests (run as the superuser): an eligible
-- enterprise in 张浦镇, and cases put directly into a state with everything
-- their next step needs.  Needs the 2020 programme and the agency 甲机构.
CREATE FUNCTION public.t_enterprise(n int) RETURNS bigint LANGUAGE sql AS $$
	INSERT INTO gb.enterprise (uscc, name, district_id, industry, above_scale, established_on,
		independent_legal_person)
	VALUES (gb.sample_uscc(5000 + n), '测试企业' || n, (SELECT id FROM gb.district WHERE name = '张浦镇'),
		'制造业', true, current_date - 3650, true)
	RETURNING id $$;
-- Everything a 贯标 case may need: contract, checklist, trainings,
-- materials, a fresh credit report, a passing score.
CREATE FUNCTION public.t_gb_ready(eid bigint) RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE c bigint;
BEGIN
	INSERT INTO gb.contract (agency_id, enterprise_id, kind, year, signed_on, starts_on)
	VALUES ((SELECT id FROM gb.agency WHERE name = '甲机构'), eid, 'gb_consult', 2020, current_date - 100, current_date - 100);
	INSERT INTO gb.gb_case (enterprise_id, year, state, management_committed, working_group_formed,
		work_plan_done, dedicated_staff, department_defined, internal_evaluation_done, acceptance_score)
	VALUES (eid, 2020, 'draft', true, true, true, '王五', true, true, 700) RETURNING id INTO c;
	INSERT INTO gb.training (gb_case_id, held_on, topic) VALUES (c, current_date - 50, '一'), (c, current_date - 20, '二');
	INSERT INTO gb.material (programme, gb_case_id, kind, status, received_on)
	SELECT 'gb', c, code, 'received', current_date - 5 FROM gb.material_kind WHERE programme = 'gb';
	INSERT INTO gb.credit_check (enterprise_id, stage, issued_on, source)
	VALUES (eid, 'gb_acceptance', current_date - 10, '江苏省公共信用信息中心');
	RETURN c;
END $$;
-- A 示范 case: 贯标 passed two years ago, a filed coaching contract started
-- seven months ago, every application material, a passing score, publicity
-- over.
CREATE FUNCTION public.t_demo_ready(eid bigint, lv text) RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE c bigint;
BEGIN
	IF lv = 'suzhou' THEN
		INSERT INTO gb.gb_case (enterprise_id, year, state, passed_on, last_action)
		VALUES (eid, 2020, 'passed', current_date - 730, 'pass');
	ELSE
		INSERT INTO gb.demo_case (enterprise_id, level, year, state, designated_on)
		VALUES (eid, 'suzhou', 2018, 'designated', date '2018-10-20');
	END IF;
	INSERT INTO gb.contract (agency_id, enterprise_id, kind, year, signed_on, starts_on, filed_on)
	VALUES ((SELECT id FROM gb.agency WHERE name = '甲机构'), eid, 'demo_coaching', 2020,
		current_date - 220, current_date - 215, current_date - 210);
	INSERT INTO gb.demo_case (enterprise_id, level, year, state, evaluation_score, publicity_from, publicity_to)
	VALUES (eid, lv, 2020, 'nominated', 900, current_date - 10, current_date - 3) RETURNING id INTO c;
	INSERT INTO gb.material (programme, demo_case_id, kind, status, received_on)
	SELECT 'demo', c, code, 'received', current_date - 5 FROM gb.material_kind WHERE programme = 'demo';
	RETURN c;
END $$;
GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA public TO PUBLIC;
