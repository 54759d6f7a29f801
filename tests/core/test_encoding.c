/* Strict conversion between UTF-8 and GB18030/GBK: BOM detection, errors
 * that name the byte offset and the bytes, and round trips that keep every
 * byte over every code point glibc's GB18030 can hold. */
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

#include "core/encoding.h"
#include "core/utf8.h"
#include "core/xalloc.h"

/* The private-use code points glibc's GB18030 cannot write (see the quirk
 * list in src/core/encoding.c). */
static const uint32_t gb_unwritable[] = {
	0xE78D, 0xE78E, 0xE78F, 0xE790, 0xE791, 0xE792, 0xE793, 0xE794,
	0xE795, 0xE796, 0xE816, 0xE817, 0xE818, 0xE81E, 0xE826, 0xE82B,
	0xE82C, 0xE831, 0xE832, 0xE83B, 0xE843, 0xE854, 0xE855, 0xE864,
};

static bool gb_can_write(uint32_t cp)
{
	for (size_t i = 0; i < sizeof(gb_unwritable) / sizeof(gb_unwritable[0]); i++)
		if (gb_unwritable[i] == cp)
			return false;
	return true;
}

/* Convert exactly len bytes held in a heap block of that size (ASan sees
 * any read past the end). */
static char *to_utf8_exact(const char *in, size_t len, enum enc_kind from,
			   size_t *out_len, struct enc_error *err)
{
	char *copy = xmalloc(len ? len : 1);
	char *out;

	memcpy(copy, in, len);
	out = enc_to_utf8(copy, len, from, out_len, err);
	free(copy);
	return out;
}

static char *from_utf8_exact(const char *in, size_t len, enum enc_kind to,
			     size_t *out_len, struct enc_error *err)
{
	char *copy = xmalloc(len ? len : 1);
	char *out;

	memcpy(copy, in, len);
	out = enc_from_utf8(copy, len, to, out_len, err);
	free(copy);
	return out;
}

static void test_names(void **state)
{
	enum enc_kind k;

	assert_true(enc_parse_name("utf-8", &k));
	assert_int_equal(k, ENC_UTF8);
	assert_true(enc_parse_name("UTF8", &k));
	assert_int_equal(k, ENC_UTF8);
	assert_true(enc_parse_name("utf-8-bom", &k));
	assert_int_equal(k, ENC_UTF8_BOM);
	assert_true(enc_parse_name("GB18030", &k));
	assert_int_equal(k, ENC_GB18030);
	assert_true(enc_parse_name("gbk", &k));
	assert_int_equal(k, ENC_GBK);
	assert_true(enc_parse_name("auto", &k));
	assert_int_equal(k, ENC_UNKNOWN);
	assert_false(enc_parse_name("utf-16", &k));
	assert_false(enc_parse_name("gb2312x", &k));
	assert_false(enc_parse_name("", &k));
	/* enc_name gives a name enc_parse_name reads back. */
	for (int kind = ENC_UNKNOWN; kind <= ENC_GBK; kind++) {
		assert_true(enc_parse_name(enc_name((enum enc_kind)kind), &k));
		assert_int_equal(k, kind);
	}
}

static void test_detect(void **state)
{
	struct enc_error err;
	enum enc_kind k;
	size_t bom = 99;

	assert_true(enc_detect("\xef\xbb\xbf中文", 9, &k, &bom, &err));
	assert_int_equal(k, ENC_UTF8_BOM);
	assert_int_equal(bom, 3);
	assert_true(enc_detect("企业名称,代码\n", 20, &k, &bom, &err));
	assert_int_equal(k, ENC_UTF8);
	assert_int_equal(bom, 0);
	assert_true(enc_detect("", 0, &k, &bom, &err));
	assert_int_equal(k, ENC_UTF8);
	assert_true(enc_detect("\xc6\xf3\xd2\xb5,1\n", 7, &k, &bom, &err));	/* 企业 in GBK */
	assert_int_equal(k, ENC_GB18030);
	assert_int_equal(bom, 0);
}

