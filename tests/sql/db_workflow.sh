#!/usr/bin/env bash
# The state machines: every transition of wf_transition tried by every role
# from a case that meets every rule (legal ones succeed, the others are
# refused with GB003/GB005), every action from every state it does not
# start from (GB005), and each rule of DOMAIN.md §6 at its boundary.
. "$top_srcdir/tests/tap.sh"
set -u
. "$top_srcdir/tests/sql/fixture.sh"
fixture

# Every (state, action) pair of each kind x every role.  The case is put in
# the state (by the superuser) before each try; the expected outcome comes
# from reading wf_transition here, the refusal codes from the rules.
q >/dev/null <<EOF
CREATE TABLE public.t_result (kind text, from_state text, action text, role text, got text);
GRANT ALL ON public.t_result TO PUBLIC;
DO \$\$
DECLARE
	k text;
	st record;
	a record;
	r record;
	eid bigint;
	cid bigint;
	v int;
	n int := 0;
	got text;
BEGIN
	FOR k IN VALUES ('gb'), ('demo') LOOP
		n := n + 1;
		eid := public.t_enterprise(n);
		cid := CASE k WHEN 'gb' THEN public.t_gb_ready(eid) ELSE public.t_demo_ready(eid, 'suzhou') END;
		FOR st IN SELECT code FROM gb.wf_state WHERE kind = k ORDER BY sort_order LOOP
			FOR a IN SELECT code FROM gb.wf_action WHERE kind = k AND code <> 'nominate' ORDER BY code LOOP
				FOR r IN SELECT o.login, o.role FROM gb.officer o WHERE o.district_id IS DISTINCT FROM
					(SELECT id FROM gb.district WHERE name = '周庄镇') ORDER BY o.role LOOP
					IF k = 'gb' THEN
						UPDATE gb.gb_case SET state = st.code, passed_on = CASE WHEN st.code = 'passed' THEN current_date END
						WHERE id = cid RETURNING version INTO v;
					ELSE
						UPDATE gb.demo_case SET state = st.code, designated_on = CASE WHEN st.code IN ('designated', 'rectifying') THEN current_date - 5 END,
							recommended_on = NULL, publicity_from = current_date - 10, publicity_to = current_date - 3
						WHERE id = cid RETURNING version INTO v;
					END IF;
					EXECUTE format('SET SESSION AUTHORIZATION %I', r.login);
					BEGIN
						IF k = 'gb' THEN
							PERFORM gb.gb_case_act(cid, v, a.code, '理由');
						ELSE
							PERFORM gb.demo_case_act(cid, v, a.code, '理由');
						END IF;
						got := 'ok';
					EXCEPTION WHEN OTHERS THEN
						got := SQLSTATE || ' ' || SQLERRM;
					END;
					RESET SESSION AUTHORIZATION;
					INSERT INTO public.t_result VALUES (k, st.code, a.code, r.role, got);
				END LOOP;
			END LOOP;
		END LOOP;
	END LOOP;
END \$\$;
EOF
ok $? "tried every action from every state as every role"
is "$(q -c "SELECT count(*) FROM public.t_result r JOIN gb.wf_transition t ON (t.kind, t.from_state, t.action, t.role)
	= (r.kind, r.from_state, r.action, r.role)")" "$(q -c "SELECT count(*) FROM gb.wf_transition WHERE action <> 'nominate'")" \
	"every transition of the table was tried"
is "$(q -c "SELECT string_agg(r.kind || ':' || r.from_state || ' ' || r.action || ' by ' || r.role || ' → ' || r.got, E'\n')
	FROM public.t_result r JOIN gb.wf_transition t ON (t.kind, t.from_state, t.action, t.role) = (r.kind, r.from_state, r.action, r.role)
	WHERE r.got <> 'ok'")" "" "every legal transition succeeds for its role"
