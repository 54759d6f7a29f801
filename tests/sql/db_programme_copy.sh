#!/usr/bin/env bash
# `admin programme copy FROM --to YEAR` (same parameters, quotas and
# contacts, the calendar shifted by whole years, its own document number
# marked as copied, all or nothing) and `admin sample --year YEAR` (a few
# dozen cases in the early states, within quotas, each with its history).
. "$top_srcdir/tests/tap.sh"
set -u
q() { psql -XAtq -v ON_ERROR_STOP=1 "$@"; }

out=$("$GUANBIAO" admin programme copy 2020 --to 2026 2>&1)
ok $((! $?)) "copying a year that does not exist fails"
like "$out" '没有 2020 年度工作方案' "and says which"
"$GUANBIAO" admin sample --enterprises 400 --seed 11 >/dev/null
ok $? "sample (2020 and the years before)"
q -c "UPDATE gb.district_year SET head_name = '王主任', head_phone = '0512-57001234'
	WHERE year = 2020 AND district_id = (SELECT id FROM gb.district WHERE name = '张浦镇')"

out=$("$GUANBIAO" admin programme copy 2020 --to 2026 2>&1)
ok $? "programme copy 2020 --to 2026"
like "$out" '已将 2020 年度工作方案复制为 2026 年度.*11 个区镇名额，6 个时间节点' "reports what it copied"
# Every column but the year, document number, title and bookkeeping equal.
params="SELECT to_jsonb(p) - '{year,doc_no,title,version,updated_at,updated_by}'::text[] FROM gb.programme_year p WHERE year ="
is "$(q -c "$params 2026")" "$(q -c "$params 2020")" "same parameters, pass scores and indicator version"
like "$(q -c "SELECT indicator_version_id FROM gb.programme_year WHERE year = 2026")" '^[0-9]+$' "the indicator version comes along"
is "$(q -c "SELECT doc_no || '|' || title FROM gb.programme_year WHERE year = 2026")" \
	"待发文（复制自 昆信用办〔2020〕4号）|2026年昆山市企业信用管理贯标和示范创建工作方案" \
	"its own document number, marked as copied, and the title of its year"
is "$(q -c "SELECT count(*) FROM gb.deadline a JOIN gb.deadline b ON b.code = a.code AND b.year = 2026
	WHERE a.year = 2020 AND b.due_on = (a.due_on + interval '6 years')::date AND b.label = a.label
	AND to_char(b.due_on, 'MM-DD') = to_char(a.due_on, 'MM-DD')")" \
	"$(q -c "SELECT count(*) FROM gb.deadline WHERE year = 2020")" "every deadline moved by six whole years"
is "$(q -c "SELECT count(*) FROM gb.deadline WHERE year = 2026")" 6 "and no other deadline"
quotas="SELECT string_agg(concat_ws('/', district_id, quota_gb, quota_demo, head_name, head_phone), ',' ORDER BY district_id)
	FROM gb.district_year WHERE year ="
is "$(q -c "$quotas 2026")" "$(q -c "$quotas 2020")" "same quotas and district contacts"
is "$(q -c "SELECT count(*) FROM gb.district_year WHERE year = 2026 AND head_name = '王主任'")" 1 "contacts included"
is "$(q -c "SELECT count(*) FROM gb.history WHERE table_name = 'programme_year' AND record_id = 2026")" 1 \
	"the new year has its history row"

out=$("$GUANBIAO" admin programme copy 2020 --to 2026 2>&1)
ok $((! $?)) "copying onto an existing year fails"
like "$out" '2026 年度工作方案已存在，未改动' "and says so"
is "$(q -c "SELECT count(*) FROM gb.deadline WHERE year = 2026")" 6 "nothing was added"
out=$("$GUANBIAO" admin programme copy 2020 --to 1999 2>&1)
ok $((! $?)) "a year outside 2000-2100 is refused"
like "$out" 'programme copy 年度 --to 新年度' "with the usage"

# A leap day moves to 28 February.
q -c "INSERT INTO gb.deadline (year, code, label, due_on) VALUES (2020, 'leap', '闰日', '2020-02-29')"
"$GUANBIAO" admin programme copy 2020 --to 2021 >/dev/null
ok $? "copy to 2021"
is "$(q -c "SELECT due_on FROM gb.deadline WHERE year = 2021 AND code = 'leap'")" 2021-02-28 "29 February becomes the 28th"

# Early cases in the new year.
earlier="SELECT md5(string_agg(concat_ws('/', c.id, c.state, c.internal_evaluation_done, c.acceptance_score,
	(SELECT count(*) || ':' || sum(s.self_score) FROM gb.evaluation v JOIN gb.evaluation_score s ON s.evaluation_id = v.id
	 WHERE v.gb_case_id = c.id)), ',' ORDER BY c.id)) FROM gb.gb_case c WHERE c.year < 2026"
before=$(q -c "$earlier")
out=$("$GUANBIAO" admin sample --year 2026 --seed 3 2>&1)
ok $? "sample --year 2026"
like "$out" '已在 2026 年度生成 [0-9]+ 个早期阶段的贯标案件' "reports the cases"
like "$(q -c "SELECT count(*) FROM gb.gb_case WHERE year = 2026")" '^([2-9][0-9])$' "a few dozen cases"
is "$(q -c "SELECT string_agg(DISTINCT state, ',' ORDER BY state) FROM gb.gb_case WHERE year = 2026")" \
	"applied,draft,enrolled,implementing,returned,submitted" "in the early states, each of them"
