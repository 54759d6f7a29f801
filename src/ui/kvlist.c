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

void kvlist_draw(struct kvlist *kv, WINDOW *w, int y, int x, int h, int width)
{
	int kw = 12;

	for (int i = 0; i < kv->n; i++) {
		int c = (int)draw_cols(kv->keys[i]);

		if (c > kw)
			kw = c;
	}
	if (kw > width / 2)
		kw = width / 2;
	if (kv->cursor >= 0 && kv->cursor < kv->top)
		kv->top = kv->cursor;
	if (kv->cursor >= kv->top + h)
		kv->top = kv->cursor - h + 1;
	if (kv->top > kv->n - h)
		kv->top = kv->n - h;
	if (kv->top < 0)
		kv->top = 0;
	for (int i = 0; i < h && kv->top + i < kv->n; i++) {
		const char *v = kv->vals[kv->top + i];
		bool sel = kv->top + i == kv->cursor;

		draw_cell(w, y + i, x, kv->keys[kv->top + i], (size_t)kw, 0, (size_t)kw, WIDTH_LEFT,
			  sel ? term_theme.cursor : A_BOLD);
		draw_text(w, y + i, x + kw + 2, v, 0, (size_t)(width - kw - 2), value_attr(v));
	}
}
