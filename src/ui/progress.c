#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"
#include "ui/client.h"
#include "ui/draw.h"
#include "ui/panels.h"
#include "ui/progress.h"
#include "ui/table.h"
#include "ui/term.h"

/* Columns of gb.v_district_progress we show, in this order. */
enum { P_NAME, P_QUOTA, P_APPLIED, P_ENROLLED, P_IMPL, P_ACCREQ, P_PASSED, P_PCT, P_DQUOTA,
       P_DOPEN, P_DDESIG, P_OVERDUE, P_NCOLS, P_ID = P_NCOLS, P_NFIELDS };

/* 区镇 is 14 wide: the longest district name (花桥经济开发区) is never cut,
 * however narrow the terminal; the figures scroll sideways instead. */
static const struct table_col progress_tcols[P_NCOLS] = {
	{ "区镇", 14, WIDTH_LEFT }, { "贯标指标", 8, WIDTH_RIGHT }, { "已申请", 6, WIDTH_RIGHT },
	{ "已入选", 6, WIDTH_RIGHT }, { "实施中", 6, WIDTH_RIGHT }, { "申请验收", 8, WIDTH_RIGHT },
	{ "已通过", 6, WIDTH_RIGHT }, { "完成率", 17, WIDTH_LEFT }, { "示范指标", 8, WIDTH_RIGHT },
	{ "示范在办", 8, WIDTH_RIGHT }, { "已命名", 6, WIDTH_RIGHT }, { "逾期", 4, WIDTH_RIGHT },
};

static const char *const progress_help[] = {
	"每个区镇一行：贯标指标、已申请、已入选、实施中、申请验收、已通过、完成率，示范数；最后一行合计",
	"上方一行：接下来的期限和剩余天数（逾期的醒目显示）",
	"Enter\t查看该区镇的企业（企业面板，按区镇筛选）",
	"上/下 j k\t移动一行",
	"PgUp PgDn\t上一页、下一页",
	"g G\t到第一行、到合计行（也可用 Home End）",
	"左/右 h l\t窗口窄时左右滚动各列",
	NULL,
};

struct deadline {
	char *label, *due, *days;
};

struct progress {
	struct screen s;
	struct table table;
	char *(*rows)[P_NFIELDS];	/* districts, then the 合计 row */
	int nrows;
	struct deadline *dl;
	int ndl;
	char *error;
	char bar[64];
	int body_rows;
};

static void free_rows(struct progress *p)
{
	for (int r = 0; r < p->nrows; r++)
		for (int c = 0; c < P_NFIELDS; c++)
			free(p->rows[r][c]);
	XFREE(p->rows);
	p->nrows = 0;
}

static void free_deadlines(struct progress *p)
{
	for (int i = 0; i < p->ndl; i++) {
		free(p->dl[i].label);
		free(p->dl[i].due);
		free(p->dl[i].days);
	}
	XFREE(p->dl);
	p->ndl = 0;
}

/* The completion column: a bar of # and - (readable without colour) and %. */
static const char *bar_text(struct progress *p, const char *pct)
{
	double v = atof(pct);
	int filled = (int)(v / 10.0 + 0.5);

	if (filled > 10)
		filled = 10;
	if (filled < 0)
		filled = 0;
	for (int i = 0; i < 10; i++)
		p->bar[i] = i < filled ? '#' : '-';
	snprintf(p->bar + 10, sizeof(p->bar) - 10, " %5.1f%%", v);
	return p->bar;
}

static const char *progress_cell(void *ctx, int row, int col)
{
	struct progress *p = ctx;

	if (col == P_PCT)
		return bar_text(p, p->rows[row][P_PCT]);
	return p->rows[row][col];
}

static attr_t progress_row_attr(void *ctx, int row)
{
	struct progress *p = ctx;

	return row == p->nrows - 1 ? A_BOLD : term_theme.normal;
}

/* The 合计 row: sums of every count, completion from the sums.  The
 * 示范 figure is city-wide (districts have none): city_demo is the
 * programme's, used when the districts' figures add up to nothing. */
