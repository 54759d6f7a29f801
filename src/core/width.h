/* Display width of text in terminal columns.  The one source of widths for
 * every column, cell, field and status line.  Widths come from the C
 * library's tables, with an optional override that makes East Asian
 * ambiguous characters (① × ※ “ ”) two columns wide for terminals
 * configured that way.  width.c also defines wcwidth() itself, so that
 * ncursesw, linked into the same program, counts the same columns in both
 * settings (see width.c). */
#ifndef GB_WIDTH_H
#define GB_WIDTH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum width_align { WIDTH_LEFT, WIDTH_RIGHT, WIDTH_CENTRE };

/* Treat East Asian ambiguous-width characters as two columns (default: off). */
void width_set_ambiguous_wide(bool wide);
bool width_ambiguous_wide(void);

/* Columns of one code point: 0 for combining marks and zero-width
 * characters, 1 or 2 otherwise, -1 for whatever must be escaped before
 * display (escape_cp_needed() in escape.h: controls, bidi overrides, code
 * points wcwidth() cannot size). */
int width_cp_cols(uint32_t cp);

/* Columns of a UTF-8 string.  Control characters and invalid bytes count
 * as the columns of their escaped form (escape.h), so the result is what
 * the string occupies once escaped. */
size_t width_str_cols(const char *s);
size_t width_strn_cols(const char *s, size_t len_bytes);

/* A slice of a string that fits in a window of columns. */
struct width_slice {
	size_t start_byte;	/* first byte shown */
	size_t len_bytes;	/* bytes shown from start_byte */
	size_t lead_pad_cols;	/* spaces before it: a wide char cut by the left edge */
	size_t trail_pad_cols;	/* spaces after it: a wide char cut by the right edge */
	size_t cols;		/* columns of the shown bytes (without padding) */
};

/* How many bytes of s fit in max_cols columns after skipping skip_cols
 * columns.  A double-width character is never split at either edge: the
 * half that would be cut is replaced by a space (lead_pad_cols /
 * trail_pad_cols); lead_pad_cols + cols + trail_pad_cols fills the window
 * up to the end of the text.  Combining marks stay with their base
 * character.  Meant for escaped text: raw controls and invalid bytes count
 * as (and are never split from) their escapes, but the slice gives their
 * raw bytes. */
void width_fit(const char *s, size_t skip_cols, size_t max_cols,
	       struct width_slice *out);
/* The same over len bytes of s (no NUL needed; nothing past len is read). */
void width_fit_n(const char *s, size_t len, size_t skip_cols, size_t max_cols,
		 struct width_slice *out);

/* Bytes of the cluster at s (one character, or one escaped unit, with the
 * zero-width characters that follow it: combining marks, ZWJ, U+FE0F), at
 * most len; *cols gets its columns.  0 only when len is 0.  What a cursor
 * steps over in an input field. */
size_t width_cluster(const char *s, size_t len, size_t *cols);

/* Copy of s, escaped (escape.h), cut to at most max_cols columns, ending
 * in "…" when cut (U+2026, whose width follows the ambiguous setting; when
 * even it does not fit, the cut text alone).  Caller frees. */
char *width_truncate(const char *s, size_t max_cols);

/* Copy of s, escaped, padded with spaces (or truncated with "…") to exactly
 * cols columns, aligned as asked (centre: the odd space goes right).
 * Caller frees. */
char *width_pad(const char *s, size_t cols, enum width_align align);

#endif
