/* The full-screen client: one connection, the officer, the six panels and
 * the modal stack, and the event loop that dispatches to them. */
#ifndef GB_CLIENT_H
#define GB_CLIENT_H

#include <stdbool.h>

#include "db/listen.h"
#include "ui/screen.h"

#define CLIENT_PANELS 6
#define CLIENT_MAX_MODAL 8
#define CLIENT_MIN_ROWS 10
#define CLIENT_MIN_COLS 40
/* Exit status when the terminal went away (as a shell reports SIGHUP). */
#define CLIENT_EXIT_HANGUP 129
/* Status messages kept for m (the message history). */
#define CLIENT_STATUS_LOG 30

struct client {
	struct listen_conn *db;
	char *login, *officer_name, *role, *role_label;
	char *district_id, *district_name, *agency_id, *agency_name;
	char *year;			/* programme year shown, as text */
	struct screen *panels[CLIENT_PANELS];
	bool panel_loaded[CLIENT_PANELS];	/* panels load when first shown */
	int active;
	struct screen *modal[CLIENT_MAX_MODAL];
	int nmodal;
	char *status;			/* the status line */
	bool status_error;
	char *status_log[CLIENT_STATUS_LOG];	/* earlier messages, oldest first, with the time */
	int nstatus_log;
	bool quit;
	int cursor_y, cursor_x;		/* where the cursor goes, -1: hidden */
};

/* Run the client on the terminal.  Returns the exit status (APP_* values:
 * 0, 1 when the login role is not an officer, 2 on other errors); when the
 * terminal goes away the process ends at once with CLIENT_EXIT_HANGUP. */
int client_run(const char *conninfo);

/* Show msg on the status line (copied). */
void client_status(struct client *cl, bool error, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Free the status line and the message history (for whoever frees a client). */
void client_free_status(struct client *cl);

/* Push a modal screen (the client takes ownership). */
void client_push(struct client *cl, struct screen *s);

/* Remove (destroy) the modal screens that closed, anywhere in the stack. */
void client_pop_closed(struct client *cl);

/* Draw everything on stdscr: bars, the active panel, the screens over it. */
void client_draw(struct client *cl);

/* One key from get_wch (ret OK or KEY_CODE_YES): the quit keys and redraw
 * first, then the screen on top, then what every panel shares. */
void client_key(struct client *cl, int ret, wint_t ch);

/* Keys typed while a screen waits for its data (a list's first page, a
 * form's record), kept in the order typed. */
struct client_keys {
	struct client_held_key {
		int ret;
		wint_t ch;
	} *keys;
	int n;
};

/* Keep one key for later. */
void client_keys_hold(struct client_keys *q, int ret, wint_t ch);

/* The data is here: the kept keys act now, in order, through client_key,
 * so a key that opened a screen passes the ones after it to that screen.
 * The queue is empty afterwards. */
void client_keys_release(struct client_keys *q, struct client *cl);

/* Hand the change notifications that arrived to every screen (each
 * reloads what concerns it) and say on the status line who changed what. */
void client_take_notifications(struct client *cl);

/* Switch to panel i (0-based). */
void client_show_panel(struct client *cl, int i);

/* Place the terminal cursor (an input has focus) for this frame. */
void client_cursor(struct client *cl, int y, int x);

/* True when the officer's role is r ("city", "district", ...). */
bool client_role_is(const struct client *cl, const char *r);

/* Whether the officer may run actions and record things: everyone but an
 * observer (sql/README: the observer reads everything, writes nothing). */
bool client_may_act(const struct client *cl);

/* Whether the officer may edit or create enterprises: city and district
 * (sql/README rights; agencies and observers may not). */
bool client_may_edit_enterprise(const struct client *cl);

/* Answer a key the officer's role may not use, in the status line, before
 * any form opens.  Returns true when refused. */
bool client_refuse_act(struct client *cl);
bool client_refuse_edit_enterprise(struct client *cl);

/* Whether a help line ("key\tdescription") names a key this officer may use. */
bool client_help_line_allowed(const struct client *cl, const char *line);

#endif
