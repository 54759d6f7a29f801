#!/usr/bin/env bash
# Rows per second of `guanbiao import enterprises` beside a plain psql
# \copy of the same file, in a private PostgreSQL (contrib/bench-env.sh).
# A figure, not a test: not part of make check.
#   contrib/bench-import.sh [--rows "N …"] [--runs R]
#                             (default "100000 1000000", 1 run)
# For each size, R times, each on a fresh copy of the migrated gb_bench:
#   psql \copy        the file into a plain table of text/number columns
#   import (new)      guanbiao import as a city officer, every row new:
#                     COPY to staging, checks, gb.enterprise_insert_staged
#                     (bulk path: drop the secondary indexes and the foreign
#                     key, INSERT with the history rows and one bulk
#                     notification, build them again), one commit
#   import (same)     the same file again: every row found, none changed
# (the same file only in the first run); then the rows/s side by side (with
# more than one run, the median run's figure and every run's seconds: the
# machine's speed varies from minute to minute), and where the median
# new-rows import spent its time
# (GUANBIAO_IMPORT_TIMES=1: read and stage, check, update, insert, commit)
# and inside the insert (the function's debug messages: checks, lock and
# drop, insert, indexes, keys and triggers).
# The machine is shared: run it when it is otherwise idle; the load average
# is printed with the figures.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
sizes="100000 1000000"
runs=1
while [ $# -gt 0 ]; do
	case $1 in
	--rows) sizes=$2; shift 2 ;;
	--runs) runs=$2; shift 2 ;;
	*) echo "usage: contrib/bench-import.sh [--rows \"N …\"] [--runs R]" >&2; exit 2 ;;
	esac
done
. "$top/contrib/bench-env.sh"
q() { psql -XAtq -v ON_ERROR_STOP=1 "$@"; }

# The file: the plain layout, valid USCCs, every district, UTF-8.
make_file() {	# ROWS FILE
	q -c "\\copy (SELECT gb.sample_uscc(i) AS 统一社会信用代码, '基准企业' || i || '有限公司' AS 企业名称,
	(ARRAY['昆山开发区','昆山高新区','花桥经济开发区','张浦镇','周市镇','陆家镇','巴城镇','千灯镇','淀山湖镇','周庄镇','锦溪镇'])[1 + i % 11] AS 区镇,
	'制造业' AS 行业, '是' AS 规模以上, '2010-01-01' AS 成立日期, '是' AS 独立法人,
	'产品' || (i % 97) AS 主要产品, (i % 100000) / 10.0 AS 去年销售收入, 1 + i % 5000 AS 职工人数,
	'联系人' || (i % 1000) AS 联系人, '0512-' || (10000000 + i) AS 电话
	FROM generate_series(1, $1) i) TO '$2' WITH (FORMAT csv, HEADER)"
}

now() { date +%s.%N; }
rate() { awk -v n="$1" -v s="$2" -v e="$3" 'BEGIN { printf "%.0f", n / (e - s) }'; }
secs() { awk -v s="$1" -v e="$2" 'BEGIN { printf "%.1f", e - s }'; }
secs3() { awk -v s="$1" -v e="$2" 'BEGIN { printf "%.3f", e - s }'; }

results=()
phases=()
staged=()
# The median of the numbers given (seconds), and all of them in order of runs.
median() { printf '%s\n' "$@" | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
for rows in $sizes; do
	file=$pg/enterprises-$rows.csv
	make_file "$rows" "$file"
	copy_s=() new_s=() new_times=()
	for run in $(seq "$runs"); do
		db=gb_bench_$rows
		createdb -T gb_bench "$db"
		q -d "$db" -c "CREATE TABLE bench_copy (uscc text, name text, district text, industry text,
			above_scale text, established_on date, independent text, main_products text,
			sales_revenue_wan numeric, employees int, contact_name text, contact_phone text)"
		s=$(now); q -d "$db" -c "\\copy bench_copy FROM '$file' WITH (FORMAT csv, HEADER)"; e=$(now)
		copy_s+=("$(secs3 "$s" "$e")")
		q -d "$db" -c "DROP TABLE bench_copy"

		s=$(now)
		times=$(GUANBIAO_IMPORT_TIMES=1 PGOPTIONS='-c client_min_messages=debug1' PGDATABASE=$db \
			PGUSER=bench_city "$G" import enterprises "$file" 2>&1 >/dev/null)
		e=$(now)
		new_s+=("$(secs3 "$s" "$e")")
		new_times+=("$times")
		[ "$(q -d "$db" -c 'SELECT count(*) FROM gb.enterprise')" = "$rows" ] ||
			{ echo "bench-import.sh: the import did not load every row" >&2; exit 1; }
		[ "$(q -d "$db" -c "SELECT count(*) FROM gb.history WHERE table_name = 'enterprise' AND login = 'bench_city'")" = "$rows" ] ||
			{ echo "bench-import.sh: not one history row per enterprise" >&2; exit 1; }

		if [ "$run" = 1 ]; then
			s=$(now); PGDATABASE=$db PGUSER=bench_city "$G" import enterprises "$file" >/dev/null; e=$(now)
			same_rate=$(rate "$rows" "$s" "$e") same_secs=$(secs "$s" "$e")
		fi
		dropdb "$db"
	done
	copy_med=$(median "${copy_s[@]}") new_med=$(median "${new_s[@]}")
	# The phases of the run whose time is the median.
	for i in "${!new_s[@]}"; do [ "${new_s[$i]}" = "$new_med" ] && times=${new_times[$i]} && break; done
	copy_rate=$(rate "$rows" 0 "$copy_med")
	new_rate=$(rate "$rows" 0 "$new_med") new_secs=$(secs 0 "$new_med")

	results+=("$(printf '%9d %14s %20s %22s' "$rows" "$copy_rate" "$new_rate ($new_secs s)" "$same_rate ($same_secs s)")")
	[ "$runs" -gt 1 ] && results+=("$(printf '%9s  runs, s: \\copy %s; import new %s' "" \
		"$(printf '%.1f ' "${copy_s[@]}")" "$(printf '%.1f ' "${new_s[@]}")")")
	phases+=("$(printf '%9d  %s' "$rows" "$(printf '%s\n' "$times" | sed -n 's/^guanbiao import: //p')")")
	# The function's own phases (its debug messages): "checks 00:00:02.46" …
	staged+=("$(printf '%9d  %s' "$rows" "$(printf '%s\n' "$times" |
		sed -n 's/^DEBUG:  enterprise_insert_staged: \(.*\) \([0-9:.]*\)$/\1 \2/p' |
		awk '{ split($NF, t, ":"); $NF = sprintf("%.1f s", t[1] * 3600 + t[2] * 60 + t[3]); print }' |
		paste -sd ',' | sed 's/,/, /g')")")
	rm -f "$file"
done

echo "load average: $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) cores"
printf '%9s %14s %20s %22s\n' rows "psql \\copy/s" "import new/s" "import same/s"
printf '%s\n' "${results[@]}"
echo "where the new-rows import spends its time:"
printf '%s\n' "${phases[@]}"
echo "and inside 新增, gb.enterprise_insert_staged (bulk path when it lists indexes):"
printf '%s\n' "${staged[@]}"
