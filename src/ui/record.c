#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/xalloc.h"
#include "db/db.h"
#include "ui/dialog.h"
#include "ui/draw.h"
#include "ui/form.h"
#include "ui/record.h"
#include "ui/term.h"

/* ================================================================ checks */

bool record_parse_date(const char *s, struct tm *out)
{
	int y, m, d;
	char tail;
	struct tm tm = { 0 };

	if (sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3 || strlen(s) != 10)
		return false;
	tm.tm_year = y - 1900;
	tm.tm_mon = m - 1;
	tm.tm_mday = d;
	tm.tm_hour = 12;
	if (mktime(&tm) == (time_t)-1 || tm.tm_mday != d || tm.tm_mon != m - 1)
		return false;
	if (out)
		*out = tm;
	return true;
}

/* A decimal as hundredths: digits, optionally '.' and digits.  *decimals
 * gets the position of the last non-zero digit after the point (9.120 has
 * two).  False when not a number. */
static bool parse_hundredths(const char *s, long long *out, int *decimals)
{
	long long v = 0;
	int dec = -1, sig = 0;

	if (*s == '\0' || *s == '.')
		return false;
	for (; *s; s++) {
		if (*s == '.') {
			if (dec >= 0)
				return false;
			dec = 0;
			continue;
		}
		if (!isdigit((unsigned char)*s) || v > 100000000000LL)
			return false;
		if (dec >= 0) {
			dec++;
			if (*s != '0')
				sig = dec;
			if (dec > 2)
				continue;
		}
		v = v * 10 + (*s - '0');
	}
	if (dec == 0)
		return false;	/* "9." */
	for (int i = dec < 0 ? 0 : dec > 2 ? 2 : dec; i < 2; i++)
		v *= 10;
	*decimals = sig;
	*out = v;
	return true;
}

char *record_score_check(const char *label, const char *text, const char *max)
{
	long long v, m;
	int dec = 0, mdec = 0;
	const char *p = text;

	while (*p == ' ')
		p++;
	if (*p == '\0')
		return NULL;
	if (*p == '-')
		return xasprintf("%s不能为负数（现为“%s”）", label, text);
	if (*p == '+')
		p++;
	if (!parse_hundredths(p, &v, &dec))
		return xasprintf("%s应为数字，如 8 或 7.5（现为“%s”）", label, text);
	if (dec > 2)
		return xasprintf("%s最多两位小数（现为“%s”）", label, text);
	if (max != NULL && max[0] != '\0' && parse_hundredths(max, &m, &mdec) && v > m)
		return xasprintf("%s %s 超过该项满分 %s", label, text, max);
	return NULL;
}

char *record_error_text(const struct db_error *err)
{
	const char *st = err->sqlstate;

	if (strncmp(st, "GB", 2) == 0 || st[0] == '\0')
		return db_error_text(err);
	if (strcmp(st, "42501") == 0)
		return xstrdup("数据库拒绝：你的角色无权登记或修改这项记录");
	if (strcmp(st, "23505") == 0)
		return xstrdup("数据库拒绝：这项记录已经存在（可能他人刚刚登记），请刷新后再看");
	if (strncmp(st, "23", 2) == 0)
		return xstrdup("数据库拒绝：填写的内容不符合规则（如日期先后、必填项），请检查后再保存");
	if (strncmp(st, "22", 2) == 0)
		return xstrdup("数据库拒绝：有字段的格式不对（日期应为 YYYY-MM-DD，分数应为数字）");
	return db_error_text(err);
}

/* ================================================================ conflict */

struct conflict {
	struct screen s;
	char *text;
	record_conflict_fn fn;
	void *ctx;
};

/* The explanation wrapped to iw columns: each piece's length in *lens (at
 * most max pieces).  Returns the number of lines. */
static int conflict_wrap(const char *text, int iw, size_t *lens, int max)
{
	size_t len = strlen(text), at = 0;
	int n = 0;

	while (at < len && n < max) {
		size_t piece = draw_wrap_piece(text + at, len - at, (size_t)iw);

		lens[n++] = piece;
		at += piece;
	}
	return n;
}

static void conflict_draw(struct screen *s, WINDOW *w, int y, int x, int h, int width)
{
	struct conflict *c = (struct conflict *)s;
	int iy, ix, ih, iw, bw = (int)draw_cols(c->text) + 6, n, at = 0;
	size_t lens[8];

	if (bw < 60)
		bw = 60;
	if (bw > width)
		bw = width;
	if (bw < 8)
		return;
	/* Who, when and which fields: the whole text, over as many lines as it takes. */
	n = conflict_wrap(c->text, bw - 4, lens, 8);
	dialog_frame(w, y, x, h, width, n + 6, bw, "保存冲突", &iy, &ix, &ih, &iw);
	for (int i = 0; i < n && i < ih; i++) {
		char *line = xstrndup(c->text + at, lens[i]);

		draw_text(w, iy + i, ix, line, 0, (size_t)iw, term_theme.error);
		free(line);
		at += (int)lens[i];
	}
	draw_text(w, iy + n + 1, ix, "r  重新载入对方保存的内容（放弃我的修改）", 0, (size_t)iw, A_NORMAL);
	draw_text(w, iy + n + 2, ix, "a  以我的修改为准，基于最新版本重新保存", 0, (size_t)iw, A_NORMAL);
	draw_text(w, iy + n + 3, ix, "Esc  回到表单", 0, (size_t)iw, A_NORMAL);
}

static bool conflict_key(struct screen *s, int ret, wint_t ch)
{
	struct conflict *c = (struct conflict *)s;

	if (ret != OK)
		return true;
	if (ch == 'r' || ch == 'a') {
		s->closed = true;
		c->fn(s->cl, c->ctx, ch == 'a');
	} else if (ch == 27 || ch == 'q') {
		s->closed = true;
	}
	return true;
}

static void conflict_destroy(struct screen *s)
{
	struct conflict *c = (struct conflict *)s;

	free(c->text);
	free(c);
}

static const struct screen_ops conflict_ops = {
	.draw = conflict_draw, .key = conflict_key, .destroy = conflict_destroy,
};

struct screen *record_conflict(struct client *cl, const struct db_error *err,
			       record_conflict_fn fn, void *ctx)
{
	struct conflict *c = xcalloc(1, sizeof(*c));

	c->s.ops = &conflict_ops;
	c->s.cl = cl;
	c->s.keys = "r 重新载入  a 以我的为准重新保存  Esc 返回表单";
	c->text = xasprintf("%s：%s", err->message ? err->message : "记录已被他人修改",
			    err->detail ? err->detail : "");
	c->fn = fn;
	c->ctx = ctx;
	return &c->s;
}

/* ================================================================ score tree */

static const struct table_col score_cols[SCORE_NCOLS] = {
	{ "代码", 6, WIDTH_LEFT },
	{ "指标", 24, WIDTH_LEFT },
	{ "满分", 6, WIDTH_RIGHT },
	{ "自评", 6, WIDTH_RIGHT },
	{ "验收", 6, WIDTH_RIGHT },
	{ "自评说明", 12, WIDTH_LEFT },
	{ "验收意见", 12, WIDTH_LEFT },
};

