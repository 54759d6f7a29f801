# Sourced by the contrib/bench-*.sh scripts (after setting top): a build
# without sanitizers in _build/bench (G = the program), a private
# PostgreSQL in a temporary folder removed on exit (pg = that folder), a
# migrated database gb_bench with the 2020 programme, and the city officer
# bench_city.  PG* variables point at it.
build=${GB_BENCH_BUILD:-$top/_build/bench}
"$top/contrib/build.sh" "$build" CFLAGS=-O2 >/dev/null
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
