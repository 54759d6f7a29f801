#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"
#include "ui/client.h"
#include "ui/draw.h"
#include "ui/export.h"
#include "ui/listview.h"
#include "ui/term.h"

/* One page request in flight. */
struct lv_req {
	struct lv_req *next;
	struct listview *lv;
	struct pager_query q;
	char *keep_id;		/* put the cursor back on this row */
	int keep_offset;	/* … at this distance from the top */
	unsigned epoch;		/* lv->epoch when sent */
	bool from_anchor;	/* a search that started at a row (may wrap around) */
	bool wrapped;		/* a search that wrapped around the end */
	char *text;		/* the search text */
	bool interrupted;	/* a search the officer typed past, asked to stop */
};

static void send_query(struct listview *lv, enum pager_op op, int anchor, const char *text);

const char *listview_cell(const struct listview *lv, int row, int col)
{
	if (row < 0 || row >= lv->pager.nrows || col < 0 || col >= lv->spec->pager.ncols)
		return "";
	return lv->pager.rows[row].cells[col];
}

int listview_cursor(const struct listview *lv)
{
	return lv->pager.nrows > 0 ? lv->table.cursor : -1;
}

static const char *cell_cb(void *ctx, int row, int col)
{
	return listview_cell(ctx, row, col);
}

bool listview_is_marked(const struct listview *lv, const char *id)
{
	for (int i = 0; i < lv->nmarks; i++)
		if (strcmp(lv->marks[i], id) == 0)
			return true;
	return false;
}

static bool marked_cb(void *ctx, int row)
{
	struct listview *lv = ctx;

	return lv->nmarks > 0 && listview_is_marked(lv, lv->pager.rows[row].id);
}

static attr_t row_attr_cb(void *ctx, int row)
{
	struct listview *lv = ctx;

	return lv->spec->row_attr ? lv->spec->row_attr(lv, row) : term_theme.normal;
}

void listview_clear_marks(struct listview *lv)
{
	for (int i = 0; i < lv->nmarks; i++)
		free(lv->marks[i]);
	XFREE(lv->marks);
	lv->nmarks = 0;
}

/* Space: mark or unmark the row under the cursor. */
static void toggle_mark(struct listview *lv)
{
	int r = listview_cursor(lv);
	const char *id;

	if (r < 0)
		return;
	id = lv->pager.rows[r].id;
	for (int i = 0; i < lv->nmarks; i++) {
		if (strcmp(lv->marks[i], id) == 0) {
			free(lv->marks[i]);
			lv->marks[i] = lv->marks[--lv->nmarks];
			return;
		}
	}
	lv->marks = xreallocarray(lv->marks, (size_t)lv->nmarks + 1, sizeof(char *));
	lv->marks[lv->nmarks++] = xstrdup(id);
}

/* Fetch the next or previous page when the cursor comes near an edge. */
static void prefetch(struct listview *lv)
{
	int margin = lv->body_rows > 0 ? lv->body_rows * 2 : 40;

	if (lv->fetching || !lv->loaded || lv->pager.nrows == 0)
		return;
	if (!lv->pager.at_end && lv->table.cursor >= lv->pager.nrows - margin)
		send_query(lv, PAGER_NEXT, -1, NULL);
	else if (!lv->pager.at_start && lv->table.cursor < margin)
		send_query(lv, PAGER_PREV, -1, NULL);
}

/* Where the cursor goes once a page has arrived. */
static void place_cursor(struct listview *lv, const struct lv_req *rq, int n, int shift)
{
	struct table *t = &lv->table;

	switch (rq->q.op) {
	case PAGER_NEXT:
	case PAGER_PREV:
		t->cursor += shift;
		t->top += shift;
		break;
	case PAGER_LAST:
		t->cursor = lv->pager.nrows - 1;
		t->top = t->cursor - lv->body_rows + 1;
		break;
	case PAGER_FIND: case PAGER_FIND_AFTER: case PAGER_FIND_BEFORE:
		if (n > 0)
			t->cursor = t->top = 0;
		break;
	default: {
		int at = rq->keep_id ? pager_find_id(&lv->pager, rq->keep_id) : -1;

		if (at >= 0) {
			t->cursor = at;
			t->top = at - rq->keep_offset;
		} else if (rq->keep_id == NULL) {
			t->cursor = t->top = 0;
		}
		break;
	}
	}
	t->nrows = lv->pager.nrows;
	table_follow(t, lv->body_rows);
}

