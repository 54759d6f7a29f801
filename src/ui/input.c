#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/utf8.h"
#include "core/width.h"
#include "core/xalloc.h"
#include "ui/draw.h"
#include "ui/input.h"
#include "ui/term.h"

/* Columns of one character in the field (controls never get in). */
static size_t ch_cols(wchar_t c)
{
	int w = width_cp_cols((uint32_t)c);

	return w < 0 ? 1 : (size_t)w;
}

static void reserve(struct input *in, size_t n)
{
	if (in->len + n + 1 <= in->cap)
		return;
	in->cap = (in->len + n + 1) * 2;
	in->buf = xreallocarray(in->buf, in->cap, sizeof(wchar_t));
}

void input_init(struct input *in, const char *utf8, size_t max_chars)
{
	memset(in, 0, sizeof(*in));
	in->max_chars = max_chars;
	reserve(in, 16);
	in->buf[0] = L'\0';
	input_set(in, utf8);
}

void input_free(struct input *in)
{
	XFREE(in->buf);
	in->len = in->cap = in->cur = 0;
}

/* Insert one character at the cursor; false when it is not allowed. */
static bool insert(struct input *in, wchar_t c)
{
	if (in->max_chars > 0 && in->len >= in->max_chars)
		return false;
	if (width_cp_cols((uint32_t)c) < 0)
		return false;	/* control characters never enter a field */
	reserve(in, 1);
	memmove(in->buf + in->cur + 1, in->buf + in->cur,
		(in->len - in->cur + 1) * sizeof(wchar_t));
	in->buf[in->cur++] = c;
	in->len++;
	return true;
}

void input_set(struct input *in, const char *utf8)
{
	size_t n = utf8 ? strlen(utf8) : 0, i = 0;

	in->len = in->cur = 0;
	in->buf[0] = L'\0';
	in->scroll_cols = 0;
	while (i < n) {
		uint32_t cp;
		size_t used = utf8_decode(utf8 + i, n - i, &cp);

		if (used == 0) {
			cp = 0xFFFD;
			used = 1;
		}
		insert(in, (wchar_t)cp);
		i += used;
	}
}

/* Remove the character at index at. */
static void remove_at(struct input *in, size_t at)
{
	memmove(in->buf + at, in->buf + at + 1, (in->len - at) * sizeof(wchar_t));
	in->len--;
}

/* Delete the word before the cursor (Ctrl-W). */
static void delete_word(struct input *in)
{
	while (in->cur > 0 && in->buf[in->cur - 1] == L' ')
		remove_at(in, --in->cur);
	while (in->cur > 0 && in->buf[in->cur - 1] != L' ')
		remove_at(in, --in->cur);
}

/* Editing keys that are not characters. */
static enum input_result edit_key(struct input *in, wint_t ch)
{
	switch (ch) {
	case KEY_LEFT: case 2:		/* Ctrl-B */
		if (in->cur == 0)
			return INPUT_MOVED;
		in->cur--;
		return INPUT_MOVED;
	case KEY_RIGHT: case 6:		/* Ctrl-F */
		if (in->cur < in->len)
			in->cur++;
		return INPUT_MOVED;
	case KEY_HOME: case 1:		/* Ctrl-A */
		in->cur = 0;
		return INPUT_MOVED;
	case KEY_END: case 5:		/* Ctrl-E */
		in->cur = in->len;
		return INPUT_MOVED;
	case KEY_BACKSPACE: case 8: case 127:
		if (in->cur == 0)
			return INPUT_MOVED;
		remove_at(in, --in->cur);
		return INPUT_CHANGED;
	case KEY_DC: case 4:		/* Ctrl-D */
		if (in->cur < in->len)
			remove_at(in, in->cur);
		return INPUT_CHANGED;
	case 21:			/* Ctrl-U: delete to the start */
		memmove(in->buf, in->buf + in->cur, (in->len - in->cur + 1) * sizeof(wchar_t));
		in->len -= in->cur;
		in->cur = 0;
		return INPUT_CHANGED;
	case 11:			/* Ctrl-K: delete to the end */
		in->len = in->cur;
		in->buf[in->len] = L'\0';
		return INPUT_CHANGED;
	case 23:
		delete_word(in);
		return INPUT_CHANGED;
	default:
		return INPUT_IGNORED;
	}
}

enum input_result input_key(struct input *in, int ret, wint_t ch)
{
	if (ret == KEY_CODE_YES) {
		if (ch == TERM_KEY_PASTE_BEGIN || ch == TERM_KEY_PASTE_END) {
			in->pasting = ch == TERM_KEY_PASTE_BEGIN;
			return INPUT_MOVED;
		}
		if (ch == KEY_ENTER)
			return in->pasting ? (insert(in, L' '), INPUT_CHANGED) : INPUT_ENTER;
		return edit_key(in, ch);
	}
	if (ch == L'\r' || ch == L'\n') {
		if (!in->pasting)
			return INPUT_ENTER;
		return insert(in, L' ') ? INPUT_CHANGED : INPUT_MOVED;
	}
	if (ch == L'\t' && in->pasting)
		return insert(in, L' ') ? INPUT_CHANGED : INPUT_MOVED;
	if (ch < 0x20 || ch == 127)
		return edit_key(in, ch);
	return insert(in, (wchar_t)ch) ? INPUT_CHANGED : INPUT_MOVED;
}

char *input_text(const struct input *in)
{
	char *out = xmalloc(in->len * 4 + 1), *o = out;

	for (size_t i = 0; i < in->len; i++) {
		size_t n = utf8_encode((uint32_t)in->buf[i], o);

		o += n;
	}
	*o = '\0';
	return out;
}

size_t input_cursor_cols(const struct input *in)
{
	size_t c = 0;

	for (size_t i = 0; i < in->cur; i++)
		c += ch_cols(in->buf[i]);
	return c;
}

int input_draw(struct input *in, WINDOW *w, int y, int x, int cols, attr_t attr)
{
	size_t cc = input_cursor_cols(in);
	char *text;

	if (cols <= 1)
		return x;
	/* Keep the cursor inside the field, with room for a wide character. */
	if (cc < in->scroll_cols)
		in->scroll_cols = cc;
	if (cc + 2 > in->scroll_cols + (size_t)cols)
		in->scroll_cols = cc + 2 - (size_t)cols;
	text = input_text(in);
	/* A wider field (after a resize) shows again what scrolled out on the
	 * left, as far as the text allows: no room is left empty at the end. */
	size_t all = draw_cols(text) + 2;

	if (in->scroll_cols > 0 && all < in->scroll_cols + (size_t)cols)
		in->scroll_cols = all > (size_t)cols ? all - (size_t)cols : 0;
	draw_cell(w, y, x, text, draw_cols(text) + 2, in->scroll_cols, (size_t)cols,
		  WIDTH_LEFT, attr);
	free(text);
	return x + (int)(cc - in->scroll_cols);
}
