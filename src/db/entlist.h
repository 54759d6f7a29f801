/* The enterprise list of the client (panel 2 企业) over sql 016's view: the
 * relation, its columns and the keys it sorts by, shared by the panel and
 * the tests that check each sort pages correctly and by an index. */
#ifndef GB_ENTLIST_H
#define GB_ENTLIST_H

#include "db/pager.h"

/* The view, aliased v for the conditions below. */
#define ENTLIST_FROM "gb.v_enterprise_year v"
/* The programme year (picked with Y) the 贯标 stage belongs to. */
#define ENTLIST_YEAR_COND "list_year = %s::int"
/* No 贯标 case in that year: an anti-join the planner estimates well
 * (a filter on the joined stage being NULL sorts a million rows). */
#define ENTLIST_NO_CASE_COND \
	"NOT EXISTS (SELECT FROM gb.gb_case c WHERE c.enterprise_id = v.id AND c.year = v.list_year)"

/* Search.  First the walk: the next ENTLIST_SEARCH_WALK_ROWS rows of the
 * list from the cursor, tested with sql 023's one-row match; a text found
 * in most enterprises (有限公司: a million ids to collect at 1M, 8 s) is
 * met there at once.  500 rows through the view take ~20 ms; a text that
 * matches 1 row in 100 is met among them in all but 1 case in 150.  Only
 * when the walk meets nothing (and the list goes on) the pager's search_sql:
 * every match through sql 013's search function (the trigram indexes
 * under the row policy), as an array, so that the list reads those rows by
 * id (IN (…) made the planner walk the list's order from the cursor until
 * it met one: 15 s at 1M for a name near the end).  Texts of one or two
 * characters have no trigram: the function scans the table (~1 s at 1M),
 * still far less than reading the list through the view row by row.  The
 * ILIKE columns (entlist_search) and ENTLIST_SEARCH_MIN serve a list
 * without the walk. */
#define ENTLIST_SEARCH_SQL \
	"id = ANY (ARRAY(SELECT s.id FROM gb.enterprise_search(%s, NULL, NULL, " \
	"2147483647, false) s))"
#define ENTLIST_SEARCH_MIN 3
#define ENTLIST_SEARCH_WALK "gb.enterprise_match(name, main_products, contact_name, uscc, %s)"
#define ENTLIST_SEARCH_WALK_ROWS 500
extern const char *const entlist_search[4];

enum entlist_col {
	ENTLIST_NAME, ENTLIST_DISTRICT, ENTLIST_PRODUCTS, ENTLIST_SALES, ENTLIST_EMPLOYEES,
	ENTLIST_GB, ENTLIST_DEMO, ENTLIST_AGENCY, ENTLIST_CONTACT, ENTLIST_PHONE, ENTLIST_USCC,
	ENTLIST_NCOLS
};

/* Columns with their sort keys: only those an index of sql 016 serves
 * (name; district, sales, employees each then name; USCC) are sortable. */
extern const struct pager_col entlist_cols[ENTLIST_NCOLS];
extern const char *const entlist_ties[ENTLIST_NCOLS];

#endif