static const char *score_cell(void *ctx, int row, int col)
{
	struct score_tree *t = ctx;

	if (row < 0 || row >= t->n || col < 0 || col >= SCORE_NCOLS)
		return "";
	return t->lines[row].cells[col];
}

/* Categories and the total stand out; leaves are plain. */
static attr_t score_row_attr(void *ctx, int row)
{
	struct score_tree *t = ctx;
	int level = t->lines[row].level;

	return level == 0 ? term_theme.title : level == 1 ? term_theme.normal | A_BOLD : term_theme.normal;
}

void score_tree_init(struct score_tree *t)
{
	memset(t, 0, sizeof(*t));
	t->table.cols = t->cols;
	t->table.ncols = SCORE_NCOLS;
	t->table.frozen = 2;
	t->table.sort_col = -1;
	t->table.cur_col = -1;
	t->table.cursor = 0;
	t->table.cell = score_cell;
	t->table.row_attr = score_row_attr;
	t->table.ctx = t;
}

void score_tree_clear(struct score_tree *t)
{
	for (int i = 0; i < t->n; i++) {
		free(t->lines[i].indicator_id);
		free(t->lines[i].version);
		for (int c = 0; c < SCORE_NCOLS; c++)
			free(t->lines[i].cells[c]);
	}
	XFREE(t->lines);
	t->n = 0;
	t->table.nrows = 0;
}

void score_tree_add(struct score_tree *t, int level, const char *indicator_id,
		    const char *version, const char *const cells[SCORE_NCOLS])
{
	struct score_line *l;

	t->lines = xreallocarray(t->lines, (size_t)t->n + 1, sizeof(*t->lines));
	l = &t->lines[t->n++];
	l->level = level;
	l->indicator_id = xstrdup(indicator_id ? indicator_id : "");
	l->version = xstrdup(version ? version : "");
	for (int c = 0; c < SCORE_NCOLS; c++)
		l->cells[c] = c == SCORE_TITLE && level > 1 ?
			      xasprintf("%*s%s", 2 * (level - 1), "", cells[c] ? cells[c] : "") :
			      xstrdup(cells[c] ? cells[c] : "");
	t->table.nrows = t->n;
}

/* Columns as wide as their widest cell (the findings at most a quarter of
 * the width), the title the room that is left up to its widest cell. */
static void score_tree_fit(struct score_tree *t, int width)
{
	int used = 2, title = 8;	/* the mark column and a gap */

	for (int c = 0; c < SCORE_NCOLS; c++) {
		int wide = (int)draw_cols(score_cols[c].title);

		for (int i = 0; i < t->n; i++) {
			int n = (int)draw_cols(t->lines[i].cells[c]);

			if (n > wide)
				wide = n;
		}
		if ((c == SCORE_SELF_NOTE || c == SCORE_ACC_NOTE) && wide > width / 4)
			wide = width / 4 > 8 ? width / 4 : 8;
		t->cols[c] = score_cols[c];
		t->cols[c].cols = wide;
		if (c == SCORE_TITLE)
			title = wide;
		else
			used += wide + 1;
	}
	if (title > width - used - 1)
		title = width - used - 1;
	t->cols[SCORE_TITLE].cols = title > 8 ? title : 8;
}

void score_tree_draw(struct score_tree *t, WINDOW *w, int y, int x, int h, int width)
{
	score_tree_fit(t, width);
	table_follow(&t->table, h - 1);
	table_draw(&t->table, w, y, x, h, width);
}

/* The tree of the evaluation of case $2 of kind $1 (sql/README:
 * gb.evaluation_tree): indicator id, level, code, title, max, self,
 * acceptance (sums of the leaves under a category), self finding,
 * acceptance finding, score row version. */
static const char scores_sql[] =
	"SELECT coalesce(indicator_id::text, ''), level::text, coalesce(code, ''), title, "
	"trim_scale(max_score)::text, trim_scale(self_score)::text, trim_scale(acceptance_score)::text, "
	"self_finding, acceptance_finding, score_version::text FROM gb.evaluation_tree($1, $2::bigint)";

struct scores {
	struct screen s;
	char *kind, *case_id, *eid;
	struct score_tree tree;
	char *error;
	bool loading;
	bool may_self, may_acc;	/* from gb.record_rights */
	char *why_self, *why_acc;	/* the reasons when not */
	int last_width;
};

static void scores_loaded(void *ctx, const PGresult *res, const struct db_error *err)
{
	struct scores *sc = ctx;
	int keep = sc->tree.table.cursor, keep_top = sc->tree.table.top;

	sc->loading = false;
	XFREE(sc->error);
	score_tree_clear(&sc->tree);
	if (err != NULL) {
		sc->error = record_error_text(err);
		return;
	}
	for (int i = 0; i < PQntuples(res); i++) {
		const char *cells[SCORE_NCOLS];

		cells[SCORE_CODE] = PQgetvalue(res, i, 2);
		cells[SCORE_TITLE] = PQgetvalue(res, i, 3);
		cells[SCORE_MAX] = PQgetvalue(res, i, 4);
		cells[SCORE_SELF] = PQgetvalue(res, i, 5);
		cells[SCORE_ACC] = PQgetvalue(res, i, 6);
		cells[SCORE_SELF_NOTE] = PQgetvalue(res, i, 7);
		cells[SCORE_ACC_NOTE] = PQgetvalue(res, i, 8);
		score_tree_add(&sc->tree, atoi(PQgetvalue(res, i, 1)), PQgetvalue(res, i, 0),
			       PQgetvalue(res, i, 9), cells);
	}
	sc->tree.table.cursor = keep < sc->tree.n ? keep : sc->tree.n - 1;
	sc->tree.table.top = keep_top;
	if (sc->tree.n == 0)
		sc->error = xstrdup("本年度未设定评价指标体系，无法评分（请市信用办载入并设定指标体系）");
}

static void scores_rights_loaded(void *ctx, const PGresult *res, const struct db_error *err)
{
	struct scores *sc = ctx;

	if (err != NULL)
		return;
	for (int i = 0; i < PQntuples(res); i++) {
		const char *what = PQgetvalue(res, i, 0);
		bool ok = db_is_true(PQgetvalue(res, i, 1));

		if (strcmp(what, "score_self") == 0) {
			sc->may_self = ok;
			free(sc->why_self);
			sc->why_self = xstrdup(PQgetvalue(res, i, 2));
		} else if (strcmp(what, "score_acceptance") == 0) {
			sc->may_acc = ok;
			free(sc->why_acc);
			sc->why_acc = xstrdup(PQgetvalue(res, i, 2));
		}
	}
}

static void scores_reload(struct screen *s)
{
	struct scores *sc = (struct scores *)s;
	const char *params[2] = { sc->kind, sc->case_id };
	const char *p1[1] = { sc->eid };

	sc->loading = true;
	listen_cancel(s->cl->db, s);
	listen_send(s->cl->db, s, scores_sql, 2, params, scores_loaded, sc);
	listen_send(s->cl->db, s, "SELECT what, ok::text, coalesce(reason, '') FROM gb.record_rights($1::bigint) "
		    "WHERE what LIKE 'score%'", 1, p1, scores_rights_loaded, sc);
}

