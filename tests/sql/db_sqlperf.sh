#!/usr/bin/env bash
# The bulk-speed and search migrations (012, 013): the SQL USCC functions
# give the same results as the algorithm of 001 (DOMAIN.md examples and
# every single-character corruption); field checks still name the field;
# multi-row statements on gb.enterprise write exactly one history row per
# changed row and one bulk notification; gb.enterprise_search returns only
# what the caller may read, in (name, id) order, and only to officers.
. "$top_srcdir/tests/tap.sh"
set -u
db=$PGDATABASE
q() { psql -XAtq -v ON_ERROR_STOP=1 "$@"; }
as() {	# login sql: the result lines joined by spaces, or "SQLSTATE message"
	psql -XAtq -v VERBOSITY=verbose -c "SET SESSION AUTHORIZATION \"$1\"" -c "$2" 2>&1 |
		sed -E 's/^ERROR:  ([A-Z0-9]{5}): /\1 /' | grep -v '^\(LOCATION\|CONTEXT\|HINT\|DETAIL\|PL/pgSQL\)' | tr '\n' ' ' | sed 's/ $//'
}

city="${db}_c" dist="${db}_d" dist2="${db}_d2" agen="${db}_a" obs="${db}_o" nobody="${db}_n"
"$GUANBIAO" admin programme load-2020 >/dev/null &&
	q -c "INSERT INTO gb.agency (name) VALUES ('${db}机构')" &&
	"$GUANBIAO" admin officer add "$city" --role city --name 陈市 >/dev/null &&
	"$GUANBIAO" admin officer add "$dist" --role district --district 张浦镇 --name 张区 >/dev/null &&
	"$GUANBIAO" admin officer add "$dist2" --role district --district 周庄镇 --name 周区 >/dev/null &&
	"$GUANBIAO" admin officer add "$agen" --role agency --agency "${db}机构" --name 机构人 >/dev/null &&
	"$GUANBIAO" admin officer add "$obs" --role observer --name 观察 >/dev/null &&
	q -c "CREATE ROLE \"$nobody\" LOGIN"
ok $? "fixture: officers of every role, and a login that is not an officer"

# ---- USCC: the SQL functions against the loop of 001, on the examples and
# on every single-character corruption of one (each position, each
# character of the alphabet, lower case, I/O/S/Z, a CJK character), short
# and long codes.
q -c "CREATE FUNCTION public.ref_check(code text) RETURNS text LANGUAGE plpgsql AS \$\$
DECLARE
	alpha constant text := '0123456789ABCDEFGHJKLMNPQRTUWXY';
	w constant int[] := ARRAY[1,3,9,27,19,26,16,17,20,29,25,13,8,24,10,30,28];
	s int := 0; v int; u text := upper(code);
BEGIN
	IF length(u) < 17 THEN RETURN NULL; END IF;
	FOR i IN 1..17 LOOP
		v := strpos(alpha, substr(u, i, 1)) - 1;
		IF v < 0 THEN RETURN NULL; END IF;
		s := s + v * w[i];
	END LOOP;
	RETURN substr(alpha, (31 - s % 31) % 31 + 1, 1);
END \$\$;
CREATE TABLE public.codes AS
SELECT c FROM unnest(ARRAY['914403001922038216', '91350200776049653A', '91320583MA1PK2L0XJ',
	'91320583ma1pk2l0xj', '9144030019220382', '91440300192203821', '', '91320583MA1PK2L0XJ1']) c
UNION ALL
SELECT overlay('91320583MA1PK2L0XJ' PLACING ch FROM pos FOR 1)
FROM generate_series(1, 18) pos,
     unnest(string_to_array('0123456789ABCDEFGHJKLMNPQRTUWXYabcdefghjklmnpqrtuwxyIOSZiosz中 %', NULL)) ch" -c "" >/dev/null
ok $? "fixture: the reference algorithm and the codes"
is "$(q -c "SELECT count(*) FROM public.codes")" 1142 "1142 codes to compare (8 + 18 positions x 63 characters)"
is "$(q -c "SELECT count(*) FROM public.codes WHERE gb.uscc_check_char(c) IS DISTINCT FROM public.ref_check(c)")" 0 \
	"uscc_check_char gives the reference result for every code"
is "$(q -c "SELECT count(*) FROM public.codes WHERE gb.uscc_valid(c) IS DISTINCT FROM
	(length(c) = 18 AND public.ref_check(c) IS NOT DISTINCT FROM upper(substr(c, 18, 1)))")" 0 \
	"uscc_valid gives the reference result for every code"
is "$(q -c "SELECT count(*) FILTER (WHERE gb.uscc_valid(c)) FROM public.codes")" 29 \
	"valid: 3 examples, 1 in lower case, and the 25 substitutions by the same character (18) or its lower case (7 letters)"
