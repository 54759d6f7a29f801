#!/usr/bin/env bash
# Rows per second of `guanbiao import enterprises` beside a plain psql
# \copy of the same file, in a private PostgreSQL.  Not part of make check.
#   contrib/bench-import.sh [--rows N]        (default 1,000,000)
# Builds without sanitizers into _build/bench.  Prints one line per run:
#   what  rows  seconds  rows/s
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
rows=1000000
while [ $# -gt 0 ]; do
	case $1 in
	--rows) rows=$2; shift 2 ;;
	*) echo "usage: contrib/bench-import.sh [--rows N]" >&2; exit 2 ;;
	esac
done
build=${GB_BENCH_BUILD:-$top/_build/bench}
"$top/contrib/build.sh" "$build" CFLAGS=-O2
G=$build/src/guanbiao

pg=$(mktemp -d "${TMPDIR:-/tmp}/gbbench.XXXXXX")
chmod 755 "$pg"
trap '"$top/contrib/pgcluster.sh" destroy "$pg/c" >/dev/null 2>&1; rm -rf "$pg"' EXIT
"$top/contrib/pgcluster.sh" start "$pg/c" --auth trust --fast >/dev/null
eval "$("$top/contrib/pgcluster.sh" env "$pg/c")"
export PGHOST PGPORT PGUSER=gb_admin PGDATABASE=gb_bench
unset PGOPTIONS
export GUANBIAO_SQLDIR=${GUANBIAO_SQLDIR:-$top/sql} LC_ALL=C.UTF-8
createdb gb_bench
"$G" admin migrate >/dev/null
psql -XAtq -c "SELECT gb.admin_programme_load_2020()" >/dev/null
psql -XAtq -c "SELECT gb.admin_officer_add('bench_city', 'city', NULL, NULL, '基准测试')" >/dev/null

# The file: the plain layout, valid USCCs, every district, UTF-8.
file=$pg/enterprises.csv
psql -XAtq -c "\\copy (SELECT gb.sample_uscc(i) AS 统一社会信用代码, '基准企业' || i || '有限公司' AS 企业名称,
	(ARRAY['昆山开发区','昆山高新区','花桥经济开发区','张浦镇','周市镇','陆家镇','巴城镇','千灯镇','淀山湖镇','周庄镇','锦溪镇'])[1 + i % 11] AS 区镇,
	'制造业' AS 行业, '是' AS 规模以上, '2010-01-01' AS 成立日期, '是' AS 独立法人,
	'产品' || (i % 97) AS 主要产品, (i % 100000) / 10.0 AS 去年销售收入, 1 + i % 5000 AS 职工人数,
	'联系人' || (i % 1000) AS 联系人, '0512-' || (10000000 + i) AS 电话
	FROM generate_series(1, $rows) i) TO '$file' WITH (FORMAT csv, HEADER)"

now() { date +%s.%N; }
report() {	# WHAT START END
	awk -v w="$1" -v s="$2" -v e="$3" -v n="$rows" \
		'BEGIN { t = e - s; printf "%-44s %9d rows %7.2f s %10.0f rows/s\n", w, n, t, n / t }'
}

psql -XAtq -c "CREATE TABLE bench_copy (uscc text, name text, district text, industry text,
	above_scale text, established_on date, independent text, main_products text,
	sales_revenue_wan numeric, employees int, contact_name text, contact_phone text)"
s=$(now); psql -XAtq -c "\\copy bench_copy FROM '$file' WITH (FORMAT csv, HEADER)"; e=$(now)
report "psql \\copy into a plain table" "$s" "$e"

s=$(now); PGUSER=bench_city "$G" import enterprises "$file" >/dev/null; e=$(now)
report "guanbiao import (all new: insert + history)" "$s" "$e"
[ "$(psql -XAtq -c 'SELECT count(*) FROM gb.enterprise')" = "$rows" ] ||
	{ echo "bench-import.sh: the import did not load every row" >&2; exit 1; }

s=$(now); PGUSER=bench_city "$G" import enterprises "$file" >/dev/null; e=$(now)
report "guanbiao import again (all unchanged)" "$s" "$e"