static void scores_draw(struct screen *s, WINDOW *w, int y, int x, int h, int width)
{
	struct scores *sc = (struct scores *)s;

	sc->last_width = width;
	for (int i = 0; i < h; i++)
		draw_fill(w, y + i, x, width, term_theme.normal);
	draw_line(w, y, x, width, strcmp(sc->kind, "demo") == 0 ? "示范评价评分表（满分、自评、验收）" :
		  "贯标评分表（满分、自评、验收）", term_theme.title);
	if (sc->error) {
		draw_text(w, y + 1, x + 1, sc->error, 0, (size_t)width - 1, term_theme.error);
		return;
	}
	if (sc->tree.n == 0) {
		draw_text(w, y + 1, x + 1, sc->loading ? "正在读取…" : "（无记录）", 0, (size_t)width - 1,
			  term_theme.dim);
		return;
	}
	score_tree_draw(&sc->tree, w, y + 1, x, h - 1, width);
}

static void score_edit_open(struct scores *sc, const struct score_line *l);

static bool scores_key(struct screen *s, int ret, wint_t ch)
{
	struct scores *sc = (struct scores *)s;
	struct table *t = &sc->tree.table;
	int page = 10;

	if (ret == KEY_CODE_YES) {
		switch (ch) {
		case KEY_DOWN: t->cursor++; break;
		case KEY_UP: t->cursor--; break;
		case KEY_NPAGE: t->cursor += page; break;
		case KEY_PPAGE: t->cursor -= page; break;
		case KEY_HOME: t->cursor = 0; break;
		case KEY_END: t->cursor = sc->tree.n - 1; break;
		case KEY_RIGHT: table_hscroll_col(t, 1, sc->last_width); break;
		case KEY_LEFT: table_hscroll_col(t, -1, sc->last_width); break;
		default: return false;
		}
	} else if (screen_key_enter(ret, ch) || ch == 'e') {
		if (t->cursor >= 0 && t->cursor < sc->tree.n)
			score_edit_open(sc, &sc->tree.lines[t->cursor]);
		return true;
	} else {
		switch (ch) {
		case 'j': t->cursor++; break;
		case 'k': t->cursor--; break;
		case 'g': t->cursor = 0; break;
		case 'G': t->cursor = sc->tree.n - 1; break;
		case 'l': table_hscroll_col(t, 1, sc->last_width); break;
		case 'h': table_hscroll_col(t, -1, sc->last_width); break;
		case 'r': scores_reload(s); return true;
		case 'q': case 27: s->closed = true; return true;
		default: return false;
		}
	}
	if (t->cursor >= sc->tree.n)
		t->cursor = sc->tree.n - 1;
	if (t->cursor < 0)
		t->cursor = 0;
	return true;
}

static void scores_changed(struct screen *s, const char *table, long long id)
{
	if (strcmp(table, "evaluation_score") == 0 || strcmp(table, "evaluation") == 0 ||
	    strcmp(table, "programme_year") == 0)
		scores_reload(s);
}

static void scores_destroy(struct screen *s)
{
	struct scores *sc = (struct scores *)s;

	listen_cancel(s->cl->db, s);
	score_tree_clear(&sc->tree);
	table_free(&sc->tree.table);
	free(sc->kind);
	free(sc->case_id);
	free(sc->eid);
	free(sc->error);
	free(sc->why_self);
	free(sc->why_acc);
	free(sc);
}

static const struct screen_ops scores_ops = {
	.draw = scores_draw, .key = scores_key, .changed = scores_changed,
	.reload = scores_reload, .destroy = scores_destroy,
};

static const char *const scores_help[] = {
	"上/下 j k\t选择一行；PgUp/PgDn Home/End g G 翻页、到首尾",
	"左/右 h l\t左右滚动（代码和指标列不动）",
	"Enter / e\t录入所选考核内容（第三级）的得分和说明：服务机构录自评分，市信用办录验收分",
	"\t分数须为不小于 0、不超过该项满分的数字，最多两位小数；保存时核对版本",
	"\t各项目、评价内容行是其下各项的小计，最后一行是合计",
	"r\t刷新",
	"q / Esc\t返回",
	NULL,
};

void record_scores_open(struct client *cl, const char *kind, const char *case_id, const char *eid)
{
	struct scores *sc = xcalloc(1, sizeof(*sc));

	sc->s.ops = &scores_ops;
	sc->s.cl = cl;
	sc->s.keys = client_may_act(cl) ? "上/下 选择  Enter 录入得分  左/右 滚动  r 刷新  q 返回  ? 帮助" :
		     "上/下 选择  左/右 滚动  r 刷新  q 返回  ? 帮助";
	sc->s.help = scores_help;
	sc->s.modal_full = true;
	sc->kind = xstrdup(kind);
	sc->case_id = xstrdup(case_id);
	sc->eid = xstrdup(eid ? eid : "0");
	score_tree_init(&sc->tree);
	client_push(cl, &sc->s);
	scores_reload(&sc->s);
}

/* ---------------------------------------------------------------- form screens */

/* A screen that is a form (the score form and the record forms): drawn
 * centred, the cursor in the focused field, Esc asks before typed text is
 * thrown away. */
struct fscreen {
	struct screen s;
	struct form form;
};

static void fscreen_draw(struct screen *s, WINDOW *w, int y, int x, int h, int width)
{
	struct fscreen *f = (struct fscreen *)s;
	int bw = width > 90 ? 90 : width;

	form_draw(&f->form, w, y, x + (width - bw) / 2, h, bw);
	if (s->cl->nmodal > 0 && s->cl->modal[s->cl->nmodal - 1] == s) {
		int cy, cx;

		getyx(w, cy, cx);
		client_cursor(s->cl, cy, cx);
	}
}

static bool fscreen_dirty(struct screen *s)
{
	return form_dirty(&((struct fscreen *)s)->form);
}

static void fscreen_discard_answered(struct client *cl, void *ctx, bool yes)
{
	struct fscreen *f = ctx;

	if (yes)
		f->s.closed = true;
	client_status(cl, false, yes ? "已放弃，未保存" : "继续填写");
}

/* A key for the form; true when the officer asked to save. */
static bool fscreen_key(struct screen *s, int ret, wint_t ch)
{
	struct fscreen *f = (struct fscreen *)s;

	switch (form_key(&f->form, ret, ch)) {
	case FORM_CANCEL:
		if (form_dirty(&f->form))
			client_push(s->cl, dialog_ask(s->cl, "放弃修改？", "表单里有尚未保存的内容。\n\n"
						      "按 y 放弃并返回，按 n 或 Esc 继续填写",
						      "y 放弃  n/Esc 继续填写", fscreen_discard_answered, f));
		else
			s->closed = true;
		return false;
	case FORM_SUBMIT:
		return true;
	default:
		return false;
	}
}

/* ---------------------------------------------------------------- one leaf */

