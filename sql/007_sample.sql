-- 007: sample data (`guanbiao admin sample --enterprises N --seed S`).
-- Deterministic for a seed: every choice comes from hashing (seed, row,
-- purpose).  Enterprises are generated set-based (one INSERT … SELECT);
-- the few hundred cases follow the real state machines with coherent dates
-- and a history chain each.  Runs as a superuser with triggers off
-- (session_replication_role = replica), so it writes its own history rows:
-- one per case step and one summary row for the whole load.

-- A number in [0, 1) from (seed, i, salt).
CREATE FUNCTION gb.sample_rnd(seed int, i bigint, salt int) RETURNS float8
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$ SELECT (hashint8extended(i, seed::bigint * 1000 + salt) & 2147483647)::float8 / 2147483648.0 $$;

-- Element of arr chosen by r in [0, 1).
CREATE FUNCTION gb.sample_pick(arr text[], r float8) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$ SELECT arr[1 + floor(r * array_length(arr, 1))::int] $$;

-- A valid Kunshan USCC (91320583 + organisation code + check) that is a
-- bijection of n (so distinct n give distinct codes).
CREATE FUNCTION gb.sample_uscc(n bigint, prefix text DEFAULT '91320583') RETURNS text
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, gb, pg_temp
AS $$
DECLARE
	alpha constant text := '0123456789ABCDEFGHJKLMNPQRTUWXY';
	x bigint := (n * 295075153) % 852891037441;	-- 31^8; the factor is prime to 31
	body text := '';
	first17 text;
BEGIN
	FOR k IN 1..8 LOOP
		body := substr(alpha, (x % 31)::int + 1, 1) || body;
		x := x / 31;
	END LOOP;
	first17 := prefix || body || gb.org_code_check_char(body);
	RETURN first17 || gb.uscc_check_char(first17);
END $$;

-- Sample programme years before 2020 (same districts, quotas and calendar),
-- so that 示范 cases have earlier 贯标 and designations to rest on.
CREATE FUNCTION gb.sample_years() RETURNS void
LANGUAGE plpgsql
SET search_path = pg_catalog, gb, pg_temp
AS $$
BEGIN
	INSERT INTO gb.programme_year (year, doc_no, title, gb_target, is_sample)
	SELECT y, format('昆信用办〔%s〕样例号', y), format('%s年昆山市企业信用管理贯标和示范创建工作方案（样例）', y), 66, true
	FROM generate_series(2016, 2019) y
	WHERE NOT EXISTS (SELECT 1 FROM gb.programme_year p WHERE p.year = y);
	PERFORM gb.admin_calendar(y, true) FROM generate_series(2016, 2019) y;
	INSERT INTO gb.district_year (year, district_id, quota_gb)
	SELECT y, q.district_id, q.quota_gb FROM gb.district_year q, generate_series(2016, 2019) y
	WHERE q.year = 2020
	ON CONFLICT (year, district_id) DO NOTHING;
END $$;

CREATE FUNCTION gb.sample_agencies(seed int) RETURNS void
LANGUAGE sql
SET search_path = pg_catalog, gb, pg_temp
AS $$
	INSERT INTO gb.agency (name, uscc, contact_name, contact_phone, address)
	SELECT v.name, gb.sample_uscc(900000000 + v.n, '91320500'), v.contact,
	       '0512-6' || lpad((floor(gb.sample_rnd(seed, v.n, 91) * 1e7))::text, 7, '0'), v.addr
	FROM (VALUES
		(1, '苏州诚信通信用管理咨询有限公司', '顾明', '苏州市姑苏区人民路'),
		(2, '江苏中信用评估有限公司', '钱晓', '南京市鼓楼区中山北路'),
		(3, '昆山市信达信用服务有限公司', '陆芳', '昆山市前进中路'),
		(4, '苏州工业园区华信征信有限公司', '沈涛', '苏州工业园区星湖街'),
		(5, '江苏天衡信用管理有限公司', '周宁', '南京市建邺区江东中路'),
		(6, '苏州市远东资信评估有限公司', '吴静', '苏州市吴中区东吴北路')) AS v(n, name, contact, addr)
	WHERE NOT EXISTS (SELECT 1 FROM gb.agency a WHERE a.name = v.name);
	INSERT INTO gb.agency_staff (agency_id, name, title, phone)
	SELECT a.id, s.name, s.title, '139' || lpad((floor(gb.sample_rnd(seed, a.id * 10 + s.k, 92) * 1e8))::text, 8, '0')
	FROM gb.agency a, (VALUES (1, '张伟', '项目经理'), (2, '李娜', '信用管理师')) AS s(k, name, title)
	WHERE NOT EXISTS (SELECT 1 FROM gb.agency_staff x WHERE x.agency_id = a.id);
