-- 003: identity, versioning, history and notification triggers, the rules
-- of DOMAIN.md §6, the workflow actions and enterprise_save.
SET ROLE gb_owner;

-- ---------------------------------------------------------------- identity
-- The officer row of the login role (session_user: SET ROLE, PGUSER or
-- PGOPTIONS cannot change it), or no row.
CREATE FUNCTION gb.my_role() RETURNS text
LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = pg_catalog, gb, pg_temp
AS $$ SELECT role FROM gb.officer WHERE login = session_user AND active $$;

CREATE FUNCTION gb.my_district() RETURNS int
LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = pg_catalog, gb, pg_temp
AS $$ SELECT district_id FROM gb.officer WHERE login = session_user AND active $$;

CREATE FUNCTION gb.my_agency() RETURNS bigint
LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = pg_catalog, gb, pg_temp
AS $$ SELECT agency_id FROM gb.officer WHERE login = session_user AND active $$;

CREATE FUNCTION gb.role_label(role text) RETURNS text
LANGUAGE sql IMMUTABLE
AS $$ SELECT CASE role WHEN 'city' THEN '市信用办' WHEN 'district' THEN '区镇'
	WHEN 'agency' THEN '服务机构' WHEN 'observer' THEN '观察员' END $$;

-- Who is connected; raises GB001 for a login that is not an active officer.
CREATE FUNCTION gb.current_officer()
RETURNS TABLE (login name, name text, role text, district_id int, district_name text,
	       agency_id bigint, agency_name text, role_label text)
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = pg_catalog, gb, pg_temp
AS $$
BEGIN
	RETURN QUERY
	SELECT o.login, o.name, o.role, o.district_id, d.name, o.agency_id, a.name,
	       gb.role_label(o.role)
	FROM gb.officer o
	LEFT JOIN gb.district d ON d.id = o.district_id
	LEFT JOIN gb.agency a ON a.id = o.agency_id
	WHERE o.login = session_user AND o.active;
	IF NOT FOUND THEN
		RAISE EXCEPTION USING ERRCODE = 'GB001',
			MESSAGE = format('当前登录角色 %s 不是登记的工作人员', session_user),
			HINT = '请市信用办用 guanbiao admin officer add 登记';
	END IF;
END $$;

-- my_role() or GB001.
CREATE FUNCTION gb.require_officer() RETURNS text
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, gb, pg_temp
AS $$
DECLARE
	r text := gb.my_role();
BEGIN
	IF r IS NULL THEN
		RAISE EXCEPTION USING ERRCODE = 'GB001',
			MESSAGE = format('当前登录角色 %s 不是登记的工作人员', session_user),
			HINT = '请市信用办用 guanbiao admin officer add 登记';
	END IF;
	RETURN r;
END $$;

-- ---------------------------------------------------------------- triggers
-- Every update bumps the version and records who and when.
CREATE FUNCTION gb.tg_version() RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, gb, pg_temp
AS $$
BEGIN
	NEW.version := OLD.version + 1;
	NEW.updated_at := now();
	NEW.updated_by := session_user;
	RETURN NEW;
END $$;

-- New rows are version 1, stamped with who made them.
CREATE FUNCTION gb.tg_version_insert() RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, gb, pg_temp
AS $$
BEGIN
	NEW.version := 1;
	NEW.updated_at := now();
	NEW.updated_by := session_user;
	RETURN NEW;
END $$;

-- The enterprise a row belongs to (for history rights), or NULL.
CREATE FUNCTION gb.row_enterprise(tbl text, r jsonb) RETURNS bigint
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, gb, pg_temp
AS $$
DECLARE
	e bigint;
BEGIN
	IF tbl = 'enterprise' THEN
		RETURN (r->>'id')::bigint;
	ELSIF r ? 'enterprise_id' THEN
		RETURN (r->>'enterprise_id')::bigint;
	ELSIF r->>'gb_case_id' IS NOT NULL THEN
		SELECT enterprise_id INTO e FROM gb.gb_case WHERE id = (r->>'gb_case_id')::bigint;
	ELSIF r->>'demo_case_id' IS NOT NULL THEN
		SELECT enterprise_id INTO e FROM gb.demo_case WHERE id = (r->>'demo_case_id')::bigint;
	ELSIF r->>'evaluation_id' IS NOT NULL THEN
		SELECT coalesce(g.enterprise_id, d.enterprise_id) INTO e
		FROM gb.evaluation v
		LEFT JOIN gb.gb_case g ON g.id = v.gb_case_id
		LEFT JOIN gb.demo_case d ON d.id = v.demo_case_id
		WHERE v.id = (r->>'evaluation_id')::bigint;
	END IF;
	RETURN e;
END $$;

-- Exactly one history row per changed row, then a notification carrying
-- only table, id and version.  State changes of cases take their action,
-- note and override from the row (columns only the action functions set).
CREATE FUNCTION gb.tg_history() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, gb, pg_temp
AS $$
DECLARE
	b jsonb;
	a jsonb;
	r jsonb;
	act text := lower(TG_OP);
	fs text;
	ts text;
	nt text;
	ov text;
	eid bigint;
	did int;
	rid bigint;
BEGIN
	IF TG_OP <> 'INSERT' THEN
		b := to_jsonb(OLD);
	END IF;
	IF TG_OP <> 'DELETE' THEN
		a := to_jsonb(NEW);
	END IF;
	r := coalesce(a, b);
	rid := coalesce((r->>'id')::bigint, (r->>'year')::bigint);
	IF r ? 'state' THEN
		fs := b->>'state';
		ts := a->>'state';
		IF TG_OP = 'INSERT' OR (TG_OP = 'UPDATE' AND fs IS DISTINCT FROM ts) THEN
			act := coalesce(a->>'last_action', act);
			nt := a->>'last_note';
			IF a->>'override_reason' IS DISTINCT FROM b->>'override_reason' THEN
				ov := a->>'override_reason';
			END IF;
		END IF;
	END IF;
	eid := gb.row_enterprise(TG_TABLE_NAME, r);
	IF r ? 'district_id' AND TG_TABLE_NAME <> 'officer' THEN
		did := (r->>'district_id')::int;
	ELSIF eid IS NOT NULL THEN
		SELECT district_id INTO did FROM gb.enterprise WHERE id = eid;
	END IF;
	INSERT INTO gb.history (table_name, record_id, action, from_state, to_state,
				before, after, note, override_reason, enterprise_id, district_id)
	VALUES (TG_TABLE_NAME, rid, act, fs, ts, b, a, nt, ov, eid, did);
	PERFORM pg_notify('gb_change', json_build_object('table', TG_TABLE_NAME, 'id', rid,
		'version', (r->>'version')::int)::text);
	RETURN NULL;
END $$;

-- History is append-only, even for its owner; a migration may lift this
-- for one transaction with SET LOCAL gb.history_maintenance = 'on' (only a
-- superuser runs migrations).
CREATE FUNCTION gb.tg_history_append_only() RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, gb, pg_temp
AS $$
BEGIN
	IF current_setting('gb.history_maintenance', true) = 'on'
	   AND (SELECT rolsuper FROM pg_roles WHERE rolname = session_user) THEN
		RETURN coalesce(NEW, OLD);
	END IF;
	RAISE EXCEPTION USING ERRCODE = 'GB008',
		MESSAGE = '操作记录只能追加，不能修改或删除';