/* The form for one leaf: the sides this officer may record. */
struct score_edit {
	struct fscreen fs;
	struct scores *sc;	/* the tree under this form (stays while we are open) */
	char *indicator_id, *version, *max, *title;
	bool has_self, has_acc;
	bool acc_after;		/* the acceptance side goes once the self side saved */
	bool saving;
};

static void score_edit_send(struct score_edit *e);

static void score_reapply_version(void *ctx, const PGresult *res, const struct db_error *err)
{
	struct score_edit *e = ctx;

	if (err != NULL) {
		char *t = record_error_text(err);

		form_set_message(&e->fs.form, t, true);
		free(t);
		return;
	}
	free(e->version);
	e->version = xstrdup(PQntuples(res) == 1 ? PQgetvalue(res, 0, 0) : "");
	score_edit_send(e);
}

/* The leaf's score row as it is now: $1 kind, $2 case, $3 indicator. */
static const char score_row_sql[] =
	"SELECT s.version::text, coalesce(trim_scale(s.self_score)::text, ''), coalesce(s.self_finding, ''), "
	"coalesce(trim_scale(s.acceptance_score)::text, ''), coalesce(s.acceptance_finding, '') "
	"FROM gb.evaluation_score s JOIN gb.evaluation v ON v.id = s.evaluation_id "
	"WHERE s.indicator_id = $3::bigint AND ((v.gb_case_id = $2::bigint AND $1 = 'gb') "
	"OR (v.demo_case_id = $2::bigint AND $1 = 'demo'))";

static void score_reloaded(void *ctx, const PGresult *res, const struct db_error *err)
{
	struct score_edit *e = ctx;
	static const char *const keys[4] = { "self_score", "self_finding", "acceptance_score",
					      "acceptance_finding" };

	if (err != NULL || PQntuples(res) != 1)
		return;
	free(e->version);
	e->version = xstrdup(PQgetvalue(res, 0, 0));
	for (int i = 0; i < 4; i++)
		if (form_field(&e->fs.form, keys[i]))
			form_reset_field(&e->fs.form, keys[i], PQgetvalue(res, 0, i + 1));
	form_set_message(&e->fs.form, "已重新载入对方保存的内容", false);
}

static void score_conflict_chosen(struct client *cl, void *ctx, bool reapply)
{
	struct score_edit *e = ctx;
	const char *params[3] = { e->sc->kind, e->sc->case_id, e->indicator_id };

	listen_send(cl->db, e, score_row_sql, 3, params, reapply ? score_reapply_version : score_reloaded, e);
}

static void score_side_send(struct score_edit *e, const char *which, const char *score_key,
			    const char *note_key);

static void score_saved(void *ctx, const PGresult *res, const struct db_error *err)
{
	struct score_edit *e = ctx;

	if (err != NULL) {
		char *t = record_error_text(err);

		e->saving = false;
		e->acc_after = false;
		if (strcmp(err->sqlstate, "GB004") == 0) {
			form_set_message(&e->fs.form, t, true);
			client_push(e->fs.s.cl, record_conflict(e->fs.s.cl, err, score_conflict_chosen, e));
		} else {
			if (strcmp(err->sqlstate, "GB006") == 0 && err->detail &&
			    strncmp(err->detail, "字段 ", strlen("字段 ")) == 0)
				form_set_error(&e->fs.form, err->detail + strlen("字段 "), err->message);
			form_set_message(&e->fs.form, t, true);
		}
		free(t);
		return;
	}
	free(e->version);
	e->version = xstrdup(PQgetvalue(res, 0, 1));
	if (e->acc_after) {	/* on top of the version the self side made */
		e->acc_after = false;
		score_side_send(e, "acceptance", "acceptance_score", "acceptance_finding");
		return;
	}
	e->saving = false;
	client_status(e->fs.s.cl, false, "已保存 %s 的得分（版本 %s）", e->title, e->version);
	e->fs.s.closed = true;
	scores_reload(&e->sc->s);
}

/* Save one side with the version as shown (none: a new score row). */
static void score_side_send(struct score_edit *e, const char *which, const char *score_key,
			    const char *note_key)
{
	char *score = form_value(&e->fs.form, score_key), *note = form_value(&e->fs.form, note_key);
	const char *params[7] = { e->sc->kind, e->sc->case_id, e->indicator_id,
				  e->version[0] ? e->version : NULL, which,
				  score[0] ? score : NULL, note };

	listen_send(e->fs.s.cl->db, e, "SELECT id::text, version::text FROM gb.score_save($1, $2::bigint, "
		    "$3::bigint, $4::int, $5, $6::numeric, $7)", 7, params, score_saved, e);
	free(score);
	free(note);
}

static bool side_changed(struct score_edit *e, const char *a, const char *b)
{
	struct form_field *fa = form_field(&e->fs.form, a), *fb = form_field(&e->fs.form, b);

	return (fa && form_field_changed(fa)) || (fb && form_field_changed(fb));
}

/* Send the changed sides: the self side first, the acceptance side after it. */
static void score_edit_send(struct score_edit *e)
{
	bool self = e->has_self && side_changed(e, "self_score", "self_finding");
	bool acc = e->has_acc && side_changed(e, "acceptance_score", "acceptance_finding");

	if (!self && !acc) {
		e->fs.s.closed = true;
		client_status(e->fs.s.cl, false, "未修改，已返回");
		return;
	}
	e->saving = true;
	form_set_message(&e->fs.form, "正在保存…", false);
	e->acc_after = self && acc;
	if (self)
		score_side_send(e, "self", "self_score", "self_finding");
	else
		score_side_send(e, "acceptance", "acceptance_score", "acceptance_finding");
}

/* Check both scores against the leaf's maximum. */
static bool score_edit_validate(struct score_edit *e)
{
	static const char *const keys[2] = { "self_score", "acceptance_score" };
	static const char *const labels[2] = { "自评分", "验收分" };
	bool ok = true;

	form_clear_errors(&e->fs.form);
	for (int i = 0; i < 2; i++) {
		char *v, *msg;

		if (form_field(&e->fs.form, keys[i]) == NULL)
			continue;
		v = form_value(&e->fs.form, keys[i]);
		msg = record_score_check(labels[i], v, e->max);
		if (msg) {
			form_set_error(&e->fs.form, keys[i], msg);
			form_set_message(&e->fs.form, msg, true);
			ok = false;
		}
		free(msg);
		free(v);
	}
	return ok;
}

static bool score_edit_key(struct screen *s, int ret, wint_t ch)
{
	struct score_edit *e = (struct score_edit *)s;

	if (fscreen_key(s, ret, ch) && !e->saving && score_edit_validate(e))
		score_edit_send(e);
	return true;
}

static void score_edit_destroy(struct screen *s)
{
	struct score_edit *e = (struct score_edit *)s;

	listen_cancel(s->cl->db, s);
	form_free(&e->fs.form);
	free(e->indicator_id);
	free(e->version);
	free(e->max);
	free(e->title);
	free(e);
}

static const struct screen_ops score_edit_ops = {
	.draw = fscreen_draw, .key = score_edit_key, .dirty = fscreen_dirty,
	.destroy = score_edit_destroy,
};

