#!/usr/bin/env bash
# contrib/pgcluster.sh: a private cluster on a Unix socket only, on a free
# port, that keeps its port across restarts and is removed without a trace.
. "$top_srcdir/tests/tap.sh"
pgc="$top_srcdir/contrib/pgcluster.sh"
dir=$(mktemp -d "${TMPDIR:-/tmp}/gbpgc.XXXXXX")
real=
trap '"$pgc" destroy "$dir" >/dev/null 2>&1; rm -rf "$dir" ${real:+"$real"}' EXIT

"$pgc" start "$dir" --auth trust --fast >/dev/null 2>&1
ok $? "start creates and starts a cluster"
"$pgc" status "$dir"
ok $? "status: it accepts connections"
port=$(cat "$dir/port")
like "$port" '^[0-9]+$' "the port is recorded"
eval "$("$pgc" env "$dir")"
is "$PGHOST" "$(cd "$dir" && pwd -P)/run" "env names the private socket folder"
is "$(psql -XAtq -h "$PGHOST" -p "$PGPORT" -U gb_admin -d postgres -c 'SHOW listen_addresses')" "" \
	"no TCP address is listened on"
hex=$(printf '%04X' "$port")
awk -v p=":$hex" '$4 == "0A" && substr($2, length($2) - 4) == p { f = 1 } END { exit f }' \
	/proc/net/tcp /proc/net/tcp6 2>/dev/null
ok $? "nothing listens on the port over TCP"
is "$(psql -XAtq -h "$PGHOST" -p "$PGPORT" -U gb_admin -d postgres -c 'SHOW server_encoding')" "UTF8" \
	"the cluster is UTF-8"
is "$(psql -XAtq -h "$PGHOST" -p "$PGPORT" -U gb_admin -d postgres -c 'SELECT rolsuper FROM pg_roles WHERE rolname = current_user')" "t" \
	"gb_admin is the superuser"
"$pgc" start "$dir" --auth trust --fast >/dev/null 2>&1
ok $? "starting a running cluster again is harmless"
"$pgc" stop "$dir"
"$pgc" status "$dir"
[ $? -ne 0 ]; ok $? "stop stops it"
"$pgc" start "$dir" --auth trust --fast >/dev/null 2>&1
ok $? "it starts again"
is "$(cat "$dir/port")" "$port" "a restarted cluster keeps its port"
"$pgc" destroy "$dir"
[ ! -e "$dir" ]; ok $? "destroy removes the folder"
# A cluster reached through a link (quickstart as root): both go.
real=$(mktemp -d "${TMPDIR:-/tmp}/gbpgc.XXXXXX")
ln -s "$real" "$dir"
"$pgc" start "$dir" --auth trust --fast >/dev/null 2>&1
ok $? "a cluster starts in a linked folder"
"$pgc" destroy "$dir"
[ ! -e "$dir" ] && [ ! -L "$dir" ] && [ ! -e "$real" ]; ok $? "destroy removes the link and the folder it points to"
[ -z "$(pgrep -f "postgres.*$dir" || true)" ]; ok $? "no server process is left"
done_testing
