#!/usr/bin/env bash
# import from XLSX: an exported workbook restores what was changed since
# (export -> import -> export gives the same CSV bytes), broken workbooks
# change nothing, and a district officer imports only their district.
. "$top_srcdir/tests/cli/cli_setup.sh"

# The district's list as CSV (for comparing) and as XLSX.
as_kfq export enterprises --encoding utf-8 -o "$work/e1.csv"
as_kfq export enterprises --format xlsx -o "$work/e1.xlsx"; rc=$?
is "$rc" 0 "export enterprises --format xlsx"
before=$(db_state)
out=$(as_kfq import enterprises "$work/e1.xlsx"); rc=$?
is "$rc" 0 "the workbook imports (found by content, no --format)"
like "$out" "新增 0 家企业，更新 0 家" "an unchanged workbook changes nothing"
is "$(db_state)" "$before" "not even the history"

# Change every kind of column of some enterprises behind the file's back:
# importing the earlier workbook must put each value back exactly.
sql "UPDATE gb.enterprise e SET name = e.name || '乙', main_products = '改过', sales_revenue_wan = 1.25,
       employees = 999, contact_name = NULL, contact_phone = '0', established_on = '2001-02-03',
       above_scale = NOT e.above_scale, independent_legal_person = NOT e.independent_legal_person,
       industry = CASE e.industry WHEN '其他' THEN '制造业' ELSE '其他' END
     FROM gb.district d WHERE d.id = e.district_id AND d.name = '昆山开发区'" >/dev/null
changed=$(sql "SELECT count(*) FROM gb.enterprise WHERE main_products = '改过'")
[ "$changed" -gt 0 ]; ok $? "some of 昆山开发区's enterprises were changed ($changed)"
out=$(as_kfq import enterprises "$work/e1.xlsx" --dry-run); rc=$?
is "$rc" 0 "dry run of the workbook"
like "$out" "e1.xlsx:[0-9]+: 更新 9[0-9A-Z]{17} .*（企业名称、行业、规模以上、成立日期、独立法人、主要产品、去年销售收入、职工人数、联系人、电话）" \
	"the dry run names every changed column, with the sheet's row"
out=$(as_kfq import enterprises "$work/e1.xlsx"); rc=$?
is "$rc" 0 "import of the workbook"
like "$out" "更新 $changed 家" "exactly the changed enterprises are updated"
as_kfq export enterprises --encoding utf-8 -o "$work/e2.csv"
cmp -s "$work/e1.csv" "$work/e2.csv"; ok $? "export -> change -> import XLSX -> export is byte-identical"
as_kfq export enterprises --format xlsx -o "$work/e2.xlsx"
as_kfq import enterprises "$work/e2.xlsx" --format xlsx >/dev/null; rc=$?
is "$rc" 0 "--format xlsx is accepted"

# 附件2 as a workbook: the district's own (one sheet) round-trips; the
# city's has a sheet per district, of which the first is read, and says so.
as_kfq export annex2 --year 2020 -o "$work/a2.csv"
as_kfq export annex2 --year 2020 --format xlsx -o "$work/a2.xlsx"
before=$(db_state)
out=$(as_kfq import enterprises "$work/a2.xlsx" 2>&1); rc=$?
is "$rc" 0 "附件2 workbook imports"
[[ $out != *工作表* ]]; ok $? "one sheet: no warning"
is "$(db_state)" "$before" "an unchanged 附件2 workbook changes nothing"
as_kfq export annex2 --year 2020 -o "$work/a2b.csv"
cmp -s "$work/a2.csv" "$work/a2b.csv"; ok $? "附件2: export -> import XLSX -> export is byte-identical"
as_city export annex2 --year 2020 --format xlsx -o "$work/a2city.xlsx"
out=$(as_city import enterprises "$work/a2city.xlsx" 2>&1); rc=$?
is "$rc" 0 "the city's 附件2 workbook imports"
like "$out" "a2city.xlsx:1: 工作簿有 11 张工作表，只导入第一张“昆山开发区”" "and says only its first sheet was read"
is "$(db_state)" "$before" "unchanged"

