#include "config.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "core/escape.h"
#include "core/utf8.h"
#include "core/width.h"
#include "core/xalloc.h"

#define ELLIPSIS "\xe2\x80\xa6"		/* U+2026 */
#define ELLIPSIS_CP 0x2026

static bool ambiguous_wide;

/* Unicode East Asian Width "A" (ambiguous) ranges, Unicode 14.0
 * (EastAsianWidth.txt).  Sorted, non-overlapping, inclusive. */
static const struct cp_range {
	uint32_t first, last;
} ambiguous_ranges[] = {
	{ 0x00A1, 0x00A1 }, { 0x00A4, 0x00A4 }, { 0x00A7, 0x00A8 },
	{ 0x00AA, 0x00AA }, { 0x00AD, 0x00AE }, { 0x00B0, 0x00B4 },
	{ 0x00B6, 0x00BA }, { 0x00BC, 0x00BF }, { 0x00C6, 0x00C6 },
	{ 0x00D0, 0x00D0 }, { 0x00D7, 0x00D8 }, { 0x00DE, 0x00E1 },
	{ 0x00E6, 0x00E6 }, { 0x00E8, 0x00EA }, { 0x00EC, 0x00ED },
	{ 0x00F0, 0x00F0 }, { 0x00F2, 0x00F3 }, { 0x00F7, 0x00FA },
	{ 0x00FC, 0x00FC }, { 0x00FE, 0x00FE }, { 0x0101, 0x0101 },
	{ 0x0111, 0x0111 }, { 0x0113, 0x0113 }, { 0x011B, 0x011B },
	{ 0x0126, 0x0127 }, { 0x012B, 0x012B }, { 0x0131, 0x0133 },
	{ 0x0138, 0x0138 }, { 0x013F, 0x0142 }, { 0x0144, 0x0144 },
	{ 0x0148, 0x014B }, { 0x014D, 0x014D }, { 0x0152, 0x0153 },
	{ 0x0166, 0x0167 }, { 0x016B, 0x016B }, { 0x01CE, 0x01CE },
	{ 0x01D0, 0x01D0 }, { 0x01D2, 0x01D2 }, { 0x01D4, 0x01D4 },
	{ 0x01D6, 0x01D6 }, { 0x01D8, 0x01D8 }, { 0x01DA, 0x01DA },
	{ 0x01DC, 0x01DC }, { 0x0251, 0x0251 }, { 0x0261, 0x0261 },
	{ 0x02C4, 0x02C4 }, { 0x02C7, 0x02C7 }, { 0x02C9, 0x02CB },
	{ 0x02CD, 0x02CD }, { 0x02D0, 0x02D0 }, { 0x02D8, 0x02DB },
	{ 0x02DD, 0x02DD }, { 0x02DF, 0x02DF }, { 0x0300, 0x036F },
	{ 0x0391, 0x03A1 }, { 0x03A3, 0x03A9 }, { 0x03B1, 0x03C1 },
	{ 0x03C3, 0x03C9 }, { 0x0401, 0x0401 }, { 0x0410, 0x044F },
	{ 0x0451, 0x0451 }, { 0x2010, 0x2010 }, { 0x2013, 0x2016 },
	{ 0x2018, 0x2019 }, { 0x201C, 0x201D }, { 0x2020, 0x2022 },
	{ 0x2024, 0x2027 }, { 0x2030, 0x2030 }, { 0x2032, 0x2033 },
	{ 0x2035, 0x2035 }, { 0x203B, 0x203B }, { 0x203E, 0x203E },
	{ 0x2074, 0x2074 }, { 0x207F, 0x207F }, { 0x2081, 0x2084 },
	{ 0x20AC, 0x20AC }, { 0x2103, 0x2103 }, { 0x2105, 0x2105 },
	{ 0x2109, 0x2109 }, { 0x2113, 0x2113 }, { 0x2116, 0x2116 },
	{ 0x2121, 0x2122 }, { 0x2126, 0x2126 }, { 0x212B, 0x212B },
	{ 0x2153, 0x2154 }, { 0x215B, 0x215E }, { 0x2160, 0x216B },
	{ 0x2170, 0x2179 }, { 0x2189, 0x2189 }, { 0x2190, 0x2199 },
	{ 0x21B8, 0x21B9 }, { 0x21D2, 0x21D2 }, { 0x21D4, 0x21D4 },
	{ 0x21E7, 0x21E7 }, { 0x2200, 0x2200 }, { 0x2202, 0x2203 },
	{ 0x2207, 0x2208 }, { 0x220B, 0x220B }, { 0x220F, 0x220F },
	{ 0x2211, 0x2211 }, { 0x2215, 0x2215 }, { 0x221A, 0x221A },
	{ 0x221D, 0x2220 }, { 0x2223, 0x2223 }, { 0x2225, 0x2225 },
	{ 0x2227, 0x222C }, { 0x222E, 0x222E }, { 0x2234, 0x2237 },
	{ 0x223C, 0x223D }, { 0x2248, 0x2248 }, { 0x224C, 0x224C },
	{ 0x2252, 0x2252 }, { 0x2260, 0x2261 }, { 0x2264, 0x2267 },
	{ 0x226A, 0x226B }, { 0x226E, 0x226F }, { 0x2282, 0x2283 },
	{ 0x2286, 0x2287 }, { 0x2295, 0x2295 }, { 0x2299, 0x2299 },
	{ 0x22A5, 0x22A5 }, { 0x22BF, 0x22BF }, { 0x2312, 0x2312 },
	{ 0x2460, 0x24E9 }, { 0x24EB, 0x254B }, { 0x2550, 0x2573 },
	{ 0x2580, 0x258F }, { 0x2592, 0x2595 }, { 0x25A0, 0x25A1 },
	{ 0x25A3, 0x25A9 }, { 0x25B2, 0x25B3 }, { 0x25B6, 0x25B7 },
	{ 0x25BC, 0x25BD }, { 0x25C0, 0x25C1 }, { 0x25C6, 0x25C8 },
	{ 0x25CB, 0x25CB }, { 0x25CE, 0x25D1 }, { 0x25E2, 0x25E5 },
	{ 0x25EF, 0x25EF }, { 0x2605, 0x2606 }, { 0x2609, 0x2609 },
	{ 0x260E, 0x260F }, { 0x261C, 0x261C }, { 0x261E, 0x261E },
	{ 0x2640, 0x2640 }, { 0x2642, 0x2642 }, { 0x2660, 0x2661 },
	{ 0x2663, 0x2665 }, { 0x2667, 0x266A }, { 0x266C, 0x266D },
	{ 0x266F, 0x266F }, { 0x269E, 0x269F }, { 0x26BF, 0x26BF },
	{ 0x26C6, 0x26CD }, { 0x26CF, 0x26D3 }, { 0x26D5, 0x26E1 },
	{ 0x26E3, 0x26E3 }, { 0x26E8, 0x26E9 }, { 0x26EB, 0x26F1 },
	{ 0x26F4, 0x26F4 }, { 0x26F6, 0x26F9 }, { 0x26FB, 0x26FC },
	{ 0x26FE, 0x26FF }, { 0x273D, 0x273D }, { 0x2776, 0x277F },
	{ 0x2B56, 0x2B59 }, { 0x3248, 0x324F }, { 0xE000, 0xF8FF },
	{ 0xFE00, 0xFE0F }, { 0xFFFD, 0xFFFD }, { 0x1F100, 0x1F10A },
	{ 0x1F110, 0x1F12D }, { 0x1F130, 0x1F169 }, { 0x1F170, 0x1F18D },
	{ 0x1F18F, 0x1F190 }, { 0x1F19B, 0x1F1AC }, { 0xE0100, 0xE01EF },
	{ 0xF0000, 0xFFFFD }, { 0x100000, 0x10FFFD },
};

