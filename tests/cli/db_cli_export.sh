#!/usr/bin/env bash
# export, report and lookup against the real schema, as real officer logins.
. "$top_srcdir/tests/cli/cli_setup.sh"

# 附件1 exactly as DOMAIN.md §7 (the 2020 plan's figures).
expected='区镇名称,贯标企业数,示范企业数
昆山开发区,10,
昆山高新区,10,
花桥经济开发区,6,
张浦镇,8,
周市镇,8,
陆家镇,5,
巴城镇,6,
千灯镇,5,
淀山湖镇,3,
周庄镇,2,
锦溪镇,3,
合计,66,6'
got=$(as_city export annex1 --year 2020 --encoding utf-8 | tr -d '\r')
is "$got" "$expected" "annex1 2020: districts, 66 贯标 and 6 示范 in the 合计 row"
as_kfq export annex1 --year 2020 >"$work/a1.csv"
is "$(iconv -f GB18030 -t UTF-8 "$work/a1.csv" | tr -d '\r')" "$expected" "annex1 defaults to GB18030 and a district officer sees every district's figures"
as_city export annex1 --year 2020 --encoding utf-8-bom -o "$work/a1bom.csv"
is "$(head -c 3 "$work/a1bom.csv" | od -An -tx1 | tr -d ' ')" "efbbbf" "utf-8-bom starts with the BOM"
as_city export annex1 --year 1999 >/dev/null 2>"$work/err"; rc=$?
is "$rc" 2 "an unknown year is an error"
like "$(cat "$work/err")" "年度 1999 无效|没有 1999 年度" "the error names the year"

# 附件2: one table per district; heading line then the columns.
as_city export annex2 --year 2020 --encoding utf-8 >"$work/a2.csv"
is "$(grep -c '^区镇,' "$work/a2.csv")" 11 "annex2 for the city: one table per district"
like "$(sed -n 3p "$work/a2.csv")" "^序号,企业名称,主要产品,去年销售收入,职工人数,联系人,电话" "annex2 column headers"
as_kfq export annex2 --year 2020 --encoding utf-8 >"$work/a2k.csv"
is "$(grep '^区镇,' "$work/a2k.csv" | cut -d, -f2 | tr '\n' ' ')" "昆山开发区 " "a district officer gets only their district's 附件2"
as_kfq export annex2 --year 2020 --district 张浦镇 >/dev/null 2>"$work/err"; rc=$?
is "$rc" 2 "a district officer cannot export another district's 附件2"
like "$(cat "$work/err")" "只能导出本区镇（昆山开发区）" "and is told why"
as_kfq export enterprises --district 张浦镇 >/dev/null 2>&1; rc=$?
is "$rc" 2 "nor another district's enterprises"
as_kfq export enterprises --encoding utf-8 >"$work/ek.csv"
is "$(tail -n +2 "$work/ek.csv" | cut -d, -f3 | sort -u | tr -d '\r')" "昆山开发区" "enterprise export as a district officer holds only its own rows"
n_city=$(as_city export enterprises --encoding utf-8 | tail -n +2 | wc -l)
is "$n_city" "$(sql 'SELECT count(*) FROM gb.enterprise')" "the city exports every enterprise"

# CSV injection: a formula-like name is neutralised, numbers stay numbers.
kfq_id=$(sql "SELECT id FROM gb.district WHERE name = '昆山开发区'")
sql "INSERT INTO gb.enterprise (uscc, name, district_id, main_products, sales_revenue_wan, employees)
     VALUES ('914403001922038216', '=HYPERLINK(\"http://x\",\"点我\")', $kfq_id, '@SUM(A1)', 12.5, 9)" >/dev/null
line=$(as_kfq export enterprises --encoding utf-8 | grep 914403001922038216)
like "$line" "^914403001922038216,\"'=HYPERLINK\(\"\"http://x\"\",\"\"点我\"\"\)\"," "a cell starting with = gets an apostrophe"
like "$line" ",'@SUM\(A1\),12.50,9," "@ is neutralised; revenue and employees stay plain numbers"

# XLSX needs a file; it is a zip.
as_city export progress --year 2020 --format xlsx >/dev/null 2>&1; rc=$?
is "$rc" 2 "xlsx without -o is refused"
as_city export annex2 --year 2020 --format xlsx -o "$work/a2.xlsx"; rc=$?
is "$rc" 0 "annex2 as xlsx"
is "$(head -c 2 "$work/a2.xlsx")" "PK" "the xlsx file is a zip package"

# The assessment report: fits 80 columns, aligned, with the 合计.
as_city report progress --year 2020 >"$work/rep.txt"; rc=$?
is "$rc" 0 "report progress"
is "$(($(wc -L <"$work/rep.txt") <= 80))" 1 "the text report fits 80 columns"
like "$(grep '合计' "$work/rep.txt")" "合计 +66 +[0-9]+ +[0-9]+ +[0-9.]+ " "合计 row with the 66 quota"
widths=$(grep -E '^ *[0-9]+  ' "$work/rep.txt" | while IFS= read -r l; do printf '%s\n' "$l" | wc -L; done | sort -u | wc -l)
is "$widths" 1 "every district row has the same display width"
as_city report progress --year 2020 --format csv --encoding utf-8 >"$work/rep.csv"
is "$(head -1 "$work/rep.csv" | tr -d '\r')" "排名,区镇,配额,列入,通过,完成率%,示范在办,示范认定,逾期" "report as CSV"

# lookup: exit 0 found, 1 nothing, 2 error; USCC in any case; name part.
uscc=$(sql "SELECT uscc FROM gb.enterprise WHERE district_id = $kfq_id AND uscc <> '914403001922038216' ORDER BY id LIMIT 1")
name=$(sql "SELECT name FROM gb.enterprise WHERE uscc = '$uscc'")
out=$(as_kfq lookup "$(printf '%s' "$uscc" | tr 'A-Z' 'a-z')"); rc=$?
is "$rc" 0 "lookup by lower-case USCC finds it"
like "$out" "统一社会信用代码  $uscc" "and shows the code aligned under its label"
like "$out" "区镇              昆山开发区" "and the district"
as_kfq lookup "${name:2:4}" --format json >"$work/l.json"; rc=$?
is "$rc" 0 "lookup by part of the name"
like "$(cat "$work/l.json")" "\"uscc\": \"$uscc\"" "JSON carries the USCC"
as_kfq lookup "没有这样的企业名称" >/dev/null; rc=$?
is "$rc" 1 "lookup with no match exits 1"
other=$(sql "SELECT uscc FROM gb.enterprise e JOIN gb.district d ON d.id = e.district_id WHERE d.name = '张浦镇' LIMIT 1")
as_kfq lookup "$other" >/dev/null; rc=$?
is "$rc" 1 "a district officer does not find another district's enterprise"
as_city lookup "$other" >/dev/null; rc=$?
is "$rc" 0 "the city does"
as_city lookup x --format yaml >/dev/null 2>&1; rc=$?
is "$rc" 2 "a bad option exits 2"
PGUSER=gb_nobody_$$ ${GB_VALGRIND_CMD:-} "$G" lookup x >/dev/null 2>&1; rc=$?
is "$rc" 2 "an unknown login exits 2"
done_testing