END $$;

CREATE TRIGGER history_append_only BEFORE UPDATE OR DELETE ON gb.history
	FOR EACH ROW EXECUTE FUNCTION gb.tg_history_append_only();
CREATE TRIGGER history_no_truncate BEFORE TRUNCATE ON gb.history
	FOR EACH STATEMENT EXECUTE FUNCTION gb.tg_history_append_only();

-- Keep gb.agency_access equal to the (agency, enterprise) pairs of contracts.
CREATE FUNCTION gb.tg_agency_access() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, gb, pg_temp
AS $$
BEGIN
	IF TG_OP IN ('UPDATE', 'DELETE') THEN
		DELETE FROM gb.agency_access x
		WHERE x.agency_id = OLD.agency_id AND x.enterprise_id = OLD.enterprise_id
		  AND NOT EXISTS (SELECT 1 FROM gb.contract c
				  WHERE c.agency_id = OLD.agency_id AND c.enterprise_id = OLD.enterprise_id);
	END IF;
	IF TG_OP IN ('INSERT', 'UPDATE') THEN
		INSERT INTO gb.agency_access (agency_id, enterprise_id)
		VALUES (NEW.agency_id, NEW.enterprise_id) ON CONFLICT DO NOTHING;
	END IF;
	RETURN NULL;
END $$;

CREATE TRIGGER contract_agency_access AFTER INSERT OR UPDATE OR DELETE ON gb.contract
	FOR EACH ROW EXECUTE FUNCTION gb.tg_agency_access();

-- Raise GB006 naming the field.
CREATE FUNCTION gb.field_error(tbl text, col text, msg text) RETURNS void
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, gb, pg_temp
AS $$
DECLARE
	lbl text := coalesce((SELECT label FROM gb.field_label WHERE table_name = tbl AND column_name = col), col);
BEGIN
	RAISE EXCEPTION USING ERRCODE = 'GB006',
		MESSAGE = CASE WHEN starts_with(msg, lbl) THEN msg ELSE format('%s：%s', lbl, msg) END,
		DETAIL = format('字段 %s', col),
		HINT = '请改正该字段后再保存';
END $$;

-- Field checks of an enterprise with messages naming the field, for every
-- writer (enterprise_save, import, psql); the constraints stay as a backstop.
CREATE FUNCTION gb.tg_enterprise_validate() RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, gb, pg_temp
AS $$
DECLARE
	p text;
BEGIN
	NEW.uscc := upper(btrim(NEW.uscc));
	NEW.name := btrim(NEW.name);
	p := gb.uscc_problem(NEW.uscc);
	IF p IS NOT NULL THEN
		PERFORM gb.field_error('enterprise', 'uscc', p);
	END IF;
	IF coalesce(NEW.name, '') = '' THEN
		PERFORM gb.field_error('enterprise', 'name', '不能为空');
	END IF;
	IF NEW.sales_revenue_wan < 0 THEN
		PERFORM gb.field_error('enterprise', 'sales_revenue_wan', format('不能为负数（%s）', NEW.sales_revenue_wan));
	END IF;
	IF NEW.employees <= 0 THEN
		PERFORM gb.field_error('enterprise', 'employees', format('应大于 0（%s）', NEW.employees));
	END IF;
	IF NEW.established_on > current_date THEN
		PERFORM gb.field_error('enterprise', 'established_on', format('不能晚于今天（%s）', NEW.established_on));
	END IF;
	IF NEW.sales_year > extract(year FROM current_date) THEN
		PERFORM gb.field_error('enterprise', 'sales_year', format('不能晚于今年（%s）', NEW.sales_year));
	END IF;
	IF NEW.industry NOT IN ('制造业', '生产性服务业', '其他') THEN
		PERFORM gb.field_error('enterprise', 'industry', format('应为 制造业、生产性服务业 或 其他（%s）', NEW.industry));
	END IF;
	RETURN NEW;
END $$;

CREATE TRIGGER enterprise_validate BEFORE INSERT OR UPDATE ON gb.enterprise
	FOR EACH ROW EXECUTE FUNCTION gb.tg_enterprise_validate();

-- A score belongs to a leaf of the evaluation's indicator version and stays
-- within the leaf's maximum.
CREATE FUNCTION gb.tg_score_check() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, gb, pg_temp
AS $$
DECLARE
	ind gb.indicator;
	ver bigint;
BEGIN
	SELECT indicator_version_id INTO ver FROM gb.evaluation WHERE id = NEW.evaluation_id;
	SELECT * INTO ind FROM gb.indicator WHERE id = NEW.indicator_id;
	IF ind.version_id IS DISTINCT FROM ver OR ind.level <> 3 THEN
		RAISE EXCEPTION USING ERRCODE = 'GB006',
			MESSAGE = format('指标 %s 不是本次评价所用指标体系的考核内容（第三级）', ind.code);
	END IF;
	IF NEW.self_score > ind.max_score THEN
		RAISE EXCEPTION USING ERRCODE = 'GB006',
			MESSAGE = format('自评分 %s 超过指标 %s“%s”的满分 %s', NEW.self_score, ind.code, ind.title, ind.max_score);
	END IF;
	IF NEW.acceptance_score > ind.max_score THEN
		RAISE EXCEPTION USING ERRCODE = 'GB006',
			MESSAGE = format('验收分 %s 超过指标 %s“%s”的满分 %s', NEW.acceptance_score, ind.code, ind.title, ind.max_score);
	END IF;
	RETURN NEW;
END $$;

CREATE TRIGGER evaluation_score_check BEFORE INSERT OR UPDATE ON gb.evaluation_score
	FOR EACH ROW EXECUTE FUNCTION gb.tg_score_check();

-- Version and history triggers on every editable table.
DO $$
DECLARE
	t text;
BEGIN
	FOREACH t IN ARRAY ARRAY['programme_year', 'deadline', 'district', 'district_year',
		'agency', 'agency_staff', 'officer', 'enterprise', 'contract', 'visit',
		'credit_check', 'gb_case', 'training', 'demo_case', 'demo_event', 'material',
		'evaluation', 'evaluation_score', 'reward'] LOOP
		EXECUTE format('CREATE TRIGGER %I BEFORE UPDATE ON gb.%I FOR EACH ROW EXECUTE FUNCTION gb.tg_version()',
			       t || '_version', t);
		EXECUTE format('CREATE TRIGGER %I BEFORE INSERT ON gb.%I FOR EACH ROW EXECUTE FUNCTION gb.tg_version_insert()',
			       t || '_version_insert', t);
		EXECUTE format('CREATE TRIGGER %I AFTER INSERT OR UPDATE OR DELETE ON gb.%I FOR EACH ROW EXECUTE FUNCTION gb.tg_history()',
			       t || '_history', t);
	END LOOP;
	FOREACH t IN ARRAY ARRAY['indicator_version', 'indicator'] LOOP
		EXECUTE format('CREATE TRIGGER %I AFTER INSERT OR UPDATE OR DELETE ON gb.%I FOR EACH ROW EXECUTE FUNCTION gb.tg_history()',
			       t || '_history', t);
	END LOOP;
END $$;

-- ---------------------------------------------------------------- rules
CREATE FUNCTION gb.state_label(k text, s text) RETURNS text
LANGUAGE sql STABLE
SET search_path = pg_catalog, gb, pg_temp
AS $$ SELECT label FROM gb.wf_state WHERE kind = k AND code = s $$;

