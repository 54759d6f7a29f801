-- 014: the remaining rules of the database issue (sql/README, "014"):
--  * materials with their own validity dates, the view gb.v_material, and
--    the rules that need every material in (贯标 acceptance, 示范 on-site
--    evaluation) refusing expired ones too;
--  * the 贯标 checklist, trainings and materials change only in the states
--    where that work happens (wf_state.work_open);
--  * an update that changes nothing leaves no version step, history or
--    notification;
--  * the work queue lists only the steps waiting for the officer's role
--    (wf_transition.queue);
--  * a Chinese label for every column of every tracked table;
--  * an index on history (at, id) for the activity view newest first.
SET ROLE gb_owner;

-- ---------------------------------------------------------------- materials: validity
-- A material is issued on a date and may be valid until a date (the
-- credit report: DOMAIN.md §4 "a valid 社会法人信用信息查询报告").
ALTER TABLE gb.material
	ADD COLUMN issued_on date,
	ADD COLUMN valid_until date,
	ADD CONSTRAINT material_valid_after_issued
		CHECK (valid_until IS NULL OR issued_on IS NULL OR valid_until >= issued_on);

-- Default validity of a kind in days from its issue date (NULL: does not
-- expire).  For the credit report the programme year's
-- credit_report_valid_days wins (see gb.material_valid_days).
ALTER TABLE gb.material_kind ADD COLUMN valid_days int CHECK (valid_days > 0);
UPDATE gb.material_kind SET valid_days = 90 WHERE code = 'credit_report';

INSERT INTO gb.field_label (table_name, column_name, label) VALUES
	('material', 'issued_on', '出具日期'),
	('material', 'valid_until', '有效期至')
ON CONFLICT DO NOTHING;

-- Days a material of kind k of a case of year y stays valid, or NULL.
CREATE FUNCTION gb.material_valid_days(prog text, k text, y int) RETURNS int
LANGUAGE sql STABLE
SET search_path = pg_catalog, gb, pg_temp
AS $$
	SELECT CASE WHEN k = 'credit_report'
		    THEN coalesce((SELECT credit_report_valid_days FROM gb.programme_year WHERE year = y), mk.valid_days)
		    ELSE mk.valid_days END
	FROM gb.material_kind mk WHERE mk.programme = prog AND mk.code = k
$$;

-- The year of the case a material belongs to.
CREATE FUNCTION gb.material_case_year(m gb.material) RETURNS int
LANGUAGE sql STABLE
SET search_path = pg_catalog, gb, pg_temp
AS $$
	SELECT coalesce((SELECT year FROM gb.gb_case WHERE id = m.gb_case_id),
			(SELECT year FROM gb.demo_case WHERE id = m.demo_case_id))
$$;

-- Fill valid_until from the kind's validity when an issue date is given
-- without one (and follow a changed issue date when valid_until was the
-- default), and name the field when the dates are not in order.
CREATE FUNCTION gb.tg_material_dates() RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, gb, pg_temp
AS $$
DECLARE
	days int;
BEGIN
	IF NEW.issued_on IS NOT NULL THEN
		days := gb.material_valid_days(NEW.programme, NEW.kind, gb.material_case_year(NEW));
	END IF;
	IF days IS NOT NULL THEN
		IF NEW.valid_until IS NULL AND (TG_OP = 'INSERT' OR OLD.valid_until IS NULL
						OR NEW.issued_on IS DISTINCT FROM OLD.issued_on) THEN
			NEW.valid_until := NEW.issued_on + days - 1;
		ELSIF TG_OP = 'UPDATE' AND NEW.issued_on IS DISTINCT FROM OLD.issued_on
		      AND NEW.valid_until IS NOT DISTINCT FROM OLD.valid_until
		      AND OLD.valid_until = OLD.issued_on + days - 1 THEN
			NEW.valid_until := NEW.issued_on + days - 1;
		END IF;
	END IF;
	IF NEW.valid_until < NEW.issued_on THEN
		PERFORM gb.field_error('material', 'valid_until',
			format('不能早于出具日期（出具 %s，有效期至 %s）', NEW.issued_on, NEW.valid_until));
	END IF;
	IF NEW.issued_on > current_date THEN
		PERFORM gb.field_error('material', 'issued_on', format('不能晚于今天（%s）', NEW.issued_on));
	END IF;
	RETURN NEW;
END $$;