static const char *const score_edit_help[] = {
	"Tab / 下 / Enter\t下一项；Shift-Tab / 上：上一项",
	"F2 / Ctrl-S\t保存（在最后一项按 Enter 也保存）",
	"\t分数：不小于 0、不超过该项满分，最多两位小数；留空表示清除",
	"Esc\t放弃修改并返回",
	NULL,
};

static void score_edit_open(struct scores *sc, const struct score_line *l)
{
	struct client *cl = sc->s.cl;
	struct score_edit *e;
	char *title;

	if (l->level != 3) {
		client_status(cl, true, "只有第三级“考核内容”可以评分；项目和评价内容行是其下各项的小计");
		return;
	}
	if (!sc->may_self && !sc->may_acc) {
		char *t = xasprintf("自评分：%s\n验收分：%s", sc->why_self ? sc->why_self : "",
				    sc->why_acc ? sc->why_acc : "");

		client_push(cl, dialog_message(cl, "为什么不能评分（数据库规则说明）", t));
		free(t);
		return;
	}
	e = xcalloc(1, sizeof(*e));
	e->fs.s.ops = &score_edit_ops;
	e->fs.s.cl = cl;
	e->fs.s.keys = "Tab 下一项  F2/Ctrl-S 保存  Esc 放弃  ? 帮助";
	e->fs.s.help = score_edit_help;
	e->fs.s.modal_full = true;
	e->sc = sc;
	e->indicator_id = xstrdup(l->indicator_id);
	e->version = xstrdup(l->version);
	e->max = xstrdup(l->cells[SCORE_MAX]);
	e->title = xstrdup(l->cells[SCORE_CODE]);
	title = xasprintf("评分 %s %s（满分 %s）", l->cells[SCORE_CODE], l->cells[SCORE_TITLE] +
			  strspn(l->cells[SCORE_TITLE], " "), l->cells[SCORE_MAX]);
	form_init(&e->fs.form, title);
	free(title);
	e->has_self = sc->may_self;
	e->has_acc = sc->may_acc;
	if (e->has_self) {
		form_add(&e->fs.form, "self_score", "自评分", l->cells[SCORE_SELF], 10);
		form_add(&e->fs.form, "self_finding", "自评说明", l->cells[SCORE_SELF_NOTE], 200);
	}
	if (e->has_acc) {
		form_add(&e->fs.form, "acceptance_score", "验收分", l->cells[SCORE_ACC], 10);
		form_add(&e->fs.form, "acceptance_finding", "验收意见", l->cells[SCORE_ACC_NOTE], 200);
	}
	if (!e->has_acc && sc->why_acc && sc->why_acc[0]) {
		char *m = xasprintf("验收分：%s", sc->why_acc);

		form_set_message(&e->fs.form, m, false);
		free(m);
	}
	client_push(cl, &e->fs.s);
}

/* ================================================================ record forms */

enum rf_kind { RF_TEXT, RF_REQUIRED, RF_DATE, RF_DATE_OPT, RF_YESNO, RF_CHOICE };

/* One field: its key (the column the database names in GB006), label,
 * maximum characters, kind, choices ("label=code|…": the officer types the
 * number or the label) and initial text ("@today": today's date). */
struct rf_spec {
	const char *key, *label;
	size_t max;
	enum rf_kind kind;
	const char *choices;
	const char *initial;
};

/* A form: the statement takes the fixed parameters (the record's owner:
 * enterprise, 示范 case, or programme, case, kind and version of a
 * material), then the fields in order (NULL for empty).  With load_sql
 * ($1.. the fixed parameters but the version) the form opens with the
 * record as it is: its version, then the fields in order; the version is
 * the last fixed parameter, and GB004 opens the conflict dialog. */
struct rform_spec {
	const char *title;
	const struct rf_spec *fields;
	int nfields;
	const char *sql;
	const char *done;
	const char *load_sql;
};

static const struct rf_spec visit_fields[] = {
	{ "visited_on", "上门日期", 10, RF_DATE, NULL, "@today" },
	{ "staff_name", "服务人员", 30, RF_TEXT, NULL, "" },
	{ "summary", "服务内容", 200, RF_REQUIRED, NULL, "" },
};

static const struct rf_spec credit_fields[] = {
	{ "stage", "核查阶段", 8, RF_CHOICE,
	  "贯标申请=gb_apply|贯标验收=gb_acceptance|示范申报=demo_apply|动态监管=supervision", "贯标验收" },
	{ "source", "出具单位", 20, RF_CHOICE,
	  "江苏省公共信用信息中心=江苏省公共信用信息中心|苏州市公共信用信息中心=苏州市公共信用信息中心",
	  "江苏省公共信用信息中心" },
	{ "issued_on", "出具日期", 10, RF_DATE, NULL, "@today" },
	{ "report_no", "报告编号", 40, RF_TEXT, NULL, "" },
	{ "serious_dishonesty", "严重失信（是/否）", 1, RF_YESNO, NULL, "否" },
	{ "finding", "查询结果（有严重失信时必填）", 200, RF_TEXT, NULL, "" },
};

static const struct rf_spec event_fields[] = {
	{ "kind", "事项", 6, RF_CHOICE,
	  "发现问题=finding|限期整改=rectification|恢复资格=reinstatement|取消资格=revocation|通报=announcement",
	  "发现问题" },
	{ "occurred_on", "发生日期", 10, RF_DATE, NULL, "@today" },
	{ "deadline_on", "整改期限（限期整改必填）", 10, RF_DATE_OPT, NULL, "" },
	{ "outcome", "结果", 200, RF_TEXT, NULL, "" },
	{ "announcement_ref", "通报文号（通报必填）", 60, RF_TEXT, NULL, "" },
	{ "note", "备注", 200, RF_TEXT, NULL, "" },
};

static const struct rf_spec material_fields[] = {
	{ "status", "状态", 4, RF_CHOICE, "已收=received|缺=missing|不适用=not_applicable", "缺" },
	{ "received_on", "收到日期", 10, RF_DATE_OPT, NULL, "" },
	{ "issued_on", "出具日期", 10, RF_DATE_OPT, NULL, "" },
	{ "valid_until", "有效期至", 10, RF_DATE_OPT, NULL, "" },
	{ "ref", "编号", 60, RF_TEXT, NULL, "" },
};

#define NELEM(a) ((int)(sizeof(a) / sizeof((a)[0])))

static const struct rform_spec material_form = {
	"登记材料（日期 YYYY-MM-DD；已收未填收到日期为今天；有效期至留空按该材料的有效期计算）", material_fields, NELEM(material_fields),
	"SELECT id::text, version::text FROM gb.material_save($1, $2::bigint, $3, $4::int, $5, "
	"$6::date, $7::date, $8::date, $9)", "已登记材料",
	"SELECT coalesce(version::text, ''), CASE status WHEN 'received' THEN '已收' WHEN 'missing' "
	"THEN '缺' ELSE '不适用' END, coalesce(received_on::text, ''), coalesce(issued_on::text, ''), "
	"coalesce(valid_until::text, ''), coalesce(ref, '') FROM gb.v_material WHERE programme = $1 "
	"AND coalesce(gb_case_id, demo_case_id) = $2::bigint AND kind = $3",
};