static void add_total(struct progress *p, const char *city_demo)
{
	long long sum[P_NCOLS] = { 0 };
	int r = p->nrows;

	for (int i = 0; i < r; i++)
		for (int c = P_QUOTA; c < P_NCOLS; c++)
			sum[c] += atoll(p->rows[i][c]);
	p->rows = xreallocarray(p->rows, (size_t)r + 1, sizeof(*p->rows));
	p->rows[r][P_NAME] = xstrdup("合计");
	for (int c = P_QUOTA; c < P_NCOLS; c++)
		p->rows[r][c] = xasprintf("%lld", sum[c]);
	free(p->rows[r][P_PCT]);
	p->rows[r][P_PCT] = xasprintf("%.1f", sum[P_QUOTA] > 0 ?
				      100.0 * (double)sum[P_PASSED] / (double)sum[P_QUOTA] : 0.0);
	if (sum[P_DQUOTA] == 0 && city_demo != NULL) {
		free(p->rows[r][P_DQUOTA]);
		p->rows[r][P_DQUOTA] = xstrdup(city_demo);
	}
	p->rows[r][P_ID] = xstrdup("");
	p->nrows = r + 1;
}

static void progress_loaded(void *ctx, const PGresult *res, const struct db_error *err)
{
	struct progress *p = ctx;
	int n;

	free_rows(p);
	XFREE(p->error);
	if (err != NULL) {
		p->error = db_error_text(err);
		return;
	}
	n = PQntuples(res);
	p->rows = xcalloc((size_t)n + 1, sizeof(*p->rows));
	for (int r = 0; r < n; r++)
		for (int c = 0; c < P_NFIELDS; c++)
			/* A district without its own 示范 figure shows none, not 0. */
			p->rows[r][c] = xstrdup(!PQgetisnull(res, r, c) ? PQgetvalue(res, r, c) :
						c == P_DQUOTA ? "" : "0");
	p->nrows = n;
	add_total(p, n > 0 && !PQgetisnull(res, 0, P_NFIELDS) ? PQgetvalue(res, 0, P_NFIELDS) : NULL);
	p->table.nrows = p->nrows;
}

static void deadlines_loaded(void *ctx, const PGresult *res, const struct db_error *err)
{
	struct progress *p = ctx;

	free_deadlines(p);
	if (err != NULL)
		return;
	p->ndl = PQntuples(res);
	p->dl = xcalloc((size_t)p->ndl + 1, sizeof(*p->dl));
	for (int i = 0; i < p->ndl; i++) {
		p->dl[i].label = xstrdup(PQgetvalue(res, i, 0));
		p->dl[i].due = xstrdup(PQgetvalue(res, i, 1));
		p->dl[i].days = xstrdup(PQgetvalue(res, i, 2));
	}
}

static void progress_reload(struct screen *s)
{
	const char *params[1] = { s->cl->year };

	listen_send(s->cl->db, s,
		    "SELECT name, quota_gb, applied, enrolled, implementing, acceptance_requested, "
		    "passed, completion_pct, quota_demo, demo_open, demo_designated, overdue, "
		    "district_id, (SELECT py.demo_suzhou_quota FROM gb.programme_year py "
		    "WHERE py.year = $1::int) FROM gb.v_district_progress WHERE year = $1::int "
		    "ORDER BY sort_order, district_id", 1, params, progress_loaded, s);
	listen_send(s->cl->db, s,
		    "SELECT label, to_char(due_on, 'MM-DD'), days_left FROM gb.v_deadlines "
		    "WHERE year = $1::int ORDER BY days_left < 0, abs(days_left) LIMIT 6",
		    1, params, deadlines_loaded, s);
}

/* The strip of next deadlines, overdue ones in their own style. */
static void draw_deadlines(struct progress *p, WINDOW *w, int y, int x, int width)
{
	int cx = x;

	draw_fill(w, y, x, width, term_theme.normal);
	cx += draw_text(w, y, cx, "期限：", 0, (size_t)width, A_BOLD);
	if (p->ndl == 0)
		draw_text(w, y, cx, "（本年度没有登记期限）", 0, (size_t)(width - (cx - x)), term_theme.dim);
	/* Whole items only: a date cut to "07-" would read as a date; "…" says more follow. */
	for (int i = 0; i < p->ndl && cx < x + width; i++) {
		int d = atoi(p->dl[i].days);
		char *t = d < 0 ? xasprintf("%s %s（逾期%d天）", p->dl[i].label, p->dl[i].due, -d)
				: xasprintf("%s %s（剩%d天）", p->dl[i].label, p->dl[i].due, d);
		int left = width - (cx - x);
		bool last = i == p->ndl - 1;

		if ((int)draw_cols(t) + (last ? 0 : 3) > left) {
			free(t);
			draw_text(w, y, cx, "…", 0, (size_t)left, term_theme.dim);
			break;
		}
		cx += draw_text(w, y, cx, t, 0, (size_t)left,
				d < 0 ? term_theme.overdue : d <= 7 ? term_theme.warn : term_theme.normal);
		cx += draw_text(w, y, cx, "  ", 0, (size_t)(width - (cx - x)), term_theme.normal);
		free(t);
	}
}

