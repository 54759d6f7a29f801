/* Make data safe to show on a terminal: nothing from the database or a file
 * reaches the terminal raw. */
#ifndef GB_ESCAPE_H
#define GB_ESCAPE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Room for the longest escape of one unit, "\U0010ffff", and its NUL. */
#define ESCAPE_MAX_BYTES 11

/* A copy of the UTF-8 string s in which C0/C1 controls (including ESC, so
 * no escape sequence survives), DEL, bidi overrides and isolates
 * (U+202A-U+202E, U+2066-U+2069) and invalid bytes are replaced by visible
 * escapes: "\n", "\t", "\x1b", "\u202e".  Printable text is kept as is.
 * Caller frees. */
char *escape_display(const char *s);
char *escape_display_n(const char *s, size_t len_bytes);

/* True when escape_display(s) would change s. */
int escape_needed(const char *s);

/* True when the code point cp is shown escaped: C0 controls, DEL, C1
 * controls, bidi overrides and isolates, and anything the C library gives
 * no width (wcwidth() < 0: unassigned code points, U+2028, ...). */
bool escape_cp_needed(uint32_t cp);

/* Write the visible escape of cp ("\n", "\x1b", "\u202e", "\U000e0001")
 * or of an invalid byte b ("\xff") into out, NUL-terminated; return its
 * length in bytes, which is also its width in columns (it is ASCII). */
size_t escape_cp(uint32_t cp, char out[ESCAPE_MAX_BYTES]);
size_t escape_byte(unsigned char b, char out[ESCAPE_MAX_BYTES]);

#endif
