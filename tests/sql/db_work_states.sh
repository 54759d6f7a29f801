#!/usr/bin/env bash
# The 贯标 checklist, trainings and materials change only while the case is
# in a state where that work happens (014, wf_state.work_open): every write
# tried in every state of each kind, by the role that does it; refusals are
# GB005 naming the state and what was being changed.
. "$top_srcdir/tests/tap.sh"
set -u
. "$top_srcdir/tests/sql/fixture.sh"
fixture

is "$(q -c "SELECT string_agg(code, ' ' ORDER BY sort_order) FROM gb.wf_state WHERE kind = 'gb' AND work_open")" \
	"draft applied returned enrolled implementing rectifying" "贯标 work happens while applying and implementing"
is "$(q -c "SELECT string_agg(code, ' ' ORDER BY sort_order) FROM gb.wf_state WHERE kind = 'demo' AND work_open")" \
	"nominated pre_approved recommended coaching rectifying" "示范 materials until the on-site evaluation, and in rectification"

e=$(q -c "SELECT public.t_enterprise(1)"); c=$(q -c "SELECT public.t_gb_ready($e)")
d=$(q -c "SELECT public.t_demo_ready(public.t_enterprise(2), 'suzhou')")
# Each write of (what, login, sql) in every state; the result is 'ok' or
# the SQLSTATE and message.
q >/dev/null <<EOF
CREATE TABLE public.t_try (kind text, state text, what text, got text);
CREATE FUNCTION public.t_try(k text, what text, login text, stmt text) RETURNS void
LANGUAGE plpgsql AS \$\$
DECLARE
	st record;
	got text;
BEGIN
	FOR st IN SELECT code FROM gb.wf_state WHERE kind = k ORDER BY sort_order LOOP
		IF k = 'gb' THEN
			UPDATE gb.gb_case SET state = st.code, passed_on = CASE WHEN st.code = 'passed' THEN current_date END
			WHERE id = $c;
		ELSE
			UPDATE gb.demo_case SET state = st.code,
				designated_on = CASE WHEN st.code IN ('designated', 'rectifying') THEN current_date END
			WHERE id = $d;
		END IF;
		EXECUTE format('SET SESSION AUTHORIZATION %I', login);
		BEGIN
			EXECUTE stmt;
			got := 'ok';
		EXCEPTION WHEN OTHERS THEN
			got := SQLSTATE || ' ' || SQLERRM;
		END;
		RESET SESSION AUTHORIZATION;
		INSERT INTO public.t_try VALUES (k, st.code, what, got);
	END LOOP;
