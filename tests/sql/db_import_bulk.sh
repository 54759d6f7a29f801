#!/usr/bin/env bash
# gb.enterprise_insert_staged (022, 024): the bulk path (forced with a
# small bulk_min on an empty table) rebuilds exactly the indexes, unique
# constraint, foreign key and trigger states there were, writes one history row per row and one bulk
# notification, and leaves searchable rows; the plain path for small
# batches; refusals (observer, agency, another district, a table that is
# not the caller's own temporary table, a wrong column type, no grant); an
# invalid row gets the trigger's message, also one that only a CHECK
# constraint sees in the bulk path (024), and a row the trigger cleans up
# is stored cleaned; a USCC twice is refused (23505); any error or
# rollback leaves indexes, keys and triggers as they were; the bulk
# path's check plus the table's constraints equal the trigger's condition.
. "$top_srcdir/tests/tap.sh"
set -u
db=$PGDATABASE
q() { psql -XAtq -v ON_ERROR_STOP=1 "$@"; }
# As a login, in one session: the result lines joined by spaces, or
# "SQLSTATE message" for an error.
as() {	# login sql
	psql -XAtq -v VERBOSITY=verbose -c "SET SESSION AUTHORIZATION \"$1\"" -c "$2" 2>&1 |
		sed -E 's/^ERROR:  ([A-Z0-9]{5}): /\1 /' | grep -v '^\(LOCATION\|CONTEXT\|HINT\|DETAIL\|PL/pgSQL\|SQL statement\)' |
		tr '\n' ' ' | sed 's/ $//'
}

city="${db}_c" dist="${db}_d" agen="${db}_a" obs="${db}_o"
"$GUANBIAO" admin programme load-2020 >/dev/null &&
	q -c "INSERT INTO gb.agency (name) VALUES ('${db}机构')" &&
	"$GUANBIAO" admin officer add "$city" --role city --name 陈市 >/dev/null &&
	"$GUANBIAO" admin officer add "$dist" --role district --district 张浦镇 --name 张区 >/dev/null &&
	"$GUANBIAO" admin officer add "$agen" --role agency --agency "${db}机构" --name 机构人 >/dev/null &&
	"$GUANBIAO" admin officer add "$obs" --role observer --name 观察 >/dev/null
ok $? "fixture: officers of every role"
trap 'q -c "DROP ROLE IF EXISTS \"$city\", \"$dist\", \"$agen\", \"$obs\"" >/dev/null 2>&1' EXIT
zp=$(q -c "SELECT id FROM gb.district WHERE name = '张浦镇'")
zz=$(q -c "SELECT id FROM gb.district WHERE name = '周庄镇'")

# What the bulk path drops and builds again, as text: the definitions of
# every index, the unique constraints and foreign keys (with their
# validation), the row triggers' states.  Index oids tell whether an
# index (the unique one too) was built again.
catalog() {
	q -c "SELECT string_agg(d, E'\n' ORDER BY d) FROM (
		SELECT pg_get_indexdef(indexrelid) || CASE WHEN indisclustered THEN ' clustered' ELSE '' END AS d
		FROM pg_index WHERE indrelid = 'gb.enterprise'::regclass
		UNION ALL SELECT conname || ' ' || pg_get_constraintdef(oid) || ' validated=' || convalidated
			|| coalesce(' comment=' || obj_description(oid, 'pg_constraint'), '')
		FROM pg_constraint WHERE conrelid = 'gb.enterprise'::regclass AND contype IN ('f', 'u')
		UNION ALL SELECT tgname || ' ' || tgenabled::text || ' ' || pg_get_triggerdef(oid) FROM pg_trigger
		WHERE tgrelid = 'gb.enterprise'::regclass AND NOT tgisinternal) s"
}
index_oids() {
	q -c "SELECT string_agg(indexrelid::text, ',' ORDER BY indexrelid::regclass::text) FROM pg_index
		WHERE indrelid = 'gb.enterprise'::regclass AND NOT indisprimary"
}
# SQL creating temp table st: n rows from first, in district d, granted to gb_owner.
stage() {	# first count district
	echo "CREATE TEMP TABLE st AS SELECT i AS line, gb.sample_uscc(i, '91320500') AS uscc,
		'导入企业' || i || '号' AS name, $3 AS district_id, '产品' || i AS main_products,
		(i % 50)::numeric / 4 AS sales_revenue_wan, 1 + i % 30 AS employees,
		'联系人' || i AS contact_name FROM generate_series($1, $1 + $2 - 1) i;
		GRANT SELECT ON st TO gb_owner;"
}

