-- 006: administration, run by `guanbiao admin` as a superuser: the 2020
-- Kunshan programme, officers, indicator versions.  These functions are
-- owned by the migrating superuser and nobody else may execute them.

-- The 2020 programme (昆信用办〔2020〕4号): year, calendar, the 11
-- districts and their quotas.  Idempotent; returns what it did.
CREATE FUNCTION gb.admin_programme_load_2020() RETURNS text
LANGUAGE plpgsql
SET search_path = pg_catalog, gb, pg_temp
AS $$
DECLARE
	added int := 0;
BEGIN
	INSERT INTO gb.district (code, name, kind, sort_order)
	SELECT v.code, v.name, v.kind, v.sort_order FROM (VALUES
		('kfq', '昆山开发区', '开发区', 1),
		('gxq', '昆山高新区', '高新区', 2),
		('hqkfq', '花桥经济开发区', '开发区', 3),
		('zp', '张浦镇', '镇', 4),
		('zs', '周市镇', '镇', 5),
		('lj', '陆家镇', '镇', 6),
		('bc', '巴城镇', '镇', 7),
		('qd', '千灯镇', '镇', 8),
		('dsh', '淀山湖镇', '镇', 9),
		('zz', '周庄镇', '镇', 10),
		('jx', '锦溪镇', '镇', 11)) AS v(code, name, kind, sort_order)
	WHERE NOT EXISTS (SELECT 1 FROM gb.district d WHERE d.name = v.name);
	IF EXISTS (SELECT 1 FROM gb.programme_year WHERE year = 2020) THEN
		RETURN '2020 年度工作方案已存在，未改动';
	END IF;
	INSERT INTO gb.programme_year (year, doc_no, title, gb_target, demo_suzhou_quota, demo_province_quota)
	VALUES (2020, '昆信用办〔2020〕4号', '2020年昆山市企业信用管理贯标和示范创建工作方案', 66, 6, 1);
	PERFORM gb.admin_calendar(2020, false);
	INSERT INTO gb.district_year (year, district_id, quota_gb, quota_demo)
	SELECT 2020, d.id, v.quota, NULL
	FROM (VALUES ('昆山开发区', 10), ('昆山高新区', 10), ('花桥经济开发区', 6), ('张浦镇', 8),
		     ('周市镇', 8), ('陆家镇', 5), ('巴城镇', 6), ('千灯镇', 5), ('淀山湖镇', 3),
		     ('周庄镇', 2), ('锦溪镇', 3)) AS v(name, quota)
	JOIN gb.district d ON d.name = v.name;
	GET DIAGNOSTICS added = ROW_COUNT;
	RETURN format('已登记 2020 年度工作方案（昆信用办〔2020〕4号），%s 个区镇，贯标 66 家，苏州市级示范 6 家，省级示范 1 家', added);
END $$;

-- The calendar of DOMAIN.md §5 for year y (the 2020 dates, moved to y).
CREATE FUNCTION gb.admin_calendar(y int, sample boolean) RETURNS void
LANGUAGE sql
SET search_path = pg_catalog, gb, pg_temp
AS $$
	INSERT INTO gb.deadline (year, code, label, due_on, sort_order)
	SELECT y, v.code, v.label, make_date(y, v.m, v.d), v.s
	FROM (VALUES
		('gb_list', '区镇确定贯标企业名单，市信用办组织宣贯培训', 4, 10, 1),
		('gb_summary', '区镇报送贯标企业汇总表（附件2）', 4, 15, 2),
		('demo_suzhou_recommend', '市信用办推荐苏州市级示范创建名单', 4, 30, 3),
		('demo_province_recommend', '推荐省级示范候选企业', 7, 31, 4),
		('gb_acceptance', '市信用办完成贯标验收', 8, 15, 5),
		('demo_suzhou_evaluation', '苏州完成现场评价认定和公示', 9, 30, 6)) AS v(code, label, m, d, s)
	ON CONFLICT (year, code) DO NOTHING;
