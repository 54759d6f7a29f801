/* Message dialogs wrap their text by display width instead of cutting it at
 * the border: every character of a long refusal shows, a double-width
 * character is never split, "key<TAB>description" lines wrap in their second
 * column, and a message taller than the screen scrolls to its end. */
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
#include "ui/client.h"
#include "ui/dialog.h"
#include "ui/draw.h"
#include "ui/input.h"
#include "ui/term.h"

/* A refusal as the database words it: long, Chinese with ASCII figures. */
static const char refusal[] =
	"保存被拒绝：统一社会信用代码 91320583MA1XXXXXXX 的校验码应为 7，"
	"输入的是 X；请核对营业执照上的代码后重新输入（GB003 以外的规则同样适用）。"
	"该企业已由张浦镇于 2020-03-01 登记，不能重复新建。";

/* Every character drawn, rows joined, without spaces and the ASCII frame. */
static char *drawn_text(void)
{
	char *all = xstrdup("");

	for (int y = 0; y < LINES; y++) {
		char *r = screen_row(y);
		char *t = xasprintf("%s%s", all, r);

		assert_int_equal(screen_cols(r), COLS);	/* nothing split, nothing past the edge */
		free(r);
		free(all);
		all = t;
	}
	char *o = all;

	for (const char *p = all; *p; p++)
		if (*p != ' ' && *p != '|' && *p != '-')
			*o++ = *p;
	*o = '\0';
	return all;
}

/* The text as drawn_text() reads it back: no spaces, no '-' (the frame's). */
static char *without_spaces(const char *s)
{
	char *c = xstrdup(s), *o = c;

	for (const char *p = s; *p; p++)
		if (*p != ' ' && *p != '-')
			*o++ = *p;
	*o = '\0';
	return c;
}

static void draw(struct screen *s)
{
	erase();
	s->ops->draw(s, stdscr, 0, 0, LINES, COLS);
}

static void test_long_message_wraps(void **state)
{
	struct client cl = { 0 };
	struct screen *s;
	char *got, *want, *body;

	for (int cols = 40; cols <= 61; cols += 7) {	/* odd and even widths */
		screen_open(24, cols);
		term_theme.ascii = true;
		s = dialog_message(&cl, "保存失败", refusal);
		draw(s);
		got = drawn_text();
		body = without_spaces(refusal);
		want = xasprintf("保存失败%s", body);
		/* The whole text shows, in order: nothing was cut at the border. */
		assert_string_equal(got, want);
		free(got);
		free(want);
		free(body);
		s->ops->destroy(s);
		screen_close();
	}
}

static void test_help_lines_wrap_in_second_column(void **state)
{
	struct client cl = { 0 };
	struct screen *s;
	int y0 = -1, desc_x = -1, y1 = -1;

	screen_open(20, 40);
	term_theme.ascii = true;
	s = dialog_message(&cl, "帮助", "a\t可做的操作：申请贯标、提交、审核、验收以及“为什么不能”的数据库说明\n"
			   "r\t刷新");
	draw(s);
	for (int y = 0; y < LINES; y++) {
		if (screen_find(y, "可做的操作") >= 0) {
			y0 = y;
			desc_x = screen_find(y, "可做的操作");
		}
		if (screen_find(y, "明") >= 0)	/* the last character */
			y1 = y;
	}
	assert_true(y0 >= 0);
	assert_true(y1 > y0);	/* the description went on below */
	/* Continuation lines start in the description column, the key column blank. */
	for (int y = y0 + 1; y <= y1; y++) {
		char *r = screen_row(y);
		int x = screen_find(y, "|");

		assert_true(x >= 0);
		for (int c = x + 1; c < desc_x; c++)
			assert_int_equal(r[c], ' ');
		assert_true(r[desc_x] != ' ');
		free(r);
	}
	s->ops->destroy(s);
	screen_close();
}

