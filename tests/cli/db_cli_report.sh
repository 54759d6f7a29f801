#!/usr/bin/env bash
# report progress as text fits an 80-column terminal even with six-digit
# quotas (and seven-digit totals) and long names, every figure still shown.
. "$top_srcdir/tests/cli/cli_setup.sh"

as_city report progress --year 2020 >"$work/small.txt"; rc=$?
is "$rc" 0 "report progress with the sample's counts"
is "$(grep -c 合计 "$work/small.txt")" 1 "small counts: one table"
w=$(wc -L <"$work/small.txt")
[ "$w" -le 80 ]; ok $? "small counts fit 80 columns ($w)"

sql "UPDATE gb.district_year SET quota_gb = 900000 + district_id WHERE year = 2020" >/dev/null
total=$(sql "SELECT sum(quota_gb) FROM gb.district_year WHERE year = 2020")
[ "${#total}" -ge 7 ]; ok $? "the 合计 quota has seven digits ($total)"
as_city report progress --year 2020 >"$work/big.txt"; rc=$?
is "$rc" 0 "report progress with six-digit quotas"
w=$(wc -L <"$work/big.txt")
[ "$w" -le 80 ]; ok $? "six-digit counts fit 80 columns ($w)"
like "$(cat "$work/big.txt")" "合计 +$total " "the 合计 quota is shown in full"
kfq=$(sql "SELECT q.quota_gb FROM gb.district_year q JOIN gb.district d ON d.id = q.district_id WHERE q.year = 2020 AND d.name = '昆山开发区'")
like "$(grep '昆山开发区' "$work/big.txt" | head -1)" "昆山开发区 +$kfq " "and each district's"
like "$(cat "$work/big.txt")" "示范在办 +示范认定 +逾期" "the 示范 and 逾期 columns are still there"

# A long district name on top: one table would take 96 columns.
sql "UPDATE gb.district SET name = '花桥经济开发区国际商务城管理委员会' WHERE name = '花桥经济开发区'" >/dev/null
as_city report progress --year 2020 >"$work/long.txt"; rc=$?
is "$rc" 0 "report progress with a long district name"
w=$(wc -L <"$work/long.txt")
[ "$w" -le 80 ]; ok $? "still fits 80 columns ($w)"
is "$(grep -c 合计 "$work/long.txt")" 2 "split in two tables, each with its 合计"
is "$(grep -c '花桥经济开发区国际商务城管理委员会' "$work/long.txt")" 2 "each naming every district"
like "$(cat "$work/long.txt")" "合计 +$total " "the 合计 quota in full"
as_city report progress --year 2020 --format csv --encoding utf-8 >"$work/big.csv"
is "$(head -1 "$work/big.csv" | tr -d '\r')" "排名,区镇,配额,列入,通过,完成率%,示范在办,示范认定,逾期" \
	"CSV keeps the single table"
done_testing
