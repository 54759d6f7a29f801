#!/usr/bin/env bash
# The sample generator: deterministic for a seed, valid USCCs, quotas
# respected, every state present, and each case's history one legal chain
# ending in its stored state.
. "$top_srcdir/tests/tap.sh"
set -u
q() { psql -XAtq -v ON_ERROR_STOP=1 "$@"; }

out=$("$GUANBIAO" admin sample --enterprises 1500 --seed 7 2>&1)
ok $? "admin sample runs"
like "$out" '已生成 1500 家企业' "reports what it made"
like "$out" '用时 [0-9.]+ 秒' "reports how long it took"

# Same seed in a second, fresh database: the same enterprises.
other="${PGDATABASE}_b"
createdb "$other" && "$GUANBIAO" -d "dbname=$other" admin migrate >/dev/null &&
	"$GUANBIAO" -d "dbname=$other" admin sample --enterprises 1500 --seed 7 >/dev/null
ok $? "sample in a second database"
digest="SELECT md5(string_agg(uscc || name || district_id || coalesce(contact_phone, ''), ',' ORDER BY id)) FROM gb.enterprise"
cases="SELECT count(*) || ' ' || md5(string_agg(concat_ws('/', enterprise_id, year, state, applied_on), ',' ORDER BY enterprise_id, year)) FROM gb.gb_case"
is "$(q -c "$digest")" "$(q -d "$other" -c "$digest")" "same seed, same enterprises"
like "$(q -c "$cases")" '^[1-9][0-9]+ [0-9a-f]{32}$' "the sample has cases"
is "$(q -c "$cases")" "$(q -d "$other" -c "$cases")" "same seed, same cases"
dropdb "$other"
"$GUANBIAO" admin sample --enterprises 50 --seed 8 >/dev/null
ok $? "a second run adds to the first"
is "$(q -c "SELECT count(*) FROM gb.enterprise")" 1550 "enterprise count after two runs"
is "$(q -c "SELECT count(DISTINCT uscc) FROM gb.enterprise")" 1550 "USCCs stay unique across runs"

is "$(q -c "SELECT count(*) FROM gb.enterprise WHERE NOT gb.uscc_valid(uscc) OR uscc !~ '^91320583'")" 0 \
	"every USCC is a valid Kunshan code"
like "$(q -c "SELECT count(*) FROM gb.enterprise WHERE name LIKE '%（%）%'")" '^[1-9]' "some names have fullwidth brackets"
like "$(q -c "SELECT count(*) FROM gb.enterprise WHERE length(name) >= 18")" '^[1-9]' "some names are long"
is "$(q -c "SELECT count(*) FROM gb.programme_year WHERE year = 2020 AND doc_no = '昆信用办〔2020〕4号'")" 1 \
	"the 2020 programme was loaded first"
is "$(q -c "SELECT sum(quota_gb) FROM gb.district_year WHERE year = 2020")" 66 "2020 quotas total 66"

is "$(q -c "SELECT string_agg(code, ',' ORDER BY code) FROM gb.wf_state s WHERE kind = 'gb'
	AND NOT EXISTS (SELECT 1 FROM gb.gb_case c WHERE c.state = s.code)")" "" "every 贯标 state occurs"
is "$(q -c "SELECT string_agg(code, ',' ORDER BY code) FROM gb.wf_state s WHERE kind = 'demo'
	AND NOT EXISTS (SELECT 1 FROM gb.demo_case c WHERE c.state = s.code)")" "" "every 示范 state occurs"
is "$(q -c "SELECT count(*) FROM gb.district_year q WHERE q.quota_gb < (SELECT count(*) FROM gb.gb_case c
	JOIN gb.enterprise e ON e.id = c.enterprise_id WHERE e.district_id = q.district_id AND c.year = q.year
	AND c.enrolled_on IS NOT NULL AND c.state <> 'withdrawn')")" 0 "no district over its 贯标 quota"
is "$(q -c "SELECT count(*) FROM gb.programme_year p WHERE p.demo_suzhou_quota < (SELECT count(*) FROM gb.demo_case d
	WHERE d.year = p.year AND d.level = 'suzhou' AND d.recommended_on IS NOT NULL AND d.state <> 'withdrawn')")" 0 \
	"no year over its Suzhou 示范 quota"
is "$(q -c "SELECT count(*) FROM gb.demo_case d WHERE d.level = 'suzhou' AND NOT EXISTS (SELECT 1 FROM gb.gb_case c
	WHERE c.enterprise_id = d.enterprise_id AND c.state = 'passed' AND c.passed_on + interval '1 year' <= d.nominated_on)")" 0 \
	"Suzhou 示范 only a year or more after passing 贯标"
is "$(q -c "SELECT count(*) FROM gb.demo_case d WHERE d.level = 'province' AND NOT EXISTS (SELECT 1 FROM gb.demo_case s
	WHERE s.enterprise_id = d.enterprise_id AND s.level = 'suzhou' AND s.state = 'designated'
	AND extract(year FROM s.designated_on) <= d.year - 2)")" 0 "provincial only for Suzhou designations two years back"
is "$(q -c "SELECT count(*) FROM gb.gb_case c WHERE c.state IN ('acceptance_requested', 'passed', 'failed', 'rectifying')
	AND (SELECT count(*) FROM gb.training t WHERE t.gb_case_id = c.id) < 2")" 0 "cases past acceptance had two trainings"

# History: per case, steps 1..n, each a legal transition from the previous
# state, the last one the stored state and version.
chain="WITH h AS (SELECT table_name, record_id, action, from_state, to_state, (after->>'version')::int AS v,
	row_number() OVER (PARTITION BY table_name, record_id ORDER BY at, id) AS n,
	lag(to_state) OVER (PARTITION BY table_name, record_id ORDER BY at, id) AS prev
	FROM gb.history WHERE table_name IN ('gb_case', 'demo_case'))
SELECT count(*) FROM h WHERE v <> n OR from_state IS DISTINCT FROM prev
	OR (n > 1 AND NOT EXISTS (SELECT 1 FROM gb.wf_transition t WHERE t.kind = CASE h.table_name WHEN 'gb_case' THEN 'gb' ELSE 'demo' END
		AND t.from_state = h.from_state AND t.action = h.action AND t.to_state = h.to_state))"
is "$(q -c "$chain")" 0 "every history step is a legal transition in order"
is "$(q -c "SELECT count(*) FROM gb.gb_case c WHERE c.state || '/' || c.version IS DISTINCT FROM (SELECT h.to_state || '/' || (h.after->>'version')
	FROM gb.history h WHERE h.table_name = 'gb_case' AND h.record_id = c.id ORDER BY h.at DESC, h.id DESC LIMIT 1)")" 0 \
	"each 贯标 case's last history row is its stored state and version"
is "$(q -c "SELECT count(*) FROM gb.demo_case c WHERE c.state || '/' || c.version IS DISTINCT FROM (SELECT h.to_state || '/' || (h.after->>'version')
	FROM gb.history h WHERE h.table_name = 'demo_case' AND h.record_id = c.id ORDER BY h.at DESC, h.id DESC LIMIT 1)")" 0 \
	"each 示范 case's last history row is its stored state and version"

out=$("$GUANBIAO" admin sample --enterprises 0 2>&1)
ok $((! $?)) "sample refuses 0 enterprises"
done_testing
