/* Putting text on the screen: every string goes through escape.h (nothing
 * from the data reaches the terminal raw) and width.h (columns, never a
 * double-width character split at either edge), then the wide curses API. */
#ifndef GB_DRAW_H
#define GB_DRAW_H

#include <curses.h>
#include <stddef.h>

#include "core/width.h"

/* Draw s (any UTF-8, escaped here) at y, x: the columns [skip_cols,
 * skip_cols + max_cols) of it, a cut double-width character replaced by a
 * space.  Returns the columns written (at most max_cols). */
int draw_text(WINDOW *w, int y, int x, const char *s, size_t skip_cols,
	      size_t max_cols, attr_t attr);

/* Draw s as a cell of cell_cols columns (padded, or cut with "…", aligned
 * as asked), showing only its columns [skip_cols, skip_cols + vis_cols).
 * Always writes exactly vis_cols columns. */
void draw_cell(WINDOW *w, int y, int x, const char *s, size_t cell_cols,
	       size_t skip_cols, size_t vis_cols, enum width_align align, attr_t attr);

/* n spaces at y, x. */
void draw_fill(WINDOW *w, int y, int x, int n, attr_t attr);

/* A whole line of width cols: s from the left, the rest spaces. */
void draw_line(WINDOW *w, int y, int x, int cols, const char *s, attr_t attr);

/* Bytes of the first piece of s (len bytes) that fits in cols columns, for
 * wrapping text onto lines: a double-width character or a cluster is never
 * split, a Latin word is not cut when the line can end before it, closing
 * punctuation (，。）” …) never starts a line and opening punctuation (（“ …)
 * never ends one, and at least one cluster is taken so that wrapping
 * always advances. */
size_t draw_wrap_piece(const char *s, size_t len, size_t cols);

/* A keys line ("y 登记申请  n 撤回  …  ? 帮助  Q 退出": groups of a key and
 * its word, two spaces apart) fitted into cols columns: whole groups from
 * the left, then "…" and the help group ("? …" or "F1 …") with what
 * follows it, never a
 * group cut in the middle.  Caller frees. */
char *draw_fit_keys(const char *keys, size_t cols);

/* Columns s takes on screen once escaped. */
size_t draw_cols(const char *s);

#endif
