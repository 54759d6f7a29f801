#!/usr/bin/env bash
# The functions the client records with (sql/017): who may record what and
# why not (record_rights), scores within the leaf's maximum with
# compare-and-set on the score row's version (score_save, the evaluation
# created when missing), the indicator tree's subtotals (evaluation_tree),
# materials with default validity and conflicts (material_save), visits
# under a contract, credit checks and 示范 events with their field rules;
# every refusal in Chinese, every write with its history row.
. "$top_srcdir/tests/tap.sh"
set -u
db=$PGDATABASE
q() { psql -XAtq -v ON_ERROR_STOP=1 "$@"; }
as() {	# login sql: the first line of the result, or "SQLSTATE message"
	psql -XAtq -v VERBOSITY=verbose -c "SET SESSION AUTHORIZATION \"$1\"" -c "$2" 2>&1 |
		head -1 | sed -E 's/^ERROR:  ([A-Z0-9]{5}): /\1 /'
}
detail() {	# login sql: the DETAIL line of the error
	psql -XAtq -c "SET SESSION AUTHORIZATION \"$1\"" -c "$2" 2>&1 | sed -n 's/^DETAIL:  //p' | head -1
}

city="${db}_c" zp="${db}_zp" zs="${db}_zs" ag="${db}_ag" ag2="${db}_ag2" obs="${db}_o"
"$GUANBIAO" admin indicators load "$top_srcdir/contrib/indicators-sample.csv" --version "样例$db" --sample \
	>/dev/null || { echo "Bail out! could not load the indicators"; exit 99; }
q >/dev/null <<SQL || { echo "Bail out! could not set up the data"; exit 99; }
SELECT gb.admin_programme_load_2020();
UPDATE gb.programme_year SET indicator_version_id = (SELECT id FROM gb.indicator_version WHERE name = '样例$db');
INSERT INTO gb.agency (name, uscc) VALUES ('甲机构', '91350200776049653A'), ('乙机构', '91320583MA1PK2L0XJ');
SELECT gb.admin_officer_add('$city', 'city', NULL, NULL, '陈市');
SELECT gb.admin_officer_add('$zp', 'district', '张浦镇', NULL, '张区');
SELECT gb.admin_officer_add('$zs', 'district', '周市镇', NULL, '周区');
SELECT gb.admin_officer_add('$ag', 'agency', NULL, '甲机构', '甲顾问');
SELECT gb.admin_officer_add('$ag2', 'agency', NULL, '乙机构', '乙顾问');
SELECT gb.admin_officer_add('$obs', 'observer', NULL, NULL, '观察');
INSERT INTO gb.enterprise (uscc, name, district_id, industry, above_scale, established_on,
	independent_legal_person, employees)
VALUES ('914403001922038216', '甲企业', (SELECT id FROM gb.district WHERE name = '张浦镇'), '制造业', true,
	'2010-03-01', true, 100);
INSERT INTO gb.contract (agency_id, enterprise_id, kind, year, signed_on, starts_on)
SELECT a.id, e.id, 'gb_consult', 2020, '2020-04-01', '2020-04-01' FROM gb.agency a, gb.enterprise e
WHERE a.name = '甲机构';
INSERT INTO gb.gb_case (enterprise_id, year, state, applied_on, submitted_on, enrolled_on, started_on)
SELECT id, 2020, 'implementing', '2020-03-01', '2020-03-02', '2020-03-03', '2020-04-02' FROM gb.enterprise;
SQL
e=$(q -c "SELECT id FROM gb.enterprise")
g=$(q -c "SELECT id FROM gb.gb_case")
leaf=$(q -c "SELECT id FROM gb.indicator WHERE code = '1.1.1'")
item=$(q -c "SELECT id FROM gb.indicator WHERE code = '1.1'")

# ---- who may record what
rights() { as "$1" "SELECT string_agg(what || '=' || ok, ' ' ORDER BY what) FROM gb.record_rights($e)"; }
is "$(rights "$city")" "credit_check=true demo_event=false material=true score_acceptance=true score_self=true visit=true" \
	"city: everything (no 示范 case: no event)"
is "$(rights "$zp")" "credit_check=true demo_event=false material=true score_acceptance=false score_self=false visit=false" \
	"the enterprise's district: credit checks and materials"
is "$(rights "$ag")" "credit_check=false demo_event=false material=true score_acceptance=false score_self=true visit=true" \
	"the contracted agency: self scores, materials, visits"
is "$(as "$ag2" "SELECT string_agg(DISTINCT ok || ' ' || reason, '|') FROM gb.record_rights($e)")" \
	"false 企业 $e 不存在或无权查看" "another agency does not see the enterprise: nothing, and why"
like "$(as "$obs" "SELECT string_agg(DISTINCT reason, '|') FROM gb.record_rights($e)")" "^观察员只能查看，不能登记或修改任何内容$" \
	"the observer: nothing, one reason"