CREATE TRIGGER material_dates BEFORE INSERT OR UPDATE ON gb.material
	FOR EACH ROW EXECUTE FUNCTION gb.tg_material_dates();

-- 'valid' | 'expired' | 'missing' | 'not_applicable' of a material as of
-- today: received and not past valid_until is valid.
CREATE FUNCTION gb.material_validity(status text, valid_until date) RETURNS text
LANGUAGE sql STABLE
AS $$ SELECT CASE WHEN status = 'not_applicable' THEN 'not_applicable'
		  WHEN status IS DISTINCT FROM 'received' THEN 'missing'
		  WHEN valid_until < current_date THEN 'expired'
		  ELSE 'valid' END $$;

CREATE FUNCTION gb.validity_label(v text) RETURNS text
LANGUAGE sql IMMUTABLE
AS $$ SELECT CASE v WHEN 'valid' THEN '有效' WHEN 'expired' THEN '已过期'
	WHEN 'missing' THEN '缺失' WHEN 'not_applicable' THEN '不适用' END $$;

-- Every material kind of every case the officer may see, recorded or not:
-- a kind without a row has id and version NULL, status 'missing' (or
-- 'not_applicable' when the kind is optional).
CREATE VIEW gb.v_material AS
SELECT m.id, x.programme, x.gb_case_id, x.demo_case_id, x.kind, x.kind_label,
       coalesce(m.status, CASE WHEN x.required THEN 'missing' ELSE 'not_applicable' END) AS status,
       m.received_on, m.issued_on, m.valid_until,
       gb.material_validity(coalesce(m.status, CASE WHEN x.required THEN 'missing' ELSE 'not_applicable' END),
			    m.valid_until) AS validity,
       gb.validity_label(gb.material_validity(coalesce(m.status, CASE WHEN x.required THEN 'missing' ELSE 'not_applicable' END),
					      m.valid_until)) AS validity_label,
       m.ref, m.note, m.version, x.sort_order, x.required
FROM (SELECT k.programme, c.id AS gb_case_id, NULL::bigint AS demo_case_id, k.code AS kind,
	     k.label AS kind_label, k.sort_order, k.required
      FROM gb.gb_case c JOIN gb.material_kind k ON k.programme = 'gb'
      UNION ALL
      SELECT k.programme, NULL::bigint, c.id, k.code, k.label, k.sort_order, k.required
      FROM gb.demo_case c JOIN gb.material_kind k ON k.programme = 'demo') x
LEFT JOIN gb.material m ON m.programme = x.programme AND m.kind = x.kind
	AND (m.gb_case_id = x.gb_case_id OR m.demo_case_id = x.demo_case_id);

GRANT SELECT ON gb.v_material TO gb_city, gb_district, gb_agency, gb_observer;

-- ---------------------------------------------------------------- rules: materials
-- The material rules of a case (programme 'gb' or 'demo'): every required
-- kind received ('materials'), and none of them past its validity
-- ('materials_valid', naming each expired material and its date).
CREATE FUNCTION gb.rules_materials(prog text, case_id bigint, what text)
RETURNS TABLE (rule text, ok boolean, reason text)
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, gb, pg_temp
AS $$
DECLARE
	missing text;
	expired text;
BEGIN
	SELECT string_agg(k.label, '、' ORDER BY k.sort_order) FILTER (WHERE coalesce(m.status, 'missing') <> 'received'),
	       string_agg(format('%s（有效期至 %s）', regexp_replace(k.label, '^有效期内的', ''), m.valid_until), '、'
			  ORDER BY k.sort_order) FILTER (WHERE m.status = 'received' AND m.valid_until < current_date)
	INTO missing, expired
	FROM gb.material_kind k
	LEFT JOIN gb.material m ON m.programme = prog AND m.kind = k.code
		AND CASE prog WHEN 'gb' THEN m.gb_case_id ELSE m.demo_case_id END = case_id
	WHERE k.programme = prog AND k.required;
	rule := 'materials'; ok := missing IS NULL;
	reason := CASE WHEN ok THEN what || '材料齐全' ELSE format('缺少%s材料：%s', what, missing) END;
	RETURN NEXT;
	rule := 'materials_valid'; ok := expired IS NULL;
	reason := CASE WHEN ok THEN what || '材料均在有效期内' ELSE format('%s材料已过期：%s', what, expired) END;
	RETURN NEXT;
END $$;

