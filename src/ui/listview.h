/* A list panel over the server: a table whose rows come page by page from a
 * keyset pager (memory stays flat however long the list), with the keys
 * every list shares: moving, paging, g/G, search as you type with n/N,
 * sort by the picked column, filters, marks, live reload.  Panels give a
 * spec and a hook for their own keys. */
#ifndef GB_LISTVIEW_H
#define GB_LISTVIEW_H

#include <stdbool.h>

#include "db/pager.h"
#include "ui/client.h"
#include "ui/input.h"
#include "ui/screen.h"
#include "ui/table.h"

struct listview;
struct lv_req;

struct listview_spec {
	const char *name;			/* for messages, e.g. "企业" */
	struct pager_spec pager;
	const struct table_col *tcols;		/* the first ndisplay pager columns */
	int ndisplay;
	int frozen;
	int default_sort;
	bool default_desc;
	const char *year_cond;			/* e.g. "year = %s::int", or NULL */
	const char *const *tables;		/* notified tables that concern it */
	const char *keys;
	/* The panel's own help lines (what it shows, Enter, e, a, …); the keys
	 * every list shares follow them in the help overlay. */
	const char *const *help;
	const char *search_what;		/* what / searches, e.g. "名称、信用代码" */
	bool marks;				/* Space marks rows (for a on marked rows) */
	const char *empty;			/* shown when there is no row, or NULL */
	/* The panel's own keys, asked first (may be NULL). */
	bool (*key)(struct listview *lv, int ret, wint_t ch);
	/* Open the filter menu (may be NULL). */
	void (*filter)(struct listview *lv);
	attr_t (*row_attr)(struct listview *lv, int row);
};

struct listview_filter {
	char *sql;		/* condition with %s for the value */
	char *value;
	char *label;		/* what the officer sees, e.g. "区镇：张浦镇" */
};

struct listview {
	struct screen s;
	const struct listview_spec *spec;
	struct pager pager;
	struct table table;
	int width;			/* last drawn width */
	int body_rows;
	bool fetching;			/* requests in flight */
	int inflight;
	unsigned epoch;			/* bumped by each request that replaces the window */
	char *year;			/* year the conditions were built for */
	bool loaded;			/* the first page arrived */
	bool reload_again;		/* a change arrived during a fetch */
	bool searching;
	const char *panel_keys;		/* the keys line while the search line is open */
	struct input search_in;
	char *search;			/* last search text, for n/N */
	int search_origin;
	bool wrap_next;			/* the next search request is a wrap-around */
	bool finding;			/* a search-as-you-type request is running */
	struct lv_req *find_rq;		/* that request (its answer clears it) */
	bool find_again;		/* the text changed meanwhile */
	struct listview_filter *filters;
	int nfilters;
	char **marks;			/* ids of marked rows */
	int nmarks;
	char *note;			/* a line under the list ("没有找到…") */
	char **help;			/* spec->help and the shared lines, NULL-ended */
	char *error;
	struct client_keys held;	/* keys waiting for the first page */
	void *data;			/* the panel's own */
};

/* Create the panel for spec (the caller's spec outlives it). */
struct listview *listview_new(struct client *cl, const struct listview_spec *spec);

/* Cell of a visible row: column col of row (pager index), or "". */
const char *listview_cell(const struct listview *lv, int row, int col);

/* Row under the cursor, or -1. */
int listview_cursor(const struct listview *lv);

/* Add a filter (replacing one with the same sql) and load again. */
void listview_set_filter(struct listview *lv, const char *sql, const char *value,
			 const char *label);
void listview_clear_filters(struct listview *lv);

/* Load from the first row, keeping the cursor on the same id if possible. */
void listview_reload(struct listview *lv);

/* True when the row with this id is marked. */
bool listview_is_marked(const struct listview *lv, const char *id);
void listview_clear_marks(struct listview *lv);

#endif