static void test_detect_refuses_utf16_and_utf32(void **state)
{
	static const struct {
		const char *bytes;
		size_t len;
		const char *name;
	} boms[] = {
		{ "\xff\xfe" "a\0", 4, "UTF-16 LE" },
		{ "\xfe\xff\0a", 4, "UTF-16 BE" },
		{ "\xff\xfe\0\0" "a\0\0\0", 8, "UTF-32 LE" },
		{ "\0\0\xfe\xff\0\0\0a", 8, "UTF-32 BE" },
	};
	struct enc_error err;
	enum enc_kind k;
	size_t bom, out_len;

	for (size_t i = 0; i < sizeof(boms) / sizeof(boms[0]); i++) {
		assert_false(enc_detect(boms[i].bytes, boms[i].len, &k, &bom, &err));
		assert_non_null(strstr(err.message, boms[i].name));
		assert_non_null(strstr(err.message, "请另存为 UTF-8 或 GB18030"));
		assert_int_equal(err.offset, 0);
		/* "auto" conversion refuses the same way. */
		assert_null(to_utf8_exact(boms[i].bytes, boms[i].len, ENC_UNKNOWN,
					  &out_len, &err));
		assert_non_null(strstr(err.message, boms[i].name));
	}
}

static void assert_to_utf8(const char *in, size_t len, enum enc_kind from,
			   const char *want)
{
	struct enc_error err = { 0 };
	size_t out_len = 0;
	char *out = to_utf8_exact(in, len, from, &out_len, &err);

	if (out == NULL)
		fail_msg("conversion failed: %s", err.message);
	assert_string_equal(out, want);
	assert_int_equal(out_len, strlen(want));
	free(out);
}

static void test_gb18030_to_utf8(void **state)
{
	assert_to_utf8("\xd6\xd0\xce\xc4", 4, ENC_GB18030, "中文");
	assert_to_utf8("\xa3\xc1\xa3\xc2\xa3\xb1", 6, ENC_GB18030, "ＡＢ１");
	assert_to_utf8("\xa3\xa8\xa3\xa9\xa3\xac\xa1\xb0\xa1\xb1", 10, ENC_GB18030,
		       "（），“”");
	assert_to_utf8("\x95\x32\x88\x38", 4, ENC_GB18030, "\xf0\xa0\x80\xbe");	/* 𠀾 */
	assert_to_utf8("\xa2\xe3", 2, ENC_GB18030, "€");
	assert_to_utf8("\x94\x39\xfc\x36", 4, ENC_GB18030, "😀");
	assert_to_utf8("\x81\x30\x81\x30", 4, ENC_GB18030, "\xc2\x80");	/* first 4-byte */
	assert_to_utf8("\xe3\x32\x9a\x35", 4, ENC_GB18030, "\xf4\x8f\xbf\xbf");	/* last */
	assert_to_utf8("", 0, ENC_GB18030, "");
	assert_to_utf8("\xd6\xd0\xce\xc4", 4, ENC_GBK, "中文");
	assert_to_utf8("\xd6\xd0\xce\xc4", 4, ENC_UNKNOWN, "中文");	/* auto */
	assert_to_utf8("\xef\xbb\xbf中文", 9, ENC_UNKNOWN, "中文");	/* BOM skipped */
	assert_to_utf8("\xef\xbb\xbf中文", 9, ENC_UTF8_BOM, "中文");
	assert_to_utf8("\xef\xbb\xbf中文", 9, ENC_UTF8, "中文");
	assert_to_utf8("中文", 6, ENC_UTF8_BOM, "中文");	/* BOM missing: fine */
}

static void assert_to_utf8_error(const char *in, size_t len, enum enc_kind from,
				 size_t offset, const char *bytes, size_t nbytes,
				 const char *message)
{
	struct enc_error err;
	size_t out_len;

	memset(&err, 0x55, sizeof(err));
	assert_null(to_utf8_exact(in, len, from, &out_len, &err));
	assert_int_equal(err.offset, offset);
	assert_int_equal(err.nbytes, nbytes);
	assert_memory_equal(err.bytes, bytes, nbytes);
	assert_string_equal(err.message, message);
}

