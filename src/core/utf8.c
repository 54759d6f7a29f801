#include "config.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "core/utf8.h"

/* Sequence length announced by a lead byte, 0 for a byte that cannot start
 * one (continuation bytes, C0/C1 which only make overlongs, F5..FF). */
static size_t lead_len(unsigned char b)
{
	if (b < 0x80)
		return 1;
	if (b >= 0xC2 && b <= 0xDF)
		return 2;
	if (b >= 0xE0 && b <= 0xEF)
		return 3;
	if (b >= 0xF0 && b <= 0xF4)
		return 4;
	return 0;
}

/* The allowed range of the second byte depends on the lead byte: this is
 * where overlongs (E0, F0), surrogates (ED) and > U+10FFFF (F4) are cut. */
static bool second_ok(unsigned char lead, unsigned char b)
{
	switch (lead) {
	case 0xE0:
		return b >= 0xA0 && b <= 0xBF;
	case 0xED:
		return b >= 0x80 && b <= 0x9F;
	case 0xF0:
		return b >= 0x90 && b <= 0xBF;
	case 0xF4:
		return b >= 0x80 && b <= 0x8F;
	default:
		return b >= 0x80 && b <= 0xBF;
	}
}

/* Length of the well-formed sequence at s (len >= 1), or 0.  Never reads
 * s[len] or later, so a sequence cut by the end of input is just invalid. */
static size_t check_seq(const unsigned char *s, size_t len)
{
	size_t n = lead_len(s[0]);

	if (n == 0 || n > len)
		return 0;
	if (n > 1 && !second_ok(s[0], s[1]))
		return 0;
	for (size_t i = 2; i < n; i++)
		if ((s[i] & 0xC0) != 0x80)
			return 0;
	return n;
}

size_t utf8_decode(const char *s, size_t len, uint32_t *cp)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t n = len ? check_seq(u, len) : 0;

	if (n == 0)
		return 0;
	switch (n) {
	case 1:
		*cp = u[0];
		break;
	case 2:
		*cp = (uint32_t)(u[0] & 0x1F) << 6 | (u[1] & 0x3F);
		break;
	case 3:
		*cp = (uint32_t)(u[0] & 0x0F) << 12 | (uint32_t)(u[1] & 0x3F) << 6 |
		      (u[2] & 0x3F);
		break;
	default:
		*cp = (uint32_t)(u[0] & 0x07) << 18 | (uint32_t)(u[1] & 0x3F) << 12 |
		      (uint32_t)(u[2] & 0x3F) << 6 | (u[3] & 0x3F);
		break;
	}
	return n;
}

/* True when none of the 8 bytes at u is NUL or above 0x7F: a whole word of
 * ASCII text, the common case in a table, checked at once. */
static bool ascii_word(const unsigned char *u)
{
	uint64_t w;

	memcpy(&w, u, sizeof(w));
	return ((w | ((w - UINT64_C(0x0101010101010101)) & ~w)) &
		UINT64_C(0x8080808080808080)) == 0;
}

/* A broken, overlong or truncated sequence is reported at its first byte:
 * that is where the bad character starts, and an error message can show the
 * bytes from there.  ASCII goes eight bytes at a time, and a three-byte
 * sequence (CJK) is checked inline; anything else takes check_seq. */
bool utf8_validate(const char *s, size_t len, size_t *bad_offset)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0;

	while (i < len) {
		unsigned char b = u[i];
		size_t n;

		if (b != 0 && b < 0x80) {
			i++;
			while (i + 8 <= len && ascii_word(u + i))
				i += 8;
			continue;
		}
		if (((b >= 0xE1 && b <= 0xEC) || b == 0xEE || b == 0xEF) && i + 2 < len &&
		    (u[i + 1] & 0xC0) == 0x80 && (u[i + 2] & 0xC0) == 0x80) {
			i += 3;
			continue;
		}
		n = b != 0 ? check_seq(u + i, len - i) : 0;
		if (n == 0) {
			if (bad_offset != NULL)
				*bad_offset = i;
			return false;
		}
		i += n;
	}
	return true;
}

size_t utf8_encode(uint32_t cp, char out[4])
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xC0 | cp >> 6);
		out[1] = (char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp >= 0xD800 && cp <= 0xDFFF)
		return 0;
	if (cp < 0x10000) {
		out[0] = (char)(0xE0 | cp >> 12);
		out[1] = (char)(0x80 | (cp >> 6 & 0x3F));
		out[2] = (char)(0x80 | (cp & 0x3F));
		return 3;
	}
	if (cp > 0x10FFFF)
		return 0;
	out[0] = (char)(0xF0 | cp >> 18);
	out[1] = (char)(0x80 | (cp >> 12 & 0x3F));
	out[2] = (char)(0x80 | (cp >> 6 & 0x3F));
	out[3] = (char)(0x80 | (cp & 0x3F));
	return 4;
}

size_t utf8_count_chars(const char *s, size_t len)
{
	size_t i = 0, count = 0;

	while (i < len) {
		uint32_t cp;
		size_t n = utf8_decode(s + i, len - i, &cp);

		i += n ? n : 1;
		count++;
	}
	return count;
}