is "$(q -c "SELECT string_agg(r.kind || ':' || r.from_state || ' ' || r.action || ' by ' || r.role || ' → ' || r.got, E'\n')
	FROM public.t_result r WHERE NOT EXISTS (SELECT 1 FROM gb.wf_transition t
		WHERE (t.kind, t.from_state, t.action, t.role) = (r.kind, r.from_state, r.action, r.role))
	AND r.got !~ CASE WHEN EXISTS (SELECT 1 FROM gb.wf_transition t WHERE (t.kind, t.from_state, t.action) = (r.kind, r.from_state, r.action))
		THEN '^GB003 .*只有' ELSE '^GB005 状态为' END")" "" \
	"every other role is refused (GB003 naming who may), every other state too (GB005)"
like "$(q -c "SELECT count(*) FROM public.t_result WHERE got <> 'ok'")" '^[0-9]{3,}$' "hundreds of refusals were checked"
is "$(q -c "SELECT got FROM public.t_result WHERE kind = 'gb' AND from_state = 'submitted' AND action = 'enrol' AND role = 'district'")" \
	"GB003 区镇不能对状态为“已报市信用办”的案件执行“确定入选”（只有市信用办可以）" "a refusal names the role, state, action and who may"
is "$(q -c "SELECT got FROM public.t_result WHERE kind = 'gb' AND from_state = 'passed' AND action = 'start' AND role = 'city'")" \
	"GB005 状态为“验收通过”的案件不能执行“开始贯标实施”" "an illegal state names state and action"

# ---- applications and eligibility, with boundaries
e1=$(q -c "SELECT public.t_enterprise(11)")
like "$(as "$agen" "SELECT gb.gb_case_apply($e1, 2020)")" '^GB003' "an agency cannot record an application"
like "$(as "$obs" "SELECT gb.gb_case_apply($e1, 2020)")" '^GB003' "an observer cannot record an application"
like "$(as "$dist2" "SELECT gb.gb_case_apply($e1, 2020)")" '^GB002' "another district cannot even see the enterprise"
like "$(as "$dist" "SELECT gb.gb_case_apply($e1, 2020)")" '^[0-9]+$' "its district records the application"
is "$(q -c "SELECT state || ' ' || version || ' ' || applied_on FROM gb.gb_case WHERE enterprise_id = $e1")" \
	"applied 1 $(date +%F)" "the case starts as 已申请, version 1, dated today"
like "$(as "$dist" "SELECT gb.gb_case_apply($e1, 2020)")" '^GB005 .*已有 2020 年度贯标案件' "one 贯标 case per enterprise and year"
like "$(as "$dist" "SELECT gb.gb_case_apply($e1, 2031)")" '^GB005 2031 年度的工作方案尚未登记' "no programme year, no application"

rule() {	# description setup-sql expected-regex
	local e
	e=$(q -c "SELECT public.t_enterprise(100 + $_tap_n)")
	q -c "$(printf '%s' "$2" | sed "s/{e}/$e/g")" >/dev/null
	like "$(as "$dist" "SELECT gb.gb_case_apply($e, 2020)")" "$3" "$1"
}
rule "operating exactly two years: eligible" "UPDATE gb.enterprise SET established_on = current_date - interval '2 years' WHERE id = {e}" '^[0-9]+$'
rule "one day short of two years: refused" "UPDATE gb.enterprise SET established_on = (current_date - interval '2 years')::date + 1 WHERE id = {e}" \
	'^GB005 成立于 .*经营未满 2 年'
rule "not above scale: refused" "UPDATE gb.enterprise SET above_scale = false WHERE id = {e}" '^GB005 不是规模以上企业'
rule "not an independent legal person: refused" "UPDATE gb.enterprise SET independent_legal_person = false WHERE id = {e}" \
	'^GB005 不具有独立法人资格'
rule "outside the two industries: refused" "UPDATE gb.enterprise SET industry = '其他' WHERE id = {e}" '^GB005 行业为“其他”'
rule "serious dishonesty three years ago to the day: eligible" \
	"INSERT INTO gb.credit_check (enterprise_id, stage, issued_on, source, serious_dishonesty, finding) VALUES ({e}, 'supervision', current_date - interval '3 years', '江苏省公共信用信息中心', true, '失信')" '^[0-9]+$'