/* 企业名称 in GB18030, then ASCII: the bad byte lands at offset 17. */
#define GB_NAME "\xc6\xf3\xd2\xb5\xc3\xfb\xb3\xc6"

static void test_gb18030_invalid_bytes(void **state)
{
	assert_to_utf8(GB_NAME ",abcdefgh", 17, ENC_GB18030, "企业名称,abcdefgh");
	assert_to_utf8_error(GB_NAME ",abcdefgh\x81\x20xyz", 22, ENC_GB18030,
			     17, "\x81\x20", 2,
			     "字节偏移 17 处有无效的 GB18030 字节 0x81 0x20");
	assert_to_utf8_error("ab\x80" "cd", 5, ENC_GB18030, 2, "\x80", 1,
			     "字节偏移 2 处有无效的 GB18030 字节 0x80");
	assert_to_utf8_error("\xff", 1, ENC_GB18030, 0, "\xff", 1,
			     "字节偏移 0 处有无效的 GB18030 字节 0xFF");
	/* A 4-byte sequence with a bad third byte. */
	assert_to_utf8_error("x\x95\x32\x20\x38", 5, ENC_GB18030, 1, "\x95\x32\x20\x38", 4,
			     "字节偏移 1 处有无效的 GB18030 字节 0x95 0x32 0x20 0x38");
	/* 4-byte forms are GB18030 only: GBK refuses them. */
	assert_to_utf8_error("\x95\x32\x88\x38", 4, ENC_GBK, 0, "\x95\x32", 2,
			     "字节偏移 0 处有无效的 GBK 字节 0x95 0x32");
}

static void test_truncated_at_end_of_input(void **state)
{
	assert_to_utf8_error("\xd6\xd0\xce", 3, ENC_GB18030, 2, "\xce", 1,
			     "字节偏移 2 处的 GB18030 字符不完整（文件在字符中间结束）： 0xCE");
	assert_to_utf8_error("a\x95\x32\x88", 4, ENC_GB18030, 1, "\x95\x32\x88", 3,
			     "字节偏移 1 处的 GB18030 字符不完整（文件在字符中间结束）： 0x95 0x32 0x88");
	assert_to_utf8_error("中文\xf0\xa0\x80", 9, ENC_UTF8, 6, "\xf0\xa0\x80", 3,
			     "字节偏移 6 处的 UTF-8 字符不完整（文件在字符中间结束）： 0xF0 0xA0 0x80");
	assert_to_utf8_error("\xe0\xa0", 2, ENC_UTF8, 0, "\xe0\xa0", 2,
			     "字节偏移 0 处的 UTF-8 字符不完整（文件在字符中间结束）： 0xE0 0xA0");
}

static void test_nul_refused(void **state)
{
	assert_to_utf8_error("ab\0cd", 5, ENC_GB18030, 2, "\0", 1,
			     "字节偏移 2 处有空字节（NUL），文本中不允许： 0x00");
	assert_to_utf8_error("ab\0cd", 5, ENC_UTF8, 2, "\0", 1,
			     "字节偏移 2 处有空字节（NUL），文本中不允许： 0x00");
	/* The first problem is the one named: bad bytes before the NUL. */
	assert_to_utf8_error("\x81\x20\0", 3, ENC_GB18030, 0, "\x81\x20", 2,
			     "字节偏移 0 处有无效的 GB18030 字节 0x81 0x20");
}

static void test_strict_utf8_input(void **state)
{
	assert_to_utf8_error("ok\xc0\x80", 4, ENC_UTF8, 2, "\xc0\x80", 2,
			     "字节偏移 2 处有无效的 UTF-8 字节 0xC0 0x80");
	assert_to_utf8_error("\xed\xa0\x80", 3, ENC_UTF8, 0, "\xed\xa0\x80", 3,
			     "字节偏移 0 处有无效的 UTF-8 字节 0xED 0xA0 0x80");
	assert_to_utf8_error("\xf4\x90\x80\x80", 4, ENC_UTF8, 0, "\xf4\x90\x80\x80", 4,
			     "字节偏移 0 处有无效的 UTF-8 字节 0xF4 0x90 0x80 0x80");
	/* Offsets count from the start of the file, BOM included. */
	assert_to_utf8_error("\xef\xbb\xbf" "a\xff", 5, ENC_UTF8_BOM, 4, "\xff", 1,
			     "字节偏移 4 处有无效的 UTF-8 字节 0xFF");
}

