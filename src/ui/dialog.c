#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"
#include "ui/dialog.h"
#include "ui/draw.h"
#include "ui/input.h"
#include "ui/term.h"

void dialog_frame(WINDOW *w, int y, int x, int h, int width, int box_h, int box_w,
		  const char *title, int *iy, int *ix, int *ih, int *iw)
{
	int by, bx;

	if (box_h > h)
		box_h = h;
	if (box_w > width)
		box_w = width;
	by = y + (h - box_h) / 2;
	bx = x + (width - box_w) / 2;
	/* Whole lines: a box edge never cuts a wide character of what is under it. */
	for (int i = 0; i < box_h; i++)
		draw_fill(w, by + i, x, width, term_theme.normal);
	if (term_theme.ascii) {
		mvwhline(w, by, bx, '-', box_w);
		mvwhline(w, by + box_h - 1, bx, '-', box_w);
		mvwvline(w, by, bx, '|', box_h);
		mvwvline(w, by, bx + box_w - 1, '|', box_h);
	} else {
		mvwhline(w, by, bx, ACS_HLINE, box_w);
		mvwhline(w, by + box_h - 1, bx, ACS_HLINE, box_w);
		mvwvline(w, by, bx, ACS_VLINE, box_h);
		mvwvline(w, by, bx + box_w - 1, ACS_VLINE, box_h);
		mvwaddch(w, by, bx, ACS_ULCORNER);
		mvwaddch(w, by, bx + box_w - 1, ACS_URCORNER);
		mvwaddch(w, by + box_h - 1, bx, ACS_LLCORNER);
		mvwaddch(w, by + box_h - 1, bx + box_w - 1, ACS_LRCORNER);
	}
	if (title && box_w > 6)
		draw_text(w, by, bx + 2, title, 0, (size_t)box_w - 4, A_BOLD);
	*iy = by + 1;
	*ix = bx + 2;
	*ih = box_h - 2;
	*iw = box_w - 4;
}

/* ---- message ---- */

struct message {
	struct screen s;
	char *title;
	char **lines;
	int nlines;
	int top;
	dialog_confirm_fn confirm;	/* a question: y or n, else NULL */
	void *ctx;
	bool answered;
};

/* Lay out the message in iw columns: each text line wrapped by display
 * width, a "key\tdescription" line with its description wrapped in the
 * second column.  Draws the screen lines [top, top + ih) at iy, ix (none
 * when w is NULL); returns how many screen lines the message takes. */
static int message_layout(const struct message *m, int keyw, int iw, WINDOW *w, int iy,
			  int ix, int ih)
{
	int n = 0;

	for (int i = 0; i < m->nlines; i++) {
		const char *l = m->lines[i], *tab = strchr(l, '\t');
		bool two = tab != NULL && keyw * 2 <= iw;
		/* Too narrow for two columns: the key, two spaces, the description. */
		char *joined = tab != NULL && !two ?
			       xasprintf("%.*s  %s", (int)(tab - l), l, tab + 1) : NULL;
		const char *t = two ? tab + 1 : joined ? joined : l;
		int col = two ? keyw + 2 : 0;
		size_t left = strlen(t);
		bool first = true;

		do {
			size_t piece = draw_wrap_piece(t, left, (size_t)(iw - col));
			int row = n - m->top;

			if (w != NULL && row >= 0 && row < ih) {
				if (two && first) {
					char *k = xstrndup(l, (size_t)(tab - l));

					draw_text(w, iy + row, ix, k, 0, (size_t)keyw, A_BOLD);
					free(k);
				}
				char *p = xstrndup(t, piece);

				draw_text(w, iy + row, ix + col, p, 0, (size_t)(iw - col),
					  term_theme.normal);
				free(p);
			}
			n++;
			first = false;
			t += piece;
			left -= piece;
			/* A line that goes on starts without the space it broke at. */
			if (left > 0 && *t == ' ') {
				t++;
				left--;
			}
		} while (left > 0);
		free(joined);
	}
	return n;
}