static const struct rform_spec visit_form = {
	"登记上门服务", visit_fields, NELEM(visit_fields),
	"SELECT gb.visit_add($1::bigint, $2::date, $3, $4)::text", "已登记上门服务", NULL,
};
static const struct rform_spec credit_form = {
	"登记信用核查（社会法人信用信息查询报告）", credit_fields, NELEM(credit_fields),
	"SELECT gb.credit_check_add($1::bigint, $2, $3, $4::date, $5, $6::boolean, $7)::text",
	"已登记信用核查", NULL,
};
static const struct rform_spec event_form = {
	"登记示范监管事项", event_fields, NELEM(event_fields),
	"SELECT gb.demo_event_add($1::bigint, $2, $3::date, $4::date, $5, $6, $7)::text",
	"已登记示范监管事项", NULL,
};

#define RFORM_MAX_FIXED 4

struct rform {
	struct fscreen fs;
	const struct rform_spec *spec;
	char *fixed[RFORM_MAX_FIXED];	/* leading parameters; with load_sql the last is the version */
	int nfixed;
	bool loaded;
	bool saving;
	bool opening;			/* the record is on its way: keys wait */
	struct client_keys held;	/* keys typed while opening */
};

static void rform_submit(struct rform *r);

/* The code of the choice typed: its number (1-based) or its label; NULL
 * when neither.  Caller frees. */
static char *choice_code(const char *choices, const char *typed)
{
	char *copy = xstrdup(choices), *p = copy, *item, *found = NULL;
	int n = 0;

	while (found == NULL && (item = strsep(&p, "|")) != NULL) {
		char *eq = strchr(item, '=');
		char num[12];

		if (eq == NULL)
			continue;
		*eq = '\0';
		snprintf(num, sizeof(num), "%d", ++n);
		if (strcmp(typed, item) == 0 || strcmp(typed, num) == 0)
			found = xstrdup(eq + 1);
	}
	free(copy);
	return found;
}

/* "1 贯标申请 2 贯标验收 …" from the choices. */
static char *choice_list(const char *choices)
{
	char *copy = xstrdup(choices), *p = copy, *item, *out = xstrdup("");
	int n = 0;

	while ((item = strsep(&p, "|")) != NULL) {
		char *eq = strchr(item, '='), *t;

		if (eq)
			*eq = '\0';
		t = xasprintf("%s%s%d %s", out, n ? " " : "", n + 1, item);
		n++;
		free(out);
		out = t;
	}
	free(copy);
	return out;
}

/* The field's value for the statement, or NULL (empty); *msg set when it
 * is not valid.  Caller frees both. */
static char *rform_value(const struct rf_spec *f, const char *v, char **msg)
{
	struct tm tm;

	*msg = NULL;
	switch (f->kind) {
	case RF_REQUIRED:
		if (v[strspn(v, " ")] == '\0')
			*msg = xstrdup("不能为空");
		return v[0] ? xstrdup(v) : NULL;
	case RF_DATE:
	case RF_DATE_OPT:
		if (v[0] == '\0') {
			if (f->kind == RF_DATE)
				*msg = xstrdup("不能为空（YYYY-MM-DD）");
			return NULL;
		}
		if (!record_parse_date(v, &tm)) {
			*msg = xasprintf("日期应为 YYYY-MM-DD 且真实存在（现为“%s”）", v);
			return NULL;
		}
		return xstrdup(v);
	case RF_YESNO:
		if (strcmp(v, "是") == 0 || strcmp(v, "否") == 0)
			return xstrdup(strcmp(v, "是") == 0 ? "true" : "false");
		*msg = xasprintf("请填“是”或“否”（现为“%s”）", v);
		return NULL;
	case RF_CHOICE: {
		char *code = choice_code(f->choices, v);

		if (code == NULL) {
			char *list = choice_list(f->choices);

			*msg = xasprintf("请填编号或名称：%s（现为“%s”）", list, v);
			free(list);
		}
		return code;
	}
	case RF_TEXT:
	default:
		return v[0] ? xstrdup(v) : NULL;
	}
}

/* The record as it is now: take its version; fill the fields too unless
 * the officer's text is to be saved on top of it. */
static void rform_fill(struct rform *r, const PGresult *res, bool fields)
{
	free(r->fixed[r->nfixed - 1]);
	r->fixed[r->nfixed - 1] = xstrdup(PQgetvalue(res, 0, 0));
	for (int i = 0; fields && i < r->spec->nfields && i + 1 < PQnfields(res); i++)
		form_reset_field(&r->fs.form, r->spec->fields[i].key, PQgetvalue(res, 0, i + 1));
	r->loaded = true;
}

static void rform_loaded(void *ctx, const PGresult *res, const struct db_error *err)
{
	struct rform *r = ctx;

	if (err != NULL || PQntuples(res) != 1) {
		char *t = err ? record_error_text(err) : xstrdup("找不到该记录（可能无权查看）");

		form_set_message(&r->fs.form, t, true);
		free(t);
	} else {
		rform_fill(r, res, true);
	}
	/* What was typed while the record came acts now, on top of it, in
	 * order (filling the fields would otherwise have replaced it). */
	r->opening = false;
	client_keys_release(&r->held, r->fs.s.cl);
}

static void rform_reapply_loaded(void *ctx, const PGresult *res, const struct db_error *err)
{
	struct rform *r = ctx;

	if (err != NULL || PQntuples(res) != 1) {
		form_set_message(&r->fs.form, "无法读取最新版本", true);
		return;
	}
	rform_fill(r, res, false);
	rform_submit(r);
}

static void rform_load(struct rform *r, listen_done_fn done)
{
	listen_send(r->fs.s.cl->db, r, r->spec->load_sql, r->nfixed - 1, (const char *const *)r->fixed,
		    done, r);
}

static void rform_conflict_chosen(struct client *cl, void *ctx, bool reapply)
{
	struct rform *r = ctx;

	rform_load(r, reapply ? rform_reapply_loaded : rform_loaded);
	if (!reapply)
		form_set_message(&r->fs.form, "已重新载入对方保存的内容", false);
}

static void rform_saved(void *ctx, const PGresult *res, const struct db_error *err)
{
	struct rform *r = ctx;
	char *t;

	r->saving = false;
	if (err == NULL) {
		client_status(r->fs.s.cl, false, "%s（编号 %s）", r->spec->done, PQgetvalue(res, 0, 0));
		r->fs.s.closed = true;
		return;
	}
	t = record_error_text(err);
	if (strcmp(err->sqlstate, "GB006") == 0 && err->detail &&
	    strncmp(err->detail, "字段 ", strlen("字段 ")) == 0)
		form_set_error(&r->fs.form, err->detail + strlen("字段 "), err->message);
	form_set_message(&r->fs.form, t, true);
	client_status(r->fs.s.cl, true, "未能保存：%s", t);
	if (strcmp(err->sqlstate, "GB004") == 0 && r->spec->load_sql)
		client_push(r->fs.s.cl, record_conflict(r->fs.s.cl, err, rform_conflict_chosen, r));
	free(t);
}

