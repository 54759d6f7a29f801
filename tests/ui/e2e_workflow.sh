#!/usr/bin/env bash
# Two officers at once, each in a real terminal (tmux): the district
# officer records an application and submits it; the city officer's 待办
# shows it without a key; the city approves; the district's list shows the
# new stage without a key; both edit the same enterprise and the second save
# shows the conflict (who, when, which fields); a resize inside the form
# keeps the typed Chinese; both quit cleanly.  Also: a login role that is
# not an officer gets a clear message and exit status 1.
. "$top_srcdir/tests/tap.sh"
. "$top_srcdir/tests/ui/e2e_lib.sh"

db=$PGDATABASE
city=${db}_city
zp=${db}_zp
nobody=${db}_nobody
obs=${db}_obs
ag=${db}_ag
cleanup() {
	e2e_cleanup
	psql_admin -d postgres -c "DROP ROLE IF EXISTS \"$nobody\"" >/dev/null 2>&1
}
trap cleanup EXIT

psql_admin >/dev/null <<SQL || { echo "Bail out! could not set up the data"; exit 99; }
SELECT gb.admin_programme_load_2020();
SELECT gb.admin_officer_add('$city', 'city', NULL, NULL, '王市长');
SELECT gb.admin_officer_add('$zp', 'district', '张浦镇', NULL, '李区员');
INSERT INTO gb.agency (name) VALUES ('测试信用服务机构');
SELECT gb.admin_officer_add('$ag', 'agency', NULL, '测试信用服务机构', '钱机构');
CREATE ROLE "$nobody" LOGIN;
INSERT INTO gb.enterprise (uscc, name, district_id, industry, above_scale, established_on,
	independent_legal_person, main_products, sales_revenue_wan, sales_year, employees,
	contact_name, contact_phone)
VALUES ('914403001922038216', '测试精密（昆山）有限公司',
	(SELECT id FROM gb.district WHERE name = '张浦镇'), '制造业', true, '2010-03-01', true,
	'精密模具', 1234.5, 2019, 120, '赵六', '0512-5555');
SQL

# Not an officer: refused before the screen opens.
out=$(PGUSER=$nobody LC_ALL=C.UTF-8 "$GUANBIAO" 2>&1 </dev/null)
is "$?" 1 "a login role that is not an officer exits with status 1"
like "$out" "不是登记的工作人员" "and is told so"

out=$(PGUSER=$zp LC_ALL=C "$GUANBIAO" 2>&1 </dev/null)
is "$?" 2 "a locale that is not UTF-8 is refused"
like "$out" "不是 UTF-8" "with the reason"

start_client D "$zp"
start_client C "$city"
wait_for D "李区员（区镇·张浦镇）.*已连接"; ok $? "district client shows officer, role, district, connection"
wait_for C "王市长（市信用办）.*已连接"; ok $? "city client shows its officer"
like "$(screen_of C)" "2020年度" "the top bar shows the programme year"
wait_for C "花桥经济开发区 "; ok $? "区镇指标 sizes the district column to fit 花桥经济开发区 at 120 columns"
like "$(screen_of C | grep '^ *合计')" '% +6 ' "合计 shows the city-wide 示范 figure of the programme (6)"
like "$(screen_of C | grep '^ *张浦镇')" '% {10,}' "a district without its own 示范 figure shows none, not 0"

# The city officer watches the work queue.
keys C 3
wait_for C "企业名称.*期限"; ok $? "city opens 待办"

# The district officer finds the enterprise by typing Chinese and applies.
keys D 2
wait_for D "名称\\^"
keys D /
type_text D "测试精密"
keys D Enter
wait_for D "测试精密（昆山）有限公司"; ok $? "search as you type finds the enterprise"
keys D a
wait_for D "登记本年度贯标申请"
keys D 1
wait_for D "已登记贯标申请"; ok $? "district records an application"
wait_for D "测试精密.*已申请"; ok $? "the list shows the new stage at once"
# Export the list on screen: UTF-8 with BOM, into the client's folder.
keys D x
wait_for D "UTF-8 带 BOM"
keys D 2
wait_for D "文件名： 企业-2020.csv"
keys D Enter
wait_for D "已导出 1 行到 /.*/企业-2020.csv"; ok $? "x exports the list on screen, naming the file by its full path"
is "$(head -c 3 "$E2E_DIR/企业-2020.csv" | od -An -tx1 | tr -d ' ')" "efbbbf" "as UTF-8 with a BOM"
like "$(cat "$E2E_DIR/企业-2020.csv")" "测试精密（昆山）有限公司,张浦镇,精密模具,1234.50,120,已申请" "holding the row as shown"
keys D x
keys D 1
wait_for D "文件名："
keys D Enter
wait_for D "文件已存在"; ok $? "an existing file is never overwritten"
like "$(screen_of D)" "文件名： 企业-2020.csv" "the name is offered again, to be corrected"
keys D Escape
wait_gone D "文件名："; ok $? "Esc on the name as it was closes the prompt at once"

