#!/usr/bin/env bash
# The sample's evaluations (018): `admin sample` loads the shipped sample
# indicator table when the year has none and scores every case that reached
# self-assessment or acceptance, leaf by leaf, within each leaf's maximum,
# the case's score the sum of its leaves and on the right side of the
# year's pass score; the same seed gives the same scores.
. "$top_srcdir/tests/tap.sh"
set -u
q() { psql -XAtq -v ON_ERROR_STOP=1 "$@"; }

out=$("$GUANBIAO" admin sample --enterprises 500 --seed 7 2>&1)
ok $? "admin sample runs"
like "$out" '已载入样例指标体系（编号 [0-9]+，样例）' "it loads the sample indicator table"
is "$(q -c "SELECT v.is_sample || ' ' || v.total_score || ' ' || (SELECT count(*) FROM gb.indicator i WHERE i.version_id = v.id AND i.level = 3)
	FROM gb.programme_year p JOIN gb.indicator_version v ON v.id = p.indicator_version_id WHERE p.year = 2020")" \
	"true 1000.00 55" "2020 has the sample version (marked as a sample, 1000 points, 55 leaves)"
is "$(q -c "SELECT count(*) FROM gb.programme_year WHERE indicator_version_id IS NULL")" 0 \
	"the sample years before 2020 have a version too"

# Which cases must have an evaluation, and with acceptance scores or not.
self_only="(c.state = 'acceptance_requested' OR (c.state = 'implementing' AND c.internal_evaluation_done))"
accepted="c.state IN ('rectifying', 'passed', 'failed')"
for st in implementing acceptance_requested rectifying passed failed; do
	like "$(q -c "SELECT count(*) FROM gb.gb_case c JOIN gb.evaluation v ON v.gb_case_id = c.id WHERE c.state = '$st'")" \
		'^[1-9]' "some $st 贯标 cases are scored"
done
is "$(q -c "SELECT count(*) FROM gb.gb_case c JOIN gb.programme_year p ON p.year = c.year
	WHERE ($self_only OR $accepted) AND NOT EXISTS (SELECT 1 FROM gb.evaluation v
	WHERE v.gb_case_id = c.id AND v.indicator_version_id = p.indicator_version_id)")" 0 \
	"every 贯标 case from self-assessment on has an evaluation on its year's version"
is "$(q -c "SELECT count(*) FROM gb.gb_case c JOIN gb.evaluation v ON v.gb_case_id = c.id
	WHERE NOT ($self_only OR $accepted)")" 0 "no 贯标 case before self-assessment has one"
is "$(q -c "SELECT count(*) FROM gb.demo_case d JOIN gb.programme_year p ON p.year = d.year
	WHERE d.evaluated_on IS NOT NULL AND NOT EXISTS (SELECT 1 FROM gb.evaluation v
	WHERE v.demo_case_id = d.id AND v.indicator_version_id = p.indicator_version_id)")" 0 \
	"every evaluated 示范 case has an evaluation on its year's version"
like "$(q -c "SELECT count(*) FROM gb.evaluation WHERE demo_case_id IS NOT NULL")" '^[1-9]' "some 示范 cases are scored"

# Per leaf: self scores on every leaf; acceptance scores on every leaf
# exactly from acceptance on.
leaves="SELECT v.id, c.state, c.internal_evaluation_done, count(i.id) AS leaves, count(s.self_score) AS self,
	count(s.acceptance_score) AS acc
	FROM gb.evaluation v JOIN gb.gb_case c ON c.id = v.gb_case_id
	JOIN gb.indicator i ON i.version_id = v.indicator_version_id AND i.level = 3
	LEFT JOIN gb.evaluation_score s ON s.evaluation_id = v.id AND s.indicator_id = i.id GROUP BY v.id, c.state, c.internal_evaluation_done"
is "$(q -c "SELECT count(*) FROM ($leaves) x WHERE x.self <> x.leaves")" 0 "every leaf has a self score"
is "$(q -c "SELECT count(*) FROM ($leaves) x WHERE x.acc <> CASE WHEN x.state IN ('rectifying', 'passed', 'failed') THEN x.leaves ELSE 0 END")" 0 \
	"acceptance scores on every leaf once accepted, none before"
