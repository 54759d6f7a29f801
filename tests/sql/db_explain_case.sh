#!/usr/bin/env bash
# gb.explain_case: the review screen's eligibility of one case.  A 示范 case
# under review must not fail "one open case per level" because of itself,
# while the enterprise's own "why not apply" still says it has that case.
. "$top_srcdir/tests/tap.sh"
. "$top_srcdir/tests/sql/fixture.sh"
trap 'q -c "DROP OWNED BY \"$city\", \"$dist\", \"$dist2\", \"$agen\", \"$obs\"; DROP ROLE IF EXISTS \"$city\", \"$dist\", \"$dist2\", \"$agen\", \"$obs\"" >/dev/null 2>&1' EXIT
fixture
"$GUANBIAO" admin sample --enterprises 400 --seed 5 >/dev/null
ok $? "sample data"

demo=$(q -c "SELECT id FROM gb.demo_case WHERE level = 'suzhou' AND state = 'nominated' ORDER BY id LIMIT 1")
ent=$(q -c "SELECT enterprise_id FROM gb.demo_case WHERE id = $demo")
yr=$(q -c "SELECT year FROM gb.demo_case WHERE id = $demo")
[ -n "$demo" ]; ok $? "the sample has a nominated Suzhou 示范 case ($demo)"

is "$(as "$city" "SELECT ok FROM gb.explain_case('demo', $demo) WHERE rule = 'one_open_case'")" t \
	"the case under review is not 'another open case' of its own enterprise"
is "$(as "$city" "SELECT ok FROM gb.explain(${ent}, 'demo_suzhou', $yr) WHERE rule = 'one_open_case'")" f \
	"while the enterprise cannot apply again at that level"
like "$(as "$city" "SELECT string_agg(rule, ' ') FROM gb.explain_case('demo', $demo)")" \
	'gb_passed_years no_serious_dishonesty one_open_case .*materials' \
	"the 示范 case shows the level's rules and its materials"

gbc=$(q -c "SELECT id FROM gb.gb_case WHERE state = 'implementing' ORDER BY id LIMIT 1")
is "$(as "$city" "SELECT string_agg(rule || ok, ' ' ORDER BY rule) FROM gb.explain_case('gb', $gbc)")" \
	"$(as "$city" "SELECT string_agg(rule || ok, ' ' ORDER BY rule) FROM gb.gb_case g, gb.explain(g.enterprise_id, 'gb_acceptance', g.year) WHERE g.id = $gbc")" \
	"a 贯标 case in implementation shows the acceptance rules"

like "$(as "$city" "SELECT * FROM gb.explain_case('x', $gbc)")" '^GB006 未知的案件类别 x' "an unknown kind is refused in Chinese"
other=$(q -c "SELECT g.id FROM gb.gb_case g JOIN gb.enterprise e ON e.id = g.enterprise_id
	JOIN gb.district d ON d.id = e.district_id WHERE d.name <> '张浦镇' ORDER BY g.id LIMIT 1")
like "$(as "$dist" "SELECT * FROM gb.explain_case('gb', $other)")" '^GB002' \
	"a district officer gets nothing about another district's case"
done_testing
