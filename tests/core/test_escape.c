/* Escaping for display: nothing that a terminal interprets (controls, ESC
 * sequences, bidi overrides, invalid bytes) survives; printable text,
 * Chinese included, is untouched. */
#include "config.h"

#include <locale.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core/escape.h"
#include "core/utf8.h"
#include "core/xalloc.h"

static void assert_escaped_n(const char *in, size_t len, const char *want)
{
	char *copy = xmalloc(len ? len : 1);	/* exact size: ASan sees overreads */
	char *got;

	memcpy(copy, in, len);
	got = escape_display_n(copy, len);
	assert_string_equal(got, want);
	free(got);
	free(copy);
}

static void assert_escaped(const char *in, const char *want)
{
	char *got = escape_display(in);

	assert_string_equal(got, want);
	assert_int_equal(escape_needed(in), strcmp(in, want) != 0);
	free(got);
	assert_escaped_n(in, strlen(in), want);
}

static void test_printable_unchanged(void **state)
{
	static const char *same[] = {
		"", "plain ASCII ~!@#$%^&*()_+{}|:\"<>?`-=[]\\;',./",
		"苏州市昆山市企业信用管理贯标", "ＡＢＣ１２３（），“”", "①×※·…",
		"e\xcc\x81", "😀\xef\xb8\x8f❤", "\xf0\xa0\x80\xbe", "a\xe2\x80\x8b" "b",
		"👨\xe2\x80\x8d👩", "\xc2\xa0\xc2\xad", "\xee\x97\xa5",	/* NBSP SHY PUA */
	};

	for (size_t i = 0; i < sizeof(same) / sizeof(same[0]); i++)
		assert_escaped(same[i], same[i]);
}

static void test_c0_and_del(void **state)
{
	assert_escaped("a\nb", "a\\nb");
	assert_escaped("\t\r", "\\t\\r");
	assert_escaped("\x01\x1f\x7f", "\\x01\\x1f\\x7f");
	assert_escaped("\x07\x08\x0b\x0c", "\\x07\\x08\\x0b\\x0c");
	assert_escaped_n("a\0b", 3, "a\\x00b");
}

/* Escape sequences lose their ESC and so mean nothing to the terminal. */
static void test_escape_sequences_neutralised(void **state)
{
	assert_escaped("\x1b[31m红\x1b[0m", "\\x1b[31m红\\x1b[0m");
	assert_escaped("\x1b]0;title\x07", "\\x1b]0;title\\x07");
	assert_escaped("\x1b]52;c;ZWNobw==\x1b\\", "\\x1b]52;c;ZWNobw==\\x1b\\");
	assert_escaped("\xc2\x9b" "2J", "\\u009b2J");		/* C1 CSI */
}

static void test_c1(void **state)
{
	char in[5];
	char want[8];

	for (unsigned cp = 0x80; cp <= 0x9F; cp++) {
		char *got;

		assert_int_equal(utf8_encode(cp, in), 2);
		in[2] = '\0';
		snprintf(want, sizeof(want), "\\u%04x", cp);
		got = escape_display(in);
		assert_string_equal(got, want);
		assert_true(escape_cp_needed(cp));
		free(got);
	}
	assert_false(escape_cp_needed(0xA0));
}

static void test_bidi_controls(void **state)
{
	static const uint32_t bidi[] = {
		0x202A, 0x202B, 0x202C, 0x202D, 0x202E, 0x2066, 0x2067, 0x2068, 0x2069,
	};

	for (size_t i = 0; i < sizeof(bidi) / sizeof(bidi[0]); i++) {
		char in[8] = "x";
		char want[16];
		size_t n = utf8_encode(bidi[i], in + 1);
		char *got;

		in[1 + n] = 'y';
		in[2 + n] = '\0';
		snprintf(want, sizeof(want), "x\\u%04xy", (unsigned)bidi[i]);
		got = escape_display(in);
		assert_string_equal(got, want);
		free(got);
	}
	/* The classic filename trick. */
	assert_escaped("合同\xe2\x80\xae" "cod.exe", "合同\\u202ecod.exe");
	/* Neighbours that are ordinary text stay. */
	assert_false(escape_cp_needed(0x202F));		/* narrow no-break space */
	assert_false(escape_cp_needed(0x2060));		/* word joiner */
}

