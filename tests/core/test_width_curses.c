/* width.c is the one source of widths because it agrees with ncursesw:
 * text added to a curses window (on /dev/null, no terminal needed) moves
 * the cursor by exactly the columns width.c computes, for every printable
 * code point and for each kind of text officers' data contains. */
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
#include <curses.h>
#include <cmocka.h>

#include "core/escape.h"
#include "core/utf8.h"
#include "core/width.h"

/* ncurses keeps its terminal tables until exit, by design. */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
	return "leak:libncursesw.so\nleak:libtinfo.so\n";
}

struct screen {
	FILE *out, *in;
	SCREEN *sc;
	WINDOW *w;
};

static int setup(void **state)
{
	static struct screen s;

	s.out = fopen("/dev/null", "w");
	s.in = fopen("/dev/null", "r");
	if (s.out == NULL || s.in == NULL)
		return -1;
	s.sc = newterm("xterm-256color", s.out, s.in);
	if (s.sc == NULL)
		return -1;
	s.w = newwin(2, 400, 0, 0);
	*state = &s;
	return s.w != NULL ? 0 : -1;
}

static int teardown(void **state)
{
	struct screen *s = *state;

	delwin(s->w);
	endwin();
	delscreen(s->sc);
	fclose(s->out);
	fclose(s->in);
	return 0;
}

/* Columns the cursor moves when ncursesw adds the UTF-8 text s (at most
 * 63 characters) after an "a" at column 0 (so zero-width characters have
 * a base to join). */
static int curses_cols(WINDOW *w, const char *s)
{
	wchar_t buf[64];
	size_t n = 0, i = 0, len = strlen(s);

	buf[n++] = L'a';
	while (i < len && n < 63) {
		uint32_t cp = 0;
		size_t used = utf8_decode(s + i, len - i, &cp);

		assert_true(used > 0);
		buf[n++] = (wchar_t)cp;
		i += used;
	}
	buf[n] = L'\0';
	werase(w);
	wmove(w, 0, 0);
	waddnwstr(w, buf, (int)n);
	return getcurx(w) - 1;
}

static void test_every_code_point(void **state)
{
	struct screen *s = *state;
	size_t checked = 0;

	for (uint32_t cp = 0x20; cp <= 0x10FFFF; cp++) {
		char one[5] = { 0 };
		int w = width_cp_cols(cp);

		if (w < 0 || utf8_encode(cp, one) == 0)
			continue;
		if (curses_cols(s->w, one) != w)
			fail_msg("U+%04X: width.c says %d, ncursesw moves %d", (unsigned)cp, w,
				 curses_cols(s->w, one));
		checked++;
	}
	assert_true(checked > 250000);	/* the assigned, printable ones */
}

static void test_each_kind_of_text(void **state)
{
	static const char *texts[] = {
		"Kunshan 2020", "昆山市信用管理", "ＡＢＣ１２３", "（），“贯标”", "①×※·…",
		"cafe\xcc\x81s", "😀😀\xef\xb8\x8f❤\xef\xb8\x8f", "\xf0\xa0\x80\xbe\xf0\xa0\x80\xbe",
		"a\xe2\x80\x8d" "b\xe2\x80\x8b" "c", "A中e\xcc\x81😀\xef\xb8\x8f①\xf0\xa0\x80\xbe",
		"a\tb\x1b[0m", "x\xe2\x80\xae" "y", "ok\xff",	/* drawn escaped */
	};
	struct screen *s = *state;

	for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		char *e = escape_display(texts[i]);

		if (curses_cols(s->w, e) != (int)width_str_cols(texts[i]))
			fail_msg("\"%s\": width.c says %zu, ncursesw moves %d", e,
				 width_str_cols(texts[i]), curses_cols(s->w, e));
		free(e);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_code_point),
		cmocka_unit_test(test_each_kind_of_text),
	};

	setlocale(LC_ALL, "");
	return cmocka_run_group_tests_name("width_curses", tests, setup, teardown);
}
