#include "config.h"

#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>
#include <cmocka.h>

#include "core/xalloc.h"
#include "screen_util.h"
#include "ui/client.h"
#include "ui/term.h"

static SCREEN *scr;
static FILE *fout, *fin;

void screen_open(int rows, int cols)
{
	fout = fopen("/dev/null", "w");
	fin = fopen("/dev/null", "r");
	assert_non_null(fout);
	assert_non_null(fin);
	scr = term_start_test(fout, fin, rows, cols);
	assert_non_null(scr);
	assert_int_equal(LINES, rows);
	assert_int_equal(COLS, cols);
}

void screen_close(void)
{
	endwin();
	delscreen(scr);
	fclose(fout);
	fclose(fin);
}

char *screen_row(int y)
{
	cchar_t cells[512];
	char *out = xmalloc((size_t)COLS * 8 + 1), *o = out;
	int n = mvwin_wchnstr(stdscr, y, 0, cells, COLS), cols = 0;

	assert_true(n != ERR);
	/* ncurses returns one cell per character: a wide one covers two columns. */
	for (int i = 0; cols < COLS && i < COLS; i++) {
		wchar_t wc[CCHARW_MAX + 1];
		attr_t a;
		short pair;

		if (getcchar(&cells[i], wc, &a, &pair, NULL) == ERR || wc[0] == 0)
			break;
		for (int k = 0; wc[k]; k++) {
			char mb[MB_LEN_MAX];
			int w = (int)wcrtomb(mb, wc[k], NULL);

			memcpy(o, mb, (size_t)w);
			o += w;
		}
		cols += wcwidth(wc[0]) > 0 ? wcwidth(wc[0]) : 0;
	}
	*o = '\0';
	return out;
}

int screen_cols(const char *s)
{
	mbstate_t st = { 0 };
	int cols = 0;
	size_t n = strlen(s);

	while (n > 0) {
		wchar_t wc;
		size_t used = mbrtowc(&wc, s, n, &st);

		if (used == (size_t)-1 || used == (size_t)-2 || used == 0)
			return -1;
		cols += wcwidth(wc) > 0 ? wcwidth(wc) : 0;
		s += used;
		n -= used;
	}
	return cols;
}

int screen_find(int y, const char *needle)
{
	char *row = screen_row(y);
	char *p = strstr(row, needle);
	int col = -1;

	if (p != NULL) {
		*p = '\0';
		col = screen_cols(row);
	}
	free(row);
	return col;
}

void screen_keys_to_top(struct client *cl, int ret, const wchar_t *keys)
{
	for (; *keys; keys++) {
		struct screen *top;

		assert_true(cl->nmodal > 0);
		top = cl->modal[cl->nmodal - 1];
		top->ops->key(top, ret, (wint_t)*keys);
		client_pop_closed(cl);
	}
}