-- 贯标 acceptance: the checklist rules of 003 with the material rules in
-- place of its 'materials' rule (same order, so the first failed rule is
-- still the message).
ALTER FUNCTION gb.rules_gb_acceptance(gb.gb_case, gb.programme_year)
	RENAME TO rules_gb_acceptance_003;

CREATE FUNCTION gb.rules_gb_acceptance(c gb.gb_case, p gb.programme_year)
RETURNS TABLE (rule text, ok boolean, reason text)
LANGUAGE sql STABLE
SET search_path = pg_catalog, gb, pg_temp
AS $$
	SELECT r.rule, r.ok, r.reason FROM (
		SELECT b.rule, b.ok, b.reason, b.n::numeric AS n
		FROM gb.rules_gb_acceptance_003(c, p) WITH ORDINALITY b(rule, ok, reason, n)
		WHERE b.rule <> 'materials'
		UNION ALL
		SELECT m.rule, m.ok, m.reason,
		       (SELECT b.n FROM gb.rules_gb_acceptance_003(c, p) WITH ORDINALITY b(rule, ok, reason, n)
			WHERE b.rule = 'materials') + m.n / 10.0
		FROM gb.rules_materials('gb', c.id, '验收') WITH ORDINALITY m(rule, ok, reason, n)) r
	ORDER BY r.n
$$;

-- 示范: the on-site evaluation examines the application materials
-- (DOMAIN.md §4), so 'evaluate' needs every one received and valid.
ALTER FUNCTION gb.demo_action_rules(gb.demo_case, text, text) RENAME TO demo_action_rules_003;

CREATE FUNCTION gb.demo_action_rules(c gb.demo_case, act text, override_reason text)
RETURNS text
LANGUAGE plpgsql
SET search_path = pg_catalog, gb, pg_temp
AS $$
BEGIN
	IF act = 'evaluate' THEN
		PERFORM gb.enforce((SELECT jsonb_agg(to_jsonb(r)) FROM gb.rules_materials('demo', c.id, '申报') r),
				   gb.level_label(c.level) || '现场评价条件');
	END IF;
	RETURN gb.demo_action_rules_003(c, act, override_reason);
END $$;

-- "Why not?" for 示范 targets also shows the material rules of the open
-- case of that level in that year, when there is one.
ALTER FUNCTION gb.explain(bigint, text, int) RENAME TO explain_003;

CREATE FUNCTION gb.explain(enterprise_id bigint, target text, year int)
RETURNS TABLE (rule text, ok boolean, reason text)
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, gb, pg_temp
AS $$
DECLARE
	eid constant bigint := enterprise_id;
	y constant int := year;
	dm gb.demo_case;
BEGIN
	RETURN QUERY SELECT * FROM gb.explain_003(eid, target, y);
	IF target IN ('demo_suzhou', 'demo_province') THEN
		SELECT * INTO dm FROM gb.demo_case d
		WHERE d.enterprise_id = eid AND d.year = y AND d.level = substr(target, 6)
		  AND d.state NOT IN ('rejected', 'revoked', 'withdrawn')
		ORDER BY d.id DESC LIMIT 1;
		IF FOUND THEN
			RETURN QUERY SELECT * FROM gb.rules_materials('demo', dm.id, '申报');
		END IF;
	END IF;
END $$;

RESET ROLE;

-- ---------------------------------------------------------------- sample: material dates
-- The sample's received materials get an issue date a few days to three
-- weeks before receipt and, for kinds with a validity, valid_until from it
-- (judged today, the credit reports of the sample years show 已过期, the
-- other kinds, which do not expire, 有效).  Wraps the case generator of 007; runs inside admin_sample (triggers off).
ALTER FUNCTION gb.sample_cases(bigint, int) RENAME TO sample_cases_007;

CREATE FUNCTION gb.sample_cases(first_id bigint, seed int) RETURNS int
LANGUAGE plpgsql
SET search_path = pg_catalog, gb, pg_temp
AS $$
DECLARE
	n int := gb.sample_cases_007(first_id, seed);
BEGIN
	UPDATE gb.material m SET issued_on = m.received_on - 1 - floor(gb.sample_rnd(seed, m.id, 48) * 20)::int
	WHERE m.status = 'received' AND m.issued_on IS NULL;
	UPDATE gb.material m
	SET valid_until = m.issued_on + gb.material_valid_days(m.programme, m.kind, gb.material_case_year(m)) - 1
	WHERE m.status = 'received' AND m.valid_until IS NULL
	  AND gb.material_valid_days(m.programme, m.kind, gb.material_case_year(m)) IS NOT NULL;
	RETURN n;
