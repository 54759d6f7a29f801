/* Make data safe to show on a terminal: nothing from the database or a file
 * reaches the terminal raw. */
#ifndef GB_ESCAPE_H
#define GB_ESCAPE_H

#include <stddef.h>

/* A copy of the UTF-8 string s in which C0/C1 controls (including ESC, so
 * no escape sequence survives), DEL, bidi overrides and isolates
 * (U+202A-U+202E, U+2066-U+2069) and invalid bytes are replaced by visible
 * escapes: "\n", "\t", "\x1b", "\u202e".  Printable text is kept as is.
 * Caller frees. */
char *escape_display(const char *s);
char *escape_display_n(const char *s, size_t len_bytes);

/* True when escape_display(s) would change s. */
int escape_needed(const char *s);

#endif
