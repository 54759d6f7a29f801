/* Lines of "label  value" (the enterprise's tabs, a case under review):
 * loaded from a two-column result, drawn with values that say "no" (不符合,
 * 缺, ✗) in the error style, scrolled. */
#ifndef GB_KVLIST_H
#define GB_KVLIST_H

#include <curses.h>
#include <libpq-fe.h>

struct kvlist {
	char **keys, **vals;
	char **tags;		/* column 2 when the result has one ("" for none) */
	int n;
	int top;
	int cursor;		/* selected line, or -1 when lines are not selectable */
};

/* Replace the lines with the rows of res (columns 0 and 1, and 2 as tags
 * when present).  The cursor stays on the same line number. */
void kvlist_load(struct kvlist *kv, const PGresult *res);
void kvlist_clear(struct kvlist *kv);

/* Tag of the selected line, or NULL. */
const char *kvlist_tag(const struct kvlist *kv);

/* Value of the line labelled key, or NULL. */
const char *kvlist_get(const struct kvlist *kv, const char *key);

/* Draw from line top into h lines at y, x. */
void kvlist_draw(struct kvlist *kv, WINDOW *w, int y, int x, int h, int width);

#endif