static void test_tall_message_scrolls_to_end(void **state)
{
	struct client cl = { 0 };
	struct screen *s;
	char *text = xasprintf("%s\n%s\n%s\n结尾一行", refusal, refusal, refusal);
	bool end_seen = false;

	screen_open(8, 30);
	term_theme.ascii = true;
	s = dialog_message(&cl, "说明", text);
	draw(s);
	for (int y = 0; y < LINES; y++)
		assert_true(screen_find(y, "结尾一行") < 0);
	/* Down pages on to the end, which then shows. */
	for (int i = 0; i < 10 && !end_seen; i++) {
		s->ops->key(s, KEY_CODE_YES, KEY_NPAGE);
		draw(s);
		for (int y = 0; y < LINES; y++)
			end_seen |= screen_find(y, "结尾一行") >= 0;
	}
	assert_true(end_seen);
	assert_false(s->closed);
	s->ops->destroy(s);
	free(text);
	screen_close();
}

static void test_wrap_piece_never_splits_wide(void **state)
{
	const char *s = "甲乙丙丁戊";

	/* 5 columns hold two double-width characters, never two and a half. */
	assert_int_equal(draw_wrap_piece(s, strlen(s), 5), 6);
	/* Too narrow for one: still one character, so wrapping advances. */
	assert_int_equal(draw_wrap_piece(s, strlen(s), 1), 3);
	/* A Latin word is not cut when a space can end the line. */
	assert_int_equal(draw_wrap_piece("abc defgh", 9, 6), 4);
}

/* The help's long lines wrapped as an officer reads Chinese: a closing
 * quote or bracket never starts a line, an opening one never ends it, and
 * "Enter" after Chinese text is not cut in two. */
static void test_wrap_follows_chinese_rules(void **state)
{
	const char *a = "审核以及“为什么不能”";	/* 20 columns */
	const char *b = "边输入边搜索（Enter 结束输入）";
	const char *c = "排序和筛选），不只是屏幕上的";
	size_t n;

	/* 18 columns end just before ”: 能 goes down with it. */
	n = draw_wrap_piece(a, strlen(a), 18);
	assert_string_equal(a + n, "能”");
	/* 16 columns end inside Enter: the word and its （ go down. */
	n = draw_wrap_piece(b, strlen(b), 16);
	assert_string_equal(b + n, "（Enter 结束输入）");
	/* 10 columns end before ），: they never start the next line. */
	n = draw_wrap_piece(c, strlen(c), 10);
	assert_true(strncmp(c + n, "）", strlen("）")) != 0);
	assert_true(strncmp(c + n, "，", strlen("，")) != 0);
	assert_true(n > 0);
}

/* What a prompt handed back: the text, or NULL on cancel. */
static int prompt_calls;
static char *prompt_got;

static void prompt_answer(struct client *cl, void *ctx, const char *text)
{
	prompt_calls++;
	free(prompt_got);
	prompt_got = text ? xstrdup(text) : NULL;
}

/* Whether text shows on the screen once the stack is drawn. */
static bool shows(struct client *cl, const char *text)
{
	bool found = false;

	erase();
	for (int i = 0; i < cl->nmodal; i++)
		cl->modal[i]->ops->draw(cl->modal[i], stdscr, 0, 0, LINES, COLS);
	for (int y = 0; y < LINES && !found; y++)
		found = screen_find(y, text) >= 0;
	return found;
}

/* Esc on a prompt with typed text asks first; n goes on typing with the
 * text intact, y discards it (the caller hears one cancel). */
static void test_prompt_esc_asks(void **state)
{
	struct client cl = { 0 };
	struct screen *p;

	screen_open(24, 80);
	prompt_calls = 0;
	p = dialog_prompt(&cl, "快速查找", "信用代码或名称：", "", prompt_answer, NULL);
	client_push(&cl, p);
	screen_keys_to_top(&cl, OK, L"张浦精密");
	assert_true(p->ops->dirty(p));
	screen_keys_to_top(&cl, OK, L"\x1b");
	assert_int_equal(cl.nmodal, 2);		/* the question over the prompt */
	assert_int_equal(prompt_calls, 0);
	assert_true(shows(&cl, "放弃输入"));
	screen_keys_to_top(&cl, OK, L"n");
	assert_int_equal(cl.nmodal, 1);
	assert_true(cl.modal[0] == p);
	screen_keys_to_top(&cl, OK, L"模具");	/* typing goes on where it was */
	assert_true(shows(&cl, "张浦精密模具"));
	screen_keys_to_top(&cl, OK, L"\x1by");
	assert_int_equal(cl.nmodal, 0);
	assert_int_equal(prompt_calls, 1);
	assert_null(prompt_got);
	client_free_status(&cl);
	screen_close();
}

