-- 017: recording in place from the client (issue 4, "The enterprise"):
-- what the current officer may record for an enterprise and, when not, why
-- (gb.record_rights); scores per indicator leaf with compare-and-set on the
-- score row's version, creating the case's evaluation when missing
-- (gb.score_save); visits under the agency's contract (gb.visit_add);
-- credit checks (gb.credit_check_add); 示范 supervision events
-- (gb.demo_event_add); materials with their dates (gb.material_save, on
-- 014's columns).  All run with the caller's rights: grants and row
-- policies stay the authority, these add the Chinese reasons (GB002, GB003,
-- GB004, GB005, GB006 as in sql/README) before the backstops are met.
SET ROLE gb_owner;

INSERT INTO gb.field_label (table_name, column_name, label) VALUES
	('evaluation_score', 'self_score', '自评分'),
	('evaluation_score', 'self_finding', '自评说明'),
	('evaluation_score', 'acceptance_score', '验收分'),
	('evaluation_score', 'acceptance_finding', '验收意见'),
	('evaluation', 'evaluated_on', '评价日期'),
	('evaluation', 'evaluator', '评价人'),
	('visit', 'staff_name', '服务人员'),
	('demo_event', 'kind', '事项'),
	('demo_event', 'occurred_on', '发生日期'),
	('demo_event', 'deadline_on', '整改期限'),
	('demo_event', 'outcome', '结果'),
	('demo_event', 'announcement_ref', '通报文号'),
	('demo_event', 'note', '备注')
ON CONFLICT DO NOTHING;

-- The Chinese name of a supervision event kind.
CREATE FUNCTION gb.demo_event_label(k text) RETURNS text
LANGUAGE sql IMMUTABLE
AS $$ SELECT CASE k WHEN 'finding' THEN '发现问题' WHEN 'rectification' THEN '限期整改'
	WHEN 'reinstatement' THEN '恢复资格' WHEN 'revocation' THEN '取消资格'
	WHEN 'announcement' THEN '通报' END $$;

-- The evaluation of a 贯标 (kind 'gb') or 示范 ('demo') case as its
-- indicator tree: every indicator of the evaluation's version (else the
-- case's programme year's), in order, with its maximum, the sums of the
-- self and acceptance scores of the leaves under it (a leaf's own), how
-- many of those leaves are scored (self, acceptance) of how many, the
-- leaf's findings and its score row's version; then the total (level 0,
-- title 合计, the version's total score).  Empty when the year has no
-- indicator version.  Read with the caller's rights.
CREATE FUNCTION gb.evaluation_tree(kind text, case_id bigint)
RETURNS TABLE (indicator_id bigint, level int, code text, title text, max_score numeric,
	       self_score numeric, acceptance_score numeric, self_scored int, acceptance_scored int,
	       leaves int, self_finding text, acceptance_finding text, score_version int)
LANGUAGE sql STABLE
SET search_path = pg_catalog, gb, pg_temp
AS $$
	WITH c AS (SELECT 'gb'::text AS kind, g.id, g.year FROM gb.gb_case g WHERE $1 = 'gb' AND g.id = $2
		   UNION ALL SELECT 'demo', d.id, d.year FROM gb.demo_case d WHERE $1 = 'demo' AND d.id = $2),
	ev AS (SELECT e.id, e.indicator_version_id FROM gb.evaluation e JOIN c
	       ON (c.kind = 'gb' AND e.gb_case_id = c.id) OR (c.kind = 'demo' AND e.demo_case_id = c.id)),
	ver AS (SELECT coalesce((SELECT indicator_version_id FROM ev),
			       (SELECT p.indicator_version_id FROM gb.programme_year p JOIN c ON p.year = c.year)) AS id),
	leaf AS (SELECT l.code, m.code AS mid, m.parent_code AS top, s.self_score, s.acceptance_score
		 FROM gb.indicator l
		 JOIN gb.indicator m ON m.version_id = l.version_id AND m.code = l.parent_code
		 LEFT JOIN gb.evaluation_score s ON s.indicator_id = l.id AND s.evaluation_id = (SELECT id FROM ev)
		 WHERE l.version_id = (SELECT id FROM ver) AND l.level = 3)
	SELECT q.indicator_id, q.level, q.code, q.title, q.max_score, q.self_score, q.acceptance_score,
	       q.self_scored, q.acceptance_scored, q.leaves, q.self_finding, q.acceptance_finding, q.version
	FROM (SELECT i.id AS indicator_id, i.level::int AS level, i.code, i.title, i.max_score,
		     x.self_score, x.acceptance_score, x.self_scored, x.acceptance_scored, x.leaves,
		     s.self_finding, s.acceptance_finding, s.version, i.sort_order AS o
	      FROM gb.indicator i
	      LEFT JOIN gb.evaluation_score s ON s.indicator_id = i.id AND s.evaluation_id = (SELECT id FROM ev)
	      CROSS JOIN LATERAL (SELECT sum(f.self_score) AS self_score, sum(f.acceptance_score) AS acceptance_score,
				       count(f.self_score)::int AS self_scored,
				       count(f.acceptance_score)::int AS acceptance_scored, count(*)::int AS leaves
				  FROM leaf f WHERE i.code IN (f.code, f.mid, f.top)) x
	      WHERE i.version_id = (SELECT id FROM ver)
	      UNION ALL
	      SELECT NULL, 0, NULL, '合计', v.total_score, x.self_score, x.acceptance_score, x.self_scored,
		     x.acceptance_scored, x.leaves, NULL, NULL, NULL, 2147483647
	      FROM gb.indicator_version v
	      CROSS JOIN (SELECT sum(f.self_score) AS self_score, sum(f.acceptance_score) AS acceptance_score,
				 count(f.self_score)::int AS self_scored,
				 count(f.acceptance_score)::int AS acceptance_scored, count(*)::int AS leaves
			  FROM leaf f) x
	      WHERE v.id = (SELECT id FROM ver)) q
	ORDER BY q.o
$$;

-- One line for a case's scores: "满分 1000  自评 8.5（1/70 项）  验收 —（0/70 项）".
CREATE FUNCTION gb.score_summary(kind text, case_id bigint) RETURNS text
LANGUAGE sql STABLE
SET search_path = pg_catalog, gb, pg_temp
AS $$
	SELECT coalesce((SELECT '满分 ' || trim_scale(t.max_score)
		|| '  自评 ' || coalesce(trim_scale(t.self_score)::text, '—') || '（' || t.self_scored || '/' || t.leaves || ' 项）'
		|| '  验收 ' || coalesce(trim_scale(t.acceptance_score)::text, '—') || '（' || t.acceptance_scored
		|| '/' || t.leaves || ' 项）'
		FROM gb.evaluation_tree($1, $2) t WHERE t.level = 0), '本年度未设定评价指标体系')
$$;

-- Why the current officer may not record `what` for enterprise eid, or
-- NULL when the officer may.  what: score_self, score_acceptance, visit,
-- credit_check, demo_event, material.  The facts are read with the
-- caller's rights (an invisible enterprise is not theirs to record).
CREATE FUNCTION gb.record_refusal(what text, eid bigint) RETURNS text
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, gb, pg_temp
AS $$
DECLARE
	r text := gb.my_role();
	e gb.enterprise;
	holds boolean;
BEGIN
	IF r IS NULL THEN
		RETURN format('当前登录角色 %s 不是登记的工作人员', session_user);
	END IF;
	SELECT * INTO e FROM gb.enterprise x WHERE x.id = eid;
	IF NOT FOUND THEN
		RETURN format('企业 %s 不存在或无权查看', eid);
	END IF;
	IF r = 'observer' THEN
		RETURN '观察员只能查看，不能登记或修改任何内容';
	END IF;
	holds := r = 'agency' AND EXISTS (SELECT 1 FROM gb.agency_access x
					  WHERE x.agency_id = gb.my_agency() AND x.enterprise_id = eid);
	CASE what
	WHEN 'score_self' THEN
		IF r = 'city' OR holds THEN RETURN NULL; END IF;
		RETURN CASE r WHEN 'agency' THEN '贵机构与该企业没有服务合同，不能录入自评分'
			ELSE '自评分由为该企业服务的第三方信用服务机构（或市信用办）录入，区镇不能录入' END;
	WHEN 'score_acceptance' THEN
		IF r = 'city' THEN RETURN NULL; END IF;
		RETURN '验收分由市信用办在贯标验收（或示范评价）时录入';
	WHEN 'visit' THEN
		IF r = 'city' OR holds THEN
			IF NOT EXISTS (SELECT 1 FROM gb.contract c WHERE c.enterprise_id = eid
				       AND (r = 'city' OR c.agency_id = gb.my_agency())) THEN
				RETURN '该企业还没有服务机构合同，上门服务须在合同下登记';
			END IF;
			RETURN NULL;
		END IF;
		RETURN CASE r WHEN 'agency' THEN '贵机构与该企业没有服务合同，不能登记上门服务'
			ELSE '上门服务由签订合同的服务机构（或市信用办）登记，区镇不能登记' END;
	WHEN 'credit_check' THEN
		IF r = 'city' OR (r = 'district' AND e.district_id = gb.my_district()) THEN RETURN NULL; END IF;
		RETURN '信用核查由企业所在区镇或市信用办登记，服务机构不能登记';
	WHEN 'demo_event' THEN
		IF r <> 'city' THEN
			RETURN '示范企业的动态监管事项（整改、恢复、取消、通报）由市信用办登记';
		END IF;
		IF NOT EXISTS (SELECT 1 FROM gb.demo_case d WHERE d.enterprise_id = eid) THEN
			RETURN '该企业没有示范案件，没有可登记的监管事项';
		END IF;
		RETURN NULL;
	WHEN 'material' THEN
		IF r = 'city' OR holds OR (r = 'district' AND e.district_id = gb.my_district()) THEN RETURN NULL; END IF;
		RETURN '材料由企业所在区镇、为其服务的机构或市信用办登记';
	ELSE
		RETURN format('未知的登记项目 %s', what);
	END CASE;
END $$;

-- Every kind of record with whether the current officer may make it for
-- the enterprise and, when not, why (what the client offers and explains).
CREATE FUNCTION gb.record_rights(enterprise_id bigint)
RETURNS TABLE (what text, label text, ok boolean, reason text)
LANGUAGE sql STABLE
SET search_path = pg_catalog, gb, pg_temp
AS $$
	SELECT w.what, w.label, x.reason IS NULL, x.reason
	FROM (VALUES (1, 'score_self', '录入自评分'), (2, 'score_acceptance', '录入验收分'),
		     (3, 'material', '登记材料'), (4, 'visit', '登记上门服务'),
		     (5, 'credit_check', '登记信用核查'), (6, 'demo_event', '登记示范监管事项'))
		AS w(n, what, label)
	CROSS JOIN LATERAL (SELECT gb.record_refusal(w.what, $1) AS reason) x
	ORDER BY w.n
$$;

-- GB003 with the reason when the officer may not record `what` for eid.
CREATE FUNCTION gb.require_record(what text, eid bigint) RETURNS void
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, gb, pg_temp
AS $$
DECLARE
	why text;
BEGIN
	PERFORM gb.require_officer();
	why := gb.record_refusal(what, eid);
	IF why IS NOT NULL THEN
		RAISE EXCEPTION USING ERRCODE = CASE WHEN why LIKE '%无权查看' THEN 'GB002' ELSE 'GB003' END,
			MESSAGE = why;
	END IF;
END $$;

-- GB006 for a date after today.
CREATE FUNCTION gb.require_past(tbl text, col text, d date) RETURNS void
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, gb, pg_temp
AS $$
BEGIN
	IF d IS NULL THEN
		PERFORM gb.field_error(tbl, col, '不能为空');
	END IF;
	IF d > current_date THEN
		PERFORM gb.field_error(tbl, col, format('不能晚于今天（%s）', d));
	END IF;
END $$;

-- Record one leaf's self score (which = 'self') or acceptance score
-- (which = 'acceptance') and its finding for the 贯标 (kind 'gb') or 示范
-- ('demo') case: the case's evaluation is created when missing, with the
-- indicator version of the case's programme year.  expected_version is the
-- score row's version as shown, NULL when no row was shown (GB004 when it
-- differs, with who/when/which fields).  A NULL score clears it.  The score
-- must be >= 0, <= the leaf's maximum and have at most two decimals
-- (GB006 naming the field, the leaf and its maximum).
CREATE FUNCTION gb.score_save(kind text, case_id bigint, indicator_id bigint,
			      expected_version int, which text, score numeric, finding text)
RETURNS TABLE (id bigint, version int)
LANGUAGE plpgsql
SET search_path = pg_catalog, gb, pg_temp
AS $$
#variable_conflict use_column
DECLARE
	eid bigint;
	yr int;
	vid bigint;
	ev bigint;
	ind gb.indicator;
	cur gb.evaluation_score;
	col text := CASE which WHEN 'self' THEN 'self_score' WHEN 'acceptance' THEN 'acceptance_score' END;
	lbl text;
BEGIN
	PERFORM gb.require_officer();
	IF col IS NULL OR kind NOT IN ('gb', 'demo') THEN
		RAISE EXCEPTION USING ERRCODE = 'GB006', MESSAGE = format('未知的评分类别 %s/%s', kind, which);
	END IF;
	lbl := CASE which WHEN 'self' THEN '自评分' ELSE '验收分' END;
	IF kind = 'gb' THEN
		SELECT c.enterprise_id, c.year INTO eid, yr FROM gb.gb_case c WHERE c.id = case_id;
	ELSE
		SELECT c.enterprise_id, c.year INTO eid, yr FROM gb.demo_case c WHERE c.id = case_id;
	END IF;
	IF eid IS NULL THEN
		PERFORM gb.raise_not_found(CASE kind WHEN 'gb' THEN '贯标案件' ELSE '示范案件' END, case_id);
	END IF;
	PERFORM gb.require_record('score_' || which, eid);
	SELECT v.id, v.indicator_version_id INTO ev, vid FROM gb.evaluation v
	WHERE (kind = 'gb' AND v.gb_case_id = case_id) OR (kind = 'demo' AND v.demo_case_id = case_id);
	IF ev IS NULL THEN
		SELECT p.indicator_version_id INTO vid FROM gb.programme_year p WHERE p.year = yr;
		IF vid IS NULL THEN
			RAISE EXCEPTION USING ERRCODE = 'GB005',
				MESSAGE = format('%s 年度还没有设定评价指标体系，不能评分', yr),
				HINT = '请市信用办用 guanbiao admin indicators load 载入并设定指标体系';
		END IF;
	END IF;
	SELECT * INTO ind FROM gb.indicator i WHERE i.id = indicator_id;
	IF NOT FOUND OR ind.version_id <> vid OR ind.level <> 3 THEN
		RAISE EXCEPTION USING ERRCODE = 'GB006',
			MESSAGE = format('指标 %s 不是本次评价所用指标体系的考核内容（第三级）', coalesce(ind.code, indicator_id::text)),
			DETAIL = '字段 indicator_id';
	END IF;
	IF score < 0 THEN
		PERFORM gb.field_error('evaluation_score', col, format('%s 不能为负数', score));
	END IF;
	IF score > ind.max_score THEN
		PERFORM gb.field_error('evaluation_score', col,
			format('%s 超过指标 %s“%s”的满分 %s', score, ind.code, ind.title, ind.max_score));
	END IF;
	IF score <> round(score, 2) THEN
		PERFORM gb.field_error('evaluation_score', col, format('%s 最多保留两位小数', score));
	END IF;
	IF ev IS NULL THEN
		INSERT INTO gb.evaluation (gb_case_id, demo_case_id, indicator_version_id)
		VALUES (CASE kind WHEN 'gb' THEN case_id END, CASE kind WHEN 'demo' THEN case_id END, vid)
		RETURNING gb.evaluation.id INTO ev;
	END IF;
	SELECT * INTO cur FROM gb.evaluation_score s WHERE s.evaluation_id = ev AND s.indicator_id = ind.id;
	IF FOUND AND cur.version IS DISTINCT FROM expected_version THEN
		PERFORM gb.raise_conflict('evaluation_score', cur.id, coalesce(expected_version, 0), cur.version);
	END IF;
	IF NOT FOUND AND expected_version IS NOT NULL THEN
		RAISE EXCEPTION USING ERRCODE = 'GB004',
			MESSAGE = format('记录已被他人修改（您的版本 %s，该评分已被删除）', expected_version),
			HINT = '请刷新后再决定是否重新修改';
	END IF;
	IF NOT FOUND THEN
		IF which = 'self' THEN
			INSERT INTO gb.evaluation_score AS s (evaluation_id, indicator_id, self_score, self_finding)
			VALUES (ev, ind.id, score, nullif(btrim(finding), ''))
			RETURNING s.id, s.version INTO id, version;
		ELSE
			INSERT INTO gb.evaluation_score AS s (evaluation_id, indicator_id, acceptance_score, acceptance_finding)
			VALUES (ev, ind.id, score, nullif(btrim(finding), ''))
			RETURNING s.id, s.version INTO id, version;
		END IF;
	ELSIF which = 'self' THEN
		UPDATE gb.evaluation_score AS s SET self_score = score, self_finding = nullif(btrim(finding), '')
		WHERE s.id = cur.id AND s.version = expected_version
		RETURNING s.id, s.version INTO id, version;
	ELSE
		UPDATE gb.evaluation_score AS s SET acceptance_score = score,
			acceptance_finding = nullif(btrim(finding), '')
		WHERE s.id = cur.id AND s.version = expected_version
		RETURNING s.id, s.version INTO id, version;
	END IF;
	IF id IS NULL THEN	-- changed between our read and the update
		SELECT * INTO cur FROM gb.evaluation_score s WHERE s.id = cur.id;
		PERFORM gb.raise_conflict('evaluation_score', cur.id, coalesce(expected_version, 0), cur.version);
	END IF;
	RETURN NEXT;
END $$;

-- Record a material of a 贯标 (programme 'gb') or 示范 ('demo') case:
-- status received|missing|not_applicable, the dates (014: issued_on,
-- valid_until; valid_until left NULL is the kind's default validity from
-- issued_on, NULL for a kind that does not expire) and
-- a reference.  expected_version is the row's version as shown, NULL when
-- the kind had no row (GB004 with who/when/which fields when it differs).
-- A received material without a date of receipt is received today.
CREATE FUNCTION gb.material_save(programme text, case_id bigint, kind text, expected_version int,
				 status text, received_on date, issued_on date, valid_until date, ref text)
RETURNS TABLE (id bigint, version int)
LANGUAGE plpgsql
SET search_path = pg_catalog, gb, pg_temp
AS $$
#variable_conflict use_variable
DECLARE
	prog constant text := material_save.programme;
	cid constant bigint := material_save.case_id;
	k constant text := material_save.kind;
	ev constant int := expected_version;
	st constant text := material_save.status;
	recv date := CASE WHEN material_save.status = 'received'
			  THEN coalesce(material_save.received_on, current_date) END;
	eid bigint;
	yr int;
	vu date := material_save.valid_until;
	cur gb.material;
BEGIN
	PERFORM gb.require_officer();
	IF prog = 'gb' THEN
		SELECT c.enterprise_id, c.year INTO eid, yr FROM gb.gb_case c WHERE c.id = cid;
	ELSIF prog = 'demo' THEN
		SELECT c.enterprise_id, c.year INTO eid, yr FROM gb.demo_case c WHERE c.id = cid;
	END IF;
	IF eid IS NULL THEN
		PERFORM gb.raise_not_found(CASE prog WHEN 'demo' THEN '示范案件' ELSE '贯标案件' END, cid);
	END IF;
	PERFORM gb.require_record('material', eid);
	IF NOT EXISTS (SELECT 1 FROM gb.material_kind x WHERE x.programme = prog AND x.code = k) THEN
		PERFORM gb.field_error('material', 'kind', format('没有这种材料（%s）', k));
	END IF;
	IF st IS NULL OR st NOT IN ('received', 'missing', 'not_applicable') THEN
		PERFORM gb.field_error('material', 'status',
			format('应为 已收、缺 或 不适用（现为“%s”）', coalesce(st, '')));
	END IF;
	-- An empty valid_until is the kind's default validity from the issue date.
	IF vu IS NULL AND material_save.issued_on IS NOT NULL THEN
		vu := material_save.issued_on + gb.material_valid_days(prog, k, yr) - 1;
	END IF;
	IF recv > current_date THEN
		PERFORM gb.field_error('material', 'received_on', format('不能晚于今天（%s）', recv));
	END IF;
	SELECT * INTO cur FROM gb.material m
	WHERE m.kind = k AND ((prog = 'gb' AND m.gb_case_id = cid) OR (prog = 'demo' AND m.demo_case_id = cid));
	IF FOUND AND cur.version IS DISTINCT FROM ev THEN
		PERFORM gb.raise_conflict('material', cur.id, coalesce(ev, 0), cur.version);
	END IF;
	IF NOT FOUND THEN
		INSERT INTO gb.material AS m (programme, gb_case_id, demo_case_id, kind, status, received_on,
					      issued_on, valid_until, ref)
		VALUES (prog, CASE prog WHEN 'gb' THEN cid END, CASE prog WHEN 'demo' THEN cid END, k, st, recv,
			material_save.issued_on, vu, nullif(btrim(material_save.ref), ''))
		RETURNING m.id, m.version INTO id, version;
	ELSE
		UPDATE gb.material AS m SET status = st, received_on = recv, issued_on = material_save.issued_on,
			valid_until = vu, ref = nullif(btrim(material_save.ref), '')
		WHERE m.id = cur.id AND m.version = ev
		RETURNING m.id, m.version INTO id, version;
		IF id IS NULL THEN
			SELECT * INTO cur FROM gb.material m WHERE m.id = cur.id;
			PERFORM gb.raise_conflict('material', cur.id, coalesce(ev, 0), cur.version);
		END IF;
	END IF;
	RETURN NEXT;
END $$;

-- A visit (上门服务) to enterprise eid, under the officer's agency's latest
-- contract with it (the city: the latest contract of any agency).
CREATE FUNCTION gb.visit_add(enterprise_id bigint, visited_on date, staff_name text, summary text)
RETURNS bigint
LANGUAGE plpgsql
SET search_path = pg_catalog, gb, pg_temp
AS $$
DECLARE
	eid constant bigint := visit_add.enterprise_id;
	cid bigint;
	vid bigint;
BEGIN
	PERFORM gb.require_record('visit', eid);
	PERFORM gb.require_past('visit', 'visited_on', visited_on);
	IF btrim(coalesce(summary, '')) = '' THEN
		PERFORM gb.field_error('visit', 'summary', '不能为空');
	END IF;
	SELECT c.id INTO cid FROM gb.contract c
	WHERE c.enterprise_id = eid AND (gb.my_role() = 'city' OR c.agency_id = gb.my_agency())
	ORDER BY c.year DESC, c.signed_on DESC NULLS LAST, c.id DESC LIMIT 1;
	INSERT INTO gb.visit AS v (contract_id, enterprise_id, visited_on, staff_name, summary)
	VALUES (cid, eid, visited_on, nullif(btrim(staff_name), ''), btrim(summary))
	RETURNING v.id INTO vid;
	RETURN vid;
END $$;

-- A credit check (社会法人信用信息查询报告) of enterprise eid.  A serious
-- dishonesty finding has its consequences in the same transaction (003).
CREATE FUNCTION gb.credit_check_add(enterprise_id bigint, stage text, source text, issued_on date,
				    report_no text, serious_dishonesty boolean, finding text)
RETURNS bigint
LANGUAGE plpgsql
SET search_path = pg_catalog, gb, pg_temp
AS $$
DECLARE
	eid constant bigint := credit_check_add.enterprise_id;
	cid bigint;
BEGIN
	PERFORM gb.require_record('credit_check', eid);
	IF stage IS NULL OR stage NOT IN ('gb_apply', 'gb_acceptance', 'demo_apply', 'supervision') THEN
		RAISE EXCEPTION USING ERRCODE = 'GB006', MESSAGE = format('核查阶段“%s”不对', coalesce(stage, '')),
			DETAIL = '字段 stage', HINT = '可选：贯标申请、贯标验收、示范申报、动态监管';
	END IF;
	IF source IS NULL OR source NOT IN ('江苏省公共信用信息中心', '苏州市公共信用信息中心') THEN
		PERFORM gb.field_error('credit_check', 'source',
			format('应为“江苏省公共信用信息中心”或“苏州市公共信用信息中心”（现为“%s”）', coalesce(source, '')));
	END IF;
	PERFORM gb.require_past('credit_check', 'issued_on', issued_on);
	IF coalesce(serious_dishonesty, false) AND btrim(coalesce(finding, '')) = '' THEN
		PERFORM gb.field_error('credit_check', 'finding', '有严重失信记录时须写明查询结果');
	END IF;
	INSERT INTO gb.credit_check AS c (enterprise_id, stage, report_no, issued_on, source,
					  serious_dishonesty, finding)
	VALUES (eid, stage, nullif(btrim(report_no), ''), issued_on, source,
		coalesce(serious_dishonesty, false), nullif(btrim(finding), ''))
	RETURNING c.id INTO cid;
	RETURN cid;
END $$;

-- A supervision event of a 示范 case (city only).
CREATE FUNCTION gb.demo_event_add(demo_case_id bigint, kind text, occurred_on date, deadline_on date,
				  outcome text, announcement_ref text, note text)
RETURNS bigint
LANGUAGE plpgsql
SET search_path = pg_catalog, gb, pg_temp
AS $$
DECLARE
	did constant bigint := demo_event_add.demo_case_id;
	eid bigint;
	xid bigint;
BEGIN
	PERFORM gb.require_officer();
	SELECT d.enterprise_id INTO eid FROM gb.demo_case d WHERE d.id = did;
	IF eid IS NULL THEN
		PERFORM gb.raise_not_found('示范案件', did);
	END IF;
	PERFORM gb.require_record('demo_event', eid);
	IF gb.demo_event_label(kind) IS NULL THEN
		PERFORM gb.field_error('demo_event', 'kind',
			format('“%s”不对，可选：发现问题、限期整改、恢复资格、取消资格、通报', coalesce(kind, '')));
	END IF;
	PERFORM gb.require_past('demo_event', 'occurred_on', occurred_on);
	IF deadline_on < occurred_on THEN
		PERFORM gb.field_error('demo_event', 'deadline_on', format('%s 不能早于发生日期 %s', deadline_on, occurred_on));
	END IF;
	IF kind = 'rectification' AND deadline_on IS NULL THEN
		PERFORM gb.field_error('demo_event', 'deadline_on', '限期整改须写明期限');
	END IF;
	IF kind = 'announcement' AND btrim(coalesce(announcement_ref, '')) = '' THEN
		PERFORM gb.field_error('demo_event', 'announcement_ref', '通报须写明文号');
	END IF;
	INSERT INTO gb.demo_event AS x (demo_case_id, kind, occurred_on, deadline_on, outcome,
					announcement_ref, note)
	VALUES (did, kind, occurred_on, deadline_on, nullif(btrim(outcome), ''),
		nullif(btrim(announcement_ref), ''), nullif(btrim(note), ''))
	RETURNING x.id INTO xid;
	RETURN xid;
END $$;

-- Officers call these; the helpers are internal.
REVOKE EXECUTE ON FUNCTION gb.require_record(text, bigint), gb.require_past(text, text, date) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION gb.record_refusal(text, bigint), gb.record_rights(bigint),
	gb.evaluation_tree(text, bigint), gb.score_summary(text, bigint),
	gb.material_save(text, bigint, text, int, text, date, date, date, text),
	gb.score_save(text, bigint, bigint, int, text, numeric, text),
	gb.visit_add(bigint, date, text, text),
	gb.credit_check_add(bigint, text, text, date, text, boolean, text),
	gb.demo_event_add(bigint, text, date, date, text, text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION gb.record_refusal(text, bigint), gb.record_rights(bigint),
	gb.evaluation_tree(text, bigint), gb.score_summary(text, bigint),
	gb.material_save(text, bigint, text, int, text, date, date, date, text),
	gb.score_save(text, bigint, bigint, int, text, numeric, text),
	gb.visit_add(bigint, date, text, text),
	gb.credit_check_add(bigint, text, text, date, text, boolean, text),
	gb.demo_event_add(bigint, text, date, date, text, text, text),
	gb.require_record(text, bigint), gb.require_past(text, text, date)
	TO gb_city, gb_district, gb_agency, gb_observer;

RESET ROLE;