static void message_draw(struct screen *s, WINDOW *w, int y, int x, int h, int width)
{
	struct message *m = (struct message *)s;
	int wide = 20, iy, ix, ih, iw, keyw = 0, n;

	/* Lines "key\tdescription" are set in two columns. */
	for (int i = 0; i < m->nlines; i++) {
		const char *tab = strchr(m->lines[i], '\t');
		char *k = tab ? xstrndup(m->lines[i], (size_t)(tab - m->lines[i])) : NULL;

		if (k && (int)draw_cols(k) > keyw)
			keyw = (int)draw_cols(k);
		free(k);
	}
	for (int i = 0; i < m->nlines; i++) {
		const char *tab = strchr(m->lines[i], '\t');
		int c = tab ? keyw + 2 + (int)draw_cols(tab + 1) : (int)draw_cols(m->lines[i]);

		if (c > wide)
			wide = c;
	}
	/* Wider than the screen: wrap to the screen, never cut at the border. */
	if (wide + 4 > width)
		wide = width - 4;
	if (wide < 1)
		return;
	n = message_layout(m, keyw, wide, NULL, 0, 0, 0);
	dialog_frame(w, y, x, h, width, n + 2, wide + 4, m->title, &iy, &ix, &ih, &iw);
	if (m->top > n - ih)
		m->top = n - ih;
	if (m->top < 0)
		m->top = 0;
	message_layout(m, keyw, iw, w, iy, ix, ih);
	/* More above or below: say so on the frame. */
	if (m->top > 0)
		draw_text(w, iy - 1, ix + iw - 2, "↑", 0, 2, A_BOLD);
	if (m->top + ih < n)
		draw_text(w, iy + ih, ix + iw - 2, "↓", 0, 2, A_BOLD);
}

/* A question takes only y (yes) or n/q/Esc (no): Enter does not confirm,
 * so a key typed ahead never runs what the officer has not read. */
static void confirm_key(struct message *m, int ret, wint_t ch)
{
	bool yes = ret == OK && (ch == 'y' || ch == 'Y');

	if (!yes && !(ret == OK && (ch == 'n' || ch == 'N' || ch == 'q' || ch == 27)))
		return;
	m->s.closed = true;
	m->answered = true;
	m->confirm(m->s.cl, m->ctx, yes);
}

static bool message_key(struct screen *s, int ret, wint_t ch)
{
	struct message *m = (struct message *)s;

	if (ret == KEY_CODE_YES && (ch == KEY_DOWN || ch == KEY_NPAGE))
		m->top += ch == KEY_DOWN ? 1 : 10;
	else if (ret == KEY_CODE_YES && (ch == KEY_UP || ch == KEY_PPAGE))
		m->top -= ch == KEY_UP ? 1 : 10;
	else if (ret == OK && ch == 'j')
		m->top++;
	else if (ret == OK && ch == 'k')
		m->top--;
	else if ((ret == KEY_CODE_YES && ch == KEY_HOME) || (ret == OK && ch == 'g'))
		m->top = 0;
	else if ((ret == KEY_CODE_YES && ch == KEY_END) || (ret == OK && ch == 'G'))
		m->top = 1 << 20;	/* past the end: the draw clamps it to the last page */
	else if (m->confirm != NULL)
		confirm_key(m, ret, ch);
	else if ((ret == OK && (ch == 'q' || ch == 27 || ch == '\r' || ch == '\n' || ch == ' ')) ||
		 (ret == KEY_CODE_YES && (ch == KEY_ENTER || ch == KEY_F(1))))
		s->closed = true;
	return true;
}

static void message_destroy(struct screen *s)
{
	struct message *m = (struct message *)s;

	if (m->confirm != NULL && !m->answered)	/* closed unanswered: a no */
		m->confirm(s->cl, m->ctx, false);
	for (int i = 0; i < m->nlines; i++)
		free(m->lines[i]);
	free(m->lines);
	free(m->title);
	free(m);
}

