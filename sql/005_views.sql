-- 005: views for the client, the command line and the reports.  All of
-- them respect row-level security (their owner is subject to the same
-- session_user-keyed policies), except v_district_progress, which shows
-- every district's counts and nothing else.
SET ROLE gb_owner;

-- The deadline an open case in state st is due by (earliest of the
-- deadlines of the actions leading on from st), or NULL.
CREATE FUNCTION gb.case_deadline(k text, st text, y int, lv text) RETURNS date
LANGUAGE sql STABLE
SET search_path = pg_catalog, gb, pg_temp
AS $$
	SELECT min(d.due_on)
	FROM gb.wf_transition t
	JOIN gb.wf_action a ON a.kind = t.kind AND a.code = t.action AND a.in_queue
	JOIN gb.deadline d ON d.year = y AND d.code = replace(t.deadline_code, '{level}', coalesce(lv, ''))
	WHERE t.kind = k AND t.from_state = st
$$;

CREATE VIEW gb.v_enterprise_list AS
SELECT e.id, e.uscc, e.name, e.district_id, d.name AS district_name, e.main_products,
       e.sales_revenue_wan, e.employees,
       g.year AS gb_year, g.state AS gb_state, gs.label AS gb_state_label,
       m.level AS demo_level, m.state AS demo_state, ms.label AS demo_state_label,
       ag.name AS agency_name, e.contact_name, e.contact_phone, e.version,
       g.id AS gb_case_id, m.id AS demo_case_id, e.industry, e.above_scale
FROM gb.enterprise e
JOIN gb.district d ON d.id = e.district_id
LEFT JOIN LATERAL (
	SELECT c.id, c.year, c.state FROM gb.gb_case c
	WHERE c.enterprise_id = e.id ORDER BY c.year DESC LIMIT 1) g ON true
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

-- 贯标 cases with their enterprise, for lists and the case screen.
CREATE VIEW gb.v_gb_case AS
SELECT c.id, c.year, c.enterprise_id, e.name AS enterprise_name, e.uscc, e.district_id,
       d.name AS district_name, c.state, s.label AS state_label,
       (SELECT a.name FROM gb.contract k JOIN gb.agency a ON a.id = k.agency_id
	WHERE k.enterprise_id = c.enterprise_id AND k.kind = 'gb_consult' AND k.year = c.year
	ORDER BY k.id DESC LIMIT 1) AS agency_name,
       c.management_committed, c.working_group_formed, c.work_plan_done, c.dedicated_staff,
       c.department_defined, c.internal_evaluation_done,
       (SELECT count(*) FROM gb.training t WHERE t.gb_case_id = c.id) AS trainings,
       c.applied_on, c.submitted_on, c.enrolled_on, c.started_on, c.acceptance_requested_on,
       c.decided_on, c.passed_on, c.acceptance_score, c.opinion, c.override_reason, c.note,
       gb.case_deadline('gb', c.state, c.year, NULL) AS deadline,
       c.state_changed_at, c.version, c.updated_at, c.updated_by
FROM gb.gb_case c
JOIN gb.enterprise e ON e.id = c.enterprise_id
JOIN gb.district d ON d.id = e.district_id
JOIN gb.wf_state s ON s.kind = 'gb' AND s.code = c.state;

CREATE VIEW gb.v_demo_case AS
SELECT c.id, c.year, c.level, gb.level_label(c.level) AS level_label, c.enterprise_id,
       e.name AS enterprise_name, e.uscc, e.district_id, d.name AS district_name,
       c.state, s.label AS state_label,
       c.nominated_on, c.pre_approved_on, c.recommended_on, c.coaching_started_on,
       c.evaluated_on, c.evaluation_score, c.publicity_from, c.publicity_to,
       c.designated_on, c.designation_doc_no, c.rectify_by, c.revoked_on,
       c.override_reason, c.note,
       gb.case_deadline('demo', c.state, c.year, c.level) AS deadline,
       c.state_changed_at, c.version, c.updated_at, c.updated_by
FROM gb.demo_case c
JOIN gb.enterprise e ON e.id = c.enterprise_id
JOIN gb.district d ON d.id = e.district_id
JOIN gb.wf_state s ON s.kind = 'demo' AND s.code = c.state;

