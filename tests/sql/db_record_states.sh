#!/usr/bin/env bash
# What the client offers equals what the database lets through (sql/019):
# for every role, every record kind of gb.record_rights and every state of
# a 贯标 and a 示范 case, record_rights' yes/no is whether the write itself
# succeeds, tried as that officer inside a savepoint and rolled back.  The
# refusal names the case's state in Chinese.
. "$top_srcdir/tests/tap.sh"
. "$top_srcdir/tests/sql/fixture.sh"
set -u
fixture
"$GUANBIAO" admin indicators load "$top_srcdir/contrib/indicators-sample.csv" --version "样例$db" --sample \
	>/dev/null || { echo "Bail out! could not load the indicators"; exit 99; }
# One enterprise per case state (a 贯标 or a 示范 case), all in 张浦镇 and
# under a contract with 甲机构.
q >/dev/null <<SQL || { echo "Bail out! could not set up the data"; exit 99; }
UPDATE gb.programme_year SET indicator_version_id = (SELECT id FROM gb.indicator_version WHERE name = '样例$db');
CREATE TEMP TABLE s AS SELECT kind, code, row_number() OVER (ORDER BY kind DESC, sort_order) AS n
FROM gb.wf_state;
INSERT INTO gb.enterprise (uscc, name, district_id, industry, above_scale, established_on,
	independent_legal_person, employees)
SELECT u || gb.uscc_check_char(u), '状态' || s.kind || s.code || '企业',
	(SELECT id FROM gb.district WHERE name = '张浦镇'), '制造业', true, '2010-03-01', true, 100
FROM s CROSS JOIN LATERAL (SELECT '913205830000' || lpad(s.n::text, 5, '0') AS u) x;
INSERT INTO gb.contract (agency_id, enterprise_id, kind, year, signed_on, starts_on)
SELECT a.id, e.id, 'gb_consult', 2020, '2020-04-01', '2020-04-01' FROM gb.agency a, gb.enterprise e;
INSERT INTO gb.gb_case (enterprise_id, year, state, applied_on, submitted_on, enrolled_on, started_on,
	acceptance_requested_on, decided_on, passed_on)
SELECT e.id, 2020, s.code, '2020-03-01', '2020-03-02', '2020-03-03', '2020-04-02', '2020-06-01', '2020-07-01',
	CASE s.code WHEN 'passed' THEN date '2020-07-01' END
