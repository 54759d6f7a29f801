/* out_table and out_xlsx: CSV bytes in each encoding with formula cells
 * neutralised and numbers kept, text aligned by display width, and XLSX
 * with numbers as numbers, bold headers and widths fitted to Chinese. */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <locale.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>
#include <cmocka.h>

#include "core/csv.h"
#include "core/encoding.h"
#include "core/width.h"
#include "core/xalloc.h"
#include "out_table.h"
#include "out_xlsx.h"

static const enum out_col_kind kinds[] = { OUT_TEXT, OUT_NUMBER, OUT_TEXT };

static struct out_table *sample(const char *name)
{
	struct out_table *t = out_table_new(name, 3, kinds);
	const char *title[] = { "区镇", "昆山开发区", NULL };
	const char *hdr[] = { "企业名称", "职工人数", "备注" };
	const char *r1[] = { "𠀾科技", "-12", "=1+1" };
	const char *r2[] = { "长名称有限公司", "7", "@x" };
	const char *tot[] = { "合计", "-5", NULL };

	out_table_add(t, OUT_ROW_TITLE, title);
	out_table_header(t, hdr);
	out_table_add(t, OUT_ROW_DATA, r1);
	out_table_add(t, OUT_ROW_DATA, r2);
	out_table_add(t, OUT_ROW_TOTAL, tot);
	return t;
}

static const char expected_csv[] =
	"区镇,昆山开发区,\r\n"
	"企业名称,职工人数,备注\r\n"
	"𠀾科技,-12,'=1+1\r\n"
	"长名称有限公司,7,'@x\r\n"
	"合计,-5,\r\n";

static void test_csv_utf8(void **state)
{
	struct out_table *t[2] = { sample("a"), sample("b") };
	size_t len;
	char *csv = out_csv_utf8(t, 2, &len);
	char *want = xasprintf("%s\r\n%s", expected_csv, expected_csv);

	assert_string_equal(csv, want);
	assert_int_equal(len, strlen(want));
	free(want);
	free(csv);
	out_table_free(&t[0]);
	out_table_free(&t[1]);
	assert_null(t[0]);
}

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	struct csv_out o = { 0 };
	char buf[4096];
	size_t n;

	assert_non_null(f);
	csv_out_append(&o, "", 0);
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		csv_out_append(&o, buf, n);
	fclose(f);
	*len = o.len;
	return o.data;
}

/* Each encoding writes exactly the converted bytes: GB18030 with the
 * four-byte 𠀾 (0x95 0x32 0x88 0x38), UTF-8 with BOM, plain UTF-8. */
static void test_csv_encodings(void **state)
{
	struct out_table *t = sample("a");
	char path[] = "/tmp/gbout.XXXXXX";
	int fd = mkstemp(path);
	char msg[256];
	size_t len;
	char *got;

	assert_true(fd >= 0);
	close(fd);
	assert_true(out_csv_write(&t, 1, ENC_GB18030, path, msg, sizeof(msg)));
	got = slurp(path, &len);
	assert_non_null(memmem(got, len, "\x95\x32\x88\x38", 4));
	{
		struct enc_error err;
		size_t back_len;
		char *back = enc_to_utf8(got, len, ENC_GB18030, &back_len, &err);

		assert_non_null(back);
		assert_string_equal(back, expected_csv);
		free(back);
	}
	free(got);
	assert_true(out_csv_write(&t, 1, ENC_UTF8_BOM, path, msg, sizeof(msg)));
	got = slurp(path, &len);
	assert_int_equal(len, 3 + strlen(expected_csv));
	assert_memory_equal(got, "\xef\xbb\xbf", 3);
	assert_memory_equal(got + 3, expected_csv, len - 3);
	free(got);
	assert_true(out_csv_write(&t, 1, ENC_UTF8, path, msg, sizeof(msg)));
	got = slurp(path, &len);
	assert_string_equal(got, expected_csv);
	free(got);
	assert_false(out_csv_write(&t, 1, ENC_UTF8, "/nonexistent/dir/x.csv", msg, sizeof(msg)));
	assert_non_null(strstr(msg, "无法写入 /nonexistent/dir/x.csv"));
	unlink(path);
	out_table_free(&t);
}

/* Text: every line of the table part has the same display width for the
 * padded columns; numbers right-aligned; controls escaped. */