END $$;

REVOKE EXECUTE ON FUNCTION gb.sample_cases(bigint, int) FROM PUBLIC;

-- ---------------------------------------------------------------- work only in working states
-- The 贯标 checklist, trainings and materials record work on a case: they
-- change only while that work happens (wf_state.work_open), not while the
-- city examines the case or after it is decided.  贯标: 草稿, 已申请, 已退回
-- (the application), 已入选, 贯标实施中, 整改中 (implementation); not 已报市
-- 信用办 or 已申请验收 (with the city) nor the closed states.  示范: 已提名,
-- 已初审, 已推荐, 跟踪辅导中 (the application is put together), 限期整改中;
-- not from the on-site evaluation on, which examines the materials.
SET ROLE gb_owner;

ALTER TABLE gb.wf_state ADD COLUMN work_open boolean NOT NULL DEFAULT false;
UPDATE gb.wf_state SET work_open = true
WHERE (kind, code) IN (('gb', 'draft'), ('gb', 'applied'), ('gb', 'returned'), ('gb', 'enrolled'),
	('gb', 'implementing'), ('gb', 'rectifying'), ('demo', 'nominated'), ('demo', 'pre_approved'),
	('demo', 'recommended'), ('demo', 'coaching'), ('demo', 'rectifying'));

-- GB005 unless case kind k in state st is open for work; what names the
-- record being changed.
CREATE FUNCTION gb.require_work_open(k text, st text, what text) RETURNS void
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, gb, pg_temp
AS $$
DECLARE
	open_states text;
BEGIN
	IF st IS NULL OR (SELECT work_open FROM gb.wf_state WHERE kind = k AND code = st) THEN
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

-- The checklist columns of gb_case (labels from gb.field_label).
CREATE FUNCTION gb.tg_gb_case_work() RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, gb, pg_temp
AS $$
DECLARE
	changed text;
BEGIN
	SELECT string_agg(coalesce(l.label, x.key), '、' ORDER BY x.key) INTO changed
	FROM jsonb_each(to_jsonb(NEW)) x
	LEFT JOIN gb.field_label l ON l.table_name = 'gb_case' AND l.column_name = x.key
	WHERE x.key IN ('management_committed', 'working_group_formed', 'work_plan_done', 'dedicated_staff',
			'department_defined', 'internal_evaluation_done')
	  AND to_jsonb(OLD)->x.key IS DISTINCT FROM x.value;
	IF changed IS NOT NULL THEN
		PERFORM gb.require_work_open('gb', OLD.state, '贯标工作清单（' || changed || '）');
	END IF;
	RETURN NEW;
END $$;

CREATE TRIGGER gb_case_work BEFORE UPDATE ON gb.gb_case
	FOR EACH ROW EXECUTE FUNCTION gb.tg_gb_case_work();

-- Trainings and materials: the state of the case the row belongs to (the
-- old and the new one when it moves); a row the writer cannot see is left
-- to the row policy.  An update that changes nothing is let through.
CREATE FUNCTION gb.tg_case_child_work() RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, gb, pg_temp
AS $$
DECLARE
	r jsonb;
	what text := CASE TG_TABLE_NAME WHEN 'training' THEN '贯标培训记录' END;
BEGIN
	IF TG_OP = 'UPDATE' AND to_jsonb(OLD) - ARRAY['version', 'updated_at', 'updated_by']
				= to_jsonb(NEW) - ARRAY['version', 'updated_at', 'updated_by'] THEN
		RETURN NEW;
	END IF;
	FOREACH r IN ARRAY ARRAY[CASE WHEN TG_OP <> 'INSERT' THEN to_jsonb(OLD) END,
				 CASE WHEN TG_OP <> 'DELETE' THEN to_jsonb(NEW) END] LOOP
		CONTINUE WHEN r IS NULL;
		IF r->>'gb_case_id' IS NOT NULL THEN
			PERFORM gb.require_work_open('gb',
				(SELECT state FROM gb.gb_case WHERE id = (r->>'gb_case_id')::bigint),
				coalesce(what, '验收材料（' || (SELECT label FROM gb.material_kind
					WHERE programme = 'gb' AND code = r->>'kind') || '）'));
		ELSIF r->>'demo_case_id' IS NOT NULL THEN
			PERFORM gb.require_work_open('demo',
				(SELECT state FROM gb.demo_case WHERE id = (r->>'demo_case_id')::bigint),
				'申报材料（' || (SELECT label FROM gb.material_kind
					WHERE programme = 'demo' AND code = r->>'kind') || '）');
		END IF;
	END LOOP;
	RETURN coalesce(NEW, OLD);
