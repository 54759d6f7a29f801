/* Forms: typed Chinese survives a resize (the layout is redone, the text
 * kept), each field shows its own validation message, keys move between
 * fields and submit or cancel. */
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
#include "ui/form.h"
#include "ui/term.h"

static void make_form(struct form *f)
{
	form_init(f, "编辑企业");
	form_add(f, "name", "企业名称", "", 100);
	form_add(f, "uscc", "统一社会信用代码", "", 18);
	form_add(f, "phone", "电话", "0512", 30);
}

static int row_with(const char *needle)
{
	for (int y = 0; y < LINES; y++)
		if (screen_find(y, needle) >= 0)
			return y;
	return -1;
}

static void test_resize_keeps_text(void **state)
{
	struct form f;
	const wchar_t *typed = L"昆山精密模具有限公司";

	screen_open(24, 80);
	make_form(&f);
	for (const wchar_t *p = typed; *p; p++)
		form_key(&f, OK, (wint_t)*p);
	erase();
	form_draw(&f, stdscr, 0, 0, LINES, COLS);
	assert_true(row_with("昆山精密模具有限公司") > 0);
	/* Smaller, then larger again: the text is still there, whole. */
	resize_term(12, 50);
	erase();
	form_draw(&f, stdscr, 0, 0, LINES, COLS);
	assert_int_equal(COLS, 50);
	assert_true(row_with("昆山精密模具有限公司") > 0);
	resize_term(30, 100);
	erase();
	form_draw(&f, stdscr, 0, 0, LINES, COLS);
	assert_true(row_with("昆山精密模具有限公司") > 0);
	char *v = form_value(&f, "name");

	assert_string_equal(v, "昆山精密模具有限公司");
	free(v);
	form_free(&f);
	screen_close();
}

static void test_field_errors(void **state)
{
	struct form f;
	int ylabel, yerr;

	screen_open(24, 80);
	make_form(&f);
	form_set_error(&f, "uscc", "第18位校验码应为 6");
	form_set_message(&f, "有字段需要改正", true);
	erase();
	form_draw(&f, stdscr, 0, 0, LINES, COLS);
	ylabel = row_with("统一社会信用代码");
	yerr = row_with("第18位校验码应为 6");
	assert_true(ylabel > 0);
	assert_int_equal(yerr, ylabel + 1);
	assert_int_equal(row_with("有字段需要改正"), LINES - 1);
	form_clear_errors(&f);
	erase();
	form_draw(&f, stdscr, 0, 0, LINES, COLS);
	assert_int_equal(row_with("第18位校验码"), -1);
	form_free(&f);
	screen_close();
}

static void test_keys(void **state)
{
	struct form f;

	make_form(&f);
	assert_int_equal(f.focus, 0);
	assert_int_equal(form_key(&f, OK, L'\t'), FORM_NONE);
	assert_int_equal(f.focus, 1);
	assert_int_equal(form_key(&f, OK, L'\r'), FORM_NONE);
	assert_int_equal(f.focus, 2);
	assert_false(form_field_changed(form_field(&f, "phone")));
	form_key(&f, OK, L'8');
	assert_true(form_field_changed(form_field(&f, "phone")));
	/* Enter on the last field submits; a pasted newline does not. */
	form_key(&f, KEY_CODE_YES, TERM_KEY_PASTE_BEGIN);
	assert_int_equal(form_key(&f, OK, L'\r'), FORM_NONE);
	assert_int_equal(form_key(&f, OK, 27), FORM_NONE);
	form_key(&f, KEY_CODE_YES, TERM_KEY_PASTE_END);
	assert_int_equal(form_key(&f, OK, L'\r'), FORM_SUBMIT);
	assert_int_equal(form_key(&f, KEY_CODE_YES, KEY_F(2)), FORM_SUBMIT);
	assert_int_equal(form_key(&f, KEY_CODE_YES, KEY_UP), FORM_NONE);
	assert_int_equal(f.focus, 1);
	assert_int_equal(form_key(&f, OK, 27), FORM_CANCEL);
	form_reset_field(&f, "phone", "110");
	assert_false(form_field_changed(form_field(&f, "phone")));
	form_free(&f);
}

/* A label too long for the label column (numbered choices) is cut there
 * and shown whole under its field while that field has the focus. */
static void test_long_label_shown_whole_on_focus(void **state)
{
	struct form f;

	screen_open(24, 60);
	form_init(&f, "登记信用核查");
	form_add(&f, "stage", "核查阶段（1 贯标申请 2 贯标验收 3 示范申报 4 动态监管）", "", 8);
	form_add(&f, "report_no", "报告编号", "", 30);
	erase();
	form_draw(&f, stdscr, 0, 0, LINES, COLS);
	assert_true(row_with("3 示范申报 4 动态监管") > 0);
	form_key(&f, OK, L'\t');
	erase();
	form_draw(&f, stdscr, 0, 0, LINES, COLS);
	assert_int_equal(row_with("4 动态监管"), -1);
	form_free(&f);
	screen_close();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_resize_keeps_text),
		cmocka_unit_test(test_field_errors),
		cmocka_unit_test(test_keys),
		cmocka_unit_test(test_long_label_shown_whole_on_focus),
	};

	setlocale(LC_ALL, "");
	return cmocka_run_group_tests_name("ui form", tests, NULL, NULL);
}
