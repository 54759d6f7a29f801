/* Display width in columns: the kinds of text officers' data contains,
 * fitting a window without splitting a wide character, truncation with
 * "…" and padding, in both ambiguous-width settings. */
#include "config.h"

#include <locale.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>
#include <cmocka.h>

#include "core/escape.h"
#include "core/utf8.h"
#include "core/width.h"
#include "core/xalloc.h"

#define ELLIPSIS "\xe2\x80\xa6"

/* One sample of each kind of text, with its width when ambiguous
 * characters are narrow and when they are wide. */
struct sample {
	const char *name;
	const char *text;
	size_t narrow, wide;
};

static const struct sample samples[] = {
	{ "ascii", "Kunshan 2020", 12, 12 },
	{ "cjk", "昆山市信用管理", 14, 14 },
	{ "fullwidth", "ＡＢＣ１２３", 12, 12 },
	{ "fullwidth punct", "（），", 6, 6 },
	{ "quotes", "“贯标”", 6, 8 },			/* “ ” are ambiguous */
	{ "ambiguous", "①×※·", 4, 8 },
	{ "combining", "cafe\xcc\x81s", 5, 5 },		/* e + U+0301 */
	{ "emoji", "😀😀\xef\xb8\x8f", 4, 4 },		/* with and without U+FE0F */
	{ "emoji text style", "❤\xef\xb8\x8f!", 2, 2 },	/* U+2764 is narrow */
	{ "ext-b", "\xf0\xa0\x80\xbe\xf0\xa0\x80\xbe", 4, 4 },	/* 𠀾𠀾 */
	{ "zwj zwsp", "a\xe2\x80\x8d" "b\xe2\x80\x8b" "c", 3, 3 },
	{ "controls", "a\tb\x1b[0m", 11, 11 },		/* a\tb\x1b[0m */
	{ "bidi", "x\xe2\x80\xae" "y", 8, 8 },		/* x\u202ey */
	{ "invalid", "ok\xff", 6, 6 },			/* ok\xff */
	{ "mixed", "A中e\xcc\x81😀\xef\xb8\x8f①\xf0\xa0\x80\xbe", 9, 10 },
};

#define NSAMPLES (sizeof(samples) / sizeof(samples[0]))

static int reset_narrow(void **state)
{
	width_set_ambiguous_wide(false);
	return 0;
}

static void test_sample_widths(void **state)
{
	for (size_t i = 0; i < NSAMPLES; i++) {
		width_set_ambiguous_wide(false);
		if (width_str_cols(samples[i].text) != samples[i].narrow)
			fail_msg("%s: %zu columns, want %zu", samples[i].name,
				 width_str_cols(samples[i].text), samples[i].narrow);
		width_set_ambiguous_wide(true);
		if (width_str_cols(samples[i].text) != samples[i].wide)
			fail_msg("%s (ambiguous wide): %zu columns, want %zu", samples[i].name,
				 width_str_cols(samples[i].text), samples[i].wide);
	}
}

static void test_code_point_widths(void **state)
{
	assert_int_equal(width_cp_cols('A'), 1);
	assert_int_equal(width_cp_cols(0x4E2D), 2);	/* 中 */
	assert_int_equal(width_cp_cols(0x3000), 2);	/* ideographic space */
	assert_int_equal(width_cp_cols(0xFF21), 2);	/* Ａ */
	assert_int_equal(width_cp_cols(0xFF08), 2);	/* （ */
	assert_int_equal(width_cp_cols(0x2003E), 2);	/* 𠀾 */
	assert_int_equal(width_cp_cols(0x1F600), 2);	/* 😀 */
	assert_int_equal(width_cp_cols(0x0301), 0);
	assert_int_equal(width_cp_cols(0x200B), 0);	/* ZWSP */
	assert_int_equal(width_cp_cols(0x200D), 0);	/* ZWJ */
	assert_int_equal(width_cp_cols(0xFE0F), 0);
	assert_int_equal(width_cp_cols(0x1B), -1);
	assert_int_equal(width_cp_cols(0x85), -1);
	assert_int_equal(width_cp_cols(0x202E), -1);
	assert_int_equal(width_cp_cols(0x2460), 1);	/* ① */
	assert_int_equal(width_cp_cols(0x2026), 1);	/* … */
	width_set_ambiguous_wide(true);
	assert_true(width_ambiguous_wide());
	assert_int_equal(width_cp_cols(0x2460), 2);
	assert_int_equal(width_cp_cols(0x00D7), 2);	/* × */
	assert_int_equal(width_cp_cols(0x203B), 2);	/* ※ */
	assert_int_equal(width_cp_cols(0x00B7), 2);	/* · */
	assert_int_equal(width_cp_cols(0x201C), 2);	/* “ */
	assert_int_equal(width_cp_cols(0x2026), 2);	/* … */
	/* Ambiguous but combining: still zero; never-ambiguous: unchanged. */
	assert_int_equal(width_cp_cols(0x0301), 0);
	assert_int_equal(width_cp_cols('A'), 1);
	assert_int_equal(width_cp_cols(0x4E2D), 2);
	assert_int_equal(width_cp_cols(0x2764), 1);	/* ❤ is neutral, not ambiguous */
	width_set_ambiguous_wide(false);
	assert_false(width_ambiguous_wide());
}