static void req_free(struct lv_req *rq)
{
	pager_query_clear(&rq->q);
	free(rq->keep_id);
	free(rq->text);
	free(rq);
}

/* A request cancelled before it was answered. */
static void req_cancelled(void *ctx)
{
	req_free(ctx);	/* the list is gone: touch nothing else */
}

/* A search-as-you-type answer: true when it was used up here, because the
 * officer typed on while it ran (then the text as typed now is searched). */
static bool find_superseded(struct listview *lv, const struct lv_req *rq)
{
	if (rq->q.op != PAGER_FIND || rq->epoch != lv->epoch)
		return false;
	lv->finding = false;
	if (!lv->find_again)
		return false;
	lv->find_again = false;
	if (lv->search == NULL || lv->search[0] == '\0')
		return false;
	lv->finding = true;
	send_query(lv, PAGER_FIND, lv->search_origin, lv->search);
	return true;
}

/* A page (or a search result) arrived.  Answers come in the order asked;
 * one asked before the window was asked for again (a later g, G, sort,
 * filter) is dropped, so the latest request wins.  A search does not
 * cancel the first page before it: the page is shown, then the match. */
static void query_answer(void *ctx, const PGresult *res, const struct db_error *err)
{
	struct lv_req *rq = ctx;
	struct listview *lv = rq->lv;
	int n, shift = 0;
	bool is_find = rq->q.op >= PAGER_FIND;

	lv->inflight--;
	lv->fetching = lv->inflight > 0;
	if (lv->find_rq == rq)
		lv->find_rq = NULL;
	if (find_superseded(lv, rq) || rq->epoch != lv->epoch ||
	    (rq->interrupted && err != NULL && strcmp(err->sqlstate, "57014") == 0)) {
		req_free(rq);	/* stale, or a search stopped because unwanted */
		return;
	}
	if (err != NULL) {
		free(lv->error);
		lv->error = db_error_text(err);
		req_free(rq);
		return;
	}
	XFREE(lv->error);
	n = pager_apply(&lv->pager, &rq->q, res, &shift);
	if (n == 0 && is_find && rq->from_anchor && !rq->wrapped) {
		/* Nothing after (or before) the row: go on from the other end. */
		lv->wrap_next = true;
		lv->finding = rq->q.op == PAGER_FIND;
		send_query(lv, rq->q.op, -1, rq->text);
		req_free(rq);
		return;
	}
	if (n >= 0) {
		lv->loaded = lv->loaded || !is_find || n > 0;
		place_cursor(lv, rq, n, shift);
		if (is_find) {
			free(lv->note);
			lv->note = n == 0 ? xasprintf("没有找到“%s”", rq->text ? rq->text : "") :
				   rq->wrapped ? xstrdup("已绕回另一端继续搜索") : NULL;
		}
	}
	req_free(rq);
	if (lv->reload_again && !lv->fetching) {
		lv->reload_again = false;
		listview_reload(lv);
		return;
	}
	prefetch(lv);
}

/* True while the first page (after opening, g, a sort or a filter) is on
 * its way: keys that need rows wait for it rather than find none. */
static bool waiting_rows(const struct listview *lv)
{
	return !lv->loaded && lv->fetching;
}

/* The page the held keys waited for is here (or its request failed): they
 * act now, in the order typed, through the client, so that a key which
 * opened a screen (Enter) passes the ones after it to that screen. */
static void release_keys(struct listview *lv)
{
	if (lv->held.n > 0 && !waiting_rows(lv))
		client_keys_release(&lv->held, lv->s.cl);
}

/* Every answer: use it, then let the keys that waited for it act. */
static void query_done(void *ctx, const PGresult *res, const struct db_error *err)
{
	struct listview *lv = ((struct lv_req *)ctx)->lv;

	query_answer(ctx, res, err);
	release_keys(lv);
}