# A comment on the unique constraint and the table's CLUSTER mark on its
# index: the bulk path keeps both.
q -c "COMMENT ON CONSTRAINT enterprise_uscc_key ON gb.enterprise IS '一家企业一个代码';
	ALTER TABLE gb.enterprise CLUSTER ON enterprise_uscc_key"
cat0=$(catalog) oids0=$(index_oids)
like "$cat0" 'enterprise_name_trgm.*gin' "fixture: the secondary indexes to compare"
is "$(printf '%s\n' "$cat0" | grep -c '^CREATE INDEX')" 7 "seven of them"
like "$cat0" 'enterprise_uscc_key UNIQUE \(uscc\) validated=true comment=一家企业一个代码' "and the unique constraint on uscc, with its comment"
like "$cat0" 'UNIQUE INDEX enterprise_uscc_key .* clustered' "its index marked for CLUSTER"
is "$(q -c "SELECT count(*) FROM gb.enterprise")" 0 "fixture: no enterprise yet"

# ---- the bulk path, forced: 300 rows into the empty table
h0=$(q -c "SELECT coalesce(max(id), 0) FROM gb.history")
out=$(psql -XAq -v ON_ERROR_STOP=1 2>&1 <<EOF
LISTEN gb_change;
SET SESSION AUTHORIZATION "$city";
BEGIN;
$(stage 1 300 "CASE WHEN i % 2 = 0 THEN $zp ELSE $zz END")
SELECT 'inserted ' || gb.enterprise_insert_staged('st', 'line', 100);
COMMIT;
EOF
)
like "$out" 'inserted 300' "bulk path: the function returns how many rows it inserted"
is "$(q -c "SELECT count(*) FROM gb.enterprise WHERE name LIKE '导入企业%' AND version = 1 AND updated_by = '$city'")" 300 \
	"every row is there, version 1, in the caller's name"
is "$(q -c "SELECT bool_and(name = '导入企业' || i || '号') FROM (SELECT name, row_number() OVER (ORDER BY id) i
	FROM gb.enterprise) s")" t "ids follow the stage's order column"
isnt_oids=$(index_oids)
[ "$isnt_oids" != "$oids0" ]
ok $? "every secondary index was built again (new oids): the bulk path was taken"
is "$(catalog)" "$cat0" "and afterwards the same index definitions, the foreign key validated, both row triggers enabled"
is "$(q -c "SELECT count(*) FROM gb.history h JOIN gb.enterprise e ON e.id = h.record_id WHERE h.id > $h0
	AND h.table_name = 'enterprise' AND h.action = 'insert' AND h.login = '$city' AND h.enterprise_id = e.id
	AND h.district_id = e.district_id AND h.after = to_jsonb(e)")" 300 "one insert history row per row, with its values"
is "$(q -c "SELECT count(*) FROM gb.history WHERE id > $h0")" 300 "and no other"
is "$(printf '%s\n' "$out" | grep -c 'Asynchronous notification')" 1 "one notification"
like "$out" '"table" : "enterprise", "bulk" : true, "count" : 300' "the bulk payload with the count"
is "$(as "$city" "SELECT string_agg(name, ',') FROM gb.enterprise_search('导入企业123号')")" "导入企业123号" \
	"search finds an imported row (through the rebuilt trigram index)"
is "$(q -c "SET enable_seqscan = off; EXPLAIN (COSTS OFF) SELECT id FROM gb.enterprise WHERE name ILIKE '%企业123%'" | grep -c enterprise_name_trgm)" 1 \
	"the rebuilt trigram index is usable"

# ---- a district officer's own rows, bulk; another district's refused
cat1=$(catalog) oids1=$(index_oids)
is "$(as "$dist" "BEGIN; $(stage 1001 400 "$zp") SELECT gb.enterprise_insert_staged('st', 'line', 100); COMMIT")" \
	400 "a district officer bulk-inserts 400 rows of its district"