/* The one source of widths agrees with the C library's wcwidth() (what
 * ncursesw uses) for every code point it does not escape. */
static void test_matches_wcwidth_everywhere(void **state)
{
	for (uint32_t cp = 0; cp <= 0x10FFFF; cp++) {
		int w = width_cp_cols(cp);

		if (cp >= 0xD800 && cp <= 0xDFFF)
			continue;
		if (w < 0)
			assert_true(escape_cp_needed(cp));
		else if (w != wcwidth((wchar_t)cp))
			fail_msg("U+%04X: %d columns, wcwidth says %d", (unsigned)cp, w,
				 wcwidth((wchar_t)cp));
	}
}

/* Measuring raw text gives the width of what is drawn: its escaped form. */
static void test_width_equals_escaped_width(void **state)
{
	for (size_t i = 0; i < NSAMPLES; i++) {
		char *e = escape_display(samples[i].text);

		assert_int_equal(width_str_cols(samples[i].text), width_str_cols(e));
		free(e);
	}
	assert_int_equal(width_strn_cols("a\0b", 3), 6);	/* a\x00b */
}

/* Cluster boundaries (byte offsets) of s, computed independently: a new
 * cluster starts at every code point that is not zero-width. */
static size_t boundaries(const char *s, size_t *at, size_t max)
{
	size_t len = strlen(s), i = 0, n = 0;

	while (i < len) {
		uint32_t cp = 0;
		size_t k = utf8_decode(s + i, len - i, &cp);

		if (k == 0 || i == 0 || wcwidth((wchar_t)cp) != 0 || escape_cp_needed(cp))
			at[n++] = i;
		assert_true(n < max);
		i += k ? k : 1;
	}
	at[n++] = len;
	return n;
}

static bool is_boundary(size_t off, const size_t *at, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (at[i] == off)
			return true;
	return false;
}

/* Every window (skip, max) over the mixed string: whole clusters only, the
 * window exactly filled by lead pad + text + trail pad, text where the
 * columns say. */
static void check_all_windows(const char *s, size_t max_pad)
{
	size_t at[64];
	size_t nb = boundaries(s, at, 64);
	size_t total = width_str_cols(s);

	for (size_t skip = 0; skip <= total + 2; skip++)
		for (size_t max = 0; max <= total + 2; max++) {
			struct width_slice sl;
			size_t end, visible = skip < total ? total - skip : 0;

			width_fit(s, skip, max, &sl);
			end = sl.start_byte + sl.len_bytes;
			if (!is_boundary(sl.start_byte, at, nb) || !is_boundary(end, at, nb))
				fail_msg("skip %zu max %zu: cut inside a cluster (%zu..%zu)",
					 skip, max, sl.start_byte, end);
			assert_int_equal(sl.cols, width_strn_cols(s + sl.start_byte, sl.len_bytes));
			assert_int_equal(sl.lead_pad_cols + sl.cols + sl.trail_pad_cols,
					 max < visible ? max : visible);
			assert_true(sl.lead_pad_cols <= max_pad && sl.trail_pad_cols <= max_pad);
			if (skip == 0)		/* nothing skipped, not even a mark */
				assert_int_equal(sl.start_byte, 0);
			if (sl.lead_pad_cols < max && skip <= total)
				assert_int_equal(width_strn_cols(s, sl.start_byte),
						 skip + sl.lead_pad_cols);
		}
}

static void test_fit_every_window(void **state)
{
	check_all_windows("A中e\xcc\x81😀\xef\xb8\x8f b①\xf0\xa0\x80\xbe" "c\xe2\x80\x8b中", 1);
	check_all_windows("中文中文中", 1);
	check_all_windows("\xcc\x81\xe2\x80\x8b" "a中", 1);	/* starts zero-width */
	width_set_ambiguous_wide(true);
	check_all_windows("①②×※·“”a", 1);
	width_set_ambiguous_wide(false);
	/* Raw controls count as their escapes, which are never split either. */
	check_all_windows("a\x1b[1m中\xff", 3);
}

