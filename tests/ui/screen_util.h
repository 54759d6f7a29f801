/* Helpers for screen tests: a curses screen on /dev/null at a fixed size,
 * and reading back what was drawn. */
#ifndef GB_TEST_SCREEN_UTIL_H
#define GB_TEST_SCREEN_UTIL_H

#include <curses.h>
#include <stddef.h>
#include <wchar.h>

struct client;

/* Start a screen of rows x cols on /dev/null (fails the test otherwise). */
void screen_open(int rows, int cols);
void screen_close(void);

/* Row y of stdscr as UTF-8 (the whole width).  Caller frees. */
char *screen_row(int y);

/* Display columns of a UTF-8 string, by the C library's wcwidth. */
int screen_cols(const char *s);

/* Column at which needle starts in row y, or -1. */
int screen_find(int y, const char *needle);

/* Give keys (ret OK or KEY_CODE_YES) one by one to the modal screen on
 * top of cl's stack, removing closed screens after each, as the client does. */
void screen_keys_to_top(struct client *cl, int ret, const wchar_t *keys);

#endif
