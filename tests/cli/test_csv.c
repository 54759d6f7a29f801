/* core/csv: RFC 4180 records, every malformed input named by line and
 * column, the field limit, and the writer's quoting and neutralising. */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core/csv.h"
#include "core/xalloc.h"

/* Read every record of text; returns the fields joined as "a|b;c|d;" or
 * the error message prefixed with "ERR ". Caller frees. */
static char *parse_all(const char *text, size_t len, const struct csv_options *opt)
{
	struct csv_reader *r = csv_reader_new(text, len, opt);
	struct csv_out o = { 0 };
	struct csv_record rec;
	struct csv_error err;
	enum csv_status st;

	csv_out_append(&o, "", 0);
	while ((st = csv_read(r, &rec, &err)) == CSV_ROW) {
		for (size_t i = 0; i < rec.nfields; i++) {
			if (i > 0)
				csv_out_append(&o, "|", 1);
			csv_out_append(&o, rec.fields[i], rec.lens[i]);
		}
		csv_out_append(&o, ";", 1);
	}
	csv_reader_free(&r);
	if (st == CSV_ERROR) {
		char *msg = xasprintf("ERR %s", err.message);

		csv_out_free(&o);
		return msg;
	}
	return o.data;
}

static void check_parse(const char *text, const char *expected)
{
	char *got = parse_all(text, strlen(text), NULL);

	assert_string_equal(got, expected);
	free(got);
}

static void test_quoted_fields(void **state)
{
	check_parse("a,b\r\n\"x,y\",\"say \"\"hi\"\"\"\r\n", "a|b;x,y|say \"hi\";");
	check_parse("a,b\n\"line1\nline2\",2\n", "a|b;line1\nline2|2;");
	check_parse("a,b\n\"crlf\r\nkept\",2", "a|b;crlf\r\nkept|2;");
	check_parse("a,b\n,\n\"\",\"\"\n", "a|b;|;|;");
	check_parse("名称,值\n甲乙,丙\n", "名称|值;甲乙|丙;");
	/* A quote inside an unquoted field is a literal, as in Excel. */
	check_parse("a,b\n37\u00b036'37.8\"N,x\n", "a|b;37\u00b036'37.8\"N|x;");
}

static void test_line_ends_and_blank_lines(void **state)
{
	check_parse("a\rb\r\nc\n\n\nd", "a;b;c;d;");
	check_parse("\n\na,b\n1,2", "a|b;1|2;");
}

static void test_record_lines(void **state)
{
	const char *text = "h1,h2\n\"a\nb\",c\nd,e\n";
	struct csv_reader *r = csv_reader_new(text, strlen(text), NULL);
	struct csv_record rec;
	struct csv_error err;

	assert_int_equal(csv_read(r, &rec, &err), CSV_ROW);
	assert_int_equal(rec.line, 1);
	assert_int_equal(csv_read(r, &rec, &err), CSV_ROW);
	assert_int_equal(rec.line, 2);
	assert_int_equal(rec.end_line, 3);
	assert_int_equal(csv_read(r, &rec, &err), CSV_ROW);
	assert_int_equal(rec.line, 4);
	assert_int_equal(csv_read(r, &rec, &err), CSV_END);
	csv_reader_free(&r);
}

/* Each malformed input: the kind, and the line and column in the message. */
static void check_error(const char *text, enum csv_error_kind kind,
			size_t line, size_t col, const char *words)
{
	struct csv_reader *r = csv_reader_new(text, strlen(text), NULL);
	struct csv_record rec;
	struct csv_error err;
	enum csv_status st;

	while ((st = csv_read(r, &rec, &err)) == CSV_ROW)
		;
	assert_int_equal(st, CSV_ERROR);
	assert_int_equal(err.kind, kind);
	assert_int_equal(err.line, line);
	assert_int_equal(err.column, col);
	if (strstr(err.message, words) == NULL)
		fail_msg("message \"%s\" lacks \"%s\"", err.message, words);
	/* The reader stays in error. */
	assert_int_equal(csv_read(r, &rec, &err), CSV_ERROR);
	csv_reader_free(&r);
}

static void test_malformed(void **state)
{
	check_error("", CSV_ERR_EMPTY, 1, 1, "空");
	check_error("\r\n\n", CSV_ERR_EMPTY, 3, 1, "空");
	check_error("a,b,c\n1,2,3\n4,5\n", CSV_ERR_RAGGED, 3, 1, "第 3 行：这一行有 2 个字段，而第一行有 3 个");
	check_error("a,b\n1,\"open\n\nmore", CSV_ERR_UNTERMINATED, 2, 3, "第 2 行第 3 列：引号未闭合");
	check_error("名称,数\n企业甲,\"1\"2\n", CSV_ERR_BAD_QUOTE, 2, 8, "第 2 行第 8 列：右引号后面");
	check_error("a,b\n\"x\"y,1\n", CSV_ERR_BAD_QUOTE, 2, 4, "右引号后面");
	check_error("a,b\n\"x\ny\"z,1\n", CSV_ERR_BAD_QUOTE, 3, 3, "第 3 行第 3 列");
}