static void test_fit_examples(void **state)
{
	struct width_slice sl;

	width_fit("中文abc", 1, 4, &sl);	/* 中 cut on the left */
	assert_int_equal(sl.lead_pad_cols, 1);
	assert_int_equal(sl.start_byte, 3);
	assert_int_equal(sl.len_bytes, 4);	/* 文a */
	assert_int_equal(sl.cols, 3);
	assert_int_equal(sl.trail_pad_cols, 0);

	width_fit("ab中文", 0, 3, &sl);	/* 中 cut on the right */
	assert_int_equal(sl.len_bytes, 2);
	assert_int_equal(sl.trail_pad_cols, 1);

	width_fit("中", 1, 1, &sl);		/* only the right half in view */
	assert_int_equal(sl.lead_pad_cols, 1);
	assert_int_equal(sl.len_bytes, 0);

	width_fit("e\xcc\x81x", 0, 1, &sl);	/* the mark comes with its e */
	assert_int_equal(sl.len_bytes, 3);
	assert_int_equal(sl.cols, 1);

	width_fit("\xcc\x81" "ab", 0, 5, &sl);	/* a leading mark is kept */
	assert_int_equal(sl.start_byte, 0);
	assert_int_equal(sl.len_bytes, 4);
	assert_int_equal(sl.cols, 2);
	width_fit("\xcc\x81" "ab", 1, 5, &sl);	/* and skipped with column 0 */
	assert_int_equal(sl.start_byte, 3);
	assert_int_equal(sl.len_bytes, 1);

	width_fit("abc", 5, 3, &sl);		/* window past the end */
	assert_int_equal(sl.start_byte, 3);
	assert_int_equal(sl.len_bytes, 0);
	assert_int_equal(sl.cols + sl.lead_pad_cols + sl.trail_pad_cols, 0);
}

/* Cut at w-1, w and w+1 columns for every kind of text. */
static void check_truncations(bool wide)
{
	size_t ell = wide ? 2 : 1;

	width_set_ambiguous_wide(wide);
	for (size_t i = 0; i < NSAMPLES; i++) {
		const char *t = samples[i].text;
		char *e = escape_display(t);
		size_t w = wide ? samples[i].wide : samples[i].narrow;
		char *cut = width_truncate(t, w - 1);
		char *same = width_truncate(t, w);
		char *more = width_truncate(t, w + 1);
		size_t cw = width_str_cols(cut), body;
		/* "…" when it fits in w-1 columns, else the cut text alone. */
		size_t tail = ell <= w - 1 ? strlen(ELLIPSIS) : 0;

		assert_string_equal(same, e);
		assert_string_equal(more, e);
		assert_true(strlen(cut) >= tail);
		body = strlen(cut) - tail;
		assert_string_equal(cut + body, tail ? ELLIPSIS : "");
		assert_memory_equal(cut, e, body);	/* a prefix of the text */
		assert_true(body < strlen(e));
		/* At most one column lost, to a wide character at the edge. */
		if (cw > w - 1 || cw + 1 < w - 1 ||
		    width_strn_cols(cut, body) + (tail ? ell : 0) != cw)
			fail_msg("%s%s: cut to %zu columns gives %zu (\"%s\")", samples[i].name,
				 wide ? " (wide)" : "", w - 1, cw, cut);
		free(cut);
		free(same);
		free(more);
		free(e);
	}
	width_set_ambiguous_wide(false);
}

static void test_truncate_each_kind(void **state)
{
	check_truncations(false);
	check_truncations(true);
}

static void assert_truncated(const char *s, size_t cols, const char *want)
{
	char *got = width_truncate(s, cols);

	assert_string_equal(got, want);
	free(got);
}

static void test_truncate_examples(void **state)
{
	assert_truncated("ＡＢＣ１２３", 11, "ＡＢＣ１２" ELLIPSIS);
	assert_truncated("ＡＢＣ１２３", 10, "ＡＢＣ１" ELLIPSIS);	/* 9 columns */
	assert_truncated("昆山市", 0, "");
	assert_truncated("昆山市", 1, ELLIPSIS);
	assert_truncated("昆山市", 2, ELLIPSIS);
	assert_truncated("e\xcc\x81" "tude", 2, "e\xcc\x81" ELLIPSIS);
	assert_truncated("a\x1b[31m", 4, "a\\x" ELLIPSIS);	/* escaped first */
	width_set_ambiguous_wide(true);		/* "…" takes two columns */
	assert_truncated("ＡＢＣ１２３", 10, "ＡＢＣ１" ELLIPSIS);
	assert_truncated("ＡＢＣ１２３", 11, "ＡＢＣ１" ELLIPSIS);
	assert_truncated("ab", 2, "ab");
	assert_truncated("abcd", 2, ELLIPSIS);
	assert_truncated("abcd", 1, "a");		/* "…" does not fit at all */
	assert_truncated("中文", 1, "");
	width_set_ambiguous_wide(false);
}