/* Nothing typed, or back to the text it opened with (a proposed file
 * name): Esc closes at once, there is nothing to lose. */
static void test_prompt_esc_untouched_closes(void **state)
{
	struct client cl = { 0 };
	struct screen *p;

	screen_open(24, 80);
	prompt_calls = 0;
	p = dialog_prompt(&cl, "导出到文件", "文件名：", "企业-2020.csv", prompt_answer, NULL);
	client_push(&cl, p);
	assert_false(p->ops->dirty(p));
	screen_keys_to_top(&cl, OK, L"x");
	assert_true(p->ops->dirty(p));
	screen_keys_to_top(&cl, KEY_CODE_YES, (const wchar_t[]){ KEY_BACKSPACE, 0 });
	assert_false(p->ops->dirty(p));
	screen_keys_to_top(&cl, OK, L"\x1b");
	assert_int_equal(cl.nmodal, 0);
	assert_int_equal(prompt_calls, 1);
	assert_null(prompt_got);
	client_free_status(&cl);
	screen_close();
}

/* Typed text survives resizes: narrower (the field scrolls to the
 * cursor), then wide again (all of it shows again), and Enter hands it on. */
static void test_prompt_resize_keeps_text(void **state)
{
	struct client cl = { 0 };
	struct screen *p;

	screen_open(24, 100);
	prompt_calls = 0;
	p = dialog_prompt(&cl, "退回：理由", "理由：", "", prompt_answer, NULL);
	client_push(&cl, p);
	screen_keys_to_top(&cl, OK, L"材料不全请补充营业执照复印件和信用管理制度文本");
	assert_true(shows(&cl, "材料不全请补充营业执照复印件和信用管理制度文本"));
	screen_close();
	screen_open(12, 40);
	p->ops->resize(p);
	assert_true(shows(&cl, "信用管理制度文本"));	/* the end, where the cursor is */
	screen_close();
	screen_open(24, 100);
	p->ops->resize(p);
	assert_true(shows(&cl, "材料不全请补充营业执照复印件和信用管理制度文本"));
	screen_keys_to_top(&cl, OK, L"\r");
	assert_int_equal(prompt_calls, 1);
	assert_string_equal(prompt_got, "材料不全请补充营业执照复印件和信用管理制度文本");
	free(prompt_got);
	prompt_got = NULL;
	screen_close();
}

/* The keys line on a narrow terminal: whole groups, then "…" and the help
 * key; never "q 返" cut from "q 返回". */
static void test_keys_line_fits_whole_groups(void **state)
{
	const char *keys = "y 登记申请  n 撤回  a 全部操作  Space 记录所选行  w 为什么  o 企业  "
			   "r 刷新  q 返回  ? 帮助";
	char *got;

	got = draw_fit_keys(keys, 200);
	assert_string_equal(got, keys);		/* room enough: as it is */
	free(got);
	for (size_t cols = 30; cols <= 80; cols += 5) {
		got = draw_fit_keys(keys, cols);
		assert_true(draw_cols(got) <= cols);
		assert_non_null(strstr(got, "…  ? 帮助"));
		/* What is left of "…" is whole groups of the line, from its start. */
		*strstr(got, "…") = '\0';
		assert_true(strncmp(keys, got, strlen(got)) == 0);
		assert_true(got[0] == '\0' || strncmp(keys + strlen(got) - 2, "  ", 2) == 0);
		free(got);
	}
	got = draw_fit_keys(keys, 80);
	/* 66 columns of groups and 11 of "  …  ? 帮助": r 刷新 would need 85. */
	assert_string_equal(got, "y 登记申请  n 撤回  a 全部操作  Space 记录所选行  w 为什么  o 企业  "
			    "…  ? 帮助");
	free(got);
}