keys D a
wait_for D "本年度贯标案件的操作"
keys D 1
wait_for D "[0-9] 报市信用办"; ok $? "the case actions come from the database"
n=$(screen_of D | grep -o "[0-9] 报市信用办" | head -1 | cut -c1)
keys D "$n"
wait_for D "已报市信用办："; ok $? "district submits to the city"
t0=$(date +%s%3N)

wait_for C "测试精密.*已报市信用办.*确定入选" 3000; r=$?
ok $r "city's 待办 shows the submitted application without a key"
echo "# it appeared ${WAITED_MS} ms after the district's submit was confirmed"
[ "$r" = 0 ] && [ "$WAITED_MS" -le $((1000 * E2E_SCALE)) ]; ok $? "within a second (ten under valgrind)"
like "$(screen_of C)" "王市长|李区员" "the status line says who changed it"

# The review screen: digits switch panels as everywhere, actions are letters.
keys C Enter
wait_for C "操作：y 确定入选  n [^ ]+.*a 全部操作"; ok $? "the review names its quick keys y, n and a"
like "$(screen_of C | tail -1)" "^y 确定入选  n [^ ]+  a 全部操作" "and so does the keys line"
like "$(screen_of C)" "资格 +✓ [^ ]*[^ -~]" "eligibility shows ✓ with the database's Chinese reason"
unlike "$(screen_of C)" "$ASCII_CODE" "no rule, state or action code on the review screen"
keys C w
wait_for C "为什么（数据库规则说明）"; ok $? "w explains the rules"
unlike "$(screen_of C)" "$ASCII_CODE" "the explanation shows no rule code"
like "$(screen_of C)" "[✓✗] [^ -~]" "each rule as ✓/✗ with its reason"
keys C q
keys C 3
wait_gone C "操作：y"; ok $? "3 in the review switches to 待办 (it used to revoke)"
wait_for C "企业名称.*期限"
is "$(psql_admin -c "SELECT state FROM gb.gb_case")" "submitted" "and changed nothing"

# A destructive action asks first, showing what will change.
keys C Enter
wait_for C "操作：y 确定入选"
keys C a
wait_for C "可做的操作"
wait_for C "[0-9] 撤回"; ok $? "a lists every action, withdrawing too"
n=$(screen_of C | grep -o "[0-9] 撤回" | head -1 | cut -c1)
keys C "$n"
wait_for C "撤回：选择或输入理由"
keys C 1
wait_for C "理由："
type_text C "企业主动放弃"
keys C Enter
wait_for C "确认“撤回”"; ok $? "withdrawing asks for confirmation"
like "$(screen_of C)" "企业：测试精密（昆山）有限公司" "naming the enterprise"
like "$(screen_of C)" "状态：已报市信用办 → 已撤回" "and the change of state"
like "$(screen_of C)" "理由：企业主动放弃" "and the reason"
keys C Enter
sleep 0.3
like "$(screen_of C)" "确认“撤回”" "Enter does not confirm"
keys C n
wait_for C "已取消“撤回”，未做任何修改"; ok $? "n cancels"
is "$(psql_admin -c "SELECT state FROM gb.gb_case")" "submitted" "and nothing changed"

# The city approves from the review screen with y.
keys C y
wait_for C "已确定入选"; ok $? "city approves (确定入选); the review closes"
wait_for D "测试精密.*已入选" 3000; r=$?
ok $r "district's list shows 已入选 without a key"
echo "# it appeared ${WAITED_MS} ms after the city's approval"

