#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"
#include "ui/draw.h"
#include "ui/table.h"
#include "ui/term.h"

int table_col_cols(const struct table *t, int c)
{
	return t->widths ? t->widths[c] : t->cols[c].cols;
}

void table_free(struct table *t)
{
	XFREE(t->widths);
}

/* The widest of column c's title (with its sort mark when sorted) and cells. */
static int natural_cols(const struct table *t, int c)
{
	int n = (int)draw_cols(t->cols[c].title) +
		(c == t->sort_col ? (int)draw_cols(term_sort_mark(t->sort_desc)) : 0);

	for (int r = 0; r < t->nrows; r++) {
		int w = (int)draw_cols(t->cell(t->ctx, r, c));

		if (w > n)
			n = w;
	}
	return n;
}

void table_fit(struct table *t, int width)
{
	int used = 2;	/* mark and a gap */

	if (t->nrows == 0 || t->ncols == 0) {
		XFREE(t->widths);
		return;
	}
	if (t->widths == NULL)
		t->widths = xcalloc((size_t)t->ncols, sizeof(int));
	for (int c = 1; c < t->ncols; c++) {
		int n = natural_cols(t, c);
		int cap = t->cols[c].cols > TABLE_FIT_MAX_COLS ? t->cols[c].cols : TABLE_FIT_MAX_COLS;

		t->widths[c] = n < cap ? n : cap;
		used += t->widths[c] + 1;
	}
	/* The name: what is left, as much as its longest needs, never below its usual width. */
	int name = natural_cols(t, 0), left = width - used;

	if (name > left)
		name = left;
	t->widths[0] = name > t->cols[0].cols ? name : t->cols[0].cols;
}

/* Columns taken by the mark column and the frozen columns with their gaps. */
static int frozen_cols(const struct table *t)
{
	int n = 2;	/* mark and a gap */

	for (int c = 0; c < t->frozen && c < t->ncols; c++)
		n += table_col_cols(t, c) + 1;
	return n;
}

int table_scroll_cols(const struct table *t)
{
	int n = 0;

	for (int c = t->frozen; c < t->ncols; c++)
		n += table_col_cols(t, c) + 1;
	return n;
}

void table_hscroll(struct table *t, int delta, int width)
{
	int room = width - frozen_cols(t);
	int max = table_scroll_cols(t) - (room > 0 ? room : 0);

	t->hscroll += delta;
	if (t->hscroll > max)
		t->hscroll = max;
	if (t->hscroll < 0)
		t->hscroll = 0;
}

void table_follow(struct table *t, int body_rows)
{
	if (t->nrows == 0) {
		t->cursor = -1;
		t->top = 0;
		return;
	}
	if (t->cursor < 0)
		t->cursor = 0;
	if (t->cursor >= t->nrows)
		t->cursor = t->nrows - 1;
	if (body_rows < 1)
		body_rows = 1;
	if (t->cursor < t->top)
		t->top = t->cursor;
	if (t->cursor >= t->top + body_rows)
		t->top = t->cursor - body_rows + 1;
	if (t->top > t->nrows - body_rows)
		t->top = t->nrows - body_rows;
	if (t->top < 0)
		t->top = 0;
}

/* Header text of column c: its title with the sort mark when sorted by it. */
static char *header_text(const struct table *t, int c)
{
	if (c == t->sort_col)
		return xasprintf("%s%s", t->cols[c].title, term_sort_mark(t->sort_desc));
	return xstrdup(t->cols[c].title);
}

