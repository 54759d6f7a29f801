#!/usr/bin/env bash
# The rights matrix (RELIABILITY.md §2): as each officer role, through
# SET SESSION AUTHORIZATION (policies key on session_user), every table ×
# select/insert/update/delete × own/other district (or agency), against an
# expected matrix written out below; plus the catalogue checks.
. "$top_srcdir/tests/tap.sh"
set -u
db=$PGDATABASE
q() { psql -XAtq -v ON_ERROR_STOP=1 "$@"; }
admin() { "$GUANBIAO" admin "$@" >/dev/null; }

# Officers: login roles are cluster-wide, so their names carry the database.
city="${db}_city" dist="${db}_dist" agen="${db}_agen" obs="${db}_obs"
admin programme load-2020 &&
	q -c "INSERT INTO gb.agency (name) VALUES ('甲机构'), ('乙机构')" &&
	admin officer add "$city" --role city --name 市 &&
	admin officer add "$dist" --role district --district 张浦镇 --name 区 &&
	admin officer add "$agen" --role agency --agency 甲机构 --name 机 &&
	admin officer add "$obs" --role observer --name 观
ok $? "fixture: four officers"

# Two sides: "own" is 张浦镇 / 甲机构, "other" is 周庄镇 / 乙机构; each side
# has one row in every table.
q >/dev/null <<'EOF'
INSERT INTO gb.programme_year (year, doc_no, title, gb_target) VALUES (2019, 'x', 'x', 1);
INSERT INTO gb.indicator_version (name, total_score) VALUES ('t', 2);
INSERT INTO gb.indicator (version_id, code, parent_code, level, title, max_score, sort_order)
VALUES (1, 'a', NULL, 1, 'a', 2, 1), (1, 'a.1', 'a', 2, 'a', 2, 2),
       (1, 'a.1.1', 'a.1', 3, 'x', 1, 3), (1, 'a.1.2', 'a.1', 3, 'y', 1, 4);
CREATE TABLE public.side AS
SELECT s.side, d.id AS dist, a.id AS ag
FROM (VALUES ('own', '张浦镇', '甲机构'), ('other', '周庄镇', '乙机构')) s(side, dname, aname)
JOIN gb.district d ON d.name = s.dname JOIN gb.agency a ON a.name = s.aname;
ALTER TABLE public.side ADD e bigint, ADD k bigint, ADD g bigint, ADD m bigint, ADD v bigint,
	ADD staff bigint, ADD dy bigint;
DO $$
DECLARE
	r public.side;
	n int := 0;
BEGIN
	FOR r IN SELECT * FROM public.side ORDER BY side DESC LOOP
		n := n + 1;
		INSERT INTO gb.enterprise (uscc, name, district_id)
		VALUES (gb.sample_uscc(10 + n), r.side || '企业', r.dist) RETURNING id INTO r.e;
		INSERT INTO gb.contract (agency_id, enterprise_id, kind, year, signed_on, starts_on)
		VALUES (r.ag, r.e, 'gb_consult', 2020, current_date, current_date) RETURNING id INTO r.k;
		INSERT INTO gb.gb_case (enterprise_id, year) VALUES (r.e, 2020) RETURNING id INTO r.g;
		INSERT INTO gb.demo_case (enterprise_id, level, year) VALUES (r.e, 'suzhou', 2020) RETURNING id INTO r.m;
		INSERT INTO gb.evaluation (gb_case_id, indicator_version_id) VALUES (r.g, 1) RETURNING id INTO r.v;
		INSERT INTO gb.evaluation_score (evaluation_id, indicator_id, self_score) VALUES (r.v, 3, 1);
		INSERT INTO gb.visit (contract_id, enterprise_id, visited_on, summary) VALUES (r.k, r.e, current_date, 'x');
		INSERT INTO gb.credit_check (enterprise_id, stage, issued_on, source) VALUES (r.e, 'gb_apply', current_date, '江苏省公共信用信息中心');
		INSERT INTO gb.training (gb_case_id, held_on, topic) VALUES (r.g, current_date, 'x');
		INSERT INTO gb.material (programme, gb_case_id, kind) VALUES ('gb', r.g, 'work_summary');
		INSERT INTO gb.demo_event (demo_case_id, kind, occurred_on) VALUES (r.m, 'finding', current_date);
		INSERT INTO gb.reward (enterprise_id, programme, year, amount_wan) VALUES (r.e, 'gb', 2020, 1);
		INSERT INTO gb.agency_staff (agency_id, name) VALUES (r.ag, 'x') RETURNING id INTO r.staff;
		SELECT id INTO r.dy FROM gb.district_year WHERE district_id = r.dist AND year = 2020;
		UPDATE public.side SET e = r.e, k = r.k, g = r.g, m = r.m, v = r.v, staff = r.staff, dy = r.dy
		WHERE side = r.side;
	END LOOP;