END $$;

CREATE TRIGGER training_work BEFORE INSERT OR UPDATE OR DELETE ON gb.training
	FOR EACH ROW EXECUTE FUNCTION gb.tg_case_child_work();
CREATE TRIGGER material_work BEFORE INSERT OR UPDATE OR DELETE ON gb.material
	FOR EACH ROW EXECUTE FUNCTION gb.tg_case_child_work();

RESET ROLE;

-- ---------------------------------------------------------------- updates that change nothing
-- An UPDATE whose new row equals the old one apart from version,
-- updated_at and updated_by keeps them (a compare-and-set on the version
-- still finds its row, and the version it had stays valid), writes no
-- history row and sends no notification.  Replaces the triggers'
-- functions of 003 and 012; the triggers stay.
SET ROLE gb_owner;

-- Every update bumps the version and records who and when, unless it
-- changes nothing else.
CREATE OR REPLACE FUNCTION gb.tg_version() RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, gb, pg_temp
AS $$
BEGIN
	NEW.version := OLD.version;
	NEW.updated_at := OLD.updated_at;
	NEW.updated_by := OLD.updated_by;
	IF NEW IS DISTINCT FROM OLD THEN
		NEW.version := OLD.version + 1;
		NEW.updated_at := now();
		NEW.updated_by := session_user;
	END IF;
	RETURN NEW;
END $$;

-- History and notification only for rows that changed: the row triggers
-- of 003 become one for INSERT and DELETE and one for UPDATE with a WHEN
-- condition (tg_version has kept an unchanged row's version, so the old
-- and new rows are equal).  Same names, so they fire in the same order.
DO $$
DECLARE
	t text;
BEGIN
	FOREACH t IN ARRAY ARRAY['programme_year', 'deadline', 'district', 'district_year',
		'agency', 'agency_staff', 'officer', 'contract', 'visit', 'credit_check', 'gb_case',
		'training', 'demo_case', 'demo_event', 'material', 'evaluation', 'evaluation_score',
		'reward', 'indicator_version', 'indicator'] LOOP
		EXECUTE format('DROP TRIGGER %I ON gb.%I', t || '_history', t);
		EXECUTE format('CREATE TRIGGER %I AFTER INSERT OR DELETE ON gb.%I FOR EACH ROW EXECUTE FUNCTION gb.tg_history()',
			       t || '_history', t);
		EXECUTE format('CREATE TRIGGER %I AFTER UPDATE ON gb.%I FOR EACH ROW WHEN (OLD.* IS DISTINCT FROM NEW.*) '
			       'EXECUTE FUNCTION gb.tg_history()', t || '_history_update', t);
	END LOOP;
END $$;

-- gb.enterprise (statement triggers of 012): as there, with the update
-- branch keeping only rows that changed; no row, no notification.
CREATE OR REPLACE FUNCTION gb.tg_enterprise_history() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, gb, pg_temp
AS $$
DECLARE
	n bigint;
	one_id bigint;
	one_version int;
BEGIN
	IF TG_OP = 'INSERT' THEN
		INSERT INTO gb.history (table_name, record_id, action, after, enterprise_id, district_id)
		SELECT 'enterprise', a.id, 'insert', to_jsonb(a), a.id, a.district_id
		FROM new_rows a ORDER BY a.id;
	ELSIF TG_OP = 'UPDATE' THEN
		INSERT INTO gb.history (table_name, record_id, action, before, after, enterprise_id, district_id)
		SELECT 'enterprise', a.id, 'update', to_jsonb(b), to_jsonb(a), a.id, a.district_id
		FROM new_rows a JOIN old_rows b ON b.id = a.id
		WHERE to_jsonb(a) <> to_jsonb(b) ORDER BY a.id;
	ELSE
		INSERT INTO gb.history (table_name, record_id, action, before, enterprise_id, district_id)
		SELECT 'enterprise', b.id, 'delete', to_jsonb(b), b.id, b.district_id
		FROM old_rows b ORDER BY b.id;
	END IF;
	GET DIAGNOSTICS n = ROW_COUNT;
	IF n = 1 THEN
		IF TG_OP = 'DELETE' THEN
			SELECT id, version INTO one_id, one_version FROM old_rows;
		ELSIF TG_OP = 'INSERT' THEN
			SELECT id, version INTO one_id, one_version FROM new_rows;
		ELSE
			SELECT a.id, a.version INTO one_id, one_version
			FROM new_rows a JOIN old_rows b ON b.id = a.id WHERE to_jsonb(a) <> to_jsonb(b);
		END IF;
		PERFORM pg_notify('gb_change', json_build_object('table', 'enterprise', 'id', one_id,
			'version', one_version)::text);
	ELSIF n > 1 THEN
		PERFORM pg_notify('gb_change', json_build_object('table', 'enterprise', 'bulk', true,
			'count', n)::text);
	END IF;
	RETURN NULL;
