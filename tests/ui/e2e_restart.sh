#!/usr/bin/env bash
# The server restarts under a running client: the client says the
# connection dropped, reconnects with backoff, listens again and reloads,
# and what the officer was typing is still there.  Then the terminal goes
# away in the middle of an edit (SIGHUP): the process ends, its session is
# gone and the row is unchanged; SIGTERM restores the terminal.  The test runs its own
# PostgreSQL (pgcluster.sh in a temporary folder), never the shared one.
# The client finds the server through a service file, because a restarted
# pgcluster picks a new port.
. "$top_srcdir/tests/tap.sh"
. "$top_srcdir/tests/ui/e2e_lib.sh"

pgcluster="$top_srcdir/contrib/pgcluster.sh"
own=$(mktemp -d "${TMPDIR:-/tmp}/gbui_pg.XXXXXX")
chmod 755 "$own"
cleanup() {
	e2e_cleanup
	"$pgcluster" destroy "$own" >/dev/null 2>&1
}
trap cleanup EXIT

# Point the environment and the service file at our own cluster.
use_cluster() {
	eval "$("$pgcluster" env "$own")"
	export PGHOST PGPORT
	cat >"$E2E_DIR/pg_service.conf" <<SVC
[gbtest]
host=$PGHOST
port=$PGPORT
dbname=gb
SVC
}

"$pgcluster" start "$own" --auth trust --fast >/dev/null 2>&1 || { echo "Bail out! no cluster"; exit 99; }
use_cluster
export PGUSER=gb_admin PGDATABASE=gb
createdb gb && "$GUANBIAO" -d dbname=gb admin migrate >/dev/null 2>&1 ||
	{ echo "Bail out! could not migrate"; exit 99; }
psql_admin >/dev/null <<SQL || { echo "Bail out! could not set up the data"; exit 99; }
SELECT gb.admin_programme_load_2020();
SELECT gb.admin_officer_add('gbui_restart_city', 'city', NULL, NULL, '王市长');
INSERT INTO gb.enterprise (uscc, name, district_id, above_scale, established_on)
VALUES ('91350200776049653A', '重启测试（昆山）有限公司',
	(SELECT id FROM gb.district WHERE name = '周市镇'), true, '2012-05-01');
SQL

start_client C gbui_restart_city PGSERVICEFILE="$E2E_DIR/pg_service.conf" PGSERVICE=gbtest
wait_for C "王市长.*已连接"; ok $? "client connected through the service"
keys C 2
wait_for C "重启测试"; ok $? "the list shows the enterprise"
keys C :
wait_for C "快速查找"
type_text C "正在输入的文字"
wait_for C "正在输入的文字"; ok $? "the officer is typing in a dialog"

"$pgcluster" stop "$own" >/dev/null 2>&1
wait_for C "连接中断" 5000; ok $? "the client says the connection dropped"
like "$(screen_of C)" "正在输入的文字" "the typed text is kept while disconnected"

"$pgcluster" start "$own" --auth trust --fast >/dev/null 2>&1 || { echo "Bail out! no restart"; exit 99; }
use_cluster
wait_for C "已重新连接" 10000; ok $? "the client reconnects by itself and says so"
echo "# reconnected ${WAITED_MS} ms after the server accepted connections again"
like "$(screen_of C)" "已连接" "the top bar shows the connection again"
like "$(screen_of C)" "正在输入的文字" "the typed text survived the restart"

# Listening again: a change by someone else shows without a key.
psql_admin -c "UPDATE gb.enterprise SET contact_name = '新联系人' WHERE name = '重启测试（昆山）有限公司'"
wait_for C "修改企业.*重启测试" 3000; ok $? "notifications arrive after the reconnect"

# Esc on typed text asks before throwing it away (as forms do).
keys C Escape
wait_for C "放弃输入"; ok $? "Esc on the typed lookup asks before discarding it"
keys C y
wait_gone C "快速查找"
keys C Q
is "$(wait_exit C)" 0 "the client quits with status 0"
clean_stderr C; ok $? "no sanitizer report"

sessions() {
	psql_admin -d postgres -c "SELECT count(*) FROM pg_stat_activity WHERE usename = 'gbui_restart_city'"
}

# The SSH connection drops in the middle of an edit.
start_client H gbui_restart_city PGSERVICEFILE="$E2E_DIR/pg_service.conf" PGSERVICE=gbtest
wait_for H "已连接"
keys H 2
wait_for H "重启测试"
keys H e
wait_for H "编辑企业"
wait_for H "联系人 +新联系人"
for i in 1 2 3 4 5 6 7 8 9 10; do keys H Tab; done
keys H C-u
type_text H "不该保存"
wait_for H "不该保存"
is "$(sessions)" 1 "the client holds one session while editing"
hpid=$(client_pid H)
tm kill-session -t H
wait_pid_gone "$hpid" 3000; ok $? "after the terminal is gone the client process ends (no spinning)"
gone=1
for i in $(seq 1 $((60 * E2E_SCALE))); do
	[ "$(sessions)" = 0 ] && { gone=0; break; }
	sleep 0.05
done
ok $gone "and its database session with it"
like "$(cat "$E2E_DIR/H.err")" "终端已断开" "saying the terminal went away"
is "$(psql_admin -c "SELECT contact_name FROM gb.enterprise WHERE name = '重启测试（昆山）有限公司'")" \
	"新联系人" "the row is unchanged"
is "$(psql_admin -d postgres -c "SELECT count(*) FROM pg_locks l JOIN pg_stat_activity a USING (pid) WHERE a.usename = 'gbui_restart_city'")" \
	0 "no lock remains"

# Below the minimum size only a line shows, and q still quits.
start_client Z gbui_restart_city PGSERVICEFILE="$E2E_DIR/pg_service.conf" PGSERVICE=gbtest
wait_for Z "已连接"
tm resize-window -t Z -x 30 -y 6
wait_for Z "窗口太小"; ok $? "a tiny terminal shows 窗口太小"
keys Z q
is "$(wait_exit Z)" 0 "and q quits"

# SIGTERM: the terminal is restored and the client says why it ended.
start_client T gbui_restart_city PGSERVICEFILE="$E2E_DIR/pg_service.conf" PGSERVICE=gbtest
wait_for T "已连接"
pid=$(client_pid T)
like "$(tm display-message -p -t T '#{alternate_on}')" "^1$" "the client uses the full screen"
kill -TERM "$pid"
is "$(wait_exit T)" 0 "SIGTERM ends the client"
like "$(tm display-message -p -t T '#{alternate_on}')" "^0$" "and the terminal is restored"
like "$(cat "$E2E_DIR/T.err")" "收到信号 15" "saying which signal ended it"
done_testing
