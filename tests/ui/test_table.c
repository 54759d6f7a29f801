/* The table widget drawn into a curses screen on /dev/null: CJK, fullwidth,
 * emoji, very long names and escape sequences stay in their columns, and no
 * double-width character is split at either edge, scrolled or not. */
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

#include "core/xalloc.h"
#include "screen_util.h"
#include "ui/kvlist.h"
#include "ui/table.h"
#include "ui/term.h"

static const struct table_col cols[] = {
	{ "名称", 20, WIDTH_LEFT },
	{ "区镇", 8, WIDTH_LEFT },
	{ "收入", 10, WIDTH_RIGHT },
	{ "电话", 12, WIDTH_LEFT },
};

static const char *const rows[][4] = {
	{ "昆山中华人民共和国精密模具有限公司", "张浦镇", "123.45", "电话0512" },
	{ "ＡＢＣ全角（昆山）", "周市镇", "7", "tel-B" },
	{ "😀表情科技", "陆家镇", "88888888.8", "tel-C" },
	{ "A very long ASCII company name that never ends", "千灯镇", "0", "tel-D" },
	{ "bad\x1b[31mred\xe2\x80\xae", "巴城镇", "1", "tel-E" },
};
#define NROWS 5

static const char *cell(void *ctx, int row, int col)
{
	return rows[row][col];
}

static void init_table(struct table *t)
{
	memset(t, 0, sizeof(*t));
	t->cols = cols;
	t->ncols = 4;
	t->frozen = 1;
	t->sort_col = 0;
	t->sort_desc = true;
	t->cur_col = -1;
	t->nrows = NROWS;
	t->cursor = 0;
	t->cell = cell;
}

static int setup(void **state)
{
	screen_open(24, 80);
	return 0;
}

static int teardown(void **state)
{
	screen_close();
	return 0;
}

/* Every row fills the screen width exactly and each column starts where
 * the header's does, whatever the width of the characters before it. */
static void test_columns_aligned(void **state)
{
	struct table t;

	init_table(&t);
	erase();
	table_draw(&t, stdscr, 0, 0, 10, COLS);
	assert_int_equal(screen_find(0, "名称v"), 2);
	assert_int_equal(screen_find(0, "区镇"), 23);
	for (int r = 0; r < NROWS; r++) {
		char *line = screen_row(1 + r);
		int w = screen_cols(line);

		free(line);
		assert_int_equal(w, COLS);
		assert_int_equal(screen_find(1 + r, rows[r][1]), 23);
		assert_int_equal(screen_find(1 + r, rows[r][3]), 43);
	}
	/* Right-aligned numbers end at the column's last cell. */
	assert_int_equal(screen_find(1, "123.45"), 32 + 10 - 6);
	/* A long name is cut with an ellipsis inside its 20 columns. */
	assert_int_equal(screen_find(1, "昆山中华人民共和国…"), 2);
	assert_int_equal(screen_find(4, "A very long ASCII c…"), 2);
}

/* Controls and bidi overrides are shown escaped, never sent raw. */
static void test_escaped(void **state)
{
	struct table t;
	char *line;

	init_table(&t);
	erase();
	table_draw(&t, stdscr, 0, 0, 10, COLS);
	line = screen_row(5);
	assert_non_null(strstr(line, "bad\\x1b[31mred\\u202e"));
	assert_null(strchr(line, 0x1b));
	assert_null(strstr(line, "\xe2\x80\xae"));
	free(line);
}

/* Scrolled sideways by one column: the first scrolled column's leading
 * double-width character is cut, so a space shows instead of half of it;
 * the name column stays where it was. */
static void test_scrolled_left_edge(void **state)
{
	struct table t;

	init_table(&t);
	t.hscroll = 1;
	erase();
	table_draw(&t, stdscr, 0, 0, 10, COLS);
	for (int r = 0; r < NROWS; r++) {
		char *line = screen_row(1 + r);
		int w = screen_cols(line);

		free(line);
		assert_int_equal(w, COLS);
		assert_int_equal(screen_find(1 + r, rows[r][1] + 3), 24);
		assert_int_equal(screen_find(1 + r, rows[r][1]), -1);
	}
	assert_int_equal(screen_find(1, "昆山"), 2);
	assert_int_equal(screen_find(0, "<"), 0);
}