static void test_nul_byte(void **state)
{
	const char text[] = "a,b\n1,x\0y\n";
	struct csv_reader *r = csv_reader_new(text, sizeof(text) - 1, NULL);
	struct csv_record rec;
	struct csv_error err;

	assert_int_equal(csv_read(r, &rec, &err), CSV_ROW);
	assert_int_equal(csv_read(r, &rec, &err), CSV_ERROR);
	assert_int_equal(err.kind, CSV_ERR_NUL);
	assert_int_equal(err.line, 2);
	assert_int_equal(err.column, 4);
	csv_reader_free(&r);
}

static void test_ragged_allowed(void **state)
{
	struct csv_options opt = { .allow_ragged = true };
	char *got = parse_all("a,b,c\n1\n2,3\n", 12, &opt);

	assert_string_equal(got, "a|b|c;1;2|3;");
	free(got);
}

/* A 10 MB field: refused at the default 1 MiB limit, read with a larger one. */
static void test_huge_field(void **state)
{
	size_t big = 10u << 20;
	char *text = xmalloc(big + 64);
	size_t n = 0;
	struct csv_options opt = { .max_field_bytes = 16u << 20 };
	struct csv_reader *r;
	struct csv_record rec;
	struct csv_error err;

	n += (size_t)sprintf(text, "name,note\nx,\"");
	memset(text + n, 'q', big);
	n += big;
	memcpy(text + n, "\"\n", 2);
	n += 2;
	for (int quoted = 0; quoted < 2; quoted++) {
		if (!quoted)
			text[12] = 'q';	/* the same field without quotes */
		r = csv_reader_new(text, quoted ? n : n - 2, NULL);
		assert_int_equal(csv_read(r, &rec, &err), CSV_ROW);
		assert_int_equal(csv_read(r, &rec, &err), CSV_ERROR);
		assert_int_equal(err.kind, CSV_ERR_FIELD_TOO_BIG);
		assert_int_equal(err.line, 2);
		assert_int_equal(err.column, 3);
		assert_non_null(strstr(err.message, "1048576 字节"));
		csv_reader_free(&r);
		text[12] = '"';
	}
	r = csv_reader_new(text, n, &opt);
	assert_int_equal(csv_read(r, &rec, &err), CSV_ROW);
	assert_int_equal(csv_read(r, &rec, &err), CSV_ROW);
	assert_int_equal(rec.lens[1], big);
	assert_int_equal(csv_read(r, &rec, &err), CSV_END);
	csv_reader_free(&r);
	free(text);
}

static char *write_row(const char *const *cells, const enum csv_cell_kind *kinds, size_t n)
{
	struct csv_out o = { 0 };

	for (size_t i = 0; i < n; i++)
		csv_write_field(&o, i == 0, cells[i], kinds[i]);
	csv_end_record(&o);
	return o.data;
}

static void test_writer_quotes(void **state)
{
	const char *cells[] = { "plain", "a,b", "say \"hi\"", "two\nlines", "", NULL };
	const enum csv_cell_kind kinds[] = { CSV_TEXT, CSV_TEXT, CSV_TEXT, CSV_TEXT, CSV_TEXT, CSV_TEXT };
	char *got = write_row(cells, kinds, 6);

	assert_string_equal(got, "plain,\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\",,\r\n");
	free(got);
}

/* OWASP: = + - @ tab CR at the start of a text cell get an apostrophe;
 * numbers in numeric columns, negative ones included, stay numbers. */
static void test_writer_neutralises(void **state)
{
	const char *cells[] = { "=HYPERLINK(\"http://x\")", "+1", "-2+3", "@SUM(A1)", "\tx",
				"\rx", "-12.5", "-1e3", "'=x", "'abc", "normal" };
	const enum csv_cell_kind kinds[] = { CSV_TEXT, CSV_TEXT, CSV_TEXT, CSV_TEXT, CSV_TEXT,
					     CSV_TEXT, CSV_NUMBER, CSV_NUMBER, CSV_TEXT, CSV_TEXT,
					     CSV_TEXT };
	char *got = write_row(cells, kinds, 11);

	assert_string_equal(got, "\"'=HYPERLINK(\"\"http://x\"\")\",'+1,'-2+3,'@SUM(A1),'\tx,"
			    "\"'\rx\",-12.5,'-1e3,''=x,'abc,normal\r\n");
	free(got);
	assert_true(csv_is_number("-12"));
	assert_true(csv_is_number("3.50"));
	assert_false(csv_is_number("-"));
	assert_false(csv_is_number("1,000"));
	assert_false(csv_is_number(""));
	/* A text "-5" is not left alone: only numeric columns keep it. */
	{
		const char *c[] = { "-5" };
		const enum csv_cell_kind k[] = { CSV_TEXT };
		char *t = write_row(c, k, 1);

		assert_string_equal(t, "'-5\r\n");
		free(t);
	}
}

