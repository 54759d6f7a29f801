/* Strict UTF-8: validation with the offset of the first bad byte, decode, encode. */
#ifndef GB_UTF8_H
#define GB_UTF8_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* True when s[0..len) is strict UTF-8: no overlongs, no surrogates, nothing
 * above U+10FFFF, no NUL, no truncated sequence.  Otherwise false, and
 * *bad_offset (when not NULL) is the offset of the first offending byte:
 * the first byte of the ill-formed or truncated sequence (for E0 80 80,
 * the E0).  Never reads s[len] or beyond. */
bool utf8_validate(const char *s, size_t len, size_t *bad_offset);

/* Decode one code point at s (at most len bytes).  Returns the bytes used
 * (1..4), or 0 when the bytes there are not strict UTF-8 or are truncated
 * (or len is 0).  NUL decodes as U+0000: utf8_validate refuses it. */
size_t utf8_decode(const char *s, size_t len, uint32_t *cp);

/* Encode cp into out; returns the bytes written (1..4), 0 for an invalid cp. */
size_t utf8_encode(uint32_t cp, char out[4]);

/* Number of code points in a valid UTF-8 string (invalid bytes count as one). */
size_t utf8_count_chars(const char *s, size_t len);

#endif