/* A window that ends in the middle of a double-width character: a space
 * fills that column and nothing is drawn past the table's width. */
static void test_cut_right_edge(void **state)
{
	struct table t;
	char *line;

	init_table(&t);
	erase();
	table_draw(&t, stdscr, 0, 0, 10, 28);
	line = screen_row(1);
	int w = screen_cols(line);

	free(line);
	assert_int_equal(w, COLS);
	assert_int_equal(screen_find(1, "张浦"), 23);
	assert_int_equal(screen_find(1, "镇"), -1);
	/* Column 27 is the space standing for the cut half; 28 on is untouched. */
	assert_int_equal(screen_find(1, "张浦 "), 23);
	assert_int_equal(screen_find(1, "123"), -1);
}

/* Scrolling to show a column keeps it inside the visible part. */
static void test_show_col(void **state)
{
	struct table t;

	init_table(&t);
	/* Room after the frozen part: 40 - 23 = 17.  Column 3 (12 wide) starts
	 * at 8 + 1 + 10 + 1 = 20: the view starts at that boundary. */
	table_show_col(&t, 3, 40);
	assert_int_equal(t.hscroll, 20);
	table_show_col(&t, 2, 40);
	assert_int_equal(t.hscroll, 9);
	table_show_col(&t, 1, 40);
	assert_int_equal(t.hscroll, 0);
	/* One column at a time, always to a boundary. */
	table_hscroll_col(&t, 1, 40);
	assert_int_equal(t.hscroll, 9);
	table_hscroll_col(&t, 1, 40);
	assert_int_equal(t.hscroll, 20);
	table_hscroll_col(&t, 1, 40);	/* the last column shows whole: stay */
	assert_int_equal(t.hscroll, 20);
	table_hscroll_col(&t, -1, 40);
	assert_int_equal(t.hscroll, 9);
	table_hscroll_col(&t, -1, 40);
	assert_int_equal(t.hscroll, 0);
	/* A column wider than the room (12 > 30 - 23): the view starts at it,
	 * never past it (动态's 内容 column vanished at 80 columns). */
	table_show_col(&t, 3, 30);
	assert_int_equal(t.hscroll, 20);
}

/* The cursor is kept inside the rows and on screen. */
static void test_follow(void **state)
{
	struct table t;

	init_table(&t);
	t.cursor = 4;
	table_follow(&t, 2);
	assert_int_equal(t.top, 3);
	t.cursor = 99;
	table_follow(&t, 2);
	assert_int_equal(t.cursor, 4);
	t.cursor = 0;
	table_follow(&t, 2);
	assert_int_equal(t.top, 0);
}

/* Columns sized from the data (fit): a 14-column district name shows whole
 * on a 120-column screen, the name column takes the room that is left up to
 * its longest name, and on a narrow screen the name keeps its usual width
 * while the rest scrolls. */
static const struct table_col fit_cols[] = {
	{ "名称", 20, WIDTH_LEFT },
	{ "区镇", 10, WIDTH_LEFT },
	{ "产品", 18, WIDTH_LEFT },
	{ "人数", 8, WIDTH_RIGHT },
};

static const char *const fit_rows[][4] = {
	{ "苏州花桥国际商务城精密制造有限公司", "花桥经济开发区", "模具", "12" },
	{ "昆山短名", "张浦镇", "很长很长很长很长很长很长很长很长很长很长的产品", "3" },
};

static const char *fit_cell(void *ctx, int row, int col)
{
	return fit_rows[row][col];
}

static void init_fit(struct table *t)
{
	init_table(t);
	t->cols = fit_cols;
	t->nrows = 2;
	t->cell = fit_cell;
	t->fit = true;
}