/* Below the minimum size nothing can be asked: q quits only when no typed
 * text would be lost; with a prompt holding text it waits for a bigger
 * window, which still shows the text. */
static void test_tiny_window_keeps_typed_text(void **state)
{
	struct client cl = { 0 };
	struct screen *p;

	screen_open(6, 30);
	p = dialog_prompt(&cl, "快速查找", "信用代码或名称：", "", prompt_answer, NULL);
	client_push(&cl, p);
	p->ops->key(p, OK, L'张');
	client_key(&cl, OK, 'q');
	assert_false(cl.quit);
	assert_int_equal(cl.nmodal, 1);
	screen_close();
	screen_open(24, 80);
	assert_true(shows(&cl, "张"));
	screen_keys_to_top(&cl, KEY_CODE_YES, (const wchar_t[]){ KEY_BACKSPACE, 0 });
	screen_close();
	screen_open(6, 30);
	client_key(&cl, OK, 'q');	/* nothing typed any more: q quits */
	assert_true(cl.quit);
	p->ops->destroy(p);
	client_free_status(&cl);
	screen_close();
}

/* F1 opens the help over a screen that takes every key as text (a
 * prompt, a form): ? is typed there, the keys line names F1. */
static void test_f1_helps_in_text_screens(void **state)
{
	struct client cl = { 0 };
	struct screen *p;

	screen_open(24, 80);
	p = dialog_prompt(&cl, "快速查找", "信用代码或名称：", "", prompt_answer, NULL);
	client_push(&cl, p);
	client_key(&cl, OK, '?');
	assert_int_equal(cl.nmodal, 1);		/* ? is text here */
	assert_true(p->ops->dirty(p));
	assert_non_null(strstr(p->keys, "F1 帮助"));
	client_key(&cl, KEY_CODE_YES, KEY_F(1));
	assert_int_equal(cl.nmodal, 2);
	assert_true(shows(&cl, "帮助"));
	/* Only keys that work here: F10, not the panel keys (: Y Tab 1-6). */
	assert_true(shows(&cl, "F10"));
	assert_false(shows(&cl, "统一社会信用代码或名称"));
	assert_false(shows(&cl, "切换计划年度"));
	assert_false(shows(&cl, "Shift-Tab"));
	client_key(&cl, KEY_CODE_YES, KEY_F(1));	/* F1 again closes it */
	assert_int_equal(cl.nmodal, 1);
	client_key(&cl, KEY_CODE_YES, KEY_F(1));
	client_key(&cl, OK, 'q');		/* so does q: the help, not the prompt */
	assert_int_equal(cl.nmodal, 1);
	assert_true(cl.modal[0] == p);
	p->ops->destroy(p);
	client_free_status(&cl);
	screen_close();
}

/* What a menu handed back. */
static char *menu_got;

static void menu_answer(struct client *cl, void *ctx, const char *value, const char *label)
{
	free(menu_got);
	menu_got = value ? xstrdup(value) : NULL;
}

/* A long menu (the quick lookup gives up to 50) pages like the lists:
 * PgDn/PgUp by a screen, G to the last item, g to the first. */