/* Build op and send it; anchor and text for the searches. */
static void send_query(struct listview *lv, enum pager_op op, int anchor, const char *text)
{
	struct lv_req *rq = xcalloc(1, sizeof(*rq));
	int r = listview_cursor(lv);

	rq->lv = lv;
	/* Requests that put the window somewhere new make earlier ones stale;
	 * a search only moves it when it finds something. */
	if (op == PAGER_FIRST || op == PAGER_LAST || op == PAGER_RELOAD) {
		lv->epoch++;
		lv->finding = lv->find_again = false;
	}
	rq->epoch = lv->epoch;
	rq->from_anchor = anchor >= 0;
	rq->wrapped = lv->wrap_next;
	rq->text = text ? xstrdup(text) : NULL;
	lv->wrap_next = false;
	if (op == PAGER_RELOAD && r >= 0) {
		rq->keep_id = xstrdup(lv->pager.rows[r].id);
		rq->keep_offset = r - lv->table.top;
	}
	pager_build(&lv->pager, op, anchor, text, &rq->q);
	if (op == PAGER_FIND)
		lv->find_rq = rq;
	lv->inflight++;
	lv->fetching = true;
	listen_send_ex(lv->s.cl->db, lv, rq->q.sql, rq->q.nparams,
		       (const char *const *)rq->q.params, query_done, rq, req_cancelled);
}

/* Conditions: the year (when the list has one) and the officer's filters. */
static void apply_conds(struct listview *lv)
{
	pager_clear_conds(&lv->pager);
	free(lv->year);
	lv->year = xstrdup(lv->s.cl->year);
	if (lv->spec->year_cond)
		pager_add_cond(&lv->pager, lv->spec->year_cond, lv->s.cl->year);
	for (int i = 0; i < lv->nfilters; i++)
		pager_add_cond(&lv->pager, lv->filters[i].sql, lv->filters[i].value);
}

void listview_reload(struct listview *lv)
{
	if (lv->fetching) {
		lv->reload_again = true;
		return;
	}
	send_query(lv, lv->loaded ? PAGER_RELOAD : PAGER_FIRST, -1, NULL);
}

/* Start over with new conditions or sort (the window is emptied). */
static void restart(struct listview *lv)
{
	lv->reload_again = false;
	lv->loaded = false;
	lv->table.cursor = lv->table.top = 0;
	apply_conds(lv);
	send_query(lv, PAGER_FIRST, -1, NULL);
}

void listview_set_filter(struct listview *lv, const char *sql, const char *value,
			 const char *label)
{
	struct listview_filter *f = NULL;

	for (int i = 0; i < lv->nfilters; i++)
		if (strcmp(lv->filters[i].sql, sql) == 0)
			f = &lv->filters[i];
	if (f == NULL) {
		lv->filters = xreallocarray(lv->filters, (size_t)lv->nfilters + 1, sizeof(*f));
		f = &lv->filters[lv->nfilters++];
		f->sql = xstrdup(sql);
	} else {
		free(f->value);
		free(f->label);
	}
	f->value = value ? xstrdup(value) : NULL;
	f->label = xstrdup(label);
	restart(lv);
}

void listview_clear_filters(struct listview *lv)
{
	for (int i = 0; i < lv->nfilters; i++) {
		free(lv->filters[i].sql);
		free(lv->filters[i].value);
		free(lv->filters[i].label);
	}
	XFREE(lv->filters);
	lv->nfilters = 0;
	restart(lv);
}

/* The line under the table: search prompt, filters, marks, state. */
static void draw_info(struct listview *lv, WINDOW *w, int y, int x, int width)
{
	char *line, *filters;

	if (lv->searching) {
		int lc = draw_text(w, y, x, "/搜索：", 0, (size_t)width, A_BOLD);
		/* "没有找到…" as the officer types, right of the field when it fits. */
		const char *note = lv->note && lv->search_in.len > 0 ? lv->note : "";
		int nc = (int)draw_cols(note) + 2, c;

		if (nc > 2 && nc > (width - lc) / 2)
			nc = 0;
		c = input_draw(&lv->search_in, w, y, x + lc, width - lc - (nc > 2 ? nc : 0),
			       term_theme.normal);
		if (nc > 2)
			draw_text(w, y, x + width - nc + 2, note, 0, (size_t)nc - 2, term_theme.dim);
		client_cursor(lv->s.cl, y, c);
		return;
	}
	filters = xstrdup("");
	for (int i = 0; i < lv->nfilters; i++) {
		char *t = xasprintf("%s %s", filters, lv->filters[i].label);

		free(filters);
		filters = t;
	}
	line = xasprintf("%s%s%s%s", lv->error ? lv->error : lv->note ? lv->note : "",
			 lv->nfilters ? "  筛选：" : "", filters, lv->fetching ? "  读取中…" : "");
	draw_line(w, y, x, width, line, lv->error ? term_theme.error : term_theme.dim);
	if (lv->nmarks) {
		char *m = xasprintf("已标记 %d 项", lv->nmarks);

		draw_text(w, y, x + width - (int)draw_cols(m) - 1, m, 0, draw_cols(m), term_theme.marked);
		free(m);
	}
	free(line);
	free(filters);
}

