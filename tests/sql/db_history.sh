#!/usr/bin/env bash
# History and notifications (RELIABILITY.md §4, §8), and enterprise_save:
# exactly one history row per committed change, none for a rolled-back
# one; nobody can alter history, not even its owner; each change notifies
# table, id and version only; stale saves are refused naming who, when and
# which fields; bad fields are named.
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
hcount() { q -c "SELECT count(*) FROM gb.history"; }

city="${db}_c" dist="${db}_d"
"$GUANBIAO" admin programme load-2020 >/dev/null &&
	"$GUANBIAO" admin officer add "$city" --role city --name 陈市 >/dev/null &&
	"$GUANBIAO" admin officer add "$dist" --role district --district 张浦镇 --name 张区 >/dev/null
ok $? "fixture: a city and a district officer"

# ---- the USCC functions on the examples of DOMAIN.md §6
is "$(q -c "SELECT string_agg(gb.uscc_valid(c)::text, ' ') FROM unnest(ARRAY['914403001922038216', '91350200776049653A',
	'91320583MA1PK2L0XJ', '91320583ma1pk2l0xj', '91320583MA1PK2L0X0', '91320583MA1PK2L0XJ1', '91320583MA1PK2LIXJ']) c")" \
	"true true true true false false false" "uscc_valid: the three valid examples, lower case, a wrong check, length, I"
is "$(q -c "SELECT gb.uscc_check_char('91350200776049653') || gb.uscc_check_char('91440300192203821') || coalesce(gb.uscc_check_char('9144030019220382'), '-')")" \
	"A6-" "uscc_check_char computes the 18th character, NULL when short"
is "$(q -c "SELECT coalesce(gb.uscc_org_warning('91320583MA1PK2L0XJ'), '-')")" "-" "no organisation-code warning for a good code"

# ---- enterprise_save: creation, fields, conflicts
uscc=$(q -c "SELECT lower(gb.sample_uscc(424242))")
n0=$(hcount)
id=$(as "$dist" "SELECT id FROM gb.enterprise_save(NULL, NULL, '{\"uscc\": \"$uscc\", \"name\": \"  昆山一号有限公司 \", \"employees\": 30, \"sales_revenue_wan\": \"2500.5\"}')")
like "$id" '^[0-9]+$' "a district officer creates an enterprise of its district"
is "$(q -c "SELECT uscc = upper('$uscc') AND name = '昆山一号有限公司' AND version = 1 AND updated_by = '$dist'
	AND district_id = (SELECT id FROM gb.district WHERE name = '张浦镇') FROM gb.enterprise WHERE id = $id")" t \
	"stored upper case and trimmed, version 1, by the officer, in their district"
is "$(( $(hcount) - n0 ))" 1 "one history row for the creation"
is "$(q -c "SELECT action || ' ' || login || ' ' || (after->>'name') || ' ' || (before IS NULL) FROM gb.history ORDER BY id DESC LIMIT 1")" \
	"insert $dist 昆山一号有限公司 true" "the row says insert, who, and the new values"

field() {	# json expected description
	like "$(as "$dist" "SELECT * FROM gb.enterprise_save($id, (SELECT version FROM gb.enterprise WHERE id = $id), '$1')")" "$2" "$3"
}
field '{"employees": 0}' '^GB006 职工人数：应大于 0（0）' "zero employees are refused, naming the field"
field '{"employees": "三十"}' '^GB006 职工人数：“三十”格式不对' "a non-number is refused, naming the field"
field '{"sales_revenue_wan": -1}' '^GB006 去年销售收入（万元）：不能为负数' "a negative revenue is refused"
field '{"established_on": "2999-01-01"}' '^GB006 成立日期：不能晚于今天' "a future establishment date is refused"
field '{"established_on": "2020-02-30"}' '^GB006 成立日期：“2020-02-30”格式不对' "an impossible date is refused"
field '{"uscc": "91320583MA1PK2L0XK"}' '^GB006 统一社会信用代码校验位错误：第 18 位应为“J”，现为“K”' \
	"a wrong check character names the expected one"