/* Check every field and send the statement; messages name the field. */
static void rform_submit(struct rform *r)
{
	const struct rform_spec *sp = r->spec;
	char **vals = xcalloc((size_t)sp->nfields + 1, sizeof(char *));
	const char **params = xcalloc((size_t)sp->nfields + RFORM_MAX_FIXED + 1, sizeof(char *));
	bool ok = true;

	form_clear_errors(&r->fs.form);
	for (int i = 0; i < sp->nfields; i++) {
		char *v = form_value(&r->fs.form, sp->fields[i].key), *msg;

		vals[i] = rform_value(&sp->fields[i], v, &msg);
		if (msg) {
			form_set_error(&r->fs.form, sp->fields[i].key, msg);
			if (ok)
				r->fs.form.focus = i;
			ok = false;
		}
		free(msg);
		free(v);
		params[r->nfixed + i] = vals[i];
	}
	/* A serious dishonesty finding needs its words (the database says so too). */
	if (ok && sp == &credit_form && vals[4] && strcmp(vals[4], "true") == 0 && vals[5] == NULL) {
		form_set_error(&r->fs.form, "finding", "有严重失信记录时须写明查询结果");
		ok = false;
	}
	if (ok) {
		for (int i = 0; i < r->nfixed; i++)
			params[i] = r->fixed[i] && r->fixed[i][0] ? r->fixed[i] : NULL;
		r->saving = true;
		form_set_message(&r->fs.form, "正在保存…", false);
		listen_send(r->fs.s.cl->db, r, sp->sql, sp->nfields + r->nfixed, params, rform_saved, r);
	} else {
		form_set_message(&r->fs.form, "有字段需要改正（见红字）", true);
	}
	for (int i = 0; i < sp->nfields; i++)
		free(vals[i]);
	free(vals);
	free(params);
}

static bool rform_key(struct screen *s, int ret, wint_t ch)
{
	struct rform *r = (struct rform *)s;

	/* While the record is on its way keys wait for it (Esc alone still
	 * leaves at once, nothing being typed yet). */
	if (r->opening && (r->held.n > 0 || !(ret == OK && ch == 27))) {
		client_keys_hold(&r->held, ret, ch);
		return true;
	}
	if (fscreen_key(s, ret, ch) && !r->saving && (r->loaded || r->spec->load_sql == NULL))
		rform_submit(r);
	return true;
}

static void rform_destroy(struct screen *s)
{
	struct rform *r = (struct rform *)s;

	listen_cancel(s->cl->db, s);
	form_free(&r->fs.form);
	for (int i = 0; i < r->nfixed; i++)
		free(r->fixed[i]);
	free(r->held.keys);
	free(r);
}

static const struct screen_ops rform_ops = {
	.draw = fscreen_draw, .key = rform_key, .dirty = fscreen_dirty, .destroy = rform_destroy,
};

static const char *const rform_help[] = {
	"Tab / 下 / Enter\t下一项；Shift-Tab / 上：上一项",
	"F2 / Ctrl-S\t保存（在最后一项按 Enter 也保存）",
	"\t有编号的选项可填编号或名称；日期为 YYYY-MM-DD，不能晚于今天",
	"Esc\t放弃并返回",
	NULL,
};

/* Open the form with n fixed parameters (with load_sql: the record's keys
 * and an empty version, filled from the database). */
static void rform_open_n(struct client *cl, const struct rform_spec *sp, int n,
			 const char *const *fixed)
{
	struct rform *r = xcalloc(1, sizeof(*r));
	char today[16];
	time_t now = time(NULL);
	struct tm tm;

	localtime_r(&now, &tm);
	strftime(today, sizeof(today), "%Y-%m-%d", &tm);
	r->fs.s.ops = &rform_ops;
	r->fs.s.cl = cl;
	r->fs.s.keys = "Tab 下一项  F2/Ctrl-S 保存  Esc 放弃  ? 帮助";
	r->fs.s.help = rform_help;
	r->fs.s.modal_full = true;
	r->spec = sp;
	for (int i = 0; i < n && i < RFORM_MAX_FIXED; i++)
		r->fixed[r->nfixed++] = xstrdup(fixed[i] ? fixed[i] : "");
	form_init(&r->fs.form, sp->title);
	for (int i = 0; i < sp->nfields; i++) {
		const struct rf_spec *f = &sp->fields[i];
		char *list = f->kind == RF_CHOICE ? choice_list(f->choices) : NULL;
		char *label = list ? xasprintf("%s（%s）", f->label, list) : xstrdup(f->label);

		form_add(&r->fs.form, f->key, label, strcmp(f->initial, "@today") == 0 ? today : f->initial,
			 f->max);
		free(label);
		free(list);
	}
	client_push(cl, &r->fs.s);
	if (sp->load_sql) {
		r->opening = true;
		rform_load(r, rform_loaded);
	}
}

static void rform_open(struct client *cl, const struct rform_spec *sp, const char *owner)
{
	rform_open_n(cl, sp, 1, &owner);
}

/* ================================================================ menu, why */

struct rec_ctx {
	char *eid, *demo_case;
};

static void rec_ctx_free(struct rec_ctx *c)
{
	free(c->eid);
	free(c->demo_case);
	free(c);
}

/* Looking up the case a record belongs to. */
struct case_lookup {
	struct client *cl;
	char *eid;
	bool demo_event;	/* open the event form, else the score tree */
};

static void case_found(void *ctx, const PGresult *res, const struct db_error *err)
{
	struct case_lookup *c = ctx;

	if (err != NULL) {
		char *t = record_error_text(err);

		client_status(c->cl, true, "%s", t);
		free(t);
	} else if (PQntuples(res) == 0) {
		client_status(c->cl, true, c->demo_event ? "该企业没有示范案件，没有可登记的监管事项" :
			      "该企业本年度没有贯标或示范案件，没有可评分的评价");
	} else if (c->demo_event) {
		rform_open(c->cl, &event_form, PQgetvalue(res, 0, 1));
	} else {
		record_scores_open(c->cl, PQgetvalue(res, 0, 0), PQgetvalue(res, 0, 1), c->eid);
	}
	free(c->eid);
	free(c);
}

/* The case of this year's 贯标 (else the enterprise's latest 示范 case) for
 * the score tree, or the latest 示范 case for a supervision event. */
static void lookup_case(struct client *cl, const char *eid, bool demo_event)
{
	struct case_lookup *c = xcalloc(1, sizeof(*c));
	const char *params[3] = { eid, cl->year, demo_event ? "t" : "f" };

	c->cl = cl;
	c->eid = xstrdup(eid);
	c->demo_event = demo_event;
	listen_send(cl->db, cl, "SELECT * FROM (SELECT 'gb' AS k, id::text, 0 AS o FROM gb.gb_case "
		    "WHERE enterprise_id = $1::bigint AND year = $2::int AND NOT $3::boolean "
		    "UNION ALL (SELECT 'demo', id::text, 1 FROM gb.demo_case WHERE enterprise_id = $1::bigint "
		    "ORDER BY year DESC, id DESC LIMIT 1)) q ORDER BY o LIMIT 1", 3, params, case_found, c);
}