$$;

-- Register login as an officer with role (city, district, agency,
-- observer) and scope; creates the login role when missing (never
-- superuser, never BYPASSRLS) and makes it a member of exactly one group.
CREATE FUNCTION gb.admin_officer_add(login text, role text, district text, agency text, name text)
RETURNS text
LANGUAGE plpgsql
SET search_path = pg_catalog, gb, pg_temp
AS $$
DECLARE
	did int;
	aid bigint;
	r pg_roles;
	created boolean := false;
	g text;
BEGIN
	IF login IS NULL OR login !~ '^[a-z_][a-z0-9_.-]*$' OR length(login) > 63 THEN
		RAISE EXCEPTION USING ERRCODE = 'GB006',
			MESSAGE = format('登录名 %s 无效（应为小写字母、数字、下划线，与系统用户名相同）', login);
	END IF;
	IF role IS NULL OR role NOT IN ('city', 'district', 'agency', 'observer') THEN
		RAISE EXCEPTION USING ERRCODE = 'GB006',
			MESSAGE = format('角色 %s 无效，应为 city、district、agency 或 observer', role);
	END IF;
	IF (role = 'district') <> (district IS NOT NULL) THEN
		RAISE EXCEPTION USING ERRCODE = 'GB006',
			MESSAGE = CASE WHEN role = 'district' THEN '区镇工作人员需要 --district 区镇名'
				       ELSE '只有区镇工作人员（--role district）可以指定 --district' END;
	END IF;
	IF (role = 'agency') <> (agency IS NOT NULL) THEN
		RAISE EXCEPTION USING ERRCODE = 'GB006',
			MESSAGE = CASE WHEN role = 'agency' THEN '服务机构人员需要 --agency 机构名'
				       ELSE '只有服务机构人员（--role agency）可以指定 --agency' END;
	END IF;
	IF district IS NOT NULL THEN
		SELECT id INTO did FROM gb.district d WHERE d.name = district OR d.code = district;
		IF did IS NULL THEN
			RAISE EXCEPTION USING ERRCODE = 'GB006',
				MESSAGE = format('没有名为 %s 的区镇', district),
				HINT = (SELECT '现有区镇：' || string_agg(d.name, '、' ORDER BY d.sort_order) FROM gb.district d);
		END IF;
	END IF;
	IF agency IS NOT NULL THEN
		SELECT id INTO aid FROM gb.agency a WHERE a.name = agency;
		IF aid IS NULL THEN
			RAISE EXCEPTION USING ERRCODE = 'GB006', MESSAGE = format('没有名为 %s 的服务机构', agency);
		END IF;
	END IF;
	SELECT * INTO r FROM pg_roles WHERE rolname = login;
	IF NOT FOUND THEN
		EXECUTE format('CREATE ROLE %I LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE', login);
		created := true;
	ELSIF r.rolsuper OR r.rolbypassrls OR r.rolcreaterole OR r.rolname LIKE 'gb\_%' THEN
		RAISE EXCEPTION USING ERRCODE = 'GB003',
			MESSAGE = format('%s 是超级用户、可绕过行级安全或管理角色，不能登记为工作人员', login);
	END IF;
	FOREACH g IN ARRAY ARRAY['gb_city', 'gb_district', 'gb_agency', 'gb_observer'] LOOP
		IF g = 'gb_' || role THEN
			EXECUTE format('GRANT %I TO %I', g, login);
		ELSIF pg_has_role(login, g, 'MEMBER') THEN
			EXECUTE format('REVOKE %I FROM %I', g, login);
		END IF;
	END LOOP;
	INSERT INTO gb.officer AS o (login, role, district_id, agency_id, name, active)
	VALUES (login, role, did, aid, coalesce(nullif(btrim(name), ''), login), true)
	ON CONFLICT ON CONSTRAINT officer_pkey DO UPDATE
	SET role = excluded.role, district_id = excluded.district_id, agency_id = excluded.agency_id,
	    name = CASE WHEN btrim(coalesce($5, '')) = '' THEN o.name ELSE excluded.name END,
	    active = true;
	RETURN format('%s %s：%s%s', CASE WHEN created THEN '已创建登录角色并登记' ELSE '已登记' END,
		      login, gb.role_label(role), coalesce('（' || coalesce(district, agency) || '）', ''));
