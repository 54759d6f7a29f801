#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"
#include "ui/draw.h"
#include "ui/form.h"
#include "ui/term.h"

void form_init(struct form *f, const char *title)
{
	memset(f, 0, sizeof(*f));
	f->title = xstrdup(title);
}

void form_free(struct form *f)
{
	for (int i = 0; i < f->nfields; i++) {
		free(f->fields[i].key);
		free(f->fields[i].label);
		free(f->fields[i].error);
		free(f->fields[i].initial);
		input_free(&f->fields[i].in);
	}
	free(f->fields);
	free(f->title);
	free(f->message);
	memset(f, 0, sizeof(*f));
}

void form_add(struct form *f, const char *key, const char *label, const char *value,
	      size_t max_chars)
{
	struct form_field *fl;

	f->fields = xreallocarray(f->fields, (size_t)f->nfields + 1, sizeof(*f->fields));
	fl = &f->fields[f->nfields++];
	memset(fl, 0, sizeof(*fl));
	fl->key = xstrdup(key);
	fl->label = xstrdup(label);
	fl->initial = xstrdup(value ? value : "");
	input_init(&fl->in, fl->initial, max_chars);
}

struct form_field *form_field(struct form *f, const char *key)
{
	for (int i = 0; i < f->nfields; i++) {
		if (strcmp(f->fields[i].key, key) == 0)
			return &f->fields[i];
	}
	return NULL;
}

char *form_value(const struct form *f, const char *key)
{
	for (int i = 0; i < f->nfields; i++) {
		if (strcmp(f->fields[i].key, key) == 0)
			return input_text(&f->fields[i].in);
	}
	return xstrdup("");
}

bool form_field_changed(const struct form_field *fl)
{
	char *t = input_text(&fl->in);
	bool changed = strcmp(t, fl->initial) != 0;

	free(t);
	return changed;
}

bool form_dirty(const struct form *f)
{
	for (int i = 0; i < f->nfields; i++)
		if (form_field_changed(&f->fields[i]))
			return true;
	return false;
}

void form_set_error(struct form *f, const char *key, const char *msg)
{
	struct form_field *fl = form_field(f, key);

	if (fl == NULL)
		return;
	free(fl->error);
	fl->error = msg ? xstrdup(msg) : NULL;
}

void form_clear_errors(struct form *f)
{
	for (int i = 0; i < f->nfields; i++)
		XFREE(f->fields[i].error);
	XFREE(f->message);
}

void form_set_message(struct form *f, const char *msg, bool is_error)
{
	free(f->message);
	f->message = msg ? xstrdup(msg) : NULL;
	f->message_is_error = is_error;
}

void form_reset_field(struct form *f, const char *key, const char *value)
{
	struct form_field *fl = form_field(f, key);

	if (fl == NULL)
		return;
	free(fl->initial);
	fl->initial = xstrdup(value ? value : "");
	input_set(&fl->in, fl->initial);
}

/* Move the focus by delta fields, wrapping around. */
static void move_focus(struct form *f, int delta)
{
	if (f->nfields == 0)
		return;
	f->focus = (f->focus + delta + f->nfields) % f->nfields;
}

enum form_result form_key(struct form *f, int ret, wint_t ch)
{
	struct input *in;

	if (f->nfields == 0)
		return ret == OK && ch == 27 ? FORM_CANCEL : FORM_NONE;
	in = &f->fields[f->focus].in;
	if (ret == KEY_CODE_YES) {
		switch (ch) {
		case KEY_DOWN: move_focus(f, 1); return FORM_NONE;
		case KEY_UP: case KEY_BTAB: move_focus(f, -1); return FORM_NONE;
		case KEY_F(2): return FORM_SUBMIT;
		default: break;
		}
	} else if (!in->pasting) {
		switch (ch) {
		case 27: return FORM_CANCEL;
		case L'\t': move_focus(f, 1); return FORM_NONE;
		case 19: return FORM_SUBMIT;	/* Ctrl-S */
		default: break;
		}
	}
	if (input_key(in, ret, ch) == INPUT_ENTER) {
		if (f->focus == f->nfields - 1)
			return FORM_SUBMIT;
		move_focus(f, 1);
	}
	return FORM_NONE;
}

/* Widest label, in columns. */
static int label_cols(const struct form *f)
{
	int n = 4;

	for (int i = 0; i < f->nfields; i++) {
		int c = (int)draw_cols(f->fields[i].label);

		if (c > n)
			n = c;
	}
	return n;
}

void form_draw(struct form *f, WINDOW *w, int y, int x, int h, int width)
{
	int lab = label_cols(f), rows = h - 3, cy = -1, cx = 0;
	int fw = width - lab - 3;

	if (h < 4 || width < 10)
		return;
	if (lab > width / 3)
		lab = width / 3, fw = width - lab - 3;
	for (int i = 0; i < h; i++)
		draw_fill(w, y + i, x, width, term_theme.normal);
	draw_line(w, y, x, width, f->title, term_theme.title);
	/* Each field takes two lines: the field and its message. */
	if (f->focus < f->top)
		f->top = f->focus;
	while ((f->focus - f->top + 1) * 2 > rows && f->top < f->focus)
		f->top++;
	for (int i = f->top, ly = y + 1; i < f->nfields && ly + 1 < y + h - 1; i++, ly += 2) {
		struct form_field *fl = &f->fields[i];
		attr_t a = i == f->focus ? term_theme.cursor : A_UNDERLINE;

		draw_cell(w, ly, x + 1, fl->label, (size_t)lab, 0, (size_t)lab, WIDTH_RIGHT,
			  i == f->focus ? A_BOLD : term_theme.normal);
		int c = input_draw(&fl->in, w, ly, x + lab + 2, fw, a);

		if (i == f->focus) {
			cy = ly;
			cx = c;
		}
		if (fl->error)
			draw_text(w, ly + 1, x + lab + 2, fl->error, 0, (size_t)fw, term_theme.error);
		else if (i == f->focus && (int)draw_cols(fl->label) > lab)
			/* A label cut to fit (e.g. its numbered choices) is
			 * shown whole below its field while it has the focus. */
			draw_text(w, ly + 1, x + 1, fl->label, 0, (size_t)width - 2, term_theme.normal);
	}
	if (f->message)
		draw_line(w, y + h - 1, x, width, f->message,
			  f->message_is_error ? term_theme.error : term_theme.ok);
	if (cy >= 0)
		wmove(w, cy, cx);
}
