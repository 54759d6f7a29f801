#!/usr/bin/env bash
# An UPDATE that changes nothing (every column equal apart from version,
# updated_at, updated_by) keeps the version and the stamps, writes no
# history row and notifies nobody (014), on every history-tracked table;
# a real change still does all three.
. "$top_srcdir/tests/tap.sh"
set -u
. "$top_srcdir/tests/sql/fixture.sh"
fixture
hcount() { q -c "SELECT count(*) FROM gb.history"; }

# A row in every tracked table.
q >/dev/null <<'EOF'
SELECT public.t_gb_ready(public.t_enterprise(1));
SELECT public.t_demo_ready(public.t_enterprise(2), 'suzhou');
INSERT INTO gb.agency_staff (agency_id, name) SELECT id, '王五' FROM gb.agency;
INSERT INTO gb.visit (contract_id, enterprise_id, visited_on, summary) SELECT id, enterprise_id, current_date, '上门' FROM gb.contract;
INSERT INTO gb.demo_event (demo_case_id, kind, occurred_on) SELECT id, 'finding', current_date FROM gb.demo_case;
INSERT INTO gb.reward (enterprise_id, programme, year, amount_wan) SELECT enterprise_id, 'gb', 2020, 5 FROM gb.gb_case LIMIT 1;
INSERT INTO gb.indicator_version (name, total_score) VALUES ('测试', 10);
INSERT INTO gb.indicator (version_id, code, parent_code, level, title, max_score, sort_order)
SELECT v.id, x.code, x.parent, x.level, x.code, 10, x.n FROM gb.indicator_version v,
	(VALUES ('1', NULL, 1, 1), ('1.1', '1', 2, 2), ('1.1.1', '1.1', 3, 3)) x(code, parent, level, n);
INSERT INTO gb.evaluation (gb_case_id, indicator_version_id) SELECT min(c.id), min(v.id) FROM gb.gb_case c, gb.indicator_version v;
INSERT INTO gb.evaluation_score (evaluation_id, indicator_id, self_score)
SELECT e.id, i.id, 5 FROM gb.evaluation e, gb.indicator i WHERE i.level = 3;
EOF
ok $? "fixture: a row in every tracked table"

