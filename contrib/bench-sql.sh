#!/usr/bin/env bash
# Benchmark of the database side at scale, printing figures (not a test):
# sample generation for each N, then the client's list queries as a city
# and a district officer (keyset pages of v_enterprise_list by name and by
# USCC, a name search, v_district_progress, v_work_queue).
#   contrib/bench-sql.sh [N ...]        default: 10000 100000 1000000
# Uses a private throw-away cluster (contrib/pgcluster.sh) under /tmp.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
build=${GB_BUILD:-$top/_build/bench}
[ -x "$build/src/guanbiao" ] || "$top/contrib/build.sh" "$build" >/dev/null
gb="$build/src/guanbiao"
export GUANBIAO_SQLDIR="$top/sql"
dir=$(mktemp -d /tmp/gbbench.XXXXXX)
chmod 755 "$dir"
trap '"$top/contrib/pgcluster.sh" destroy "$dir" >/dev/null 2>&1 || true' EXIT
"$top/contrib/pgcluster.sh" start "$dir" --auth trust --fast >/dev/null
eval "$("$top/contrib/pgcluster.sh" env "$dir")"
export PGHOST PGPORT PGUSER=gb_admin
unset PGDATABASE PGSERVICE PGOPTIONS

# Milliseconds of one query run as login (median of three).
timed() {	# db login sql
	for _ in 1 2 3; do
		psql -XAtq -d "$1" -c "SET SESSION AUTHORIZATION \"$2\"" -c '\timing on' -c "$3" 2>&1 |
			sed -n 's/^Time: \([0-9.]*\) ms.*/\1/p' | tail -1
	done | sort -n | sed -n 2p
}

for n in "${@:-10000 100000 1000000}"; do
	for m in $n; do
		db="bench$m"
		createdb "$db"
		"$gb" -d "dbname=$db" admin migrate >/dev/null
		line=$("$gb" -d "dbname=$db" admin sample --enterprises "$m" --seed 2020 | tail -1)
		"$gb" -d "dbname=$db" admin officer add bench_city --role city >/dev/null 2>&1
		"$gb" -d "dbname=$db" admin officer add bench_zp --role district --district 张浦镇 >/dev/null 2>&1
		psql -XAtq -d "$db" -c "ANALYZE" >/dev/null
		printf '%-9s sample: %s\n' "$m" "$line"
		page="SELECT * FROM gb.v_enterprise_list WHERE (name, id) > ('昆山市华', 0) ORDER BY name, id LIMIT 50"
		printf '%-9s keyset page by name    city %s ms, district %s ms\n' "$m" \
			"$(timed "$db" bench_city "$page")" "$(timed "$db" bench_zp "$page")"
		printf '%-9s keyset page by USCC    city %s ms\n' "$m" \
			"$(timed "$db" bench_city "SELECT * FROM gb.v_enterprise_list WHERE uscc > '91320583M' ORDER BY uscc LIMIT 50")"
		printf '%-9s name search (ILIKE)    city %s ms\n' "$m" \
			"$(timed "$db" bench_city "SELECT * FROM gb.v_enterprise_list WHERE name ILIKE '%精密模具%' ORDER BY name, id LIMIT 50")"
		printf '%-9s v_district_progress    district %s ms\n' "$m" \
			"$(timed "$db" bench_zp "SELECT * FROM gb.v_district_progress WHERE year = 2020")"
		printf '%-9s v_work_queue           city %s ms\n' "$m" "$(timed "$db" bench_city "SELECT * FROM gb.v_work_queue")"
		dropdb "$db"
	done
done
for r in bench_city bench_zp; do psql -XAtq -d postgres -c "DROP ROLE IF EXISTS $r" >/dev/null; done
