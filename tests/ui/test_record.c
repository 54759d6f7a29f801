/* The score tree of an evaluation drawn into a curses screen on /dev/null
 * (CJK titles indented by level, the number columns aligned under their
 * headers, long titles cut with an ellipsis, never split), and the checks
 * a typed score and a date get before anything is sent. */
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
#include "ui/record.h"
#include "ui/term.h"

/* level, code, title, max, self, acceptance, self finding, acceptance finding */
static const struct {
	int level;
	const char *cells[SCORE_NCOLS];
} lines[] = {
	{ 1, { "1", "信用管理方针和目标", "60", "13", "", "", "" } },
	{ 2, { "1.1", "方针", "30", "13", "", "", "" } },
	{ 3, { "1.1.1", "形成文件", "10", "8.5", "9", "文件齐全", "同意" } },
	{ 3, { "1.1.2", "与其他方针协调", "5", "4.5", "", "基本协调", "" } },
	{ 2, { "2.1", "明确部门行使信用管理职能并形成书面职责说明和考核办法的全部要求", "30", "", "", "", "" } },
	{ 3, { "2.1.1", "ＡＢＣ全角😀表情", "15", "15", "12.25", "", "" } },
	{ 0, { "", "合计", "1000", "41", "21.25", "", "" } },
};
#define NLINES ((int)(sizeof(lines) / sizeof(lines[0])))

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

/* Column of the first needle in row y at or after column from, or -1. */
static int find_from(int y, const char *needle, int from)
{
	char *row = screen_row(y), *p = row;
	int col = -1;

	while (col < 0 && (p = strstr(p, needle)) != NULL) {
		char c = *p;
		int at;

		*p = '\0';
		at = screen_cols(row);
		*p = c;
		if (at >= from)
			col = at;
		p++;
	}
	free(row);
	return col;
}

static void fill(struct score_tree *t)
{
	score_tree_init(t);
	for (int i = 0; i < NLINES; i++)
		score_tree_add(t, lines[i].level, lines[i].level ? "7" : "", "", lines[i].cells);
}

/* Titles are indented two columns per level below the first; each number
 * ends where its header ends whatever the width of the title before it;
 * every line fills the width exactly. */
static void test_tree_aligned(void **state)
{
	struct score_tree t;
	int max_end, self_end, acc_end, title_at;

	fill(&t);
	erase();
	score_tree_draw(&t, stdscr, 0, 0, 20, COLS);
	title_at = screen_find(0, "指标");
	max_end = screen_find(0, "满分") + 4;
	self_end = screen_find(0, "自评") + 4;
	acc_end = screen_find(0, "验收") + 4;
	assert_true(title_at > 0 && max_end > title_at && self_end > max_end && acc_end > self_end);
	assert_int_equal(screen_find(1, "信用管理方针和目标"), title_at);
	assert_int_equal(screen_find(2, "  方针"), title_at);
	assert_int_equal(screen_find(3, "    形成文件"), title_at);
	assert_int_equal(screen_find(6, "    ＡＢＣ全角😀表情"), title_at);
	assert_int_equal(screen_find(7, "合计"), title_at);
	for (int r = 0; r < NLINES; r++) {
		char *line = screen_row(1 + r);

		assert_int_equal(screen_cols(line), COLS);
		free(line);
		assert_int_equal(screen_find(1 + r, lines[r].cells[SCORE_MAX]) +
				 (int)strlen(lines[r].cells[SCORE_MAX]), max_end);
		if (lines[r].cells[SCORE_SELF][0])
			assert_int_equal(find_from(1 + r, lines[r].cells[SCORE_SELF], max_end) +
					 (int)strlen(lines[r].cells[SCORE_SELF]), self_end);
	}
	/* The acceptance column is as wide as its widest score, 12.25. */
	acc_end = find_from(6, "12.25", self_end) + 5;
	assert_true(acc_end >= screen_find(0, "验收") + 4);
	assert_int_equal(find_from(3, "9", self_end) + 1, acc_end);
	assert_int_equal(find_from(7, "21.25", self_end) + 5, acc_end);
	/* The findings follow the scores. */
	assert_true(screen_find(3, "文件齐全") > acc_end);
	score_tree_clear(&t);
	table_free(&t.table);
}

/* A title too long for the room is cut with an ellipsis in its column,
 * never half a character, and the numbers stay in place. */
static void test_long_title_cut(void **state)
{
	struct score_tree t;
	int max_end;
	char *line;

	fill(&t);
	erase();
	score_tree_draw(&t, stdscr, 0, 0, 20, 60);
	max_end = screen_find(0, "满分") + 4;
	line = screen_row(5);
	assert_non_null(strstr(line, "…"));
	assert_null(strstr(line, "考核办法"));
	free(line);
	assert_int_equal(screen_find(5, "30") + 2, max_end);
	assert_true(screen_find(5, "  明确部门") > 0);
	score_tree_clear(&t);
	table_free(&t.table);
}