CREATE FUNCTION gb.action_label(k text, a text) RETURNS text
LANGUAGE sql STABLE
SET search_path = pg_catalog, gb, pg_temp
AS $$ SELECT label FROM gb.wf_action WHERE kind = k AND code = a $$;

CREATE FUNCTION gb.level_label(level text) RETURNS text
LANGUAGE sql IMMUTABLE
AS $$ SELECT CASE level WHEN 'suzhou' THEN '苏州市级示范' WHEN 'province' THEN '江苏省级示范' END $$;

-- The programme year or GB005.
CREATE FUNCTION gb.programme(y int) RETURNS gb.programme_year
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, gb, pg_temp
AS $$
DECLARE
	p gb.programme_year;
BEGIN
	SELECT * INTO p FROM gb.programme_year WHERE year = y;
	IF NOT FOUND THEN
		RAISE EXCEPTION USING ERRCODE = 'GB005',
			MESSAGE = format('%s 年度的工作方案尚未登记', y),
			HINT = '请市信用办先登记该年度（guanbiao admin programme load-2020 或录入年度参数）';
	END IF;
	RETURN p;
END $$;

-- The latest serious-dishonesty finding within the lookback, or NULL.
CREATE FUNCTION gb.serious_dishonesty_since(eid bigint, since date) RETURNS gb.credit_check
LANGUAGE sql STABLE
SET search_path = pg_catalog, gb, pg_temp
AS $$ SELECT * FROM gb.credit_check
	WHERE enterprise_id = eid AND serious_dishonesty AND issued_on > since
	ORDER BY issued_on DESC LIMIT 1 $$;

-- 贯标 eligibility (DOMAIN.md §6) of enterprise e for year p, as of today.
CREATE FUNCTION gb.rules_gb_apply(e gb.enterprise, p gb.programme_year, committed boolean)
RETURNS TABLE (rule text, ok boolean, reason text)
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, gb, pg_temp
AS $$
DECLARE
	d gb.district;
	cc gb.credit_check;
	limit_on date := current_date - make_interval(years => p.min_operating_years);
BEGIN
	SELECT * INTO d FROM gb.district WHERE id = e.district_id;
	rule := 'registered'; ok := d.active;
	reason := CASE WHEN ok THEN format('在%s注册（%s）', '昆山', d.name)
		       ELSE format('所在区镇 %s 已停用', d.name) END;
	RETURN NEXT;
	rule := 'operating_years';
	ok := e.established_on IS NOT NULL AND e.established_on <= limit_on;
	reason := CASE WHEN e.established_on IS NULL THEN '成立日期未登记'
		WHEN ok THEN format('成立于 %s，正常经营 %s 年以上', e.established_on, p.min_operating_years)
		ELSE format('成立于 %s，经营未满 %s 年（需在 %s 或之前成立）', e.established_on, p.min_operating_years, limit_on) END;
	RETURN NEXT;
	rule := 'independent_legal_person'; ok := e.independent_legal_person;
	reason := CASE WHEN ok THEN '具有独立法人资格' ELSE '不具有独立法人资格' END;
	RETURN NEXT;
	rule := 'above_scale'; ok := e.above_scale;
	reason := CASE WHEN ok THEN '规模以上企业' ELSE '不是规模以上企业' END;
	RETURN NEXT;
	rule := 'industry'; ok := e.industry IN ('制造业', '生产性服务业');
	reason := CASE WHEN ok THEN format('行业：%s', e.industry)
		       ELSE format('行业为“%s”，贯标只面向制造业和生产性服务业', e.industry) END;
	RETURN NEXT;
	cc := gb.serious_dishonesty_since(e.id, (current_date - make_interval(years => p.dishonesty_years))::date);
	rule := 'no_serious_dishonesty'; ok := cc.id IS NULL;
	reason := CASE WHEN ok THEN format('近 %s 年内无严重失信记录', p.dishonesty_years)
		ELSE format('%s 查询报告（%s）显示严重失信：%s', cc.issued_on, coalesce(cc.report_no, '无编号'), cc.finding) END;
	RETURN NEXT;
	rule := 'management_committed'; ok := committed;
	reason := CASE WHEN ok THEN '企业负责人和管理团队重视信用管理工作'
		       ELSE '申请未确认企业负责人和管理团队重视信用管理工作' END;
	RETURN NEXT;
END $$;

-- The newest credit report of e (any stage), or an empty row.
CREATE FUNCTION gb.latest_credit_report(eid bigint) RETURNS gb.credit_check
LANGUAGE sql STABLE
SET search_path = pg_catalog, gb, pg_temp
AS $$ SELECT * FROM gb.credit_check WHERE enterprise_id = eid
	ORDER BY issued_on DESC, id DESC LIMIT 1 $$;

-- Whether the 贯标 case c may request acceptance: checklist, trainings,
-- staff, materials, a valid credit report.
CREATE FUNCTION gb.rules_gb_acceptance(c gb.gb_case, p gb.programme_year)
RETURNS TABLE (rule text, ok boolean, reason text)
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, gb, pg_temp
AS $$
DECLARE
	n int;
	staff int;
	cc gb.credit_check;
	missing text;
BEGIN
	rule := 'working_group'; ok := c.working_group_formed;
	reason := CASE WHEN ok THEN '已成立贯标工作小组' ELSE '尚未成立贯标工作小组' END;
	RETURN NEXT;
	rule := 'work_plan'; ok := c.work_plan_done;
	reason := CASE WHEN ok THEN '已制定工作方案' ELSE '尚未制定工作方案' END;
	RETURN NEXT;
	staff := coalesce(array_length(array_remove(regexp_split_to_array(btrim(coalesce(c.dedicated_staff, '')), '\s*[、,，;；]\s*'), ''), 1), 0);
	rule := 'dedicated_staff'; ok := staff >= p.min_dedicated_staff;
	reason := CASE WHEN ok THEN format('专职人员：%s', c.dedicated_staff)
		       ELSE format('专职人员 %s 名，至少需要 %s 名', staff, p.min_dedicated_staff) END;
	RETURN NEXT;
	rule := 'department'; ok := c.department_defined;
	reason := CASE WHEN ok THEN '已明确信用管理部门和岗位职责' ELSE '尚未明确信用管理部门和岗位职责' END;
	RETURN NEXT;
	SELECT count(*) INTO n FROM gb.training WHERE gb_case_id = c.id;
	rule := 'trainings'; ok := n >= p.min_trainings;
	reason := format('已开展贯标培训 %s 次，至少需要 %s 次', n, p.min_trainings);
	RETURN NEXT;
	rule := 'internal_evaluation'; ok := c.internal_evaluation_done;
	reason := CASE WHEN ok THEN '已形成内部评估报告' ELSE '尚未形成信用管理内部评估报告' END;
	RETURN NEXT;
	SELECT string_agg(k.label, '、' ORDER BY k.sort_order) INTO missing
	FROM gb.material_kind k
	LEFT JOIN gb.material m ON m.gb_case_id = c.id AND m.kind = k.code
	WHERE k.programme = 'gb' AND k.required AND coalesce(m.status, 'missing') <> 'received';
	rule := 'materials'; ok := missing IS NULL;
	reason := CASE WHEN ok THEN '验收材料齐全' ELSE '缺少验收材料：' || missing END;
	RETURN NEXT;
	cc := gb.latest_credit_report(c.enterprise_id);
	rule := 'credit_report';
	ok := cc.id IS NOT NULL AND NOT cc.serious_dishonesty
	      AND cc.issued_on > current_date - p.credit_report_valid_days;
	reason := CASE WHEN cc.id IS NULL THEN '没有《社会法人信用信息查询报告》'
		WHEN cc.serious_dishonesty THEN format('%s 的查询报告显示严重失信', cc.issued_on)
		WHEN ok THEN format('查询报告 %s（%s 出具）在有效期内', coalesce(cc.report_no, ''), cc.issued_on)
		ELSE format('查询报告 %s 出具，已超过 %s 天有效期', cc.issued_on, p.credit_report_valid_days) END;
	RETURN NEXT;
	cc := gb.serious_dishonesty_since(c.enterprise_id, current_date - make_interval(years => p.dishonesty_years));
	rule := 'no_serious_dishonesty'; ok := cc.id IS NULL;
	reason := CASE WHEN ok THEN format('近 %s 年内无严重失信记录', p.dishonesty_years)
		ELSE format('%s 查询报告显示严重失信：%s', cc.issued_on, cc.finding) END;
	RETURN NEXT;
