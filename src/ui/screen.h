/* Screens of the client: the six panels and the modal ones (dialogs, forms,
 * help) stacked over them.  Every screen draws itself into the area it is
 * given, handles its own keys, and hears every resize. */
#ifndef GB_SCREEN_H
#define GB_SCREEN_H

#include <curses.h>
#include <stdbool.h>
#include <wchar.h>

struct client;
struct screen;

struct screen_ops {
	/* Draw into h lines of width columns at y, x. */
	void (*draw)(struct screen *s, WINDOW *w, int y, int x, int h, int width);
	/* Handle a key; false when the screen does not use it. */
	bool (*key)(struct screen *s, int ret, wint_t ch);
	/* The terminal changed size (every screen hears it, modal ones too). */
	void (*resize)(struct screen *s);
	/* A notification said table/id changed (may be NULL). */
	void (*changed)(struct screen *s, const char *table, long long id);
	/* Load everything again (r, reconnect, year switch; may be NULL). */
	void (*reload)(struct screen *s);
	/* True while the screen holds typed changes not yet saved (may be NULL). */
	bool (*dirty)(struct screen *s);
	/* Free the screen and its data. */
	void (*destroy)(struct screen *s);
};

struct screen {
	const struct screen_ops *ops;
	struct client *cl;
	const char *keys;		/* the bottom line: keys that work here */
	const char *const *help;	/* lines for the help overlay, NULL-terminated */
	bool closed;			/* a modal screen asks to be removed */
	bool modal_full;		/* a modal screen that takes the whole body */
	bool is_help;			/* the help overlay (F1 there closes it) */
};

/* True for Enter, however the terminal sends it. */
bool screen_key_enter(int ret, wint_t ch);

#endif