# The next step waits for the agency that signs the consulting contract:
# it records the checklist, materials and trainings in place in the review.
unlike "$(screen_of C)" "测试精密.*开始贯标实施" "the next step is not in the city's 待办"
psql_admin -c "INSERT INTO gb.contract (agency_id, enterprise_id, kind, year, signed_on, starts_on)
	SELECT a.id, e.id, 'gb_consult', 2020, current_date, current_date FROM gb.agency a, gb.enterprise e" >/dev/null
start_client A "$ag"
keys A 3
wait_for A "测试精密.*开始贯标实施"; ok $? "but in the agency's"
keys A Enter
wait_for A "操作：.*开始贯标实施"; ok $? "the next step is offered to the agency"
keys A j Space
wait_for A "成立工作组 +✓"; ok $? "Space switches a checklist item"
for i in 1 2 3 4 5 6 7; do keys A j; done
keys A Space
wait_for A "材料：有效期内.*已收 [0-9-]{10}"; ok $? "Space marks a material received today"
keys A Space
wait_for A "材料：有效期内.*不适用"; ok $? "and again not applicable"
keys A k k k Space
wait_for A "登记一次培训"
type_text A "2020-05-06 信用管理制度培训"
keys A Enter
wait_for A "培训 +1 次：2020-05-06 信用管理制度培训"; ok $? "a training is recorded with its date and topic"
is "$(psql_admin -c "SELECT working_group_formed FROM gb.gb_case")" "t" "the checklist change is in the database"
keys A q
keys A Q
is "$(wait_exit A)" 0 "the agency's client quits with status 0"
clean_stderr A; ok $? "no sanitizer report from the agency's client"

# The enterprise in words: eligibility, history and explanations without codes.
keys C 2
wait_for C "名称\\^"
keys C /
type_text C "测试精密"
keys C Enter
wait_for C "测试精密（昆山）有限公司"
keys C o
wait_for C "基本信息"
keys C Right
wait_for C "资格（申请） +[✓✗] "; ok $? "the 贯标 tab shows eligibility as ✓/✗ with reasons"
unlike "$(screen_of C)" "$ASCII_CODE" "no code on the 贯标 tab"
keys C Left Left
wait_for C "贯标案件 确定入选 已报市信用办 → 已入选"; ok $? "history names table, action and states in words"
like "$(screen_of C)" "贯标案件 修改：成立贯标工作小组 否 → 是" "and changed fields by their labels"
unlike "$(screen_of C)" "$ASCII_CODE" "no code on the 历史 tab"
keys C a
wait_for C "为什么（不）能申请验收"
keys C 3
wait_for C "为什么（数据库规则说明）"
like "$(screen_of C)" "[✓✗] [^ -~]" "why (not) acceptance: each rule ✓/✗ with its reason"
unlike "$(screen_of C)" "$ASCII_CODE" "and no rule code"
keys C q
keys C q
wait_for C "测试精密（昆山）有限公司"

# Both edit the same enterprise (the city is on it in its list); the
# district saves first.
keys D e
keys C e
wait_for D "编辑企业"; ok $? "district opens the edit form"
wait_for C "编辑企业"; ok $? "city opens the edit form"
wait_for D "联系人 +赵六"
wait_for C "联系人 +赵六"
for i in 1 2 3 4 5 6 7 8 9 10; do keys D Tab; keys C Tab; done
keys D C-u
type_text D "钱七"
keys C C-u
type_text C "孙八"
keys D F2
wait_for D "已保存"; ok $? "the first save goes through"
keys C F2
wait_for C "保存冲突"; ok $? "the second save shows the conflict"
like "$(screen_of C)" "李区员" "naming who saved first"
like "$(screen_of C)" "联系人" "and which fields"
like "$(screen_of C)" "[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9:]{8}" "and when"
keys C r
wait_for C "联系人 +钱七"; ok $? "reload shows the other officer's value"

# A resize inside the form keeps what was typed.
keys C C-u
type_text C "周九（新联系人）"
wait_for C "周九（新联系人）"
tm resize-window -t C -x 70 -y 20
wait_for C "周九（新联系人）"; ok $? "after shrinking, the typed Chinese is still there"
tm resize-window -t C -x 30 -y 6
wait_for C "窗口太小"; ok $? "a tiny window says 窗口太小"
tm resize-window -t C -x 120 -y 40
wait_for C "周九（新联系人）"; ok $? "after growing back, still there"
keys C F2
wait_for C "已保存"; ok $? "and it saves"
wait_for D "王市长：修改企业.*测试精密.*联系人" 3000
ok $? "the district's status line says who changed what, without a key"
for i in 1 2 3 4 5 6 7 8; do keys D l; done
wait_for D "测试精密.*周九"; ok $? "and the list row holds the new value (scrolled right to the column)"

