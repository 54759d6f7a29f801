#!/usr/bin/env bash
# Catalogue check (014): every column of every table whose changes go to
# the history has a Chinese label in gb.field_label, distinct within its
# table, so that conflict details and the activity summary never show a
# column name; and the summary uses them.
. "$top_srcdir/tests/tap.sh"
set -u
. "$top_srcdir/tests/sql/fixture.sh"
fixture

tracked="SELECT DISTINCT t.tgrelid FROM pg_trigger t JOIN pg_proc p ON p.oid = t.tgfoid
	WHERE p.proname IN ('tg_history', 'tg_enterprise_history')"
is "$(q -c "SELECT count(*) FROM ($tracked) x")" 21 "21 tables keep history"
is "$(q -c "SELECT string_agg(c.relname || '.' || a.attname, ' ' ORDER BY c.relname, a.attnum)
	FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
	WHERE c.oid IN ($tracked)
	  AND NOT EXISTS (SELECT 1 FROM gb.field_label l WHERE l.table_name = c.relname AND l.column_name = a.attname)")" "" \
	"every column of every tracked table has a label"
is "$(q -c "SELECT string_agg(table_name || ':' || label, ' ') FROM (SELECT table_name, label FROM gb.field_label
	GROUP BY 1, 2 HAVING count(*) > 1) x")" "" "no two columns of a table share a label"
is "$(q -c "SELECT string_agg(table_name || '.' || column_name, ' ') FROM gb.field_label WHERE label !~ '[一-龥]'")" "" \
	"every label is Chinese"
is "$(q -c "SELECT string_agg(l.table_name || '.' || l.column_name, ' ') FROM gb.field_label l WHERE NOT EXISTS (
	SELECT 1 FROM pg_attribute a WHERE a.attrelid = ('gb.' || l.table_name)::regclass AND a.attname = l.column_name AND NOT a.attisdropped)")" "" \
	"and no label names a column that does not exist"

# The test itself fails when a column is added without a label.
q -c "ALTER TABLE gb.agency ADD COLUMN fax text" >/dev/null
like "$(q -c "SELECT string_agg(c.relname || '.' || a.attname, ' ') FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0
	WHERE c.oid IN ($tracked) AND NOT EXISTS (SELECT 1 FROM gb.field_label l WHERE l.table_name = c.relname AND l.column_name = a.attname)")" \
	'^agency\.fax$' "(a new column without a label is found)"
q -c "ALTER TABLE gb.agency DROP COLUMN fax" >/dev/null

# The activity summary and the conflict detail speak Chinese for them.
a=$(q -c "SELECT id FROM gb.agency WHERE name = '甲机构'")
as "$city" "UPDATE gb.agency SET address = '昆山市前进路 1 号', contact_phone = '0512-1' WHERE id = $a" >/dev/null
is "$(as "$city" "SELECT summary FROM gb.v_activity WHERE table_name = 'agency' AND record_id = $a ORDER BY id DESC LIMIT 1")" \
	"修改服务机构 #$a 甲机构：地址、联系电话" "the activity summary names the changed columns by label"
as "$city" "UPDATE gb.programme_year SET publicity_days = 10, min_trainings = 3 WHERE year = 2020" >/dev/null
like "$(as "$city" "SELECT summary FROM gb.v_activity WHERE table_name = 'programme_year' ORDER BY id DESC LIMIT 1")" \
	'：(公示天数、最少培训次数|最少培训次数、公示天数)$' "programme parameters too"
like "$(psql -XAtq -c "SET SESSION AUTHORIZATION \"$city\"" -c "SELECT gb.raise_conflict('programme_year', 2020, 1, 2)" 2>&1 | sed -n 's/^DETAIL:  //p')" \
	'修改：.*公示天数' "a conflict detail lists the changed fields by label"
done_testing
