#!/usr/bin/env bash
# Install what is missing, build, start (or reuse) a private PostgreSQL under
# $XDG_DATA_HOME/guanbiao, apply the schema, load the 2020 Kunshan programme
# and sample data (scored on the sample indicator table), copy the programme
# to the current year with a few dozen early cases, register you as a city
# officer, and open the client.
#   quickstart.sh [--no-client] [--enterprises N]
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
open_client=yes
enterprises=300
while [ $# -gt 0 ]; do
	case $1 in
	--no-client) open_client=no; shift ;;
	--enterprises) enterprises=$2; shift 2 ;;
	*) echo "usage: quickstart.sh [--no-client] [--enterprises N]" >&2; exit 2 ;;
	esac
done

"$top/contrib/deps.sh"
build="$top/_build/demo"
echo "quickstart: building in $build" >&2
"$top/contrib/build.sh" "$build"
gb="$build/src/guanbiao"
export GUANBIAO_SQLDIR="$top/sql"

data=${XDG_DATA_HOME:-$HOME/.local/share}/guanbiao
mkdir -p "$data"
cluster="$data/cluster"
if [ "$(id -u)" = 0 ] && [ ! -e "$cluster" ]; then
	# The server cannot run as root, and its user cannot enter /root: keep
	# the cluster in /var/lib and point to it from the data folder.
	mkdir -p /var/lib/guanbiao
	real=$(mktemp -d /var/lib/guanbiao/cluster.XXXXXX)
	ln -s "$real" "$cluster"
fi
me=$(id -un)
"$top/contrib/pgcluster.sh" start "$cluster" --auth peer --admin "$me"
eval "$("$top/contrib/pgcluster.sh" env "$cluster")"
export PGHOST PGPORT
unset PGUSER PGDATABASE PGSERVICE PGOPTIONS
{
	echo "export PGHOST=$PGHOST PGPORT=$PGPORT PGDATABASE=guanbiao"
	echo "export GUANBIAO_SQLDIR=$top/sql"
	echo "export PATH=$build/src:\$PATH"
} >"$data/env"

admin() { PGUSER=gb_admin "$gb" -d dbname=guanbiao "$@"; }
if ! PGUSER=gb_admin psql -XAtq -d postgres -c "SELECT 1 FROM pg_database WHERE datname = 'guanbiao'" | grep -q 1; then
	PGUSER=gb_admin createdb guanbiao
fi
admin admin migrate
if admin admin --help 2>/dev/null | grep -q '^  sample'; then
	if ! PGUSER=gb_admin psql -XAtq -d guanbiao -c "SELECT 1 FROM gb.programme_year LIMIT 1" 2>/dev/null | grep -q 1; then
		admin admin sample --enterprises "$enterprises" --seed 2020
	fi
fi
# A live year: this year's programme copied from 2020 (calendar moved,
# document number marked as copied) with a few dozen cases in the early
# states, so the client opens on the current year.
year=$(date +%Y)
if admin admin --help 2>/dev/null | grep -q 'copy 年度' &&
	PGUSER=gb_admin psql -XAtq -d guanbiao -c "SELECT 1 FROM gb.programme_year WHERE year = 2020" | grep -q 1 &&
	! PGUSER=gb_admin psql -XAtq -d guanbiao -c "SELECT 1 FROM gb.programme_year WHERE year = $year" | grep -q 1; then
	admin admin programme copy 2020 --to "$year"
	admin admin sample --year "$year" --seed 2020
fi
if admin admin --help 2>/dev/null | grep -q '^  officer'; then
	admin admin officer add "$me" --role city --name "${GB_OFFICER_NAME:-市信用办（$me）}" >/dev/null 2>&1 ||
		admin admin officer list | grep -q "$me" ||
		{ echo "quickstart: could not register $me as an officer" >&2; exit 1; }
fi

echo "quickstart: database ready ($PGHOST, port $PGPORT); 'source $data/env' to use it from a shell" >&2
if [ "$open_client" = yes ] && [ -t 0 ] && [ -t 1 ]; then
	export PGDATABASE=guanbiao
	exec "$gb"
fi