rule "serious dishonesty a day within three years: refused" \
	"INSERT INTO gb.credit_check (enterprise_id, stage, issued_on, source, serious_dishonesty, finding) VALUES ({e}, 'supervision', (current_date - interval '3 years')::date + 1, '江苏省公共信用信息中心', true, '失信')" \
	'^GB005 .*严重失信：失信'
rule "a district no longer active: refused" "UPDATE gb.district SET active = false WHERE name = '张浦镇'" '^GB005 所在区镇 张浦镇 已停用'
q -c "UPDATE gb.district SET active = true WHERE name = '张浦镇'" >/dev/null
e=$(q -c "SELECT public.t_enterprise(201)")
like "$(as "$dist" "SELECT gb.gb_case_apply($e, 2020, false)")" '^GB005 申请未确认企业负责人' "management not committed: refused"
like "$(as "$dist" "SELECT gb.gb_case_apply($e, 2020, false, true)")" '^[0-9]+$' "a draft skips the checks"
like "$(as "$dist" "SELECT gb.gb_case_act(id, version, 'apply') FROM gb.gb_case WHERE enterprise_id = $e")" \
	'^GB005 申请未确认' "and applying the draft checks them"
like "$(q -c "SELECT * FROM gb.explain($e, 'gb_apply', 2020)" 2>&1)" "当前登录角色 gb_admin 不是登记的工作人员" \
	"explain needs an officer"
is "$(as "$city" "SELECT string_agg(rule || '=' || ok, ' ' ORDER BY rule) FROM gb.explain($e, 'gb_apply', 2020)")" \
	"above_scale=true independent_legal_person=true industry=true management_committed=false no_serious_dishonesty=true one_case_per_year=true operating_years=true registered=true" \
	"explain lists every 贯标 rule with its result"

# ---- acceptance rules
accept() {	# description setup expected
	local e c
	e=$(q -c "SELECT public.t_enterprise(300 + $_tap_n)")
	c=$(q -c "SELECT public.t_gb_ready($e)")
	q -c "UPDATE gb.gb_case SET state = 'implementing' WHERE id = $c; $(printf '%s' "$2" | sed -e "s/{c}/$c/g" -e "s/{e}/$e/g")" >/dev/null
	like "$(as "$agen" "SELECT gb.gb_case_act($c, version, 'request_acceptance') FROM gb.gb_case WHERE id = $c")" "$3" "$1"
}
accept "everything in: the agency requests acceptance" "" '^[0-9]+$'
accept "one training: refused" "DELETE FROM gb.training WHERE id = (SELECT max(id) FROM gb.training WHERE gb_case_id = {c})" \
	'^GB005 已开展贯标培训 1 次，至少需要 2 次'
accept "no dedicated staff: refused" "UPDATE gb.gb_case SET dedicated_staff = ' ' WHERE id = {c}" '^GB005 专职人员 0 名'
accept "no working group: refused" "UPDATE gb.gb_case SET working_group_formed = false WHERE id = {c}" '^GB005 尚未成立贯标工作小组'
accept "a missing material is named" "UPDATE gb.material SET status = 'missing', received_on = NULL WHERE gb_case_id = {c} AND kind = 'commitment_letter'" \
	'^GB005 缺少验收材料：贯标申请信用承诺书'
accept "credit report issued 89 days ago: valid" "UPDATE gb.credit_check SET issued_on = current_date - 89 WHERE enterprise_id = {e}" '^[0-9]+$'
accept "credit report issued 90 days ago: expired" "UPDATE gb.credit_check SET issued_on = current_date - 90 WHERE enterprise_id = {e}" \
	'^GB005 查询报告 .* 出具，已超过 90 天有效期'