END \$\$;
SELECT public.t_try('gb', 'checklist', '$agen', 'UPDATE gb.gb_case SET work_plan_done = NOT work_plan_done WHERE id = $c');
SELECT public.t_try('gb', 'staff', '$agen', 'UPDATE gb.gb_case SET dedicated_staff = coalesce(dedicated_staff, '''') || ''、李四'' WHERE id = $c');
SELECT public.t_try('gb', 'committed', '$dist', 'UPDATE gb.gb_case SET management_committed = NOT management_committed WHERE id = $c');
SELECT public.t_try('gb', 'training+', '$agen', 'INSERT INTO gb.training (gb_case_id, held_on, topic) VALUES ($c, current_date, ''三'')');
SELECT public.t_try('gb', 'training~', '$agen', 'UPDATE gb.training SET topic = topic || ''.'' WHERE id = (SELECT min(id) FROM gb.training WHERE gb_case_id = $c)');
SELECT public.t_try('gb', 'training-', '$city', 'DELETE FROM gb.training WHERE id = (SELECT max(id) FROM gb.training WHERE gb_case_id = $c)');
SELECT public.t_try('gb', 'material~', '$dist', 'UPDATE gb.material SET ref = coalesce(ref, '''') || ''x'' WHERE gb_case_id = $c AND kind = ''work_summary''');
SELECT public.t_try('gb', 'material+-', '$city', 'DELETE FROM gb.material WHERE gb_case_id = $c AND kind = ''other'';
	INSERT INTO gb.material (programme, gb_case_id, kind, status) VALUES (''gb'', $c, ''other'', ''not_applicable'')');
SELECT public.t_try('gb', 'note', '$dist', 'UPDATE gb.gb_case SET note = coalesce(note, '''') || ''.'' WHERE id = $c');
SELECT public.t_try('gb', 'same', '$agen', 'UPDATE gb.material SET ref = ref, status = status WHERE gb_case_id = $c');
SELECT public.t_try('demo', 'material~', '$dist', 'UPDATE gb.material SET ref = coalesce(ref, '''') || ''x'' WHERE demo_case_id = $d AND kind = ''cover''');
SELECT public.t_try('demo', 'material+', '$city', 'DELETE FROM gb.material WHERE demo_case_id = $d AND kind = ''toc'';
	INSERT INTO gb.material (programme, demo_case_id, kind, status) VALUES (''demo'', $d, ''toc'', ''missing'')');
EOF
ok $? "tried every write in every state"

# states where the write succeeded, per write
allowed() { q -c "SELECT string_agg(state, ' ' ORDER BY s.sort_order) FROM public.t_try t
	JOIN gb.wf_state s ON s.kind = t.kind AND s.code = t.state WHERE t.kind = '$1' AND what = '$2' AND got = 'ok'"; }
work_gb="draft applied returned enrolled implementing rectifying"
all_gb=$(q -c "SELECT string_agg(code, ' ' ORDER BY sort_order) FROM gb.wf_state WHERE kind = 'gb'")
for w in checklist staff committed training+ training~ training- material~ material+-; do
	is "$(allowed gb "$w")" "$work_gb" "贯标 $w: allowed exactly in the working states"
done
is "$(allowed demo material~)" "nominated pre_approved recommended coaching rectifying" "示范 material update: allowed in the working states"
is "$(allowed demo material+)" "nominated pre_approved recommended coaching rectifying" "示范 material insert and delete too"
is "$(allowed gb note)" "$all_gb" "the note is not work: editable in every state"
is "$(allowed gb same)" "$all_gb" "an update that changes nothing is not refused"
is "$(q -c "SELECT count(*) FROM public.t_try WHERE got <> 'ok' AND got NOT LIKE 'GB005 %'")" 0 "every refusal is GB005"

refusal() { q -c "SELECT got FROM public.t_try WHERE kind = '$1' AND what = '$2' AND state = '$3'"; }
is "$(refusal gb checklist acceptance_requested)" "GB005 贯标案件状态为“已申请验收”，不能修改贯标工作清单（制定工作方案）" \
	"the message names the state and the checklist item"
is "$(refusal gb staff passed)" "GB005 贯标案件状态为“验收通过”，不能修改贯标工作清单（专职人员）" "another item, another state"
is "$(refusal gb training+ submitted)" "GB005 贯标案件状态为“已报市信用办”，不能修改贯标培训记录" "trainings"
is "$(refusal gb material~ failed)" "GB005 贯标案件状态为“验收未通过”，不能修改验收材料（企业贯标工作总结报告）" "a 贯标 material, by its label"
is "$(refusal demo material~ evaluated)" "GB005 示范案件状态为“已评价”，不能修改申报材料（封面）" "a 示范 material"
q -c "UPDATE gb.gb_case SET state = 'acceptance_requested' WHERE id = $c" >/dev/null
is "$(psql -XAtq -c "SET SESSION AUTHORIZATION \"$agen\"" -c "UPDATE gb.gb_case SET work_plan_done = false WHERE id = $c" 2>&1 | sed -n 's/^DETAIL:  //p')" \
	"只有状态为草稿、已申请、已退回、已入选、贯标实施中、整改中的案件可以修改" "the detail lists the states in which it may"
like "$(q -c "UPDATE gb.gb_case SET work_plan_done = false WHERE id = $c" 2>&1)" "不能修改贯标工作清单" "the superuser meets the same rule"

# A training moved from a working case to one with the city is refused.
e2=$(q -c "SELECT public.t_enterprise(3)"); c2=$(q -c "SELECT public.t_gb_ready($e2)")
q -c "UPDATE gb.gb_case SET state = 'implementing' WHERE id = $c2" >/dev/null
like "$(as "$city" "UPDATE gb.training SET gb_case_id = $c WHERE id = (SELECT min(id) FROM gb.training WHERE gb_case_id = $c2)")" \
	'^GB005 贯标案件状态为“已申请验收”，不能修改贯标培训记录' "moving a training onto a case with the city is refused"
like "$(as "$city" "UPDATE gb.training SET gb_case_id = $c2 WHERE id = (SELECT min(id) FROM gb.training WHERE gb_case_id = $c)")" \
	'^GB005 贯标案件状态为“已申请验收”' "and moving one off it"
is "$(as "$dist2" "UPDATE gb.material SET ref = 'x' WHERE gb_case_id = $c2")" "" \
	"another district's write is left to the row policy (no row, no error)"
# The rules still run: the state changes of the actions are not checklist work.
like "$(as "$agen" "SELECT gb.gb_case_act($c2, version, 'request_acceptance') FROM gb.gb_case WHERE id = $c2")" '^[0-9]+$' \
	"the actions change the state of a case whatever its checklist"
done_testing