static void assert_from_utf8(const char *in, enum enc_kind to, const char *want,
			     size_t want_len)
{
	struct enc_error err = { 0 };
	size_t out_len = 0;
	char *out = from_utf8_exact(in, strlen(in), to, &out_len, &err);

	if (out == NULL)
		fail_msg("conversion failed: %s", err.message);
	assert_int_equal(out_len, want_len);
	assert_memory_equal(out, want, want_len);
	assert_int_equal(out[out_len], '\0');
	free(out);
}

static void test_from_utf8(void **state)
{
	assert_from_utf8("中文", ENC_GB18030, "\xd6\xd0\xce\xc4", 4);
	assert_from_utf8("中文", ENC_GBK, "\xd6\xd0\xce\xc4", 4);
	/* € is 0x80 in GBK (CP936) and A2E3 in GB18030; both read back. */
	assert_from_utf8("€", ENC_GBK, "\x80", 1);
	assert_to_utf8("\x80", 1, ENC_GBK, "€");
	assert_from_utf8("\xf0\xa0\x80\xbe", ENC_GB18030, "\x95\x32\x88\x38", 4);
	assert_from_utf8("€😀", ENC_GB18030, "\xa2\xe3\x94\x39\xfc\x36", 6);
	assert_from_utf8("中", ENC_UTF8, "中", 3);
	assert_from_utf8("中", ENC_UTF8_BOM, "\xef\xbb\xbf中", 6);
	assert_from_utf8("", ENC_GB18030, "", 0);
	/* Empty input may come as NULL. */
	for (int kind = ENC_UNKNOWN; kind <= ENC_GBK; kind++) {
		size_t out_len = 99;
		char *out = enc_to_utf8(NULL, 0, (enum enc_kind)kind, &out_len, NULL);

		assert_string_equal(out, "");
		assert_int_equal(out_len, 0);
		free(out);
	}
	{
		size_t out_len = 0;
		char *out = enc_from_utf8(NULL, 0, ENC_UTF8_BOM, &out_len, NULL);

		assert_int_equal(out_len, 3);
		assert_string_equal(out, "\xef\xbb\xbf");
		free(out);
	}
}

static void assert_from_utf8_error(const char *in, enum enc_kind to, size_t offset,
				   const char *message)
{
	struct enc_error err;
	size_t out_len;
	size_t n;

	memset(&err, 0x55, sizeof(err));
	assert_null(from_utf8_exact(in, strlen(in), to, &out_len, &err));
	assert_int_equal(err.offset, offset);
	n = utf8_decode(in + offset, strlen(in) - offset, &(uint32_t){ 0 });
	assert_int_equal(err.nbytes, n);
	assert_memory_equal(err.bytes, in + offset, n);
	assert_string_equal(err.message, message);
}

static void test_unrepresentable_character_named(void **state)
{
	assert_from_utf8_error("企业😀", ENC_GBK, 6,
		"字节偏移 6 处的字符“😀”（U+1F600）无法用 GBK 表示： 0xF0 0x9F 0x98 0x80");
	assert_from_utf8_error("价格\xe3\x90\x80", ENC_GBK, 6,	/* U+3400, Extension A */
		"字节偏移 6 处的字符“\xe3\x90\x80”（U+3400）无法用 GBK 表示： 0xE3 0x90 0x80");
	assert_from_utf8_error("\xf0\xa0\x80\xbe", ENC_GBK, 0,
		"字节偏移 0 处的字符“\xf0\xa0\x80\xbe”（U+2003E）无法用 GBK 表示： 0xF0 0xA0 0x80 0xBE");
	/* glibc's GBK drops tag characters without an error: caught anyway. */
	assert_from_utf8_error("ab\xf3\xa0\x80\x81" "c", ENC_GBK, 2,
		"字节偏移 2 处的字符“\xf3\xa0\x80\x81”（U+E0001）无法用 GBK 表示： 0xF3 0xA0 0x80 0x81");
	/* glibc's GB18030 quirk: these private-use code points are refused. */
	assert_from_utf8_error("x\xee\x9e\x8d", ENC_GB18030, 1,
		"字节偏移 1 处的字符“\xee\x9e\x8d”（U+E78D）无法用 GB18030 表示： 0xEE 0x9E 0x8D");
}