END $$;
GRANT SELECT ON public.side TO PUBLIC;

-- 'Y' when sql changed/saw at least one row, 'N' when refused or no row;
-- the change is always rolled back.  Other errors are returned as such.
CREATE FUNCTION public.try(op text, sql text) RETURNS text LANGUAGE plpgsql AS $f$
DECLARE
	n bigint;
BEGIN
	IF op = 'S' THEN
		EXECUTE 'SELECT count(*) FROM (' || sql || ') x' INTO n;
		RETURN CASE WHEN n > 0 THEN 'Y' ELSE 'N' END;
	END IF;
	BEGIN
		EXECUTE sql;
		GET DIAGNOSTICS n = ROW_COUNT;
		RAISE EXCEPTION USING ERRCODE = 'T0001', MESSAGE = n::text;
	EXCEPTION
		WHEN SQLSTATE 'T0001' THEN RETURN CASE WHEN SQLERRM::int > 0 THEN 'Y' ELSE 'N' END;
		WHEN insufficient_privilege THEN RETURN 'N';
		WHEN SQLSTATE 'GB008' THEN RETURN 'N';
		WHEN foreign_key_violation THEN RETURN CASE WHEN op = 'D' THEN 'Y' ELSE 'E:' || SQLERRM END;
		WHEN OTHERS THEN RETURN 'E:' || SQLSTATE || ' ' || SQLERRM;
	END;
END $f$;
GRANT EXECUTE ON FUNCTION public.try(text, text) TO PUBLIC;
EOF
ok $? "fixture: one row per table and side"

