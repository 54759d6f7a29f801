#!/usr/bin/env bash
# The work queue as a review session (a district's: drafts wait for it) over marked items: Space marks three
# draft applications, a picks the action, a summary names every item
# before anything changes, and after it runs each item the rules refused
# is reported with the database's reason; the others moved on.
. "$top_srcdir/tests/tap.sh"
. "$top_srcdir/tests/ui/e2e_lib.sh"

dist=${PGDATABASE}_bdist
trap e2e_cleanup EXIT

psql_admin >/dev/null <<SQL || { echo "Bail out! could not set up the data"; exit 99; }
SELECT gb.admin_programme_load_2020();
SELECT gb.admin_officer_add('$dist', 'district', '张浦镇', NULL, '王区长');
INSERT INTO gb.enterprise (uscc, name, district_id, above_scale, established_on)
SELECT gb.sample_uscc(i), n, (SELECT id FROM gb.district WHERE name = '张浦镇'), true, '2010-01-01'
FROM (VALUES (1, '批量甲（昆山）有限公司'), (2, '批量乙（昆山）有限公司'), (3, '批量丙（昆山）有限公司')) v(i, n);
INSERT INTO gb.gb_case (enterprise_id, year, state, management_committed)
SELECT id, 2020, 'draft', name <> '批量乙（昆山）有限公司' FROM gb.enterprise;
SQL

start_client C "$dist"
wait_for C "王区长.*已连接"
keys C 3
wait_for C "批量丙.*登记申请"; ok $? "the queue lists the three drafts"
keys C Space Space Space
wait_for C "已标记 3 项"; ok $? "Space marks each"
keys C a
wait_for C "对标记的项目执行"
wait_for C "[0-9] 登记申请"
n=$(screen_of C | grep -o "[0-9] 登记申请" | head -1 | cut -c1)
keys C "$n"
wait_for C "将对以下 3 项执行“登记申请”"; ok $? "a summary comes before anything changes"
like "$(screen_of C)" "批量甲（昆山）有限公司：草稿 → 已申请" "naming each item and its change of state"
like "$(screen_of C)" "按 y 确定执行" "asking for y"
is "$(psql_admin -c "SELECT count(*) FROM gb.gb_case WHERE state = 'draft'")" 3 "nothing changed yet"
keys C y
wait_for C "批量登记申请：2 项成功，1 项被拒绝"; ok $? "the result counts successes and refusals"
like "$(screen_of C)" "✗ 批量乙.*：" "the refused item is named with the database's reason"
is "$(psql_admin -c "SELECT string_agg(e.name || '=' || c.state, ',' ORDER BY e.name) FROM gb.gb_case c JOIN gb.enterprise e ON e.id = c.enterprise_id")" \
	"批量丙（昆山）有限公司=applied,批量乙（昆山）有限公司=draft,批量甲（昆山）有限公司=applied" \
	"the other two moved on"
keys C q
keys C Q
is "$(wait_exit C)" 0 "the client quits with status 0"
clean_stderr C; ok $? "no sanitizer report"
done_testing
