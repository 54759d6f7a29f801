/* report progress as text: over synthetic district rows, six-digit counts
 * and seven-digit totals still fit 80 columns (split in two tables, every
 * figure kept), and small ones stay one table. */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <locale.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core/width.h"
#include "core/xalloc.h"
#include "out_table.h"
#include "report_text.h"

static const char *const districts[] = {
	"昆山开发区", "昆山高新区", "花桥经济开发区", "张浦镇", "周市镇", "陆家镇",
	"巴城镇", "千灯镇", "淀山湖镇", "周庄镇", "锦溪镇",
};
#define ND (sizeof(districts) / sizeof(districts[0]))

/* The progress table as tables_progress builds it, every count near big. */
static struct out_table *progress(long big)
{
	static const enum out_col_kind k[] = { OUT_NUMBER, OUT_TEXT, OUT_NUMBER, OUT_NUMBER,
					       OUT_NUMBER, OUT_NUMBER, OUT_NUMBER, OUT_NUMBER,
					       OUT_NUMBER };
	static const char *const hdr[] = { "排名", "区镇", "配额", "列入", "通过", "完成率%",
					   "示范在办", "示范认定", "逾期" };
	struct out_table *t = out_table_new("考核通报", 9, k);
	long sum[9] = { 0 };
	char v[9][32];
	const char *cells[9];

	out_table_header(t, hdr);
	for (size_t d = 0; d < ND; d++) {
		long n[9] = { (long)d + 1, 0, big - (long)d, big - 7 * (long)d, big / 2 + (long)d, 0,
			      big - 3 * (long)d, big / 3, big - 11 * (long)d };

		for (int c = 0; c < 9; c++) {
			snprintf(v[c], sizeof(v[c]), "%ld", n[c]);
			sum[c] += n[c];
			cells[c] = v[c];
		}
		snprintf(v[5], sizeof(v[5]), "%.1f", 100.0 * (double)n[4] / (double)n[2]);
		cells[1] = districts[d];
		out_table_add(t, OUT_ROW_DATA, cells);
	}
	for (int c = 0; c < 9; c++) {
		snprintf(v[c], sizeof(v[c]), "%ld", sum[c]);
		cells[c] = v[c];
	}
	snprintf(v[5], sizeof(v[5]), "%.1f", 100.0 * (double)sum[4] / (double)sum[2]);
	cells[0] = NULL;
	cells[1] = "合计";
	out_table_add(t, OUT_ROW_TOTAL, cells);
	return t;
}

/* What report progress prints for t.  Caller frees. */
static char *render(struct out_table *t, size_t *ntables)
{
	struct out_table *parts[2];
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	assert_non_null(f);
	*ntables = report_text_tables(t, parts);
	for (size_t i = 0; i < *ntables; i++) {
		if (i > 0)
			fputc('\n', f);
		out_text_write(parts[i], f);
	}
	for (size_t i = 0; *ntables > 1 && i < *ntables; i++)
		out_table_free(&parts[i]);
	fclose(f);
	return text;
}

/* The widest line's display width. */
static size_t widest(char *text)
{
	size_t w = 0;

	for (char *line = strtok(text, "\n"); line != NULL; line = strtok(NULL, "\n"))
		if (width_str_cols(line) > w)
			w = width_str_cols(line);
	return w;
}

/* Some line of text holds both a and b. */
static bool same_line(const char *text, const char *a, const char *b)
{
	char *copy = xstrdup(text);
	bool found = false;

	for (char *line = strtok(copy, "\n"); line != NULL && !found; line = strtok(NULL, "\n"))
		found = strstr(line, a) != NULL && strstr(line, b) != NULL;
	free(copy);
	return found;
}

/* Every figure of t is printed on a line of its district (or 合计). */
static void assert_all_figures(const struct out_table *t, const char *text)
{
	for (size_t r = 0; r < t->nrows; r++)
		for (size_t c = 0; c < t->ncols; c++)
			if (c != 1 && t->rows[r].cells[c] != NULL &&
			    !same_line(text, t->rows[r].cells[1], t->rows[r].cells[c]))
				fail_msg("%s: %s missing", t->rows[r].cells[1], t->rows[r].cells[c]);
}

static void test_six_digits_fit(void **state)
{
	for (long big = 100000; big <= 999999; big += 899999) {
		struct out_table *t = progress(big);
		size_t n;
		char *text = render(t, &n), *copy = xstrdup(text);

		/* one table would not fit: that is what is being fixed */
		assert_true(report_text_width(t) > REPORT_TEXT_COLS);
		assert_int_equal(n, 2);
		assert_true(widest(copy) <= REPORT_TEXT_COLS);
		assert_non_null(strstr(text, "贯标进度"));
		assert_non_null(strstr(text, "示范与逾期"));
		assert_all_figures(t, text);
		/* the 合计 row closes both tables */
		assert_non_null(strstr(strstr(text, "合计") + 1, "合计"));
		if (getenv("GB_SHOW") != NULL)
			fputs(text, stderr);
		free(copy);
		free(text);
		out_table_free(&t);
	}
}

static void test_small_counts_one_table(void **state)
{
	struct out_table *t = progress(12);
	size_t n;
	char *text = render(t, &n), *copy = xstrdup(text), *plain = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&plain, &len);

	assert_int_equal(n, 1);
	out_text_write(t, f);
	fclose(f);
	assert_string_equal(text, plain);
	assert_true(widest(copy) <= REPORT_TEXT_COLS);
	assert_int_equal(widest(plain), report_text_width(t));
	free(plain);
	free(copy);
	free(text);
	out_table_free(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_six_digits_fit),
		cmocka_unit_test(test_small_counts_one_table),
	};

	setlocale(LC_ALL, "");
	return cmocka_run_group_tests_name("report_text", tests, NULL, NULL);
}