END $$;

-- Deactivate an officer (history keeps the name) and take the group away.
CREATE FUNCTION gb.admin_officer_remove(login text) RETURNS text
LANGUAGE plpgsql
SET search_path = pg_catalog, gb, pg_temp
AS $$
DECLARE
	g text;
BEGIN
	UPDATE gb.officer o SET active = false WHERE o.login = $1 AND o.active;
	IF NOT FOUND THEN
		RAISE EXCEPTION USING ERRCODE = 'GB002', MESSAGE = format('%s 不是在册的工作人员', $1);
	END IF;
	FOREACH g IN ARRAY ARRAY['gb_city', 'gb_district', 'gb_agency', 'gb_observer'] LOOP
		IF pg_has_role($1, g, 'MEMBER') THEN
			EXECUTE format('REVOKE %I FROM %I', g, $1);
		END IF;
	END LOOP;
	RETURN format('已注销工作人员 %s（登录角色保留，操作记录保留）', $1);
END $$;

-- Load an indicator version from pg_temp.indicator_load (filled by COPY
-- from the CSV: line, code, parent_code, title, max_score as text).
-- Checks: codes unique, parents exist, exactly three levels, scores
-- positive numbers, every parent's maximum = the sum of its children's.
-- Errors name the CSV line.  Returns the version id.
CREATE FUNCTION gb.admin_indicators_load(version_name text, sample boolean) RETURNS bigint
LANGUAGE plpgsql
SET search_path = pg_catalog, gb, pg_temp
AS $$
DECLARE
	bad record;
	vid bigint;
	total numeric;
