#!/usr/bin/env bash
# The full-screen client beside pspg (through psql) on the same data, in a
# private PostgreSQL, for databases of 10k, 100k and 1M enterprises made by
# the sample generator.  Not part of make check.
#   contrib/bench-ui.sh [--sizes "10000 100000 1000000"] [--keep]
# Builds without sanitizers into _build/bench (GB_BENCH_BUILD to change).
# Both programs run in tmux at 120x40 as the same city officer over
# the enterprise list ordered by name (guanbiao: gb.v_enterprise_year of
# the latest programme year, pspg: gb.v_enterprise_list, the same rows).  Prints, per size and program:
#   first/max  launch to the first screen of rows (guanbiao: the median of
#              five launches / the slowest; pspg: one launch)
#   end_ms     End (G) to the last row on screen
#   search_ms  from the first key of a search to its first match on screen
#              (a name 90% down the list: one match)
#   dense_ms   guanbiao: the same for 科技有限公司, in about one name in
#              nine (the list reads its rows in order and meets one at once
#              instead of collecting 100,000 matches first)
#   sort_ms    guanbiao: s on 去年销售收入 (largest first after a second s)
#              to its first row on screen, and End in that order (sortend_ms)
#   rss_kb     resident memory afterwards (pspg: psql + pspg, which hold the
#              whole result), and guanbiao's peak (hwm_kb)
# and, for guanbiao, the p95 of the time from reading a key to the
# repainted screen over 300 cursor moves (GUANBIAO_KEY_TIMES).
# "Launch" is the moment the pane's shell is released to exec the program:
# creating the tmux session (~20 ms) is not counted, for either program.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
sizes="10000 100000 1000000"
keep=no
while [ $# -gt 0 ]; do
	case $1 in
	--sizes) sizes=$2; shift 2 ;;
	--keep) keep=yes; shift ;;
	*) echo "usage: contrib/bench-ui.sh [--sizes \"N …\"] [--keep]" >&2; exit 2 ;;
	esac
done
command -v tmux >/dev/null || { echo "bench-ui.sh: tmux is needed" >&2; exit 1; }
command -v pspg >/dev/null || { echo "bench-ui.sh: pspg is needed (apt-get install pspg)" >&2; exit 1; }
build=${GB_BENCH_BUILD:-$top/_build/bench}
"$top/contrib/build.sh" "$build" CFLAGS=-O2
G=$build/src/guanbiao

pg=$(mktemp -d "${TMPDIR:-/tmp}/gbbenchui.XXXXXX")
chmod 755 "$pg"
sock="gbbenchui_$$"
cleanup() {
	tmux -L "$sock" kill-server >/dev/null 2>&1 || true
	[ "$keep" = yes ] && { echo "# kept the cluster in $pg/c"; return; }
	"$top/contrib/pgcluster.sh" destroy "$pg/c" >/dev/null 2>&1
	rm -rf "$pg"
}
trap cleanup EXIT
"$top/contrib/pgcluster.sh" start "$pg/c" --auth trust --fast >/dev/null
eval "$("$top/contrib/pgcluster.sh" env "$pg/c")"
export PGHOST PGPORT PGUSER=gb_admin
unset PGOPTIONS PGDATABASE
export GUANBIAO_SQLDIR=${GUANBIAO_SQLDIR:-$top/sql} LC_ALL=C.UTF-8

ms() { date +%s%3N; }

# wait_screen REGEX [TIMEOUT_MS]: poll the pane; prints the ms it took.
wait_screen() {
	local t0 now
	t0=$(ms)
	while :; do
		tmux -L "$sock" capture-pane -p -t b 2>/dev/null | grep -Fq -- "$1" && { echo $(($(ms) - t0)); return 0; }
		now=$(ms)
		[ $((now - t0)) -gt "${2:-120000}" ] && { echo timeout; return 1; }
		sleep 0.005
	done
}

# Resident memory of the pane's processes: "rss_kb hwm_kb" summed.
pane_memory() {
	local pids p rss=0 hwm=0 todo
	todo=$(tmux -L "$sock" list-panes -t b -F '#{pane_pid}')
	pids=
	while [ -n "$todo" ]; do
		p=${todo%% *}
		[ "$todo" = "$p" ] && todo= || todo=${todo#* }
		pids="$pids $p"
		for c in $(pgrep -P "$p" || true); do todo="${todo:+$todo }$c"; done
	done
	for p in $pids; do
		case $(cat "/proc/$p/comm" 2>/dev/null) in
		guanbiao|psql|pspg) ;;
		*) continue ;;
		esac
		rss=$((rss + $(awk '/^VmRSS/ {print $2}' "/proc/$p/status")))
		hwm=$((hwm + $(awk '/^VmHWM/ {print $2}' "/proc/$p/status")))
	done
	echo "$rss $hwm"
}

# start CMD: run CMD in session b of a tmux server that is already up; the
# pane's shell waits on a FIFO, and go() releases it (the launch).
start() {
	tmux -L "$sock" has-session -t keep 2>/dev/null ||
		{ tmux -L "$sock" new-session -d -s keep "sleep 100000"; sleep 0.3; }
	tmux -L "$sock" kill-session -t b >/dev/null 2>&1 || true
	rm -f "$pg/go"
	mkfifo "$pg/go"
	sleep 0.2
	tmux -L "$sock" new-session -d -s b -x 120 -y 40 -c "$pg" "read x < '$pg/go'; $1; sleep 600"
	sleep 0.3
}
go() { echo >"$pg/go"; }
key() { tmux -L "$sock" send-keys -t b "$@"; }

