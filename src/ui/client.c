#include "config.h"

#include <errno.h>
#include <langinfo.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/width.h"
#include "core/xalloc.h"
#include "db/db.h"
#include "ui/client.h"
#include "ui/dialog.h"
#include "ui/draw.h"
#include "ui/panels.h"
#include "ui/term.h"

static const char *const panel_names[CLIENT_PANELS] = {
	"区镇指标", "企业", "待办", "示范", "机构", "动态",
};

/* Keys that work on every panel, for the help overlay. */
static const char *const global_help[] = {
	"1-6 / Tab / Shift-Tab\t切换面板：区镇指标 企业 待办 示范 机构 动态",
	":\t快速查找企业（统一社会信用代码或名称）",
	"Y\t切换计划年度",
	"r\t刷新",
	"? / F1\t本帮助（在表单和输入框里 ? 是文字，用 F1）",
	"q / Esc\t返回（在面板上不退出）",
	"Q / F10\t退出",
	"Ctrl-L\t重画屏幕",
	"m\t消息记录：状态行最近的消息全文（状态行放不下时以 … 结尾）",
	"",
	"NO_COLOR=1\t环境变量：不用颜色（单色终端）",
	"GUANBIAO_ASCII=1\t环境变量：边框用 ASCII 字符",
	"GUANBIAO_AMBIGUOUS_WIDE=1\t环境变量：终端把 ①×※“” 等显示为双宽时设置，列宽按双宽计算",
	NULL,
};

/* Over a screen on top of a panel (a record, a case, a menu, a message):
 * only these of the panel keys still work there. */
static const char *const modal_help[] = {
	"1-6\t关闭这里，切换到面板：区镇指标 企业 待办 示范 机构 动态",
	"? / F1\t本帮助",
	"Q / F10\t退出",
	"Ctrl-L\t重画屏幕",
	"m\t消息记录：状态行最近的消息全文",
	NULL,
};

/* Over a screen that takes typed text (a form, a prompt): ?, digits and
 * letters are text there. */
static const char *const text_help[] = {
	"F1\t本帮助（这里 ? 和数字是输入的文字）",
	"F10\t退出（有尚未保存的输入时先问）",
	"Ctrl-L\t重画屏幕",
	NULL,
};

/* Keep msg, with the time, for the message history (m): a long one is
 * cut on the status line. */
static void log_status(struct client *cl, const char *msg)
{
	time_t now = time(NULL);
	struct tm tm;
	char at[16];

	localtime_r(&now, &tm);
	strftime(at, sizeof(at), "%H:%M:%S", &tm);
	if (cl->nstatus_log == CLIENT_STATUS_LOG) {
		free(cl->status_log[0]);
		memmove(cl->status_log, cl->status_log + 1,
			(CLIENT_STATUS_LOG - 1) * sizeof(cl->status_log[0]));
		cl->nstatus_log--;
	}
	cl->status_log[cl->nstatus_log++] = xasprintf("%s\t%s", at, msg);
}