END $$;

RESET ROLE;

-- ---------------------------------------------------------------- work queue: own role only
-- A step waits for the role whose work it is: the district (apply,
-- submit), the agency (start, request_acceptance, start_coaching), or the
-- city when only the city takes it.  The city may also take the district's
-- and the agency's steps (it may do everything), but they do not wait for
-- it: wf_transition.queue marks the role a step waits for.
SET ROLE gb_owner;

ALTER TABLE gb.wf_transition ADD COLUMN queue boolean NOT NULL DEFAULT false;
UPDATE gb.wf_transition t SET queue = t.role <> 'city' OR NOT EXISTS (
	SELECT 1 FROM gb.wf_transition u
	WHERE (u.kind, u.from_state, u.action) = (t.kind, t.from_state, t.action) AND u.role <> 'city');

-- As in 005, with only the steps that wait for the officer's own role.
CREATE OR REPLACE VIEW gb.v_work_queue AS
SELECT q.year, q.kind, q.case_id, q.enterprise_id, e.name AS enterprise_name,
       d.name AS district_name, q.state, s.label AS state_label, t.action,
       a.label AS action_label, dl.due_on AS deadline, dl.due_on - current_date AS days_left
FROM (SELECT 'gb'::text AS kind, c.id AS case_id, c.year, c.enterprise_id, c.state, NULL::text AS level
      FROM gb.gb_case c
      UNION ALL
      SELECT 'demo', c.id, c.year, c.enterprise_id, c.state, c.level
      FROM gb.demo_case c) q
JOIN gb.wf_transition t ON t.kind = q.kind AND t.from_state = q.state AND t.role = gb.my_role() AND t.queue
JOIN gb.wf_action a ON a.kind = t.kind AND a.code = t.action AND a.in_queue
JOIN gb.wf_state s ON s.kind = q.kind AND s.code = q.state
JOIN gb.enterprise e ON e.id = q.enterprise_id
JOIN gb.district d ON d.id = e.district_id
LEFT JOIN gb.deadline dl ON dl.year = q.year
	AND dl.code = replace(t.deadline_code, '{level}', coalesce(q.level, ''));

RESET ROLE;

