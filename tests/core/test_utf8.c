/* Strict UTF-8: every kind of ill-formed input is refused at the offset of
 * the first byte of the bad sequence, and nothing past len is ever read. */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core/utf8.h"
#include "core/xalloc.h"

/* Validate exactly len bytes in a heap block of that size, so that ASan
 * catches any read past the end. */
static bool validate_exact(const char *bytes, size_t len, size_t *bad)
{
	char *copy = xmalloc(len);
	bool ok;

	memcpy(copy, bytes, len);
	ok = utf8_validate(copy, len, bad);
	free(copy);
	return ok;
}

static void assert_bad_at(const char *bytes, size_t len, size_t offset)
{
	size_t bad = 999;

	assert_false(validate_exact(bytes, len, &bad));
	assert_int_equal(bad, offset);
}

static void test_valid_text(void **state)
{
	static const char *good[] = {
		"", "abc", "中文", "\xc2\x80", "\xdf\xbf", "\xe0\xa0\x80",
		"\xed\x9f\xbf", "\xee\x80\x80", "\xef\xbf\xbf", "\xf0\x90\x80\x80",
		"\xf0\xa0\x80\xbe", "\xf4\x8f\xbf\xbf", "e\xcc\x81", "😀\xef\xb8\x8f",
	};
	size_t bad = 999;

	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		assert_true(validate_exact(good[i], strlen(good[i]), &bad));
		assert_int_equal(bad, 999);	/* untouched on success */
	}
}

static void test_overlongs(void **state)
{
	assert_bad_at("\xc0\x80", 2, 0);
	assert_bad_at("\xc1\xbf", 2, 0);
	assert_bad_at("ab\xe0\x80\x80", 5, 2);
	assert_bad_at("\xe0\x9f\xbf", 3, 0);
	assert_bad_at("x\xf0\x80\x80\x80", 5, 1);
	assert_bad_at("\xf0\x8f\xbf\xbf", 4, 0);
}

static void test_surrogates_and_range(void **state)
{
	assert_bad_at("\xed\xa0\x80", 3, 0);		/* U+D800 */
	assert_bad_at("ok\xed\xbf\xbf", 5, 2);		/* U+DFFF */
	assert_bad_at("\xf4\x90\x80\x80", 4, 0);	/* U+110000 */
	assert_bad_at("\xf5\x80\x80\x80", 4, 0);
	assert_bad_at("\xff", 1, 0);
	assert_bad_at("\xfe", 1, 0);
}

static void test_nul_and_stray_bytes(void **state)
{
	assert_bad_at("ab\0cd", 5, 2);
	assert_bad_at("\0", 1, 0);
	assert_bad_at("中\x80", 4, 3);			/* lone continuation */
	assert_bad_at("\xe4\xb8" "A", 3, 0);		/* continuation missing */
	assert_bad_at("\xe4" "A\xb8", 3, 0);
}

static void test_truncated_at_end(void **state)
{
	const char *full = "\xf0\xa0\x80\xbe";	/* 𠀾 U+2003E */

	for (size_t cut = 1; cut < 4; cut++)
		assert_bad_at(full, cut, 0);
	assert_bad_at("中文\xe6\x96", 8, 6);
	assert_bad_at("a\xc3", 2, 1);
}

static void test_decode(void **state)
{
	uint32_t cp = 0;

	assert_int_equal(utf8_decode("A", 1, &cp), 1);
	assert_int_equal(cp, 'A');
	assert_int_equal(utf8_decode("\xc3\xa9", 2, &cp), 2);
	assert_int_equal(cp, 0xE9);
	assert_int_equal(utf8_decode("中", 3, &cp), 3);
	assert_int_equal(cp, 0x4E2D);
	assert_int_equal(utf8_decode("\xf0\xa0\x80\xbe", 4, &cp), 4);
	assert_int_equal(cp, 0x2003E);
	assert_int_equal(utf8_decode("\xf4\x8f\xbf\xbf", 4, &cp), 4);
	assert_int_equal(cp, 0x10FFFF);
	/* Cut by len, even though the bytes continue in memory. */
	assert_int_equal(utf8_decode("中", 2, &cp), 0);
	assert_int_equal(utf8_decode("中", 0, &cp), 0);
	assert_int_equal(utf8_decode("\xc0\x80", 2, &cp), 0);
	assert_int_equal(utf8_decode("\xed\xa0\x80", 3, &cp), 0);
	assert_int_equal(utf8_decode("\xf4\x90\x80\x80", 4, &cp), 0);
	/* NUL decodes; utf8_validate is what refuses it in text. */
	assert_int_equal(utf8_decode("", 1, &cp), 1);
	assert_int_equal(cp, 0);
}

