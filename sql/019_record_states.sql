-- 019: what an officer may record follows the case's state as the writes
-- do.  017's gb.record_refusal answered per enterprise and role only, while
-- 014 refuses materials (and the checklist and trainings) outside the
-- working states, so the client offered 登记材料 on a case the city was
-- examining or had decided and the officer learned it on saving.  Now one
-- predicate, gb.case_work_open(kind, state), decides for both: 014's
-- triggers (through gb.require_work_open, redefined here on it) and the
-- answers of gb.record_rights / gb.require_record (through the new
-- gb.record_refusal = role refusal, else state refusal).
SET ROLE gb_owner;

-- Whether case kind k ('gb'|'demo') in state st takes work records
-- (materials, checklist, trainings): wf_state.work_open (014).  A NULL
-- state (no case row visible) is left to the row policy.
CREATE FUNCTION gb.case_work_open(k text, st text) RETURNS boolean
LANGUAGE sql STABLE
SET search_path = pg_catalog, gb, pg_temp
AS $$ SELECT st IS NULL OR coalesce((SELECT w.work_open FROM gb.wf_state w WHERE w.kind = k AND w.code = st), false) $$;

-- 014's GB005 on the shared predicate (same messages).
CREATE OR REPLACE FUNCTION gb.require_work_open(k text, st text, what text) RETURNS void
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, gb, pg_temp
AS $$
DECLARE
	open_states text;
BEGIN
	IF gb.case_work_open(k, st) THEN
		RETURN;
	END IF;
	SELECT string_agg(label, '、' ORDER BY sort_order) INTO open_states
	FROM gb.wf_state WHERE kind = k AND work_open;
	RAISE EXCEPTION USING ERRCODE = 'GB005',
		MESSAGE = format('%s状态为“%s”，不能修改%s', CASE k WHEN 'gb' THEN '贯标案件' ELSE '示范案件' END,
				 gb.state_label(k, st), what),
		DETAIL = format('只有状态为%s的案件可以修改', open_states),
		HINT = '如需更正，请市信用办退回或要求整改后再修改';
END $$;

-- 017's answer (role, visibility, contract) keeps its body under a new name.
ALTER FUNCTION gb.record_refusal(text, bigint) RENAME TO record_role_refusal;

-- Why the case states of enterprise eid refuse recording `what`, or NULL.
-- Materials need a case (of either programme, any year) open for work; when
-- none is, every case is named with its state.  The other kinds have no
-- state rule in their write paths (sql/README, "Recording (017)") and get
-- none here.  Read with the caller's rights.
CREATE FUNCTION gb.record_state_refusal(what text, eid bigint) RETURNS text
LANGUAGE sql STABLE
SET search_path = pg_catalog, gb, pg_temp
AS $$
	WITH c AS (SELECT 'gb'::text AS k, g.year, g.state, g.id FROM gb.gb_case g WHERE g.enterprise_id = eid
		   UNION ALL SELECT 'demo', d.year, d.state, d.id FROM gb.demo_case d WHERE d.enterprise_id = eid)
	SELECT CASE
		WHEN what <> 'material' THEN NULL
		WHEN NOT EXISTS (SELECT 1 FROM c) THEN '该企业还没有贯标或示范案件，没有可登记材料的案件'
		WHEN EXISTS (SELECT 1 FROM c WHERE gb.case_work_open(c.k, c.state)) THEN NULL
		ELSE (SELECT string_agg(format('%s（%s 年度）处于“%s”状态', CASE c.k WHEN 'gb' THEN '贯标案件'
						ELSE '示范案件' END, c.year, gb.state_label(c.k, c.state)),
					'；' ORDER BY c.k DESC, c.year DESC, c.id DESC) FROM c)
			|| '，不能再登记材料（只有市信用办退回或要求整改后才能再登记）'
	END
$$;

-- Why the current officer may not record `what` for enterprise eid, or
-- NULL: first who may (017), then the cases' states (gb.case_work_open,
-- the predicate 014's triggers refuse the write with).
CREATE FUNCTION gb.record_refusal(what text, eid bigint) RETURNS text
LANGUAGE sql STABLE
SET search_path = pg_catalog, gb, pg_temp
AS $$ SELECT coalesce(gb.record_role_refusal(what, eid), gb.record_state_refusal(what, eid)) $$;

-- 017's GB003 (GB002 not visible) on the role answer alone: the state of
-- the very case written is refused by 014's triggers on the same predicate
-- (gb.require_work_open), with the message naming the material.
CREATE OR REPLACE FUNCTION gb.require_record(what text, eid bigint) RETURNS void
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, gb, pg_temp
AS $$
DECLARE
	why text;
BEGIN
	PERFORM gb.require_officer();
	why := gb.record_role_refusal(what, eid);
	IF why IS NOT NULL THEN
		RAISE EXCEPTION USING ERRCODE = CASE WHEN why LIKE '%无权查看' THEN 'GB002' ELSE 'GB003' END,
			MESSAGE = why;
	END IF;
END $$;

-- gb.record_rights (017) is unchanged: it calls gb.record_refusal by name
-- at run time, so it now gives the answer above (same columns).

REVOKE EXECUTE ON FUNCTION gb.case_work_open(text, text), gb.record_state_refusal(text, bigint),
	gb.record_refusal(text, bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION gb.case_work_open(text, text), gb.record_state_refusal(text, bigint),
	gb.record_refusal(text, bigint) TO gb_city, gb_district, gb_agency, gb_observer;

RESET ROLE;