# table | where (own/other by side columns s.*) | update column | insert values
# Placeholders: {e} enterprise, {k} contract, {g} 贯标 case, {m} 示范 case,
# {v} evaluation, {d} district, {a} agency, {x} the other side's enterprise,
# {n} 1 or 2, {dy} district_year, {st} agency staff.
tables=$(cat <<'EOF'
enterprise|id = {e}|contact_phone|(uscc, name, district_id) VALUES (gb.sample_uscc(90{n}), 'x', {d})
contract|id = {k}|note|(agency_id, enterprise_id, kind, year, signed_on, starts_on) VALUES ({a}, {e}, 'demo_coaching', 2020, current_date, current_date)
agency_access|agency_id = {a} AND enterprise_id = {e}|agency_id|(agency_id, enterprise_id) VALUES ({a}, {x})
visit|contract_id = {k}|summary|(contract_id, enterprise_id, visited_on, summary) VALUES ({k}, {e}, current_date, 'x')
credit_check|enterprise_id = {e}|report_no|(enterprise_id, stage, issued_on, source) VALUES ({e}, 'supervision', current_date, '江苏省公共信用信息中心')
gb_case|id = {g}|note|(enterprise_id, year) VALUES ({e}, 2019)
training|gb_case_id = {g}|topic|(gb_case_id, held_on, topic) VALUES ({g}, current_date, 'x')
demo_case|id = {m}|note|(enterprise_id, level, year) VALUES ({e}, 'province', 2020)
demo_event|demo_case_id = {m}|note|(demo_case_id, kind, occurred_on) VALUES ({m}, 'finding', current_date)
material|gb_case_id = {g}|ref|(programme, gb_case_id, kind) VALUES ('gb', {g}, 'other')
evaluation|id = {v}|evaluator|(demo_case_id, indicator_version_id) VALUES ({m}, 1)
evaluation_score|evaluation_id = {v}|self_finding|(evaluation_id, indicator_id, self_score) VALUES ({v}, 4, 1)
reward|enterprise_id = {e}|note|(enterprise_id, programme, year, amount_wan) VALUES ({e}, 'demo_suzhou', 2020, 1)
history|enterprise_id = {e}|note|(table_name, action) VALUES ('enterprise', 'forged')
district|id = {d}|stat_code|(code, name, kind, sort_order) VALUES ('t{n}', '测试{n}', '镇', 99)
district_year|id = {dy}|head_phone|(year, district_id, quota_gb) VALUES (2019, {d}, 1)
agency|id = {a}|contact_phone|(name) VALUES ('测试机构{n}')
agency_staff|id = {st}|phone|(agency_id, name) VALUES ({a}, 'x')
officer|login = (SELECT login FROM gb.officer WHERE role = CASE {n} WHEN 1 THEN 'district' ELSE 'observer' END)|phone|(login, role, name) VALUES ('t_fake{n}', 'observer', 'x')
programme_year|year = 2021 - {n}|title|(year, doc_no, title, gb_target) VALUES (2030 + {n}, 'x', 'x', 1)
deadline|year = 2020 AND sort_order = {n}|label|(year, code, label, due_on) VALUES (2020, 't{n}', 'x', current_date)
wf_state|kind = 'gb' AND sort_order = 10 * {n}|label|(kind, code, label, sort_order, is_open) VALUES ('gb', 't{n}', 'x', 1, true)
wf_action|kind = 'gb' AND code = (ARRAY['apply', 'submit'])[{n}]|label|(kind, code, label) VALUES ('gb', 't{n}', 'x')
wf_transition|kind = 'gb' AND action = (ARRAY['apply', 'submit'])[{n}]|deadline_code|(kind, from_state, action, role, to_state) VALUES ('gb', (ARRAY['draft', 'returned'])[{n}], 'apply', 'agency', 'applied')
material_kind|programme = 'gb' AND sort_order = {n}|label|(programme, code, label, sort_order) VALUES ('gb', 't{n}', 'x', 99)
field_label|table_name = 'enterprise' AND column_name = (ARRAY['uscc', 'name'])[{n}]|label|(table_name, column_name, label) VALUES ('x', 't{n}', 'x')
indicator_version|id = 1|note|(name, total_score) VALUES ('t{n}', 1)
indicator|id = {n}|title|(version_id, code, level, title, max_score, sort_order) VALUES (1, 't{n}', 1, 'x', 1, 99)
EOF
)

# Expected: per table and role, own side SIUD then other side SIUD
# (S select, I insert, U update, D delete; - refused).
expected=$(cat <<'EOF'
enterprise        SIUDSIUD SIU----- S------- S---S---
contract          SIUDSIUD S------- S------- S---S---
agency_access     S---S--- -------- S------- S---S---
visit             SIUDSIUD S------- SIU----- S---S---
credit_check      SIUDSIUD SIU----- S------- S---S---
gb_case           S-U-S-U- S-U----- S-U----- S---S---
training          SIUDSIUD S------- SIUD---- S---S---
demo_case         S-U-S-U- S-U----- S------- S---S---
demo_event        SIUDSIUD S------- S------- S---S---
material          SIUDSIUD SIU----- SIU----- S---S---
evaluation        SIUDSIUD S------- SIU----- S---S---
evaluation_score  SIUDSIUD S------- SIU----- S---S---
reward            SIUDSIUD S------- S------- S---S---
history           S---S--- S------- S------- S---S---
district          SIUDSIUD S---S--- S---S--- S---S---
district_year     SIUDSIUD S-U-S--- S---S--- S---S---
agency            SIUDSIUD S---S--- S---S--- S---S---
agency_staff      SIUDSIUD S---S--- SIU-S--- S---S---
officer           SIUDSIUD S---S--- S---S--- S---S---
programme_year    SIUDSIUD S---S--- S---S--- S---S---
deadline          SIUDSIUD S---S--- S---S--- S---S---
wf_state          S---S--- S---S--- S---S--- S---S---
wf_action         S---S--- S---S--- S---S--- S---S---
wf_transition     S---S--- S---S--- S---S--- S---S---
material_kind     S---S--- S---S--- S---S--- S---S---
field_label       S---S--- S---S--- S---S--- S---S---
indicator_version S---S--- S---S--- S---S--- S---S---
indicator         S---S--- S---S--- S---S--- S---S---
EOF
)

