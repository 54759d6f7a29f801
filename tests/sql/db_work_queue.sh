#!/usr/bin/env bash
# gb.v_work_queue lists only the steps that wait for the officer's own
# role (014): a case in every state, and each role's queue compared with
# what DOMAIN.md §2 gives that role; the city no longer sees the steps of
# districts and agencies, a district only its own district's cases, an
# agency only those it holds a contract with.
. "$top_srcdir/tests/tap.sh"
set -u
. "$top_srcdir/tests/sql/fixture.sh"
fixture

# A 贯标 case in every state (张浦镇, contract with 甲机构), one in 周庄镇,
# a 示范 case in every state (each of its own enterprise), and one more
# 贯标 case in 张浦镇 without any contract.
q >/dev/null <<'SQL'
DO $$
DECLARE
	s record;
	n int := 0;
	c bigint;
BEGIN
	FOR s IN SELECT kind, code FROM gb.wf_state ORDER BY kind, sort_order LOOP
		n := n + 1;
		IF s.kind = 'gb' THEN
			c := public.t_gb_ready(public.t_enterprise(n));
			UPDATE gb.gb_case SET state = s.code, passed_on = CASE WHEN s.code = 'passed' THEN current_date END WHERE id = c;
		ELSE
			c := public.t_demo_ready(public.t_enterprise(n), 'suzhou');
			UPDATE gb.demo_case SET state = s.code,
				designated_on = CASE WHEN s.code IN ('designated', 'rectifying') THEN current_date END WHERE id = c;
		END IF;
	END LOOP;
	INSERT INTO gb.gb_case (enterprise_id, year, state)
	VALUES (public.t_enterprise(100), 2020, 'enrolled'), (public.t_enterprise(101), 2020, 'draft');
	UPDATE gb.enterprise SET district_id = (SELECT id FROM gb.district WHERE name = '周庄镇')
	WHERE id = (SELECT max(enterprise_id) FROM gb.gb_case);
END $$;
SQL
ok $? "fixture: cases in every state"

queue() { as "$1" "SELECT string_agg(kind || ':' || state || ':' || action, ' ' ORDER BY kind DESC, state, action) FROM gb.v_work_queue"; }
is "$(queue "$city")" "gb:acceptance_requested:pass gb:submitted:enrol demo:coaching:evaluate demo:evaluated:publicise demo:nominated:pre_approve demo:pre_approved:recommend demo:publicised:designate demo:rectifying:reinstate" \
	"city: enrolment, acceptance and the 示范 steps only it takes"
is "$(queue "$dist")" "gb:applied:submit gb:draft:apply gb:returned:apply" \
	"district: applying and submitting, for its own district's cases"
is "$(queue "$dist2")" "gb:draft:apply" "the other district: its own draft only"
is "$(queue "$agen")" "gb:enrolled:start gb:implementing:request_acceptance gb:rectifying:request_acceptance demo:recommended:start_coaching" \
	"agency: implementation, acceptance requests and coaching, for its contracts only"
is "$(queue "$obs")" "" "observer: nothing waits for an observer"
is "$(as "$city" "SELECT count(*) FROM gb.v_work_queue WHERE action IN ('apply', 'submit', 'start', 'request_acceptance', 'start_coaching')")" 0 \
	"the city's queue holds no district or agency step"
is "$(as "$city" "SELECT count(*) FROM gb.case_actions('gb', (SELECT id FROM gb.gb_case WHERE state = 'enrolled' ORDER BY id LIMIT 1)) WHERE action = 'start'")" 1 \
	"though the city may still take them (case_actions)"
is "$(q -c "SELECT string_agg(DISTINCT action || ':' || role, ' ' ORDER BY action || ':' || role) FROM gb.wf_transition t JOIN gb.wf_action a ON a.kind = t.kind AND a.code = t.action AND a.in_queue WHERE queue")" \
	"apply:district designate:city enrol:city evaluate:city pass:city pre_approve:city publicise:city recommend:city reinstate:city request_acceptance:agency start:agency start_coaching:agency submit:district" \
	"wf_transition.queue: each forward step waits for exactly one role"
is "$(as "$city" "SELECT deadline || ' ' || days_left FROM gb.v_work_queue WHERE action = 'pass'")" \
	"$(q -c "SELECT due_on || ' ' || (due_on - current_date) FROM gb.deadline WHERE year = 2020 AND code = 'gb_acceptance'")" \
	"with the deadline of the step and the days left"
done_testing
