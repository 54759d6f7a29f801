#!/usr/bin/env bash
# A private PostgreSQL cluster in one folder: Unix socket only, on a free
# port, never the system cluster.  Used by the demo (quickstart.sh), by
# check.sh and by every database test.
#
#   pgcluster.sh start DIR [--auth trust|peer] [--admin OSUSER] [--fast]
#   pgcluster.sh stop DIR
#   pgcluster.sh destroy DIR      stop (if running) and remove DIR
#   pgcluster.sh status DIR       exit 0 when it accepts connections
#   pgcluster.sh env DIR          print PGHOST= and PGPORT= lines for eval
#
# Layout: DIR/data (the cluster), DIR/run (the socket), DIR/log, DIR/port.
# The superuser is gb_admin.  With --auth peer every Unix user connects as
# the role of the same name, and OSUSER (default: whoever runs this) may
# also connect as gb_admin; with --auth trust (tests only) anyone on this
# machine who can reach DIR/run may connect as anyone.
#
# initdb refuses to run as root: then the server runs as the "postgres"
# system user (or a "guanbiao-pg" user created for it), which owns DIR.
set -euo pipefail

die() { echo "pgcluster.sh: $*" >&2; exit 1; }

pgbin() {
	local d
	if [ -n "${PGBIN:-}" ]; then echo "$PGBIN"; return; fi
	for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
		[ -x "$d/initdb" ] && { echo "$d"; return; }
	done
	command -v initdb >/dev/null 2>&1 && { dirname "$(command -v initdb)"; return; }
	die "PostgreSQL server binaries not found (apt-get install postgresql)"
}

# The Unix user that owns and runs the cluster.
owner() {
	if [ "$(id -u)" != 0 ]; then id -un; return; fi
	if id postgres >/dev/null 2>&1; then echo postgres; return; fi
	if ! id guanbiao-pg >/dev/null 2>&1; then
		useradd --system --home-dir /nonexistent --shell /usr/sbin/nologin guanbiao-pg
	fi
	echo guanbiao-pg
}

as_owner() {
	if [ "$(id -u)" = 0 ]; then runuser -u "$OWNER" -- "$@"; else "$@"; fi
}

# True when TCP port $1 is listened on (so we never pick one in use).
port_busy() {
	local hex
	hex=$(printf '%04X' "$1")
	cat /proc/net/tcp /proc/net/tcp6 2>/dev/null |
		awk -v p=":$hex" '$4 == "0A" && substr($2, length($2) - 4) == p { found = 1 } END { exit !found }'
}

free_port() {
	local p i
	for i in $(seq 1 200); do
		p=$(( 20000 + (RANDOM * 32768 + RANDOM) % 40000 ))
		port_busy "$p" || { echo "$p"; return; }
	done
	die "no free port found"
}