is "$(as "$ag" "SELECT reason FROM gb.record_rights($e) WHERE what = 'score_acceptance'")" \
	"验收分由市信用办在贯标验收（或示范评价）时录入" "each refusal has its Chinese reason"

# ---- scores
save() {	# login expected_version which score [indicator]
	as "$1" "SELECT id || ' ' || version FROM gb.score_save('gb', $g, ${5:-$leaf}, $2, '$3', $4, '说明')"
}
is "$(q -c "SELECT count(*) FROM gb.evaluation")" "0" "no evaluation yet"
is "$(save "$ag" NULL self 10.01)" "GB006 自评分：10.01 超过指标 1.1.1“形成文件”的满分 10.00" "above the maximum: GB006 naming the leaf and its maximum"
is "$(detail "$ag" "SELECT gb.score_save('gb', $g, $leaf, NULL, 'self', 10.01, NULL)")" "字段 self_score" "and the field"
is "$(save "$ag" NULL self -1)" "GB006 自评分：-1 不能为负数" "negative: refused"
is "$(save "$ag" NULL self 9.125)" "GB006 自评分：9.125 最多保留两位小数" "three decimals: refused"
is "$(save "$ag" NULL self 5 "$item")" "GB006 指标 1.1 不是本次评价所用指标体系的考核内容（第三级）" "only a leaf takes a score"
is "$(save "$zp" NULL self 5)" "GB003 自评分由为该企业服务的第三方信用服务机构（或市信用办）录入，区镇不能录入" "a district may not score"
is "$(save "$ag" NULL acceptance 5)" "GB003 验收分由市信用办在贯标验收（或示范评价）时录入" "an agency may not give the acceptance score"
is "$(q -c "SELECT count(*) FROM gb.evaluation")" "0" "refusals leave nothing, not even the evaluation"
like "$(save "$ag" NULL self 10)" "^[0-9]+ 1$" "the maximum itself is fine; the first score makes version 1"
is "$(q -c "SELECT count(*) || ' ' || min(indicator_version_id) FROM gb.evaluation WHERE gb_case_id = $g")" \
	"1 $(q -c "SELECT id FROM gb.indicator_version WHERE name = '样例$db'")" "the evaluation was created with the year's version"
is "$(save "$city" NULL acceptance 8)" "GB004 记录已被他人修改（您的版本 0，当前版本 1）" "a second first save meets the first: GB004"
like "$(detail "$city" "SELECT gb.score_save('gb', $g, $leaf, NULL, 'acceptance', 8, NULL)")" "^甲顾问（${ag}） 于 .* 修改$" \
	"naming who and when"
like "$(save "$city" 1 acceptance 8)" " 2$" "the city's acceptance score on version 1 makes version 2"
is "$(save "$ag" 1 self 9)" "GB004 记录已被他人修改（您的版本 1，当前版本 2）" "the agency's stale version is refused"
like "$(detail "$ag" "SELECT gb.score_save('gb', $g, $leaf, 1, 'self', 9, NULL)")" "陈市（${city}） 于 .* 修改：验收分、验收意见" \
	"with who, when and which fields, in Chinese"
is "$(q -c "SELECT self_score || ' ' || acceptance_score FROM gb.evaluation_score")" "10.00 8.00" "each side kept the other's"
is "$(q -c "SELECT level || ' ' || title || ' ' || max_score || ' ' || coalesce(self_score::text, '-') || ' ' ||
	coalesce(acceptance_score::text, '-') || ' ' || self_scored || '/' || leaves FROM gb.evaluation_tree('gb', $g)
	WHERE code IN ('1', '1.1', '1.1.1', '1.2') OR level = 0 ORDER BY level, code")" \
"0 合计 1000.00 10.00 8.00 1/55
1 信用管理方针和目标 60.00 10.00 8.00 1/6
2 方针 30.00 10.00 8.00 1/4
2 目标 30.00 - - 0/2
3 形成文件 10.00 10.00 8.00 1/1" "the tree sums each item's leaves; the total sums all"
is "$(q -c "SELECT gb.score_summary('gb', $g)")" "满分 1000  自评 10（1/55 项）  验收 8（1/55 项）" "one line of totals"
is "$(q -c "SELECT string_agg(action, ',' ORDER BY id) FROM gb.history WHERE table_name = 'evaluation_score'")" \
	"insert,update" "one history row per saved score"

# ---- materials
mat() {	# login version status issued valid
	as "$1" "SELECT version FROM gb.material_save('gb', $g, 'credit_report', $2, '$3', NULL, $4, $5, 'R1')"
}
is "$(mat "$zs" NULL received NULL NULL)" "GB002 贯标案件 $g 不存在或无权查看" "another district does not see the case"
is "$(mat "$ag" NULL received "'2020-05-01'" NULL)" "1" "the agency records the credit report"
is "$(q -c "SELECT received_on = current_date, valid_until FROM gb.material")" "t|2020-07-29" \
	"received today; valid for the year's 90 days from its issue"
