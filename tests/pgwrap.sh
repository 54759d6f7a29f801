#!/usr/bin/env bash
# The LOG_COMPILER of every test.  Tests named db_* or e2e_* get a fresh
# database (a copy of one with every migration applied) in a private
# PostgreSQL: the one check.sh started (GB_TEST_PGDIR) or, when run by plain
# `make check`, one started here and removed afterwards, also on failure.
# The test sees PGHOST, PGPORT, PGUSER (superuser gb_admin) and PGDATABASE.
set -u
name=$(basename "$1")
case $name in
db_*|e2e_*) ;;
*) exec "$@" ;;
esac

: "${top_srcdir:=$(cd "$(dirname "$0")/.." && pwd)}"
pgcluster="$top_srcdir/contrib/pgcluster.sh"
own=
cleanup() {
	[ -n "${db:-}" ] && [ -z "${GB_KEEP_DB:-}" ] &&
		dropdb --if-exists "$db" >/dev/null 2>&1
	[ -n "$own" ] && "$pgcluster" destroy "$own"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

bail() { echo "Bail out! $*"; exit 99; }

if [ -n "${GB_TEST_PGDIR:-}" ]; then
	dir=$GB_TEST_PGDIR
else
	own=$(mktemp -d "${TMPDIR:-/tmp}/gbtest.XXXXXX")
	dir=$own
	"$pgcluster" start "$dir" --auth trust --fast >&2 || bail "could not start PostgreSQL"
fi
eval "$("$pgcluster" env "$dir")"
export PGHOST PGPORT
export PGUSER=gb_admin
unset PGDATABASE PGSERVICE PGOPTIONS

db=$(printf 't_%s_%s' "$name" "$$" | tr -c 'a-zA-Z0-9_\n' '_' | tr 'A-Z' 'a-z')
(
	flock 9
	if ! psql -XAtq -d postgres -c "SELECT 1 FROM pg_database WHERE datname = 'gb_template'" | grep -q 1; then
		createdb gb_template || exit 1
		"${GUANBIAO:-$top_builddir/src/guanbiao}" -d dbname=gb_template admin migrate >&2 ||
			{ dropdb gb_template; exit 1; }
	fi
	createdb -T gb_template "$db"
) 9>>"$dir/template.lock" || bail "could not prepare the test database (migrations failed?)"
export PGDATABASE=$db
"$@"