/* What is to be written is checked as strict UTF-8 first. */
static void test_from_utf8_checks_input(void **state)
{
	struct enc_error err;
	size_t out_len;

	assert_null(from_utf8_exact("a\xc0\x80", 3, ENC_GB18030, &out_len, &err));
	assert_int_equal(err.offset, 1);
	assert_string_equal(err.message, "字节偏移 1 处有无效的 UTF-8 字节 0xC0 0x80");
	assert_null(from_utf8_exact("a\0b", 3, ENC_UTF8, &out_len, &err));
	assert_int_equal(err.offset, 1);
	assert_null(from_utf8_exact("\xe4\xb8", 2, ENC_UTF8_BOM, &out_len, &err));
	assert_int_equal(err.offset, 0);
}

/* All of Unicode (every scalar value but NUL and the 24 private-use code
 * points of the quirk) as one UTF-8 text: to GB18030 and back, byte for
 * byte.  Covers every BMP CJK character, Extension B and every 4-byte
 * GB18030 sequence of the supplementary planes; the output grows past the
 * first buffer, so E2BIG is exercised too. */
static void test_roundtrip_every_code_point(void **state)
{
	char *utf8 = xmalloc(0x110000 * 4);
	size_t len = 0, gb_len = 0, back_len = 0;
	struct enc_error err = { 0 };
	char *gb, *back;

	for (uint32_t cp = 1; cp <= 0x10FFFF; cp++)
		if (gb_can_write(cp))
			len += utf8_encode(cp, utf8 + len);
	gb = enc_from_utf8(utf8, len, ENC_GB18030, &gb_len, &err);
	if (gb == NULL)
		fail_msg("to GB18030: %s", err.message);
	back = enc_to_utf8(gb, gb_len, ENC_GB18030, &back_len, &err);
	if (back == NULL)
		fail_msg("back to UTF-8: %s", err.message);
	assert_int_equal(back_len, len);
	assert_memory_equal(back, utf8, len);
	free(back);
	free(gb);
	free(utf8);
	for (size_t i = 0; i < sizeof(gb_unwritable) / sizeof(gb_unwritable[0]); i++) {
		char one[5] = { 0 };
		size_t out_len;

		utf8_encode(gb_unwritable[i], one);
		assert_null(enc_from_utf8(one, strlen(one), ENC_GB18030, &out_len, &err));
		assert_int_equal(err.offset, 0);
	}
}

/* Every two-byte GB18030 code read and written again keeps its bytes, and
 * reading them gives as many distinct characters. */
static void test_roundtrip_every_two_byte_code(void **state)
{
	char *gb = xmalloc(126 * 190 * 2);
	size_t len = 0, u_len = 0, back_len = 0;
	struct enc_error err = { 0 };
	char *u, *back;

	for (int a = 0x81; a <= 0xFE; a++)
		for (int b = 0x40; b <= 0xFE; b++)
			if (b != 0x7F) {
				gb[len++] = (char)a;
				gb[len++] = (char)b;
			}
	assert_int_equal(len, 126 * 190 * 2);
	u = enc_to_utf8(gb, len, ENC_GB18030, &u_len, &err);
	if (u == NULL)
		fail_msg("%s", err.message);
	assert_int_equal(utf8_count_chars(u, u_len), 126 * 190);
	back = enc_from_utf8(u, u_len, ENC_GB18030, &back_len, &err);
	if (back == NULL)
		fail_msg("%s", err.message);
	assert_int_equal(back_len, len);
	assert_memory_equal(back, gb, len);
	free(back);
	free(u);
	free(gb);
}

