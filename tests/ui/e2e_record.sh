#!/usr/bin/env bash
# Recording in place from the enterprise screen, in a real terminal (tmux):
# the city officer opens the score tree, types a score above the leaf's
# maximum (refused with the message, nothing sent), then a valid one; records
# a credit check and a visit; the database holds each with a history row in
# the officer's name.  An observer opens "为什么" and sees the database's
# Chinese reasons, and cannot record anything.
. "$top_srcdir/tests/tap.sh"
. "$top_srcdir/tests/ui/e2e_lib.sh"

db=$PGDATABASE
city=${db}_rcity
obs=${db}_robs
ag=${db}_rag
trap e2e_cleanup EXIT

"$GUANBIAO" admin indicators load "$top_srcdir/contrib/indicators-sample.csv" --version "样例$db" --sample \
	>/dev/null || { echo "Bail out! could not load the indicators"; exit 99; }
psql_admin >/dev/null <<SQL || { echo "Bail out! could not set up the data"; exit 99; }
SELECT gb.admin_programme_load_2020();
UPDATE gb.programme_year SET indicator_version_id = (SELECT id FROM gb.indicator_version WHERE name = '样例$db');
SELECT gb.admin_officer_add('$city', 'city', NULL, NULL, '王市长');
SELECT gb.admin_officer_add('$obs', 'observer', NULL, NULL, '赵观察');
INSERT INTO gb.agency (name, uscc, contact_name) VALUES ('苏信征信服务有限公司', '91350200776049653A', '钱机构');
SELECT gb.admin_officer_add('$ag', 'agency', NULL, '苏信征信服务有限公司', '孙顾问');
INSERT INTO gb.enterprise (uscc, name, district_id, industry, above_scale, established_on,
	independent_legal_person, main_products, sales_revenue_wan, sales_year, employees,
	contact_name, contact_phone)
VALUES ('914403001922038216', '测试精密（昆山）有限公司',
	(SELECT id FROM gb.district WHERE name = '张浦镇'), '制造业', true, '2010-03-01', true,
	'精密模具', 1234.5, 2019, 120, '赵六', '0512-5555');
INSERT INTO gb.contract (agency_id, enterprise_id, kind, year, signed_on, starts_on)
SELECT a.id, e.id, 'gb_consult', 2020, '2020-04-01', '2020-04-01' FROM gb.agency a, gb.enterprise e;
INSERT INTO gb.gb_case (enterprise_id, year, state, applied_on, submitted_on, enrolled_on, started_on)
SELECT id, 2020, 'implementing', '2020-03-01', '2020-03-02', '2020-03-03', '2020-04-02' FROM gb.enterprise;
SQL

# open_enterprise SESSION: find the enterprise on the 企业 panel and open it.
open_enterprise() {
	keys "$1" 2
	wait_for "$1" "名称\\^"
	keys "$1" /
	type_text "$1" "测试精密"
	keys "$1" Enter
	wait_for "$1" "测试精密（昆山）有限公司"
	keys "$1" Enter
	wait_for "$1" "基本信息 +贯标 +示范 +信用核查 +历史"
}

start_client C "$city"
wait_for C "王市长（市信用办）.*已连接"; ok $? "city client starts"
open_enterprise C
keys C Right
wait_for C "评分合计 +满分 1000 +自评 — +验收 —"; ok $? "the 贯标 tab shows the evaluation's total and maximum"
like "$(screen_of C)" "信用管理方针和目标 +满分 60" "and each category's subtotal"

# The score tree from the 登记 menu.
keys C +
wait_for C "[0-9] 评分表"; ok $? "+ offers the score tree to the city"
n=$(screen_of C | grep -o "[0-9] 评分表" | head -1 | cut -c1)
keys C "$n"
wait_for C "贯标评分表"; ok $? "the score tree opens"
wait_for C "代码 +指标 +满分 +自评 +验收"; ok $? "with maximum, self and acceptance columns"
like "$(screen_of C)" "1\\.1\\.1 +形成文件 +10" "leaves indented under their items"
keys C G
wait_for C "合计 +1000"; ok $? "and the total at the end (G)"
keys C g
wait_for C "1 +信用管理方针和目标"
keys C j j Enter
wait_for C "评分 1\\.1\\.1 形成文件（满分 10）"; ok $? "Enter on a leaf opens its score form"
type_text C "12"
keys C F2
wait_for C "自评分 12 超过该项满分 10"; ok $? "a score above the maximum is refused with the message"
is "$(psql_admin -c "SELECT count(*) FROM gb.evaluation_score")" "0" "and nothing is written"
keys C C-u
type_text C "8.5"
keys C Tab
type_text C "文件齐全"
keys C F2
wait_for C "已保存 1\\.1\\.1 的得分"; ok $? "a valid score is saved"
wait_for C "1\\.1\\.1 +形成文件 +10 +8\\.5 +文件齐全"; ok $? "the tree shows it at once"
like "$(screen_of C | grep '^ *1 ')" "信用管理方针和目标 +60 +8\\.5" "and the category's subtotal"
is "$(psql_admin -c "SELECT s.self_score || ' ' || s.self_finding FROM gb.evaluation_score s
	JOIN gb.indicator i ON i.id = s.indicator_id WHERE i.code = '1.1.1'")" "8.50 文件齐全" \
	"the database holds the score and finding"

