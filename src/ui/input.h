/* A one-line text field that edits characters, not bytes: the cursor is an
 * index into the characters and is shown at their column, so Chinese text
 * inserts, deletes and moves one character at a time.  Pasted text
 * (bracketed paste) is inserted as typed, a pasted newline becoming a space
 * instead of submitting. */
#ifndef GB_INPUT_H
#define GB_INPUT_H

#include <curses.h>
#include <stdbool.h>
#include <stddef.h>
#include <wchar.h>

struct input {
	wchar_t *buf;		/* len characters, NUL-terminated */
	size_t len, cap;
	size_t cur;		/* cursor: characters before it */
	size_t scroll_cols;	/* first column shown */
	size_t max_chars;	/* 0: no limit */
	bool pasting;		/* between the paste markers */
};

/* What a key did to the field. */
enum input_result {
	INPUT_IGNORED,		/* not an editing key: the caller handles it */
	INPUT_CHANGED,		/* text changed */
	INPUT_MOVED,		/* only the cursor moved */
	INPUT_ENTER,		/* Enter typed (not pasted) */
};

void input_init(struct input *in, const char *utf8, size_t max_chars);
void input_free(struct input *in);

/* Replace the text (cursor at the end). */
void input_set(struct input *in, const char *utf8);

/* Handle a key from get_wch (ret is OK or KEY_CODE_YES). */
enum input_result input_key(struct input *in, int ret, wint_t ch);

/* The text as UTF-8.  Caller frees. */
char *input_text(const struct input *in);

/* Columns of the characters before the cursor. */
size_t input_cursor_cols(const struct input *in);

/* Draw into cols columns at y, x, scrolled so the cursor is visible;
 * returns the screen column where the cursor belongs. */
int input_draw(struct input *in, WINDOW *w, int y, int x, int cols, attr_t attr);

#endif
