/* A form: labelled input fields, each with its own validation message, laid
 * out afresh on every draw so that a resize keeps what was typed. */
#ifndef GB_FORM_H
#define GB_FORM_H

#include <curses.h>
#include <stdbool.h>

#include "ui/input.h"

struct form_field {
	char *key;		/* name the caller knows the field by */
	char *label;
	struct input in;
	char *error;		/* validation message, or NULL */
	char *initial;		/* value when the form opened */
};

struct form {
	char *title;
	struct form_field *fields;
	int nfields;
	int focus;
	int top;		/* first field shown when they do not all fit */
	char *message;		/* a line for the whole form (conflict, refusal) */
	bool message_is_error;
};

enum form_result { FORM_NONE, FORM_SUBMIT, FORM_CANCEL };

void form_init(struct form *f, const char *title);
void form_free(struct form *f);
void form_add(struct form *f, const char *key, const char *label, const char *value,
	      size_t max_chars);

/* Field by key, or NULL. */
struct form_field *form_field(struct form *f, const char *key);

/* Current text of a field.  Caller frees. */
char *form_value(const struct form *f, const char *key);

/* True when the field's text differs from its initial value. */
bool form_field_changed(const struct form_field *fl);

/* True when any field differs from its initial value. */
bool form_dirty(const struct form *f);

void form_set_error(struct form *f, const char *key, const char *msg);
void form_clear_errors(struct form *f);
void form_set_message(struct form *f, const char *msg, bool is_error);

/* Set a field's text and its initial value (reload after a conflict). */
void form_reset_field(struct form *f, const char *key, const char *value);

/* Tab/arrows move between fields, Enter moves on (submits on the last),
 * F2 or Ctrl-S submits, Esc cancels; the rest edits the focused field. */
enum form_result form_key(struct form *f, int ret, wint_t ch);

/* Draw in h lines of width columns at y, x and place the cursor. */
void form_draw(struct form *f, WINDOW *w, int y, int x, int h, int width);

#endif
