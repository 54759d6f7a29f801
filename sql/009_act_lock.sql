-- 009: actions lock the case only after checking it is visible, so that
-- an officer who may see but not change it (an observer, a district for a
-- step that is the city's) gets GB003 naming who may, not GB002.  These
-- replace the 003 versions; the bodies are otherwise unchanged.
SET ROLE gb_owner;

CREATE OR REPLACE FUNCTION gb.gb_case_act(case_id bigint, expected_version int, action text,
			       note text DEFAULT NULL, override_reason text DEFAULT NULL)
RETURNS int
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, gb, pg_temp
AS $$
#variable_conflict use_variable
DECLARE
	r text := gb.require_officer();
	c gb.gb_case;
	locked gb.gb_case;
	t gb.wf_transition;
	ov text;
	newv int;
	today date := current_date;
BEGIN
	SELECT * INTO c FROM gb.gb_case WHERE id = case_id;
	IF NOT FOUND THEN
		PERFORM gb.raise_not_found('贯标案件', case_id);
	END IF;
	-- Lock (and re-read) when the officer may write the row; otherwise
	-- act_check refuses with GB003 below.
	SELECT * INTO locked FROM gb.gb_case WHERE id = case_id FOR UPDATE;
	IF FOUND THEN
		c := locked;
	END IF;
	t := gb.act_check('gb', 'gb_case', c.id, c.state, c.version, expected_version, action, note, override_reason, r);
	ov := gb.gb_action_rules(c, action, override_reason);
	UPDATE gb.gb_case g SET
		state = t.to_state,
		state_changed_at = now(),
		last_action = t.action,
		last_note = note,
		override_reason = coalesce(ov, g.override_reason),
		applied_on = CASE WHEN t.action = 'apply' THEN today ELSE g.applied_on END,
		submitted_on = CASE WHEN t.action = 'submit' THEN today ELSE g.submitted_on END,
		enrolled_on = CASE WHEN t.action = 'enrol' THEN today ELSE g.enrolled_on END,
		started_on = CASE WHEN t.action = 'start' THEN today ELSE g.started_on END,
		acceptance_requested_on = CASE WHEN t.action = 'request_acceptance' THEN today ELSE g.acceptance_requested_on END,
		decided_on = CASE WHEN t.action IN ('pass', 'fail', 'rectify') THEN today ELSE g.decided_on END,
		passed_on = CASE WHEN t.to_state = 'passed' THEN today ELSE g.passed_on END,
		acceptance_score = CASE WHEN t.action = 'pass' THEN gb.evaluation_total('gb', g.id, g.acceptance_score)
					ELSE g.acceptance_score END,
		opinion = CASE WHEN t.action IN ('pass', 'fail', 'rectify', 'return') AND note IS NOT NULL THEN note ELSE g.opinion END
	WHERE g.id = c.id AND g.version = expected_version
	RETURNING g.version INTO newv;
	IF newv IS NULL THEN
		RAISE EXCEPTION USING ERRCODE = 'GB003',
			MESSAGE = format('%s无权修改贯标案件 %s', gb.role_label(r), c.id);
	END IF;
	RETURN newv;
END $$;

CREATE OR REPLACE FUNCTION gb.demo_case_act(case_id bigint, expected_version int, action text,
				 note text DEFAULT NULL, override_reason text DEFAULT NULL)
RETURNS int
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, gb, pg_temp
AS $$
#variable_conflict use_variable
DECLARE
	r text := gb.require_officer();
	c gb.demo_case;
	locked gb.demo_case;
	t gb.wf_transition;
	ov text;
	newv int;
	today date := current_date;
	p gb.programme_year;
BEGIN
	SELECT * INTO c FROM gb.demo_case WHERE id = case_id;
	IF NOT FOUND THEN
		PERFORM gb.raise_not_found('示范案件', case_id);
	END IF;
	-- Lock (and re-read) when the officer may write the row; otherwise
	-- act_check refuses with GB003 below.
	SELECT * INTO locked FROM gb.demo_case WHERE id = case_id FOR UPDATE;
	IF FOUND THEN
		c := locked;
	END IF;
	t := gb.act_check('demo', 'demo_case', c.id, c.state, c.version, expected_version, action, note, override_reason, r);
	ov := gb.demo_action_rules(c, action, override_reason);
	p := gb.programme(c.year);
	UPDATE gb.demo_case d SET
		state = t.to_state,
		state_changed_at = now(),
		last_action = t.action,
		last_note = note,
		override_reason = coalesce(ov, d.override_reason),
		pre_approved_on = CASE WHEN t.action = 'pre_approve' THEN today ELSE d.pre_approved_on END,
		recommended_on = CASE WHEN t.action = 'recommend' THEN today ELSE d.recommended_on END,
		coaching_started_on = CASE WHEN t.action = 'start_coaching' THEN today ELSE d.coaching_started_on END,
		evaluated_on = CASE WHEN t.action = 'evaluate' THEN today ELSE d.evaluated_on END,
		evaluation_score = CASE WHEN t.action = 'evaluate' THEN gb.evaluation_total('demo', d.id, d.evaluation_score) ELSE d.evaluation_score END,
		publicity_from = CASE WHEN t.action = 'publicise' THEN today ELSE d.publicity_from END,
		publicity_to = CASE WHEN t.action = 'publicise' THEN today + p.publicity_days ELSE d.publicity_to END,
		designated_on = CASE WHEN t.action = 'designate' THEN today ELSE d.designated_on END,
		rectify_by = CASE WHEN t.action = 'rectify' THEN coalesce(d.rectify_by, today + 90)
				  WHEN t.action = 'reinstate' THEN NULL ELSE d.rectify_by END,
		revoked_on = CASE WHEN t.action = 'revoke' THEN today ELSE d.revoked_on END
	WHERE d.id = c.id AND d.version = expected_version
	RETURNING d.version INTO newv;
	IF newv IS NULL THEN
		RAISE EXCEPTION USING ERRCODE = 'GB003',
			MESSAGE = format('%s无权修改示范案件 %s', gb.role_label(r), c.id);
	END IF;
	RETURN newv;
END $$;

RESET ROLE;