is "$(q -c "SELECT count(*) FROM gb.evaluation_score s JOIN gb.indicator i ON i.id = s.indicator_id
	JOIN gb.evaluation v ON v.id = s.evaluation_id
	WHERE i.level <> 3 OR i.version_id <> v.indicator_version_id
	   OR s.self_score NOT BETWEEN 0 AND i.max_score OR s.acceptance_score NOT BETWEEN 0 AND i.max_score")" 0 \
	"every score is on a leaf of the evaluation's version, within the leaf's maximum"
like "$(q -c "SELECT count(*) FROM gb.evaluation_score s JOIN gb.indicator i ON i.id = s.indicator_id
	WHERE s.acceptance_score = i.max_score")" '^[1-9]' "some leaves get full marks"
# The database's own check (the evaluation_score trigger) accepts every row.
q -c "UPDATE gb.evaluation_score SET self_score = self_score" >/dev/null
ok $? "the score trigger accepts every generated score"

# Case scores: the leaves' sum, against the pass lines.
is "$(q -c "SELECT count(*) FROM gb.gb_case c WHERE $accepted
	AND c.acceptance_score IS DISTINCT FROM (SELECT sum(s.acceptance_score) FROM gb.evaluation v
	JOIN gb.evaluation_score s ON s.evaluation_id = v.id WHERE v.gb_case_id = c.id)")" 0 \
	"each accepted 贯标 case's score is the sum of its leaf acceptance scores"
is "$(q -c "SELECT count(*) FROM gb.gb_case c WHERE NOT $accepted AND c.acceptance_score IS NOT NULL")" 0 \
	"no score before acceptance"
is "$(q -c "SELECT count(*) FROM gb.gb_case c JOIN gb.programme_year p ON p.year = c.year
	WHERE $accepted AND (c.state = 'passed') <> (c.acceptance_score >= p.gb_pass_score)")" 0 \
	"passed exactly when the score reaches the year's 贯标 pass score"
is "$(q -c "SELECT count(*) FROM gb.demo_case d WHERE d.evaluated_on IS NOT NULL
	AND d.evaluation_score IS DISTINCT FROM (SELECT sum(s.acceptance_score) FROM gb.evaluation v
	JOIN gb.evaluation_score s ON s.evaluation_id = v.id WHERE v.demo_case_id = d.id)")" 0 \
	"each evaluated 示范 case's score is the sum of its leaves"
is "$(q -c "SELECT count(*) FROM gb.demo_case d JOIN gb.programme_year p ON p.year = d.year
	WHERE d.evaluated_on IS NOT NULL AND d.evaluation_score < p.demo_pass_score")" 0 \
	"evaluated 示范 cases (all went on to publicity) reach the 示范 pass score"
is "$(q -c "SELECT count(*) FROM gb.gb_case c WHERE $accepted
	AND c.acceptance_score IS DISTINCT FROM gb.evaluation_total('gb', c.id, NULL)")" 0 \
	"the database's own total (gb.evaluation_total) agrees"
like "$(q -c "SELECT count(*) FROM gb.evaluation_score WHERE acceptance_finding ~ '^[一-龥，]+$'")" '^[1-9]' \
	"some acceptance findings, in Chinese"
like "$(q -c "SELECT count(*) FROM gb.evaluation_score WHERE self_finding ~ '^[一-龥，]+$'")" '^[1-9]' \
	"some self-assessment findings, in Chinese"
like "$(q -c "SELECT gb.score_summary('gb', min(id)) FROM gb.gb_case WHERE state = 'passed'")" \
	'^满分 1000  自评 [0-9]+（55/55 项）  验收 [0-9]+（55/55 项）$' "the client's score line shows both scores"

