/* Keyset paging over a relation: a window of rows around the cursor, fetched
 * page by page with WHERE (key, [tie,] id) > ($1, …) ORDER BY key, [tie,] id
 * LIMIT n (and backwards), so a list over a million rows never loads the table and the
 * client's memory stays flat.  The pager only builds statements (every value
 * a parameter; identifiers come from the program's own specs) and applies
 * their results; running them is the caller's business.  No curses here. */
#ifndef GB_PAGER_H
#define GB_PAGER_H

#include <stdbool.h>
#include <libpq-fe.h>

/* A column of the relation and how to sort by it. */
struct pager_col {
	const char *name;	/* column name in the relation */
	const char *sort;	/* sort expression that is never NULL, or NULL: not sortable */
};

/* What to page over.  All strings are SQL text written by the program. */
struct pager_spec {
	const char *from;	/* relation, e.g. "gb.v_enterprise_list" */
	const char *id;		/* unique, non-NULL tie-breaker column */
	const struct pager_col *cols;
	int ncols;
	/* Per column (may be NULL): a never-NULL expression that orders rows
	 * with equal sort keys before id, e.g. "name".  A sorted list pages by
	 * (sort, tie, id), so one btree on those expressions serves every page
	 * in both directions.  Under row security only leakproof comparisons
	 * become index conditions: write sort keys without COALESCE or numeric
	 * (CASE WHEN x IS NULL THEN … END, or a leakproof function), or each
	 * page is found by reading from the start of the order. */
	const char *const *ties;
	/* Per column (may be NULL): why it cannot be sorted, for the officer. */
	const char *const *nosort;
	const char *const *search;	/* columns searched with ILIKE (may be NULL) */
	int nsearch;
	/* Instead of the ILIKE columns: a condition with "%s" where the raw
	 * search text goes as a parameter, for a search the server can serve
	 * from an index (e.g. gb.enterprise_search under row security). */
	const char *search_sql;
	/* Use search_sql only for texts of at least this many characters; a
	 * shorter one (no trigram: the index cannot help, and it matches
	 * everywhere) is checked row by row with the ILIKE columns in the
	 * list's order, stopping at the first match instead of collecting
	 * every match first.  0: always search_sql. */
	int search_sql_min;
	/* With search_sql: the same match as a condition on one row ("%s"
	 * where the raw text goes), and how many rows of the list to test with
	 * it from the anchor, in the list's order, before asking search_sql
	 * (then for texts of every length: search_sql_min does not apply).
	 * A text found in most rows (collecting every match by search_sql
	 * would take seconds) is met within the first rows; a rare one costs
	 * that short walk more, where reading the whole list row by row could
	 * take far longer.  NULL or 0: as without. */
	const char *search_walk;
	int search_walk_rows;
	const char *where;	/* fixed condition, or NULL */
	int page_rows;		/* rows per fetch */
	int max_rows;		/* rows kept in the window */
};

struct pager_row {
	char **cells;		/* ncols strings, "" for NULL */
	char *key;		/* value of the sort expression */
	char *tie;		/* value of the tie expression ("" without one) */
	char *id;
};

/* A condition added by the officer (filter).  sql holds "%s" where the
 * parameter goes (or none, with value NULL). */
struct pager_cond {
	char *sql;
	char *value;
};

struct pager {
	const struct pager_spec *spec;
	int sort_col;		/* index into spec->cols */
	bool desc;
	struct pager_cond *conds;
	int nconds;
	struct pager_row *rows;
	int nrows;
	bool at_start;		/* the window begins at the first row */
	bool at_end;		/* the window ends at the last row */
	unsigned gen;		/* bumped when sort or filter change */
	int first_rows;		/* a first or last page: as many rows as one screen
				 * shows, so it comes sooner (0: page_rows) */
};

enum pager_op {
	PAGER_FIRST,		/* the first page */
	PAGER_LAST,		/* the last page */
	PAGER_NEXT,		/* the page after the window */
	PAGER_PREV,		/* the page before the window */
	PAGER_RELOAD,		/* the window again, from its first row (live updates) */
	PAGER_FIND,		/* first match at or after the anchor, and a page from it */
	PAGER_FIND_AFTER,	/* first match after the anchor */
	PAGER_FIND_BEFORE,	/* last match before the anchor */
};

/* A statement built by pager_build().  Free with pager_query_clear(). */
struct pager_query {
	char *sql;
	char **params;
	int nparams;
	enum pager_op op;
	int limit;
	unsigned gen;
};

void pager_init(struct pager *p, const struct pager_spec *spec, int sort_col);
void pager_clear(struct pager *p);

/* Sort by column col (must have a sort expression); empties the window.
 * False (nothing changes) for a column that cannot be sorted. */
bool pager_set_sort(struct pager *p, int col, bool desc);

/* Add a filter condition ("district_id = %s", "12"); empties the window. */
void pager_add_cond(struct pager *p, const char *sql_fmt, const char *value);
void pager_clear_conds(struct pager *p);

/* Build the statement for op.  For the FIND ops, anchor_row is the row the
 * search starts from (-1: from the start) and text the search text. */
void pager_build(const struct pager *p, enum pager_op op, int anchor_row,
		 const char *text, struct pager_query *q);
void pager_query_clear(struct pager_query *q);

/* Apply the result of q to the window.  Returns the number of rows received,
 * or -1 when q is stale (sort or filter changed since it was built).  For
 * PAGER_NEXT/PREV, *shift is what to add to row indices held before the call
 * (rows prepended or trimmed from the front); the other ops replace the
 * window (a FIND that matched nothing leaves it alone) and set *shift to 0. */
int pager_apply(struct pager *p, const struct pager_query *q, const PGresult *res,
		int *shift);

/* Why column col cannot be sorted (spec->nosort), or NULL. */
const char *pager_nosort_reason(const struct pager_spec *spec, int col);

/* Index of the row whose id is id, or -1. */
int pager_find_id(const struct pager *p, const char *id);

/* ILIKE pattern matching text anywhere, with % _ \ escaped.  Caller frees. */
char *pager_like_pattern(const char *text);

#endif
