/* Modal dialogs: a message (help, explanations, conflicts), a menu to pick
 * one item from (filled at once or by a query), and a one-line prompt.
 * All are screens, so they hear resizes like every other. */
#ifndef GB_DIALOG_H
#define GB_DIALOG_H

#include <curses.h>
#include <stdbool.h>

#include "ui/client.h"

/* Called with the picked item (value and label), or both NULL on cancel. */
typedef void (*dialog_pick_fn)(struct client *cl, void *ctx, const char *value,
			       const char *label);
/* Called with the typed text, or NULL on cancel. */
typedef void (*dialog_text_fn)(struct client *cl, void *ctx, const char *text);

/* Called with the answer to a question (false also when it was closed). */
typedef void (*dialog_confirm_fn)(struct client *cl, void *ctx, bool yes);

/* A box of text lines (separated by '\n'); any of q, Esc, Enter closes it. */
struct screen *dialog_message(struct client *cl, const char *title, const char *text);

/* A question over text lines: y runs fn with true; n, q or Esc with false. */
struct screen *dialog_confirm(struct client *cl, const char *title, const char *text,
			      dialog_confirm_fn fn, void *ctx);

/* A question with its own answer keys shown in the keys line, e.g. "y 放弃
 * n/Esc 继续编辑": y runs fn with true; n, q or Esc with false. */
struct screen *dialog_ask(struct client *cl, const char *title, const char *text,
			  const char *keys, dialog_confirm_fn fn, void *ctx);

/* A menu; add items, or load them from sql returning (value, label). */
struct screen *dialog_menu(struct client *cl, const char *title, dialog_pick_fn fn, void *ctx);
void dialog_menu_add(struct screen *menu, const char *value, const char *label);
void dialog_menu_load(struct screen *menu, const char *sql, int nparams,
		      const char *const *params);

/* A prompt for one line of text.  Enter gives fn the text; Esc gives it
 * NULL, but when the text differs from initial (the officer typed) it
 * first asks "放弃输入？" (y discards; n or Esc goes on typing), as forms
 * do.  The text survives resizes; Q/F10 ask too (the screen is dirty). */
struct screen *dialog_prompt(struct client *cl, const char *title, const char *label,
			     const char *initial, dialog_text_fn fn, void *ctx);

/* Draw a framed box of h lines and width columns centred in the area; returns
 * the inner area through the pointers. */
void dialog_frame(WINDOW *w, int y, int x, int h, int width, int box_h, int box_w,
		  const char *title, int *iy, int *ix, int *ih, int *iw);

#endif