/* The four-byte codes of the supplementary planes map linearly from
 * 90 30 81 30 = U+10000 (GB 18030): reading them gives exactly those code
 * points, and writing them back gives the same bytes except for the six
 * characters that also have a two-byte code (quirk list in encoding.c). */
static void test_four_byte_supplementary_linear(void **state)
{
	static const struct { uint32_t cp; const char *two; } also_two_byte[] = {
		{ 0x20087, "\xfe\x51" }, { 0x20089, "\xfe\x52" }, { 0x200CC, "\xfe\x53" },
		{ 0x215D7, "\xfe\x6c" }, { 0x2298F, "\xfe\x76" }, { 0x241FE, "\xfe\x91" },
	};
	size_t n = 0x100000;
	char *gb = xmalloc(n * 4), *want = xmalloc(n * 4);
	size_t want_len = 0, u_len = 0, back_len = 0;
	struct enc_error err = { 0 };
	char *u, *back;

	for (size_t i = 0; i < n; i++) {
		gb[4 * i] = (char)(0x90 + i / 12600);
		gb[4 * i + 1] = (char)(0x30 + i / 1260 % 10);
		gb[4 * i + 2] = (char)(0x81 + i / 10 % 126);
		gb[4 * i + 3] = (char)(0x30 + i % 10);
		want_len += utf8_encode((uint32_t)(0x10000 + i), want + want_len);
	}
	u = enc_to_utf8(gb, n * 4, ENC_GB18030, &u_len, &err);
	if (u == NULL)
		fail_msg("%s", err.message);
	assert_int_equal(u_len, want_len);
	assert_memory_equal(u, want, want_len);
	back = enc_from_utf8(u, u_len, ENC_GB18030, &back_len, &err);
	if (back == NULL)
		fail_msg("%s", err.message);
	assert_int_equal(back_len, n * 4 - 6 * 2);
	for (size_t i = 0, o = 0; i < n; i++) {
		const char *expect = gb + 4 * i;
		size_t elen = 4;

		for (size_t k = 0; k < 6; k++)
			if (also_two_byte[k].cp == 0x10000 + i) {
				expect = also_two_byte[k].two;
				elen = 2;
			}
		if (memcmp(back + o, expect, elen) != 0)
			fail_msg("U+%04zX written differently", 0x10000 + i);
		o += elen;
	}
	free(back);
	free(u);
	free(want);
	free(gb);
}

/* The 18 four-byte codes of the BMP part that glibc refuses: those of
 * U+9FB4..U+9FBB and U+FE10..U+FE19, characters that have two-byte codes
 * now (FE59..., A6D9...). */
static bool gb_four_byte_refused(unsigned long code)
{
	return (code >= 0x82359037UL && code <= 0x82359134UL) ||
	       (code >= 0x84318236UL && code <= 0x84318335UL);
}

/* The four-byte codes of the BMP part (81 30 81 30 .. 84 31 A4 39, up to
 * U+FFFF) are readable, except the 18 above, and keep their bytes on a
 * round trip; each of the 18 is an error at its offset. */
