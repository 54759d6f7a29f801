#!/usr/bin/env bash
# gb.enterprise_match (023), which the client's list tests row by row while
# it walks in order, matches exactly the rows gb.enterprise_search (013)
# returns: name, products or contact containing the text in any case, %
# _ \ as themselves, the USCC whole in any case; for every officer, so
# that a search finds the same enterprises however the client asks.
. "$top_srcdir/tests/tap.sh"
. "$top_srcdir/tests/sql/fixture.sh"
trap 'q -c "DROP OWNED BY \"$city\", \"$dist\", \"$dist2\", \"$agen\", \"$obs\"; DROP ROLE IF EXISTS \"$city\", \"$dist\", \"$dist2\", \"$agen\", \"$obs\"" >/dev/null 2>&1' EXIT
fixture
"$GUANBIAO" admin sample --enterprises 600 --seed 11 >/dev/null
ok $? "sample data"
# Texts the sample cannot supply: wildcards, a backslash, mixed case.
q -c "UPDATE gb.enterprise SET name = '百分%之_百\\反斜 Alpha 有限公司' WHERE id = (SELECT min(id) FROM gb.enterprise);
	UPDATE gb.enterprise SET main_products = '100%纯棉 T恤' WHERE id = (SELECT min(id) + 1 FROM gb.enterprise);
	UPDATE gb.enterprise SET contact_name = 'Ann_Lee' WHERE id = (SELECT min(id) + 2 FROM gb.enterprise)"
ok $? "rows with % _ \\ and Latin letters"
uscc=$(q -c "SELECT uscc FROM gb.enterprise ORDER BY id OFFSET 7 LIMIT 1")
lower=$(echo " $uscc " | tr 'A-Z' 'a-z')
product=$(q -c "SELECT split_part(main_products, '、', 1) FROM gb.enterprise WHERE main_products LIKE '%、%' ORDER BY id LIMIT 1")
contact=$(q -c "SELECT contact_name FROM gb.enterprise WHERE contact_name IS NOT NULL ORDER BY id DESC LIMIT 1")

# The ids each way, as one officer, for one text.
by_search() { as "$1" "SELECT coalesce(string_agg(id::text, ',' ORDER BY id), '-') FROM gb.enterprise_search(\$t\$$2\$t\$, NULL, NULL, 2147483647)"; }
by_match() { as "$1" "SELECT coalesce(string_agg(id::text, ',' ORDER BY id), '-') FROM gb.v_enterprise_list WHERE gb.enterprise_match(name, main_products, contact_name, uscc, \$t\$$2\$t\$)"; }

for t in 有限公司 科技 "(昆山)" "（昆山）" "%" "_" '\' "%之_百\\反" alpha "ALPHA 有" "0%纯" "ann_" "n_l" "$uscc" "$lower" "${uscc:0:10}" "$product" "$contact" 不存在的名字; do
	for who in "$city" "$dist"; do
		want=$(by_search "$who" "$t")
		is "$(by_match "$who" "$t")" "$want" "“$t” as ${who#${db}_}: the same rows ($(echo "$want" | tr ',' '\n' | grep -c '^[0-9]'))"
	done
done
# The texts above are not all trivial: some match many rows, some one, some none.
is "$(by_search "$city" 有限公司 | tr ',' '\n' | wc -l)" "$(q -c "SELECT count(*) FROM gb.enterprise WHERE name LIKE '%有限公司%' OR main_products LIKE '%有限公司%' OR contact_name LIKE '%有限公司%'")" "有限公司 is found in every such row"
is "$(by_search "$city" '%之_百\反')" "$(q -c "SELECT min(id) FROM gb.enterprise")" "% _ \\ match only themselves"
is "$(by_match "$city" "$lower")" "$(q -c "SELECT id FROM gb.enterprise WHERE uscc = '$uscc'")" "a USCC in lower case with spaces finds its enterprise"
is "$(by_match "$city" "${uscc:0:10}")" "-" "part of a USCC is not a match (as the search function)"
done_testing