END $$;

-- 示范 eligibility of enterprise e at level lv for year p, as of today.
-- self_id: the case being acted on (not counted as another open case).
CREATE FUNCTION gb.rules_demo(e gb.enterprise, lv text, p gb.programme_year, self_id bigint)
RETURNS TABLE (rule text, ok boolean, reason text)
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, gb, pg_temp
AS $$
DECLARE
	g gb.gb_case;
	dm gb.demo_case;
	cc gb.credit_check;
	need date;
BEGIN
	IF lv = 'suzhou' THEN
		SELECT * INTO g FROM gb.gb_case WHERE enterprise_id = e.id AND state = 'passed'
		ORDER BY passed_on LIMIT 1;
		need := current_date - make_interval(years => p.years_after_gb);
		rule := 'gb_passed_years';
		ok := g.id IS NOT NULL AND g.passed_on <= need;
		reason := CASE WHEN g.id IS NULL THEN '尚未通过贯标验收'
			WHEN ok THEN format('贯标验收通过已满 %s 年（%s 通过）', p.years_after_gb, g.passed_on)
			ELSE format('贯标验收通过未满 %s 年（%s 通过），不能申报苏州市级示范', p.years_after_gb, g.passed_on) END;
		RETURN NEXT;
	ELSE
		SELECT * INTO dm FROM gb.demo_case
		WHERE enterprise_id = e.id AND level = 'suzhou' AND state = 'designated'
		ORDER BY designated_on LIMIT 1;
		rule := 'suzhou_designated_years';
		ok := dm.id IS NOT NULL AND extract(year FROM dm.designated_on) <= p.year - p.province_after_years;
		reason := CASE WHEN dm.id IS NULL THEN '不是苏州市级信用管理示范企业'
			WHEN ok THEN format('%s 年获评苏州市级示范（%s 年度或之前）', extract(year FROM dm.designated_on), p.year - p.province_after_years)
			ELSE format('%s 年获评苏州市级示范，须在 %s 年度（含）之前获评才能推荐省级示范',
				    extract(year FROM dm.designated_on), p.year - p.province_after_years) END;
		RETURN NEXT;
	END IF;
	cc := gb.serious_dishonesty_since(e.id, (current_date - make_interval(years => p.dishonesty_years))::date);
	rule := 'no_serious_dishonesty'; ok := cc.id IS NULL;
	reason := CASE WHEN ok THEN format('近 %s 年内无严重失信记录', p.dishonesty_years)
		ELSE format('%s 查询报告显示严重失信：%s', cc.issued_on, cc.finding) END;
	RETURN NEXT;
	SELECT * INTO dm FROM gb.demo_case
	WHERE enterprise_id = e.id AND level = lv AND id IS DISTINCT FROM self_id
	  AND state NOT IN ('rejected', 'revoked', 'withdrawn')
	LIMIT 1;
	rule := 'one_open_case'; ok := dm.id IS NULL;
	reason := CASE WHEN ok THEN format('没有进行中的%s案件', gb.level_label(lv))
		ELSE format('已有%s案件（%s 年度，%s）', gb.level_label(lv), dm.year, gb.state_label('demo', dm.state)) END;
	RETURN NEXT;
END $$;

-- "Why not?": every rule for enterprise eid and target ('gb_apply',
-- 'gb_acceptance', 'demo_suzhou', 'demo_province') in year y, with pass or
-- fail and the reason.  Rows the officer may not see give GB002.
CREATE FUNCTION gb.explain(enterprise_id bigint, target text, year int)
RETURNS TABLE (rule text, ok boolean, reason text)
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, gb, pg_temp
AS $$
DECLARE
	e gb.enterprise;
	p gb.programme_year;
	c gb.gb_case;
	eid constant bigint := enterprise_id;
	y constant int := year;
BEGIN
	PERFORM gb.require_officer();
	SELECT * INTO e FROM gb.enterprise x WHERE x.id = eid;
	IF NOT FOUND THEN
		PERFORM gb.raise_not_found('企业', eid);
	END IF;
	p := gb.programme(y);
	SELECT * INTO c FROM gb.gb_case g WHERE g.enterprise_id = eid AND g.year = y;
	IF target = 'gb_apply' THEN
		RETURN QUERY SELECT * FROM gb.rules_gb_apply(e, p, coalesce(c.management_committed, true));
		rule := 'one_case_per_year'; ok := c.id IS NULL OR c.state = 'draft';
		reason := CASE WHEN ok THEN format('%s 年度尚无贯标申请', y)
			ELSE format('%s 年度已有贯标案件（%s）', y, gb.state_label('gb', c.state)) END;
		RETURN NEXT;
	ELSIF target = 'gb_acceptance' THEN
		rule := 'case_state';
		ok := coalesce(c.state IN ('implementing', 'rectifying'), false);
		reason := CASE WHEN c.id IS NULL THEN format('%s 年度没有贯标案件', y)
			WHEN ok THEN format('案件状态：%s', gb.state_label('gb', c.state))
			ELSE format('案件状态为“%s”，只有贯标实施中或整改中的案件可以申请验收', gb.state_label('gb', c.state)) END;
		RETURN NEXT;
		IF c.id IS NOT NULL THEN
			RETURN QUERY SELECT * FROM gb.rules_gb_acceptance(c, p);
		END IF;
	ELSIF target IN ('demo_suzhou', 'demo_province') THEN
		RETURN QUERY SELECT * FROM gb.rules_demo(e, substr(target, 6), p, NULL);
	ELSE
		RAISE EXCEPTION USING ERRCODE = 'GB006',
			MESSAGE = format('未知的目标 %s', target),
			HINT = '目标应为 gb_apply、gb_acceptance、demo_suzhou 或 demo_province';
	END IF;
END $$;

-- ---------------------------------------------------------------- action helpers
-- Raise GB005 when any rule failed: the first reason is the message, all
-- failed reasons the detail.
CREATE FUNCTION gb.enforce(rules jsonb, what text) RETURNS void
LANGUAGE plpgsql IMMUTABLE
AS $$
DECLARE
	failed text[];