field '{"uscc": "91320583MA1PK2LOXJ"}' '^GB006 统一社会信用代码第 16 位字符“O”无效' "a bad character is named with its position"
field '{"uscc": "91320583MA1PK2L0X"}' '^GB006 统一社会信用代码应为 18 位，现为 17 位' "a short code says its length"
field '{"name": "   "}' '^GB006 企业名称：不能为空' "an empty name is refused"
field '{"district": "周庄镇"}' '^GB003 区镇工作人员只能登记和修改本区镇的企业' "a district cannot move an enterprise away"
field '{"colour": "red"}' '^GB006 未知字段 colour' "an unknown field is refused"
is "$(( $(hcount) - n0 ))" 1 "refused saves leave no history"

v=$(q -c "SELECT version FROM gb.enterprise WHERE id = $id")
is "$(as "$dist" "SELECT version FROM gb.enterprise_save($id, $v, '{\"contact_phone\": \"0512-57000000\", \"name\": \"昆山一号有限公司\"}')")" \
	"$((v + 1))" "a save at the current version returns the next"
is "$(as "$city" "SELECT version FROM gb.enterprise_save($id, $((v + 1)), '{\"main_products\": \"齿轮\"}')")" "$((v + 2))" \
	"the city saves after it"
like "$(as "$dist" "SELECT version FROM gb.enterprise_save($id, $((v + 1)), '{\"employees\": 31}')")" \
	'^GB004 记录已被他人修改（您的版本 2，当前版本 3）' "a save at the old version is a conflict"
like "$(detail "$dist" "SELECT version FROM gb.enterprise_save($id, $((v + 1)), '{\"employees\": 31}')")" \
	"^陈市（$city） 于 [0-9-]+ [0-9:]+ 修改：主要产品$" "the conflict names who, when and which field"
is "$(q -c "SELECT employees FROM gb.enterprise WHERE id = $id")" 30 "and the stale save changed nothing"
like "$(as "$dist" "SELECT * FROM gb.enterprise_save(NULL, NULL, '{\"uscc\": \"$uscc\", \"name\": \"重复\"}')")" \
	'^GB006 统一社会信用代码：.* 已经登记过' "a USCC registered already is refused"

# ---- exactly one history row per committed change, none for rollbacks
n0=$(hcount)
last=$(q -c "SELECT max(id) FROM gb.history")
q >/dev/null <<EOF
SET SESSION AUTHORIZATION "$city";
UPDATE gb.enterprise SET contact_name = '甲' WHERE id = $id;
UPDATE gb.enterprise SET contact_name = '乙' WHERE id = $id;
INSERT INTO gb.credit_check (enterprise_id, stage, issued_on, source) VALUES ($id, 'gb_apply', current_date, '江苏省公共信用信息中心');
BEGIN;
UPDATE gb.enterprise SET contact_name = '丙' WHERE id = $id;
ROLLBACK;
BEGIN;
INSERT INTO gb.reward (enterprise_id, programme, year, amount_wan) VALUES ($id, 'gb', 2020, 5);
UPDATE gb.reward SET amount_wan = 6 WHERE enterprise_id = $id;
DELETE FROM gb.reward WHERE enterprise_id = $id;
COMMIT;
EOF
is "$(( $(hcount) - n0 ))" 6 "six committed changes, six history rows; the rolled-back one left none"
is "$(q -c "SELECT string_agg(x, ' ' ORDER BY id) FROM (SELECT id, table_name || ':' || action AS x FROM gb.history
	ORDER BY id DESC LIMIT 6) s")" \
	"enterprise:update enterprise:update credit_check:insert reward:insert reward:update reward:delete" \
	"each row names its table and what happened"