/* One line: text(c) for each column, frozen ones fixed, the rest scrolled. */
static void draw_row(const struct table *t, WINDOW *w, int y, int x, int width,
		     const char *mark, int row, attr_t attr)
{
	int fx = x + 2, room, vstart = 0;

	draw_fill(w, y, x, width, attr);
	draw_text(w, y, x, mark, 0, 1, attr);
	for (int c = 0; c < t->frozen && c < t->ncols; c++) {
		int cw = table_col_cols(t, c);

		if (fx - x + cw > width)
			cw = width - (fx - x);
		if (cw <= 0)
			return;
		char *h = row < 0 ? header_text(t, c) : NULL;

		draw_cell(w, y, fx, h ? h : t->cell(t->ctx, row, c), (size_t)table_col_cols(t, c), 0,
			  (size_t)cw, h ? WIDTH_LEFT : t->cols[c].align,
			  h && c == t->cur_col ? attr | A_REVERSE : attr);
		free(h);
		fx += table_col_cols(t, c) + 1;
	}
	room = width - (fx - x);
	for (int c = t->frozen; c < t->ncols && room > 0; c++) {
		int vs = vstart, ve = vstart + table_col_cols(t, c);
		int from = vs > t->hscroll ? vs : t->hscroll;
		int to = ve < t->hscroll + room ? ve : t->hscroll + room;

		vstart = ve + 1;
		if (to <= from)
			continue;
		char *h = row < 0 ? header_text(t, c) : NULL;

		draw_cell(w, y, fx + (from - t->hscroll), h ? h : t->cell(t->ctx, row, c),
			  (size_t)table_col_cols(t, c), (size_t)(from - vs), (size_t)(to - from),
			  h ? WIDTH_LEFT : t->cols[c].align,
			  h && c == t->cur_col ? attr | A_REVERSE : attr);
		free(h);
	}
}

void table_draw(struct table *t, WINDOW *w, int y, int x, int h, int width)
{
	int body = h - 1;

	if (h <= 0 || width <= 0)
		return;
	if (t->fit)
		table_fit(t, width);
	table_follow(t, body);
	draw_row(t, w, y, x, width, t->hscroll > 0 ? "<" : " ", -1, term_theme.header);
	for (int i = 0; i < body; i++) {
		int r = t->top + i;
		attr_t a = term_theme.normal;
		bool mk;

		if (r >= t->nrows) {
			draw_fill(w, y + 1 + i, x, width, a);
			continue;
		}
		mk = t->marked && t->marked(t->ctx, r);
		if (t->row_attr)
			a = t->row_attr(t->ctx, r);
		if (mk)
			a = term_theme.marked;
		if (r == t->cursor)
			a = term_theme.cursor;
		draw_row(t, w, y + 1 + i, x, width, mk ? "*" : " ", r, a);
	}
}

void table_show_col(struct table *t, int col, int width)
{
	int room = width - frozen_cols(t), vs = 0, start = 0;

	if (col < t->frozen || col >= t->ncols)
		return;
	for (int c = t->frozen; c < col; c++)
		vs += table_col_cols(t, c) + 1;
	if (vs < t->hscroll) {
		t->hscroll = vs;
		return;
	}
	if (vs + table_col_cols(t, col) <= t->hscroll + room)
		return;
	/* Start at the first column boundary that shows all of col, or at col
	 * itself when it is wider than the room. */
	for (int c = t->frozen; c < col; c++) {
		if (vs + table_col_cols(t, col) - start <= room)
			break;
		start += table_col_cols(t, c) + 1;
	}
	t->hscroll = start;
}

void table_hscroll_col(struct table *t, int dir, int width)
{
	int start = 0, prev = 0, room = width - frozen_cols(t);

	/* Right: nothing to do once the last column shows whole. */
	if (dir > 0 && t->hscroll + room >= table_scroll_cols(t))
		return;
	for (int c = t->frozen; c < t->ncols; c++) {
		if (dir > 0 && start > t->hscroll) {
			t->hscroll = start;
			return;
		}
		if (dir < 0 && start >= t->hscroll) {
			t->hscroll = prev;
			return;
		}
		prev = start;
		start += table_col_cols(t, c) + 1;
	}
	if (dir < 0)
		t->hscroll = prev;
}