static const struct screen_ops message_ops = {
	.draw = message_draw, .key = message_key, .destroy = message_destroy,
};

struct screen *dialog_message(struct client *cl, const char *title, const char *text)
{
	struct message *m = xcalloc(1, sizeof(*m));
	const char *p = text;

	m->s.ops = &message_ops;
	m->s.cl = cl;
	m->s.keys = "上/下 PgUp/PgDn g/G 翻看  q/Esc/Enter 关闭";
	m->title = xstrdup(title);
	for (;;) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);

		m->lines = xreallocarray(m->lines, (size_t)m->nlines + 1, sizeof(char *));
		m->lines[m->nlines++] = xstrndup(p, n);
		if (nl == NULL)
			break;
		p = nl + 1;
	}
	return &m->s;
}

struct screen *dialog_ask(struct client *cl, const char *title, const char *text,
			  const char *keys, dialog_confirm_fn fn, void *ctx)
{
	struct message *m = (struct message *)dialog_message(cl, title, text);

	m->s.keys = keys;
	m->confirm = fn;
	m->ctx = ctx;
	return &m->s;
}

struct screen *dialog_confirm(struct client *cl, const char *title, const char *text,
			      dialog_confirm_fn fn, void *ctx)
{
	char *t = xasprintf("%s\n\n按 y 确定执行，按 n 或 Esc 取消", text);
	struct screen *s = dialog_ask(cl, title, t, "y 确定执行  n/Esc 取消", fn, ctx);

	free(t);
	return s;
}

/* ---- menu ---- */

struct menu {
	struct screen s;
	char *title;
	char **values, **labels;
	int n, cursor, top;
	int page;		/* items shown at once (last draw), for PgUp/PgDn */
	bool loading;
	bool answered;		/* fn has been called */
	char *error;
	dialog_pick_fn fn;
	void *ctx;
};

static void menu_draw(struct screen *s, WINDOW *w, int y, int x, int h, int width)
{
	struct menu *m = (struct menu *)s;
	int wide = (int)draw_cols(m->title) + 4, iy, ix, ih, iw;
	int rows = m->n > 0 ? m->n : 1;

	for (int i = 0; i < m->n; i++) {
		int c = (int)draw_cols(m->labels[i]) + 4;

		if (c > wide)
			wide = c;
	}
	dialog_frame(w, y, x, h, width, rows + 2, wide + 4, m->title, &iy, &ix, &ih, &iw);
	if (m->n == 0) {
		draw_text(w, iy, ix, m->error ? m->error : m->loading ? "正在读取…" : "（没有可选项）",
			  0, (size_t)iw, m->error ? term_theme.error : term_theme.dim);
		return;
	}
	m->page = ih > 1 ? ih - 1 : 1;
	if (m->cursor < m->top)
		m->top = m->cursor;
	if (m->cursor >= m->top + ih)
		m->top = m->cursor - ih + 1;
	for (int i = 0; i < ih && m->top + i < m->n; i++) {
		int r = m->top + i;

		char *l = r < 9 ? xasprintf("%d %s", r + 1, m->labels[r]) : xasprintf("  %s", m->labels[r]);

		draw_cell(w, iy + i, ix, l, (size_t)iw, 0, (size_t)iw, WIDTH_LEFT,
			  r == m->cursor ? term_theme.cursor : term_theme.normal);
		free(l);
	}
}

