#!/usr/bin/env bash
# import: round trips in every encoding, all-or-nothing on every kind of bad
# file, district rights, dry runs, history.
. "$top_srcdir/tests/cli/cli_setup.sh"

# A new enterprise whose name has a four-byte GB18030 character (𠀾) and
# whose products start a formula, imported from plain UTF-8.
printf '统一社会信用代码,企业名称,主要产品,去年销售收入,职工人数,联系人,电话\n91350200776049653a,𠀾新材料（昆山）有限公司,=1+2 型胶带,88.5,12,王五,0512-1\n' >"$work/new.csv"
out=$(as_kfq import enterprises "$work/new.csv"); rc=$?
is "$rc" 0 "import a new enterprise"
like "$out" "新增 1 家企业" "reported as one insert"
is "$(sql "SELECT e.name || '|' || d.name || '|' || main_products || '|' || e.updated_by FROM gb.enterprise e JOIN gb.district d ON d.id = e.district_id WHERE uscc = '91350200776049653A'")" \
   "𠀾新材料（昆山）有限公司|昆山开发区|=1+2 型胶带|$KFQ" "stored upper-case, in the officer's district, in the officer's name"
is "$(sql "SELECT count(*) FROM gb.history WHERE table_name = 'enterprise' AND action = 'insert' AND login = '$KFQ'")" 1 "with one history row"

# export -> import -> export gives the same bytes, in each encoding; an
# unchanged import changes nothing (no history).
for enc in gb18030 utf-8-bom utf-8; do
	as_kfq export enterprises --encoding $enc -o "$work/e1.$enc.csv"
	before=$(db_state)
	out=$(as_kfq import enterprises "$work/e1.$enc.csv"); rc=$?
	is "$rc" 0 "$enc: import of the export"
	like "$out" "新增 0 家企业，更新 0 家" "$enc: nothing new, nothing changed"
	is "$(db_state)" "$before" "$enc: database untouched by an identical import"
	as_kfq export enterprises --encoding $enc -o "$work/e2.$enc.csv"
	cmp -s "$work/e1.$enc.csv" "$work/e2.$enc.csv"; ok $? "$enc: export -> import -> export is byte-identical"
done
grep -q "$(printf '\x95\x32\x88\x38')" "$work/e1.gb18030.csv"; ok $? "the GB18030 export holds 𠀾 as four bytes"
grep -q "'=1+2 型胶带" "$work/e1.utf-8.csv"; ok $? "the formula-like cell is exported neutralised"

# 附件2 round trip (no USCC column: rows match by name in the district).
as_kfq export annex2 --year 2020 -o "$work/a2.csv"
before=$(db_state)
as_kfq import enterprises "$work/a2.csv" >/dev/null; rc=$?
is "$rc" 0 "附件2 layout imports"
is "$(db_state)" "$before" "an unchanged 附件2 changes nothing"
as_kfq export annex2 --year 2020 -o "$work/a2b.csv"
cmp -s "$work/a2.csv" "$work/a2b.csv"; ok $? "附件2: export -> import -> export is byte-identical"

# A changed cell updates that enterprise, with history, version + 1.
uscc=$(sql "SELECT uscc FROM gb.enterprise e JOIN gb.district d ON d.id = e.district_id WHERE d.name = '昆山开发区' AND uscc <> '91350200776049653A' ORDER BY uscc LIMIT 1")
v0=$(sql "SELECT version FROM gb.enterprise WHERE uscc = '$uscc'")
awk -F, -v OFS=, -v u="$uscc" '$1 == u { $8 = "新产品甲" } { print }' "$work/e1.utf-8.csv" >"$work/edit.csv"
out=$(as_kfq import enterprises "$work/edit.csv" --dry-run); rc=$?
is "$rc" 0 "dry run"
like "$out" "更新 $uscc .*（主要产品）" "the dry run names the enterprise and the changed column"
is "$(sql "SELECT version FROM gb.enterprise WHERE uscc = '$uscc'")" "$v0" "the dry run changes nothing"
out=$(as_kfq import enterprises "$work/edit.csv"); rc=$?
like "$out" "更新 1 家" "one enterprise updated"
is "$(sql "SELECT main_products || ' v' || (version - $v0) FROM gb.enterprise WHERE uscc = '$uscc'")" "新产品甲 v1" "its products changed and its version went up by one"
is "$(sql "SELECT count(*) FROM gb.history h JOIN gb.enterprise e ON e.id = h.record_id WHERE h.table_name = 'enterprise' AND e.uscc = '$uscc' AND h.action = 'update' AND h.login = '$KFQ'")" 1 "one update in the history, in the officer's name"