# Broken workbooks: exit 2, a message naming the file, nothing changed.
check_bad() {	# FILE REGEX DESCRIPTION [OPTIONS]
	local before out rc
	before=$(db_state)
	out=$(as_kfq import enterprises "$1" ${4:-} 2>&1); rc=$?
	is "$rc" 2 "$3: refused"
	like "$out" "$2" "$3: message"
	is "$(db_state)" "$before" "$3: database unchanged"
}
size=$(stat -c %s "$work/e1.xlsx")
head -c $((size / 2)) "$work/e1.xlsx" >"$work/half.xlsx"
check_bad "$work/half.xlsx" "half.xlsx:1: 不是有效的 XLSX 文件" "a workbook cut in half"
# Garble the compressed worksheet (it sits before the small parts libxlsxwriter writes last).
cp "$work/e1.xlsx" "$work/garbled.xlsx"
off=$(grep -abo 'xl/worksheets/sheet1.xml' "$work/garbled.xlsx" | head -1 | cut -d: -f1)
printf 'GARBAGEGARBAGEGARBAGE' | dd of="$work/garbled.xlsx" bs=1 seek=$((off + 60)) conv=notrunc 2>/dev/null
check_bad "$work/garbled.xlsx" "garbled.xlsx:[0-9]+: .*sheet1.xml" "a garbled worksheet"
printf '\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1 an OLE compound file' >"$work/locked.xlsx"
check_bad "$work/locked.xlsx" "locked.xlsx:1: .*加了密码" "an encrypted (or .xls) workbook" "--format xlsx"
check_bad "$work/e1.csv" "e1.csv:1: 不是有效的 XLSX 文件" "a CSV file read as XLSX" "--format xlsx"
check_bad "$work/e1.xlsx" "e1.xlsx:1: 字节偏移 [0-9]+ 处是 NUL 字节" "a workbook read as CSV" "--format csv"
out=$(as_kfq import enterprises "$work/e1.xlsx" --format ods 2>&1); rc=$?
is "$rc" 2 "an unknown --format is refused"
like "$out" "不支持的格式 ods" "and named"

# Rights: the city's workbook holds other districts' enterprises.
as_city export enterprises --format xlsx -o "$work/city.xlsx"
zp_uscc=$(sql "SELECT uscc FROM gb.enterprise e JOIN gb.district d ON d.id = e.district_id WHERE d.name = '张浦镇' ORDER BY uscc LIMIT 1")
zp_products=$(sql "SELECT coalesce(main_products, '') FROM gb.enterprise WHERE uscc = '$zp_uscc'")
sql "UPDATE gb.enterprise SET main_products = '张浦改过' WHERE uscc = '$zp_uscc'" >/dev/null
before=$(db_state)
out=$(as_kfq import enterprises "$work/city.xlsx" 2>&1); rc=$?
is "$rc" 2 "昆山开发区 cannot import the city's workbook"
like "$out" "city.xlsx:[0-9]+: 区镇: 您只能导入本区镇（昆山开发区）的企业，不能写入“张浦镇”" \
	"each foreign row is named by its sheet row"
is "$(db_state)" "$before" "nothing changed"
is "$(sql "SELECT main_products FROM gb.enterprise WHERE uscc = '$zp_uscc'")" "张浦改过" \
	"张浦镇's enterprise keeps its value"
out=$(as_zp import enterprises "$work/city.xlsx" 2>&1); rc=$?
is "$rc" 2 "张浦镇 cannot either"
like "$out" "您只能导入本区镇（张浦镇）" "and is told so"
as_city import enterprises "$work/city.xlsx" >/dev/null; rc=$?
is "$rc" 0 "the city imports its own workbook"
is "$(sql "SELECT coalesce(main_products, '') FROM gb.enterprise WHERE uscc = '$zp_uscc'")" "$zp_products" \
	"and so puts back 张浦镇's value as it was exported"
done_testing