static void test_menu_pages(void **state)
{
	struct client cl = { 0 };
	struct screen *m;

	screen_open(16, 60);
	m = dialog_menu(&cl, "选择企业", menu_answer, NULL);
	for (int i = 0; i < 30; i++) {
		char v[8], l[32];

		snprintf(v, sizeof(v), "%d", i);
		snprintf(l, sizeof(l), "企业%02d有限公司", i);
		dialog_menu_add(m, v, l);
	}
	client_push(&cl, m);
	assert_true(shows(&cl, "企业00"));
	/* 14 items show at 16 lines: two pages on, 26 shows and 00 no longer. */
	screen_keys_to_top(&cl, KEY_CODE_YES, (const wchar_t[]){ KEY_NPAGE, KEY_NPAGE, 0 });
	assert_true(shows(&cl, "企业26"));
	assert_false(shows(&cl, "企业00"));
	screen_keys_to_top(&cl, OK, L"G");
	assert_true(shows(&cl, "企业29"));
	screen_keys_to_top(&cl, OK, L"g");
	screen_keys_to_top(&cl, KEY_CODE_YES, (const wchar_t[]){ KEY_NPAGE, KEY_PPAGE, 0 });
	screen_keys_to_top(&cl, OK, L"G\r");
	assert_int_equal(cl.nmodal, 0);
	assert_string_equal(menu_got, "29");
	free(menu_got);
	menu_got = NULL;
	screen_close();
}

/* A long message: G shows its end, g its start again. */
static void test_message_g_and_G(void **state)
{
	struct client cl = { 0 };
	struct screen *s;
	char *text = xasprintf("开头一行\n%s\n%s\n%s\n结尾一行", refusal, refusal, refusal);

	screen_open(10, 40);
	term_theme.ascii = true;
	s = dialog_message(&cl, "说明", text);
	client_push(&cl, s);
	assert_false(shows(&cl, "结尾一行"));
	screen_keys_to_top(&cl, OK, L"G");
	assert_true(shows(&cl, "结尾一行"));
	assert_false(shows(&cl, "开头一行"));
	screen_keys_to_top(&cl, OK, L"g");
	assert_true(shows(&cl, "开头一行"));
	s->ops->destroy(s);
	free(text);
	screen_close();
}

/* A screen that takes no key (as the enterprise record leaves digits). */
static bool no_key(struct screen *s, int ret, wint_t ch)
{
	return false;
}

static void no_draw(struct screen *s, WINDOW *w, int y, int x, int h, int width)
{
}

static void free_screen(struct screen *s)
{
	free(s);
}

/* A digit on a screen that does not take it switches panels, closing the
 * screens: not while one of them holds typed text. */
static void test_digit_keeps_typed_text(void **state)
{
	static const struct screen_ops ops = { .draw = no_draw, .key = no_key,
					       .destroy = free_screen };
	struct client cl = { 0 };
	struct screen *p, *top = xcalloc(1, sizeof(*top));

	screen_open(24, 80);
	top->ops = &ops;
	top->cl = &cl;
	p = dialog_prompt(&cl, "快速查找", "信用代码或名称：", "", prompt_answer, NULL);
	client_push(&cl, p);
	p->ops->key(p, OK, L'张');
	client_push(&cl, top);
	client_key(&cl, OK, '2');
	assert_int_equal(cl.nmodal, 2);		/* nothing closed */
	assert_non_null(strstr(cl.status, "尚未保存"));
	p->ops->key(p, KEY_CODE_YES, KEY_BACKSPACE);
	client_key(&cl, OK, '2');
	assert_int_equal(cl.nmodal, 0);		/* nothing typed: it leaves */
	client_free_status(&cl);
	screen_close();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_long_message_wraps),
		cmocka_unit_test(test_help_lines_wrap_in_second_column),
		cmocka_unit_test(test_tall_message_scrolls_to_end),
		cmocka_unit_test(test_wrap_piece_never_splits_wide),
		cmocka_unit_test(test_wrap_follows_chinese_rules),
		cmocka_unit_test(test_keys_line_fits_whole_groups),
		cmocka_unit_test(test_prompt_esc_asks),
		cmocka_unit_test(test_prompt_esc_untouched_closes),
		cmocka_unit_test(test_prompt_resize_keeps_text),
		cmocka_unit_test(test_tiny_window_keeps_typed_text),
		cmocka_unit_test(test_f1_helps_in_text_screens),
		cmocka_unit_test(test_menu_pages),
		cmocka_unit_test(test_message_g_and_G),
		cmocka_unit_test(test_digit_keeps_typed_text),
	};

	setlocale(LC_ALL, "");
	return cmocka_run_group_tests_name("ui dialog", tests, NULL, NULL);
}