# The tables whose changes are recorded (history triggers), and for each a
# column an UPDATE can set to itself.
tables=$(q -c "SELECT DISTINCT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
	JOIN pg_proc p ON p.oid = t.tgfoid JOIN pg_namespace n ON n.oid = c.relnamespace
	WHERE n.nspname = 'gb' AND p.proname IN ('tg_history', 'tg_enterprise_history') ORDER BY 1")
is "$(echo $tables | wc -w)" 21 "21 tracked tables"
col() { q -c "SELECT attname FROM pg_attribute WHERE attrelid = 'gb.$1'::regclass AND attnum > 0 AND NOT attisdropped
	AND attidentity = '' AND attgenerated = '' AND attname NOT IN ('version', 'updated_at', 'updated_by') ORDER BY attnum LIMIT 1"; }
rows() { q -c "SELECT md5(string_agg(to_jsonb(x)::text, '|' ORDER BY to_jsonb(x)::text)) FROM gb.$1 x"; }
bad=
for t in $tables; do
	c=$(col "$t")
	[ "$(q -c "SELECT count(*) FROM gb.$t")" -gt 0 ] || { bad="$bad $t:empty"; continue; }
	before=$(rows "$t") n0=$(hcount)
	out=$(psql -XAtq 2>&1 <<EOF
LISTEN gb_change;
UPDATE gb.$t SET $c = $c WHERE true;
SELECT 'done';
EOF
)
	[ "$(rows "$t")" = "$before" ] || bad="$bad $t:row"
	[ "$(hcount)" = "$n0" ] || bad="$bad $t:history"
	case $out in *Asynchronous*) bad="$bad $t:notified" ;; esac
	[ "$out" = done ] || bad="$bad $t:($out)"
done
is "$bad" "" "setting a column to itself on every row of every tracked table keeps every row as it was (version, stamps), writes no history, notifies nobody"

# A real change on the same tables still counts.
e=$(q -c "SELECT min(id) FROM gb.enterprise")
v=$(q -c "SELECT version FROM gb.enterprise WHERE id = $e")
is "$(as "$city" "UPDATE gb.enterprise SET contact_name = contact_name WHERE id = $e AND version = $v RETURNING version")" "$v" \
	"a compare-and-set that changes nothing finds its row and keeps the version"
n0=$(hcount)
is "$(as "$city" "UPDATE gb.enterprise SET contact_name = '新联系人' WHERE id = $e AND version = $v RETURNING version")" "$((v + 1))" \
	"a real change bumps the version"
is "$(( $(hcount) - n0 ))" 1 "and writes one history row"
m=$(q -c "SELECT min(id) FROM gb.material")
n0=$(hcount)
mv=$(q -c "SELECT version FROM gb.material WHERE id = $m")
stamp=$(q -c "SELECT updated_at || updated_by FROM gb.material WHERE id = $m")
is "$(as "$agen" "UPDATE gb.material SET ref = ref, updated_at = now() + interval '1 day', version = 99 WHERE id = $m RETURNING version || ' ' || updated_at || updated_by")" \
	"$mv $stamp" "an officer's update that only sends version and stamps changes nothing"
out=$(psql -XAtq 2>&1 <<EOF
LISTEN gb_change;
SET SESSION AUTHORIZATION "$city";
UPDATE gb.material SET ref = 'R-1' WHERE id = $m;
UPDATE gb.material SET ref = 'R-1' WHERE id = $m;
SELECT 'done';
EOF
)
is "$(printf '%s\n' "$out" | grep -c 'Asynchronous notification "gb_change" with payload "{"table" : "material", "id" : '"$m"', "version" : '"$((mv + 1))"'}"')" 1 \
	"a change then the same update again: one notification, for the new version"
is "$(( $(hcount) - n0 )) $(q -c "SELECT version FROM gb.material WHERE id = $m")" "1 $((mv + 1))" "one history row, one version step"

# gb.enterprise writes history set-based (012): a statement over many rows
# records and announces only those it changed.
q -c "INSERT INTO gb.enterprise (uscc, name, district_id) SELECT gb.sample_uscc(9000 + g), '批量' || g, 1 FROM generate_series(1, 3) g" >/dev/null
n0=$(hcount)
out=$(psql -XAtq 2>&1 <<'EOF'
LISTEN gb_change;
UPDATE gb.enterprise SET name = name WHERE name LIKE '批量%';
SELECT 'none';
UPDATE gb.enterprise SET main_products = CASE WHEN name = '批量1' THEN '钢材' ELSE main_products END WHERE name LIKE '批量%';
SELECT 'one';
UPDATE gb.enterprise SET main_products = '布' WHERE name IN ('批量2', '批量3', '批量1') AND main_products IS NULL;
SELECT 'two';
EOF
)
one=$(q -c "SELECT id || ', \"version\" : ' || version FROM gb.enterprise WHERE name = '批量1'")
is "$(printf '%s\n' "$out" | tr '\n' ' ' | sed 's/Asynchronous notification "gb_change" with payload "\({[^}]*}\)" received from server process with PID [0-9]*\./\1/g')" \
	"none {\"table\" : \"enterprise\", \"id\" : $one} one {\"table\" : \"enterprise\", \"bulk\" : true, \"count\" : 2} two " \
	"enterprise: no row changed, no notification; one changed of three, its id; two, a bulk notice of 2"
is "$(( $(hcount) - n0 ))" 3 "and one history row per changed row"
is "$(q -c "SELECT string_agg(version::text, ' ' ORDER BY name) FROM gb.enterprise WHERE name LIKE '批量%'")" "2 2 2" \
	"each changed row stepped once, the unchanged ones not"
done_testing