static void test_four_byte_bmp_roundtrip(void **state)
{
	char *gb = xmalloc(40000 * 4);
	size_t len = 0, u_len = 0, back_len = 0, refused = 0;
	struct enc_error err = { 0 };
	char *u, *back;

	for (unsigned a = 0x81; a <= 0x84; a++)
		for (unsigned b = 0x30; b <= 0x39; b++)
			for (unsigned c = 0x81; c <= 0xFE; c++)
				for (unsigned d = 0x30; d <= 0x39; d++) {
					unsigned long code = (unsigned long)a << 24 | b << 16 | c << 8 | d;
					char one[5] = { (char)a, (char)b, (char)c, (char)d, 'x' };

					if (code > 0x8431A439UL)
						continue;
					if (gb_four_byte_refused(code)) {
						assert_null(enc_to_utf8(one, 5, ENC_GB18030, &u_len, &err));
						assert_int_equal(err.offset, 0);
						assert_int_equal(err.nbytes, 4);
						refused++;
						continue;
					}
					memcpy(gb + len, one, 4);
					len += 4;
				}
	assert_int_equal(refused, 18);
	assert_int_equal(len, (39420 - 18) * 4);
	u = enc_to_utf8(gb, len, ENC_GB18030, &u_len, &err);
	if (u == NULL)
		fail_msg("%s", err.message);
	assert_int_equal(utf8_count_chars(u, u_len), 39420 - 18);
	back = enc_from_utf8(u, u_len, ENC_GB18030, &back_len, &err);
	if (back == NULL)
		fail_msg("%s", err.message);
	assert_int_equal(back_len, len);
	assert_memory_equal(back, gb, len);
	free(back);
	free(u);
	free(gb);
}

/* E2BIG: output three halves the size of the input, grown in steps. */
static void test_large_input_grows_buffer(void **state)
{
	size_t n = 100000, u_len = 0;
	char *gb = xmalloc(n * 2);
	struct enc_error err = { 0 };
	char *u;

	for (size_t i = 0; i < n; i++)
		memcpy(gb + 2 * i, "\xd6\xd0", 2);		/* 中 */
	u = enc_to_utf8(gb, n * 2, ENC_GB18030, &u_len, &err);
	assert_non_null(u);
	assert_int_equal(u_len, n * 3);
	for (size_t i = 0; i < n; i++)
		assert_memory_equal(u + 3 * i, "中", 3);
	free(u);
	free(gb);
}

/* Random bytes in exact-size blocks: every conversion either succeeds
 * with valid UTF-8 or fails with an offset inside the input. */
static void test_random_bytes_stay_in_bounds(void **state)
{
	unsigned seed = 2020;

	for (int round = 0; round < 1500; round++) {
		size_t len = (size_t)(round % 11), out_len = 0;
		char buf[16];
		struct enc_error err;
		enum enc_kind kinds[] = { ENC_GB18030, ENC_GBK, ENC_UTF8, ENC_UNKNOWN };
		char *out;

		for (size_t k = 0; k < len; k++) {
			seed = seed * 1103515245 + 12345;
			buf[k] = (char)(seed >> 16);
		}
		out = to_utf8_exact(buf, len, kinds[round % 4], &out_len, &err);
		if (out != NULL)
			assert_true(utf8_validate(out, out_len, NULL));
		else
			assert_true(err.offset < len || len == 0 ||
				    (err.offset == 0 && err.nbytes > 0));
		free(out);
		out = from_utf8_exact(buf, len, round % 2 ? ENC_GBK : ENC_GB18030,
				      &out_len, &err);
		if (out == NULL)
			assert_true(err.offset < len);
		free(out);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_detect),
		cmocka_unit_test(test_detect_refuses_utf16_and_utf32),
		cmocka_unit_test(test_gb18030_to_utf8),
		cmocka_unit_test(test_gb18030_invalid_bytes),
		cmocka_unit_test(test_truncated_at_end_of_input),
		cmocka_unit_test(test_nul_refused),
		cmocka_unit_test(test_strict_utf8_input),
		cmocka_unit_test(test_from_utf8),
		cmocka_unit_test(test_unrepresentable_character_named),
		cmocka_unit_test(test_from_utf8_checks_input),
		cmocka_unit_test(test_roundtrip_every_code_point),
		cmocka_unit_test(test_roundtrip_every_two_byte_code),
		cmocka_unit_test(test_four_byte_supplementary_linear),
		cmocka_unit_test(test_four_byte_bmp_roundtrip),
		cmocka_unit_test(test_large_input_grows_buffer),
		cmocka_unit_test(test_random_bytes_stay_in_bounds),
	};

	setlocale(LC_ALL, "");
	return cmocka_run_group_tests_name("encoding", tests, NULL, NULL);
}