/* Every scalar value encodes to what decodes back to it and validates;
 * surrogates and values past U+10FFFF do not encode. */
static void test_encode_roundtrip_all(void **state)
{
	char buf[4];

	for (uint32_t cp = 1; cp <= 0x10FFFF; cp++) {
		size_t n = utf8_encode(cp, buf);
		uint32_t back = 0;

		if (cp >= 0xD800 && cp <= 0xDFFF) {
			assert_int_equal(n, 0);
			continue;
		}
		assert_int_equal(n, cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4);
		assert_int_equal(utf8_decode(buf, n, &back), n);
		assert_int_equal(back, cp);
		assert_true(utf8_validate(buf, n, NULL));
	}
	assert_int_equal(utf8_encode(0x110000, buf), 0);
	assert_int_equal(utf8_encode(0xFFFFFFFF, buf), 0);
}

/* Exhaustive over all two- and three-byte inputs: the decoder accepts
 * exactly the well-formed ones (Unicode Table 3-7), checked against an
 * independent rule: re-encoding gives the same bytes. */
static void test_decode_exhaustive_short(void **state)
{
	unsigned char b[3];
	uint32_t cp;
	char enc[4];

	for (unsigned x = 0; x < 0x10000; x++) {
		b[0] = (unsigned char)(x >> 8);
		b[1] = (unsigned char)x;
		size_t n = utf8_decode((const char *)b, 2, &cp);
		if (n == 2)
			assert_true(utf8_encode(cp, enc) == 2 && memcmp(enc, b, 2) == 0);
		else if (b[0] >= 0xC2 && b[0] <= 0xDF && (b[1] & 0xC0) == 0x80)
			fail_msg("refused well-formed %02x %02x", b[0], b[1]);
	}
	for (unsigned lead = 0xE0; lead <= 0xEF; lead++)
		for (unsigned x = 0; x < 0x10000; x++) {
			b[0] = (unsigned char)lead;
			b[1] = (unsigned char)(x >> 8);
			b[2] = (unsigned char)x;
			size_t n = utf8_decode((const char *)b, 3, &cp);
			bool wellformed = (b[1] & 0xC0) == 0x80 && (b[2] & 0xC0) == 0x80 &&
				!(lead == 0xE0 && b[1] < 0xA0) && !(lead == 0xED && b[1] > 0x9F);
			assert_int_equal(n == 3, wellformed);
			if (n == 3)
				assert_true(utf8_encode(cp, enc) == 3 && memcmp(enc, b, 3) == 0);
		}
}

static void test_count_chars(void **state)
{
	assert_int_equal(utf8_count_chars("", 0), 0);
	assert_int_equal(utf8_count_chars("abc", 3), 3);
	assert_int_equal(utf8_count_chars("中文e\xcc\x81", 9), 4);
	assert_int_equal(utf8_count_chars("\xff\xfe" "a", 3), 3);
	assert_int_equal(utf8_count_chars("中", 2), 2);	/* cut: two stray bytes */
}

/* Random bytes in exact-size heap blocks: validation, decoding and
 * counting agree and never read past the end (ASan). */
