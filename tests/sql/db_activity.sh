#!/usr/bin/env bash
# gb.v_activity paged newest first by time (014): ORDER BY at DESC, id DESC
# with keyset pages WHERE (at, id) < (last at, last id) returns every row
# the officer may see exactly once, in time order even where ids do not
# follow times, and the index on history (at, id) serves it under the row
# policies of city and district alike.
. "$top_srcdir/tests/tap.sh"
set -u
. "$top_srcdir/tests/sql/fixture.sh"
fixture

# 3,000 backdated history rows (ids against time, ties on time), half of
# them in 张浦镇, half in 周庄镇.
q >/dev/null <<'SQL'
INSERT INTO gb.history (at, login, table_name, record_id, action, note, district_id)
SELECT timestamptz '2020-01-01 08:00' + ((3000 - g) / 2) * interval '1 minute', 'gb_admin', 'enterprise', g, 'sample',
       '样例' || g, (SELECT id FROM gb.district WHERE name = CASE WHEN g % 2 = 0 THEN '张浦镇' ELSE '周庄镇' END)
FROM generate_series(1, 3000) g;
ANALYZE gb.history;
SQL
ok $? "fixture: backdated history"

# Page through as login, 100 rows at a time; print the ids in page order.
pages() {
	local login=$1 at= id= out all=
	while :; do
		if [ -z "$at" ]; then
			out=$(as_all "$login" "SELECT at || '|' || id FROM gb.v_activity ORDER BY at DESC, id DESC LIMIT 100")
		else
			out=$(as_all "$login" "SELECT at || '|' || id FROM gb.v_activity WHERE (at, id) < ('$at', $id) ORDER BY at DESC, id DESC LIMIT 100")
		fi
		[ -n "$out" ] || break
		all="$all$out"$'\n'
		at=$(printf '%s\n' "$out" | tail -1 | cut -d'|' -f1) id=$(printf '%s\n' "$out" | tail -1 | cut -d'|' -f2)
	done
	printf '%s' "$all" | cut -d'|' -f2
}
as_all() { psql -XAtq -v ON_ERROR_STOP=1 -c "SET SESSION AUTHORIZATION \"$1\"" -c "$2"; }
expect() { as_all "$1" "SELECT id FROM gb.v_activity ORDER BY at DESC, id DESC"; }

got=$(pages "$city")
is "$(printf '%s\n' "$got" | wc -l)" "$(as_all "$city" "SELECT count(*) FROM gb.v_activity")" "city: the pages hold every row"
is "$got" "$(expect "$city")" "in time order, newest first, id breaking ties, each once"
is "$(printf '%s\n' "$got" | head -3 | tr '\n' ' ')" "$(q -c "SELECT string_agg(id::text, ' ' ORDER BY at DESC, id DESC) FROM (SELECT id, at FROM gb.history ORDER BY at DESC, id DESC LIMIT 3) x") " \
	"starting with the latest changes (the officers just registered), not the highest ids"
got=$(pages "$dist")
is "$got" "$(expect "$dist")" "district: its own rows, paged the same way"
is "$(as_all "$dist" "SELECT count(*) FROM gb.v_activity WHERE action = 'sample'")" 1500 "(half of the sample rows)"

plan() { psql -XAtq -c "SET SESSION AUTHORIZATION \"$1\"" -c "EXPLAIN $2" | tr '\n' ' '; }
for who in "$city" "$dist"; do
	like "$(plan "$who" "SELECT * FROM gb.v_activity ORDER BY at DESC, id DESC LIMIT 100")" \
		'Index Scan Backward using history_at_id' "first page by the index on (at, id) ($who)"
	like "$(plan "$who" "SELECT * FROM gb.v_activity WHERE (at, id) < ('2020-01-01 20:00', 900) ORDER BY at DESC, id DESC LIMIT 100")" \
		'Index Scan Backward using history_at_id on history h .*Index Cond: \(ROW\(at, id\) < ROW' "next page: the keyset is the index condition ($who)"
done
done_testing