# Malformed files: a clear error naming line and reason, nothing changes.
good="$work/e1.utf-8.csv"
head -1 "$good" >"$work/h.csv"
hdr=$(cat "$work/h.csv")
check_bad() {	# FILE REGEX DESCRIPTION
	local before out rc
	before=$(db_state)
	out=$(as_kfq import enterprises "$1" 2>&1); rc=$?
	is "$rc" 2 "$3: refused"
	like "$out" "$2" "$3: message"
	is "$(db_state)" "$before" "$3: database unchanged"
}
{ cat "$good"; printf '91320583MA1PK2L0XJ,坏字节\x81\x20公司,昆山开发区,制造业,是,2010-01-01,是,,,,,,,,,\r\n'; } >"$work/badbytes.csv"
n=$(($(wc -l <"$good") + 1))
check_bad "$work/badbytes.csv" "badbytes.csv:$n: 字节偏移 [0-9]+ 处有无效的 UTF-8 字节 0x81" "invalid bytes"
iconv -f UTF-8 -t GB18030 "$good" >"$work/gb.csv"
{ cat "$work/gb.csv"; printf '91320583MA1PK2L0XJ,\xb0'; } >"$work/cut.csv"
check_bad "$work/cut.csv" "cut.csv:$n: .*不完整" "a multibyte character cut at the end of the file"
iconv -f UTF-8 -t UTF-16 "$good" >"$work/u16.csv"
check_bad "$work/u16.csv" "u16.csv:1: .*UTF-16" "UTF-16"
{ cat "$good"; printf '91320583MA1PK2L0XJ,少列公司\r\n'; } >"$work/ragged.csv"
check_bad "$work/ragged.csv" "ragged.csv:$n: 这一行有 2 个字段，而第 1 行的表头有 16 个" "a ragged row"
{ cat "$good"; printf '91320583MA1PK2L0XJ,"未闭合公司,昆山开发区\r\n'; } >"$work/quote.csv"
check_bad "$work/quote.csv" "quote.csv:$n: 第 $n 行第 20 列：引号未闭合" "an unterminated quote"
{ cat "$work/h.csv"; printf '91320583MA1PK2L0XJ,'; head -c 10485760 /dev/zero | tr '\0' 'x'; printf '\r\n'; } >"$work/big.csv"
check_bad "$work/big.csv" "big.csv:2: .*字段超过 1048576 字节的上限" "a 10 MB field"
: >"$work/empty.csv"
check_bad "$work/empty.csv" "empty.csv:1: 文件是空的" "an empty file"
{ printf '%s,电话\r\n' "$(printf '%s' "$hdr" | tr -d '\r')"; tail -n +2 "$good" | sed 's/\r$/,1\r/'; } >"$work/duphdr.csv"
check_bad "$work/duphdr.csv" "duphdr.csv:1: 电话: 这一列出现了两次" "a duplicate header"
{ printf '企业名称,主要产品\r\n甲公司,乙\r\n'; } >"$work/nohdr.csv"
check_bad "$work/nohdr.csv" "nohdr.csv:1: 统一社会信用代码: 缺少这一列" "a missing USCC header"
# One bad row among good ones: all or nothing.
{ cat "$work/h.csv"; printf '91320583MA1PK2L0XJ,全新甲公司,昆山开发区,制造业,是,2010-01-01,是,,1,1,,,,,,\r\n'
  printf '91320583MA1PK2L0XA,全新乙公司,昆山开发区,制造业,是,2010-01-01,是,,-3,0,,,,,,\r\n'; } >"$work/onebad.csv"