static bool menu_key(struct screen *s, int ret, wint_t ch)
{
	struct menu *m = (struct menu *)s;

	if (ret == OK && ch >= '1' && ch <= '9' && (int)(ch - '1') < m->n) {
		m->cursor = (int)(ch - '1');	/* a digit picks that item at once */
		ch = '\r';
	}
	if ((ret == KEY_CODE_YES && ch == KEY_DOWN) || (ret == OK && ch == 'j'))
		m->cursor = m->cursor + 1 < m->n ? m->cursor + 1 : m->cursor;
	else if ((ret == KEY_CODE_YES && ch == KEY_UP) || (ret == OK && ch == 'k'))
		m->cursor = m->cursor > 0 ? m->cursor - 1 : 0;
	else if ((ret == KEY_CODE_YES && ch == KEY_NPAGE) || (ret == OK && ch == 6))
		m->cursor = m->cursor + m->page < m->n ? m->cursor + m->page : m->n - 1;
	else if ((ret == KEY_CODE_YES && ch == KEY_PPAGE) || (ret == OK && ch == 2))
		m->cursor = m->cursor > m->page ? m->cursor - m->page : 0;
	else if ((ret == KEY_CODE_YES && ch == KEY_HOME) || (ret == OK && ch == 'g'))
		m->cursor = 0;
	else if ((ret == KEY_CODE_YES && ch == KEY_END) || (ret == OK && ch == 'G'))
		m->cursor = m->n > 0 ? m->n - 1 : 0;
	else if (screen_key_enter(ret, ch)) {
		if (m->n == 0)
			return true;
		s->closed = true;
		m->answered = true;
		m->fn(s->cl, m->ctx, m->values[m->cursor], m->labels[m->cursor]);
	} else if (ret == OK && (ch == 'q' || ch == 27)) {
		s->closed = true;
		m->answered = true;
		m->fn(s->cl, m->ctx, NULL, NULL);
	}
	return true;
}

static void menu_destroy(struct screen *s)
{
	struct menu *m = (struct menu *)s;

	if (s->cl->db != NULL)	/* none for menus filled by hand without a server */
		listen_cancel(s->cl->db, s);
	if (!m->answered)	/* closed unanswered (the client quits): a cancel */
		m->fn(s->cl, m->ctx, NULL, NULL);
	for (int i = 0; i < m->n; i++) {
		free(m->values[i]);
		free(m->labels[i]);
	}
	free(m->values);
	free(m->labels);
	free(m->title);
	free(m->error);
	free(m);
}

static const struct screen_ops menu_ops = {
	.draw = menu_draw, .key = menu_key, .destroy = menu_destroy,
};

struct screen *dialog_menu(struct client *cl, const char *title, dialog_pick_fn fn, void *ctx)
{
	struct menu *m = xcalloc(1, sizeof(*m));

	m->s.ops = &menu_ops;
	m->s.cl = cl;
	m->s.keys = "上/下 PgUp/PgDn g/G 选择  Enter 或数字 确定  q/Esc 取消";
	m->page = 10;
	m->title = xstrdup(title);
	m->fn = fn;
	m->ctx = ctx;
	return &m->s;
}

void dialog_menu_add(struct screen *s, const char *value, const char *label)
{
	struct menu *m = (struct menu *)s;

	m->values = xreallocarray(m->values, (size_t)m->n + 1, sizeof(char *));
	m->labels = xreallocarray(m->labels, (size_t)m->n + 1, sizeof(char *));
	m->values[m->n] = xstrdup(value);
	m->labels[m->n++] = xstrdup(label);
}

/* Rows (value, label) of the menu's query. */
static void menu_loaded(void *ctx, const PGresult *res, const struct db_error *err)
{
	struct menu *m = ctx;

	m->loading = false;
	if (err != NULL) {
		m->error = db_error_text(err);
		return;
	}
	for (int i = 0; i < PQntuples(res); i++)
		dialog_menu_add(&m->s, PQgetvalue(res, i, 0), PQgetvalue(res, i, 1));
}

void dialog_menu_load(struct screen *s, const char *sql, int nparams, const char *const *params)
{
	struct menu *m = (struct menu *)s;

	m->loading = true;
	listen_send(s->cl->db, s, sql, nparams, params, menu_loaded, m);
}

/* ---- prompt ---- */

struct prompt {
	struct screen s;
	char *title, *label;
	char *initial;		/* the text it opened with */
	struct input in;
	bool answered;
	dialog_text_fn fn;
	void *ctx;
};