static void lv_draw(struct screen *s, WINDOW *w, int y, int x, int h, int width)
{
	struct listview *lv = (struct listview *)s;

	lv->width = width;
	lv->body_rows = h - 2;
	lv->table.nrows = lv->pager.nrows;
	lv->table.sort_col = lv->pager.sort_col;
	lv->table.sort_desc = lv->pager.desc;
	table_draw(&lv->table, w, y, x, h - 1, width);
	if (lv->loaded && lv->pager.nrows == 0)
		draw_text(w, y + 2, x + 2, lv->nfilters ? "（没有符合筛选条件的记录；按 F 清除筛选）" :
			  lv->spec->empty ? lv->spec->empty : "（没有记录）", 0, (size_t)width - 2,
			  term_theme.dim);
	draw_info(lv, w, y + h - 1, x, width);
}

/* Move the cursor by delta rows (within the window; pages follow). */
static void move_cursor(struct listview *lv, int delta)
{
	struct table *t = &lv->table;

	if (lv->pager.nrows == 0)
		return;
	t->cursor += delta;
	if (t->cursor < 0)
		t->cursor = 0;
	if (t->cursor >= lv->pager.nrows)
		t->cursor = lv->pager.nrows - 1;
	table_follow(t, lv->body_rows);
	prefetch(lv);
}

/* Pick the column to the left or right (for s) and show it. */
static void move_col(struct listview *lv, int delta)
{
	int c = lv->table.cur_col + delta;

	if (c < 0 || c >= lv->spec->ndisplay)
		return;
	lv->table.cur_col = c;
	table_show_col(&lv->table, c, lv->width);
}

/* s: sort by the picked column; again: the other direction. */
static void sort_by_col(struct listview *lv)
{
	int c = lv->table.cur_col;
	bool desc = c == lv->pager.sort_col ? !lv->pager.desc : false;

	if (!pager_set_sort(&lv->pager, c, desc)) {
		const char *why = pager_nosort_reason(&lv->spec->pager, c);

		client_status(lv->s.cl, true, "不能按“%s”排序%s%s", lv->spec->tcols[c].title,
			      why ? "：" : "", why ? why : "");
		return;
	}
	client_status(lv->s.cl, false, "按“%s”%s排序", lv->spec->tcols[c].title,
		      desc ? "降序" : "升序");
	restart(lv);
}

/* The search line takes the keys: the keys line says what they do there,
 * and the panel's own comes back when it closes. */
static void set_searching(struct listview *lv, bool on)
{
	if (on && !lv->searching) {
		lv->panel_keys = lv->s.keys;
		lv->s.keys = "输入即搜索  Enter 结束输入  Esc 关闭搜索行  F1 帮助";
	} else if (!on && lv->searching) {
		lv->s.keys = lv->panel_keys;
	}
	lv->searching = on;
}

/* Keys while the search prompt is open: every change searches again. */
static void search_key(struct listview *lv, int ret, wint_t ch)
{
	enum input_result r;

	if (ret == OK && ch == 27 && !lv->search_in.pasting) {
		set_searching(lv, false);
		return;
	}
	r = input_key(&lv->search_in, ret, ch);
	if (r == INPUT_ENTER) {
		set_searching(lv, false);
		return;
	}
	if (r != INPUT_CHANGED)
		return;
	free(lv->search);
	lv->search = input_text(&lv->search_in);
	if (lv->search[0] == '\0') {
		lv->find_again = false;
		return;
	}
	/* One search at a time: typing on while it runs asks again once it
	 * ends, and asks the server to stop it (a short rare text can take a
	 * second at 1M; its answer is not wanted any more). */
	if (lv->finding) {
		lv->find_again = true;
		if (lv->find_rq != NULL && listen_interrupt(lv->s.cl->db, lv->find_rq))
			lv->find_rq->interrupted = true;
		return;
	}
	lv->finding = true;
	send_query(lv, PAGER_FIND, lv->search_origin, lv->search);
}

/* n / N: the next or previous match of the last search. */
static void search_again(struct listview *lv, bool back)
{
	if (lv->search == NULL || lv->search[0] == '\0') {
		client_status(lv->s.cl, false, "先按 / 输入要找的内容");
		return;
	}
	send_query(lv, back ? PAGER_FIND_BEFORE : PAGER_FIND_AFTER, listview_cursor(lv), lv->search);
}