check_bad "$work/onebad.csv" "onebad.csv:3: 统一社会信用代码: .*校验位应为 J" "a bad check character"
out=$(as_kfq import enterprises "$work/onebad.csv" 2>&1)
like "$out" "onebad.csv:3: 去年销售收入: 销售收入不能为负数" "every problem of the row is reported as FILE:LINE: 列名: 原因"
like "$out" "onebad.csv:3: 职工人数: 职工人数不能为零" "the next one too"
{ cat "$work/h.csv"; printf '91320583MA1PK2L0XA,坏公司,昆山开发区,制造业,是,2010-01-01,是,,1,1,,,,,,\r\n'
  printf '91320583MA1PK2L0XJ,越界公司,张浦镇,制造业,是,2010-01-01,是,,1,1,,,,,,\r\n'; } >"$work/both.csv"
out=$(as_kfq import enterprises "$work/both.csv" 2>&1)
like "$out" "both.csv:2: 统一社会信用代码: .*校验位应为 J" "a file's own problems and"
like "$out" "both.csv:3: 区镇: 您只能导入本区镇" "the database's are reported together, in line order"
is "$(sql "SELECT count(*) FROM gb.enterprise WHERE uscc = '91320583MA1PK2L0XJ'")" 0 "the good row of a bad file was not imported"

# Rights: a district officer writes only their own district.
{ cat "$work/h.csv"; printf '91320583MA1PK2L0XJ,越界公司,张浦镇,制造业,是,2010-01-01,是,,1,1,,,,,,\r\n'; } >"$work/other.csv"
check_bad "$work/other.csv" "other.csv:2: 区镇: 您只能导入本区镇（昆山开发区）的企业，不能写入“张浦镇”" "another district in the file"
zp_uscc=$(sql "SELECT uscc FROM gb.enterprise e JOIN gb.district d ON d.id = e.district_id WHERE d.name = '张浦镇' LIMIT 1")
{ cat "$work/h.csv"; printf '%s,抢来的公司,,制造业,是,2010-01-01,是,,1,1,,,,,,\r\n' "$zp_uscc"; } >"$work/steal.csv"
check_bad "$work/steal.csv" "steal.csv:2: 统一社会信用代码: $zp_uscc 已登记在您无权修改的区镇" "an enterprise of another district by its USCC"
out=$(as_kfq import enterprises "$work/steal.csv" --dry-run 2>&1); rc=$?
is "$rc" 2 "a dry run refuses it too"
[[ $out != *"新增 $zp_uscc"* ]]; ok $? "and does not first list it as 新增"
out=$(as_zp import enterprises "$work/e1.utf-8.csv" 2>&1); rc=$?
is "$rc" 2 "张浦镇 cannot import 昆山开发区's list"
like "$out" "区镇: 您只能导入本区镇（张浦镇）的企业" "and is told so, line by line"
before=$(db_state)
out=$(as_obs import enterprises "$work/e1.utf-8.csv" 2>&1); rc=$?
is "$rc" 2 "an observer cannot import"
like "$out" "只有市信用办和区镇工作人员可以导入企业（您的角色：观察员）" "and is told so before anything is read"
is "$(db_state)" "$before" "nothing changed"
as_city import enterprises "$work/other.csv" >/dev/null; rc=$?
is "$rc" 0 "the city may import into any district"
is "$(sql "SELECT d.name FROM gb.enterprise e JOIN gb.district d ON d.id = e.district_id WHERE uscc = '91320583MA1PK2L0XJ'")" "张浦镇" "and the row lands in the named district"
done_testing