void width_set_ambiguous_wide(bool wide)
{
	ambiguous_wide = wide;
}

bool width_ambiguous_wide(void)
{
	return ambiguous_wide;
}

/* Binary search of the ambiguous table. */
static bool is_ambiguous(uint32_t cp)
{
	size_t lo = 0, hi = sizeof(ambiguous_ranges) / sizeof(ambiguous_ranges[0]);

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (cp < ambiguous_ranges[mid].first)
			hi = mid;
		else if (cp > ambiguous_ranges[mid].last)
			lo = mid + 1;
		else
			return true;
	}
	return false;
}

/* The C library's width of one character.  Its wcswidth() sizes characters
 * without going through the wcwidth symbol, so it is not the definition below. */
static int libc_cols(wchar_t wc)
{
	const wchar_t one[2] = { wc, L'\0' };

	return wc == L'\0' ? 0 : wcswidth(one, 1);
}

/* ncursesw sizes every character it stores with wcwidth() (its only width
 * call; it uses no wcswidth), through the dynamic symbol.  A program that
 * links this file defines wcwidth itself, and the dynamic linker binds
 * libncursesw's reference to the program's definition (symbols a shared
 * library refers to are exported from the executable and come first in the
 * lookup).  So curses counts the columns this file counts, in both
 * ambiguous-width settings, and the cursor, the cells and the terminal
 * agree.  The ambiguous override only widens characters the C library
 * calls narrow, so combining marks in "A" ranges stay 0. */
int wcwidth(wchar_t wc)
{
	int w = libc_cols(wc);

	if (w == 1 && ambiguous_wide && is_ambiguous((uint32_t)wc))
		return 2;
	return w;
}

int width_cp_cols(uint32_t cp)
{
	if (escape_cp_needed(cp))
		return -1;
	return wcwidth((wchar_t)cp);
}

/* Bytes and columns of one unit: a character, or something shown escaped
 * (a control, a bidi override, an invalid byte) at its escape's width. */