-- What waits for the current officer: one row per case and forward action
-- the officer's role may take now.
CREATE VIEW gb.v_work_queue AS
SELECT q.year, q.kind, q.case_id, q.enterprise_id, e.name AS enterprise_name,
       d.name AS district_name, q.state, s.label AS state_label, t.action,
       a.label AS action_label, dl.due_on AS deadline, dl.due_on - current_date AS days_left
FROM (SELECT 'gb'::text AS kind, c.id AS case_id, c.year, c.enterprise_id, c.state, NULL::text AS level
      FROM gb.gb_case c
      UNION ALL
      SELECT 'demo', c.id, c.year, c.enterprise_id, c.state, c.level
      FROM gb.demo_case c) q
JOIN gb.wf_transition t ON t.kind = q.kind AND t.from_state = q.state AND t.role = gb.my_role()
JOIN gb.wf_action a ON a.kind = t.kind AND a.code = t.action AND a.in_queue
JOIN gb.wf_state s ON s.kind = q.kind AND s.code = q.state
JOIN gb.enterprise e ON e.id = q.enterprise_id
JOIN gb.district d ON d.id = e.district_id
LEFT JOIN gb.deadline dl ON dl.year = q.year
	AND dl.code = replace(t.deadline_code, '{level}', coalesce(q.level, ''));

CREATE FUNCTION gb.table_label(t text) RETURNS text
LANGUAGE sql IMMUTABLE
AS $$ SELECT CASE t WHEN 'enterprise' THEN '企业' WHEN 'gb_case' THEN '贯标案件'
	WHEN 'demo_case' THEN '示范案件' WHEN 'contract' THEN '合同' WHEN 'visit' THEN '上门服务'
	WHEN 'credit_check' THEN '信用查询报告' WHEN 'training' THEN '贯标培训'
	WHEN 'material' THEN '材料' WHEN 'evaluation' THEN '评价' WHEN 'evaluation_score' THEN '评分'
	WHEN 'demo_event' THEN '监督事项' WHEN 'reward' THEN '奖励' WHEN 'officer' THEN '工作人员'
	WHEN 'agency' THEN '服务机构' WHEN 'agency_staff' THEN '机构人员'
	WHEN 'programme_year' THEN '年度工作方案' WHEN 'deadline' THEN '时间节点'
	WHEN 'district' THEN '区镇' WHEN 'district_year' THEN '区镇年度名额'
	WHEN 'indicator_version' THEN '指标体系' WHEN 'indicator' THEN '指标' ELSE t END $$;

-- One line in Chinese for a history row.
CREATE FUNCTION gb.history_summary(h gb.history) RETURNS text
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, gb, pg_temp
AS $$
DECLARE
	r jsonb := coalesce(h.after, h.before);
	k text := CASE h.table_name WHEN 'gb_case' THEN 'gb' WHEN 'demo_case' THEN 'demo' END;
	what text := gb.table_label(h.table_name) || coalesce(' #' || h.record_id, '');
	who text;
	fields text;
BEGIN
	who := coalesce(r->>'name', (SELECT e.name FROM gb.enterprise e WHERE e.id = h.enterprise_id));
	IF who IS NOT NULL THEN
		what := what || ' ' || who;
	END IF;
	IF k IS NOT NULL AND h.to_state IS DISTINCT FROM h.from_state THEN
		RETURN format('%s：%s%s → %s%s', what,
			coalesce(gb.action_label(k, h.action) || '，', ''),
			coalesce(gb.state_label(k, h.from_state), '新建'), gb.state_label(k, h.to_state),
			coalesce('（' || h.note || '）', ''));
	END IF;
	IF h.action = 'sample' THEN
		RETURN h.note;
	ELSIF h.action = 'insert' THEN
		RETURN '新增' || what;
	ELSIF h.action = 'delete' THEN
		RETURN '删除' || what;
	ELSIF h.action = 'update' THEN
		SELECT string_agg(coalesce(l.label, x.key), '、' ORDER BY x.key) INTO fields
		FROM jsonb_each(h.after) x
		LEFT JOIN gb.field_label l ON l.table_name = h.table_name AND l.column_name = x.key
		WHERE x.key NOT IN ('version', 'updated_at', 'updated_by', 'state_changed_at', 'last_action', 'last_note')
		  AND h.before->x.key IS DISTINCT FROM x.value;
		RETURN format('修改%s：%s', what, coalesce(fields, '（无变化）'));
	END IF;
	RETURN what || '：' || h.action || coalesce('（' || h.note || '）', '');
