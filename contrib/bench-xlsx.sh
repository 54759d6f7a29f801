#!/usr/bin/env bash
# XLSX beside CSV for the enterprise list, in a private PostgreSQL: export
# (memory and time) and import back (rows/s, memory).  Not part of make
# check.
#   contrib/bench-xlsx.sh [--rows N]        (default 120,000)
# Builds without sanitizers into _build/bench.  Prints one line per run:
#   what  seconds  max RSS  file size  (and rows/s for imports)
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
rows=120000
while [ $# -gt 0 ]; do
	case $1 in
	--rows) rows=$2; shift 2 ;;
	*) echo "usage: contrib/bench-xlsx.sh [--rows N]" >&2; exit 2 ;;
	esac
done
[ -x /usr/bin/time ] || { echo "bench-xlsx.sh: needs /usr/bin/time (apt-get install time)" >&2; exit 2; }
. "$top/contrib/bench-env.sh"
psql -XAtq -c "SELECT gb.admin_sample($rows, 7)" >/dev/null

# Run the program as the city officer under /usr/bin/time -v; print
# "WHAT seconds RSS size [rows/s]".
run() {	# WHAT FILE-FOR-SIZE ARGS...
	local what=$1 file=$2 out t rss
	shift 2
	out=$(PGUSER=bench_city /usr/bin/time -v -o "$pg/time" "$G" "$@")
	t=$(awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, p, ":"); s = 0;
		for (i = 1; i <= n; i++) s = s * 60 + p[i]; print s }' "$pg/time")
	rss=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$pg/time")
	awk -v w="$what" -v t="$t" -v r="$rss" -v f="$(stat -c %s "$file")" -v n="$rows" \
	    -v imp="$([[ $1 == import ]] && echo 1 || echo 0)" \
	    'BEGIN { printf "%-34s %7.2f s %8.1f MB RSS %8.1f MB file", w, t, r / 1024, f / 1048576;
		     if (imp) printf " %9.0f rows/s", n / t; printf "\n" }'
	[[ $1 != import ]] || [[ $out == *"新增 0 家企业，更新 0 家"* ]] ||
		{ echo "bench-xlsx.sh: importing the export changed something: $out" >&2; exit 1; }
}

echo "$rows enterprises"
run "export enterprises --format xlsx" "$pg/e.xlsx" export enterprises --format xlsx -o "$pg/e.xlsx"
run "export enterprises (CSV, UTF-8)" "$pg/e.csv" export enterprises --encoding utf-8 -o "$pg/e.csv"
run "import enterprises e.xlsx" "$pg/e.xlsx" import enterprises "$pg/e.xlsx"
run "import enterprises e.csv" "$pg/e.csv" import enterprises "$pg/e.csv"