static void test_text_aligned(void **state)
{
	struct out_table *t = sample("a");
	const char *evil[] = { "\x1b[31mred", "1", "x\ty" };
	char *buf = NULL;
	size_t size = 0;
	FILE *f = open_memstream(&buf, &size);

	out_table_add(t, OUT_ROW_DATA, evil);
	out_text_write(t, f);
	fclose(f);
	assert_string_equal(buf,
		"区镇  昆山开发区\n"
		"企业名称        职工人数  备注\n"
		"------------------------------\n"
		"𠀾科技               -12  =1+1\n"
		"长名称有限公司         7  @x\n"
		"------------------------------\n"
		"合计                  -5  \n"
		"\\x1b[31mred            1  x\\ty\n");
	free(buf);
	out_table_free(&t);
}

/* --- reading an .xlsx back: zip central directory + raw inflate --- */

static uint32_t le32(const unsigned char *p)
{
	return p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint16_t le16(const unsigned char *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

/* The member called name, inflated.  Caller frees. */
static char *zip_member(const char *zip, size_t len, const char *name)
{
	const unsigned char *z = (const unsigned char *)zip;
	size_t eocd = len - 22, cd, n;

	while (eocd > 0 && le32(z + eocd) != 0x06054b50)
		eocd--;
	assert_true(eocd > 0);
	cd = le32(z + eocd + 16);
	n = le16(z + eocd + 10);
	for (size_t i = 0; i < n; i++) {
		uint16_t method = le16(z + cd + 10), nlen = le16(z + cd + 28);
		uint32_t csize = le32(z + cd + 20), usize = le32(z + cd + 24);
		uint32_t off = le32(z + cd + 42);

		if (nlen == strlen(name) && memcmp(z + cd + 46, name, nlen) == 0) {
			size_t data = off + 30 + le16(z + off + 26) + le16(z + off + 28);
			char *out = xcalloc(1, usize + 1);
			z_stream s = { 0 };

			if (method == 0) {
				memcpy(out, z + data, usize);
				return out;
			}
			assert_int_equal(inflateInit2(&s, -15), Z_OK);
			s.next_in = (unsigned char *)z + data;
			s.avail_in = csize;
			s.next_out = (unsigned char *)out;
			s.avail_out = usize;
			assert_int_equal(inflate(&s, Z_FINISH), Z_STREAM_END);
			inflateEnd(&s);
			return out;
		}
		cd += 46 + nlen + le16(z + cd + 30) + le16(z + cd + 32);
	}
	fail_msg("no %s in the xlsx", name);
	return NULL;
}

static void test_xlsx(void **state)
{
	struct out_table *t[2] = { sample("昆山开发区"), sample("a/b:c") };
	char path[] = "/tmp/gbxlsx.XXXXXX";
	int fd = mkstemp(path);
	char msg[256], *zip, *sheet, *book, *strings;
	size_t len;

	assert_true(fd >= 0);
	close(fd);
	assert_true(out_xlsx_write(t, 2, path, msg, sizeof(msg)));
	zip = slurp(path, &len);
	assert_memory_equal(zip, "PK", 2);
	book = zip_member(zip, len, "xl/workbook.xml");
	assert_non_null(strstr(book, "name=\"昆山开发区\""));
	assert_non_null(strstr(book, "name=\"a_b_c\""));
	sheet = zip_member(zip, len, "xl/worksheets/sheet1.xml");
	/* Numbers as numbers (no t="s"), negative ones included. */
	assert_non_null(strstr(sheet, "<c r=\"B3\"><v>-12</v></c>"));
	assert_non_null(strstr(sheet, "<c r=\"B4\"><v>7</v></c>"));
	/* The header row is bold (a style), its cells strings. */
	assert_non_null(strstr(sheet, "<c r=\"A2\" s=\"1\" t=\"s\">"));
	/* 长名称有限公司 is 14 columns wide: 16 with the margin. */
	assert_non_null(strstr(sheet, "<col min=\"1\" max=\"1\" width=\"16.7109375\""));
	strings = zip_member(zip, len, "xl/sharedStrings.xml");
	/* A formula-like text is stored as text, never as a formula. */
	assert_non_null(strstr(strings, "<t>=1+1</t>"));
	assert_null(strstr(sheet, "<f>"));
	free(strings);
	free(sheet);
	free(book);
	free(zip);
	assert_false(out_xlsx_write(t, 2, "/nonexistent/dir/x.xlsx", msg, sizeof(msg)));
	unlink(path);
	out_table_free(&t[0]);
	out_table_free(&t[1]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_csv_utf8),
		cmocka_unit_test(test_csv_encodings),
		cmocka_unit_test(test_text_aligned),
		cmocka_unit_test(test_xlsx),
	};

	setlocale(LC_ALL, "");
	return cmocka_run_group_tests_name("out", tests, NULL, NULL);
}