static void progress_draw(struct screen *s, WINDOW *w, int y, int x, int h, int width)
{
	struct progress *p = (struct progress *)s;

	draw_deadlines(p, w, y, x, width);
	p->body_rows = h - 3;
	p->table.nrows = p->nrows;
	table_draw(&p->table, w, y + 1, x, h - 1, width);
	if (p->error)
		draw_line(w, y + h - 1, x, width, p->error, term_theme.error);
}

/* Enter: the enterprises of the district under the cursor.  A district
 * officer sees only the own district's (row security): another district
 * would show an empty list, as if it had none, so say why instead. */
static void open_district(struct progress *p)
{
	struct client *cl = p->s.cl;
	int r = p->table.cursor;

	if (r < 0 || r >= p->nrows)
		return;
	if (r == p->nrows - 1) {
		client_status(cl, false, "合计行：按 2 查看全部企业");
		return;
	}
	if (client_role_is(cl, "district") && cl->district_id != NULL &&
	    strcmp(cl->district_id, p->rows[r][P_ID]) != 0) {
		client_status(cl, false, "只能查看本区镇（%s）的企业；%s的数字仅供对照",
			      cl->district_name ? cl->district_name : "", p->rows[r][P_NAME]);
		return;
	}
	panels_show_district(cl, p->rows[r][P_ID], p->rows[r][P_NAME]);
}

static bool progress_key(struct screen *s, int ret, wint_t ch)
{
	struct progress *p = (struct progress *)s;
	struct table *t = &p->table;

	if ((ret == KEY_CODE_YES && ch == KEY_DOWN) || (ret == OK && ch == 'j'))
		t->cursor++;
	else if ((ret == KEY_CODE_YES && ch == KEY_UP) || (ret == OK && ch == 'k'))
		t->cursor--;
	else if ((ret == KEY_CODE_YES && ch == KEY_HOME) || (ret == OK && ch == 'g'))
		t->cursor = 0;
	else if ((ret == KEY_CODE_YES && ch == KEY_END) || (ret == OK && ch == 'G'))
		t->cursor = p->nrows - 1;
	else if ((ret == KEY_CODE_YES && ch == KEY_NPAGE) || (ret == OK && ch == 6))
		t->cursor += p->body_rows > 1 ? p->body_rows - 1 : 1;
	else if ((ret == KEY_CODE_YES && ch == KEY_PPAGE) || (ret == OK && ch == 2))
		t->cursor -= p->body_rows > 1 ? p->body_rows - 1 : 1;
	else if ((ret == KEY_CODE_YES && ch == KEY_LEFT) || (ret == OK && ch == 'h'))
		table_hscroll_col(t, -1, COLS);
	else if ((ret == KEY_CODE_YES && ch == KEY_RIGHT) || (ret == OK && ch == 'l'))
		table_hscroll_col(t, 1, COLS);
	else if (screen_key_enter(ret, ch)) {
		open_district(p);
	} else {
		return false;
	}
	table_follow(t, p->body_rows);
	return true;
}

static void progress_changed(struct screen *s, const char *table, long long id)
{
	if (strcmp(table, "gb_case") == 0 || strcmp(table, "demo_case") == 0 ||
	    strcmp(table, "district_year") == 0 || strcmp(table, "enterprise") == 0)
		progress_reload(s);
}

static void progress_destroy(struct screen *s)
{
	struct progress *p = (struct progress *)s;

	listen_cancel(s->cl->db, s);
	free_rows(p);
	free_deadlines(p);
	table_free(&p->table);
	free(p->error);
	free(p);
}

static const struct screen_ops progress_ops = {
	.draw = progress_draw, .key = progress_key, .changed = progress_changed,
	.reload = progress_reload, .destroy = progress_destroy,
};

struct screen *progress_new(struct client *cl)
{
	struct progress *p = xcalloc(1, sizeof(*p));

	p->s.ops = &progress_ops;
	p->s.cl = cl;
	p->s.keys = "Enter 该区镇的企业  1-6 面板  Y 年度  : 查找  r 刷新  ? 帮助  Q 退出";
	p->s.help = progress_help;
	p->table.cols = progress_tcols;
	p->table.ncols = P_NCOLS;
	p->table.frozen = 1;
	p->table.fit = true;
	p->table.sort_col = -1;
	p->table.cur_col = -1;
	p->table.cell = progress_cell;
	p->table.row_attr = progress_row_attr;
	p->table.ctx = p;
	p->body_rows = 20;
	return &p->s;
}