$$;

-- N enterprises in one statement.  Returns the first new id.
CREATE FUNCTION gb.sample_enterprises(n int, seed int) RETURNS bigint
LANGUAGE plpgsql
SET search_path = pg_catalog, gb, pg_temp
AS $$
DECLARE
	base bigint := (SELECT coalesce(max(id), 0) FROM gb.enterprise);
	-- districts weighted by their 贯标 quota
	dist int[] := (SELECT array_agg(q.district_id ORDER BY d.sort_order, g)
		       FROM gb.district_year q JOIN gb.district d ON d.id = q.district_id,
		       generate_series(1, greatest(q.quota_gb, 1)) g
		       WHERE q.year = (SELECT max(year) FROM gb.programme_year WHERE NOT is_sample));
	zh constant text[] := string_to_array('华鑫宏达盛泰恒瑞丰源祥隆博远创新捷立汇通嘉禾晟鼎金峰海威润凯宇龙德康顺昌荣兴安永正信和美佳豪锦旭天欣腾飞科力明辉亿诚品优睿盈协聚晶星联益富中航卓志精奥英贝乐朗特', NULL);
	ind constant text[] := ARRAY['精密机械', '电子科技', '光电科技', '新材料', '汽车零部件', '精密模具',
		'包装材料', '塑胶制品', '五金制品', '电子材料', '自动化设备', '医疗器械', '食品',
		'纺织', '化工', '环保科技', '智能装备', '机电设备', '金属制品', '印刷', '电线电缆',
		'光学', '半导体', '新能源科技', '物流', '供应链管理', '信息技术', '检测技术', '工业设计', '软件'];
	prod constant text[] := ARRAY['数控机床、精密零件', '印制电路板、电子元器件', 'LED 模组、光学镜片',
		'高分子复合材料', '汽车座椅骨架、冲压件', '注塑模具、冲压模具', '纸箱、缓冲包装',
		'塑料外壳、注塑件', '紧固件、五金配件', '覆铜板、电子胶带', '工业机器人、自动化产线',
		'一次性医用耗材', '烘焙食品、速冻食品', '针织面料、服装', '涂料、胶粘剂', '污水处理设备',
		'智能仓储设备', '电机、减速机', '钢结构、铝型材', '包装印刷品', '电线电缆、线束',
		'光学镜头、显示面板', '芯片封装测试', '锂电池材料、光伏组件', '仓储配送、国际货运代理',
		'供应链管理服务、进出口代理', '工业软件、系统集成', '产品检测、计量校准', '工业产品设计',
		'企业管理软件'];
	surname constant text[] := string_to_array('王李张刘陈杨黄赵吴周徐孙马朱胡郭何林高罗郑梁谢宋唐许韩冯邓曹彭曾肖田董潘袁蔡蒋余于杜叶程魏苏吕丁任沈姚卢顾陆', NULL);
	given constant text[] := string_to_array('伟芳娜敏静丽强磊军洋勇艳杰涛明超秀霞平刚桂英华玉兰萍红建文辉云飞鹏宇晨浩婷雪琳', NULL);
