/* The ambiguous-width setting (GUANBIAO_AMBIGUOUS_WIDE) changes our layout
 * only if ncursesw counts the same columns: otherwise curses moves its
 * cursor one column for ① while the terminal (set up for ambiguous-wide)
 * moves two, and every line after such a character drifts.  A curses
 * screen on /dev/null in both modes: ① × ※ “ ” advance the curses cursor
 * by the columns width.h gives, occupy that many cells, and a table cell
 * padded by width.h ends where curses puts the next character. */
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

#include "core/width.h"
#include "screen_util.h"
#include "ui/draw.h"
#include "ui/term.h"

/* The character curses holds in cell (y, x). */
static wchar_t cell_char(int y, int x)
{
	cchar_t c;
	wchar_t wc[CCHARW_MAX + 1] = { 0 };
	attr_t a;
	short pair;

	assert_int_not_equal(mvwin_wch(stdscr, y, x, &c), ERR);
	assert_int_not_equal(getcchar(&c, wc, &a, &pair, NULL), ERR);
	return wc[0];
}

/* ① written alone: where the curses cursor ends, in each mode. */
static void check_circled_one(bool wide)
{
	width_set_ambiguous_wide(wide);
	screen_open(5, 40);
	mvaddwstr(0, 0, L"①");
	assert_int_equal(getcurx(stdscr), wide ? 2 : 1);
	assert_int_equal((int)width_str_cols("①"), wide ? 2 : 1);
	addwstr(L"A");
	/* The next character sits in the column after ①'s cells. */
	assert_int_equal(cell_char(0, wide ? 2 : 1), L'A');
	screen_close();
	width_set_ambiguous_wide(false);
}

static void test_circled_one_narrow(void **state)
{
	check_circled_one(false);
}

static void test_circled_one_wide(void **state)
{
	check_circled_one(true);
}

/* Every ambiguous character officers' data holds, through draw_text: the
 * curses cursor ends at the column width.h counted. */
static void test_draw_text_agrees(void **state)
{
	static const char *const samples[] = { "①号车间", "3×5", "※注意", "“贯标”", "甲①乙×丙" };

	for (int mode = 0; mode < 2; mode++) {
		width_set_ambiguous_wide(mode == 1);
		screen_open(5, 60);
		for (size_t i = 0; i < sizeof(samples) / sizeof(samples[0]); i++) {
			int n = draw_text(stdscr, 1, 3, samples[i], 0, 50, A_NORMAL);

			assert_int_equal(n, (int)width_str_cols(samples[i]));
			if (getcurx(stdscr) != 3 + n)
				fail_msg("%s (%s): curses at column %d, width.h says %d", samples[i],
					 mode ? "ambiguous wide" : "narrow", getcurx(stdscr), 3 + n);
		}
		screen_close();
	}
	width_set_ambiguous_wide(false);
}

/* A table cell of 8 columns holding ①: the separator after it is in
 * column 8 of curses' cells, so the next column of the table lines up. */
static void test_cell_then_separator(void **state)
{
	for (int mode = 0; mode < 2; mode++) {
		width_set_ambiguous_wide(mode == 1);
		screen_open(5, 40);
		draw_cell(stdscr, 0, 0, "①号厂房", 8, 0, 8, WIDTH_LEFT, A_NORMAL);
		addwstr(L"|");
		assert_int_equal(cell_char(0, 0), L'①');
		assert_int_equal(cell_char(0, 8), L'|');
		/* 号 follows ①'s cells: in column 2 when ① is two wide. */
		assert_int_equal(cell_char(0, mode == 1 ? 2 : 1), L'号');
		screen_close();
	}
	width_set_ambiguous_wide(false);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_circled_one_narrow),
		cmocka_unit_test(test_circled_one_wide),
		cmocka_unit_test(test_draw_text_agrees),
		cmocka_unit_test(test_cell_then_separator),
	};

	setlocale(LC_ALL, "");
	return cmocka_run_group_tests_name("ui ambiguous width", tests, NULL, NULL);
}