e=$(q -c "SELECT public.t_enterprise(401)"); c=$(q -c "SELECT public.t_gb_ready($e)")
q -c "UPDATE gb.gb_case SET state = 'acceptance_requested', acceptance_score = 599.5 WHERE id = $c" >/dev/null
like "$(as "$city" "SELECT gb.gb_case_act($c, version, 'pass') FROM gb.gb_case WHERE id = $c")" '^GB005 验收得分 599.50 低于 2020 年度合格线 600' "pass needs the pass score"
q -c "UPDATE gb.gb_case SET acceptance_score = 600 WHERE id = $c" >/dev/null
like "$(as "$city" "SELECT gb.gb_case_act($c, version, 'pass') FROM gb.gb_case WHERE id = $c")" '^[0-9]+$' "the pass score itself passes"
is "$(q -c "SELECT passed_on = current_date FROM gb.gb_case WHERE id = $c")" t "passing records the date"
e=$(q -c "SELECT public.t_enterprise(402)"); c=$(q -c "SELECT public.t_gb_ready($e)")
q -c "UPDATE gb.gb_case SET state = 'enrolled' WHERE id = $c; DELETE FROM gb.contract WHERE enterprise_id = $e" >/dev/null
like "$(as "$city" "SELECT gb.gb_case_act($c, version, 'start') FROM gb.gb_case WHERE id = $c")" '^GB005 .*尚未与信用服务机构签订 2020 年度贯标咨询服务合同' \
	"implementation needs a consulting contract"
like "$(as "$city" "SELECT gb.gb_case_act($c, version, 'withdraw') FROM gb.gb_case WHERE id = $c")" '^GB006 “撤回”需要填写理由' \
	"withdrawing needs a reason"
like "$(as "$dist" "SELECT gb.gb_case_act($c, version - 1, 'withdraw', '企业放弃') FROM gb.gb_case WHERE id = $c")" \
	'^GB004 记录已被他人修改（您的版本' "a stale version is a conflict"
q -c "UPDATE gb.gb_case SET state = 'submitted' WHERE id = $c" >/dev/null
v=$(q -c "SELECT version FROM gb.gb_case WHERE id = $c")
as "$city" "SELECT gb.gb_case_act($c, $v, 'enrol')" >/dev/null
like "$(psql -XAtq -c "SET SESSION AUTHORIZATION \"$dist\"" -c "SELECT gb.gb_case_act($c, $v, 'withdraw', '企业放弃')" 2>&1 | sed -n 's/^DETAIL:  //p')" \
	"^陈市（$city） 于 .* 修改：(入选日期、状态|状态、入选日期)$" "the conflict names who changed which fields, in Chinese"

# ---- quota: at quota-1 one more fits, at quota the city needs a reason
q -c "UPDATE gb.district_year SET quota_gb = 2 WHERE district_id = (SELECT id FROM gb.district WHERE name = '张浦镇') AND year = 2020" >/dev/null
q -c "UPDATE gb.gb_case SET enrolled_on = NULL WHERE enrolled_on IS NOT NULL" >/dev/null
quota_case() { local e; e=$(q -c "SELECT public.t_enterprise(500 + $1)"); q -c "SELECT public.t_gb_ready($e)" >/dev/null;
	q -c "UPDATE gb.gb_case SET state = 'submitted' WHERE enterprise_id = $e RETURNING id"; }
c1=$(quota_case 1); c2=$(quota_case 2); c3=$(quota_case 3)
like "$(as "$city" "SELECT gb.gb_case_act($c1, version, 'enrol') FROM gb.gb_case WHERE id = $c1")" '^[0-9]+$' "enrol the first of two"
like "$(as "$city" "SELECT gb.gb_case_act($c2, version, 'enrol') FROM gb.gb_case WHERE id = $c2")" '^[0-9]+$' "enrol at quota−1"
like "$(as "$city" "SELECT gb.gb_case_act($c3, version, 'enrol') FROM gb.gb_case WHERE id = $c3")" \
	'^GB007 张浦镇 2020 年度贯标名额 2 家已满（已入选 2 家）' "over the quota is refused"
like "$(as "$dist" "SELECT gb.gb_case_act($c3, version, 'withdraw', 'x', '追加') FROM gb.gb_case WHERE id = $c3")" \
	'^GB003 只有市信用办可以登记超出名额的理由' "only the city records an override"
like "$(as "$city" "SELECT gb.gb_case_act($c3, version, 'enrol', NULL, '经市领导同意追加1家') FROM gb.gb_case WHERE id = $c3")" '^[0-9]+$' \
	"the city enrols over the quota with a reason"