is "$(q -c "SELECT gb.uscc_check_char('91350200776049653') || gb.uscc_check_char('91320583ma1pk2l0x')
	|| coalesce(gb.uscc_check_char(NULL), '-') || coalesce(gb.uscc_valid(NULL)::text, '-')")" "AJ--" \
	"check characters of DOMAIN.md examples; NULL in, NULL out"
is "$(q -c "SELECT provolatile::text || proparallel::text || l.lanname FROM pg_proc p JOIN pg_language l ON l.oid = p.prolang
	WHERE p.oid = 'gb.uscc_check_char(text)'::regprocedure")" "issql" "uscc_check_char is IMMUTABLE PARALLEL SAFE SQL"
plan=$(q -c "EXPLAIN (VERBOSE, COSTS OFF) SELECT gb.uscc_valid(uscc) FROM gb.enterprise")
like "$plan" 'ascii\(substr' "uscc_valid is inlined into a query (no function call per row)"

# ---- field checks still name the field; version stamped
zp=$(q -c "SELECT id FROM gb.district WHERE name = '张浦镇'")
zz=$(q -c "SELECT id FROM gb.district WHERE name = '周庄镇'")
like "$(as "$city" "INSERT INTO gb.enterprise (uscc, name, district_id) VALUES ('91320583MA1PK2L0XK', '甲', $zp)")" \
	'^GB006 统一社会信用代码.*J' "a bad check character: GB006 naming the field and the expected character"
like "$(as "$city" "INSERT INTO gb.enterprise (uscc, name, district_id, employees) VALUES ('91320583MA1PK2L0XJ', '甲', $zp, 0)")" \
	'^GB006 .*应大于 0（0）' "zero employees: GB006 naming the value"
is "$(as "$city" "INSERT INTO gb.enterprise (uscc, name, district_id, version) VALUES (' 91320583ma1pk2l0xj ', ' 甲公司 ', $zp, 7)
	RETURNING uscc, name, version, updated_by")" "91320583MA1PK2L0XJ|甲公司|1|$city" \
	"insert: USCC upper-cased and trimmed, name trimmed, version 1, who"
is "$(as "$city" "UPDATE gb.enterprise SET employees = 5, version = 99 WHERE uscc = '91320583MA1PK2L0XJ' RETURNING version")" 2 \
	"update: version + 1 whatever the writer sets"

# ---- history: one row per changed row, set-based; notifications
h0=$(q -c "SELECT coalesce(max(id), 0) FROM gb.history")
out=$(psql -XAq -d "$db" 2>&1 <<EOF
LISTEN gb_change;
SET SESSION AUTHORIZATION "$city";
INSERT INTO gb.enterprise (uscc, name, district_id, employees)
SELECT gb.sample_uscc(i), '批量' || i, CASE WHEN i % 2 = 0 THEN $zp ELSE $zz END, i
FROM generate_series(1, 50) i;
UPDATE gb.enterprise SET main_products = '产品' || employees WHERE name LIKE '批量%' AND employees <= 20;
UPDATE gb.enterprise SET contact_name = '无' WHERE false;
DELETE FROM gb.enterprise WHERE name LIKE '批量%' AND employees > 45;
EOF
)
is "$(q -c "SELECT string_agg(action || ':' || n, ' ' ORDER BY action) FROM (SELECT action, count(*) n FROM gb.history
	WHERE id > $h0 AND table_name = 'enterprise' GROUP BY action) s")" "delete:5 insert:50 update:20" \
	"history: one row per inserted, updated and deleted row, none for a statement changing nothing"
is "$(q -c "SELECT count(*) FROM (SELECT record_id, action FROM gb.history WHERE id > $h0
	GROUP BY record_id, action HAVING count(*) > 1) d")" 0 "no changed row has two history rows for one change"
is "$(q -c "SELECT count(*) FROM gb.history h JOIN gb.enterprise e ON e.id = h.record_id WHERE h.id > $h0
	AND h.action = 'update' AND (h.after->>'version')::int = e.version AND (h.before->>'version')::int = e.version - 1
	AND h.login = '$city' AND h.enterprise_id = e.id AND h.district_id = e.district_id
	AND h.before->>'main_products' IS NULL AND h.after->>'main_products' = '产品' || e.employees")" 20 \
	"update rows carry before and after values, versions, who, enterprise and district"
is "$(q -c "SELECT count(*) FROM gb.history WHERE id > $h0 AND action = 'delete' AND after IS NULL
	AND (before->>'employees')::int > 45 AND district_id IS NOT NULL")" 5 "delete rows carry the before values"
is "$(printf '%s\n' "$out" | grep -c 'Asynchronous notification')" 3 "one notification per changing statement"
like "$out" '"table" : "enterprise", "bulk" : true, "count" : 50' "a bulk insert notifies table, bulk and count"
like "$out" '"bulk" : true, "count" : 20' "so does a bulk update"
like "$out" '"bulk" : true, "count" : 5' "and a bulk delete"
one=$(q -c "SELECT id FROM gb.enterprise WHERE name = '批量2'")
out=$(psql -XAq -d "$db" -c "LISTEN gb_change" -c "SET SESSION AUTHORIZATION \"$city\"" \
	-c "UPDATE gb.enterprise SET contact_name = '乙' WHERE id = $one" 2>&1)
