#!/usr/bin/env bash
# guanbiao admin: programme load-2020, officer add/list/remove, indicators
# load (checked tree, errors naming the line, encodings, all or nothing).
. "$top_srcdir/tests/tap.sh"
set -u
db=$PGDATABASE
q() { psql -XAtq -v ON_ERROR_STOP=1 "$@"; }
gb() { "$GUANBIAO" admin "$@" 2>&1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# ---- programme
like "$(gb programme load-2020)" '已登记 2020 年度工作方案（昆信用办〔2020〕4号），11 个区镇' "programme load-2020"
is "$(q -c "SELECT string_agg(d.name || q.quota_gb, ',' ORDER BY d.sort_order) FROM gb.district_year q JOIN gb.district d ON d.id = q.district_id WHERE year = 2020")" \
	"昆山开发区10,昆山高新区10,花桥经济开发区6,张浦镇8,周市镇8,陆家镇5,巴城镇6,千灯镇5,淀山湖镇3,周庄镇2,锦溪镇3" \
	"the 11 districts and quotas of 附件1"
is "$(q -c "SELECT gb_target || ' ' || demo_suzhou_quota || ' ' || demo_province_quota FROM gb.programme_year WHERE year = 2020")" "66 6 1" \
	"66 贯标, 6 Suzhou and 1 provincial 示范"
is "$(q -c "SELECT string_agg(to_char(due_on, 'MM-DD'), ' ' ORDER BY due_on) FROM gb.deadline WHERE year = 2020")" \
	"04-10 04-15 04-30 07-31 08-15 09-30" "the calendar of the plan"
like "$(gb programme load-2020)" '已存在，未改动' "loading it again changes nothing"
is "$(q -c "SELECT count(*) FROM gb.district")" 11 "still 11 districts"

# ---- officers
q -c "INSERT INTO gb.agency (name) VALUES ('苏州诚信通信用管理咨询有限公司')" >/dev/null
o1="${db}_zhang" o2="${db}_li" o3="${db}_wang"
like "$(gb officer add "$o1" --role district --district 张浦镇 --name 张三)" "已创建登录角色并登记 $o1：区镇（张浦镇）" \
	"officer add creates the login role"
is "$(q -c "SELECT rolcanlogin::text || rolsuper::text || rolbypassrls::text || rolcreaterole::text FROM pg_roles WHERE rolname = '$o1'")" \
	"truefalsefalsefalse" "a plain login role: no superuser, no BYPASSRLS"
is "$(q -c "SELECT string_agg(g.rolname, ',') FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid JOIN pg_roles u ON u.oid = m.member WHERE u.rolname = '$o1'")" \
	"gb_district" "member of exactly its group"
like "$(gb officer add "$o2" --role agency --agency 苏州诚信通信用管理咨询有限公司 --name 李四)" "服务机构" "an agency officer"
like "$(gb officer add "$o3" --role observer --name 工信局)" "观察员" "an observer"
like "$(gb officer add "$o1" --role city)" "已登记 $o1：市信用办" "changing an officer's role"
is "$(q -c "SELECT string_agg(g.rolname, ',') FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid JOIN pg_roles u ON u.oid = m.member WHERE u.rolname = '$o1'")" \
	"gb_city" "moves it to the new group only"
is "$(q -c "SELECT name || ' ' || (district_id IS NULL) FROM gb.officer WHERE login = '$o1'")" "张三 true" \
	"keeps the name when none is given, drops the district"
like "$(gb officer add "${db}_x" --role district)" '区镇工作人员需要 --district' "a district officer needs a district"
like "$(gb officer add "${db}_x" --role district --district 火星镇)" '没有名为 火星镇 的区镇.*现有区镇：昆山开发区' \
	"an unknown district is named, with the list"
like "$(gb officer add "${db}_x" --role boss)" '角色 boss 无效' "an unknown role"
like "$(gb officer add 'Bad Name' --role city)" '登录名 Bad Name 无效' "a login that is not a Unix user name"
like "$(gb officer add gb_admin --role city)" '超级用户' "a superuser cannot be an officer"
like "$(gb officer add "${db}_x" --role city --district 张浦镇)" '只有区镇工作人员' "a city officer has no district"
out=$(gb officer list)
like "$out" "^登录名	姓名	角色	区镇/机构	状态" "officer list has a header"
like "$out" "$o2	李四	服务机构	苏州诚信通信用管理咨询有限公司	在册" "and one officer a line"
like "$(gb officer remove "$o3")" "已注销工作人员 $o3" "officer remove"
like "$(gb officer list)" "$o3	工信局	观察员		已注销" "a removed officer is listed as such"
is "$(q -c "SELECT count(*) FROM pg_auth_members m JOIN pg_roles u ON u.oid = m.member WHERE u.rolname = '$o3'")" 0 \
	"and has no group any more"
like "$(gb officer remove "$o3")" "不是在册的工作人员" "removing twice says so"
like "$(gb officer add "$o3" --role observer)" "已登记" "a removed officer can be registered again"

# ---- indicators
csv="$top_srcdir/contrib/indicators-sample.csv"
like "$(gb indicators load "$csv" --version 样例2020 --sample)" '已载入指标体系 样例2020（编号 [0-9]+，样例）' "the sample indicator version loads"
is "$(q -c "SELECT total_score || ' ' || is_sample || ' ' || (SELECT count(*) FROM gb.indicator i WHERE i.version_id = v.id)
	|| ' ' || (SELECT count(*) FROM gb.indicator i WHERE i.version_id = v.id AND level = 1) FROM gb.indicator_version v WHERE name = '样例2020'")" \
	"1000.00 true 92 12" "12 items, 92 rows, 1000 points, marked as a sample"
is "$(q -c "SELECT string_agg(title || max_score, ',' ORDER BY sort_order) FROM gb.indicator WHERE code LIKE '1.1%'")" \
	"方针30.00,形成文件10.00,与其他方针协调5.00,最高管理层承诺5.00,全员理解和实施10.00" "the published rows of 信用管理方针和目标"
like "$(gb indicators load "$csv" --version 样例2020)" '指标体系版本 样例2020 已存在' "a version name is used once"

bad() {	# description expected-regex  (csv on stdin)
	cat >"$tmp/bad.csv"
	local before out
	before=$(q -c "SELECT count(*) FROM gb.indicator")
	out=$(gb indicators load "$tmp/bad.csv" --version "v$_tap_n")
	like "$out" "$2" "$1"
	is "$(q -c "SELECT count(*) FROM gb.indicator")" "$before" "… and loads nothing"
}
bad "a parent whose maximum is not the sum of its children" '第 3 行：指标 1.1 满分 30，不等于下级满分之和 31' <<'EOF'
code,parent_code,title,max_score
1,,甲,30
1.1,1,乙,30
1.1.1,1.1,丙,20
1.1.2,1.1,丁,11
EOF
bad "a fourth level" '第 5 行：指标 1.1.1.1 超过三级' <<'EOF'
code,parent_code,title,max_score
1,,甲,10
1.1,1,乙,10
1.1.1,1.1,丙,10
1.1.1.1,1.1.1,丁,10
EOF
bad "a branch without leaves" '第 2 行：第 1 级指标 2 没有下级' <<'EOF'
code,parent_code,title,max_score
2,,甲,10
1,,乙,10
1.1,1,丙,10
1.1.1,1.1,丁,10
EOF
bad "a duplicate code" '第 5 行：代码 1.1 与第 3 行重复' <<'EOF'
code,parent_code,title,max_score
1,,甲,10
1.1,1,乙,10
1.1.1,1.1,丙,10
1.1,1,戊,10
EOF
bad "an unknown parent" '第 3 行：上级代码 9 不存在' <<'EOF'
code,parent_code,title,max_score
1,,甲,10
1.1,9,乙,10
EOF
bad "a score that is not a number" '第 2 行：满分“十分”不是正数' <<'EOF'
code,parent_code,title,max_score
1,,甲,十分
EOF
bad "a missing column names the line" 'line 3' <<'EOF'
code,parent_code,title,max_score
1,,甲,10
1.1,1,乙
EOF
bad "an unterminated quote" 'unterminated CSV quoted field' <<'EOF'
code,parent_code,title,max_score
1,,"甲,10
EOF
bad "an empty file" '文件没有数据行' </dev/null
printf 'code,parent_code,title,max_score\r\n1,,"信用管理方针，和""目标""",10\r\n1.1,1,"方针\n（两行）",10\r\n1.1.1,1.1,形成文件,10\r\n' >"$tmp/q.csv"
like "$(gb indicators load "$tmp/q.csv" --version quoted)" '已载入' "quoted fields with commas, quotes, newlines and CRLF"
is "$(q -c "SELECT string_agg(title, '|' ORDER BY sort_order) FROM gb.indicator i JOIN gb.indicator_version v ON v.id = i.version_id WHERE v.name = 'quoted'")" \
	"信用管理方针，和\"目标\"|方针
（两行）|形成文件" "… are read per RFC 4180"
iconv -f UTF-8 -t GB18030 "$csv" >"$tmp/gb.csv"
like "$(gb indicators load "$tmp/gb.csv" --version gb18030)" '已载入' "a GB18030 file is detected and loads"
is "$(q -c "SELECT count(*) FROM gb.indicator i JOIN gb.indicator_version v ON v.id = i.version_id WHERE v.name = 'gb18030' AND i.title = '信用管理方针和目标'")" 1 \
	"with its Chinese intact"
printf '\xef\xbb\xbf' | cat - "$csv" >"$tmp/bom.csv"
like "$(gb indicators load "$tmp/bom.csv" --version bom)" '已载入' "a UTF-8 file with a BOM loads"
printf 'code,parent_code,title,max_score\n1,,\x81\x20,10\n' >"$tmp/badgb.csv"
like "$(gb indicators load "$tmp/badgb.csv" --version badgb)" '字节|0x81' "invalid bytes are reported, not guessed"
like "$(gb indicators load "$tmp/none.csv" --version x)" '无法打开' "a missing file"
like "$(gb indicators load "$csv")" '用法' "--version is required"

for o in "$o1" "$o2" "$o3"; do q -c "DROP ROLE IF EXISTS \"$o\"" >/dev/null 2>&1; done
done_testing