# Typed text is never thrown away without asking: Esc and F10 on a changed
# form ask first; n goes back to the form with the text, y discards.
keys D e
wait_for D "编辑企业"
type_text D "未存文字"
wait_for D "未存文字"
keys D Escape
wait_for D "放弃修改？"; ok $? "Esc on a changed form asks before discarding"
like "$(screen_of D | tail -1)" "y 放弃  n/Esc 继续编辑" "the keys line names both answers"
keys D n
wait_gone D "放弃修改？"
wait_for D "编辑企业"; ok $? "n goes back to the form"
like "$(screen_of D)" "未存文字" "with the typed text kept"
keys D F10
wait_for D "放弃修改并退出？"; ok $? "F10 with a changed form asks too"
keys D n
wait_gone D "放弃修改并退出？"
sleep 0.2
kill -0 "$(client_pid D)" 2>/dev/null; ok $? "and n does not quit"
like "$(screen_of D)" "未存文字" "the text is still there"
keys D Escape
wait_for D "放弃修改？"
keys D y
wait_gone D "编辑企业"; ok $? "y discards and leaves the form"
wait_for D "已放弃修改"; ok $? "saying so"
is "$(psql_admin -c "SELECT count(*) FROM gb.enterprise WHERE name LIKE '%未存文字%'")" 0 \
	"nothing discarded reached the database"

# On a panel q and Esc go back, never out: e opens the form, Esc twice
# leaves it and stays; only Q quits.
keys D e
wait_for D "编辑企业"
keys D Escape
wait_gone D "编辑企业"; ok $? "Esc leaves an unchanged form at once"
keys D Escape
wait_for D "按 Q 退出"; ok $? "a second Esc on the panel says Q quits"
keys D q
sleep 0.2
kill -0 "$(client_pid D)" 2>/dev/null; ok $? "and neither Esc nor q ended the client"
wait_for D "名称\\^"; ok $? "the list is still there"

keys D Q
keys C Q
is "$(wait_exit D)" 0 "district client quits with status 0"
is "$(wait_exit C)" 0 "city client quits with status 0"
clean_stderr D; ok $? "no sanitizer report from the district client"
clean_stderr C; ok $? "no sanitizer report from the city client"

# The observer reads everything and writes nothing: the write keys are not
# offered, and pressing them says so instead of opening a form.
psql_admin -c "SELECT gb.admin_officer_add('$obs', 'observer', NULL, NULL, '钱观察')" >/dev/null
start_client O "$obs"
wait_for O "钱观察.*已连接"; ok $? "the observer's client starts"
keys O 2
wait_for O "测试精密（昆山）有限公司"; ok $? "the observer sees the enterprises"
unlike "$(screen_of O | tail -1)" "e 编辑|\\+ 新建|a 操作" "the keys line offers no e, + or a"
like "$(screen_of O | tail -1)" "Enter 打开" "but still the reading keys"
keys O e
wait_for O "观察员只能查看，不能修改"; ok $? "e answers that the observer only reads"
unlike "$(screen_of O)" "编辑企业" "and opens no form"
keys O +
sleep 0.2
unlike "$(screen_of O)" "新建企业" "+ opens no form either"
keys O a
sleep 0.2
unlike "$(screen_of O)" "为什么（不）能申请|登记本年度" "nor does a open the actions"
keys O '?'
wait_for O "帮助"
unlike "$(screen_of O)" "编辑企业|新建企业|可做的操作" "help leaves out the keys the observer may not use"
keys O q
keys O Enter
wait_for O "基本信息"
unlike "$(screen_of O | tail -1)" "e 编辑|a 操作" "the enterprise screen offers no e or a"
keys O e
sleep 0.2
unlike "$(screen_of O)" "编辑企业" "and e there opens no form"
keys O q
keys O Q
is "$(wait_exit O)" 0 "the observer's client quits with status 0"
clean_stderr O; ok $? "no sanitizer report from the observer's client"
done_testing