static void test_pad_exact_width(void **state)
{
	static const enum width_align aligns[] = { WIDTH_LEFT, WIDTH_RIGHT, WIDTH_CENTRE };

	for (int wide = 0; wide < 2; wide++) {
		width_set_ambiguous_wide(wide);
		for (size_t i = 0; i < NSAMPLES; i++)
			for (size_t a = 0; a < 3; a++)
				for (size_t cols = 0; cols <= samples[i].wide + 3; cols++) {
					char *p = width_pad(samples[i].text, cols, aligns[a]);

					if (width_str_cols(p) != cols)
						fail_msg("%s: pad to %zu gives %zu", samples[i].name,
							 cols, width_str_cols(p));
					assert_int_equal(escape_needed(p), 0);
					free(p);
				}
	}
	width_set_ambiguous_wide(false);
}

static void assert_padded(const char *s, size_t cols, enum width_align a,
			  const char *want)
{
	char *got = width_pad(s, cols, a);

	assert_string_equal(got, want);
	free(got);
}

static void test_pad_alignment(void **state)
{
	assert_padded("中文", 7, WIDTH_LEFT, "中文   ");
	assert_padded("中文", 7, WIDTH_RIGHT, "   中文");
	assert_padded("中文", 7, WIDTH_CENTRE, " 中文  ");
	assert_padded("中文", 8, WIDTH_CENTRE, "  中文  ");
	assert_padded("中文字", 5, WIDTH_LEFT, "中文" ELLIPSIS);
	assert_padded("中文字", 4, WIDTH_RIGHT, " 中" ELLIPSIS);
	assert_padded("", 2, WIDTH_LEFT, "  ");
}

static void test_cluster(void **state)
{
	size_t cols = 99;

	assert_int_equal(width_cluster("e\xcc\x81x", 4, &cols), 3);
	assert_int_equal(cols, 1);
	assert_int_equal(width_cluster("😀\xef\xb8\x8f\xe2\x80\x8d😀", 14, &cols), 10);
	assert_int_equal(cols, 2);
	assert_int_equal(width_cluster("\x1b[", 2, &cols), 1);
	assert_int_equal(cols, 4);
	assert_int_equal(width_cluster("中", 2, &cols), 1);	/* cut: one bad byte */
	assert_int_equal(cols, 4);
	assert_int_equal(width_cluster("", 0, &cols), 0);
	assert_int_equal(cols, 0);
}

/* Random bytes in exact-size heap blocks: no function reads past len
 * (ASan), and the slice stays inside the input. */
static void test_random_bytes_stay_in_bounds(void **state)
{
	static const char pieces[][5] = {
		"a", "\xe4\xb8\xad", "\xcc\x81", "\xf0\x9f\x98\x80", "\xef\xb8\x8f",
		"\x1b", "\xff", "\xe4", "\xf0\xa0", "\xe2\x91\xa0",
	};
	unsigned seed = 99;

	for (int round = 0; round < 3000; round++) {
		char tmp[64];
		size_t len = 0;
		char *buf;

		for (int k = round % 7; k >= 0; k--) {
			seed = seed * 1103515245 + 12345;
			const char *p = pieces[(seed >> 16) % 10];
			memcpy(tmp + len, p, strlen(p));
			len += strlen(p);
		}
		buf = xmalloc(len ? len : 1);
		memcpy(buf, tmp, len);
		size_t total = width_strn_cols(buf, len);
		for (size_t skip = 0; skip <= total; skip++) {
			struct width_slice sl;

			width_fit_n(buf, len, skip, 3, &sl);
			assert_true(sl.start_byte + sl.len_bytes <= len);
		}
		free(buf);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_sample_widths, reset_narrow),
		cmocka_unit_test_teardown(test_code_point_widths, reset_narrow),
		cmocka_unit_test(test_matches_wcwidth_everywhere),
		cmocka_unit_test(test_width_equals_escaped_width),
		cmocka_unit_test_teardown(test_fit_every_window, reset_narrow),
		cmocka_unit_test(test_fit_examples),
		cmocka_unit_test_teardown(test_truncate_each_kind, reset_narrow),
		cmocka_unit_test_teardown(test_truncate_examples, reset_narrow),
		cmocka_unit_test_teardown(test_pad_exact_width, reset_narrow),
		cmocka_unit_test(test_pad_alignment),
		cmocka_unit_test(test_cluster),
		cmocka_unit_test(test_random_bytes_stay_in_bounds),
	};

	setlocale(LC_ALL, "");
	return cmocka_run_group_tests_name("width", tests, NULL, NULL);
}
