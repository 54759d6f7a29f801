/* The text field: cursor in characters and columns for Chinese text,
 * editing keys, bracketed paste where a newline does not submit, controls
 * kept out, and drawing scrolled so that the cursor shows. */
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

#include "screen_util.h"
#include "ui/input.h"
#include "ui/term.h"

/* Type a UTF-8 string one character at a time, as get_wch delivers it. */
static void type(struct input *in, const wchar_t *s)
{
	for (; *s; s++)
		input_key(in, OK, (wint_t)*s);
}

static void assert_text(const struct input *in, const char *want)
{
	char *t = input_text(in);

	assert_string_equal(t, want);
	free(t);
}

static void test_cjk_cursor(void **state)
{
	struct input in;

	input_init(&in, "", 0);
	type(&in, L"中文ab");
	assert_text(&in, "中文ab");
	assert_int_equal(in.cur, 4);
	assert_int_equal(input_cursor_cols(&in), 6);
	input_key(&in, KEY_CODE_YES, KEY_LEFT);
	input_key(&in, KEY_CODE_YES, KEY_LEFT);
	assert_int_equal(in.cur, 2);
	assert_int_equal(input_cursor_cols(&in), 4);
	/* Backspace removes one whole character, not a byte. */
	assert_int_equal(input_key(&in, KEY_CODE_YES, KEY_BACKSPACE), INPUT_CHANGED);
	assert_text(&in, "中ab");
	assert_int_equal(input_cursor_cols(&in), 2);
	input_key(&in, KEY_CODE_YES, KEY_DC);
	assert_text(&in, "中b");
	type(&in, L"国");
	assert_text(&in, "中国b");
	assert_int_equal(input_cursor_cols(&in), 4);
	input_key(&in, KEY_CODE_YES, KEY_HOME);
	assert_int_equal(input_cursor_cols(&in), 0);
	input_key(&in, KEY_CODE_YES, KEY_END);
	assert_int_equal(in.cur, 3);
	input_free(&in);
}

static void test_line_keys(void **state)
{
	struct input in;

	input_init(&in, "张浦镇 人民路", 0);
	input_key(&in, OK, 23);		/* Ctrl-W: the word before the cursor */
	assert_text(&in, "张浦镇 ");
	input_key(&in, OK, 1);		/* Ctrl-A */
	input_key(&in, KEY_CODE_YES, KEY_RIGHT);
	input_key(&in, OK, 11);		/* Ctrl-K */
	assert_text(&in, "张");
	input_key(&in, OK, 21);		/* Ctrl-U */
	assert_text(&in, "");
	input_free(&in);
}

/* Enter submits when typed; inside a paste it becomes a space. */
static void test_bracketed_paste(void **state)
{
	struct input in;

	input_init(&in, "", 0);
	assert_int_equal(input_key(&in, KEY_CODE_YES, TERM_KEY_PASTE_BEGIN), INPUT_MOVED);
	type(&in, L"甲公司");
	assert_int_equal(input_key(&in, OK, L'\r'), INPUT_CHANGED);
	assert_int_equal(input_key(&in, OK, L'\n'), INPUT_CHANGED);
	type(&in, L"乙");
	input_key(&in, KEY_CODE_YES, TERM_KEY_PASTE_END);
	assert_text(&in, "甲公司  乙");
	assert_int_equal(input_key(&in, OK, L'\r'), INPUT_ENTER);
	assert_int_equal(input_key(&in, KEY_CODE_YES, KEY_ENTER), INPUT_ENTER);
	input_free(&in);
}

/* Controls never enter a field; the limit on characters holds. */
static void test_controls_and_limit(void **state)
{
	struct input in;

	input_init(&in, "", 3);
	input_key(&in, OK, 0x07);
	input_key(&in, OK, 0x1b);
	input_key(&in, OK, 0x9b);	/* C1 CSI */
	assert_text(&in, "");
	type(&in, L"一二三四五");
	assert_text(&in, "一二三");
	input_free(&in);
	/* Invalid UTF-8 in the initial text is replaced, not kept. */
	input_init(&in, "a\xff" "b", 0);
	assert_text(&in, "a\xef\xbf\xbd" "b");
	input_free(&in);
}

/* Drawn into a narrow field, the text scrolls so that the cursor shows,
 * and no wide character is split at the field's edges. */
static void test_draw_scrolls(void **state)
{
	struct input in;
	int cx;
	char *row;

	screen_open(10, 40);
	input_init(&in, "一二三四五六七八九十", 0);
	erase();
	cx = input_draw(&in, stdscr, 2, 5, 9, A_NORMAL);
	assert_true(cx >= 5 && cx < 5 + 9);
	assert_int_equal(screen_find(2, "十"), cx - 2);
	row = screen_row(2);
	int w = screen_cols(row);

	free(row);
	screen_close();
	assert_int_equal(w, 40);
	input_free(&in);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cjk_cursor),
		cmocka_unit_test(test_line_keys),
		cmocka_unit_test(test_bracketed_paste),
		cmocka_unit_test(test_controls_and_limit),
		cmocka_unit_test(test_draw_scrolls),
	};

	setlocale(LC_ALL, "");
	return cmocka_run_group_tests_name("ui input", tests, NULL, NULL);
}