void client_status(struct client *cl, bool error, const char *fmt, ...)
{
	va_list ap;
	char *s;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	s = xmalloc((size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(s, (size_t)n + 1, fmt, ap);
	va_end(ap);
	free(cl->status);
	cl->status = s;
	cl->status_error = error;
	log_status(cl, s);
}

void client_free_status(struct client *cl)
{
	XFREE(cl->status);
	for (int i = 0; i < cl->nstatus_log; i++)
		free(cl->status_log[i]);
	cl->nstatus_log = 0;
}

void client_push(struct client *cl, struct screen *s)
{
	if (cl->nmodal == CLIENT_MAX_MODAL) {
		s->ops->destroy(s);
		return;
	}
	cl->modal[cl->nmodal++] = s;
}

void client_show_panel(struct client *cl, int i)
{
	if (i < 0 || i >= CLIENT_PANELS)
		return;
	cl->active = i;
	/* A panel asks the server for its rows the first time it is shown. */
	if (!cl->panel_loaded[i] && cl->panels[i] && cl->panels[i]->ops->reload) {
		cl->panel_loaded[i] = true;
		cl->panels[i]->ops->reload(cl->panels[i]);
	}
}

void client_cursor(struct client *cl, int y, int x)
{
	cl->cursor_y = y;
	cl->cursor_x = x;
}

bool client_role_is(const struct client *cl, const char *r)
{
	return cl->role != NULL && strcmp(cl->role, r) == 0;
}

bool client_may_act(const struct client *cl)
{
	return !client_role_is(cl, "observer");
}

bool client_may_edit_enterprise(const struct client *cl)
{
	return client_role_is(cl, "city") || client_role_is(cl, "district");
}

bool client_refuse_act(struct client *cl)
{
	if (client_may_act(cl))
		return false;
	client_status(cl, true, "观察员只能查看，不能修改");
	return true;
}

bool client_refuse_edit_enterprise(struct client *cl)
{
	if (client_refuse_act(cl))
		return true;
	if (client_may_edit_enterprise(cl))
		return false;
	client_status(cl, true, "%s不能修改或新建企业信息（由区镇或市信用办维护）",
		      cl->role_label);
	return true;
}

/* The write keys of the help lines: a (actions), Space where it records,
 * e where it edits, + (new).  A line is hidden when its key is one of them
 * and the officer's role may not use it. */
bool client_help_line_allowed(const struct client *cl, const char *line)
{
	const char *tab = strchr(line, '\t');
	size_t n = tab ? (size_t)(tab - line) : 0;
	bool edit_line = tab && strstr(tab, "编辑") != NULL;

	if (tab == NULL)
		return true;
	/* Space records in place or marks rows for a: both are for those who act. */
	if ((n == 1 && line[0] == 'a') || (n == 5 && strncmp(line, "Space", 5) == 0))
		return client_may_act(cl);
	if ((n == 1 && line[0] == 'e' && edit_line) ||
	    (n == 1 && line[0] == '+' && strstr(tab, "新建企业") != NULL))
		return client_may_edit_enterprise(cl);
	/* + on the enterprise screen records what the database allows. */
	if (n == 1 && line[0] == '+')
		return client_may_act(cl);
	return true;
}

/* Top bar: year, officer, role and unit, connection state; then the tabs. */
static void draw_top(struct client *cl)
{
	const char *unit = cl->district_name ? cl->district_name :
			   cl->agency_name ? cl->agency_name : "";
	char *conn = listen_up(cl->db) ? xstrdup("已连接") :
		     xasprintf("连接中断，%d 秒后重连", listen_retry_in_s(cl->db));
	char *bar = xasprintf(" 贯标·示范 %s年度 | %s（%s%s%s）", cl->year,
			      cl->officer_name, cl->role_label, unit[0] ? "·" : "", unit);
	char *right = xasprintf(" | %s ", conn);
	int x = 0, rc = (int)draw_cols(right);
	/* The connection state always shows: what does not fit is cut before it. */
	char *left = width_truncate(bar, COLS > rc ? (size_t)(COLS - rc) : 0);

	draw_line(stdscr, 0, 0, COLS, left, term_theme.title);
	draw_text(stdscr, 0, (int)draw_cols(left), right, 0, (size_t)(COLS - (int)draw_cols(left)),
		  term_theme.title);
	free(left);
	free(right);
	free(bar);
	free(conn);
	draw_fill(stdscr, 1, 0, COLS, term_theme.normal);
	for (int i = 0; i < CLIENT_PANELS && x < COLS; i++) {
		char *t = xasprintf(" %d %s ", i + 1, panel_names[i]);

		x += draw_text(stdscr, 1, x, t, 0, (size_t)(COLS - x),
			       i == cl->active ? term_theme.tab_active | A_REVERSE : term_theme.normal);
		free(t);
	}
}

/* The status line and the keys of the screen on top. */
static void draw_bottom(struct client *cl, const struct screen *top)
{
	const char *st = cl->status ? cl->status : "";
	attr_t a = cl->status_error ? term_theme.error : term_theme.normal;

	if (draw_cols(st) <= (size_t)COLS) {
		draw_line(stdscr, LINES - 2, 0, COLS, st, a);
	} else {
		/* Too long: cut with "…" and say where the whole of it is. */
		const char *hint = "  m 看全文";
		int hc = (int)draw_cols(hint);
		char *cut = width_truncate(st, (size_t)(COLS - hc));
		int n = draw_text(stdscr, LINES - 2, 0, cut, 0, (size_t)(COLS - hc), a);

		draw_line(stdscr, LINES - 2, n, COLS - n, hint, term_theme.dim);
		free(cut);
	}
	char *keys = draw_fit_keys(top->keys ? top->keys : "", (size_t)COLS);

	draw_line(stdscr, LINES - 1, 0, COLS, keys, term_theme.status);
	free(keys);
}

/* True when a screen holds typed text not yet saved (a form, a prompt). */
static bool any_dirty(struct client *cl)
{
	for (int i = 0; i < cl->nmodal; i++)
		if (cl->modal[i]->ops->dirty && cl->modal[i]->ops->dirty(cl->modal[i]))
			return true;
	return false;
}

void client_draw(struct client *cl)
{
	struct screen *top = cl->nmodal ? cl->modal[cl->nmodal - 1] : cl->panels[cl->active];
	int body_h = LINES - 4;

	cl->cursor_y = -1;
	if (LINES < CLIENT_MIN_ROWS || COLS < CLIENT_MIN_COLS) {
		erase();
		/* Typed text cannot be asked about here: q waits for a bigger window. */
		draw_text(stdscr, 0, 0, any_dirty(cl) ? "窗口太小：有尚未保存的输入，请放大窗口" :
			  "窗口太小（q 退出）", 0, (size_t)COLS, A_BOLD);
		curs_set(0);
		refresh();
		return;
	}
	draw_top(cl);
	/* Draw from the topmost screen that covers the whole body. */
	int from = 0;

	for (int i = 0; i < cl->nmodal; i++)
		if (cl->modal[i]->modal_full)
			from = i + 1;
	if (from == 0)
		cl->panels[cl->active]->ops->draw(cl->panels[cl->active], stdscr, 2, 0, body_h, COLS);
	else
		for (int y = 2; y < 2 + body_h; y++)
			draw_fill(stdscr, y, 0, COLS, term_theme.normal);
	for (int i = from > 0 ? from - 1 : 0; i < cl->nmodal; i++)
		cl->modal[i]->ops->draw(cl->modal[i], stdscr, 2, 0, body_h, COLS);
	draw_bottom(cl, top);
	if (cl->cursor_y >= 0) {
		curs_set(1);
		move(cl->cursor_y, cl->cursor_x);
	} else {
		curs_set(0);
	}
	refresh();
}

void client_pop_closed(struct client *cl)
{
	int j = 0;

	for (int i = 0; i < cl->nmodal; i++) {
		if (cl->modal[i]->closed)
			cl->modal[i]->ops->destroy(cl->modal[i]);
		else
			cl->modal[j++] = cl->modal[i];
	}
	cl->nmodal = j;
}

/* The help overlay: the keys of the screen on top, then those of the
 * shared keys that work there (a panel, a screen over it, a text screen). */
static void show_help(struct client *cl, const struct screen *s)
{
	size_t len = 0;
	char *text = xstrdup("");
	bool panel = s == cl->panels[cl->active];
	const char *const *shared = panel ? global_help : s->ops->dirty ? text_help : modal_help;

	for (int pass = 0; pass < 2; pass++) {
		const char *const *lines = pass == 0 ? s->help : shared;

		for (int i = 0; lines && lines[i]; i++) {
			if (!client_help_line_allowed(cl, lines[i]))
				continue;
			char *t = xasprintf("%s%s%s", text, len ? "\n" : "", lines[i]);

			free(text);
			text = t;
			len = strlen(text);
		}
		if (pass == 0 && len) {
			char *t = xasprintf("%s\n", text);

			free(text);
			text = t;
		}
	}
	struct screen *h = dialog_message(cl, "帮助（按 q 关闭）", text);

	h->is_help = true;
	client_push(cl, h);
	free(text);
}

/* m: the status messages kept, newest first, whole (wrapped). */
static void show_messages(struct client *cl)
{
	char *text = xstrdup("");

	for (int i = cl->nstatus_log - 1; i >= 0; i--) {
		char *t = xasprintf("%s%s%s", text, text[0] ? "\n" : "", cl->status_log[i]);

		free(text);
		text = t;
	}
	client_push(cl, dialog_message(cl, "消息记录（最近的在前，按 q 关闭）",
				       text[0] ? text : "（还没有消息）"));
	free(text);
}

/* Every screen hears the resize, modal ones included. */
static void broadcast_resize(struct client *cl)
{
	for (int i = 0; i < CLIENT_PANELS; i++)
		if (cl->panels[i]->ops->resize)
			cl->panels[i]->ops->resize(cl->panels[i]);
	for (int i = 0; i < cl->nmodal; i++)
		if (cl->modal[i]->ops->resize)
			cl->modal[i]->ops->resize(cl->modal[i]);
	clearok(curscr, TRUE);
}

static void reload_all(struct client *cl)
{
	for (int i = 0; i < CLIENT_PANELS; i++)
		if (cl->panel_loaded[i] && cl->panels[i]->ops->reload)
			cl->panels[i]->ops->reload(cl->panels[i]);
	for (int i = 0; i < cl->nmodal; i++)
		if (cl->modal[i]->ops->reload)
			cl->modal[i]->ops->reload(cl->modal[i]);
}

/* The year picked from the menu. */
static void year_picked(struct client *cl, void *ctx, const char *value, const char *label)
{
	if (value == NULL)
		return;
	free(cl->year);
	cl->year = xstrdup(value);
	client_status(cl, false, "已切换到 %s 年度", value);
	reload_all(cl);
}

static void open_year_menu(struct client *cl)
{
	struct screen *m = dialog_menu(cl, "计划年度", year_picked, NULL);

	dialog_menu_load(m, "SELECT year::text, year::text || '年度 ' || coalesce(doc_no, '') "
			 "FROM gb.programme_year ORDER BY year DESC", 0, NULL);
	client_push(cl, m);
}

/* The answer to "放弃修改并退出？". */
static void quit_answered(struct client *cl, void *ctx, bool yes)
{
	if (yes)
		cl->quit = true;
	else
		client_status(cl, false, "未退出，继续编辑");
}

/* Q / F10: quit, but ask first when a form holds unsaved typed text. */
static void request_quit(struct client *cl)
{
	if (any_dirty(cl)) {
		client_push(cl, dialog_ask(cl, "放弃修改并退出？",
					   "有尚未保存的修改。\n\n"
					   "按 y 放弃修改并退出，按 n 或 Esc 继续编辑",
					   "y 放弃并退出  n/Esc 继续编辑", quit_answered, NULL));
		return;
	}
	cl->quit = true;
}

/* Keys that mean the same on every panel. */
static void panel_global_key(struct client *cl, int ret, wint_t ch)
{
	struct screen *p = cl->panels[cl->active];

	if (ret == OK && ch >= '1' && ch <= '6')
		client_show_panel(cl, (int)(ch - '1'));
	else if (ret == OK && ch == '\t')
		client_show_panel(cl, (cl->active + 1) % CLIENT_PANELS);
	else if (ret == KEY_CODE_YES && ch == KEY_BTAB)
		client_show_panel(cl, (cl->active + CLIENT_PANELS - 1) % CLIENT_PANELS);
	else if ((ret == OK && ch == '?') || (ret == KEY_CODE_YES && ch == KEY_F(1)))
		show_help(cl, p);
	else if (ret == OK && ch == 'Q')
		request_quit(cl);
	else if (ret == OK && (ch == 'q' || ch == 27))
		client_status(cl, false, "按 Q 退出");
	else if (ret == OK && ch == ':')
		panels_open_lookup(cl);
	else if (ret == OK && ch == 'Y')
		open_year_menu(cl);
	else if (ret == OK && ch == 'm')
		show_messages(cl);
	else if (ret == OK && ch == 'r' && p->ops->reload) {
		p->ops->reload(p);
		client_status(cl, false, "已刷新");
	} else if (ret == OK && ch == 'x' && cl->active == 0) {
		/* The figures are a report the command line writes (annex format). */
		client_status(cl, false, "区镇指标的报表请在命令行导出：guanbiao report progress "
			      "--year %s --format xlsx", cl->year);
	} else if (ret == OK && ch < 128 && ch != 0 && strchr("/nNfFsxeoa+ ", (int)ch) != NULL) {
		/* A list key this panel has no use for: say so instead of nothing. */
		client_status(cl, false, "“%s”面板没有 %s 键的功能（按 ? 查看这里的按键）",
			      panel_names[cl->active], ch == ' ' ? "Space" : (char[]){ (char)ch, 0 });
	}
}

/* A digit on a screen that does not take it (the case review, the
 * enterprise) switches panels there too: the same key never means "switch"
 * on one screen and "act" on another.  Screens above are closed, topmost
 * first, so a pending question is answered "no". */
static void leave_to_panel(struct client *cl, int i)
{
	if (any_dirty(cl)) {	/* closing would throw typed text away unasked */
		client_status(cl, true, "有尚未保存的输入：先保存或按 Esc 放弃，再切换面板");
		return;
	}
	while (cl->nmodal > 0) {
		cl->nmodal--;
		cl->modal[cl->nmodal]->ops->destroy(cl->modal[cl->nmodal]);
	}
	client_show_panel(cl, i);
}

void client_keys_hold(struct client_keys *q, int ret, wint_t ch)
{
	q->keys = xreallocarray(q->keys, (size_t)q->n + 1, sizeof(*q->keys));
	q->keys[q->n].ret = ret;
	q->keys[q->n++].ch = ch;
}

void client_keys_release(struct client_keys *q, struct client *cl)
{
	struct client_held_key *keys = q->keys;
	int n = q->n;

	q->keys = NULL;
	q->n = 0;
	for (int i = 0; i < n; i++)
		client_key(cl, keys[i].ret, keys[i].ch);
	free(keys);
}

void client_key(struct client *cl, int ret, wint_t ch)
{
	if ((ret == KEY_CODE_YES && ch == KEY_F(10)) || (ret == OK && ch == 3)) {
		request_quit(cl);
		client_pop_closed(cl);
		return;
	}
	if (ret == OK && ch == 12) {	/* Ctrl-L */
		clearok(curscr, TRUE);
		return;
	}
	if (ret == KEY_CODE_YES && ch == KEY_RESIZE) {
		broadcast_resize(cl);
		return;
	}
	if (LINES < CLIENT_MIN_ROWS || COLS < CLIENT_MIN_COLS) {
		if (ret == OK && (ch == 'q' || ch == 'Q') && !any_dirty(cl))
			cl->quit = true;
		return;
	}
	if (cl->nmodal > 0) {
		struct screen *m = cl->modal[cl->nmodal - 1];

		/* F1 first: forms and prompts take every other key (? is text there). */
		if (ret == KEY_CODE_YES && ch == KEY_F(1) && m->is_help)
			m->closed = true;
		else if (ret == KEY_CODE_YES && ch == KEY_F(1))
			show_help(cl, m);
		else if (m->ops->key(m, ret, ch))
			;
		else if ((ret == OK && ch == '?') || (ret == KEY_CODE_YES && ch == KEY_F(1)))
			show_help(cl, m);
		else if (ret == OK && ch >= '1' && ch <= '6')
			leave_to_panel(cl, (int)(ch - '1'));
		else if (ret == OK && ch == 'Q')
			request_quit(cl);
		else if (ret == OK && ch == 'm')
			show_messages(cl);
		client_pop_closed(cl);
		return;
	}
	if (ret == KEY_CODE_YES && ch == KEY_F(1))	/* also while / takes text */
		show_help(cl, cl->panels[cl->active]);
	else if (!cl->panels[cl->active]->ops->key(cl->panels[cl->active], ret, ch))
		panel_global_key(cl, ret, ch);
	client_pop_closed(cl);
}

/* Who changed what, for the status line, from the activity feed. */
static void who_changed(void *ctx, const PGresult *res, const struct db_error *err)
{
	struct client *cl = ctx;

	/* One's own changes are already reported by the screen that made them. */
	if (err == NULL && PQntuples(res) == 1 && strcmp(PQgetvalue(res, 0, 3), cl->login) != 0)
		client_status(cl, false, "%s %s：%s", PQgetvalue(res, 0, 0), PQgetvalue(res, 0, 1),
			      PQgetvalue(res, 0, 2));
}

void client_take_notifications(struct client *cl)
{
	char *payload;

	while ((payload = listen_next_payload(cl->db)) != NULL) {
		char table[64], idtext[32];
		long long id;

		if (listen_parse_payload(payload, table, sizeof(table), &id)) {
			const char *params[2] = { table, idtext };

			for (int i = 0; i < CLIENT_PANELS; i++)
				if (cl->panel_loaded[i] && cl->panels[i]->ops->changed)
					cl->panels[i]->ops->changed(cl->panels[i], table, id);
			for (int i = 0; i < cl->nmodal; i++)
				if (cl->modal[i]->ops->changed)
					cl->modal[i]->ops->changed(cl->modal[i], table, id);
			snprintf(idtext, sizeof(idtext), "%lld", id);
			listen_send(cl->db, cl, "SELECT to_char(at, 'HH24:MI:SS'), "
				    "coalesce(officer_name, '系统'), summary, login FROM gb.v_activity "
				    "WHERE table_name = $1 AND record_id = $2::bigint "
				    "ORDER BY id DESC LIMIT 1", 2, params, who_changed, cl);
		} else if (listen_parse_bulk(payload, table, sizeof(table), &id)) {
			/* Too many rows to follow one by one: load everything again. */
			reload_all(cl);
			client_status(cl, false, "其他工作人员批量修改了 %lld 条记录，已全部刷新", id);
		}
		free(payload);
	}
}

/* Connection events: lost, restored (then everything is loaded again). */
static void take_events(struct client *cl)
{
	unsigned ev = listen_take_events(cl->db);

	if (ev & LISTEN_EV_LOST)
		client_status(cl, true, "与数据库的连接中断，正在重新连接…（已输入的内容保留）");
	if (ev & LISTEN_EV_RESTORED) {
		client_status(cl, false, "已重新连接数据库，数据已全部刷新");
		reload_all(cl);
	}
}

/* For benchmarks: GUANBIAO_KEY_TIMES names a file that gets, per key, the
 * microseconds from reading it to the repainted screen. */
static FILE *key_times;

static long long now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* Read every key waiting; false when the terminal is gone. */
static bool read_keys(struct client *cl)
{
	wint_t ch;
	int ret, got = 0;

	while (!cl->quit && (ret = get_wch(&ch)) != ERR) {
		long long t0 = key_times ? now_us() : 0;

		client_key(cl, ret, ch);
		got++;
		if (key_times && !cl->quit) {
			client_pop_closed(cl);
			client_draw(cl);
			fprintf(key_times, "%lld\n", now_us() - t0);
		}
	}
	return got > 0;
}

/* Wait for the terminal, the database or a signal, and act on it.
 * Returns false when the terminal is gone (hang-up, end of file). */
static bool loop(struct client *cl)
{
	int idle_reads = 0;

	nodelay(stdscr, TRUE);
	while (!cl->quit && !term_sig_quit) {
		struct pollfd fds[3] = {
			{ .fd = STDIN_FILENO, .events = POLLIN },
			{ .fd = term_pipe_fd(), .events = POLLIN },
			{ .fd = listen_socket(cl->db), .events = POLLIN },
		};
		int timeout;

		if (term_sig_resize) {
			term_apply_resize();
			broadcast_resize(cl);
		}
		take_events(cl);
		client_take_notifications(cl);
		client_pop_closed(cl);	/* screens closed by an answer from the database */
		client_draw(cl);
		if (listen_wants_write(cl->db))
			fds[2].events |= POLLOUT;
		timeout = listen_timeout_ms(cl->db);
		if (poll(fds, 3, timeout) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (fds[0].revents & (POLLHUP | POLLERR | POLLNVAL))
			return false;	/* the terminal is gone (dropped SSH connection) */
		if (fds[1].revents & POLLIN)
			term_drain_pipe();
		if (fds[2].fd < 0 || fds[2].revents || timeout == 0)
			listen_poll(cl->db);
		if (fds[0].revents & POLLIN) {
			/* Readable but no key, again and again: end of file. */
			idle_reads = read_keys(cl) ? 0 : idle_reads + 1;
			if (idle_reads > 20)
				return false;
		}
	}
	return term_sig_quit != SIGHUP;
}

/* The terminal is gone: end the session and the process at once.  Nothing
 * can be shown or restored on a terminal that no longer exists, and nothing
 * is pending (no transaction stays open while waiting for a key), so close
 * the connection (the server ends the session at once) and _exit(): the
 * exit-time handlers are skipped on purpose.  The kernel sends SIGHUP and
 * SIGCONT to the orphaned process group as the terminal dies, and an
 * exit-time handler that stops the process's threads (LeakSanitizer's
 * tracer) can deadlock against them, leaving the process spinning forever
 * with nobody to see it. */
static _Noreturn void hang_up(struct client *cl)
{
	static const char msg[] = "guanbiao: 终端已断开，已退出\n";

	listen_close(&cl->db);
	(void)!write(STDERR_FILENO, msg, sizeof(msg) - 1);
	_exit(CLIENT_EXIT_HANGUP);
}

/* The officer behind the login role; false (message on stderr) if none. */
static int load_officer(struct client *cl)
{
	struct db_error err = { 0 };
	PGresult *res = db_exec(listen_pgconn(cl->db),
				"SELECT login, name, role, district_id::text, district_name, "
				"agency_id::text, agency_name, role_label, (SELECT coalesce(max(year), "
				"extract(year FROM now())::int)::text FROM gb.programme_year) AS year "
				"FROM gb.current_officer()",
				0, NULL, &err);
	char *t;

	if (res == NULL) {
		/* A role without even the right to ask is not an officer either. */
		bool denied = strcmp(err.sqlstate, "42501") == 0;
		bool not_officer = denied || strcmp(err.sqlstate, "GB001") == 0;

		t = db_error_text(&err);
		if (denied)
			fprintf(stderr, "guanbiao: 当前登录角色 %s 不是登记的工作人员（%s）\n",
				PQuser(listen_pgconn(cl->db)), t);
		else
			fprintf(stderr, "guanbiao: %s\n", t);
		free(t);
		db_error_clear(&err);
		return not_officer ? 1 : 2;
	}
	cl->login = xstrdup(db_get(res, 0, "login") ? db_get(res, 0, "login") : "");
	cl->officer_name = xstrdup(db_get(res, 0, "name") ? db_get(res, 0, "name") : cl->login);
	cl->role = xstrdup(db_get(res, 0, "role") ? db_get(res, 0, "role") : "");
	/* The database's word for the role; never its code on screen. */
	cl->role_label = xstrdup(db_get(res, 0, "role_label") ? db_get(res, 0, "role_label") : "");
	if (db_get(res, 0, "district_id"))
		cl->district_id = xstrdup(db_get(res, 0, "district_id"));
	if (db_get(res, 0, "district_name"))
		cl->district_name = xstrdup(db_get(res, 0, "district_name"));
	if (db_get(res, 0, "agency_id"))
		cl->agency_id = xstrdup(db_get(res, 0, "agency_id"));
	if (db_get(res, 0, "agency_name"))
		cl->agency_name = xstrdup(db_get(res, 0, "agency_name"));
	/* The latest programme year came with the officer: one round trip. */
	cl->year = xstrdup(db_get(res, 0, "year") ? db_get(res, 0, "year") : "2020");
	PQclear(res);
	return 0;
}

static void client_free(struct client *cl)
{
	while (cl->nmodal > 0) {
		cl->nmodal--;
		cl->modal[cl->nmodal]->ops->destroy(cl->modal[cl->nmodal]);
	}
	for (int i = 0; i < CLIENT_PANELS; i++)
		if (cl->panels[i])
			cl->panels[i]->ops->destroy(cl->panels[i]);
	listen_close(&cl->db);
	free(cl->login);
	free(cl->officer_name);
	free(cl->role);
	free(cl->role_label);
	free(cl->district_id);
	free(cl->district_name);
	free(cl->agency_id);
	free(cl->agency_name);
	free(cl->year);
	client_free_status(cl);
}

int client_run(const char *conninfo)
{
	struct client cl = { 0 };
	struct db_error err = { 0 };
	const char *amb = getenv("GUANBIAO_AMBIGUOUS_WIDE");
	int rc;

	/* Short interactive statements: JIT compiling them costs more than it saves. */
	if (strcmp(nl_langinfo(CODESET), "UTF-8") != 0) {
		fprintf(stderr, "guanbiao: 终端的字符集是 %s，不是 UTF-8，无法显示中文；"
			"请设置 LANG=zh_CN.UTF-8（或 C.UTF-8）后再运行\n", nl_langinfo(CODESET));
		return 2;
	}
	cl.db = listen_open(conninfo, "gb_change", "SET jit = off", &err);
	if (cl.db == NULL) {
		char *t = db_error_text(&err);

		fprintf(stderr, "guanbiao: %s\n", t);
		free(t);
		db_error_clear(&err);
		return 2;
	}
	rc = load_officer(&cl);
	if (rc != 0) {
		client_free(&cl);
		return rc;
	}
	if (amb != NULL && amb[0] == '1')
		width_set_ambiguous_wide(true);
	if (!term_start()) {
		fprintf(stderr, "guanbiao: 全屏客户端需要一个终端\n");
		client_free(&cl);
		return 2;
	}
	if (getenv("GUANBIAO_KEY_TIMES") != NULL)
		key_times = fopen(getenv("GUANBIAO_KEY_TIMES"), "w");
	if (key_times != NULL)
		setvbuf(key_times, NULL, _IOLBF, 0);
	panels_create(&cl);
	client_status(&cl, false, "欢迎，%s。按 ? 查看按键。", cl.officer_name);
	/* Keys typed while connecting come first (2 for 企业 …), so that only the
	 * panel that will show asks the server for its rows. */
	nodelay(stdscr, TRUE);
	read_keys(&cl);
	client_show_panel(&cl, cl.active);
	if (!loop(&cl))
		hang_up(&cl);
	term_stop();
	if (key_times != NULL)
		fclose(key_times);
	if (term_sig_quit)
		fprintf(stderr, "guanbiao: 收到信号 %d，已退出\n", (int)term_sig_quit);
	client_free(&cl);
	return 0;
}