static void test_invalid_bytes(void **state)
{
	assert_escaped("\xff", "\\xff");
	assert_escaped("ab\xc0\x80" "cd", "ab\\xc0\\x80cd");		/* overlong */
	assert_escaped("\xed\xa0\x80", "\\xed\\xa0\\x80");	/* surrogate */
	assert_escaped("中\x80文", "中\\x80文");
	/* A character cut by the end of the buffer: its bytes, escaped. */
	assert_escaped_n("中文", 5, "中\\xe6\\x96");
	/* GBK bytes read as if UTF-8: no raw byte reaches the terminal. */
	assert_escaped("\xd6\xd0\xce\xc4", "\\xd6\\xd0\\xce\\xc4");
}

/* Characters the C library gives no width are escaped too (a terminal
 * would draw them unpredictably): U+2028, unassigned code points. */
static void test_unsizable_code_points(void **state)
{
	assert_escaped("a\xe2\x80\xa8" "b", "a\\u2028b");
	assert_escaped("\xf3\xa0\x80\x81", "\xf3\xa0\x80\x81");	/* U+E0001 tag: 0 wide */
	assert_escaped("\xf0\xbf\xbf\xbd", "\\U0003fffd");		/* unassigned */
}

/* The output is clean: escaping it again changes nothing, whatever the
 * input was. */
static void test_idempotent_on_random_bytes(void **state)
{
	unsigned seed = 4242;

	for (int round = 0; round < 5000; round++) {
		size_t len = (size_t)(round % 13);
		char *buf = xmalloc(len ? len : 1);
		char *once, *twice;

		for (size_t k = 0; k < len; k++) {
			seed = seed * 1103515245 + 12345;
			/* Bias towards bytes that form sequences and controls. */
			buf[k] = (char)((seed >> 16) % 3 == 0 ? (seed >> 8) % 0x20 : seed >> 16);
		}
		once = escape_display_n(buf, len);
		assert_true(utf8_validate(once, strlen(once), NULL));
		assert_int_equal(escape_needed(once), 0);
		twice = escape_display(once);
		assert_string_equal(once, twice);
		for (const char *p = once; *p != '\0'; p++)
			assert_false(*p == '\x1b' || *p == '\x7f' || (unsigned char)*p < 0x20);
		free(twice);
		free(once);
		free(buf);
	}
}

static void test_escape_forms(void **state)
{
	char out[ESCAPE_MAX_BYTES];

	assert_int_equal(escape_cp('\n', out), 2);
	assert_string_equal(out, "\\n");
	assert_int_equal(escape_cp(0x1b, out), 4);
	assert_string_equal(out, "\\x1b");
	assert_int_equal(escape_cp(0x202e, out), 6);
	assert_string_equal(out, "\\u202e");
	assert_int_equal(escape_cp(0x10ffff, out), 10);
	assert_string_equal(out, "\\U0010ffff");
	assert_int_equal(escape_byte(0xff, out), 4);
	assert_string_equal(out, "\\xff");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_printable_unchanged),
		cmocka_unit_test(test_c0_and_del),
		cmocka_unit_test(test_escape_sequences_neutralised),
		cmocka_unit_test(test_c1),
		cmocka_unit_test(test_bidi_controls),
		cmocka_unit_test(test_invalid_bytes),
		cmocka_unit_test(test_unsizable_code_points),
		cmocka_unit_test(test_idempotent_on_random_bytes),
		cmocka_unit_test(test_escape_forms),
	};

	setlocale(LC_ALL, "");
	return cmocka_run_group_tests_name("escape", tests, NULL, NULL);
}
