#!/usr/bin/env bash
# Materials with their own validity (014): issue date and valid_until with
# the kind's default, gb.v_material and its validity as of today, row
# rights through the view, the acceptance and 示范 evaluation rules refusing
# expired materials (message and explain), and the sample's dates.
. "$top_srcdir/tests/tap.sh"
set -u
. "$top_srcdir/tests/sql/fixture.sh"
fixture
today=$(date +%F)
day() { date -d "$1" +%F; }

# ---- dates and defaults
e=$(q -c "SELECT public.t_enterprise(1)"); c=$(q -c "SELECT public.t_gb_ready($e)")
q -c "UPDATE gb.gb_case SET state = 'implementing' WHERE id = $c" >/dev/null
is "$(q -c "SELECT valid_days FROM gb.material_kind WHERE code = 'credit_report' ORDER BY programme")" "90
90" "the credit report kind of both programmes is valid 90 days by default"
is "$(as "$agen" "UPDATE gb.material SET issued_on = current_date - 10 WHERE gb_case_id = $c AND kind = 'credit_report' RETURNING valid_until")" \
	"$(day '-10 days + 89 days')" "an issue date alone gives valid_until from the year's credit_report_valid_days (90: issue day + 89)"
is "$(as "$agen" "UPDATE gb.material SET issued_on = current_date - 5 WHERE gb_case_id = $c AND kind = 'credit_report' RETURNING valid_until")" \
	"$(day '-5 days + 89 days')" "a changed issue date moves a default valid_until"
q -c "UPDATE gb.programme_year SET credit_report_valid_days = 30 WHERE year = 2020" >/dev/null
is "$(as "$agen" "UPDATE gb.material SET issued_on = current_date - 4, valid_until = NULL WHERE gb_case_id = $c AND kind = 'credit_report' RETURNING valid_until")" \
	"$(day '-4 days + 29 days')" "the year's credit_report_valid_days decides (30 days)"
q -c "UPDATE gb.programme_year SET credit_report_valid_days = 90 WHERE year = 2020" >/dev/null
is "$(as "$agen" "UPDATE gb.material SET valid_until = current_date + 3 WHERE gb_case_id = $c AND kind = 'credit_report' RETURNING valid_until")" \
	"$(day '+3 days')" "an explicit valid_until is kept"
is "$(as "$agen" "UPDATE gb.material SET issued_on = current_date - 6 WHERE gb_case_id = $c AND kind = 'credit_report' RETURNING valid_until")" \
	"$(day '+3 days')" "and stays when the issue date changes"
is "$(as "$agen" "UPDATE gb.material SET issued_on = current_date - 40 WHERE gb_case_id = $c AND kind = 'work_summary' RETURNING coalesce(valid_until::text, 'none')")" \
	"none" "a kind without a validity rule does not expire"
is "$(as "$agen" "UPDATE gb.material SET issued_on = current_date, valid_until = current_date - 1 WHERE gb_case_id = $c AND kind = 'work_summary'")" \
	"GB006 有效期至：不能早于出具日期（出具 $today，有效期至 $(day yesterday)）" "valid_until before the issue date: GB006 naming the field"
like "$(psql -XAtq -c "UPDATE gb.material SET issued_on = current_date, valid_until = current_date - 1 WHERE gb_case_id = $c AND kind = 'work_summary'" -v VERBOSITY=verbose 2>&1 | sed -n 's/^DETAIL:  //p')" \
	'^字段 valid_until$' "the detail names the column"
like "$(as "$agen" "UPDATE gb.material SET issued_on = current_date + 1 WHERE gb_case_id = $c AND kind = 'work_summary'")" \
	'^GB006 出具日期：不能晚于今天' "an issue date in the future: GB006"
like "$(q -c "SET session_replication_role = replica; UPDATE gb.material SET issued_on = current_date, valid_until = current_date - 1 WHERE gb_case_id = $c" 2>&1)" \
	'material_valid_after_issued' "the check constraint holds without the trigger"
is "$(q -c "SELECT string_agg(column_name || '=' || label, ' ' ORDER BY column_name) FROM gb.field_label WHERE table_name = 'material' AND column_name IN ('issued_on', 'valid_until')")" \
	"issued_on=出具日期 valid_until=有效期至" "the new columns have Chinese labels"

# ---- the view: every kind of the case, validity as of today
view() { as "$1" "SELECT string_agg(kind || ':' || validity || ':' || validity_label, ' ' ORDER BY sort_order) FROM gb.v_material WHERE gb_case_id = $c"; }
q -c "UPDATE gb.material SET valid_until = current_date WHERE gb_case_id = $c AND kind = 'credit_report';
	UPDATE gb.material SET issued_on = current_date - 60, valid_until = current_date - 1 WHERE gb_case_id = $c AND kind = 'application_form';
	UPDATE gb.material SET status = 'missing', received_on = NULL WHERE gb_case_id = $c AND kind = 'commitment_letter';
	DELETE FROM gb.material WHERE gb_case_id = $c AND kind IN ('indicator_evidence', 'other')" >/dev/null
