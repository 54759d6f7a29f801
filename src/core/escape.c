#include "config.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <wchar.h>

#include "core/escape.h"
#include "core/utf8.h"
#include "core/xalloc.h"

/* Bidi embeddings/overrides (LRE RLE PDF LRO RLO) and isolates (LRI RLI
 * FSI PDI) can make a name read differently from what it stores. */
static bool is_bidi_control(uint32_t cp)
{
	return (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069);
}

/* Whatever the terminal would interpret or cannot size is escaped; the
 * wcwidth() test keeps us in step with ncursesw, which refuses the same. */
bool escape_cp_needed(uint32_t cp)
{
	if (cp < 0x20 || (cp >= 0x7F && cp <= 0x9F))
		return true;
	if (is_bidi_control(cp))
		return true;
	return wcwidth((wchar_t)cp) < 0;
}

/* The usual C escapes where officers may know them, hex otherwise. */
size_t escape_cp(uint32_t cp, char out[ESCAPE_MAX_BYTES])
{
	int n;

	switch (cp) {
	case '\n':
		return (size_t)snprintf(out, ESCAPE_MAX_BYTES, "\\n");
	case '\t':
		return (size_t)snprintf(out, ESCAPE_MAX_BYTES, "\\t");
	case '\r':
		return (size_t)snprintf(out, ESCAPE_MAX_BYTES, "\\r");
	default:
		break;
	}
	if (cp < 0x80)
		n = snprintf(out, ESCAPE_MAX_BYTES, "\\x%02x", (unsigned)cp);
	else if (cp <= 0xFFFF)
		n = snprintf(out, ESCAPE_MAX_BYTES, "\\u%04x", (unsigned)cp);
	else
		n = snprintf(out, ESCAPE_MAX_BYTES, "\\U%08x", (unsigned)cp);
	return (size_t)n;
}

/* An invalid byte looks like a C hex escape, so "\xff" means "byte FF". */
size_t escape_byte(unsigned char b, char out[ESCAPE_MAX_BYTES])
{
	return (size_t)snprintf(out, ESCAPE_MAX_BYTES, "\\x%02x", (unsigned)b);
}

/* The escape for the unit at s, or 0 when it is shown as is; *used is the
 * unit's length in bytes (1 for an invalid byte). */
static size_t escape_unit(const char *s, size_t len, size_t *used,
			  char out[ESCAPE_MAX_BYTES])
{
	uint32_t cp;
	size_t n = utf8_decode(s, len, &cp);

	if (n == 0) {
		*used = 1;
		return escape_byte((unsigned char)s[0], out);
	}
	*used = n;
	return escape_cp_needed(cp) ? escape_cp(cp, out) : 0;
}

/* Every unit grows at most fourfold (one byte -> "\xff"), so one
 * allocation of 4 * len + 1 bytes always suffices. */
char *escape_display_n(const char *s, size_t len_bytes)
{
	char *out = xreallocarray(NULL, len_bytes + 1, 4);
	size_t i = 0, o = 0;

	while (i < len_bytes) {
		char esc[ESCAPE_MAX_BYTES];
		size_t used;
		size_t elen = escape_unit(s + i, len_bytes - i, &used, esc);

		if (elen > 0) {
			memcpy(out + o, esc, elen);
			o += elen;
		} else {
			memcpy(out + o, s + i, used);
			o += used;
		}
		i += used;
	}
	out[o] = '\0';
	return out;
}

char *escape_display(const char *s)
{
	return escape_display_n(s, strlen(s));
}

int escape_needed(const char *s)
{
	size_t len = strlen(s), i = 0;

	while (i < len) {
		char esc[ESCAPE_MAX_BYTES];
		size_t used;

		if (escape_unit(s + i, len - i, &used, esc) > 0)
			return 1;
		i += used;
	}
	return 0;
}