static void test_random_bytes_stay_in_bounds(void **state)
{
	unsigned seed = 12345;

	for (int round = 0; round < 20000; round++) {
		size_t len = (size_t)(round % 9) + 1, i = 0, chars = 0, bad = 0;
		char *buf = xmalloc(len);
		bool ok = true;

		for (size_t k = 0; k < len; k++) {
			seed = seed * 1103515245 + 12345;
			buf[k] = (char)(seed >> 16 & 0xFF);
		}
		while (i < len) {
			uint32_t cp;
			size_t n = utf8_decode(buf + i, len - i, &cp);

			if ((n == 0 || cp == 0) && ok) {
				ok = false;
				bad = i;
			}
			i += n ? n : 1;
			chars++;
		}
		size_t got = 999;
		assert_int_equal(utf8_validate(buf, len, &got), ok);
		if (!ok)
			assert_int_equal(got, bad);
		assert_int_equal(utf8_count_chars(buf, len), chars);
		free(buf);
	}
}

/* The offset utf8_validate must report, worked out one decode at a time
 * (SIZE_MAX when the text is valid). */
static size_t first_bad_by_decode(const char *s, size_t len)
{
	size_t i = 0;

	while (i < len) {
		uint32_t cp = 1;
		size_t n = utf8_decode(s + i, len - i, &cp);

		if (n == 0 || cp == 0)
			return i;
		i += n;
	}
	return SIZE_MAX;
}

/* utf8_validate takes ASCII eight bytes at a time and three-byte
 * characters inline: plant each kind of good and bad sequence at every
 * offset of ASCII and CJK text, so that it falls before, across and after
 * a word, and at the very end of the input. */
static void test_fast_paths_agree(void **state)
{
	static const char *const plants[] = {
		"", "\x00", "\x80", "\xbf", "\xc0\xaf", "\xc2", "\xc2\x80", "\xe4", "\xe4\xb8",
		"\xe4\xb8\xad", "\xe4\x41\xad", "\xe4\xb8\x41", "\xe0\x9f\xbf", "\xe0\xa0\x80",
		"\xed\xa0\x80", "\xed\x9f\xbf", "\xee\x80\x80", "\xef\xbf\xbf", "\xef\xbf",
		"\xf0\x90\x80\x80", "\xf4\x90\x80\x80", "\xf5\x80\x80\x80", "\xff", "\xe3\x80\x80",
	};
	static const size_t plant_len[] = { 0, 1, 1, 1, 2, 1, 2, 1, 2, 3, 3, 3, 3, 3, 3, 3, 3, 3,
					     2, 4, 4, 4, 1, 3 };
	static const char *const grounds[] = {
		"abcdefghijklmnopqrstuvwxyz0123456789,ABCDEFGHIJ",
		"企业名称,统一社会信用代码,区镇,abc,中文测试文本",
	};

	for (size_t g = 0; g < 2; g++) {
		size_t glen = strlen(grounds[g]);

		for (size_t p = 0; p < sizeof(plants) / sizeof(plants[0]); p++) {
			for (size_t at = 0; at <= glen; at++) {
				for (size_t tail = 0; tail <= 9 && at + tail <= glen; tail++) {
					size_t len = at + plant_len[p] + tail, got = 999;
					char *buf = xmalloc(len + 1);
					size_t want;
					bool ok;

					memcpy(buf, grounds[g], at);
					memcpy(buf + at, plants[p], plant_len[p]);
					memcpy(buf + at + plant_len[p], grounds[g] + at, tail);
					want = first_bad_by_decode(buf, len);
					ok = validate_exact(buf, len, &got);
					assert_int_equal(ok, want == SIZE_MAX);
					if (!ok)
						assert_int_equal(got, want);
					free(buf);
				}
			}
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_valid_text),
		cmocka_unit_test(test_overlongs),
		cmocka_unit_test(test_surrogates_and_range),
		cmocka_unit_test(test_nul_and_stray_bytes),
		cmocka_unit_test(test_truncated_at_end),
		cmocka_unit_test(test_decode),
		cmocka_unit_test(test_encode_roundtrip_all),
		cmocka_unit_test(test_decode_exhaustive_short),
		cmocka_unit_test(test_count_chars),
		cmocka_unit_test(test_random_bytes_stay_in_bounds),
		cmocka_unit_test(test_fast_paths_agree),
	};

	return cmocka_run_group_tests_name("utf8", tests, NULL, NULL);
}