[ "$(index_oids)" != "$oids1" ]
ok $? "through the bulk path (the foreign key validates under its row policy)"
is "$(catalog)" "$cat0" "indexes, foreign key and triggers as before"
n1=$(q -c "SELECT count(*) FROM gb.enterprise")
oids2=$(index_oids)
like "$(as "$dist" "BEGIN; $(stage 2001 400 "CASE WHEN i = 2100 THEN $zz ELSE $zp END")
	SELECT gb.enterprise_insert_staged('st', 'line', 100)")" \
	'GB003 您只能新增本区镇（张浦镇）的企业，有 1 行属于其他区镇' "a district officer cannot insert another district's row"
is "$(q -c "SELECT count(*) FROM gb.enterprise")/$(index_oids)" "$n1/$oids2" "nothing inserted, nothing rebuilt"

# ---- refusals
for who in obs agen; do
	like "$(as "${!who}" "BEGIN; $(stage 3001 5 "$zp") SELECT gb.enterprise_insert_staged('st')")" \
		'GB003 .*不能新增企业' "$who: refused (GB003)"
done
like "$(as "$city" "BEGIN; $(stage 3001 5 "$zp") REVOKE SELECT ON st FROM gb_owner;
	SELECT gb.enterprise_insert_staged('st')")" 'GB003 暂存表 st 未授权读取' "a stage not granted to gb_owner: told so"
q -c "CREATE TABLE public.perm_stage AS SELECT gb.sample_uscc(1, '91320599') AS uscc, '永久' AS name, $zp AS district_id;
	GRANT SELECT ON public.perm_stage TO PUBLIC"
like "$(as "$city" "SELECT gb.enterprise_insert_staged('public.perm_stage')")" \
	'GB003 只能从本会话自己的临时表导入企业，public.perm_stage 不是' "a permanent table: refused"