-- ---------------------------------------------------------------- labels of every tracked column
-- Every column of every table with history has a Chinese label (conflict
-- details, the activity summary, the client's record view); the catalogue
-- test tests/sql/db_labels.sh fails for a column without one.
SET ROLE gb_owner;

-- The bookkeeping columns, wherever they occur.
INSERT INTO gb.field_label (table_name, column_name, label)
SELECT c.relname, a.attname, x.label
FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = 'gb'
JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
JOIN (VALUES ('id', '记录号'), ('version', '版本'), ('updated_at', '修改时间'), ('updated_by', '修改人'),
	     ('created_at', '创建时间'), ('last_action', '最近操作'), ('last_note', '最近操作说明'),
	     ('state_changed_at', '状态变更时间'), ('note', '备注'), ('year', '年度'),
	     ('enterprise_id', '企业'), ('gb_case_id', '贯标案件'), ('demo_case_id', '示范案件'),
	     ('district_id', '所在区镇'), ('agency_id', '服务机构'), ('indicator_version_id', '指标体系'))
	AS x(col, label) ON x.col = a.attname
WHERE c.relkind = 'r'
ON CONFLICT DO NOTHING;

INSERT INTO gb.field_label (table_name, column_name, label) VALUES
	('programme_year', 'doc_no', '文号'),
	('programme_year', 'title', '方案名称'),
	('programme_year', 'gb_target', '贯标目标（家）'),
	('programme_year', 'demo_suzhou_quota', '苏州市级示范推荐名额'),
	('programme_year', 'demo_province_quota', '省级示范推荐名额'),
	('programme_year', 'credit_report_valid_days', '信用查询报告有效期（天）'),
	('programme_year', 'gb_pass_score', '贯标验收合格分'),
	('programme_year', 'demo_pass_score', '示范评价合格分'),
	('programme_year', 'publicity_days', '公示天数'),
	('programme_year', 'min_trainings', '最少培训次数'),
	('programme_year', 'min_dedicated_staff', '最少专职人员数'),
	('programme_year', 'min_coaching_months', '最短跟踪辅导月数'),
	('programme_year', 'years_after_gb', '贯标通过后申报示范年限'),
	('programme_year', 'province_after_years', '苏州市级示范后推荐省级年限'),
	('programme_year', 'dishonesty_years', '严重失信查询年限'),
	('programme_year', 'min_operating_years', '最短经营年限'),
	('programme_year', 'is_sample', '样例数据'),
	('deadline', 'code', '节点代码'),
	('deadline', 'label', '工作节点'),
	('deadline', 'due_on', '截止日期'),
	('deadline', 'sort_order', '排序'),
	('district', 'code', '区镇代码'),
	('district', 'name', '区镇名称'),
	('district', 'kind', '区镇类别'),
	('district', 'sort_order', '排序'),
	('district', 'active', '启用'),
	('district', 'stat_code', '统计代码'),
	('agency', 'name', '机构名称'),
	('agency', 'uscc', '统一社会信用代码'),
	('agency', 'contact_name', '联系人'),
	('agency', 'contact_phone', '联系电话'),
	('agency', 'address', '地址'),
	('agency', 'active', '在册'),
	('agency_staff', 'name', '姓名'),
	('agency_staff', 'title', '职务'),
	('agency_staff', 'phone', '电话'),
	('agency_staff', 'active', '在职'),
	('officer', 'login', '登录名'),
	('credit_check', 'stage', '查询环节'),
	('demo_case', 'level', '示范级别'),
	('demo_case', 'kind', '案件类别'),
	('gb_case', 'kind', '案件类别'),
	('demo_event', 'kind', '事项'),
	('demo_event', 'occurred_on', '发生日期'),
	('demo_event', 'deadline_on', '整改期限'),
	('demo_event', 'outcome', '结果'),
	('demo_event', 'announcement_ref', '通报文号'),
	('evaluation', 'evaluated_on', '评价日期'),
	('evaluation', 'evaluator', '评价人'),
	('evaluation_score', 'evaluation_id', '评价'),
	('evaluation_score', 'indicator_id', '指标'),
	('evaluation_score', 'self_score', '自评分'),
	('evaluation_score', 'self_finding', '自评说明'),
	('evaluation_score', 'acceptance_score', '验收分'),
	('evaluation_score', 'acceptance_finding', '验收意见'),
	('indicator', 'version_id', '指标体系'),
	('indicator', 'code', '指标编号'),
	('indicator', 'parent_code', '上级指标编号'),
	('indicator', 'level', '层级'),
	('indicator', 'title', '指标内容'),
	('indicator', 'max_score', '满分'),
	('indicator', 'sort_order', '排序'),
	('indicator_version', 'name', '指标体系名称'),
	('indicator_version', 'is_sample', '样例'),
	('indicator_version', 'total_score', '总分'),
	('indicator_version', 'loaded_at', '导入时间'),
	('indicator_version', 'loaded_by', '导入人'),
	('material', 'programme', '所属工作'),
	('material', 'kind', '材料'),
	('reward', 'programme', '奖励项目'),
	('visit', 'contract_id', '合同'),
	('visit', 'staff_name', '服务人员')
ON CONFLICT DO NOTHING;

RESET ROLE;

-- ---------------------------------------------------------------- activity newest first
-- gb.v_activity is read newest first by the time of the change:
--   ORDER BY at DESC, id DESC, next page WHERE (at, id) < ($1, $2)
-- (ids do not follow times: sample and imported history is backdated).
-- This index serves both, under every officer's row policy; it replaces
-- the index on at alone.
CREATE INDEX history_at_id ON gb.history (at, id);
DROP INDEX gb.history_at;