# The agency changes the self score while the city has the leaf open: the
# city's save meets the conflict dialog (who, which fields) and re-applies
# its acceptance score on top, keeping the agency's self score.
keys C Enter
wait_for C "评分 1\\.1\\.1 形成文件（满分 10）"
wait_for C "自评分 8\\.5"
out=$(PGUSER=$ag psql -X -qAt -c "SELECT version FROM gb.score_save('gb', (SELECT id FROM gb.gb_case),
	(SELECT id FROM gb.indicator WHERE code = '1.1.1'), 1, 'self', 7, '补充说明')" 2>&1)
is "$out" "2" "meanwhile the agency saves its self score"
keys C Tab Tab
type_text C "9"
keys C F2
wait_for C "保存冲突"; ok $? "the city's save shows the conflict"
like "$(screen_of C)" "孙顾问（$ag） 于 [0-9-]+ [0-9:]+ 修改" "naming who and when"
like "$(screen_of C | sed 's/│//g; s/ //g' | tr -d '\n')" "修改：自评分、自评说明" "and which fields (the text wraps, never cut)"
keys C a
wait_for C "已保存 1\\.1\\.1 的得分"; ok $? "a re-applies the city's change on the new version"
is "$(psql_admin -c "SELECT self_score || ' ' || acceptance_score || ' ' || version FROM gb.evaluation_score")" \
	"7.00 9.00 3" "the agency's self score and the city's acceptance score are both kept"
keys C q
wait_for C "基本信息 +贯标"

# A credit check and a visit.
keys C +
wait_for C "[0-9] 登记信用核查"
n=$(screen_of C | grep -o "[0-9] 登记信用核查" | head -1 | cut -c1)
keys C "$n"
wait_for C "登记信用核查"; ok $? "+ opens the credit check form"
keys C Tab Tab Tab
type_text C "JS2020-001"
keys C F2
wait_for C "已登记信用核查"; ok $? "the credit check is recorded"
keys C +
wait_for C "[0-9] 登记上门服务"
n=$(screen_of C | grep -o "[0-9] 登记上门服务" | head -1 | cut -c1)
keys C "$n"
wait_for C "登记上门服务"
keys C Tab
type_text C "张顾问"
keys C Tab
type_text C "现场检查信用管理制度"
keys C F2
wait_for C "已登记上门服务"; ok $? "the visit is recorded"
wait_for C "上门服务 +[0-9-]{10} 张顾问 现场检查信用管理制度"; ok $? "the 贯标 tab lists the visit"
keys C Right Right
wait_for C "江苏省公共信用信息中心 +JS2020-001 无严重失信"; ok $? "the 信用核查 tab lists the check"
is "$(psql_admin -c "SELECT stage || ' ' || report_no || ' ' || serious_dishonesty FROM gb.credit_check")" \
	"gb_acceptance JS2020-001 false" "the database holds the credit check"
is "$(psql_admin -c "SELECT staff_name || ' ' || summary FROM gb.visit")" "张顾问 现场检查信用管理制度" \
	"and the visit, under the enterprise's contract"
is "$(psql_admin -c "SELECT string_agg(table_name || ':' || action, ',' ORDER BY id) FROM gb.history
	WHERE login = '$city' AND table_name IN ('evaluation', 'evaluation_score', 'credit_check', 'visit')")" \
	"evaluation:insert,evaluation_score:insert,evaluation_score:update,credit_check:insert,visit:insert" \
	"each with a history row in the officer's name"
unlike "$(screen_of C)" "$ASCII_CODE" "no code on the 信用核查 tab"