/* Keys that move: arrows, j/k, pages, g/G, sideways. */
static bool move_key(struct listview *lv, int ret, wint_t ch)
{
	int page = lv->body_rows > 1 ? lv->body_rows - 1 : 1;

	if (ret == OK) {
		switch (ch) {
		case 'j': move_cursor(lv, 1); return true;
		case 'k': move_cursor(lv, -1); return true;
		case 'h': move_col(lv, -1); return true;
		case 'l': move_col(lv, 1); return true;
		case 'g': restart(lv); return true;
		case 'G': send_query(lv, PAGER_LAST, -1, NULL); return true;
		case 6: move_cursor(lv, page); return true;	/* Ctrl-F */
		case 2: move_cursor(lv, -page); return true;	/* Ctrl-B */
		default: return false;
		}
	}
	switch (ch) {
	case KEY_DOWN: move_cursor(lv, 1); return true;
	case KEY_UP: move_cursor(lv, -1); return true;
	case KEY_NPAGE: move_cursor(lv, page); return true;
	case KEY_PPAGE: move_cursor(lv, -page); return true;
	case KEY_LEFT: move_col(lv, -1); return true;
	case KEY_RIGHT: move_col(lv, 1); return true;
	case KEY_HOME: restart(lv); return true;
	case KEY_END: send_query(lv, PAGER_LAST, -1, NULL); return true;
	default: return false;
	}
}

/* Keys the client answers on every panel (switch, help, quit, year,
 * refresh): they need no rows, so they never wait for a page. */
static bool client_panel_key(int ret, wint_t ch)
{
	if (ret != OK)
		return ch == KEY_BTAB;
	return (ch >= '1' && ch <= '6') ||
	       (ch > 0 && ch < 128 && strchr("\t?qQ:Yr\033", (int)ch) != NULL);
}

/* Hold a key until the first page arrives (release_keys); once one is
 * held, the ones after it wait too, so they act in the order typed. */
static bool hold_key(struct listview *lv, int ret, wint_t ch)
{
	if (lv->held.n == 0 && (!waiting_rows(lv) || client_panel_key(ret, ch)))
		return false;
	client_keys_hold(&lv->held, ret, ch);
	return true;
}

static bool lv_key(struct screen *s, int ret, wint_t ch)
{
	struct listview *lv = (struct listview *)s;

	if (!lv->searching && hold_key(lv, ret, ch))
		return true;
	if (lv->searching) {
		search_key(lv, ret, ch);
		return true;
	}
	if (lv->spec->key && lv->spec->key(lv, ret, ch))
		return true;
	if (move_key(lv, ret, ch))
		return true;
	if (ret != OK)
		return false;
	switch (ch) {
	case '/':
		set_searching(lv, true);
		lv->search_origin = listview_cursor(lv);
		input_set(&lv->search_in, "");
		XFREE(lv->note);
		return true;
	case 'n': search_again(lv, false); return true;
	case 'N': search_again(lv, true); return true;
	case 's': sort_by_col(lv); return true;
	case ' ':
		if (!lv->spec->marks) {
			client_status(s->cl, false, "“%s”列表不用标记（待办里可以标记后一起处理）",
				      lv->spec->name);
			return true;
		}
		if (client_refuse_act(s->cl))	/* marks are for a, which observers lack */
			return true;
		toggle_mark(lv);
		move_cursor(lv, 1);
		return true;
	case 'f':
	case 'F':
		if (lv->spec->filter == NULL)
			client_status(s->cl, false, "“%s”列表没有筛选；可以按 / 搜索", lv->spec->name);
		else if (ch == 'f')
			lv->spec->filter(lv);
		else {
			listview_clear_filters(lv);
			client_status(s->cl, false, "已清除筛选");
		}
		return true;
	case 'x':
		export_start(lv);
		return true;
	default:
		return false;
	}
}

static void lv_resize(struct screen *s)
{
	struct listview *lv = (struct listview *)s;

	table_follow(&lv->table, lv->body_rows);
}

static void lv_changed(struct screen *s, const char *table, long long id)
{
	struct listview *lv = (struct listview *)s;

	for (int i = 0; lv->spec->tables && lv->spec->tables[i]; i++) {
		if (strcmp(lv->spec->tables[i], table) == 0 || strcmp(lv->spec->tables[i], "*") == 0) {
			listview_reload(lv);
			return;
		}
	}
}