# Determinism: the same seed in a fresh database gives the same scores.
scores="SELECT count(*) || ' ' || md5(string_agg(concat_ws('/', k.enterprise_id, k.year, i.code, s.self_score,
	s.acceptance_score, s.self_finding, s.acceptance_finding), ',' ORDER BY k.enterprise_id, k.year, k.level, i.code))
	FROM gb.evaluation v
	JOIN (SELECT id AS gb_id, NULL::bigint AS demo_id, enterprise_id, year, '' AS level FROM gb.gb_case
	      UNION ALL SELECT NULL, id, enterprise_id, year, level FROM gb.demo_case) k
	  ON k.gb_id = v.gb_case_id OR k.demo_id = v.demo_case_id
	JOIN gb.evaluation_score s ON s.evaluation_id = v.id JOIN gb.indicator i ON i.id = s.indicator_id"
other="${PGDATABASE}_b"
createdb "$other" && "$GUANBIAO" -d "dbname=$other" admin migrate >/dev/null &&
	"$GUANBIAO" -d "dbname=$other" admin sample --enterprises 500 --seed 7 >/dev/null
ok $? "the same sample in a second database"
like "$(q -c "$scores")" '^[1-9][0-9]{3,} [0-9a-f]{32}$' "the sample has thousands of leaf scores"
is "$(q -d "$other" -c "$scores")" "$(q -c "$scores")" "same seed, same scores and findings"
dropdb "$other"

# A second run adds enterprises but no second indicator version.
out=$("$GUANBIAO" admin sample --enterprises 20 --seed 8 2>&1)
ok $? "a second run"
is "$(q -c "SELECT count(*) FROM gb.indicator_version")" 1 "it loads no second version"

# A year that has its own version keeps it: nothing loaded, cases scored on it.
own="${PGDATABASE}_c"
createdb "$own" && "$GUANBIAO" -d "dbname=$own" admin migrate >/dev/null &&
	"$GUANBIAO" -d "dbname=$own" admin programme load-2020 >/dev/null &&
	"$GUANBIAO" -d "dbname=$own" admin indicators load "$top_srcdir/contrib/indicators-sample.csv" --version 2020正式 >/dev/null &&
	q -d "$own" -c "UPDATE gb.programme_year SET indicator_version_id = (SELECT id FROM gb.indicator_version WHERE name = '2020正式')"
ok $? "a database whose 2020 has its own version"
out=$("$GUANBIAO" -d "dbname=$own" admin sample --enterprises 300 --seed 3 2>&1)
ok $? "sample runs there"
ok $(printf '%s' "$out" | grep -q '样例指标体系'; echo $((! $?))) "and loads no sample table"
is "$(q -d "$own" -c "SELECT count(DISTINCT v.indicator_version_id) || ' ' || bool_and(iv.name = '2020正式')
	FROM gb.evaluation v JOIN gb.indicator_version iv ON iv.id = v.indicator_version_id")" "1 true" \
	"its cases are scored on the year's own version"
dropdb "$own"

# Installed: the table beside the migrations.  Missing: named, nothing made.
inst=$(mktemp -d)
ln -s "$top_srcdir"/sql/[0-9][0-9][0-9]_*.sql "$inst/" && ln -s "$top_srcdir/contrib/indicators-sample.csv" "$inst/"
for d in d e; do createdb "${PGDATABASE}_$d" && GUANBIAO_SQLDIR=$inst "$GUANBIAO" -d "dbname=${PGDATABASE}_$d" admin migrate >/dev/null; done
out=$(GUANBIAO_SQLDIR=$inst "$GUANBIAO" -d "dbname=${PGDATABASE}_d" admin sample --enterprises 200 --seed 5 2>&1)
ok $? "sample finds the table installed beside the migrations"
like "$out" '已载入样例指标体系' "and loads it"
rm "$inst/indicators-sample.csv"
out=$(GUANBIAO_SQLDIR=$inst "$GUANBIAO" -d "dbname=${PGDATABASE}_e" admin sample --enterprises 200 --seed 5 2>&1)
ok $((! $?)) "without the table, sample fails"
like "$out" "无法打开 $inst/indicators-sample\.csv" "naming the file it looked for"
is "$(q -d "${PGDATABASE}_e" -c "SELECT (SELECT count(*) FROM gb.enterprise) + (SELECT count(*) FROM gb.indicator_version)")" 0 \
	"and creates nothing"
dropdb "${PGDATABASE}_d"; dropdb "${PGDATABASE}_e"; rm -rf "$inst"
done_testing