is "$(view "$dist")" "credit_report:valid:有效 work_summary:valid:有效 internal_evaluation:valid:有效 commitment_letter:missing:缺失 indicator_evidence:missing:缺失 application_form:expired:已过期 other:not_applicable:不适用" \
	"valid to today is 有效, yesterday 已过期; missing 缺失; an unrecorded required kind 缺失, an optional one 不适用"
is "$(as "$dist" "SELECT count(*) FILTER (WHERE id IS NULL AND version IS NULL) || '/' || count(*) FROM gb.v_material WHERE gb_case_id = $c")" "2/7" \
	"unrecorded kinds have no id and no version"
is "$(as "$dist" "SELECT programme || ' ' || kind_label || ' ' || status || ' ' || received_on || ' ' || valid_until || ' ' || required FROM gb.v_material WHERE gb_case_id = $c AND kind = 'credit_report'")" \
	"gb 有效期内的《社会法人信用信息查询报告》 received $(day '-5 days') $today true" "a row carries the kind's label, status, dates and whether it is required"
is "$(view "$obs")" "$(view "$dist")" "the observer sees the same"
is "$(view "$agen")" "$(view "$dist")" "and the agency holding the contract"
is "$(as "$dist2" "SELECT count(*) FROM gb.v_material WHERE gb_case_id = $c")" 0 "another district sees none of it"
q -c "DELETE FROM gb.agency_access; INSERT INTO gb.agency (name) VALUES ('乙机构')" >/dev/null
admin officer add "${db}_a2" --role agency --agency 乙机构 --name 乙机
is "$(as "${db}_a2" "SELECT count(*) FROM gb.v_material")" 0 "an agency without a contract sees nothing"
q -c "INSERT INTO gb.agency_access SELECT agency_id, enterprise_id FROM gb.contract ON CONFLICT DO NOTHING" >/dev/null
is "$(as "$city" "SELECT count(*) FROM gb.v_material WHERE demo_case_id IS NULL AND gb_case_id = $c") $(q -c "SELECT count(*) FROM gb.material_kind WHERE programme = 'gb'")" \
	"7 7" "one row per kind of the programme"

# ---- acceptance refuses an expired material, naming it and its date
accept() { as "$agen" "SELECT gb.gb_case_act($c, version, 'request_acceptance') FROM gb.gb_case WHERE id = $c"; }
q -c "UPDATE gb.material SET status = 'received', received_on = current_date - 1 WHERE gb_case_id = $c AND kind = 'commitment_letter';
	INSERT INTO gb.material (programme, gb_case_id, kind, status, received_on) VALUES ('gb', $c, 'indicator_evidence', 'received', current_date)" >/dev/null
is "$(accept)" "GB005 验收材料已过期：《江苏省企业信用管理贯标申请表》（有效期至 $(day yesterday)）" \
	"request_acceptance: an expired material is refused with its name and valid_until"
is "$(as "$agen" "SELECT ok || ' ' || reason FROM gb.explain($e, 'gb_acceptance', 2020) WHERE rule = 'materials_valid'")" \
	"false 验收材料已过期：《江苏省企业信用管理贯标申请表》（有效期至 $(day yesterday)）" "explain shows the rule failing with the same reason"
is "$(as "$agen" "SELECT string_agg(rule, ',') FROM gb.explain($e, 'gb_acceptance', 2020)")" \
	"case_state,working_group,work_plan,dedicated_staff,department,trainings,internal_evaluation,materials,materials_valid,credit_report,no_serious_dishonesty" \
	"explain lists the material rules in place, after the checklist"
q -c "UPDATE gb.material SET valid_until = current_date - 3 WHERE gb_case_id = $c AND kind = 'credit_report'" >/dev/null
like "$(psql -XAtq -v VERBOSITY=verbose -c "SET SESSION AUTHORIZATION \"$agen\"" -c "SELECT gb.gb_case_act($c, version, 'request_acceptance') FROM gb.gb_case WHERE id = $c" 2>&1 | sed -n 's/^DETAIL:  //p')" \
	"^贯标验收条件：验收材料已过期：《社会法人信用信息查询报告》（有效期至 $(day '-3 days')）、《江苏省企业信用管理贯标申请表》（有效期至 $(day yesterday)）$" \
	"two expired materials are both named, in the kinds' order"
q -c "UPDATE gb.material SET status = 'missing', received_on = NULL WHERE gb_case_id = $c AND kind = 'work_summary'" >/dev/null
like "$(accept)" "^GB005 缺少验收材料：企业贯标工作总结报告$" "a missing material is still named first"
q -c "UPDATE gb.material SET status = 'received', received_on = current_date, valid_until = NULL WHERE gb_case_id = $c AND kind = 'work_summary';
	UPDATE gb.material SET valid_until = current_date WHERE gb_case_id = $c AND kind IN ('credit_report', 'application_form')" >/dev/null