# A temporary table of another session, held open by a coprocess.
coproc OTHER { psql -XAtq -v ON_ERROR_STOP=1 2>&1; }
other_pid=$OTHER_PID
echo "SET SESSION AUTHORIZATION \"$city\"; $(stage 4001 5 "$zp") SELECT 'st=' || 'st'::regclass::oid;" >&"${OTHER[1]}"
while read -r line <&"${OTHER[0]}"; do case $line in st=*) break ;; esac; done
other_oid=${line#st=}
like "$(as "$city" "SELECT gb.enterprise_insert_staged($other_oid::oid::regclass)")" \
	'GB003 只能从本会话自己的临时表导入企业' "another session's temporary table: refused"
echo '\q' >&"${OTHER[1]}"
wait "$other_pid" 2>/dev/null
like "$(as "$city" "CREATE TEMP TABLE st (uscc text, name text, district_id bigint); GRANT SELECT ON st TO gb_owner;
	SELECT gb.enterprise_insert_staged('st')")" 'GB006 暂存表的列 district_id 应为 integer 类型（现为 bigint）' \
	"a column of another type than the enterprise column: refused, naming it"
like "$(as "$city" "CREATE TEMP TABLE st (uscc text, name text, district_id int); ALTER TABLE st ENABLE ROW LEVEL SECURITY;
	GRANT SELECT ON st TO gb_owner; SELECT gb.enterprise_insert_staged('st')")" 'GB003 暂存表 st 启用了行级安全' \
	"a stage with row security (its policies would run as gb_owner): refused"
is "$(q -c "SELECT count(*) FROM gb.enterprise")/$(index_oids)" "$n1/$oids2" "refusals changed nothing"

# ---- an invalid row in a batch larger than the table (800 > 700): the plain path, the trigger's message; nothing changed
like "$(as "$city" "BEGIN; $(stage 5001 800 "$zp") UPDATE st SET employees = 0 WHERE line = 5100;
	SELECT gb.enterprise_insert_staged('st', 'line', 100)")" '^GB006 职工人数：应大于 0（0）' \
	"an invalid row in a large batch: the trigger's GB006 message for it"
is "$(q -c "SELECT count(*) FROM gb.enterprise")/$(index_oids)/$(catalog)" "$n1/$oids2/$cat0" \
	"table, indexes, key and triggers unchanged"
is "$(as "$city" "BEGIN; $(stage 5001 800 "$zp") UPDATE st SET uscc = lower(uscc), name = ' ' || name WHERE line = 5100;
	SELECT gb.enterprise_insert_staged('st', 'line', 100);
	SELECT uscc = upper(uscc) AND name = btrim(name) FROM gb.enterprise WHERE name LIKE '%导入企业5100号'; ROLLBACK")" \
	"800 t" "a row the trigger would clean up takes the plain path: stored trimmed and upper-case"
# A USCC in lower case passes the bulk path's check but not the CHECK
# constraint: the INSERT runs again with the triggers, which upper-case it.
is "$(as "$city" "BEGIN; $(stage 5001 800 "$zp") UPDATE st SET uscc = lower(uscc) WHERE line = 5100;
	SELECT gb.enterprise_insert_staged('st', 'line', 100);
	SELECT string_agg(indexrelid::text, ',' ORDER BY indexrelid::regclass::text) <> '$oids2' FROM pg_index
	WHERE indrelid = 'gb.enterprise'::regclass AND NOT indisprimary;
	SELECT uscc = upper(uscc) FROM gb.enterprise WHERE name = '导入企业5100号';
	SELECT count(*) FROM gb.history WHERE table_name = 'enterprise'
	AND record_id IN (SELECT id FROM gb.enterprise WHERE name LIKE '导入企业5___号');
	ROLLBACK")" "800 t t 800" \
	"a USCC in lower case in a large batch: bulk path (indexes rebuilt), stored upper-case, one history row each"
# Its index builds counted 1500 rows in pg_class.reltuples (an update in
# place, not rolled back): the table's real size again for what follows.
q -c "ANALYZE gb.enterprise"
bad=$(q -c "SELECT left(u, 17) || CASE WHEN right(u, 1) = '0' THEN '1' ELSE '0' END FROM gb.sample_uscc(5100, '91320500') u")
like "$(as "$city" "BEGIN; $(stage 5001 800 "$zp") UPDATE st SET uscc = '$bad' WHERE line = 5100;
	SELECT gb.enterprise_insert_staged('st', 'line', 100)")" '^GB006 统一社会信用代码校验位错误：第 18 位应为' \
	"a wrong check character (only the CHECK constraint sees it in the bulk path): the trigger's message"
is "$(q -c "SELECT count(*) FROM gb.enterprise")/$(index_oids)/$(catalog)" "$n1/$oids2/$cat0" \
	"table, indexes, key and triggers unchanged"

# ---- errors and rollbacks after the bulk path's DDL restore everything
dup=$(q -c "SELECT uscc FROM gb.enterprise ORDER BY id LIMIT 1")
like "$(as "$city" "BEGIN; $(stage 6001 800 "$zp") UPDATE st SET uscc = '$dup' WHERE line = 6200;
	SELECT gb.enterprise_insert_staged('st', 'line', 100)")" '^23505 导入的企业中有统一社会信用代码与已有企业相同，没有导入任何企业 CONSTRAINT NAME:  enterprise_uscc_key$' \
	"a USCC already registered: the bulk path's unique constraint refuses it (23505), naming the column and the constraint"
is "$(q -c "SELECT count(*) FROM gb.enterprise")/$(index_oids)/$(catalog)" "$n1/$oids2/$cat0" \
	"and the dropped indexes, key and disabled triggers are back as they were"
like "$(as "$city" "BEGIN; $(stage 6001 800 "$zp") UPDATE st SET uscc = gb.sample_uscc(6001, '91320500') WHERE line = 6300;
	SELECT gb.enterprise_insert_staged('st', 'line', 100)")" '^23505 导入的企业中有统一社会信用代码与已有企业相同' \
	"a USCC twice in the batch: refused (23505)"
is "$(q -c "SELECT count(*) FROM gb.enterprise")/$(index_oids)/$(catalog)" "$n1/$oids2/$cat0" \
	"and the dropped indexes, key and disabled triggers are back as they were"
is "$(as "$city" "BEGIN; $(stage 6001 800 "$zp") SELECT gb.enterprise_insert_staged('st', 'line', 100); ROLLBACK")" \
	800 "a bulk insert rolled back by the caller"
is "$(q -c "SELECT count(*) FROM gb.enterprise")/$(index_oids)/$(catalog)" "$n1/$oids2/$cat0" "leaves everything as it was"
# A stage stored in the opposite order of its order column (the bulk path
# reads a stage stored in order as it is, 024): the ids still follow it.
# (After the rolled-back rebuild above, the table's real size again.)
q -c "ANALYZE gb.enterprise"
is "$(as "$city" "BEGIN; $(stage 6001 800 "$zp") UPDATE st SET line = -line;
	SELECT gb.enterprise_insert_staged('st', 'line', 100);
	SELECT string_agg(indexrelid::text, ',' ORDER BY indexrelid::regclass::text) <> '$oids2' FROM pg_index
	WHERE indrelid = 'gb.enterprise'::regclass AND NOT indisprimary;
	SELECT bool_and(name = '导入企业' || (6801 - k) || '号') FROM (SELECT name, row_number() OVER (ORDER BY id) k
	FROM gb.enterprise WHERE name LIKE '导入企业6___号') s; ROLLBACK")" "800 t t" \
	"a stage stored backwards: bulk path, ids in the order column's order"
q -c "ANALYZE gb.enterprise"

# ---- the plain path: a small batch, or a lowered bulk_min on a larger table
is "$(as "$city" "BEGIN; $(stage 7001 20 "$zp") SELECT gb.enterprise_insert_staged('st', 'line'); COMMIT")" \
	20 "a small batch with the default threshold"
is "$(index_oids)" "$oids2" "is a plain INSERT (no index rebuilt)"
q -c "ANALYZE gb.enterprise"
is "$(as "$city" "BEGIN; $(stage 7101 50 "$zp") SELECT gb.enterprise_insert_staged('st', 'line', 0); COMMIT")" \
	50 "bulk_min 0 with fewer rows than the table holds"
is "$(index_oids)" "$oids2" "is a plain INSERT too: an officer's threshold cannot force a rebuild of a larger table"
is "$(q -c "SELECT count(*) FROM gb.history WHERE table_name = 'enterprise' AND action = 'insert'")" \
	"$(q -c "SELECT count(*) FROM gb.enterprise")" "one history row per enterprise over all of it"

# ---- a reader holding the table: after 3 s the plain path, no lock taken
coproc READER { psql -XAtq -v ON_ERROR_STOP=1 2>&1; }
reader_pid=$READER_PID
echo "BEGIN; LOCK TABLE gb.enterprise IN ACCESS SHARE MODE; SELECT 'holding';" >&"${READER[1]}"
read -r line <&"${READER[0]}"
is "$line" holding "fixture: another session reads gb.enterprise in an open transaction"
oids3=$(index_oids)
is "$(q -c "SELECT gb.enterprise_rows_estimate() < 1000")" t "fixture: the table holds fewer than 1000 rows (a batch of 1000 qualifies)"
is "$(as "$city" "BEGIN; $(stage 8001 1000 "$zp") SELECT gb.enterprise_insert_staged('st', 'line', 100); COMMIT")" 1000 \
	"a bulk-sized batch while the table is held"
is "$(index_oids)" "$oids3" "waits at most 3 s for the lock, then takes the plain path"
echo 'COMMIT; \q' >&"${READER[1]}"
wait "$reader_pid" 2>/dev/null

# ---- the trigger's condition is written once
is "$(q -c "SELECT pg_get_triggerdef(oid) FROM pg_trigger WHERE tgname = 'enterprise_validate'" | grep -c 'WHEN ((NOT gb.enterprise_row_clean(new.uscc, new.name')" 1 \
	"enterprise_validate's WHEN calls gb.enterprise_row_clean"
like "$(q -c "EXPLAIN (VERBOSE, COSTS OFF) SELECT gb.enterprise_row_clean(uscc, name, sales_revenue_wan, employees,
	established_on, sales_year, industry) FROM gb.enterprise")" 'Output: COALESCE' "which the planner inlines"

# ---- 024: what the bulk path checks plus what the table's constraints
# hold is the trigger's condition, on rows that break each part of it.
good=$(q -c "SELECT gb.sample_uscc(9001, '91320500')")
eq=$(q <<EOF
CREATE TEMP TABLE ck (LIKE gb.enterprise INCLUDING CONSTRAINTS INCLUDING DEFAULTS);
CREATE TEMP TABLE cand (k text, uscc text, name text, sales_revenue_wan numeric, employees int,
	established_on date, sales_year int, industry text);
INSERT INTO cand VALUES
	('clean', '$good', '企业', 1, 1, '2010-01-01', 2020, '制造业'),
	('nulls', '$good', '企业', NULL, NULL, NULL, NULL, '制造业'),
	('uscc lower', lower('$good'), '企业', 1, 1, NULL, NULL, '制造业'),
	('uscc blanks', ' $good ', '企业', 1, 1, NULL, NULL, '制造业'),
	('uscc check', '$bad', '企业', 1, 1, NULL, NULL, '制造业'),
	('uscc short', left('$good', 17), '企业', 1, 1, NULL, NULL, '制造业'),
	('uscc letter I', left('$good', 8) || 'I' || right('$good', 9), '企业', 1, 1, NULL, NULL, '制造业'),
	('uscc null', NULL, '企业', 1, 1, NULL, NULL, '制造业'),
	('name blanks', '$good', ' 企业 ', 1, 1, NULL, NULL, '制造业'),
	('name empty', '$good', '', 1, 1, NULL, NULL, '制造业'),
	('name only blanks', '$good', '   ', 1, 1, NULL, NULL, '制造业'),
	('name null', '$good', NULL, 1, 1, NULL, NULL, '制造业'),
	('sales negative', '$good', '企业', -1, 1, NULL, NULL, '制造业'),
	('employees 0', '$good', '企业', 1, 0, NULL, NULL, '制造业'),
	('founded tomorrow', '$good', '企业', 1, 1, current_date + 1, NULL, '制造业'),
	('sales next year', '$good', '企业', 1, 1, NULL, extract(year FROM current_date)::int + 1, '制造业'),
	('sales 1900', '$good', '企业', 1, 1, NULL, 1900, '制造业'),
	('industry', '$good', '企业', 1, 1, NULL, NULL, '农业'),
	('industry null', '$good', '企业', 1, 1, NULL, NULL, NULL);
CREATE FUNCTION pg_temp.passes(c cand) RETURNS boolean LANGUAGE plpgsql AS \$\$
BEGIN
	INSERT INTO ck (id, uscc, name, district_id, industry, sales_revenue_wan, employees, established_on, sales_year)
	VALUES (1, c.uscc, c.name, 1, c.industry, c.sales_revenue_wan, c.employees, c.established_on, c.sales_year);
	DELETE FROM ck;
	RETURN true;
EXCEPTION WHEN check_violation OR not_null_violation THEN
	RETURN false;
END \$\$;
SELECT string_agg(k || '=' || clean || '/' || constrained
	|| CASE WHEN (clean AND constrained) = (unchecked AND constrained) THEN '' ELSE ' DIFFERS' END
	|| CASE WHEN clean AND NOT unchecked THEN ' SLOW' ELSE '' END, ', ' ORDER BY k)
FROM (SELECT k, gb.enterprise_row_clean(uscc, name, sales_revenue_wan, employees, established_on, sales_year,
		industry) AS clean,
	gb.enterprise_row_unchecked(uscc, name, established_on, sales_year) AS unchecked,
	pg_temp.passes(c) AS constrained FROM cand c) s;
EOF
)
# name=clean/constrained; DIFFERS: a row the bulk path would insert
# without the trigger that the trigger would change or refuse; SLOW: a
# clean row that the bulk check sends to the plain path.
is "$eq" "clean=true/true, employees 0=false/false, founded tomorrow=false/true, industry=false/false, \
industry null=true/false, name blanks=false/true, name empty=false/false, name null=false/false, \
name only blanks=false/false, nulls=true/true, sales 1900=true/false, sales negative=false/false, \
sales next year=false/true, uscc blanks=false/false, uscc check=false/false, uscc letter I=false/false, \
uscc lower=false/false, uscc null=false/false, uscc short=false/false" \
	"on rows the table's constraints let through, row_unchecked is row_clean (and clean rows pass it)"
done_testing
