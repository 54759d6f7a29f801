/* A table view: a header with the sort direction, rows drawn cell by cell
 * through draw.h, leading columns (the name) that stay while the rest
 * scrolls sideways, a cursor row and marked rows.  The table does not own
 * the data: cells come from a callback. */
#ifndef GB_TABLE_H
#define GB_TABLE_H

#include <curses.h>
#include <stdbool.h>

#include "core/width.h"

struct table_col {
	const char *title;
	int cols;		/* width in columns (with fit: the usual width) */
	enum width_align align;
};

/* With fit, a column grows to its widest cell up to this (the name column,
 * the first frozen one, takes what room is left up to its widest cell). */
#define TABLE_FIT_MAX_COLS 24

/* Text of a cell ("" for none); valid until the next call. */
typedef const char *(*table_cell_fn)(void *ctx, int row, int col);

struct table {
	const struct table_col *cols;
	int ncols;
	int frozen;		/* leading columns that never scroll sideways */
	int hscroll;		/* columns scrolled, of the columns after the frozen ones */
	int sort_col;		/* -1: none shown */
	int cur_col;		/* column picked for sorting, -1: none */
	bool sort_desc;
	int nrows;
	int top;		/* first row shown */
	int cursor;		/* -1: none */
	table_cell_fn cell;
	bool (*marked)(void *ctx, int row);	/* may be NULL */
	attr_t (*row_attr)(void *ctx, int row);	/* may be NULL */
	void *ctx;
	bool fit;		/* size columns from the rows (table_fit) */
	int *widths;		/* fitted widths, or NULL: cols[].cols */
};

/* Size the columns from the widths of the rows' cells: each column as wide
 * as its widest cell or title (at most TABLE_FIT_MAX_COLS, at least its
 * title), then the room left in width to the first column, up to its
 * widest cell.  Without rows the columns keep their usual widths. */
void table_fit(struct table *t, int width);

/* Width in columns of column c as drawn. */
int table_col_cols(const struct table *t, int c);

/* Free what the table allocated (fitted widths). */
void table_free(struct table *t);

/* Draw header and rows into h lines of width columns at y, x (fitted
 * first when fit is set). */
void table_draw(struct table *t, WINDOW *w, int y, int x, int h, int width);

/* Width in columns of everything after the frozen columns. */
int table_scroll_cols(const struct table *t);

/* Scroll sideways by delta columns, kept within what there is to show in width. */
void table_hscroll(struct table *t, int delta, int width);

/* Scroll sideways so that column col is fully visible in width columns. */
void table_show_col(struct table *t, int col, int width);

/* Scroll sideways by one column (dir -1 or 1), to a column boundary. */
void table_hscroll_col(struct table *t, int dir, int width);

/* Keep the cursor inside the rows and on screen for body_rows lines. */
void table_follow(struct table *t, int body_rows);

#endif
