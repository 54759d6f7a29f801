#include "config.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"
#include "ui/draw.h"
#include "ui/kvlist.h"
#include "ui/term.h"

void kvlist_clear(struct kvlist *kv)
{
	for (int i = 0; i < kv->n; i++) {
		free(kv->keys[i]);
		free(kv->vals[i]);
		if (kv->tags)
			free(kv->tags[i]);
	}
	XFREE(kv->keys);
	XFREE(kv->vals);
	XFREE(kv->tags);
	kv->n = 0;
}

void kvlist_load(struct kvlist *kv, const PGresult *res)
{
	kvlist_clear(kv);
	kv->n = PQntuples(res);
	kv->keys = xcalloc((size_t)kv->n + 1, sizeof(char *));
	kv->vals = xcalloc((size_t)kv->n + 1, sizeof(char *));
	if (PQnfields(res) > 2)
		kv->tags = xcalloc((size_t)kv->n + 1, sizeof(char *));
	for (int i = 0; i < kv->n; i++) {
		kv->keys[i] = xstrdup(PQgetvalue(res, i, 0));
		kv->vals[i] = xstrdup(PQgetvalue(res, i, 1));
		if (kv->tags)
			kv->tags[i] = xstrdup(PQgetvalue(res, i, 2));
	}
	if (kv->cursor >= kv->n)
		kv->cursor = kv->n - 1;
}

const char *kvlist_tag(const struct kvlist *kv)
{
	if (kv->tags == NULL || kv->cursor < 0 || kv->cursor >= kv->n)
		return NULL;
	return kv->tags[kv->cursor];
}

const char *kvlist_get(const struct kvlist *kv, const char *key)
{
	for (int i = 0; i < kv->n; i++)
		if (strcmp(kv->keys[i], key) == 0)
			return kv->vals[i];
	return NULL;
}

/* Values that report something missing or refused stand out. */
static attr_t value_attr(const char *v)
{
	if (strncmp(v, "不符合", strlen("不符合")) == 0 || strcmp(v, "缺") == 0 || strcmp(v, "✗") == 0 ||
	    strncmp(v, "缺失", strlen("缺失")) == 0 || strncmp(v, "已过期", strlen("已过期")) == 0)
		return term_theme.error;
	return term_theme.normal;
}

/* Screen lines value v takes wrapped at cols columns (at least one). */
static int value_lines(const char *v, int cols)
{
	size_t len = strlen(v), at = 0;
	int n = 0;

	do {
		size_t piece = draw_wrap_piece(v + at, len - at, cols > 0 ? (size_t)cols : 1);

		n++;
		if (piece == 0)
			break;
		at += piece;
	} while (at < len);
	return n;
}

/* Screen lines of the items [from, to). */
static int item_lines(const struct kvlist *kv, int from, int to, int vcols)
{
	int n = 0;

	for (int i = from; i < to; i++)
		n += value_lines(kv->vals[i], vcols);
	return n;
}

/* The first item shown: the selected one whole on screen, and no blank
 * lines at the end while earlier items could fill them. */
static void scroll_to_cursor(struct kvlist *kv, int h, int vcols)
{
	if (kv->cursor >= 0 && kv->cursor < kv->top)
		kv->top = kv->cursor;
	while (kv->cursor >= 0 && kv->top < kv->cursor &&
	       item_lines(kv, kv->top, kv->cursor + 1, vcols) > h)
		kv->top++;
	if (kv->top > kv->n - 1)
		kv->top = kv->n - 1;
	if (kv->top < 0)
		kv->top = 0;
	while (kv->top > 0 && item_lines(kv, kv->top - 1, kv->n, vcols) <= h)
		kv->top--;
}

/* Long values wrap onto the lines below their label (never cut off, never
 * a wide character split); the label shows on the first. */
void kvlist_draw(struct kvlist *kv, WINDOW *w, int y, int x, int h, int width)
{
	int kw = 12, vcols, row = 0;

	for (int i = 0; i < kv->n; i++) {
		int c = (int)draw_cols(kv->keys[i]);

		if (c > kw)
			kw = c;
	}
	if (kw > width / 2)
		kw = width / 2;
	vcols = width - kw - 2;
	scroll_to_cursor(kv, h, vcols);
	for (int i = kv->top; i < kv->n && row < h; i++) {
		const char *v = kv->vals[i];
		size_t len = strlen(v), at = 0;
		bool sel = i == kv->cursor;

		draw_cell(w, y + row, x, kv->keys[i], (size_t)kw, 0, (size_t)kw, WIDTH_LEFT,
			  sel ? term_theme.cursor : A_BOLD);
		do {
			size_t piece = draw_wrap_piece(v + at, len - at, vcols > 0 ? (size_t)vcols : 1);
			char *p = xstrndup(v + at, piece);

			draw_text(w, y + row, x + kw + 2, p, 0, vcols > 0 ? (size_t)vcols : 0,
				  value_attr(v));
			free(p);
			row++;
			if (piece == 0)
				break;
			at += piece;
		} while (at < len && row < h);
	}
}