BEGIN
	SELECT array_agg(r->>'reason') INTO failed
	FROM jsonb_array_elements(rules) r WHERE NOT (r->>'ok')::boolean;
	IF failed IS NOT NULL THEN
		RAISE EXCEPTION USING ERRCODE = 'GB005',
			MESSAGE = failed[1],
			DETAIL = format('%s：%s', what, array_to_string(failed, '；')),
			HINT = '可用“为什么不能”查看全部条件';
	END IF;
END $$;

-- GB004 for a stale version of table tbl row id: who changed it and when,
-- and which fields.
CREATE FUNCTION gb.raise_conflict(tbl text, rid bigint, expected int, current_version int)
RETURNS void
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, gb, pg_temp
AS $$
DECLARE
	h gb.history;
	who text;
	fields text;
BEGIN
	SELECT * INTO h FROM gb.history
	WHERE table_name = tbl AND record_id = rid ORDER BY id DESC LIMIT 1;
	SELECT coalesce(o.name || '（' || h.login || '）', h.login) INTO who
	FROM (SELECT 1) x LEFT JOIN gb.officer o ON o.login = h.login;
	SELECT string_agg(DISTINCT coalesce(l.label, k), '、') INTO fields
	FROM gb.history x, jsonb_object_keys(x.after) k
	LEFT JOIN gb.field_label l ON l.table_name = tbl AND l.column_name = k
	WHERE x.table_name = tbl AND x.record_id = rid AND x.action <> 'insert'
	  AND (x.after->>'version')::int > expected
	  AND k NOT IN ('version', 'updated_at', 'updated_by', 'state_changed_at', 'last_action', 'last_note')
	  AND x.before->k IS DISTINCT FROM x.after->k;
	RAISE EXCEPTION USING ERRCODE = 'GB004',
		MESSAGE = format('记录已被他人修改（您的版本 %s，当前版本 %s）', expected, current_version),
		DETAIL = format('%s 于 %s 修改%s', coalesce(who, '未知'),
				to_char(h.at, 'YYYY-MM-DD HH24:MI:SS'),
				CASE WHEN fields IS NULL THEN '' ELSE '：' || fields END),
		HINT = '请刷新后再决定是否重新修改';
END $$;

-- The transition for (kind, state, action) that role may take, checking
-- the role and the state; raises GB003/GB005 otherwise.
CREATE FUNCTION gb.find_transition(k text, st text, act text, r text) RETURNS gb.wf_transition
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, gb, pg_temp
AS $$
DECLARE
	t gb.wf_transition;
	roles text;
BEGIN
	IF NOT EXISTS (SELECT 1 FROM gb.wf_action WHERE kind = k AND code = act) THEN
		RAISE EXCEPTION USING ERRCODE = 'GB006', MESSAGE = format('未知的操作 %s', act);
	END IF;
	SELECT * INTO t FROM gb.wf_transition
	WHERE kind = k AND from_state = st AND action = act AND role = r;
	IF FOUND THEN
		RETURN t;
	END IF;
	SELECT string_agg(gb.role_label(role), '、') INTO roles FROM gb.wf_transition
	WHERE kind = k AND from_state = st AND action = act;
	IF roles IS NULL THEN
		RAISE EXCEPTION USING ERRCODE = 'GB005',
			MESSAGE = format('状态为“%s”的案件不能执行“%s”', gb.state_label(k, st), gb.action_label(k, act));
	END IF;
	RAISE EXCEPTION USING ERRCODE = 'GB003',
		MESSAGE = format('%s不能对状态为“%s”的案件执行“%s”（只有%s可以）',
				 gb.role_label(r), gb.state_label(k, st), gb.action_label(k, act), roles);
END $$;

-- Note required by the action, and override reasons only from the city.
CREATE FUNCTION gb.check_note(k text, act text, note text, override_reason text, r text)
RETURNS void
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, gb, pg_temp
AS $$
BEGIN
	IF (SELECT note_required FROM gb.wf_action WHERE kind = k AND code = act)
	   AND btrim(coalesce(note, '')) = '' THEN
		RAISE EXCEPTION USING ERRCODE = 'GB006',
			MESSAGE = format('“%s”需要填写理由', gb.action_label(k, act)),
			DETAIL = '字段 note';
	END IF;
	IF override_reason IS NOT NULL AND r <> 'city' THEN
		RAISE EXCEPTION USING ERRCODE = 'GB003',
			MESSAGE = '只有市信用办可以登记超出名额的理由';
	END IF;
END $$;

-- Quota of enrolled 贯标 cases of the enterprise's district in year y,
-- with the district_year row locked so concurrent enrolments serialise.
CREATE FUNCTION gb.check_gb_quota(did int, y int, self_id bigint, override_reason text)
RETURNS text
LANGUAGE plpgsql
SET search_path = pg_catalog, gb, pg_temp
AS $$
DECLARE
	q gb.district_year;
	n int;
	dname text := (SELECT name FROM gb.district WHERE id = did);
BEGIN
	SELECT * INTO q FROM gb.district_year WHERE district_id = did AND year = y FOR UPDATE;
	IF NOT FOUND THEN
		RAISE EXCEPTION USING ERRCODE = 'GB005',
			MESSAGE = format('%s %s 年度没有贯标名额', dname, y),
			HINT = '请市信用办先登记该区镇的年度名额';
	END IF;
	SELECT count(*) INTO n FROM gb.gb_case c JOIN gb.enterprise e ON e.id = c.enterprise_id
	WHERE e.district_id = did AND c.year = y AND c.enrolled_on IS NOT NULL
	  AND c.state <> 'withdrawn' AND c.id <> self_id;
	IF n < q.quota_gb THEN
		RETURN NULL;
	END IF;
	IF btrim(coalesce(override_reason, '')) = '' THEN
		RAISE EXCEPTION USING ERRCODE = 'GB007',
			MESSAGE = format('%s %s 年度贯标名额 %s 家已满（已入选 %s 家）', dname, y, q.quota_gb, n),
			HINT = '市信用办可登记超出名额的理由后确定入选';
	END IF;
	RETURN override_reason;
END $$;

-- Quota of recommended 示范 cases of level lv in year y (city-wide), with
-- the programme_year row locked.
CREATE FUNCTION gb.check_demo_quota(lv text, y int, self_id bigint, override_reason text)
RETURNS text
LANGUAGE plpgsql
SET search_path = pg_catalog, gb, pg_temp
AS $$
DECLARE
	p gb.programme_year;
	quota int;
	n int;
BEGIN
	SELECT * INTO p FROM gb.programme_year WHERE year = y FOR UPDATE;
	quota := CASE lv WHEN 'suzhou' THEN p.demo_suzhou_quota ELSE p.demo_province_quota END;
	SELECT count(*) INTO n FROM gb.demo_case
	WHERE year = y AND level = lv AND recommended_on IS NOT NULL
	  AND state <> 'withdrawn' AND id <> self_id;
	IF n < quota THEN
		RETURN NULL;
	END IF;
	IF btrim(coalesce(override_reason, '')) = '' THEN
		RAISE EXCEPTION USING ERRCODE = 'GB007',
			MESSAGE = format('%s 年度%s推荐名额 %s 家已满（已推荐 %s 家）', y, gb.level_label(lv), quota, n),
			HINT = '市信用办可登记超出名额的理由后推荐';
	END IF;
	RETURN override_reason;
