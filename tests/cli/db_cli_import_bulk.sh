#!/usr/bin/env bash
# import at bulk size: a file of 25,000 new enterprises goes in whole
# through the bulk path of gb.enterprise_insert_staged (indexes built again
# as they were), with one history row per enterprise in the officer's name
# and ONE bulk notification; progress shows on a terminal; the bulk path
# and the plain INSERT still refuse, all or nothing, a USCC another
# district holds and name every such line; a re-import changes nothing;
# phase times on demand.
. "$top_srcdir/tests/cli/cli_setup.sh"
n=25000
kfq_id=$(sql "SELECT id FROM gb.district WHERE name = '昆山开发区'")

# New enterprises of 昆山开发区 with USCCs of another prefix than the sample's.
bulk_file() {	# FILE FIRST COUNT
	sql "\\copy (SELECT gb.sample_uscc(i, '91320500') AS 统一社会信用代码, '批量企业' || i || '有限公司' AS 企业名称,
		'昆山开发区' AS 区镇, '制造业' AS 行业, '是' AS 规模以上, '2012-05-01' AS 成立日期,
		'产品' || (i % 97) AS 主要产品, (i % 1000) / 10.0 AS 去年销售收入, 1 + i % 500 AS 职工人数,
		'联系人' || (i % 100) AS 联系人, '0512-' || (20000000 + i) AS 电话
		FROM generate_series($2, $2 + $3 - 1) i) TO '$1' WITH (FORMAT csv, HEADER)"
}
bulk_file "$work/bulk.csv" 1 $n
# The secondary indexes of gb.enterprise (new oids: built again by the bulk
# path of gb.enterprise_insert_staged) and everything that path drops and
# restores, as text.
index_oids() {
	sql "SELECT string_agg(indexrelid::text, ',' ORDER BY indexrelid::regclass::text) FROM pg_index
		WHERE indrelid = 'gb.enterprise'::regclass AND NOT indisunique"
}
catalog() {
	sql "SELECT string_agg(d, E'\n' ORDER BY d) FROM (
		SELECT pg_get_indexdef(indexrelid) AS d FROM pg_index WHERE indrelid = 'gb.enterprise'::regclass
		UNION ALL SELECT conname || ' ' || pg_get_constraintdef(oid) || ' ' || convalidated
		FROM pg_constraint WHERE conrelid = 'gb.enterprise'::regclass AND contype = 'f'
		UNION ALL SELECT tgname || ' ' || tgenabled::text FROM pg_trigger
		WHERE tgrelid = 'gb.enterprise'::regclass AND NOT tgisinternal) s"
}
oids0=$(index_oids) cat0=$(catalog)
like "$cat0" 'enterprise_district_id_fkey FOREIGN KEY .* true' "fixture: the catalog to compare"

# The large file with, at its end, a USCC that 张浦镇 holds (invisible to
# 开发区): the bulk INSERT fails on it after dropping the indexes; all is
# undone to the savepoint and the guarded INSERT names the line.
zp_uscc=$(sql "SELECT uscc FROM gb.enterprise e JOIN gb.district d ON d.id = e.district_id WHERE d.name = '张浦镇' LIMIT 1")
cp "$work/bulk.csv" "$work/bulk-bad.csv"
printf '%s,抢来的公司,昆山开发区,制造业,是,2012-05-01,产品,1,1,甲,1\n' "$zp_uscc" >>"$work/bulk-bad.csv"
before=$(db_state)
out=$(as_kfq import enterprises "$work/bulk-bad.csv" 2>&1); rc=$?
is "$rc" 2 "a large file with another district's USCC is refused"
like "$out" "bulk-bad.csv:$((n + 2)): 统一社会信用代码: $zp_uscc 已登记在您无权修改的区镇，不能导入" "naming its line"
is "$(db_state)" "$before" "nothing changed"
is "$(index_oids)" "$oids0" "the indexes the bulk path had dropped are the ones there were"
is "$(catalog)" "$cat0" "so are the foreign key and the row triggers"
h0=$(sql "SELECT coalesce(max(id), 0) FROM gb.history")

# A listener that is known to be listening before the import starts, and
# reads what arrived after it ends (a coprocess: no sleeping on timings).
coproc LISTENER { psql -XAtq -v ON_ERROR_STOP=1 2>&1; }
# bash unsets LISTENER_PID when the coprocess ends, which may be before the
# wait below: keep the pid.
listener_pid=$LISTENER_PID
echo "LISTEN gb_change; SELECT 'listening';" >&"${LISTENER[1]}"
read -r line <&"${LISTENER[0]}"
is "$line" listening "fixture: a session listens on gb_change"

# On a pseudo-terminal, with the phase times.
out=$(script -qec "env PGUSER=$KFQ GUANBIAO_IMPORT_TIMES=1 ${GB_VALGRIND_CMD:-} $G import enterprises $work/bulk.csv; echo rc=\$?" /dev/null)
like "$out" 'rc=0' "a file of $n new enterprises imports"
like "$out" "新增 $n 家企业，更新 0 家，0 家无变化（$n 行，[0-9.]+ 秒，每秒 [0-9]+ 行）" \
	"the summary counts them and gives the rows per second"
like "$out" '已读取 20000 行' "progress on a terminal while reading"
like "$out" "已核对 $n 行，正在写入新企业和修改记录（新企业多时企业表会短暂锁定，其他人查看企业需稍候）" \
	"and while writing, saying that the table is locked for a while"
