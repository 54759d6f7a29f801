#!/usr/bin/env bash
# Peer authentication exercised (contrib/pg_hba.conf.example, DEPLOY): a
# second private cluster of its own, started with --auth peer in a mktemp
# folder and destroyed on exit, gets exactly the pg_hba.conf lines and the
# pg_ident.conf map of the example, plus one map line taking the Unix user
# running this test (root in CI) to an officer login.  Then that Unix user
# connects as the officer without a password and gb.current_officer() is
# that officer; asking for another login (another officer, the superuser)
# or another database is refused; TCP is not offered at all.
. "$top_srcdir/tests/tap.sh"
set -u
pgcluster="$top_srcdir/contrib/pgcluster.sh"
example="$top_srcdir/contrib/pg_hba.conf.example"
me=$(id -un)
dir=$(mktemp -d "${TMPDIR:-/tmp}/gbpeer.XXXXXX")
trap '"$pgcluster" destroy "$dir"' EXIT
"$pgcluster" start "$dir" --auth peer --fast >/dev/null 2>&1
ok $? "a second cluster of its own with peer authentication"
eval "$("$pgcluster" env "$dir")"
export PGHOST PGPORT PGUSER=gb_admin
unset PGDATABASE PGSERVICE PGOPTIONS PGPASSWORD
# Roles belong to this cluster only, but keep them recognisable.
officer=gbpeer_officer other=gbpeer_other

# Set up as the administrator (pgcluster.sh maps the Unix user to gb_admin).
createdb guanbiao && "$GUANBIAO" -d dbname=guanbiao admin migrate >/dev/null &&
	"$GUANBIAO" -d dbname=guanbiao admin programme load-2020 >/dev/null &&
	"$GUANBIAO" -d dbname=guanbiao admin officer add "$officer" --role district --district 张浦镇 --name 彭区员 >/dev/null &&
	"$GUANBIAO" -d dbname=guanbiao admin officer add "$other" --role city --name 另市 >/dev/null
ok $? "the schema and two officers, set up by the administrator"

# Install the example: its pg_hba.conf lines as they are, its map lines,
# and the Unix user running the test mapped to the first officer.
data="$dir/data"
hba=$(grep -Ev '^[[:space:]]*(#|$)' "$example")
ident=$(sed -n 's/^#: *//p' "$example")
like "$hba" 'peer map=officers' "the example's officer line uses the map"
printf '%s\n' "$hba" >"$dir/pg_hba.conf.new"
{ printf '%s\n' "$ident"; printf 'officers %s %s\n' "$me" "$officer"; } >"$dir/pg_ident.conf.new"
cp "$dir/pg_hba.conf.new" "$data/pg_hba.conf" && cp "$dir/pg_ident.conf.new" "$data/pg_ident.conf"
ok $? "the example's lines are installed"
errors=$(psql -XAtq -d guanbiao -c "SELECT pg_reload_conf()" \
	-c "SELECT string_agg(line_number || ': ' || error, '; ') FROM pg_hba_file_rules WHERE error IS NOT NULL AND type <> 'hostssl'" \
	-c "SELECT string_agg(line_number || ': ' || error, '; ') FROM pg_ident_file_mappings WHERE error IS NOT NULL" 2>&1 | tail -2 | tr '\n' ' ')
is "$errors" "  " "the server reads them without an error (hostssl aside, which needs ssl = on)"
sleep 0.5

# Only the socket; run each attempt without a password prompt.
try() { PGCONNECT_TIMEOUT=5 psql -XAtqw "$@" 2>&1 | head -1; }
is "$(PGUSER=$officer try -d guanbiao -c "SELECT login || ' ' || name || ' ' || role || ' ' || session_user FROM gb.current_officer()")" \
	"$officer 彭区员 district $officer" "the Unix user $me connects as the mapped officer, and gb.current_officer() is that officer"
is "$(PGUSER=$officer try -d guanbiao -c "SELECT count(*) > 0 FROM gb.v_district_progress")" t "and works with the officer's rights"
like "$(PGUSER=$other try -d guanbiao -c "SELECT 1")" "Peer authentication failed for user \"$other\"" \
	"asking for another officer's login is refused"
like "$(PGUSER=gb_admin try -d guanbiao -c "SELECT 1")" 'Peer authentication failed for user "gb_admin"' \
	"so is the superuser, for a Unix user the map gbadmin does not name"
like "$(PGUSER=$officer try -d postgres -c "SELECT 1")" 'pg_hba.conf rejects connection .*database "postgres"' \
	"and any other database"
like "$(PGUSER=$officer try -d guanbiao -h 127.0.0.1 -c "SELECT 1")" 'Connection refused|could not connect' \
	"TCP is not offered (IPv4)"
like "$(PGUSER=$officer try -d guanbiao -h ::1 -c "SELECT 1")" 'Connection refused|could not connect|Cannot assign|Address family' \
	"nor over IPv6"
is "$(PGUSER=$officer try -d guanbiao -c "SHOW listen_addresses")" "" "the server listens on no address, the socket only"
is "$(PGUSER=$officer try -d guanbiao -c "SELECT rolsuper OR rolbypassrls OR rolcreaterole FROM pg_roles WHERE rolname = session_user")" f \
	"the officer's login has no power beyond the officer's"
done_testing