FROM s JOIN gb.enterprise e ON e.name = '状态' || s.kind || s.code || '企业' WHERE s.kind = 'gb';
INSERT INTO gb.demo_case (enterprise_id, level, year, state, nominated_on, designated_on)
SELECT e.id, 'suzhou', 2020, s.code, '2020-04-01', '2020-10-01'
FROM s JOIN gb.enterprise e ON e.name = '状态' || s.kind || s.code || '企业' WHERE s.kind = 'demo';
SQL
states=$(q -c "SELECT count(*) FROM gb.wf_state")
leaf=$(q -c "SELECT id FROM gb.indicator i JOIN gb.programme_year p ON p.indicator_version_id = i.version_id
	WHERE p.year = 2020 AND i.code = '1.1.1'")
# The cases under test: kind, case id, enterprise, state (as ARRAY rows).
cases=$(q -c "SELECT string_agg(format('(%L,%s,%s,%L)', k, id, eid, st), ',') FROM
	(SELECT 'gb' AS k, id, enterprise_id AS eid, state AS st FROM gb.gb_case WHERE year = 2020
	 UNION ALL SELECT 'demo', id, enterprise_id, state FROM gb.demo_case) x")
is "$(q -c "SELECT count(*) FROM (VALUES $cases) v")" "$states" "one case in each of the $states states"

# As login $1: for each case and record kind, "kind what ok_rights ok_write
# state" (the write tried in a block whose exception rolls it back).
matrix() {
	psql -XAtq -v ON_ERROR_STOP=1 <<SQL 2>&1 | sed -e 's/^NOTICE:  //' -e 't' -e 's/^/# /' 
SET SESSION AUTHORIZATION "$1";
DO \$\$
DECLARE
	c record;
	w text;
	granted boolean;
	wrote boolean;
BEGIN
	FOR c IN SELECT * FROM (VALUES $cases) v(k, id, eid, st) LOOP
		FOREACH w IN ARRAY ARRAY['score_self', 'score_acceptance', 'material', 'visit', 'credit_check',
					 'demo_event'] LOOP
			CONTINUE WHEN w = 'demo_event' AND c.k = 'gb';	-- a 贯标 case has no event to record
			SELECT r.ok INTO granted FROM gb.record_rights(c.eid) r WHERE r.what = w;
			BEGIN
				CASE w
				WHEN 'score_self', 'score_acceptance' THEN
					PERFORM gb.score_save(c.k, c.id, $leaf, NULL, substr(w, 7), 1, NULL);
				WHEN 'material' THEN
					PERFORM gb.material_save(c.k, c.id, CASE c.k WHEN 'gb' THEN 'other' ELSE 'cover' END,
								 NULL, 'received', NULL, NULL, NULL, NULL);
				WHEN 'visit' THEN
					PERFORM gb.visit_add(c.eid, current_date, '张三', '上门辅导');
				WHEN 'credit_check' THEN
					PERFORM gb.credit_check_add(c.eid, 'supervision', '江苏省公共信用信息中心',
								    current_date, NULL, false, NULL);
				WHEN 'demo_event' THEN
					PERFORM gb.demo_event_add(c.id, 'finding', current_date, NULL, NULL, NULL, NULL);
				END CASE;
				RAISE EXCEPTION USING ERRCODE = 'ZZ001';	-- written: undo it
			EXCEPTION WHEN SQLSTATE 'ZZ001' THEN
				wrote := true;
			WHEN OTHERS THEN
				wrote := false;
			END;
			RAISE NOTICE '% % % % %', c.k, w, granted, wrote, c.st;
		END LOOP;
	END LOOP;
END \$\$;
SQL
}

for who in city:$city district:$dist agency:$agen observer:$obs; do
	role=${who%%:*} login=${who#*:}
	m=$(matrix "$login")
	printf '%s\n' "$m" | grep '^#'	# anything but the matrix is a diagnostic
	m=$(printf '%s\n' "$m" | grep -v '^#')
	for w in score_self score_acceptance material visit credit_check demo_event; do
		rows=$(printf '%s\n' "$m" | awk -v w="$w" '$2 == w')
		n=$(printf '%s\n' "$rows" | grep -c .)
		bad=$(printf '%s\n' "$rows" | awk '$3 != $4 { printf "%s%s/%s(rights %s, write %s)", s, $1, $5, $3, $4; s = " " }')
		want=$states
		[ "$w" = demo_event ] && want=$(q -c "SELECT count(*) FROM gb.wf_state WHERE kind = 'demo'")
		is "$n ${bad:-agree}" "$want agree" "$role × $w: record_rights equals the write in every state"
	done
	eval "m_$role=\$m"
done

# The rule bites: who may record materials may do so only in the working
# states, and the write paths refuse the others.
yes_no() { printf '%s\n' "$1" | awk -v w="$2" '$2 == w { n[$4]++ } END { printf "%d yes %d no", n["t"], n["f"] }'; }
open=$(q -c "SELECT count(*) FROM gb.wf_state WHERE work_open")
is "$(yes_no "$m_city" material)" "$open yes $((states - open)) no" "city: materials in the $open working states only"
is "$(yes_no "$m_agency" material)" "$open yes $((states - open)) no" "agency: the same states"
is "$(yes_no "$m_district" material)" "$open yes $((states - open)) no" "district: the same states"
is "$(yes_no "$m_observer" material)" "0 yes $states no" "observer: never"
is "$(yes_no "$m_city" score_acceptance)" "$states yes 0 no" "scores have no state rule in their write path, and none is offered"

e_passed=$(q -c "SELECT enterprise_id FROM gb.gb_case WHERE year = 2020 AND state = 'passed'")
e_acc=$(q -c "SELECT enterprise_id FROM gb.gb_case WHERE year = 2020 AND state = 'acceptance_requested'")
e_impl=$(q -c "SELECT enterprise_id FROM gb.gb_case WHERE year = 2020 AND state = 'implementing'")
e_eval=$(q -c "SELECT enterprise_id FROM gb.demo_case WHERE state = 'evaluated'")
reason() { as "$1" "SELECT coalesce(reason, '（可以）') FROM gb.record_rights($2) WHERE what = 'material'"; }
is "$(reason "$agen" "$e_passed")" \
	"贯标案件（2020 年度）处于“验收通过”状态，不能再登记材料（只有市信用办退回或要求整改后才能再登记）" \
	"the reason names the case and its state"
like "$(reason "$dist" "$e_acc")" "^贯标案件（2020 年度）处于“已申请验收”状态，不能再登记材料" \
	"waiting for the city's acceptance decision"
q >/dev/null -c "INSERT INTO gb.gb_case (enterprise_id, year, state, applied_on, passed_on)
	VALUES ($e_eval, 2020, 'passed', '2020-03-01', '2020-09-01')"
is "$(reason "$city" "$e_eval")" \
	"贯标案件（2020 年度）处于“验收通过”状态；示范案件（2020 年度）处于“已评价”状态，不能再登记材料（只有市信用办退回或要求整改后才能再登记）" \
	"every case of the enterprise is named when none takes materials"
is "$(reason "$agen" "$e_impl")" "（可以）" "an implementing case takes materials"
is "$(reason "$obs" "$e_passed")" "观察员只能查看，不能登记或修改任何内容" "who may comes before the state"
is "$(as "$agen" "SELECT gb.record_refusal('material', $e_passed) = (SELECT reason FROM gb.record_rights($e_passed)
	WHERE what = 'material')")" "t" "record_refusal gives record_rights' reason"
g_passed=$(q -c "SELECT id FROM gb.gb_case WHERE enterprise_id = $e_passed")
like "$(as "$agen" "SELECT gb.material_save('gb', $g_passed, 'other', NULL, 'received', NULL, NULL, NULL, NULL)")" \
	"^GB005 贯标案件状态为“验收通过”，不能修改验收材料（市信用办要求提供的其他材料）" \
	"the write is refused by 014's rule, which uses the same predicate"
is "$(as "$agen" "SELECT gb.case_work_open('gb', 'passed')::text || gb.case_work_open('gb', 'rectifying')::text")" \
	"falsetrue" "the shared predicate"
# An enterprise without any case has no case to take materials.
q >/dev/null -c "INSERT INTO gb.enterprise (uscc, name, district_id, industry, above_scale, established_on,
	independent_legal_person, employees) SELECT u || gb.uscc_check_char(u), '无案件企业',
	(SELECT id FROM gb.district WHERE name = '张浦镇'), '制造业', true, '2010-03-01', true, 10
	FROM (SELECT '91320583000099999' AS u) x"
e_none=$(q -c "SELECT id FROM gb.enterprise WHERE name = '无案件企业'")
is "$(reason "$dist" "$e_none")" "该企业还没有贯标或示范案件，没有可登记材料的案件" "no case: nothing to record materials on"
is "$(q -c "SELECT count(*) FROM gb.material") $(q -c "SELECT count(*) FROM gb.visit")" "0 0" \
	"every trial write was rolled back"
done_testing