is "$(q -c "SELECT override_reason || '|' || login FROM gb.history WHERE table_name = 'gb_case' AND record_id = $c3 ORDER BY id DESC LIMIT 1")" \
	"经市领导同意追加1家|$city" "the override and who made it are in the history"
is "$(as "$city" "SELECT enrolled || '/' || quota_gb FROM gb.v_district_progress WHERE name = '张浦镇' AND year = 2020")" "3/2" \
	"the progress view shows the district over its quota"

# ---- 示范 eligibility
demo() {	# description level setup expected
	local e
	e=$(q -c "SELECT public.t_enterprise(600 + $_tap_n)")
	q -c "$(printf '%s' "$3" | sed "s/{e}/$e/g")" >/dev/null
	like "$(as "$dist" "SELECT gb.demo_case_nominate($e, '$2', 2020)")" "$4" "$1"
}
demo "passed 贯标 exactly a year ago: Suzhou 示范 allowed" suzhou \
	"INSERT INTO gb.gb_case (enterprise_id, year, state, passed_on) VALUES ({e}, 2020, 'passed', current_date - interval '1 year')" '^[0-9]+$'
demo "passed 364 days... a day short of a year: refused with the date" suzhou \
	"INSERT INTO gb.gb_case (enterprise_id, year, state, passed_on) VALUES ({e}, 2020, 'passed', (current_date - interval '1 year')::date + 1)" \
	"^GB005 贯标验收通过未满 1 年（$(date -d '1 year ago + 1 day' +%F) 通过），不能申报苏州市级示范"
demo "never passed: refused" suzhou "SELECT 1" '^GB005 尚未通过贯标验收'
demo "Suzhou-designated in 2018: provincial allowed in 2020" province \
	"INSERT INTO gb.demo_case (enterprise_id, level, year, state, designated_on) VALUES ({e}, 'suzhou', 2018, 'designated', '2018-12-31')" '^[0-9]+$'
demo "Suzhou-designated in 2019: too recent for 2020" province \
	"INSERT INTO gb.demo_case (enterprise_id, level, year, state, designated_on) VALUES ({e}, 'suzhou', 2019, 'designated', '2019-01-01')" \
	'^GB005 2019 年获评苏州市级示范，须在 2018 年度（含）之前'
demo "an open Suzhou case already: refused" suzhou \
	"INSERT INTO gb.gb_case (enterprise_id, year, state, passed_on) VALUES ({e}, 2018, 'passed', '2018-08-01'); INSERT INTO gb.demo_case (enterprise_id, level, year) VALUES ({e}, 'suzhou', 2019)" \
	'^GB005 已有苏州市级示范案件'
demo "a rejected Suzhou case does not block a new one" suzhou \
	"INSERT INTO gb.gb_case (enterprise_id, year, state, passed_on) VALUES ({e}, 2018, 'passed', '2018-08-01'); INSERT INTO gb.demo_case (enterprise_id, level, year, state) VALUES ({e}, 'suzhou', 2019, 'rejected')" \
	'^[0-9]+$'

demo_step() {	# description from-state setup action expected
	local e c
	e=$(q -c "SELECT public.t_enterprise(700 + $_tap_n)")
	c=$(q -c "SELECT public.t_demo_ready($e, 'suzhou')")
	q -c "UPDATE gb.demo_case SET state = '$2' WHERE id = $c; $(printf '%s' "$3" | sed -e "s/{c}/$c/g" -e "s/{e}/$e/g")" >/dev/null
	like "$(as "$city" "SELECT gb.demo_case_act($c, version, '$4') FROM gb.demo_case WHERE id = $c")" "$5" "$1"
}
demo_step "coaching exactly six months: evaluation allowed" coaching \
	"UPDATE gb.contract SET starts_on = current_date - interval '6 months' WHERE enterprise_id = {e}" evaluate '^[0-9]+$'
demo_step "coaching a day short of six months: refused" coaching \
	"UPDATE gb.contract SET starts_on = (current_date - interval '6 months')::date + 1 WHERE enterprise_id = {e}" evaluate '^GB005 跟踪辅导未满 6 个月'