like "$(accept)" '^[0-9]+$' "valid until today: acceptance may be requested"
# Time passes while the city examines the case (the material itself may not
# change now, so the day comes by skipping the triggers).
q -c "SET session_replication_role = replica; UPDATE gb.material SET valid_until = current_date - 1 WHERE gb_case_id = $c AND kind = 'credit_report'" >/dev/null
like "$(as "$city" "SELECT gb.gb_case_act($c, version, 'pass') FROM gb.gb_case WHERE id = $c")" \
	"^GB005 验收材料已过期：《社会法人信用信息查询报告》（有效期至 $(day yesterday)）" "passing checks validity again"
like "$(as "$city" "SELECT gb.gb_case_act($c, version, 'rectify', '请更新信用查询报告') FROM gb.gb_case WHERE id = $c")" '^[0-9]+$' \
	"the city may order rectification instead"

# ---- 示范: the on-site evaluation needs every application material, valid
d=$(q -c "SELECT public.t_demo_ready(public.t_enterprise(2), 'suzhou')")
q -c "UPDATE gb.demo_case SET state = 'coaching' WHERE id = $d;
	UPDATE gb.material SET status = 'missing', received_on = NULL WHERE demo_case_id = $d AND kind = 'site_report'" >/dev/null
evaluate() { as "$city" "SELECT gb.demo_case_act($d, version, 'evaluate') FROM gb.demo_case WHERE id = $d"; }
is "$(evaluate)" "GB005 缺少申报材料：现场调查报告及企业负责人签字的现场调查回执" "evaluate: a missing application material is refused"
q -c "UPDATE gb.material SET status = 'received', received_on = current_date WHERE demo_case_id = $d AND kind = 'site_report';
	UPDATE gb.material SET issued_on = current_date - 100 WHERE demo_case_id = $d AND kind = 'credit_report'" >/dev/null
is "$(evaluate)" "GB005 申报材料已过期：《社会法人信用信息查询报告》（有效期至 $(day '-100 days + 89 days')）" \
	"an expired credit report is refused, with its date"
ed=$(q -c "SELECT enterprise_id FROM gb.demo_case WHERE id = $d")
is "$(as "$city" "SELECT string_agg(rule || '=' || ok, ' ') FROM gb.explain($ed, 'demo_suzhou', 2020) WHERE rule LIKE 'materials%'")" \
	"materials=true materials_valid=false" "explain for 示范 shows the material rules of the open case"
is "$(as "$city" "SELECT count(*) FROM gb.explain($ed, 'demo_province', 2020) WHERE rule LIKE 'materials%'")" 0 \
	"not for a level without an open case"
q -c "UPDATE gb.material SET issued_on = current_date - 89 WHERE demo_case_id = $d AND kind = 'credit_report'" >/dev/null
like "$(evaluate)" '^[0-9]+$' "issued 89 days ago (valid until today): evaluated"

# ---- the sample fills the dates (in a database of its own: the sample
# makes cases only where there are none)
sdb="${db}_s"
trap 'dropdb --if-exists "$sdb" >/dev/null 2>&1' EXIT
createdb "$sdb" && PGDATABASE=$sdb "$GUANBIAO" admin migrate >/dev/null &&
	out=$(PGDATABASE=$sdb "$GUANBIAO" admin sample --enterprises 150 --seed 7 2>&1)
ok $? "admin sample runs in a fresh database: $out"
sq() { q -d "$sdb" "$@"; }
is "$(sq -c "SELECT count(*) FROM gb.material WHERE status = 'received' AND (issued_on IS NULL OR issued_on > received_on OR issued_on < received_on - 20)")" 0 \
	"every received sample material has an issue date 1-20 days before receipt"
like "$(sq -c "SELECT count(*) FROM gb.material WHERE status = 'received'")" '^[1-9][0-9]+$' "(there are such materials)"
is "$(sq -c "SELECT count(*) FROM gb.material WHERE status = 'received'
	AND valid_until IS DISTINCT FROM CASE WHEN kind = 'credit_report' THEN issued_on + 89 END")" 0 \
	"credit reports are valid 90 days from issue, other kinds do not expire"
is "$(sq -c "SELECT count(*) FROM gb.material WHERE status <> 'received' AND (issued_on IS NOT NULL OR valid_until IS NOT NULL)")" 0 \
	"materials not received have no dates"
like "$(sq -c "SELECT count(DISTINCT validity) || ' ' || count(*) FILTER (WHERE validity = 'expired') || ' ' || count(*) FILTER (WHERE validity = 'valid') FROM gb.v_material")" \
	'^4 [1-9][0-9]* [1-9][0-9]*$' "the sample shows every validity, with expired and valid materials"
done_testing