END $$;


-- The checks every action shares once the case row is locked: version
-- (GB004), role and state (GB003/GB005), note and override (GB006/GB003).
-- Returns the transition to apply.
CREATE FUNCTION gb.act_check(k text, tbl text, cid bigint, st text, cur_version int,
			     expected int, act text, note text, override_reason text, r text)
RETURNS gb.wf_transition
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, gb, pg_temp
AS $$
BEGIN
	IF cur_version <> expected THEN
		PERFORM gb.raise_conflict(tbl, cid, expected, cur_version);
	END IF;
	PERFORM gb.check_note(k, act, note, override_reason, r);
	RETURN gb.find_transition(k, st, act, r);
END $$;

-- GB002 for a case that is not there or not visible.
CREATE FUNCTION gb.raise_not_found(what text, cid bigint) RETURNS void
LANGUAGE plpgsql IMMUTABLE
AS $$
BEGIN
	RAISE EXCEPTION USING ERRCODE = 'GB002', MESSAGE = format('%s %s 不存在或无权查看', what, cid);
END $$;

-- The enterprise a new case is opened for: the caller must be city or the
-- enterprise's district (GB003), and see it (GB002).
CREATE FUNCTION gb.case_enterprise(eid bigint, r text, what text) RETURNS gb.enterprise
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, gb, pg_temp
AS $$
DECLARE
	e gb.enterprise;
BEGIN
	IF r NOT IN ('city', 'district') THEN
		RAISE EXCEPTION USING ERRCODE = 'GB003', MESSAGE = format('%s不能%s', gb.role_label(r), what);
	END IF;
	SELECT * INTO e FROM gb.enterprise x WHERE x.id = eid;
	IF NOT FOUND THEN
		PERFORM gb.raise_not_found('企业', eid);
	END IF;
	IF r = 'district' AND e.district_id IS DISTINCT FROM gb.my_district() THEN
		RAISE EXCEPTION USING ERRCODE = 'GB003', MESSAGE = format('%s 不属于本区镇', e.name);
	END IF;
	RETURN e;
END $$;

-- Score of a case: its evaluation's leaf acceptance scores when every leaf
-- is scored, else the recorded score.
CREATE FUNCTION gb.evaluation_total(k text, case_id bigint, recorded numeric) RETURNS numeric
LANGUAGE sql STABLE
SET search_path = pg_catalog, gb, pg_temp
AS $$
	SELECT coalesce((
		SELECT CASE WHEN count(s.acceptance_score) = count(i.id) THEN sum(s.acceptance_score) END
		FROM gb.evaluation v
		JOIN gb.indicator i ON i.version_id = v.indicator_version_id AND i.level = 3
		LEFT JOIN gb.evaluation_score s ON s.evaluation_id = v.id AND s.indicator_id = i.id
		WHERE CASE k WHEN 'gb' THEN v.gb_case_id ELSE v.demo_case_id END = case_id), recorded)
$$;

-- ---------------------------------------------------------------- 贯标 actions
-- Rules an action on 贯标 case c needs beyond role and state; returns the
-- override reason to record (quota), or NULL.
CREATE FUNCTION gb.gb_action_rules(c gb.gb_case, act text, override_reason text)
RETURNS text
LANGUAGE plpgsql
SET search_path = pg_catalog, gb, pg_temp
AS $$
DECLARE
	p gb.programme_year := gb.programme(c.year);
	e gb.enterprise;
	ov text;
	score numeric;
BEGIN
	SELECT * INTO e FROM gb.enterprise WHERE id = c.enterprise_id;
	IF act IN ('apply', 'submit', 'enrol') THEN
		PERFORM gb.enforce((SELECT jsonb_agg(to_jsonb(r)) FROM gb.rules_gb_apply(e, p, c.management_committed) r),
				   '贯标申请条件');
	END IF;
	IF act = 'enrol' THEN
		ov := gb.check_gb_quota(e.district_id, c.year, c.id, override_reason);
	ELSIF act = 'start' THEN
		IF NOT EXISTS (SELECT 1 FROM gb.contract WHERE enterprise_id = c.enterprise_id
			       AND kind = 'gb_consult' AND year = c.year) THEN
			RAISE EXCEPTION USING ERRCODE = 'GB005',
				MESSAGE = format('%s 尚未与信用服务机构签订 %s 年度贯标咨询服务合同', e.name, c.year),
				HINT = '请先登记贯标咨询合同';
		END IF;
	ELSIF act IN ('request_acceptance', 'pass') THEN
		PERFORM gb.enforce((SELECT jsonb_agg(to_jsonb(r)) FROM gb.rules_gb_acceptance(c, p) r),
				   '贯标验收条件');
	END IF;
	IF act = 'pass' THEN
		score := gb.evaluation_total('gb', c.id, c.acceptance_score);
		IF score IS NULL OR score < p.gb_pass_score THEN
			RAISE EXCEPTION USING ERRCODE = 'GB005',
				MESSAGE = CASE WHEN score IS NULL THEN '尚未登记验收评分，不能验收通过'
					ELSE format('验收得分 %s 低于 %s 年度合格线 %s', score, c.year, p.gb_pass_score) END;
		END IF;
	END IF;
	RETURN ov;
END $$;

-- Take action act on 贯标 case case_id at expected_version: role, state,
-- version and every rule checked, state and history written together.
-- Returns the new version.
CREATE FUNCTION gb.gb_case_act(case_id bigint, expected_version int, action text,
			       note text DEFAULT NULL, override_reason text DEFAULT NULL)
RETURNS int
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, gb, pg_temp
AS $$
#variable_conflict use_variable
DECLARE
	r text := gb.require_officer();
	c gb.gb_case;
	t gb.wf_transition;
	ov text;
	newv int;
	today date := current_date;
BEGIN
	SELECT * INTO c FROM gb.gb_case WHERE id = case_id FOR UPDATE;
	IF NOT FOUND THEN
		PERFORM gb.raise_not_found('贯标案件', case_id);
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

-- The district records an application of enterprise_id for year: creates
-- the case as 已申请 after checking eligibility (as 草稿 when as_draft,
-- without the checks).  Returns the case id.
CREATE FUNCTION gb.gb_case_apply(enterprise_id bigint, year int,
				 management_committed boolean DEFAULT true,
				 as_draft boolean DEFAULT false)
RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, gb, pg_temp
AS $$
DECLARE
	r text := gb.require_officer();
	e gb.enterprise;
	p gb.programme_year;
	c gb.gb_case;
	eid constant bigint := enterprise_id;
	y constant int := year;
	committed constant boolean := management_committed;
	newid bigint;
BEGIN
	e := gb.case_enterprise(eid, r, '登记贯标申请');
	p := gb.programme(y);
	SELECT * INTO c FROM gb.gb_case g WHERE g.enterprise_id = eid AND g.year = y;
	IF FOUND THEN
		RAISE EXCEPTION USING ERRCODE = 'GB005',
			MESSAGE = format('%s 已有 %s 年度贯标案件（%s）', e.name, y, gb.state_label('gb', c.state));
	END IF;
	IF NOT as_draft THEN
		PERFORM gb.enforce((SELECT jsonb_agg(to_jsonb(x)) FROM gb.rules_gb_apply(e, p, committed) x),
				   '贯标申请条件');
	END IF;
	INSERT INTO gb.gb_case (enterprise_id, year, state, management_committed, applied_on,
				last_action)
	VALUES (eid, y, CASE WHEN as_draft THEN 'draft' ELSE 'applied' END, committed,
		CASE WHEN as_draft THEN NULL ELSE current_date END,
		CASE WHEN as_draft THEN 'create' ELSE 'apply' END)
	RETURNING id INTO newid;
	RETURN newid;