# A material with its dates: Enter on its line in the 贯标 tab.
keys C Left Left
wait_for C "材料：有效期内的《社会法人信用信息查询报告》 +缺失"; ok $? "materials show their validity (缺失)"
keys C g j j j j j j j j Enter
wait_for C "登记材料"; ok $? "Enter on a material's line opens its form"
wait_for C "状态（1 已收 2 缺 3 不适用） +缺"
keys C C-u
type_text C "1"
keys C Tab Tab
type_text C "2020-05-01"
keys C F2
wait_for C "已登记材料"; ok $? "the material is recorded"
wait_for C "材料：有效期内的《社会法人信用信息查询报告》 +已过期 已收 [0-9-]{10} 出具 2020-05-01 有效期至 2020-07-29"
ok $? "received today, issued 2020-05-01: valid for the year's 90 days, so 已过期"
is "$(psql_admin -c "SELECT status || ' ' || issued_on || ' ' || valid_until || ' ' || (received_on = current_date)
	FROM gb.material")" "received 2020-05-01 2020-07-29 true" "the database holds the dates"

# The review of the acceptance request shows the totals and the validity;
# what the database refuses there is said in Chinese.
psql_admin -c "UPDATE gb.gb_case SET state = 'acceptance_requested', acceptance_requested_on = '2020-07-01'" >/dev/null
keys C q
keys C 3
wait_for C "测试精密.*已申请验收"; ok $? "the acceptance request waits in the city's 待办"
keys C Enter
wait_for C "操作："; ok $? "Enter opens the review (it waits for the queue's first page, never lost)"
wait_for C "评分 +满分 1000  自评 7（1/55 项）  验收 9（1/55 项）"; ok $? "the review shows the score totals"
like "$(screen_of C)" "材料：有效期内的《社会法人信用信息查询报告》 +已过期" "and each material's validity"
like "$(screen_of C)" "材料：企业贯标工作总结报告 +缺失" "missing ones too"
for i in 1 2 3 4 5 6 7 8; do keys C j; done
keys C Enter
wait_for C "登记材料"
wait_for C "出具日期 +2020-05-01"
keys C Tab Tab
keys C C-u
type_text C "2020-06-20"
keys C F2
wait_for C "贯标案件状态为“已申请验收”，不能修改验收材料"; ok $? "the database's refusal is shown in Chinese"
is "$(psql_admin -c "SELECT issued_on FROM gb.material")" "2020-05-01" "and nothing changed"
keys C Escape
wait_for C "放弃修改？"
keys C y

# The observer: why not, and no writing.
start_client O "$obs"
wait_for O "赵观察（观察员）.*已连接"; ok $? "observer client starts"
open_enterprise O
keys O "?"
wait_for O "为什么（不）能：申请贯标、验收"; ok $? "the observer's help names w (why not)"
unlike "$(screen_of O)" "登记（数据库允许时）" "and not + (record)"
keys O q
wait_gone O "为什么（不）能：申请贯标、验收"
keys O +
wait_for O "观察员只能查看，不能修改"; ok $? "+ is refused to the observer"
keys O w
wait_for O "为什么（不）能申请贯标"; ok $? "w opens why (not) for the observer"
keys O 5
wait_for O "我能为该企业登记什么"; ok $? "what may be recorded, from the database"
like "$(screen_of O)" "✗ 录入自评分：不能，观察员只能查看" "each refused with the database's Chinese reason"
unlike "$(screen_of O)" "$ASCII_CODE" "and no code"
keys O q
keys O w
wait_for O "为什么（不）能申请验收"
keys O 2
wait_for O "为什么（数据库规则说明）"; ok $? "the acceptance rules explained"
like "$(screen_of O)" "✗ [^ -~]" "with each failed rule's Chinese reason"
unlike "$(screen_of O)" "$ASCII_CODE" "and no rule code"
keys O q
keys O Right
wait_for O "评分合计 +满分 1000 +自评 7 +验收 9"; ok $? "the observer sees the scores"
before=$(psql_admin -c "SELECT count(*) FROM gb.history")
out=$(PGUSER=$obs psql -X -qAt -c "SELECT gb.visit_add((SELECT id FROM gb.enterprise), current_date, NULL, 'x')" 2>&1)
like "$out" "观察员只能查看，不能登记或修改任何内容" "the database refuses the observer's write in Chinese"
is "$(psql_admin -c "SELECT count(*) FROM gb.history")" "$before" "and nothing was written"

keys C Q
keys O Q
is "$(wait_exit C)" 0 "city client quits cleanly"
is "$(wait_exit O)" 0 "observer client quits cleanly"
clean_stderr C; ok $? "no sanitizer report (city)"
clean_stderr O; ok $? "no sanitizer report (observer)"
done_testing
