# Helpers for the end-to-end tests: clients in tmux sessions on a private
# tmux server, screens polled with a timeout rather than fixed sleeps.
# Source after tests/tap.sh; needs GUANBIAO and the PG* variables.

E2E_SOCK="gbui_$$_${RANDOM}"
E2E_DIR=$(mktemp -d "${TMPDIR:-/tmp}/gbui_e2e.XXXXXX")
chmod 755 "$E2E_DIR"

tm() { tmux -L "$E2E_SOCK" "$@"; }

# Under valgrind (GB_TEST_VALGRIND, see tests/pgwrap.sh) everything is about
# ten times slower: every wait scales by this.
E2E_SCALE=1
[ -n "${GB_VALGRIND_CMD:-}" ] && E2E_SCALE=10

# Kill every client this test started that still runs (by recorded pid,
# checking it is still ours), so no test leaves a process behind, even when
# it fails half-way.  Then the terminals go.
e2e_cleanup() {
	local pid
	for pid in $(cat "$E2E_DIR"/*.pid 2>/dev/null); do
		if grep -q guanbiao "/proc/$pid/cmdline" 2>/dev/null; then
			echo "# killing client $pid left running"
			kill -9 "$pid" 2>/dev/null
		fi
	done
	tm kill-server >/dev/null 2>&1
	if [ -n "${GB_KEEP_E2E:-}" ]; then echo "# kept $E2E_DIR"; else rm -rf "$E2E_DIR"; fi
}

# start_client SESSION LOGIN [extra env…]: the client as LOGIN in a 120x40 terminal
# (under $GB_VALGRIND_CMD when set).  Its pid goes to $E2E_DIR/SESSION.pid (the
# shell writes its own pid, then execs the client in its place), its stderr to
# SESSION.err and its exit status to SESSION.rc.
start_client() {
	local s=$1 login=$2 i=0
	shift 2
	local envs="LC_ALL=C.UTF-8 PGUSER=$login PGDATABASE=${PGDATABASE:-} PGHOST=${PGHOST:-} PGPORT=${PGPORT:-}"
	envs="$envs ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1} LSAN_OPTIONS=${LSAN_OPTIONS:-}"
	local run="echo \$\$ >$E2E_DIR/$s.pid; exec env $envs $* ${GB_VALGRIND_CMD:-} $GUANBIAO"
	local cmd="sh -c '$run' 2>$E2E_DIR/$s.err; echo \$? >$E2E_DIR/$s.rc; sleep 60"
	tm new-session -d -s "$s" -x 120 -y 40 -c "$E2E_DIR" "$cmd"
	while [ ! -s "$E2E_DIR/$s.pid" ] && [ "$i" -lt 100 ]; do sleep 0.02; i=$((i + 1)); done
}

# The pid of SESSION's client.
client_pid() { cat "$E2E_DIR/$1.pid"; }

# wait_pid_gone PID [MS]: until the process has ended (default 3000 ms).
wait_pid_gone() {
	local pid=$1 ms=$((${2:-3000} * E2E_SCALE)) i=0
	while kill -0 "$pid" 2>/dev/null; do
		i=$((i + 50))
		[ "$i" -ge "$ms" ] && return 1
		sleep 0.05
	done
	return 0
}

screen_of() { tm capture-pane -p -t "$1"; }

# wait_for SESSION REGEX [MS]: poll the screen until REGEX shows (default 3000 ms).
# Sets WAITED_MS to the time it took.  Returns 1 on timeout.
wait_for() {
	local s=$1 re=$2 ms=$((${3:-3000} * E2E_SCALE)) t0 now
	t0=$(date +%s%3N)
	while :; do
		if screen_of "$s" | grep -Eq -- "$re"; then
			now=$(date +%s%3N)
			WAITED_MS=$((now - t0))
			return 0
		fi
		now=$(date +%s%3N)
		if [ $((now - t0)) -ge "$ms" ]; then
			WAITED_MS=$((now - t0))
			echo "# timeout waiting for /$re/ in $s; screen was:"
			screen_of "$s" | sed 's/^/#   /'
			return 1
		fi
		sleep 0.05
	done
}

# wait_gone SESSION REGEX [MS]: poll until REGEX no longer shows.
wait_gone() {
	local s=$1 re=$2 ms=$((${3:-3000} * E2E_SCALE)) i=0
	while screen_of "$s" | grep -Eq -- "$re"; do
		i=$((i + 50))
		[ "$i" -ge "$ms" ] && return 1
		sleep 0.05
	done
	return 0
}

keys() { local s=$1; shift; tm send-keys -t "$s" "$@"; }

# Type text literally (UTF-8), not as key names.
type_text() { tm send-keys -t "$1" -l -- "$2"; }

# wait_exit SESSION [MS]: wait for the client to end; prints its status.
wait_exit() {
	local s=$1 ms=$((${2:-5000} * E2E_SCALE)) i=0
	while [ ! -s "$E2E_DIR/$s.rc" ]; do
		i=$((i + 50))
		[ "$i" -ge "$ms" ] && { echo timeout; return 1; }
		sleep 0.05
	done
	cat "$E2E_DIR/$s.rc"
}

# No sanitizer report in the client's stderr.
clean_stderr() { ! grep -Eq 'Sanitizer|runtime error' "$E2E_DIR/$1.err"; }

psql_admin() { PGOPTIONS="-c client_min_messages=warning" psql -X -v ON_ERROR_STOP=1 -qAt "$@"; }

# A code meant for programs, not officers: snake_case identifiers and the
# state, action, role, level and table codes of sql/README.
ASCII_CODE='\b[a-z][a-z0-9]*_[a-z0-9_]+\b|\b(registered|operating|draft|applied|submitted|enrolled|implementing|passed|rectifying|failed|returned|withdrawn|withdraw|disqualif[a-z]*|nominated|recommended|coaching|evaluated|publicised|designated|revoked?|rejected|gb|demo|city|district|agency|observer|suzhou|province|insert|update|delete|sample|enterprise|material|training|true|false)\b'

# unlike GOT REGEX DESCRIPTION: ok when no line of GOT matches.
unlike() {
	_tap_n=$((_tap_n + 1))
	if ! printf '%s' "$1" | grep -Eq -- "$2"; then echo "ok $_tap_n - $3"; else
		echo "not ok $_tap_n - $3"; printf '%s' "$1" | grep -E -- "$2" | sed 's/^/# matched: /'
		_tap_failed=$((_tap_failed + 1)); fi
}