EXCEPTION WHEN unique_violation THEN
	RAISE EXCEPTION USING ERRCODE = 'GB005',
		MESSAGE = format('%s 已有 %s 年度贯标案件', e.name, y);
END $$;

-- ---------------------------------------------------------------- 示范 actions
CREATE FUNCTION gb.demo_action_rules(c gb.demo_case, act text, override_reason text)
RETURNS text
LANGUAGE plpgsql
SET search_path = pg_catalog, gb, pg_temp
AS $$
DECLARE
	p gb.programme_year := gb.programme(c.year);
	e gb.enterprise;
	k gb.contract;
	ov text;
	score numeric;
BEGIN
	SELECT * INTO e FROM gb.enterprise WHERE id = c.enterprise_id;
	IF act IN ('pre_approve', 'recommend') THEN
		PERFORM gb.enforce((SELECT jsonb_agg(to_jsonb(r)) FROM gb.rules_demo(e, c.level, p, c.id) r),
				   gb.level_label(c.level) || '条件');
	END IF;
	IF act = 'recommend' THEN
		ov := gb.check_demo_quota(c.level, c.year, c.id, override_reason);
	ELSIF act = 'start_coaching' THEN
		SELECT * INTO k FROM gb.contract WHERE enterprise_id = c.enterprise_id
		  AND kind = 'demo_coaching' AND year = c.year ORDER BY filed_on NULLS LAST LIMIT 1;
		IF k.id IS NULL OR k.filed_on IS NULL THEN
			RAISE EXCEPTION USING ERRCODE = 'GB005',
				MESSAGE = CASE WHEN k.id IS NULL
					THEN format('%s 尚未签订 %s 年度示范跟踪辅导合同', e.name, c.year)
					ELSE format('%s 的示范跟踪辅导合同尚未报市信用办备案', e.name) END;
		END IF;
	ELSIF act = 'evaluate' THEN
		SELECT * INTO k FROM gb.contract WHERE enterprise_id = c.enterprise_id
		  AND kind = 'demo_coaching' AND year = c.year ORDER BY starts_on LIMIT 1;
		IF k.starts_on + make_interval(months => p.min_coaching_months) > current_date THEN
			RAISE EXCEPTION USING ERRCODE = 'GB005',
				MESSAGE = format('跟踪辅导未满 %s 个月（%s 开始，%s 满期）', p.min_coaching_months,
						 k.starts_on, (k.starts_on + make_interval(months => p.min_coaching_months))::date);
		END IF;
		score := gb.evaluation_total('demo', c.id, c.evaluation_score);
		IF score IS NULL THEN
			RAISE EXCEPTION USING ERRCODE = 'GB005', MESSAGE = '尚未登记现场评价得分';
		END IF;
	ELSIF act = 'publicise' THEN
		score := gb.evaluation_total('demo', c.id, c.evaluation_score);
		IF score IS NULL OR score < p.demo_pass_score THEN
			RAISE EXCEPTION USING ERRCODE = 'GB005',
				MESSAGE = format('评价得分 %s 低于 %s 年度示范合格线 %s', coalesce(score::text, '（无）'), c.year, p.demo_pass_score);
		END IF;
	ELSIF act = 'designate' THEN
		IF c.publicity_to IS NULL OR c.publicity_to >= current_date THEN
			RAISE EXCEPTION USING ERRCODE = 'GB005',
				MESSAGE = format('公示期未结束（%s 至 %s）', c.publicity_from, c.publicity_to);
		END IF;
	END IF;
	RETURN ov;
END $$;

CREATE FUNCTION gb.demo_case_act(case_id bigint, expected_version int, action text,
				 note text DEFAULT NULL, override_reason text DEFAULT NULL)
RETURNS int
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, gb, pg_temp
AS $$
#variable_conflict use_variable
DECLARE
	r text := gb.require_officer();
	c gb.demo_case;
	t gb.wf_transition;
	ov text;
	newv int;
	today date := current_date;
	p gb.programme_year;
BEGIN
	SELECT * INTO c FROM gb.demo_case WHERE id = case_id FOR UPDATE;
	IF NOT FOUND THEN
		PERFORM gb.raise_not_found('示范案件', case_id);
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

-- A district (own enterprises) or the city nominates enterprise_id for 示范
-- at level ('suzhou' or 'province') in year.  Returns the case id.
CREATE FUNCTION gb.demo_case_nominate(enterprise_id bigint, level text, year int)
RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, gb, pg_temp
AS $$
DECLARE
	r text := gb.require_officer();
	e gb.enterprise;
	p gb.programme_year;
	eid constant bigint := enterprise_id;
	lv constant text := level;
	y constant int := year;
	newid bigint;
BEGIN
	IF lv IS NULL OR lv NOT IN ('suzhou', 'province') THEN
		RAISE EXCEPTION USING ERRCODE = 'GB006', MESSAGE = format('示范级别应为 suzhou 或 province（%s）', lv);
	END IF;
	e := gb.case_enterprise(eid, r, '提名示范企业');
	p := gb.programme(y);
	PERFORM gb.enforce((SELECT jsonb_agg(to_jsonb(x)) FROM gb.rules_demo(e, lv, p, NULL) x),
			   gb.level_label(lv) || '条件');
	INSERT INTO gb.demo_case (enterprise_id, level, year, state, nominated_on, last_action)
	VALUES (eid, lv, y, 'nominated', current_date, 'nominate')
	RETURNING id INTO newid;
	RETURN newid;
EXCEPTION WHEN unique_violation THEN
	RAISE EXCEPTION USING ERRCODE = 'GB005',
		MESSAGE = format('%s 已有进行中的%s案件', e.name, gb.level_label(lv));
END $$;

-- Actions the current officer may take now on a case, with labels.
CREATE FUNCTION gb.case_actions(kind text, case_id bigint)
RETURNS TABLE (action text, label text, note_required boolean)
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, gb, pg_temp
AS $$
DECLARE
	r text := gb.require_officer();
	st text;
	k constant text := kind;
BEGIN
	IF k = 'gb' THEN
		SELECT state INTO st FROM gb.gb_case WHERE id = case_id;
	ELSIF k = 'demo' THEN
		SELECT state INTO st FROM gb.demo_case WHERE id = case_id;
	ELSE
		RAISE EXCEPTION USING ERRCODE = 'GB006', MESSAGE = format('案件类别应为 gb 或 demo（%s）', k);
	END IF;
	IF st IS NULL THEN
		RAISE EXCEPTION USING ERRCODE = 'GB002', MESSAGE = format('案件 %s 不存在或无权查看', case_id);
	END IF;
	RETURN QUERY
	SELECT t.action, a.label, a.note_required
	FROM gb.wf_transition t JOIN gb.wf_action a ON a.kind = t.kind AND a.code = t.action
	JOIN gb.wf_state s ON s.kind = t.kind AND s.code = t.to_state
	WHERE t.kind = k AND t.from_state = st AND t.role = r
	ORDER BY s.sort_order, t.action;