is "$(q -c "SELECT (before->>'contact_name') || '→' || (after->>'contact_name') || ' ' || (after->>'version')::int - (before->>'version')::int
	FROM gb.history WHERE table_name = 'enterprise' AND record_id = $id ORDER BY id DESC LIMIT 1")" "甲→乙 1" \
	"before and after values, one version apart"
is "$(q -c "SELECT count(*) FROM gb.history WHERE login <> '$city' AND id > $last")" 0 "every row names the officer's login"

# ---- nobody alters history
like "$(as "$city" "UPDATE gb.history SET note = 'x'")" '^42501' "a city officer cannot update history"
like "$(as "$city" "DELETE FROM gb.history")" '^42501' "nor delete it"
like "$(as "$city" "INSERT INTO gb.history (table_name, action) VALUES ('enterprise', 'forged')")" '^42501' "nor forge a row"
like "$(as "$city" "TRUNCATE gb.history")" '^42501' "nor truncate it"
like "$(q -c "SET ROLE gb_owner; UPDATE gb.history SET note = 'x' WHERE id = 1" 2>&1)" '操作记录只能追加' \
	"even its owner cannot update it"
like "$(q -c "SET ROLE gb_owner; DELETE FROM gb.history WHERE id = 1" 2>&1)" '操作记录只能追加' "or delete from it"
like "$(q -c "SET ROLE gb_owner; TRUNCATE gb.history" 2>&1)" '操作记录只能追加' "or truncate it"
is "$(q -c "BEGIN; SET LOCAL gb.history_maintenance = 'on'; UPDATE gb.history SET note = note WHERE id = 1; ROLLBACK;" 2>&1)" "" \
	"a migration (superuser, maintenance on) may"

# ---- notifications: table, id and version only, after commit
out=$(psql -XAq -d "$db" 2>&1 <<EOF
LISTEN gb_change;
SET SESSION AUTHORIZATION "$city";
BEGIN;
UPDATE gb.enterprise SET contact_name = '丁' WHERE id = $id;
SELECT 'before commit';
COMMIT;
SELECT 'after commit';
EOF
)
v=$(q -c "SELECT version FROM gb.enterprise WHERE id = $id")
like "$out" "Asynchronous notification \"gb_change\" with payload \"\\{\"table\" : \"enterprise\", \"id\" : $id, \"version\" : $v\\}\"" \
	"a change notifies table, id and version"
is "$(printf '%s\n' "$out" | grep -n -e 'before commit' -e 'Asynchronous' | cut -d: -f2 | cut -c1-6 | tr '\n' ' ')" "before Asynch " \
	"only once committed"
is "$(printf '%s\n' "$out" | grep -c '丁')" 0 "and carries no data"
out=$(psql -XAq -d "$db" 2>&1 <<EOF
LISTEN gb_change;
SET SESSION AUTHORIZATION "$city";
BEGIN;
UPDATE gb.enterprise SET contact_name = '戊' WHERE id = $id;
ROLLBACK;
SELECT 1;
EOF
)
is "$(printf '%s\n' "$out" | grep -c Asynchronous)" 0 "a rolled-back change notifies nobody"

# ---- the activity view
like "$(as "$city" "SELECT summary FROM gb.v_activity WHERE table_name = 'enterprise' AND record_id = $id AND action = 'update' ORDER BY id DESC LIMIT 1")" \
	'^修改企业 #[0-9]+ 昆山一号有限公司：联系人$' "activity summarises a change in Chinese"
is "$(as "$city" "SELECT officer_name FROM gb.v_activity WHERE record_id = $id ORDER BY id DESC LIMIT 1")" "陈市" \
	"with the officer's name"
is "$(as "$dist" "SELECT count(*) FROM gb.v_activity WHERE district_id IS DISTINCT FROM (SELECT id FROM gb.district WHERE name = '张浦镇')")" 0 \
	"a district sees only its district's activity"
done_testing