# Every table of schema gb is in the matrix.
listed=$(printf '%s\n' "$tables" | cut -d'|' -f1 | sort | tr '\n' ' ')
actual=$(q -c "SELECT string_agg(relname, ' ' ORDER BY relname) || ' ' FROM pg_class
	WHERE relnamespace = 'gb'::regnamespace AND relkind = 'r'")
is "$actual" "$listed" "the matrix covers every table in schema gb"

# Build one SQL script that runs every probe as every officer.
probe_sql() {	# role login
	local login=$1
	echo "SET SESSION AUTHORIZATION \"$login\";"
	printf '%s\n' "$tables" | while IFS='|' read -r t where col values; do
		for n in 1 2; do
			local side=own other=other
			[ "$n" = 2 ] && side=other other=own
			sub() {
				sed -e "s/{e}/(SELECT e FROM public.side WHERE side = '$side')/g" \
				    -e "s/{x}/(SELECT e FROM public.side WHERE side = '$other')/g" \
				    -e "s/{k}/(SELECT k FROM public.side WHERE side = '$side')/g" \
				    -e "s/{g}/(SELECT g FROM public.side WHERE side = '$side')/g" \
				    -e "s/{m}/(SELECT m FROM public.side WHERE side = '$side')/g" \
				    -e "s/{v}/(SELECT v FROM public.side WHERE side = '$side')/g" \
				    -e "s/{d}/(SELECT dist FROM public.side WHERE side = '$side')/g" \
				    -e "s/{a}/(SELECT ag FROM public.side WHERE side = '$side')/g" \
				    -e "s/{dy}/(SELECT dy FROM public.side WHERE side = '$side')/g" \
				    -e "s/{st}/(SELECT staff FROM public.side WHERE side = '$side')/g" \
				    -e "s/{n}/$n/g" -e "s/'/''/g"
			}
			local w v
			w=$(printf '%s' "$where" | sub)
			v=$(printf '%s' "$values" | sub)
			echo "SELECT '$t', $n, public.try('S', 'SELECT 1 FROM gb.$t WHERE $w'),"
			echo "  public.try('I', 'INSERT INTO gb.$t $v'),"
			echo "  public.try('U', 'UPDATE gb.$t SET $col = $col WHERE $w'),"
			echo "  public.try('D', 'DELETE FROM gb.$t WHERE $w');"
		done
	done
	echo "RESET SESSION AUTHORIZATION;"
}

declare -A got
errors=""
for role in city dist agen obs; do
	login=${!role}
	out=$(probe_sql "$login" | psql -XAtq -F' ' -v ON_ERROR_STOP=1 2>&1)
	ok $? "probes ran as the $role officer"
	while read -r t n s i u d; do
		for c in "$s" "$i" "$u" "$d"; do
			case $c in Y|N) ;; *) errors="$errors $role/$t/$n:$c" ;; esac
		done
		got[$role,$t]="${got[$role,$t]:-}$( [ "$s" = Y ] && echo S || echo -)$( [ "$i" = Y ] && echo I || echo -)$( [ "$u" = Y ] && echo U || echo -)$( [ "$d" = Y ] && echo D || echo -)"
	done <<<"$out"
done
is "$errors" "" "no probe failed for another reason than rights"

while read -r t c d a o; do
	is "${got[city,$t]} ${got[dist,$t]} ${got[agen,$t]} ${got[obs,$t]}" "$c $d $a $o" "rights on $t (city district agency observer)"
done <<<"$expected"

# Catalogue: forced RLS everywhere, owners nobody logs in as, definer
# functions with a fixed search_path, officer roles without bypass.
is "$(q -c "SELECT string_agg(relname, ',') FROM pg_class WHERE relnamespace = 'gb'::regnamespace
	AND relkind = 'r' AND NOT (relrowsecurity AND relforcerowsecurity)")" "" "every table has RLS enabled and forced"