static void test_fit_wide(void **state)
{
	struct table t;

	screen_close();
	screen_open(24, 120);
	init_fit(&t);
	erase();
	table_draw(&t, stdscr, 0, 0, 10, COLS);
	assert_true(screen_find(1, "花桥经济开发区") > 0);
	assert_true(screen_find(1, "苏州花桥国际商务城精密制造有限公司") == 2);
	/* The name column is exactly as wide as its longest name (34) plus the gap. */
	assert_int_equal(screen_find(0, "区镇"), 2 + 34 + 1);
	assert_int_equal(table_col_cols(&t, 1), 14);
	/* A column is capped: the long product is cut, the 人数 column still shows. */
	assert_int_equal(table_col_cols(&t, 2), TABLE_FIT_MAX_COLS);
	assert_true(screen_find(0, "人数") > 0);
	for (int r = 0; r < 3; r++) {
		char *line = screen_row(r);

		assert_int_equal(screen_cols(line), COLS);
		free(line);
	}
	table_free(&t);
	assert_null(t.widths);
	screen_close();
	screen_open(24, 80);
}

static void test_fit_narrow(void **state)
{
	struct table t;

	init_fit(&t);
	erase();
	table_draw(&t, stdscr, 0, 0, 10, 50);
	/* No room: the name keeps its usual 20 columns, 区镇 still fits its name. */
	assert_int_equal(table_col_cols(&t, 0), 20);
	assert_int_equal(screen_find(1, "花桥经济开发区"), 2 + 20 + 1);
	/* Without rows, the usual widths. */
	t.nrows = 0;
	table_fit(&t, 120);
	assert_int_equal(table_col_cols(&t, 1), 10);
	table_free(&t);
}

/* s without its spaces.  Caller frees. */
static char *no_spaces(const char *s)
{
	char *t = xmalloc(strlen(s) + 1), *o = t;

	for (; *s; s++)
		if (*s != ' ')
			*o++ = *s;
	*o = '\0';
	return t;
}

/* A case's 资格 line longer than the screen wraps onto the lines below its
 * label: every character shows (none cut off or split at the edge) and the
 * next label follows it; scrolled to the next line, that one shows whole. */
static void test_kvlist_wraps_long_values(void **state)
{
	const char *v = "✗ 申请前三年内未发生严重失信行为：企业在信用中国（江苏）网站上有行政处罚"
			"记录（处罚决定书编号 KSXZCF2019-0815），需核实处罚是否已完成信用修复，"
			"修复完成后方可申请贯标";
	struct kvlist kv = { 0 };
	char *joined = xstrdup(""), *want, *got, *expect;
	int y = 0;

	kv.n = 2;
	kv.keys = xcalloc(3, sizeof(char *));
	kv.vals = xcalloc(3, sizeof(char *));
	kv.keys[0] = xstrdup("资格");
	kv.vals[0] = xstrdup(v);
	kv.keys[1] = xstrdup("材料");
	kv.vals[1] = xstrdup("缺失");
	erase();
	kvlist_draw(&kv, stdscr, 0, 0, 20, 80);
	for (; y < 20 && screen_find(y, "材料") != 0; y++) {
		char *row = screen_row(y), *t = xasprintf("%s%s", joined, row);

		assert_true(screen_cols(row) <= 80);
		free(row);
		free(joined);
		joined = t;
	}
	assert_true(y >= 3);		/* the value took several lines */
	assert_true(y < 20);		/* and the next label follows it */
	want = no_spaces(v);
	got = no_spaces(joined);
	expect = xasprintf("资格%s", want);
	assert_string_equal(got, expect);
	free(expect);
	free(want);
	free(got);
	free(joined);
	/* Three lines, the second item selected: it scrolls into view. */
	kv.cursor = 1;
	erase();
	kvlist_draw(&kv, stdscr, 0, 0, 3, 80);
	assert_int_equal(screen_find(0, "材料"), 0);
	kvlist_clear(&kv);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_columns_aligned),
		cmocka_unit_test(test_escaped),
		cmocka_unit_test(test_scrolled_left_edge),
		cmocka_unit_test(test_cut_right_edge),
		cmocka_unit_test(test_show_col),
		cmocka_unit_test(test_follow),
		cmocka_unit_test(test_fit_wide),
		cmocka_unit_test(test_fit_narrow),
		cmocka_unit_test(test_kvlist_wraps_long_values),
	};

	setlocale(LC_ALL, "");
	return cmocka_run_group_tests_name("ui table", tests, setup, teardown);
}