# wait_rows TEXT FROM TO: poll until lines FROM..TO of the pane hold TEXT
# (the search prompt itself, on another line, does not count).
wait_rows() {
	local t0
	t0=$(ms)
	while :; do
		tmux -L "$sock" capture-pane -p -t b 2>/dev/null | sed -n "$2,$3p" | grep -Fq -- "$1" &&
			{ echo $(($(ms) - t0)); return 0; }
		[ $(($(ms) - t0)) -gt 120000 ] && { echo timeout; return 1; }
		sleep 0.005
	done
}

# open_end_search KEY FROM TO: sets f (first screen), e (End) and s (search
# for $target, ended by KEY if any, until its prefix shows in rows FROM..TO).
open_end_search() {
	go
	f=$(wait_screen "$first")
	key G
	e=$(wait_screen "$last")
	key g
	wait_screen "$first" >/dev/null
	key /
	local t0
	t0=$(ms)
	tmux -L "$sock" send-keys -t b -l -- "$target"
	[ -n "$1" ] && key "$1"
	wait_rows "$prefix" "$2" "$3" >/dev/null
	s=$(($(ms) - t0))
}

cols="name, district_name, main_products, sales_revenue_wan, employees, gb_state_label, demo_state_label, agency_name, contact_name, contact_phone, uscc"
fmt='%-9s %-9s %9s %9s %10s %9s %8s %10s %9s %9s %8s\n'
printf "$fmt" size program first/max end_ms search_ms dense_ms sort_ms sortend_ms rss_kb hwm_kb p95_us
for n in $sizes; do
	db=bench_$n
	createdb "$db"
	"$G" -d "dbname=$db" admin migrate >/dev/null
	"$G" -d "dbname=$db" admin programme load-2020 >/dev/null
	t0=$(ms)
	"$G" -d "dbname=$db" admin sample --enterprises "$n" >/dev/null
	echo "# $n enterprises generated in $(( ($(ms) - t0) / 1000 )) s"
	"$G" -d "dbname=$db" admin officer add bench_city --role city --name 基准测试 >/dev/null 2>&1
	first=$(psql -XAt -d "$db" -c "SELECT name FROM gb.enterprise ORDER BY name, id LIMIT 1")
	last=$(psql -XAt -d "$db" -c "SELECT name FROM gb.enterprise ORDER BY name DESC, id DESC LIMIT 1")
	target=$(psql -XAt -d "$db" -c "SELECT name FROM gb.enterprise ORDER BY name, id OFFSET $((n * 9 / 10)) LIMIT 1")
	# Largest sales first, and the last row in that order.
	big=$(psql -XAt -d "$db" -c "SELECT name FROM gb.enterprise ORDER BY gb.sales_key(sales_revenue_wan) DESC, name DESC, id DESC LIMIT 1")
	small=$(psql -XAt -d "$db" -c "SELECT name FROM gb.enterprise ORDER BY gb.sales_key(sales_revenue_wan), name, id LIMIT 1")
	prefix=${target:0:8}	# characters, not bytes: fits the name column uncut
	env="env LC_ALL=C.UTF-8 PGHOST=$PGHOST PGPORT=$PGPORT PGUSER=bench_city PGDATABASE=$db"

	# guanbiao: the enterprise panel (2), End, back to the top, search.
	firsts=
	for i in 1 2 3 4; do
		start "$env $G"
		key 2
		go
		firsts="$firsts $(wait_screen "$first")"
	done
	start "$env GUANBIAO_KEY_TIMES=$pg/keys.txt $G"
	key 2
	open_end_search "" 4 4
	firsts=$(printf '%s\n' $firsts "$f" | sort -n)
	f="$(echo "$firsts" | sed -n 3p)/$(echo "$firsts" | tail -n 1)"
	key Escape g
	wait_screen "$first" >/dev/null
	# A text in many names, from the top (the first name does not hold it).
	key /
	t0=$(ms)
	tmux -L "$sock" send-keys -t b -l -- 科技有限公司
	wait_rows 科技有限公司 4 4 >/dev/null
	dense=$(($(ms) - t0))
	key Escape g
	wait_screen "$first" >/dev/null
	# Sort by 去年销售收入 (the fourth column): ascending, then descending.
	key l l l s
	wait_rows "${small:0:8}" 4 4 >/dev/null
	key s
	so=$(wait_rows "${big:0:8}" 4 4)
	key G
	se=$(wait_rows "${small:0:8}" 5 39)
	key h h h s
	wait_rows "$first" 4 4 >/dev/null
	before=$(wc -l <"$pg/keys.txt")
	for i in $(seq 1 300); do key j; done
	sleep 2
	mem=$(pane_memory)
	p95=$(tail -n +$((before + 1)) "$pg/keys.txt" | sort -n |
		awk '{ v[NR] = $1 } END { i = int(NR * 0.95); if (i < 1) i = 1; print v[i] }')
	printf "$fmt" "$n" guanbiao "$f" "$e" "$s" "$dense" "$so" "$se" ${mem% *} ${mem#* } "$p95"

	# pspg through psql: the same rows in the same order.
	start "$env PSQL_PAGER=pspg psql -X -P pager=always -c 'SELECT $cols FROM gb.v_enterprise_list ORDER BY name, id'"
	open_end_search Enter 1 39
	mem=$(pane_memory)
	printf "$fmt" "$n" pspg "$f" "$e" "$s" - - - ${mem% *} ${mem#* } "-"
	tmux -L "$sock" kill-session -t b >/dev/null 2>&1 || true
	sleep 0.5
	[ "$keep" = yes ] || dropdb "$db"
done