like "$out" '各阶段耗时：读取并暂存 [0-9.]+ 秒，核对 [0-9.]+ 秒，更新 [0-9.]+ 秒，新增 [0-9.]+ 秒，提交 [0-9.]+ 秒' \
	"GUANBIAO_IMPORT_TIMES prints where the time went"

# psql prints what arrived after the result of its next command.
echo "SELECT 'done'; SELECT 'end';" >&"${LISTENER[1]}"
notes=""
while read -r line <&"${LISTENER[0]}"; do
	[ "$line" = end ] && break
	notes+="$line"$'\n'
done
echo '\q' >&"${LISTENER[1]}"
wait "$listener_pid" 2>/dev/null
is "$(printf '%s' "$notes" | grep -c 'Asynchronous notification')" 1 "one notification for the whole import"
like "$notes" "\"table\" : \"enterprise\", \"bulk\" : true, \"count\" : $n" "the bulk payload with the count"

[ "$(index_oids)" != "$oids0" ]
ok $? "the import took the bulk path: every secondary index was built again"
is "$(catalog)" "$cat0" "with the same definitions; the foreign key validated, the row triggers enabled"
is "$(PGUSER=$KFQ sql "SELECT count(*) FROM gb.enterprise_search('批量企业24680有限公司')")" 1 "the new trigram index finds an imported row"
is "$(sql "SELECT count(*) FROM gb.enterprise WHERE uscc LIKE '91320500%' AND district_id = $kfq_id
	AND updated_by = '$KFQ' AND version = 1")" "$n" "every row is in the database, in the officer's district and name"
is "$(sql "SELECT count(*) FROM gb.history h JOIN gb.enterprise e ON e.id = h.record_id
	WHERE h.id > $h0 AND h.table_name = 'enterprise' AND h.action = 'insert' AND h.login = '$KFQ'
	AND h.enterprise_id = e.id AND h.district_id = e.district_id AND h.after->>'uscc' = e.uscc
	AND e.uscc LIKE '91320500%'")" "$n" "one insert history row per enterprise, in the officer's name, with its values"
is "$(sql "SELECT count(*) FROM gb.history WHERE id > $h0")" "$n" "and no other history row"
is "$(sql "SELECT bool_and(e.name = '批量企业' || i || '有限公司') FROM (SELECT name, row_number() OVER (ORDER BY id) AS i
	FROM gb.enterprise WHERE uscc LIKE '91320500%') e")" t "ids follow the order of the file's lines"

# The same file again: nothing changes, nothing is written.
before=$(db_state)
out=$(as_kfq import enterprises "$work/bulk.csv"); rc=$?
is "$rc" 0 "re-import of the same file"
like "$out" "新增 0 家企业，更新 0 家，$n 家无变化" "finds every enterprise unchanged"
is "$(db_state)" "$before" "and writes nothing"

# New rows and, after them, one USCC that 张浦镇 holds (invisible to 开发区):
# the plain INSERT stops there, the import names the line and changes
# nothing, not even the new rows before it.
zp_uscc=$(sql "SELECT uscc FROM gb.enterprise e JOIN gb.district d ON d.id = e.district_id WHERE d.name = '张浦镇' LIMIT 1")
bulk_file "$work/more.csv" $((n + 1)) 3000
printf '%s,抢来的公司,昆山开发区,制造业,是,2012-05-01,产品,1,1,甲,1\n' "$zp_uscc" >>"$work/more.csv"
bulk_file "$work/tail.csv" $((n + 3001)) 10
tail -n +2 "$work/tail.csv" >>"$work/more.csv"
before=$(db_state)
out=$(as_kfq import enterprises "$work/more.csv" 2>&1); rc=$?
is "$rc" 2 "a file with another district's USCC among new rows is refused"
like "$out" "more.csv:3002: 统一社会信用代码: $zp_uscc 已登记在您无权修改的区镇，不能导入" "naming its line"
is "$(printf '%s\n' "$out" | grep -c '已登记在您无权修改的区镇')" 1 "and only that line"
is "$(db_state)" "$before" "nothing changed: not the 3,010 new rows either"
sed -i "/^$zp_uscc,/d" "$work/more.csv"
out=$(as_kfq import enterprises "$work/more.csv"); rc=$?
is "$rc" 0 "without that row the file imports"
like "$out" "新增 3010 家企业，更新 0 家，0 家无变化" "all its new rows"

# Many changed rows: one update history row each, in the officer's name.
h1=$(sql "SELECT max(id) FROM gb.history")
awk -F, -v OFS=, 'NR > 1 && NR <= 2001 { $7 = "新产品" NR } { print }' "$work/bulk.csv" >"$work/edit.csv"
out=$(as_kfq import enterprises "$work/edit.csv"); rc=$?
is "$rc" 0 "a file changing 2,000 enterprises"
like "$out" "新增 0 家企业，更新 2000 家，$((n - 2000)) 家无变化" "updates exactly those"
is "$(sql "SELECT count(*) FROM gb.history h JOIN gb.enterprise e ON e.id = h.record_id
	WHERE h.id > $h1 AND h.action = 'update' AND h.login = '$KFQ' AND e.version = 2
	AND h.before->>'main_products' <> h.after->>'main_products' AND h.after->>'main_products' = e.main_products")" 2000 \
	"one update history row per changed enterprise, before and after"
is "$(sql "SELECT count(*) FROM gb.history WHERE id > $h1")" 2000 "and none for the unchanged ones"
done_testing