is "$(q -c "SELECT string_agg(relname, ',') FROM pg_class WHERE relnamespace = 'gb'::regnamespace
	AND relkind IN ('r', 'v') AND pg_get_userbyid(relowner) NOT IN ('gb_owner', 'gb_stats')")" "" \
	"tables and views are owned by gb_owner or gb_stats"
is "$(q -c "SELECT string_agg(rolname, ',') FROM pg_roles WHERE rolname IN ('gb_owner', 'gb_stats', 'gb_city',
	'gb_district', 'gb_agency', 'gb_observer') AND (rolcanlogin OR rolsuper OR rolbypassrls)")" "" \
	"owner and group roles cannot log in or bypass RLS"
is "$(q -c "SELECT count(*) FROM pg_auth_members m JOIN pg_roles r ON r.oid = m.roleid
	WHERE r.rolname IN ('gb_owner', 'gb_stats')")" 0 "nobody is a member of gb_owner or gb_stats"
is "$(q -c "SELECT string_agg(o.login, ',') FROM gb.officer o JOIN pg_roles r ON r.rolname = o.login
	WHERE r.rolsuper OR r.rolbypassrls OR r.rolcreaterole")" "" "no officer role is superuser, BYPASSRLS or CREATEROLE"
is "$(q -c "SELECT string_agg(p.proname, ',') FROM pg_proc p WHERE p.pronamespace = 'gb'::regnamespace
	AND p.prosecdef AND (pg_get_userbyid(p.proowner) <> CASE p.proname WHEN 'enterprise_search' THEN 'gb_search' ELSE 'gb_owner' END
	OR NOT coalesce(p.proconfig::text LIKE '%search_path=pg_catalog, gb, pg_temp%', false))")" "" \
	"SECURITY DEFINER functions are gb_owner's (enterprise_search gb_search's, 013) with a fixed search_path"
is "$(q -c "SELECT string_agg(p.proname, ',') FROM pg_proc p WHERE p.pronamespace = 'gb'::regnamespace
	AND p.proname LIKE 'admin\_%' AND has_function_privilege('$city', p.oid, 'EXECUTE')")" "" \
	"officers cannot run the admin functions"

# Identity is session_user: SET ROLE and settings change nothing.
is "$(q -c "SET SESSION AUTHORIZATION \"$dist\"; SET ROLE gb_district; SELECT set_config('gb.user', '$city', false);
	SELECT role || ' ' || district_name FROM gb.current_officer()" | tail -1)" "district 张浦镇" \
	"SET ROLE and custom settings do not change who you are"
out=$(q -c "SET SESSION AUTHORIZATION \"$dist\"; SET ROLE gb_city" 2>&1)
like "$out" "permission denied" "an officer cannot take another group role"
out=$(PGUSER=$dist psql -XAtq -c "SET SESSION AUTHORIZATION \"$city\"" 2>&1)
like "$out" "permission denied to set session authorization" "an officer's connection cannot switch to another login"
is "$(PGUSER=$dist PGOPTIONS="-c role=gb_district -c gb.user=$city" psql -XAtq -c "SELECT login FROM gb.current_officer()" 2>&1)" \
	"$dist" "PGOPTIONS settings do not change who you are"
q -c "CREATE ROLE \"${db}_nobody\" LOGIN"
out=$(q -c "SET SESSION AUTHORIZATION \"${db}_nobody\"; SELECT * FROM gb.current_officer()" 2>&1)
like "$out" "不是登记的工作人员" "a login that is not an officer gets GB001"
out=$(q -c "SET SESSION AUTHORIZATION \"${db}_nobody\"; SELECT count(*) FROM gb.enterprise" 2>&1)
like "$out" "permission denied" "and reads nothing"
admin officer remove "$obs"
out=$(q -c "SET SESSION AUTHORIZATION \"$obs\"; SELECT count(*) FROM gb.enterprise" 2>&1)
like "$out" "permission denied" "a removed officer loses access"

for r in city dist agen obs; do q -c "DROP OWNED BY \"${!r}\"; DROP ROLE \"${!r}\"" 2>/dev/null; done
q -c "DROP ROLE \"${db}_nobody\"" 2>/dev/null
done_testing