is "$(q -c "SELECT count(*) FROM gb.district_year q WHERE q.year = 2026 AND q.quota_gb < (SELECT count(*) FROM gb.gb_case c
	JOIN gb.enterprise e ON e.id = c.enterprise_id WHERE e.district_id = q.district_id AND c.year = 2026
	AND c.enrolled_on IS NOT NULL)")" 0 "no district over its quota"
is "$(q -c "SELECT count(*) FROM gb.gb_case c WHERE c.year = 2026 AND (c.applied_on NOT BETWEEN '2026-01-01' AND '2026-12-31'
	OR c.state = 'draft' AND c.applied_on IS NOT NULL)")" 0 "dates in the year"
is "$(q -c "SELECT count(*) FROM gb.gb_case c WHERE c.year = 2026 AND c.state || '/' || c.version IS DISTINCT FROM
	(SELECT h.to_state || '/' || (h.after->>'version') FROM gb.history h WHERE h.table_name = 'gb_case' AND h.record_id = c.id
	 ORDER BY h.at DESC, h.id DESC LIMIT 1)")" 0 "each case's last history row is its state and version"
is "$(q -c "SELECT count(*) FROM gb.gb_case c WHERE c.year = 2026 AND EXISTS (SELECT 1 FROM gb.gb_case o
	WHERE o.enterprise_id = c.enterprise_id AND o.year < 2026 AND o.state NOT IN ('withdrawn', 'failed', 'returned'))")" 0 \
	"no enterprise that passed or is still in the programme"
# Self-assessment in the new year: only implementing cases with the
# internal evaluation done, every leaf, within its maximum, no acceptance.
like "$(q -c "SELECT count(*) FROM gb.evaluation v JOIN gb.gb_case c ON c.id = v.gb_case_id WHERE c.year = 2026")" '^[1-9]' \
	"some implementing cases have self-assessed"
is "$(q -c "SELECT count(*) FROM gb.gb_case c JOIN gb.programme_year p ON p.year = c.year WHERE c.year = 2026
	AND (c.state = 'implementing' AND c.internal_evaluation_done) IS DISTINCT FROM EXISTS (SELECT 1 FROM gb.evaluation v
	WHERE v.gb_case_id = c.id AND v.indicator_version_id = p.indicator_version_id)")" 0 \
	"exactly the implementing cases with the internal evaluation done, on the year's version"
is "$(q -c "SELECT count(*) FROM gb.evaluation v JOIN gb.gb_case c ON c.id = v.gb_case_id
	JOIN gb.indicator i ON i.version_id = v.indicator_version_id AND i.level = 3
	LEFT JOIN gb.evaluation_score s ON s.evaluation_id = v.id AND s.indicator_id = i.id
	WHERE c.year = 2026 AND (s.self_score IS NULL OR s.self_score > i.max_score OR s.acceptance_score IS NOT NULL)")" 0 \
	"a self score on every leaf, within its maximum, no acceptance score"
is "$(q -c "$earlier")" "$before" "earlier years' cases and scores are not touched"
is "$(q -c "SELECT count(*) FROM gb.gb_case c JOIN gb.enterprise e ON e.id = c.enterprise_id WHERE c.year = 2026
	AND (NOT e.above_scale OR NOT e.independent_legal_person OR e.established_on > '2023-01-01')")" 0 \
	"only eligible enterprises"
out=$("$GUANBIAO" admin sample --year 2026 --seed 3 2>&1)
ok $((! $?)) "a second run for the year is refused"
like "$out" '2026 年度已有贯标案件，未生成' "and says why"
out=$("$GUANBIAO" admin sample --year 2030 2>&1)
ok $((! $?)) "a year without a programme is refused"
like "$out" '没有 2030 年度工作方案' "naming it"
out=$("$GUANBIAO" admin sample --year 2026 --enterprises 5 2>&1)
ok $((! $?)) "--year and --enterprises together are refused"

# Deterministic: the same steps in a fresh database give the same cases.
other="${PGDATABASE}_b"
cases="SELECT md5(string_agg(concat_ws('/', c.enterprise_id, c.state, c.applied_on, c.enrolled_on,
	(SELECT string_agg(s.self_score::text, ',' ORDER BY s.indicator_id) FROM gb.evaluation v
	 JOIN gb.evaluation_score s ON s.evaluation_id = v.id WHERE v.gb_case_id = c.id)), ',' ORDER BY c.enterprise_id))
	FROM gb.gb_case c WHERE c.year = 2026"
createdb "$other" && "$GUANBIAO" -d "dbname=$other" admin migrate >/dev/null &&
	"$GUANBIAO" -d "dbname=$other" admin sample --enterprises 400 --seed 11 >/dev/null &&
	"$GUANBIAO" -d "dbname=$other" admin programme copy 2020 --to 2026 >/dev/null &&
	"$GUANBIAO" -d "dbname=$other" admin sample --year 2026 --seed 3 >/dev/null
ok $? "the same steps in a second database"
is "$(q -d "$other" -c "$cases")" "$(q -c "$cases")" "same seed, same cases and self scores"
dropdb "$other"
done_testing
