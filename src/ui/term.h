/* The terminal: curses set-up and guaranteed restore, signals turned into
 * flags and a self-pipe byte for the event loop, colours that degrade to 8
 * colours and monochrome (NO_COLOR), ASCII fallbacks for borders. */
#ifndef GB_TERM_H
#define GB_TERM_H

#include <curses.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>

/* Keys we define: the bracketed-paste markers. */
#define TERM_KEY_PASTE_BEGIN (KEY_MAX + 1)
#define TERM_KEY_PASTE_END (KEY_MAX + 2)

/* Set by signal handlers only; the event loop acts on them. */
extern volatile sig_atomic_t term_sig_resize;
extern volatile sig_atomic_t term_sig_quit;

/* Attributes for each kind of text, chosen once for the terminal. */
struct term_theme {
	attr_t normal, header, cursor, marked, title, status, error, ok, warn, dim,
	       bar_done, bar_todo, tab, tab_active, overdue;
	bool ascii;		/* ASCII bar and sort marks */
};
extern struct term_theme term_theme;

/* Start curses on the controlling terminal: raw keys, keypad, bracketed
 * paste, our signal handlers, restore at exit.  Returns false when there
 * is no usable terminal. */
bool term_start(void);

/* Start curses on the given streams (tests: /dev/null); no signals. */
SCREEN *term_start_test(FILE *out, FILE *in, int rows, int cols);

/* Restore the terminal (idempotent; safe from atexit). */
void term_stop(void);

/* Choose attributes: colour when the terminal has it and NO_COLOR is unset. */
void term_theme_init(void);

/* The read end of the self-pipe the signal handlers write to. */
int term_pipe_fd(void);

/* Empty the self-pipe after a wake-up. */
void term_drain_pipe(void);

/* Take the terminal's new size after SIGWINCH; true when it changed. */
bool term_apply_resize(void);

/* Marks that depend on ASCII mode. */
const char *term_sort_mark(bool desc);

#endif