/* The cursor row is kept on screen when the tree is longer than the area. */
static void test_tree_follows_cursor(void **state)
{
	struct score_tree t;

	fill(&t);
	t.table.cursor = NLINES - 1;
	erase();
	score_tree_draw(&t, stdscr, 0, 0, 4, COLS);
	assert_true(screen_find(3, "合计") > 0);
	assert_int_equal(screen_find(1, "信用管理方针和目标"), -1);
	score_tree_clear(&t);
	table_free(&t.table);
}

static void expect_msg(const char *text, const char *max, const char *part)
{
	char *m = record_score_check("自评分", text, max);

	assert_non_null(m);
	assert_non_null(strstr(m, part));
	assert_int_equal(strncmp(m, "自评分", strlen("自评分")), 0);
	free(m);
}

/* Scores: a number >= 0, within the leaf's maximum, two decimals at most;
 * empty clears the score. */
static void test_score_check(void **state)
{
	const char *fine[] = { "", "0", "10", "10.00", "9.5", "9.12", "9.120", "0.01", " 8", NULL };

	for (int i = 0; fine[i]; i++) {
		char *m = record_score_check("自评分", fine[i], "10");

		if (m)
			fail_msg("“%s” refused: %s", fine[i], m);
	}
	expect_msg("12", "10", "超过该项满分 10");
	expect_msg("10.01", "10", "超过");
	expect_msg("7", "5", "自评分 7 超过该项满分 5");
	expect_msg("9.123", "10", "两位小数");
	expect_msg("-1", "10", "不能为负数");
	expect_msg("abc", "10", "应为数字");
	expect_msg("9.", "10", "应为数字");
	expect_msg("1.2.3", "10", "应为数字");
	expect_msg("８", "10", "应为数字");
}

static void no_choice(struct client *cl, void *ctx, bool reapply)
{
	*(int *)ctx = reapply ? 2 : 1;
}

/* The conflict dialog shows who, when and every changed field, wrapped at
 * the box's edge rather than cut; r and a give the choice, Esc neither. */
static void test_conflict_wraps(void **state)
{
	struct db_error err = { "GB004", (char *)"记录已被他人修改（您的版本 1，当前版本 2）",
				(char *)"孙顾问（an_agency_officer_login） 于 2020-06-01 10:00:00 修改：自评分、自评说明、验收分、验收意见", NULL };
	int chosen = 0;
	struct screen *s = record_conflict(NULL, &err, no_choice, &chosen);
	char *all = xstrdup("");

	erase();
	s->ops->draw(s, stdscr, 0, 0, LINES, COLS);
	/* The text inside the frame, row after row, without the borders (ACS
	 * lines are drawn as x on this terminal) and without spaces. */
	for (int y = 0; y < LINES; y++) {
		char *row = screen_row(y), *p = row, *end, *t, *o;

		assert_int_equal(screen_cols(row), COLS);
		while (*p == ' ')
			p++;
		end = p + strlen(p);
		while (end > p && end[-1] == ' ')
			end--;
		if (end - p >= 2 && *p == 'x' && end[-1] == 'x') {
			p++;
			end--;
		}
		*end = '\0';
		for (o = p, t = p; *t; t++)
			if (*t != ' ')
				*o++ = *t;
		*o = '\0';
		t = xasprintf("%s%s", all, p);
		free(all);
		all = t;
		free(row);
	}
	assert_non_null(strstr(all, "修改：自评分、自评说明、验收分、验收意见"));
	assert_non_null(strstr(all, "孙顾问（an_agency_officer_login）于2020-06-0110:00:00"));
	assert_non_null(strstr(all, "r重新载入对方保存的内容"));
	free(all);
	assert_true(s->ops->key(s, OK, 27));
	assert_int_equal(chosen, 0);
	assert_true(s->closed);
	s->closed = false;
	assert_true(s->ops->key(s, OK, 'a'));
	assert_int_equal(chosen, 2);
	s->ops->destroy(s);
}

static void test_dates(void **state)
{
	assert_true(record_parse_date("2020-02-29", NULL));
	assert_false(record_parse_date("2019-02-29", NULL));
	assert_false(record_parse_date("2020-13-01", NULL));
	assert_false(record_parse_date("2020-1-1", NULL));
	assert_false(record_parse_date("2020-01-01x", NULL));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tree_aligned),
		cmocka_unit_test(test_long_title_cut),
		cmocka_unit_test(test_tree_follows_cursor),
		cmocka_unit_test(test_score_check),
		cmocka_unit_test(test_conflict_wraps),
		cmocka_unit_test(test_dates),
	};

	setlocale(LC_ALL, "");
	return cmocka_run_group_tests_name("ui record", tests, setup, teardown);
}