BEGIN
	INSERT INTO gb.enterprise (id, uscc, name, district_id, industry, above_scale, established_on,
		independent_legal_person, main_products, sales_revenue_wan, sales_year, employees,
		contact_name, contact_phone, version, created_at, updated_at, updated_by)
	SELECT base + i, gb.sample_uscc(base + i + seed::bigint * 1000003),
	       CASE WHEN f < 0.55 THEN '昆山' || z || w || '有限公司'
		    WHEN f < 0.70 THEN '昆山市' || z || w || '有限公司'
		    WHEN f < 0.82 THEN z || '（昆山）' || w || '有限公司'
		    WHEN f < 0.88 THEN '昆山' || z || w || '股份有限公司'
		    WHEN f < 0.95 THEN '昆山市' || z || gb.sample_pick(zh, gb.sample_rnd(seed, i, 9))
				     || gb.sample_pick(zh, gb.sample_rnd(seed, i, 10)) || w || '制造科技发展有限公司'
		    WHEN f < 0.98 THEN z || '（中国）' || w || '有限公司'
		    ELSE '昆山（中国）' || z || w || '有限公司' END,
	       dist[1 + floor(gb.sample_rnd(seed, i, 4) * array_length(dist, 1))::int],
	       CASE WHEN k > 24 THEN '生产性服务业' ELSE '制造业' END,
	       above,
	       CASE WHEN gb.sample_rnd(seed, i, 5) < 0.04 THEN date '2019-06-01' + floor(gb.sample_rnd(seed, i, 6) * 500)::int
		    ELSE date '1988-01-01' + floor(gb.sample_rnd(seed, i, 6) * 9800)::int END,
	       gb.sample_rnd(seed, i, 7) < 0.96,
	       prod[k],
	       CASE WHEN above THEN round((2000 * exp(gb.sample_rnd(seed, i, 8) * 4.2))::numeric, 2)
		    ELSE round((100 + gb.sample_rnd(seed, i, 8) * 1890)::numeric, 2) END,
	       2019,
	       CASE WHEN above THEN 30 + floor(20 * exp(gb.sample_rnd(seed, i, 11) * 5))::int
		    ELSE 5 + floor(gb.sample_rnd(seed, i, 11) * 120)::int END,
	       gb.sample_pick(surname, gb.sample_rnd(seed, i, 12)) || gb.sample_pick(given, gb.sample_rnd(seed, i, 13))
		    || CASE WHEN gb.sample_rnd(seed, i, 14) < 0.6 THEN gb.sample_pick(given, gb.sample_rnd(seed, i, 15)) ELSE '' END,
	       CASE WHEN gb.sample_rnd(seed, i, 16) < 0.6
		    THEN '1' || gb.sample_pick('{3,5,7,8,9}', gb.sample_rnd(seed, i, 17))
			 || lpad(floor(gb.sample_rnd(seed, i, 18) * 1e9)::text, 9, '0')
		    ELSE '0512-' || gb.sample_pick('{5,3,8}', gb.sample_rnd(seed, i, 17))
			 || lpad(floor(gb.sample_rnd(seed, i, 18) * 1e7)::text, 7, '0') END,
	       1, now(), now(), session_user
	FROM (SELECT i, gb.sample_rnd(seed, i, 1) AS f,
		     gb.sample_pick(zh, gb.sample_rnd(seed, i, 2)) || gb.sample_pick(zh, gb.sample_rnd(seed, i, 3)) AS z,
		     1 + floor(gb.sample_rnd(seed, i, 19) * array_length(ind, 1))::int AS k,
		     gb.sample_rnd(seed, i, 20) < 0.75 AS above
	      FROM generate_series(1, n) i) s,
	     LATERAL (SELECT ind[s.k] AS w) x;
	PERFORM setval(pg_get_serial_sequence('gb.enterprise', 'id'), (SELECT max(id) FROM gb.enterprise));
	RETURN base + 1;
END $$;

