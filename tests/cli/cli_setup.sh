# Sourced by the tests/cli/db_*.sh scripts: the 2020 programme, a small
# deterministic sample, and officer logins with names unique to this test
# database (roles are cluster-wide and tests run in parallel).
. "$top_srcdir/tests/tap.sh"
set -u
export LC_ALL=C.UTF-8
G=$GUANBIAO
work=$(mktemp -d "${TMPDIR:-/tmp}/gbcli.XXXXXX")
CITY=${PGDATABASE}_city
KFQ=${PGDATABASE}_kfq
ZP=${PGDATABASE}_zp
OBS=${PGDATABASE}_obs
sql() { PGOPTIONS='-c client_min_messages=warning' psql -XAtq -v ON_ERROR_STOP=1 -c "$1"; }
trap 'rm -rf "$work"; sql "DROP ROLE IF EXISTS $CITY, $KFQ, $ZP, $OBS" >/dev/null 2>&1' EXIT
sql "SELECT gb.admin_programme_load_2020()" >/dev/null
sql "SELECT gb.admin_sample(60, 7)" >/dev/null
sql "SELECT gb.admin_officer_add('$CITY', 'city', NULL, NULL, '市信用办测试')" >/dev/null
sql "SELECT gb.admin_officer_add('$KFQ', 'district', '昆山开发区', NULL, '开发区测试')" >/dev/null
sql "SELECT gb.admin_officer_add('$ZP', 'district', '张浦镇', NULL, '张浦测试')" >/dev/null
sql "SELECT gb.admin_officer_add('$OBS', 'observer', NULL, NULL, '观察员测试')" >/dev/null
# Under contrib/valgrind.sh the program runs under valgrind (pgwrap.sh).
as_city() { PGUSER=$CITY ${GB_VALGRIND_CMD:-} "$G" "$@"; }
as_kfq() { PGUSER=$KFQ ${GB_VALGRIND_CMD:-} "$G" "$@"; }
as_zp() { PGUSER=$ZP ${GB_VALGRIND_CMD:-} "$G" "$@"; }
as_obs() { PGUSER=$OBS ${GB_VALGRIND_CMD:-} "$G" "$@"; }
# Everything an import could change, as one checksum.
db_state() {
	sql "SELECT md5(coalesce(string_agg(e::text, '|' ORDER BY e.id), '')) || ':' ||
	     (SELECT count(*) FROM gb.history) FROM gb.enterprise e"
}