cmd_start() {
	local dir=$1 auth=trust admin fast=no
	shift
	admin=${SUDO_USER:-$(id -un)}
	while [ $# -gt 0 ]; do
		case $1 in
		--auth) auth=$2; shift 2 ;;
		--admin) admin=$2; shift 2 ;;
		--fast) fast=yes; shift ;;
		*) die "unknown option $1" ;;
		esac
	done
	case $auth in trust|peer) ;; *) die "--auth takes trust or peer" ;; esac
	local bin; bin=$(pgbin)
	OWNER=$(owner)
	mkdir -p "$dir"
	dir=$(cd "$dir" && pwd -P)
	[ "$(id -u)" = 0 ] && chown "$OWNER" "$dir"
	as_owner test -w "$dir" || die "$dir is not writable by $OWNER (a folder under /root is not: use another)"
	if cmd_status "$dir" 2>/dev/null; then
		echo "pgcluster.sh: already running in $dir on port $(cat "$dir/port")" >&2
		return 0
	fi
	if [ ! -f "$dir/data/PG_VERSION" ]; then
		local authargs=(--auth=trust)
		[ "$auth" = peer ] && authargs=(--auth-local=peer --auth-host=reject)
		as_owner "$bin/initdb" -D "$dir/data" -U gb_admin -E UTF8 --locale=C.UTF-8 \
			"${authargs[@]}" >"$dir/initdb.log" 2>&1 ||
			{ cat "$dir/initdb.log" >&2; die "initdb failed"; }
		as_owner mkdir -p "$dir/run"
		{
			echo "listen_addresses = ''"
			echo "unix_socket_directories = '$dir/run'"
			echo "unix_socket_permissions = 0777"
			echo "max_connections = 200"
			echo "log_min_messages = warning"
			if [ "$fast" = yes ]; then
				echo "fsync = off"
				echo "synchronous_commit = off"
				echo "full_page_writes = off"
			fi
		} | as_owner tee -a "$dir/data/postgresql.conf" >/dev/null
		if [ "$auth" = peer ]; then
			{
				echo "local all gb_admin peer map=gbadmin"
				echo "local all all peer"
			} | as_owner tee "$dir/data/pg_hba.conf" >/dev/null
			{
				echo "gbadmin $admin gb_admin"
				echo "gbadmin $OWNER gb_admin"
			} | as_owner tee "$dir/data/pg_ident.conf" >/dev/null
		fi
	fi
	chmod 755 "$dir" "$dir/run" 2>/dev/null || true
	# Keep the port of the last start when it is still free, so that clients
	# (and a connection service file) find a restarted server where it was.
	local port=
	if [ -f "$dir/port" ]; then
		port=$(cat "$dir/port")
		case $port in ''|*[!0-9]*) port= ;; esac
		[ -n "$port" ] && port_busy "$port" && port=
	fi
	[ -n "$port" ] || port=$(free_port)
	echo "$port" | as_owner tee "$dir/port" >/dev/null
	as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/log" -w -t 300 -o "-p $port" start >/dev/null ||
		{ tail -20 "$dir/log" >&2; die "server did not start"; }
	local i
	# pg_ctl -w has waited already; this covers a slow first connection on
	# a loaded machine (several test clusters start at once under make -j).
	for i in $(seq 1 600); do
		"$bin/pg_isready" -q -h "$dir/run" -p "$port" && return 0
		sleep 0.1
	done
	die "server does not accept connections (see $dir/log)"
}

cmd_status() {
	local dir=$1
	[ -f "$dir/port" ] || return 1
	"$(pgbin)/pg_isready" -q -h "$dir/run" -p "$(cat "$dir/port")"
}

cmd_stop() {
	local dir=$1 mode=${2:-fast}
	[ -f "$dir/data/PG_VERSION" ] || return 0
	OWNER=$(stat -c %U "$dir/data")
	if [ -f "$dir/data/postmaster.pid" ]; then
		as_owner "$(pgbin)/pg_ctl" -D "$dir/data" -m "$mode" -w -t 60 stop >/dev/null 2>&1 || true
	fi
}

cmd_destroy() {
	local dir=$1 real
	[ -d "$dir" ] || return 0
	cmd_stop "$dir" immediate
	# quickstart.sh's folder may be a link to /var/lib/guanbiao: remove
	# what it points to as well as the link.
	real=$(cd "$dir" && pwd -P)
	rm -rf -- "$real"
	[ -L "$dir" ] && rm -f -- "$dir"
	return 0
}

cmd_env() {
	local dir
	dir=$(cd "$1" && pwd -P)
	[ -f "$dir/port" ] || die "no cluster in $1"
	echo "PGHOST=$dir/run"
	echo "PGPORT=$(cat "$dir/port")"
}

[ $# -ge 2 ] || die "usage: pgcluster.sh start|stop|destroy|status|env DIR [options]"
action=$1
shift
case $action in
start) cmd_start "$@" ;;
stop) cmd_stop "$1" ;;
destroy) cmd_destroy "$1" ;;
status) cmd_status "$1" ;;
env) cmd_env "$1" ;;
*) die "unknown action $action" ;;
esac