-- Actions leading from nothing to a 贯标 state (the sample's paths).
CREATE FUNCTION gb.sample_gb_path(target text) RETURNS text[]
LANGUAGE sql IMMUTABLE
AS $$ SELECT CASE target
	WHEN 'draft' THEN '{create}'
	WHEN 'applied' THEN '{apply}'
	WHEN 'submitted' THEN '{apply,submit}'
	WHEN 'returned' THEN '{apply,submit,return}'
	WHEN 'withdrawn' THEN '{apply,submit,withdraw}'
	WHEN 'enrolled' THEN '{apply,submit,enrol}'
	WHEN 'implementing' THEN '{apply,submit,enrol,start}'
	WHEN 'acceptance_requested' THEN '{apply,submit,enrol,start,request_acceptance}'
	WHEN 'rectifying' THEN '{apply,submit,enrol,start,request_acceptance,rectify}'
	WHEN 'passed' THEN '{apply,submit,enrol,start,request_acceptance,pass}'
	WHEN 'passed_after_rectify' THEN '{apply,submit,enrol,start,request_acceptance,rectify,request_acceptance,pass}'
	WHEN 'failed' THEN '{apply,submit,enrol,start,request_acceptance,fail}'
	WHEN 'withdrawn_late' THEN '{apply,submit,enrol,start,withdraw}'
	WHEN 'disqualified' THEN '{apply,submit,enrol,start,disqualify}' END::text[] $$;

CREATE FUNCTION gb.sample_demo_path(target text) RETURNS text[]
LANGUAGE sql IMMUTABLE
AS $$ SELECT CASE target
	WHEN 'nominated' THEN '{nominate}'
	WHEN 'pre_approved' THEN '{nominate,pre_approve}'
	WHEN 'recommended' THEN '{nominate,pre_approve,recommend}'
	WHEN 'coaching' THEN '{nominate,pre_approve,recommend,start_coaching}'
	WHEN 'evaluated' THEN '{nominate,pre_approve,recommend,start_coaching,evaluate}'
	WHEN 'publicised' THEN '{nominate,pre_approve,recommend,start_coaching,evaluate,publicise}'
	WHEN 'designated' THEN '{nominate,pre_approve,recommend,start_coaching,evaluate,publicise,designate}'
	WHEN 'rectifying' THEN '{nominate,pre_approve,recommend,start_coaching,evaluate,publicise,designate,rectify}'
	WHEN 'revoked' THEN '{nominate,pre_approve,recommend,start_coaching,evaluate,publicise,designate,rectify,revoke}'
	WHEN 'rejected' THEN '{nominate,pre_approve,reject}'
	WHEN 'withdrawn' THEN '{nominate,withdraw}' END::text[] $$;

-- The usual date (month, day in the programme year; months past 12 run into
-- the next year) of each sample action.
CREATE FUNCTION gb.sample_action_date(y int, action text, nth int) RETURNS date
LANGUAGE sql IMMUTABLE
AS $$ SELECT make_date(y, 1, 1) + (CASE action
	WHEN 'create' THEN '2 months 20 days' WHEN 'apply' THEN '2 months 24 days'
	WHEN 'submit' THEN '3 months 8 days' WHEN 'return' THEN '3 months 17 days'
	WHEN 'enrol' THEN '3 months 19 days' WHEN 'start' THEN '4 months 7 days'
	WHEN 'request_acceptance' THEN CASE WHEN nth = 1 THEN '6 months 19 days' ELSE '7 months 3 days' END
	WHEN 'rectify' THEN '6 months 27 days' WHEN 'pass' THEN '7 months 9 days'
	WHEN 'fail' THEN '7 months 11 days' WHEN 'withdraw' THEN '5 months 9 days'
	WHEN 'disqualify' THEN '5 months 19 days'
	WHEN 'nominate' THEN '3 months 4 days' WHEN 'pre_approve' THEN '3 months 14 days'
	WHEN 'recommend' THEN '3 months 24 days' WHEN 'reject' THEN '3 months 19 days'
	WHEN 'start_coaching' THEN '4 months 5 days' WHEN 'evaluate' THEN '8 months 4 days'
	WHEN 'publicise' THEN '8 months 14 days' WHEN 'designate' THEN '9 months 19 days'
	WHEN 'reinstate' THEN '16 months' WHEN 'revoke' THEN '19 months 9 days' END)::interval $$;

-- Walk steps through the state machine of kind from its first state,
-- giving the state and the date after each step (the usual date with a
-- little jitter; supervision months after the designation).
CREATE FUNCTION gb.sample_walk(k text, steps text[], y int, eid bigint, seed int,
			       OUT states text[], OUT dates date[])
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, gb, pg_temp
AS $$
DECLARE
	st text;
	nreq int := 0;
BEGIN
	states := '{}';
	dates := '{}';
	FOR j IN 1..array_length(steps, 1) LOOP
		IF j = 1 AND steps[j] IN ('create', 'nominate') THEN
			st := CASE k WHEN 'gb' THEN 'draft' ELSE 'nominated' END;
		ELSE
			SELECT to_state INTO STRICT st FROM gb.wf_transition
			WHERE kind = k AND from_state = coalesce(st, 'draft') AND action = steps[j] AND role = 'city';
		END IF;
		IF steps[j] = 'request_acceptance' THEN
			nreq := nreq + 1;
		END IF;
		states := states || st;
		dates := dates || CASE WHEN k = 'demo' AND steps[j] IN ('rectify', 'revoke') THEN dates[j - 1] + 120
			ELSE gb.sample_action_date(y, steps[j], nreq) + floor(gb.sample_rnd(seed, eid * 32 + j, 41) * 3)::int END;
	END LOOP;
END $$;

-- Write the history chain of a sample case: one row per step, each with
-- the state and version before and after.
CREATE FUNCTION gb.sample_history(tbl text, case_id bigint, eid bigint, did int, steps text[],
				  states text[], dates date[], seed int) RETURNS void
LANGUAGE sql
SET search_path = pg_catalog, gb, pg_temp
AS $$
	INSERT INTO gb.history (at, login, table_name, record_id, action, from_state, to_state,
				before, after, note, enterprise_id, district_id)
	SELECT dates[j] + time '09:00' + make_interval(mins => floor(gb.sample_rnd(seed, case_id * 16 + j, 40) * 480)::int),
	       session_user, tbl, case_id, steps[j],
	       CASE WHEN j > 1 THEN states[j - 1] END, states[j],
	       CASE WHEN j > 1 THEN jsonb_build_object('id', case_id, 'state', states[j - 1], 'version', j - 1) END,
	       jsonb_build_object('id', case_id, 'state', states[j], 'version', j),
	       CASE WHEN steps[j] IN ('return', 'rectify', 'fail', 'withdraw', 'disqualify', 'reject', 'revoke', 'reinstate')
		    THEN '样例数据：' || gb.action_label(CASE tbl WHEN 'gb_case' THEN 'gb' ELSE 'demo' END, steps[j]) || '的理由' END,
	       eid, did
	FROM generate_subscripts(steps, 1) j
	ORDER BY j;
$$;

-- One 贯标 case of enterprise eid in year y reaching target through the
-- real transitions, with the contract, trainings, materials and credit
-- reports its steps needed.
CREATE FUNCTION gb.sample_gb_case(eid bigint, y int, target text, seed int) RETURNS bigint
LANGUAGE plpgsql
SET search_path = pg_catalog, gb, pg_temp
AS $$
DECLARE
	steps text[] := gb.sample_gb_path(target);
	states text[];
	dates date[];
	st text;
	cid bigint;
	e gb.enterprise;
	p gb.programme_year := gb.programme(y);
	did int;
	aid bigint;
	req date;
	score numeric;
BEGIN
	SELECT * INTO e FROM gb.enterprise WHERE id = eid;
	did := e.district_id;
	SELECT w.states, w.dates INTO states, dates FROM gb.sample_walk('gb', steps, y, eid, seed) w;
	st := states[array_length(states, 1)];
	req := dates[array_position(steps, 'request_acceptance')];
	score := CASE st WHEN 'passed' THEN 600 + floor(gb.sample_rnd(seed, eid, 42) * 350)
			 WHEN 'failed' THEN 400 + floor(gb.sample_rnd(seed, eid, 42) * 190)
			 WHEN 'rectifying' THEN 500 + floor(gb.sample_rnd(seed, eid, 42) * 99) END;
	INSERT INTO gb.gb_case (enterprise_id, year, state, management_committed,
		working_group_formed, work_plan_done, dedicated_staff, department_defined, internal_evaluation_done,
		applied_on, submitted_on, enrolled_on, started_on, acceptance_requested_on, decided_on, passed_on,
		acceptance_score, opinion, last_action, last_note, state_changed_at, version, created_at, updated_at, updated_by)
	VALUES (eid, y, st, true,
		'start' = ANY (steps), 'start' = ANY (steps), CASE WHEN req IS NOT NULL THEN e.contact_name END,
		req IS NOT NULL, req IS NOT NULL,
		dates[array_position(steps, 'apply')], dates[array_position(steps, 'submit')],
		dates[array_position(steps, 'enrol')], dates[array_position(steps, 'start')],
		dates[(array_positions(steps, 'request_acceptance'))[cardinality(array_positions(steps, 'request_acceptance'))]],
		dates[coalesce(array_position(steps, 'pass'), array_position(steps, 'fail'), array_position(steps, 'rectify'))],
		dates[array_position(steps, 'pass')],
		score, CASE st WHEN 'passed' THEN '材料齐全，符合贯标验收要求' WHEN 'failed' THEN '样例数据：验收不通过的理由'
			      WHEN 'rectifying' THEN '样例数据：整改要求' END,
		steps[array_length(steps, 1)], NULL, dates[array_length(dates, 1)] + time '10:00',
		array_length(steps, 1), dates[1], dates[array_length(dates, 1)], session_user)
	RETURNING id INTO cid;
	PERFORM gb.sample_history('gb_case', cid, eid, did, steps, states, dates, seed);
	IF dates[array_position(steps, 'apply')] IS NOT NULL THEN
		INSERT INTO gb.credit_check (enterprise_id, stage, report_no, issued_on, source, version, updated_by)
		VALUES (eid, 'gb_apply', format('JSXY%s%s', y, lpad(cid::text, 8, '0')),
			dates[array_position(steps, 'apply')] - 5, '江苏省公共信用信息中心', 1, session_user);
	END IF;
	IF 'start' = ANY (steps) THEN
		SELECT id INTO aid FROM gb.agency ORDER BY id
		OFFSET floor(gb.sample_rnd(seed, eid, 43) * (SELECT count(*) FROM gb.agency))::int LIMIT 1;
		INSERT INTO gb.contract (agency_id, enterprise_id, kind, year, signed_on, starts_on, ends_on, fee_wan, version, updated_by)
		VALUES (aid, eid, 'gb_consult', y, dates[array_position(steps, 'enrol')] + 3,
			dates[array_position(steps, 'enrol')] + 5, make_date(y, 12, 31), 3.00, 1, session_user);
		INSERT INTO gb.agency_access VALUES (aid, eid) ON CONFLICT DO NOTHING;
		INSERT INTO gb.visit (contract_id, enterprise_id, visited_on, staff_name, summary, version, updated_by)
		SELECT currval(pg_get_serial_sequence('gb.contract', 'id')), eid,
		       dates[array_position(steps, 'start')] + 7 * v, '张伟',
		       CASE v WHEN 1 THEN '上门宣讲贯标要求，协助成立贯标工作小组' ELSE '指导建立客户资信档案和合同管理制度' END,
		       1, session_user
		FROM generate_series(1, 2) v;
		INSERT INTO gb.training (gb_case_id, held_on, topic, participants, version, updated_by)
		SELECT cid, dates[array_position(steps, 'start')] + 12 + 30 * t,
		       CASE t WHEN 1 THEN '企业信用管理贯标指南宣贯' ELSE '客户资信管理与商账管理实务' END,
		       15 + floor(gb.sample_rnd(seed, cid * 4 + t, 44) * 30)::int, 1, session_user
		FROM generate_series(1, CASE WHEN req IS NOT NULL THEN 2 ELSE 1 END) t;
	END IF;
	IF req IS NOT NULL THEN
		INSERT INTO gb.credit_check (enterprise_id, stage, report_no, issued_on, source, version, updated_by)
		VALUES (eid, 'gb_acceptance', format('SZXY%s%s', y, lpad(cid::text, 8, '0')), req - 10,
			'苏州市公共信用信息中心', 1, session_user);
		INSERT INTO gb.material (programme, gb_case_id, kind, status, received_on, ref, version, updated_by)
		SELECT 'gb', cid, k.code, CASE WHEN k.required THEN 'received' ELSE 'not_applicable' END,
		       CASE WHEN k.required THEN req - 2 END, CASE WHEN k.required THEN format('%s-%s', cid, k.sort_order) END,
		       1, session_user
		FROM gb.material_kind k WHERE k.programme = 'gb';
	END IF;
	IF st = 'disqualified' THEN
		INSERT INTO gb.credit_check (enterprise_id, stage, report_no, issued_on, source, serious_dishonesty, finding, version, updated_by)
		VALUES (eid, 'supervision', format('JSXY%sS%s', y, lpad(cid::text, 7, '0')),
			dates[array_length(dates, 1)] - 1, '江苏省公共信用信息中心', true,
			'样例数据：被列入严重失信主体名单', 1, session_user);
	END IF;
	IF st = 'passed' THEN
		INSERT INTO gb.reward (enterprise_id, programme, year, amount_wan, decided_on, paid_on, version, updated_by)
		VALUES (eid, 'gb', y, 5.00, make_date(y, 11, 20), CASE WHEN y < 2020 THEN make_date(y, 12, 18) END, 1, session_user);
	END IF;
	RETURN cid;
END $$;

-- One 示范 case of enterprise eid, level lv, year y reaching target.
CREATE FUNCTION gb.sample_demo_case(eid bigint, lv text, y int, target text, seed int) RETURNS bigint
LANGUAGE plpgsql
SET search_path = pg_catalog, gb, pg_temp
AS $$
DECLARE
	steps text[] := gb.sample_demo_path(target);
	states text[];
	dates date[];
	st text;
	cid bigint;
	did int := (SELECT district_id FROM gb.enterprise WHERE id = eid);
	aid bigint;
	score numeric;
	p gb.programme_year := gb.programme(y);
BEGIN
	SELECT w.states, w.dates INTO states, dates FROM gb.sample_walk('demo', steps, y, eid, seed) w;
	st := states[array_length(states, 1)];
	score := CASE WHEN 'evaluate' = ANY (steps) THEN 820 + floor(gb.sample_rnd(seed, eid, 46) * 130) END;
	INSERT INTO gb.demo_case (enterprise_id, level, year, state, nominated_on, pre_approved_on,
		recommended_on, coaching_started_on, evaluated_on, evaluation_score, publicity_from, publicity_to,
		designated_on, designation_doc_no, rectify_by, revoked_on, last_action, state_changed_at,
		version, created_at, updated_at, updated_by)
	VALUES (eid, lv, y, st, dates[1], dates[array_position(steps, 'pre_approve')],
		dates[array_position(steps, 'recommend')], dates[array_position(steps, 'start_coaching')],
		dates[array_position(steps, 'evaluate')], score, dates[array_position(steps, 'publicise')],
		dates[array_position(steps, 'publicise')] + p.publicity_days,
		dates[array_position(steps, 'designate')],
		CASE WHEN 'designate' = ANY (steps) THEN format('%s〔%s〕%s号', CASE lv WHEN 'suzhou' THEN '苏信用办' ELSE '苏信用办省' END, y, 10 + eid % 80) END,
		CASE WHEN st = 'rectifying' THEN dates[array_length(dates, 1)] + 90 END,
		dates[array_position(steps, 'revoke')], steps[array_length(steps, 1)],
		dates[array_length(dates, 1)] + time '10:00', array_length(steps, 1), dates[1],
		dates[array_length(dates, 1)], session_user)
	RETURNING id INTO cid;
	PERFORM gb.sample_history('demo_case', cid, eid, did, steps, states, dates, seed);
	IF 'start_coaching' = ANY (steps) THEN
		SELECT id INTO aid FROM gb.agency ORDER BY id
		OFFSET floor(gb.sample_rnd(seed, eid, 47) * (SELECT count(*) FROM gb.agency))::int LIMIT 1;
		INSERT INTO gb.contract (agency_id, enterprise_id, kind, year, signed_on, starts_on, ends_on, filed_on, fee_wan, version, updated_by)
		VALUES (aid, eid, 'demo_coaching', y, make_date(y - 1, 9, 20), make_date(y - 1, 10, 1),
			make_date(y, 12, 31), make_date(y - 1, 10, 10), 8.00, 1, session_user);
		INSERT INTO gb.agency_access VALUES (aid, eid) ON CONFLICT DO NOTHING;
		INSERT INTO gb.material (programme, demo_case_id, kind, status, received_on, ref, version, updated_by)
		SELECT 'demo', cid, k.code, 'received', dates[array_position(steps, 'start_coaching')] + 20,
		       format('S%s-%s', cid, k.sort_order), 1, session_user
		FROM gb.material_kind k WHERE k.programme = 'demo';
	END IF;
	IF st = 'rectifying' OR st = 'revoked' THEN
		INSERT INTO gb.demo_event (demo_case_id, kind, occurred_on, deadline_on, outcome, announcement_ref, version, updated_by)
		VALUES (cid, 'rectification', dates[array_position(steps, 'rectify')], dates[array_position(steps, 'rectify')] + 90,
			CASE WHEN st = 'revoked' THEN '逾期未整改' END, format('昆信用办通报〔%s〕样例', y + 1), 1, session_user);
	END IF;
	IF st = 'designated' THEN
		INSERT INTO gb.reward (enterprise_id, programme, year, amount_wan, decided_on, version, updated_by)
		VALUES (eid, 'demo_' || lv, y, CASE lv WHEN 'suzhou' THEN 10.00 ELSE 20.00 END,
			dates[array_length(dates, 1)] + 30, 1, session_user)
		ON CONFLICT DO NOTHING;
	END IF;
	RETURN cid;
END $$;

-- Cases over every state, quotas respected: for each district and year,
-- eligible enterprises in hash order fill the quota; 2020 adds
-- applications that never counted against it.  Returns the case count.
CREATE FUNCTION gb.sample_cases(first_id bigint, seed int) RETURNS int
LANGUAGE plpgsql
SET search_path = pg_catalog, gb, pg_temp
AS $$
DECLARE
	cur int := (SELECT max(year) FROM gb.programme_year WHERE NOT is_sample);
	in_quota constant text[] := ARRAY['passed', 'implementing', 'acceptance_requested', 'enrolled',
		'rectifying', 'passed', 'failed', 'passed_after_rectify', 'disqualified', 'implementing', 'passed'];
	extra constant text[] := ARRAY['applied', 'submitted', 'draft', 'returned', 'withdrawn'];
	past constant text[] := ARRAY['passed', 'passed', 'passed', 'passed', 'passed', 'passed',
		'failed', 'passed', 'withdrawn_late', 'passed', 'passed_after_rectify'];
	n int := 0;
	r record;
	slot int;
	nextra int;
	y int;
BEGIN
	FOR r IN
		SELECT e.id, e.district_id, q.quota_gb,
		       row_number() OVER (PARTITION BY e.district_id ORDER BY gb.sample_rnd(seed, e.id, 50), e.id) AS k
		FROM gb.enterprise e JOIN gb.district_year q ON q.district_id = e.district_id AND q.year = cur
		WHERE e.id >= first_id AND e.above_scale AND e.independent_legal_person
		  AND e.industry IN ('制造业', '生产性服务业') AND e.established_on <= make_date(cur - 6, 1, 1)
		ORDER BY e.district_id, k
	LOOP
		-- Slots: this year's quota first, then applications outside it,
		-- then the quota of each of the four years before.
		slot := r.k - 1;
		nextra := greatest(r.quota_gb / 2, 2);
		IF slot < r.quota_gb THEN
			PERFORM gb.sample_gb_case(r.id, cur, in_quota[1 + (slot + r.district_id) % array_length(in_quota, 1)], seed);
		ELSIF slot < r.quota_gb + nextra THEN
			PERFORM gb.sample_gb_case(r.id, cur, extra[1 + (slot + r.district_id) % array_length(extra, 1)], seed);
		ELSE
			y := cur - 1 - (slot - r.quota_gb - nextra) / greatest(r.quota_gb, 1);
			IF y < cur - 4 THEN
				CONTINUE;
			END IF;
			PERFORM gb.sample_gb_case(r.id, y, past[1 + (slot + r.district_id) % array_length(past, 1)], seed);
		END IF;
		n := n + 1;
	END LOOP;
	n := n + gb.sample_demo_cases(cur, seed);
	RETURN n;
END $$;

-- 示范 cases: Suzhou level two and three years back (designations that
-- the provincial level rests on) and this year, provincial this year;
-- recommendations within the year's quota.
CREATE FUNCTION gb.sample_demo_cases(cur int, seed int) RETURNS int
LANGUAGE plpgsql
SET search_path = pg_catalog, gb, pg_temp
AS $$
DECLARE
	n int := 0;
	y int;
	targets text[];
	r record;
BEGIN
	FOR y IN cur - 2 .. cur LOOP
		targets := CASE WHEN y = cur THEN ARRAY['designated', 'publicised', 'evaluated', 'coaching', 'recommended',
						       'recommended', 'nominated', 'pre_approved', 'rejected', 'withdrawn']
				WHEN y = cur - 1 THEN ARRAY['designated', 'designated', 'designated', 'rectifying', 'revoked', 'designated']
				ELSE ARRAY['designated', 'designated', 'designated', 'designated', 'designated', 'rejected'] END;
		-- passed 贯标 at least a year before this year's nominations
		FOR r IN
			SELECT c.enterprise_id, row_number() OVER (ORDER BY gb.sample_rnd(seed, c.enterprise_id, 51), c.enterprise_id) AS k
			FROM gb.gb_case c
			WHERE c.state = 'passed' AND c.year = y - 2
			  AND NOT EXISTS (SELECT 1 FROM gb.demo_case d WHERE d.enterprise_id = c.enterprise_id AND d.level = 'suzhou')
			  AND NOT EXISTS (SELECT 1 FROM gb.credit_check k WHERE k.enterprise_id = c.enterprise_id AND k.serious_dishonesty)
			ORDER BY k LIMIT array_length(targets, 1)
		LOOP
			PERFORM gb.sample_demo_case(r.enterprise_id, 'suzhou', y, targets[r.k], seed);
			n := n + 1;
		END LOOP;
	END LOOP;
	-- provincial: designated Suzhou-level in cur-2 or earlier
	FOR r IN
		SELECT d.enterprise_id, row_number() OVER (ORDER BY gb.sample_rnd(seed, d.enterprise_id, 52), d.enterprise_id) AS k
		FROM gb.demo_case d
		WHERE d.level = 'suzhou' AND d.state = 'designated' AND extract(year FROM d.designated_on) <= cur - 2
		ORDER BY k LIMIT 2
	LOOP
		PERFORM gb.sample_demo_case(r.enterprise_id, 'province', cur, (ARRAY['coaching', 'nominated'])[r.k], seed);
		n := n + 1;
	END LOOP;
	RETURN n;
END $$;

-- The whole sample: programme (2020 when none), sample years, agencies, n
-- enterprises, cases.  Returns a summary line.
CREATE FUNCTION gb.admin_sample(n int, seed int) RETURNS text
LANGUAGE plpgsql
SET search_path = pg_catalog, gb, pg_temp
AS $$
DECLARE
	first_id bigint;
	ncases int;
	loaded text := '';
BEGIN
	IF n IS NULL OR n < 1 OR n > 10000000 THEN
		RAISE EXCEPTION USING ERRCODE = 'GB006', MESSAGE = format('企业数应在 1 到 10000000 之间（%s）', n);
	END IF;
	IF NOT EXISTS (SELECT 1 FROM gb.programme_year WHERE NOT is_sample) THEN
		loaded := gb.admin_programme_load_2020() || '；';
	END IF;
	PERFORM set_config('session_replication_role', 'replica', true);
	PERFORM gb.sample_years();
	PERFORM gb.sample_agencies(seed);
	first_id := gb.sample_enterprises(n, seed);
	-- Cases only on the first run: later runs would have to share quotas.
	IF NOT EXISTS (SELECT 1 FROM gb.gb_case) THEN
		ncases := gb.sample_cases(first_id, seed);
	ELSE
		ncases := 0;
	END IF;
	INSERT INTO gb.history (table_name, action, note)
	VALUES ('enterprise', 'sample', format('样例数据：%s 家企业（编号 %s 起），%s 个案件，种子 %s', n, first_id, ncases, seed));
	PERFORM set_config('session_replication_role', 'origin', true);
	RETURN format('%s已生成 %s 家企业、%s 个贯标/示范案件（种子 %s）', loaded, n, ncases, seed);
END $$;

REVOKE EXECUTE ON FUNCTION gb.admin_sample(int, int), gb.sample_enterprises(int, int),
	gb.sample_cases(bigint, int), gb.sample_demo_cases(int, int), gb.sample_years(),
	gb.sample_agencies(int), gb.sample_gb_case(bigint, int, text, int),
	gb.sample_demo_case(bigint, text, int, text, int),
	gb.sample_history(text, bigint, bigint, int, text[], text[], date[], int) FROM PUBLIC;
