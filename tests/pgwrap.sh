#!/usr/bin/env bash
# The LOG_COMPILER of every test.  Tests named db_* or e2e_* get a fresh
# database (a copy of one with every migration applied) in a private
# PostgreSQL: the one check.sh started (GB_TEST_PGDIR) or, when run by plain
# `make check`, one started here and removed afterwards, also on failure.
# The test sees PGHOST, PGPORT, PGUSER (superuser gb_admin) and PGDATABASE.
#
# GB_TEST_VALGRIND=1 (contrib/valgrind.sh sets it): test programs (ELF files,
# not scripts) run under valgrind; a memory error or a definite leak makes
# valgrind exit 99 after the TAP lines, which the TAP driver reports as ERROR.
# Valgrind's report goes to stderr, i.e. the test's .log.  Shell tests get
# GB_VALGRIND_CMD, the same valgrind command line, to put unquoted in front
# of the programs they run:   $GB_VALGRIND_CMD "$GUANBIAO" lookup …
# It is empty when GB_TEST_VALGRIND is not set, so scripts can always use it.
set -u
name=$(basename "$1")
: "${top_srcdir:=$(cd "$(dirname "$0")/.." && pwd)}"

# System-library noise only in the suppressions; see tests/valgrind.supp.
GB_VALGRIND_CMD=
if [ -n "${GB_TEST_VALGRIND:-}" ]; then
	GB_VALGRIND_CMD="valgrind --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite --show-leak-kinds=definite --track-origins=yes --quiet --suppressions=$top_srcdir/tests/valgrind.supp"
fi
export GB_VALGRIND_CMD
# The ELF magic: a compiled test, not a script that valgrind would follow
# into its shell.
vg=
[ -n "$GB_VALGRIND_CMD" ] && [ "$(head -c 4 -- "$1" 2>/dev/null)" = "$(printf '\177ELF')" ] && vg=$GB_VALGRIND_CMD

case $name in
db_*|e2e_*) ;;
*) exec $vg "$@" ;;
esac

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
# The template is named after the migrations' contents, so a cluster kept
# between runs (GB_TEST_PGDIR) never serves a template built from older SQL;
# templates of other contents are dropped when a new one is made.
sqlsum=$(cat "${GUANBIAO_SQLDIR:-$top_srcdir/sql}"/*.sql | md5sum | cut -c1-12)
tpl=gb_template_$sqlsum
(
	flock 9
	if ! psql -XAtq -d postgres -c "SELECT 1 FROM pg_database WHERE datname = '$tpl'" | grep -q 1; then
		for old in $(psql -XAtq -d postgres -c "SELECT datname FROM pg_database WHERE datname LIKE 'gb\\_template%'"); do
			dropdb --if-exists "$old" >/dev/null 2>&1
		done
		createdb "$tpl" || exit 1
		"${GUANBIAO:-$top_builddir/src/guanbiao}" -d dbname="$tpl" admin migrate >&2 ||
			{ dropdb "$tpl"; exit 1; }
	fi
	createdb -T "$tpl" "$db"
) 9>>"$dir/template.lock" || bail "could not prepare the test database (migrations failed?)"
export PGDATABASE=$db
$vg "$@"