static void prompt_draw(struct screen *s, WINDOW *w, int y, int x, int h, int width)
{
	struct prompt *p = (struct prompt *)s;
	int iy, ix, ih, iw, lc = (int)draw_cols(p->label) + 1, c;

	dialog_frame(w, y, x, h, width, 3, 70, p->title, &iy, &ix, &ih, &iw);
	draw_text(w, iy, ix, p->label, 0, (size_t)iw, A_BOLD);
	if (lc > iw / 2)
		lc = iw / 2;
	c = input_draw(&p->in, w, iy, ix + lc, iw - lc, term_theme.cursor);
	/* Only the prompt on top owns the cursor (not one under a question). */
	if (s->cl->nmodal == 0 || s->cl->modal[s->cl->nmodal - 1] == s)
		client_cursor(s->cl, iy, c);
}

/* True when the text is not what the prompt opened with: typed by the officer. */
static bool prompt_dirty(struct screen *s)
{
	struct prompt *p = (struct prompt *)s;
	char *t = input_text(&p->in);
	bool dirty = strcmp(t, p->initial) != 0;

	free(t);
	return dirty;
}

static void prompt_cancel(struct prompt *p)
{
	p->s.closed = true;
	p->answered = true;
	p->fn(p->s.cl, p->ctx, NULL);
}

/* The answer to "放弃输入？": only a yes throws the typed text away. */
static void prompt_discard_answered(struct client *cl, void *ctx, bool yes)
{
	struct prompt *p = ctx;

	if (yes) {
		prompt_cancel(p);
		client_status(cl, false, "已放弃输入");
	} else {
		client_status(cl, false, "继续输入");
	}
}

/* Esc: as in forms, typed text is never thrown away without asking. */
static void prompt_escape(struct prompt *p)
{
	char *t, *q;

	if (!prompt_dirty(&p->s)) {
		prompt_cancel(p);
		return;
	}
	t = input_text(&p->in);
	q = xasprintf("已输入：%s\n\n按 y 放弃输入的内容，按 n 或 Esc 继续输入", t);
	client_push(p->s.cl, dialog_ask(p->s.cl, "放弃输入？", q, "y 放弃  n/Esc 继续输入",
					prompt_discard_answered, p));
	free(q);
	free(t);
}

static bool prompt_key(struct screen *s, int ret, wint_t ch)
{
	struct prompt *p = (struct prompt *)s;
	enum input_result r;

	if (ret == OK && ch == 27 && !p->in.pasting) {
		prompt_escape(p);
		return true;
	}
	r = input_key(&p->in, ret, ch);
	if (r == INPUT_ENTER) {
		char *t = input_text(&p->in);

		s->closed = true;
		p->answered = true;
		p->fn(s->cl, p->ctx, t);
		free(t);
	}
	return true;
}

static void prompt_resize(struct screen *s)
{
	/* The box is laid out on every draw; the typed text stays in the input. */
}

static void prompt_destroy(struct screen *s)
{
	struct prompt *p = (struct prompt *)s;

	if (!p->answered)
		p->fn(s->cl, p->ctx, NULL);
	input_free(&p->in);
	free(p->title);
	free(p->label);
	free(p->initial);
	free(p);
}

static const struct screen_ops prompt_ops = {
	.draw = prompt_draw, .key = prompt_key, .resize = prompt_resize, .dirty = prompt_dirty,
	.destroy = prompt_destroy,
};

struct screen *dialog_prompt(struct client *cl, const char *title, const char *label,
			     const char *initial, dialog_text_fn fn, void *ctx)
{
	struct prompt *p = xcalloc(1, sizeof(*p));

	p->s.ops = &prompt_ops;
	p->s.cl = cl;
	p->s.keys = "Enter 确定  Esc 取消（已输入的内容先问）  F1 帮助";
	p->title = xstrdup(title);
	p->label = xstrdup(label);
	p->initial = xstrdup(initial);
	input_init(&p->in, initial, 500);
	p->fn = fn;
	p->ctx = ctx;
	return &p->s;
}