END $$;

CREATE VIEW gb.v_activity AS
SELECT h.id, h.at, h.login, o.name AS officer_name, h.table_name, h.record_id, h.action,
       gb.history_summary(h) AS summary, h.enterprise_id, h.district_id, h.note
FROM gb.history h
LEFT JOIN gb.officer o ON o.login = h.login;

CREATE VIEW gb.v_deadlines AS
SELECT d.year, d.code, d.label, d.due_on, d.due_on - current_date AS days_left
FROM gb.deadline d;

RESET ROLE;

-- Every district's figures for a year: owned by gb_stats, which reads all
-- rows; the view returns only counts (security_barrier keeps officers'
-- own functions away from the rows underneath).
GRANT CREATE ON SCHEMA gb TO gb_stats;
SET ROLE gb_stats;
CREATE VIEW gb.v_district_progress WITH (security_barrier) AS
SELECT q.year, d.id AS district_id, d.code, d.name, d.sort_order, q.quota_gb,
       coalesce(g.applied, 0) AS applied,
       coalesce(g.enrolled, 0) AS enrolled,
       coalesce(g.implementing, 0) AS implementing,
       coalesce(g.acceptance_requested, 0) AS acceptance_requested,
       coalesce(g.passed, 0) AS passed,
       CASE WHEN q.quota_gb > 0 THEN round(100.0 * coalesce(g.passed, 0) / q.quota_gb, 1) END AS completion_pct,
       q.quota_demo,
       coalesce(m.demo_open, 0) AS demo_open,
       coalesce(m.demo_designated, 0) AS demo_designated,
       coalesce(g.overdue, 0) + coalesce(m.overdue, 0) AS overdue
FROM gb.district_year q
JOIN gb.district d ON d.id = q.district_id
LEFT JOIN (
	SELECT e.district_id, c.year,
	       count(*) FILTER (WHERE c.applied_on IS NOT NULL) AS applied,
	       count(*) FILTER (WHERE c.enrolled_on IS NOT NULL AND c.state <> 'withdrawn') AS enrolled,
	       count(*) FILTER (WHERE c.state = 'implementing') AS implementing,
	       count(*) FILTER (WHERE c.state IN ('acceptance_requested', 'rectifying')) AS acceptance_requested,
	       count(*) FILTER (WHERE c.state = 'passed') AS passed,
	       count(*) FILTER (WHERE gb.case_deadline('gb', c.state, c.year, NULL) < current_date) AS overdue
	FROM gb.gb_case c JOIN gb.enterprise e ON e.id = c.enterprise_id
	GROUP BY e.district_id, c.year) g ON g.district_id = q.district_id AND g.year = q.year
LEFT JOIN (
	SELECT e.district_id, c.year,
	       count(*) FILTER (WHERE c.state IN ('nominated', 'pre_approved', 'recommended', 'coaching',
						  'evaluated', 'publicised')) AS demo_open,
	       count(*) FILTER (WHERE c.state IN ('designated', 'rectifying')) AS demo_designated,
	       count(*) FILTER (WHERE gb.case_deadline('demo', c.state, c.year, c.level) < current_date) AS overdue
	FROM gb.demo_case c JOIN gb.enterprise e ON e.id = c.enterprise_id
	GROUP BY e.district_id, c.year) m ON m.district_id = q.district_id AND m.year = q.year;
RESET ROLE;
REVOKE CREATE ON SCHEMA gb FROM gb_stats;

GRANT SELECT ON gb.v_enterprise_list, gb.v_gb_case, gb.v_demo_case, gb.v_work_queue,
	gb.v_activity, gb.v_deadlines, gb.v_district_progress
	TO gb_city, gb_district, gb_agency, gb_observer;