BEGIN
	IF btrim(coalesce(version_name, '')) = '' THEN
		RAISE EXCEPTION USING ERRCODE = 'GB006', MESSAGE = '指标体系版本名不能为空';
	END IF;
	IF EXISTS (SELECT 1 FROM gb.indicator_version WHERE name = version_name) THEN
		RAISE EXCEPTION USING ERRCODE = 'GB006', MESSAGE = format('指标体系版本 %s 已存在', version_name),
			HINT = '请换一个版本名';
	END IF;
	IF NOT EXISTS (SELECT 1 FROM pg_temp.indicator_load) THEN
		RAISE EXCEPTION USING ERRCODE = 'GB006', MESSAGE = '文件没有数据行';
	END IF;
	UPDATE pg_temp.indicator_load SET code = btrim(code), parent_code = nullif(btrim(parent_code), ''),
		title = btrim(title), max_score = btrim(max_score);
	SELECT * INTO bad FROM pg_temp.indicator_load
	WHERE coalesce(code, '') = '' OR coalesce(title, '') = '' OR coalesce(max_score, '') = ''
	ORDER BY line LIMIT 1;
	IF FOUND THEN
		RAISE EXCEPTION USING ERRCODE = 'GB006',
			MESSAGE = format('第 %s 行：%s不能为空', bad.line,
				CASE WHEN coalesce(bad.code, '') = '' THEN '代码' WHEN coalesce(bad.title, '') = '' THEN '名称' ELSE '满分' END);
	END IF;
	SELECT * INTO bad FROM pg_temp.indicator_load
	WHERE max_score !~ '^[0-9]+(\.[0-9]{1,2})?$' OR max_score::numeric <= 0 ORDER BY line LIMIT 1;
	IF FOUND THEN
		RAISE EXCEPTION USING ERRCODE = 'GB006',
			MESSAGE = format('第 %s 行：满分“%s”不是正数（最多两位小数）', bad.line, bad.max_score);
	END IF;
	SELECT a.line, a.code, b.line AS first INTO bad FROM pg_temp.indicator_load a
	JOIN pg_temp.indicator_load b ON b.code = a.code AND b.line < a.line ORDER BY a.line LIMIT 1;
	IF FOUND THEN
		RAISE EXCEPTION USING ERRCODE = 'GB006',
			MESSAGE = format('第 %s 行：代码 %s 与第 %s 行重复', bad.line, bad.code, bad.first);
	END IF;
	SELECT * INTO bad FROM pg_temp.indicator_load a WHERE a.parent_code IS NOT NULL
	  AND NOT EXISTS (SELECT 1 FROM pg_temp.indicator_load b WHERE b.code = a.parent_code)
	ORDER BY line LIMIT 1;
	IF FOUND THEN
		RAISE EXCEPTION USING ERRCODE = 'GB006',
			MESSAGE = format('第 %s 行：上级代码 %s 不存在', bad.line, bad.parent_code);
	END IF;
	-- Levels from the roots down; anything left unlevelled is in a cycle.
	ALTER TABLE pg_temp.indicator_load ADD COLUMN level int;
	UPDATE pg_temp.indicator_load SET level = 1 WHERE parent_code IS NULL;
	FOR i IN 2..4 LOOP
		UPDATE pg_temp.indicator_load a SET level = i FROM pg_temp.indicator_load b
		WHERE a.parent_code = b.code AND b.level = i - 1 AND a.level IS NULL;
	END LOOP;
	SELECT * INTO bad FROM pg_temp.indicator_load WHERE level IS NULL OR level > 3 ORDER BY line LIMIT 1;
	IF FOUND THEN
		RAISE EXCEPTION USING ERRCODE = 'GB006',
			MESSAGE = format('第 %s 行：指标 %s 超过三级（项目 → 评价内容 → 考核内容）', bad.line, bad.code);
	END IF;
	SELECT * INTO bad FROM pg_temp.indicator_load a WHERE a.level < 3
	  AND NOT EXISTS (SELECT 1 FROM pg_temp.indicator_load b WHERE b.parent_code = a.code)
	ORDER BY line LIMIT 1;
	IF FOUND THEN
		RAISE EXCEPTION USING ERRCODE = 'GB006',
			MESSAGE = format('第 %s 行：第 %s 级指标 %s 没有下级，指标体系必须正好三级', bad.line, bad.level, bad.code);
	END IF;
	SELECT a.line, a.code, a.max_score, s.sum INTO bad FROM pg_temp.indicator_load a
	JOIN (SELECT parent_code, sum(max_score::numeric) AS sum FROM pg_temp.indicator_load
	      GROUP BY parent_code) s ON s.parent_code = a.code
	WHERE s.sum <> a.max_score::numeric ORDER BY a.line LIMIT 1;
	IF FOUND THEN
		RAISE EXCEPTION USING ERRCODE = 'GB006',
			MESSAGE = format('第 %s 行：指标 %s 满分 %s，不等于下级满分之和 %s', bad.line, bad.code, bad.max_score, bad.sum);
	END IF;
	SELECT sum(max_score::numeric) INTO total FROM pg_temp.indicator_load WHERE level = 1;
	INSERT INTO gb.indicator_version (name, is_sample, total_score)
	VALUES (version_name, sample, total) RETURNING id INTO vid;
	-- Parents first (the foreign key to the parent's code).
	INSERT INTO gb.indicator (version_id, code, parent_code, level, title, max_score, sort_order)
	SELECT vid, code, parent_code, level, title, max_score::numeric, line
	FROM pg_temp.indicator_load ORDER BY level, line;
	RETURN vid;
END $$;

REVOKE EXECUTE ON FUNCTION gb.admin_programme_load_2020(), gb.admin_calendar(int, boolean),
	gb.admin_officer_add(text, text, text, text, text), gb.admin_officer_remove(text),
	gb.admin_indicators_load(text, boolean) FROM PUBLIC;
