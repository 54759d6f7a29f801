#!/usr/bin/env bash
# What an officer reads when the database refuses: Chinese first, with the
# server's own words kept, and a hint for the usual first-day mistakes.
. "$top_srcdir/tests/tap.sh"
G=$GUANBIAO
CITY=${PGDATABASE}_msg_city
sql() { PGOPTIONS='-c client_min_messages=warning' psql -XAtq -v ON_ERROR_STOP=1 -c "$1"; }
trap 'sql "DROP OWNED BY $CITY, ${PGDATABASE}_y; DROP ROLE IF EXISTS $CITY, ${PGDATABASE}_y" >/dev/null 2>&1' EXIT
# Before any programme is loaded there are no districts to name.
out=$("$G" admin officer add ${PGDATABASE}_y --role district --district 张浦镇 2>&1); rc=$?
is "$rc" 2 "a district officer before any district exists is refused"
like "$out" '没有名为 张浦镇 的区镇' "naming the district"
like "$out" 'guanbiao admin programme load-2020' "and how to load the districts"
sql "SELECT gb.admin_programme_load_2020()" >/dev/null
sql "SELECT gb.admin_officer_add('$CITY', 'city', NULL, NULL, '市信用办测试')" >/dev/null

out=$("$G" -d "dbname=${PGDATABASE}_missing" admin migrate 2>&1); rc=$?
is "$rc" 2 "a missing database is an error (exit 2)"
like "$out" '无法连接数据库' "it says the connection failed, in Chinese"
like "$out" 'createdb guanbiao' "and how to create the database"

out=$(PGUSER=$CITY "$G" admin officer add ${PGDATABASE}_x --role city 2>&1); rc=$?
is "$rc" 2 "an officer who is not the database administrator is refused"
like "$out" '只有数据库管理员（gb_admin）可以执行此命令' "with a Chinese explanation"
like "$out" 'PGUSER=gb_admin guanbiao admin officer add' "naming how to run it"
is "$(sql "SELECT count(*) FROM gb.officer WHERE login = '${PGDATABASE}_x'")" 0 "and nothing was added"

out=$(PGUSER=$CITY "$G" admin migrate 2>&1); rc=$?
is "$rc" 2 "an officer cannot migrate the schema"
like "$out" '只有数据库管理员' "and is told who can"
# The server's own chatter (GRANT of a role the login already has) is in
# English and means nothing to the administrator: admin commands keep only
# warnings and errors.
"$G" admin officer add ${PGDATABASE}_y --role observer >/dev/null 2>&1
err=$("$G" admin officer add ${PGDATABASE}_y --role observer 2>&1 >/dev/null); rc=$?
is "$rc" 0 "registering an officer again succeeds"
is "$err" "" "and prints no server notice"
done_testing