/* Writing then reading (and un-neutralising) gives back every value. */
static void test_write_read_round_trip(void **state)
{
	const char *cells[] = { "=1+1", "'=x", "''@y", "'plain", "a\"b,c\r\nd", "𠀾名称", "-7",
				"+", "" };
	const size_t n = sizeof(cells) / sizeof(cells[0]);
	struct csv_out o = { 0 };
	struct csv_reader *r;
	struct csv_record rec;
	struct csv_error err;

	for (size_t i = 0; i < n; i++)
		csv_write_field(&o, i == 0, cells[i], CSV_TEXT);
	csv_end_record(&o);
	r = csv_reader_new(o.data, o.len, NULL);
	assert_int_equal(csv_read(r, &rec, &err), CSV_ROW);
	assert_int_equal(rec.nfields, n);
	for (size_t i = 0; i < n; i++)
		assert_string_equal(csv_unneutralise(rec.fields[i]), cells[i]);
	assert_int_equal(csv_read(r, &rec, &err), CSV_END);
	csv_reader_free(&r);
	csv_out_free(&o);
}

/* The reader scans a field eight bytes at a time: put each byte that ends
 * a run (comma, quote, CR, LF, NUL) at every offset of a long field,
 * unquoted and quoted, and check what comes out against the same text
 * built by hand.  The input sits in a block of its exact size (ASan). */
static void test_stops_at_every_offset(void **state)
{
	for (size_t k = 0; k <= 20; k++) {
		char *pad = xmalloc(k + 1);
		char *text, *want, *got, *exact;
		size_t len;

		memset(pad, 'x', k);
		pad[k] = '\0';
		/* unquoted: a comma, then CRLF, LF and a lone CR ending records */
		text = xasprintf("%s,%s中文\r\n%s\n%s\r%s", pad, pad, pad, pad, pad);
		want = k > 0 ? xasprintf("%s|%s中文;%s;%s;%s;", pad, pad, pad, pad, pad)
			     : xstrdup("|中文;");
		len = strlen(text);
		exact = xmalloc(len);
		memcpy(exact, text, len);
		got = parse_all(exact, len, &(struct csv_options){ .allow_ragged = true });
		assert_string_equal(got, want);
		free(got);
		free(exact);
		free(text);
		free(want);
		/* quoted: a doubled quote, a comma and both line ends inside */
		text = xasprintf("\"%s\"\"%s,%s\n%s\r\n%s\",%s", pad, pad, pad, pad, pad, pad);
		want = xasprintf("%s\"%s,%s\n%s\r\n%s|%s;", pad, pad, pad, pad, pad, pad);
		check_parse(text, want);
		free(text);
		free(want);
		/* a NUL: named by its column */
		{
			struct csv_reader *r;
			struct csv_record rec;
			struct csv_error err;

			len = 2 * k + 3;
			exact = xmalloc(len);
			memset(exact, 'x', len);
			exact[k] = ',';
			exact[2 * k + 1] = '\0';
			r = csv_reader_new(exact, len, NULL);
			assert_int_equal(csv_read(r, &rec, &err), CSV_ERROR);
			assert_int_equal(err.kind, CSV_ERR_NUL);
			assert_int_equal(err.column, 2 * k + 2);
			assert_int_equal(err.offset, 2 * k + 1);
			csv_reader_free(&r);
			free(exact);
		}
		free(pad);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_quoted_fields),
		cmocka_unit_test(test_line_ends_and_blank_lines),
		cmocka_unit_test(test_record_lines),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_nul_byte),
		cmocka_unit_test(test_ragged_allowed),
		cmocka_unit_test(test_huge_field),
		cmocka_unit_test(test_stops_at_every_offset),
		cmocka_unit_test(test_writer_quotes),
		cmocka_unit_test(test_writer_neutralises),
		cmocka_unit_test(test_write_read_round_trip),
	};

	return cmocka_run_group_tests_name("csv", tests, NULL, NULL);
}
