# Shared by the workflow tests (source it after tests/tap.sh): psql helpers
# and the fixture: the 2020 programme, sample years 2018-2019, the agency
# 甲机构, one officer of every role (login names prefixed with the
# database's, as roles are cluster-wide) and the helpers of fixture.sql.
db=$PGDATABASE
q() { psql -XAtq -v ON_ERROR_STOP=1 "$@"; }
admin() { "$GUANBIAO" admin "$@" >/dev/null; }
# The first line of running sql as login: its result, or "SQLSTATE message".
as() {	# login sql
	psql -XAtq -v VERBOSITY=verbose -c "SET SESSION AUTHORIZATION \"$1\"" -c "$2" 2>&1 |
		head -1 | sed -E 's/^ERROR:  ([A-Z0-9]{5}): /\1 /'
}

city="${db}_c" dist="${db}_d" dist2="${db}_d2" agen="${db}_a" obs="${db}_o"
fixture() {
	admin programme load-2020 &&
		q -c "INSERT INTO gb.agency (name) VALUES ('甲机构');
			INSERT INTO gb.programme_year (year, doc_no, title, gb_target) VALUES (2018, 'x', 'x', 1), (2019, 'x', 'x', 1)" &&
		admin officer add "$city" --role city --name 陈市 &&
		admin officer add "$dist" --role district --district 张浦镇 --name 张区 &&
		admin officer add "$dist2" --role district --district 周庄镇 --name 周区 &&
		admin officer add "$agen" --role agency --agency 甲机构 --name 甲机 &&
		admin officer add "$obs" --role observer --name 观察
	ok $? "fixture: officers of every role"
	q -f "$top_srcdir/tests/sql/fixture.sql" >/dev/null
	ok $? "fixture: helpers"
}