is "$(mat "$zp" NULL missing NULL NULL)" "GB004 记录已被他人修改（您的版本 0，当前版本 1）" "a stale save of a material is refused"
is "$(mat "$zp" 1 received "'2020-06-01'" "'2020-06-10'")" "2" "the district saves on the current version"
is "$(q -c "SELECT issued_on || ' ' || valid_until || ' ' || validity_label FROM gb.v_material WHERE id IS NOT NULL")" \
	"2020-06-01 2020-06-10 已过期" "a date given by hand is kept, and judged expired"
is "$(mat "$obs" 2 missing NULL NULL)" "GB003 观察员只能查看，不能登记或修改任何内容" "the observer may not"

# ---- visits, credit checks, 示范 events
is "$(as "$zp" "SELECT gb.visit_add($e, '2020-05-01', NULL, '辅导')")" \
	"GB003 上门服务由签订合同的服务机构（或市信用办）登记，区镇不能登记" "a district may not record a visit"
is "$(as "$ag" "SELECT gb.visit_add($e, current_date + 1, NULL, '辅导')")" "GB006 上门日期：不能晚于今天（$(date -d tomorrow +%F)）" \
	"a visit in the future is refused naming the field"
is "$(as "$ag" "SELECT gb.visit_add($e, '2020-05-01', '甲顾问', '  ')")" "GB006 服务内容：不能为空" "a visit says what was done"
like "$(as "$ag" "SELECT gb.visit_add($e, '2020-05-01', '甲顾问', '辅导制度')")" "^[0-9]+$" "the agency records a visit"
is "$(q -c "SELECT a.name FROM gb.visit v JOIN gb.contract c ON c.id = v.contract_id JOIN gb.agency a ON a.id = c.agency_id")" \
	"甲机构" "under its own contract"
cc() { as "$1" "SELECT gb.credit_check_add($e, '$2', '$3', '2020-06-01', 'R9', $4, $5)"; }
is "$(cc "$ag" gb_acceptance 江苏省公共信用信息中心 false NULL)" "GB003 信用核查由企业所在区镇或市信用办登记，服务机构不能登记" \
	"an agency may not record a credit check"
is "$(cc "$zs" gb_acceptance 江苏省公共信用信息中心 false NULL)" "GB002 企业 $e 不存在或无权查看" "nor another district"
like "$(cc "$zp" gb_acceptance 北京 false NULL)" "^GB006 出具单位：应为“江苏省公共信用信息中心”或“苏州市公共信用信息中心”" "the source is one of the two centres"
like "$(cc "$zp" later 江苏省公共信用信息中心 false NULL)" "^GB006 核查阶段“later”不对" "the stage is one of four"
is "$(cc "$zp" gb_acceptance 江苏省公共信用信息中心 true "' '")" "GB006 查询结果：有严重失信记录时须写明查询结果" \
	"a serious finding needs its words"
like "$(cc "$zp" gb_acceptance 苏州市公共信用信息中心 false NULL)" "^[0-9]+$" "the district records a credit check"
q >/dev/null -c "INSERT INTO gb.demo_case (enterprise_id, level, year, state, nominated_on)
	SELECT id, 'suzhou', 2020, 'nominated', '2020-04-01' FROM gb.enterprise"
d=$(q -c "SELECT id FROM gb.demo_case")
ev() { as "$1" "SELECT gb.demo_event_add($d, '$2', '2020-06-01', $3, NULL, $4, NULL)"; }
is "$(ev "$zp" finding NULL NULL)" "GB003 示范企业的动态监管事项（整改、恢复、取消、通报）由市信用办登记" "only the city records 示范 events"
is "$(ev "$city" rectification NULL NULL)" "GB006 整改期限：限期整改须写明期限" "a rectification needs its deadline"
is "$(ev "$city" rectification "'2020-05-01'" NULL)" "GB006 整改期限：2020-05-01 不能早于发生日期 2020-06-01" "after the event"
is "$(ev "$city" announcement NULL NULL)" "GB006 通报文号：通报须写明文号" "an announcement needs its reference"
is "$(ev "$city" party NULL NULL)" "GB006 事项：“party”不对，可选：发现问题、限期整改、恢复资格、取消资格、通报" "the kind is one of five"
like "$(ev "$city" rectification "'2020-07-01'" NULL)" "^[0-9]+$" "the city records a rectification"
is "$(q -c "SELECT string_agg(table_name || ':' || login, ',' ORDER BY id) FROM gb.history
	WHERE table_name IN ('visit', 'credit_check', 'demo_event')")" \
	"visit:$ag,credit_check:$zp,demo_event:$city" "each record has its history row in the officer's name"
done_testing