static void rec_picked(struct client *cl, void *ctx, const char *value, const char *label)
{
	struct rec_ctx *c = ctx;

	if (value == NULL) {
		rec_ctx_free(c);
		return;
	}
	if (strncmp(value, "no\t", 3) == 0) {
		client_push(cl, dialog_message(cl, "为什么不能（数据库规则说明）", value + 3));
	} else if (strcmp(value, "visit") == 0) {
		rform_open(cl, &visit_form, c->eid);
	} else if (strcmp(value, "credit_check") == 0) {
		rform_open(cl, &credit_form, c->eid);
	} else if (strcmp(value, "demo_event") == 0) {
		if (c->demo_case)
			rform_open(cl, &event_form, c->demo_case);
		else
			lookup_case(cl, c->eid, true);
	} else if (strcmp(value, "scores") == 0) {
		if (c->demo_case)	/* picked on a 示范 case's line: its evaluation */
			record_scores_open(cl, "demo", c->demo_case, c->eid);
		else
			lookup_case(cl, c->eid, false);
	}
	rec_ctx_free(c);
}

/* (value, label) of the 登记 menu: what may be recorded, or "no\treason"
 * with the reason in the label. */
static const char rec_menu_sql[] =
	"SELECT v, l FROM (SELECT 0 AS n, CASE WHEN bool_or(ok) THEN 'scores' ELSE 'no' || E'\\t' || "
	" string_agg(label || '：' || reason, E'\\n') END AS v, '评分表（自评分、验收分）' || "
	" CASE WHEN bool_or(ok) THEN '' ELSE '（不能）' END AS l FROM gb.record_rights($1::bigint) "
	" WHERE what LIKE 'score%' "
	"UNION ALL SELECT CASE what WHEN 'visit' THEN 1 WHEN 'credit_check' THEN 2 ELSE 3 END, "
	" CASE WHEN ok THEN what ELSE 'no' || E'\\t' || reason END, label || CASE WHEN ok THEN '' "
	" ELSE '（不能）' END FROM gb.record_rights($1::bigint) "
	" WHERE what IN ('visit', 'credit_check', 'demo_event')) q ORDER BY n";

void record_menu(struct client *cl, const char *eid, const char *tag)
{
	struct rec_ctx *c = xcalloc(1, sizeof(*c));
	const char *params[1] = { eid };
	struct screen *m;

	c->eid = xstrdup(eid);
	if (tag && strncmp(tag, "demo:", 5) == 0)
		c->demo_case = xstrdup(tag + 5);
	m = dialog_menu(cl, "登记（数据库允许时）", rec_picked, c);
	dialog_menu_load(m, rec_menu_sql, 1, params);
	client_push(cl, m);
}

bool record_line(struct client *cl, const char *eid, const char *tag)
{
	if (tag == NULL)
		return false;
	if (strncmp(tag, "scores:", 7) == 0) {
		char *kind = xstrdup(tag + 7), *colon = strchr(kind, ':');

		if (colon) {
			*colon = '\0';
			record_scores_open(cl, kind, colon + 1, eid);
		}
		free(kind);
		return colon != NULL;
	}
	if (strncmp(tag, "demo:", 5) == 0) {
		if (!client_refuse_act(cl))
			record_menu(cl, eid, tag);
		return true;
	}
	if (strncmp(tag, "mat:", 4) == 0) {
		/* mat:KIND:ID:VERSION:STATUS:PROGRAMME:CASE */
		char *copy = xstrdup(tag), *p = copy, *f[7] = { NULL };
		int n = 0;

		while (n < 7 && (f[n] = strsep(&p, ":")) != NULL)
			n++;
		if (n == 7 && !client_refuse_act(cl)) {
			const char *fixed[4] = { f[5], f[6], f[1], "" };

			rform_open_n(cl, &material_form, 4, fixed);
		}
		free(copy);
		return n == 7;
	}
	return false;
}

/* Why not: the database's explanation for the target, each rule as ✓ or ✗
 * with its Chinese reason; the rule's code is for programs, not officers. */
static void explained(void *ctx, const PGresult *res, const struct db_error *err)
{
	struct client *cl = ctx;
	char *text = xstrdup("");

	if (err != NULL) {
		free(text);
		text = record_error_text(err);
	}
	for (int i = 0; err == NULL && i < PQntuples(res); i++) {
		bool ok = db_is_true(PQgetvalue(res, i, 1));
		char *t = xasprintf("%s%s%s %s", text, i ? "\n" : "", ok ? "✓" : "✗",
				    PQgetvalue(res, i, 2)[0] ? PQgetvalue(res, i, 2) : ok ? "符合" : "不符合");

		free(text);
		text = t;
	}
	client_push(cl, dialog_message(cl, "为什么（数据库规则说明）", text[0] ? text : "（没有规则）"));
	free(text);
}

void record_explain(struct client *cl, const char *eid, const char *target)
{
	const char *params[3] = { eid, target, cl->year };

	listen_send(cl->db, cl, "SELECT rule, ok::text, coalesce(reason, '') "
		    "FROM gb.explain($1::bigint, $2, $3::int)", 3, params, explained, cl);
}

/* What this officer may record, each as ✓ or ✗ with the reason. */
static void rights_explained(void *ctx, const PGresult *res, const struct db_error *err)
{
	struct client *cl = ctx;
	char *text = err ? record_error_text(err) : xstrdup("");

	for (int i = 0; err == NULL && i < PQntuples(res); i++) {
		bool ok = db_is_true(PQgetvalue(res, i, 1));
		char *t = xasprintf("%s%s%s %s%s%s", text, i ? "\n" : "", ok ? "✓" : "✗",
				    PQgetvalue(res, i, 0), ok ? "：可以" : "：不能，", PQgetvalue(res, i, 2));

		free(text);
		text = t;
	}
	client_push(cl, dialog_message(cl, "我能为该企业登记什么（数据库规则说明）", text));
	free(text);
}

static void why_picked(struct client *cl, void *ctx, const char *value, const char *label)
{
	char *eid = ctx;

	if (value != NULL && strcmp(value, "rights") == 0) {
		const char *params[1] = { eid };

		listen_send(cl->db, cl, "SELECT label, ok::text, coalesce(reason, '') "
			    "FROM gb.record_rights($1::bigint)", 1, params, rights_explained, cl);
	} else if (value != NULL) {
		record_explain(cl, eid, value);
	}
	free(eid);
}

void record_why(struct client *cl, const char *eid)
{
	struct screen *m = dialog_menu(cl, "为什么（不）能：数据库的规则说明", why_picked, xstrdup(eid));

	dialog_menu_add(m, "gb_apply", "为什么（不）能申请贯标？");
	dialog_menu_add(m, "gb_acceptance", "为什么（不）能申请验收？");
	dialog_menu_add(m, "demo_suzhou", "为什么（不）能推荐苏州市级示范？");
	dialog_menu_add(m, "demo_province", "为什么（不）能推荐江苏省级示范？");
	dialog_menu_add(m, "rights", "我能为该企业登记什么？（评分、材料、上门服务、信用核查、监管事项）");
	client_push(cl, m);
}