static size_t unit_at(const char *s, size_t len, size_t *cols)
{
	char esc[ESCAPE_MAX_BYTES];
	uint32_t cp;
	size_t n = utf8_decode(s, len, &cp);
	int w;

	if (n == 0) {
		*cols = escape_byte((unsigned char)s[0], esc);
		return 1;
	}
	w = width_cp_cols(cp);
	*cols = w < 0 ? escape_cp(cp, esc) : (size_t)w;
	return n;
}

/* A cluster is a unit plus the zero-width units after it (combining marks,
 * ZWJ, variation selectors): they are drawn with it and never cut off. */
size_t width_cluster(const char *s, size_t len, size_t *cols)
{
	size_t n, extra_cols;

	if (len == 0) {
		*cols = 0;
		return 0;
	}
	n = unit_at(s, len, cols);
	while (n < len) {
		size_t m = unit_at(s + n, len - n, &extra_cols);

		if (extra_cols != 0)
			break;
		n += m;
	}
	return n;
}

size_t width_strn_cols(const char *s, size_t len_bytes)
{
	size_t i = 0, total = 0;

	while (i < len_bytes) {
		size_t cols;

		i += width_cluster(s + i, len_bytes - i, &cols);
		total += cols;
	}
	return total;
}

size_t width_str_cols(const char *s)
{
	return width_strn_cols(s, strlen(s));
}

/* True when the cluster at column col of cols columns lies wholly left of
 * the window starting at column skip (a zero-width one at skip is shown). */
static bool before_window(size_t col, size_t cols, size_t skip)
{
	return cols == 0 ? col < skip : col + cols <= skip;
}

/* Skip the clusters left of the window; one cut by the left edge becomes
 * spaces (out->lead_pad_cols, at most max_cols).  Returns where the window's
 * text starts. */
static size_t skip_to_window(const char *s, size_t len, size_t skip_cols,
			     size_t max_cols, struct width_slice *out)
{
	size_t i = 0, col = 0, cols = 0, n = 0;

	while (i < len) {
		n = width_cluster(s + i, len - i, &cols);
		if (!before_window(col, cols, skip_cols))
			break;
		i += n;
		col += cols;
	}
	if (i < len && col < skip_cols) {
		size_t cut = col + cols - skip_cols;

		out->lead_pad_cols = cut < max_cols ? cut : max_cols;
		i += n;
	}
	return i;
}

void width_fit_n(const char *s, size_t len, size_t skip_cols, size_t max_cols,
		 struct width_slice *out)
{
	size_t i, cols, used = 0, avail;

	memset(out, 0, sizeof(*out));
	i = out->start_byte = skip_to_window(s, len, skip_cols, max_cols, out);
	avail = max_cols - out->lead_pad_cols;
	/* Take whole clusters; one cut by the right edge becomes spaces. */
	while (i < len) {
		size_t n = width_cluster(s + i, len - i, &cols);

		if (used + cols > avail) {
			out->trail_pad_cols = avail - used;
			break;
		}
		used += cols;
		i += n;
	}
	out->len_bytes = i - out->start_byte;
	out->cols = used;
}

void width_fit(const char *s, size_t skip_cols, size_t max_cols,
	       struct width_slice *out)
{
	width_fit_n(s, strlen(s), skip_cols, max_cols, out);
}

/* Escaping first makes the result safe to draw, and is a no-op on text
 * that was already escaped. */
char *width_truncate(const char *s, size_t max_cols)
{
	char *e = escape_display(s);
	size_t ell_cols = (size_t)width_cp_cols(ELLIPSIS_CP);
	struct width_slice sl;
	char *out;

	if (width_str_cols(e) <= max_cols)
		return e;
	if (ell_cols > max_cols) {
		/* Not even "…" fits: the cut text alone. */
		width_fit(e, 0, max_cols, &sl);
		out = xstrndup(e, sl.len_bytes);
	} else {
		width_fit(e, 0, max_cols - ell_cols, &sl);
		out = xmalloc(sl.len_bytes + sizeof(ELLIPSIS));
		memcpy(out, e, sl.len_bytes);
		memcpy(out + sl.len_bytes, ELLIPSIS, sizeof(ELLIPSIS));
	}
	free(e);
	return out;
}

char *width_pad(const char *s, size_t cols, enum width_align align)
{
	char *t = width_truncate(s, cols);
	size_t w = width_str_cols(t);
	size_t pad = cols - w, left = 0, len = strlen(t);
	char *out;

	if (align == WIDTH_RIGHT)
		left = pad;
	else if (align == WIDTH_CENTRE)
		left = pad / 2;
	out = xmalloc(len + pad + 1);
	memset(out, ' ', left);
	memcpy(out + left, t, len);
	memset(out + left + len, ' ', pad - left);
	out[len + pad] = '\0';
	free(t);
	return out;
}