static void lv_reload(struct screen *s)
{
	struct listview *lv = (struct listview *)s;

	bool year_changed = lv->spec->year_cond && strcmp(lv->year, s->cl->year) != 0;

	/* The first page (and maybe a search) is on its way: load again after
	 * them rather than throw away what the officer asked for. */
	if (!lv->loaded && lv->fetching && !year_changed) {
		lv->reload_again = true;
		return;
	}
	if (!lv->loaded || year_changed) {
		restart(lv);
		return;
	}
	listview_reload(lv);
}

static void lv_destroy(struct screen *s)
{
	struct listview *lv = (struct listview *)s;

	listen_cancel(s->cl->db, lv);
	pager_clear(&lv->pager);
	table_free(&lv->table);
	free(lv->year);
	input_free(&lv->search_in);
	free(lv->search);
	free(lv->note);
	free(lv->error);
	for (int i = 0; lv->help[i]; i++)
		free(lv->help[i]);
	free(lv->help);
	listview_clear_marks(lv);
	for (int i = 0; i < lv->nfilters; i++) {
		free(lv->filters[i].sql);
		free(lv->filters[i].value);
		free(lv->filters[i].label);
	}
	free(lv->filters);
	free(lv->held.keys);
	free(lv->data);
	free(lv);
}

/* The help overlay of a list: the panel's own lines, then the keys every
 * list shares, the way they work here (filter and marks where the list
 * has them).  NULL-terminated; freed with the list. */
static char **build_help(const struct listview_spec *spec)
{
	const char *shared[] = {
		"上/下 j k\t移动一行",
		"PgUp PgDn\t上一页、下一页（也可用 Ctrl-B Ctrl-F）",
		"g G\t到开头、到结尾（也可用 Home End）",
		"左/右 h l\t选择列（第一列不随左右滚动）",
		NULL,	/* / with what it searches */
		"n N\t下一个、上一个匹配（从光标所在行找起，到头绕回）",
		"s\t按所选列排序，再按一次反向（方向显示在列名后）",
		spec->filter ? "f F\t筛选、清除全部筛选" : NULL,
		spec->marks ? "Space\t标记或取消标记，标记后按 a 对已标记的各项一起操作" : NULL,
		"x\t导出为 CSV 文件：列表的全部行（按当前的筛选和排序），不只是屏幕上的",
	};
	size_t n = 0, nshared = sizeof(shared) / sizeof(shared[0]), nown = 0;
	char **h;

	while (spec->help && spec->help[nown])
		nown++;
	h = xcalloc(nown + nshared + 1, sizeof(char *));
	for (size_t i = 0; i < nown; i++)
		h[n++] = xstrdup(spec->help[i]);
	for (size_t i = 0; i < nshared; i++) {
		if (i == 4)
			h[n++] = xasprintf("/\t边输入边搜索%s%s（Enter 结束输入，Esc 关闭搜索行）",
					   spec->search_what ? "：" : "",
					   spec->search_what ? spec->search_what : "");
		else if (shared[i] != NULL)
			h[n++] = xstrdup(shared[i]);
	}
	return h;
}

static const struct screen_ops lv_ops = {
	.draw = lv_draw, .key = lv_key, .resize = lv_resize, .changed = lv_changed,
	.reload = lv_reload, .destroy = lv_destroy,
};

struct listview *listview_new(struct client *cl, const struct listview_spec *spec)
{
	struct listview *lv = xcalloc(1, sizeof(*lv));

	lv->s.ops = &lv_ops;
	lv->s.cl = cl;
	lv->s.keys = spec->keys;
	lv->help = build_help(spec);
	lv->s.help = (const char *const *)lv->help;
	lv->spec = spec;
	pager_init(&lv->pager, &spec->pager, spec->default_sort);
	/* The first screen comes sooner with only the rows it shows; the rest
	 * of the page follows as the cursor nears the end. */
	lv->pager.first_rows = LINES > 0 ? LINES : 0;
	lv->pager.desc = spec->default_desc;
	lv->table.cols = spec->tcols;
	lv->table.ncols = spec->ndisplay;
	lv->table.frozen = spec->frozen;
	lv->table.fit = true;	/* names fit when there is room */
	lv->table.cur_col = spec->default_sort;
	lv->table.cell = cell_cb;
	lv->table.marked = marked_cb;
	lv->table.row_attr = row_attr_cb;
	lv->table.ctx = lv;
	lv->body_rows = 20;
	lv->width = 80;
	input_init(&lv->search_in, "", 200);
	apply_conds(lv);
	return lv;
}