demo_step "coaching needs the contract filed with the city" recommended \
	"UPDATE gb.contract SET filed_on = NULL WHERE enterprise_id = {e}" start_coaching '^GB005 .*示范跟踪辅导合同尚未报市信用办备案'
demo_step "score 799.99: not publicised" evaluated "UPDATE gb.demo_case SET evaluation_score = 799.99 WHERE id = {c}" publicise \
	'^GB005 评价得分 799.99 低于 2020 年度示范合格线 800'
demo_step "score 800: publicised" evaluated "UPDATE gb.demo_case SET evaluation_score = 800 WHERE id = {c}" publicise '^[0-9]+$'
demo_step "publicity ending today: not designated yet" publicised "UPDATE gb.demo_case SET publicity_to = current_date WHERE id = {c}" \
	designate '^GB005 公示期未结束'
demo_step "publicity over yesterday: designated" publicised "UPDATE gb.demo_case SET publicity_to = current_date - 1 WHERE id = {c}" \
	designate '^[0-9]+$'

# Suzhou recommendations: the year's quota of 6, city-wide.
q -c "UPDATE gb.programme_year SET demo_suzhou_quota = 1 WHERE year = 2020; UPDATE gb.demo_case SET recommended_on = NULL" >/dev/null
demo_step "first recommendation within the quota of 1" pre_approved "" recommend '^[0-9]+$'
demo_step "the second exceeds it" pre_approved "" recommend '^GB007 2020 年度苏州市级示范推荐名额 1 家已满'

# ---- a serious-dishonesty finding
e=$(q -c "SELECT public.t_enterprise(801)"); c=$(q -c "SELECT public.t_gb_ready($e)")
q -c "UPDATE gb.gb_case SET state = 'implementing' WHERE id = $c;
	INSERT INTO gb.demo_case (enterprise_id, level, year, state, designated_on) VALUES ($e, 'suzhou', 2019, 'designated', '2019-10-01')" >/dev/null
is "$(as "$dist" "INSERT INTO gb.credit_check (enterprise_id, stage, issued_on, source, serious_dishonesty, finding)
	VALUES ($e, 'supervision', current_date, '苏州市公共信用信息中心', true, '拒不履行法院判决')")" "" \
	"the district records a serious-dishonesty finding"
is "$(q -c "SELECT (SELECT state FROM gb.gb_case WHERE id = $c) || ' ' || (SELECT state FROM gb.demo_case WHERE enterprise_id = $e)")" \
	"disqualified rectifying" "it disqualifies the 贯标 case and puts the designation into rectification"
like "$(q -c "SELECT action || ' ' || login || ' ' || note FROM gb.history WHERE table_name = 'gb_case' AND record_id = $c ORDER BY id DESC LIMIT 1")" \
	"^disqualify $dist 严重失信.*拒不履行法院判决" "with a history row naming who recorded it and why"

# ---- what the officer may do now
e=$(q -c "SELECT public.t_enterprise(901)"); c=$(q -c "SELECT public.t_gb_ready($e)")
q -c "UPDATE gb.gb_case SET state = 'submitted' WHERE id = $c" >/dev/null
is "$(as "$city" "SELECT string_agg(action, ',') FROM gb.case_actions('gb', $c)")" "return,enrol,withdraw,disqualify" \
	"case_actions: what the city may do with a submitted case"
is "$(as "$dist" "SELECT string_agg(action, ',') FROM gb.case_actions('gb', $c)")" "withdraw" \
	"case_actions: what its district may do"
is "$(as "$obs" "SELECT count(*) FROM gb.case_actions('gb', $c)")" "0" "case_actions: an observer may do nothing"
is "$(as "$city" "SELECT count(*) FROM gb.v_work_queue WHERE case_id = $c AND kind = 'gb' AND action = 'enrol'")" 1 \
	"the submitted case waits in the city's work queue"
is "$(as "$dist" "SELECT count(*) FROM gb.v_work_queue WHERE case_id = $c AND kind = 'gb'")" 0 \
	"but not in the district's (withdrawing is not a forward action)"
done_testing