END $$;

-- A serious-dishonesty finding disqualifies the enterprise's open 贯标
-- cases and puts its 示范 designations into rectification (DOMAIN.md §6),
-- in the same transaction, with history.
CREATE FUNCTION gb.tg_serious_dishonesty() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, gb, pg_temp
AS $$
DECLARE
	why text := format('严重失信（%s %s）：%s', NEW.issued_on, coalesce(NEW.report_no, ''), NEW.finding);
BEGIN
	IF NOT NEW.serious_dishonesty OR (TG_OP = 'UPDATE' AND OLD.serious_dishonesty) THEN
		RETURN NULL;
	END IF;
	UPDATE gb.gb_case SET state = 'disqualified', state_changed_at = now(),
		last_action = 'disqualify', last_note = why
	WHERE enterprise_id = NEW.enterprise_id
	  AND state IN (SELECT code FROM gb.wf_state WHERE kind = 'gb' AND is_open);
	UPDATE gb.demo_case SET state = 'rectifying', state_changed_at = now(),
		last_action = 'rectify', last_note = why, rectify_by = current_date + 90
	WHERE enterprise_id = NEW.enterprise_id AND state = 'designated';
	RETURN NULL;
END $$;

CREATE TRIGGER credit_check_serious AFTER INSERT OR UPDATE OF serious_dishonesty ON gb.credit_check
	FOR EACH ROW EXECUTE FUNCTION gb.tg_serious_dishonesty();

-- ---------------------------------------------------------------- enterprise_save
-- Create (id NULL) or update an enterprise from fields (jsonb keys = column
-- names of gb.enterprise, or "district" for a district name), compare-and-
-- set on expected_version.  Runs with the caller's rights: grants and row
-- policies decide, this adds clear messages: GB006 naming the field, GB004
-- with who/when/which fields, GB003 for another district.
CREATE FUNCTION gb.enterprise_save(enterprise_id bigint, expected_version int, fields jsonb)
RETURNS TABLE (id bigint, version int)
LANGUAGE plpgsql
SET search_path = pg_catalog, gb, pg_temp
AS $$
#variable_conflict use_column
DECLARE
	r text := gb.require_officer();
	eid constant bigint := enterprise_save.enterprise_id;
	ev constant int := expected_version;
	f jsonb := coalesce(fields, '{}');
	cur gb.enterprise;
	nr gb.enterprise;
	k text;
	v jsonb;
	allowed constant text[] := ARRAY['uscc', 'name', 'district_id', 'district', 'industry', 'above_scale',
		'established_on', 'independent_legal_person', 'main_products', 'sales_revenue_wan',
		'sales_year', 'employees', 'contact_name', 'contact_phone'];
	w text;
BEGIN
	IF r NOT IN ('city', 'district') THEN
		RAISE EXCEPTION USING ERRCODE = 'GB003', MESSAGE = format('%s不能修改企业信息', gb.role_label(r));
	END IF;
	IF jsonb_typeof(f) <> 'object' THEN
		RAISE EXCEPTION USING ERRCODE = 'GB006', MESSAGE = '字段应为 JSON 对象';
	END IF;
	IF eid IS NOT NULL THEN
		SELECT * INTO cur FROM gb.enterprise e WHERE e.id = eid;
		IF NOT FOUND THEN
			PERFORM gb.raise_not_found('企业', eid);
		END IF;
		IF cur.version IS DISTINCT FROM ev THEN
			PERFORM gb.raise_conflict('enterprise', eid, ev, cur.version);
		END IF;
		nr := cur;
	ELSE
		nr.industry := '制造业';
		nr.above_scale := false;
		nr.independent_legal_person := true;
		nr.district_id := gb.my_district();
	END IF;
	-- One key at a time, so that a bad value names its field.
	FOR k, v IN SELECT * FROM jsonb_each(f) LOOP
		IF NOT k = ANY (allowed) THEN
			RAISE EXCEPTION USING ERRCODE = 'GB006', MESSAGE = format('未知字段 %s', k),
				HINT = '可用字段：' || array_to_string(allowed, '、');
		END IF;
		IF k = 'district' THEN
			SELECT d.id INTO nr.district_id FROM gb.district d WHERE d.name = v #>> '{}';
			IF NOT FOUND THEN
				PERFORM gb.field_error('enterprise', 'district_id', format('没有名为“%s”的区镇', v #>> '{}'));
			END IF;
			CONTINUE;
		END IF;
		BEGIN
			nr := jsonb_populate_record(nr, jsonb_build_object(k, v));
		EXCEPTION WHEN data_exception THEN
			PERFORM gb.field_error('enterprise', k, format('“%s”格式不对', v #>> '{}'));
		END;
	END LOOP;
	IF btrim(coalesce(nr.uscc, '')) = '' THEN
		PERFORM gb.field_error('enterprise', 'uscc', '不能为空');
	END IF;
	IF nr.district_id IS NULL THEN
		PERFORM gb.field_error('enterprise', 'district_id', '请选择所在区镇');
	END IF;
	IF r = 'district' AND nr.district_id IS DISTINCT FROM gb.my_district() THEN
		RAISE EXCEPTION USING ERRCODE = 'GB003', MESSAGE = '区镇工作人员只能登记和修改本区镇的企业';
	END IF;
	w := gb.uscc_org_warning(nr.uscc);
	IF w IS NOT NULL AND gb.uscc_problem(nr.uscc) IS NULL THEN
		RAISE NOTICE '%', w;
	END IF;
	BEGIN
		IF eid IS NULL THEN
			INSERT INTO gb.enterprise AS e (uscc, name, district_id, industry, above_scale, established_on,
				independent_legal_person, main_products, sales_revenue_wan, sales_year, employees,
				contact_name, contact_phone)
			VALUES (nr.uscc, nr.name, nr.district_id, nr.industry, nr.above_scale, nr.established_on,
				nr.independent_legal_person, nr.main_products, nr.sales_revenue_wan, nr.sales_year,
				nr.employees, nr.contact_name, nr.contact_phone)
			RETURNING e.id, e.version INTO id, version;
		ELSE
			UPDATE gb.enterprise AS e SET uscc = nr.uscc, name = nr.name, district_id = nr.district_id,
				industry = nr.industry, above_scale = nr.above_scale, established_on = nr.established_on,
				independent_legal_person = nr.independent_legal_person, main_products = nr.main_products,
				sales_revenue_wan = nr.sales_revenue_wan, sales_year = nr.sales_year, employees = nr.employees,
				contact_name = nr.contact_name, contact_phone = nr.contact_phone
			WHERE e.id = eid AND e.version = ev
			RETURNING e.id, e.version INTO id, version;
			IF NOT FOUND THEN
				SELECT * INTO cur FROM gb.enterprise e WHERE e.id = eid;
				PERFORM gb.raise_conflict('enterprise', eid, ev, cur.version);
			END IF;
		END IF;
	EXCEPTION WHEN unique_violation THEN
		PERFORM gb.field_error('enterprise', 'uscc', format('%s 已经登记过（可能属于其他区镇）', upper(btrim(nr.uscc))));
	END;
	RETURN NEXT;
END $$;

RESET ROLE;