like "$out" "\\{\"table\" : \"enterprise\", \"id\" : $one, \"version\" : $(q -c "SELECT version FROM gb.enterprise WHERE id = $one")\\}" "a single-row change notifies table, id and version"
is "$(as "$city" "BEGIN; UPDATE gb.enterprise SET contact_name = '丙' WHERE name LIKE '批量%'; ROLLBACK;
	SELECT count(*) FROM gb.history WHERE id > $h0 AND after->>'contact_name' = '丙'")" "0" \
	"nothing for a rolled-back statement"

# ---- search: rights as the row policy, order, paging, callers
q -c "INSERT INTO gb.contract (agency_id, enterprise_id, kind, year, signed_on, starts_on)
	SELECT (SELECT id FROM gb.agency WHERE name = '${db}机构'), id, 'gb_consult', 2020, '2020-03-01', '2020-03-01'
	FROM gb.enterprise WHERE name IN ('批量3', '批量4')" >/dev/null
ok $? "fixture: the agency holds contracts with 批量3 (周庄镇) and 批量4 (张浦镇)"
srch() { as "$1" "SELECT string_agg(name, ',' ORDER BY n) FROM (SELECT name, row_number() OVER () n
	FROM gb.enterprise_search('$2', ${3:-NULL}, ${4:-NULL}, ${5:-100}, ${6:-false})) s"; }
viaview() { as "$1" "SELECT string_agg(name, ',' ORDER BY name, id) FROM gb.enterprise WHERE name ILIKE '%$2%'"; }
for who in city dist dist2 agen obs; do
	is "$(srch "${!who}" 批量)" "$(viaview "${!who}" 批量)" "search as $who: exactly the rows the policy shows, in (name, id) order"
done
like "$(srch "$dist" 批量)" '^批量10,批量12,' "a district finds its own enterprises"
is "$(srch "$dist" 批量 | tr ',' '\n' | grep -c '批量[0-9]*[13579]$')" 0 "and never another district's"
is "$(srch "$agen" 批量)" "批量3,批量4" "an agency only the enterprises it holds a contract with"
is "$(srch "$obs" 批量 | tr ',' '\n' | grep -c .)" 45 "the observer all 45"
is "$(srch "$city" 批量 "'批量3'" "$(q -c "SELECT id FROM gb.enterprise WHERE name = '批量3'")" 3)" "批量30,批量31,批量32" \
	"keyset paging after (name, id) with a limit"
is "$(srch "$city" 批量 "'批量3'" "$(q -c "SELECT id FROM gb.enterprise WHERE name = '批量3'")" 3 true)" "批量29,批量28,批量27" \
	"and backward, before (name, id), in descending order"
is "$(srch "$city" '91320583ma1pk2l0xj')" "甲公司" "a whole USCC finds its enterprise"
is "$(srch "$city" '%')" "" "% matches itself, not everything"
is "$(srch "$city" 产品1)" "批量1,批量10,批量11,批量12,批量13,批量14,批量15,批量16,批量17,批量18,批量19" "main products are searched too"
like "$(srch "$nobody" 批量)" '^42501 ' "a login that is not an officer may not call it"
like "$(q -c "SELECT has_function_privilege('public', 'gb.enterprise_search(text, text, bigint, int, boolean)', 'EXECUTE')")" '^f$' \
	"PUBLIC has no EXECUTE"
q -c "GRANT EXECUTE ON FUNCTION gb.enterprise_search(text, text, bigint, int, boolean) TO \"$nobody\"" &&
	like "$(srch "$nobody" 批量)" '^GB001 ' "granted anyway, a non-officer gets GB001 and no rows"
is "$(q -c "SELECT rolcanlogin::text || rolbypassrls::text || rolsuper::text FROM pg_roles WHERE rolname = 'gb_search'")" \
	"falsetruefalse" "gb_search: NOLOGIN, BYPASSRLS, not superuser"
is "$(q -c "SELECT count(*) FROM pg_auth_members m JOIN pg_roles r ON r.oid = m.roleid WHERE r.rolname = 'gb_search'")" 0 \
	"nobody is a member of gb_search"
is "$(q -c "SELECT string_agg(p.proname, ',') FROM pg_proc p WHERE p.proowner = 'gb_search'::regrole")" "enterprise_search" \
	"gb_search owns only enterprise_search"
like "$(q -c "SELECT count(*) FROM pg_policies WHERE tablename = 'enterprise' AND policyname = 'officer_read'
	AND qual LIKE '%enterprise_visible(%'")" '^1$' "the row policy and the search share gb.enterprise_visible"
done_testing
