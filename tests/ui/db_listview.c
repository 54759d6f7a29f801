/* The list panels against a real server, with keys given before answers
 * arrive, so the interleavings of the asynchronous connection are fixed:
 * a search typed before the 企业 list's first page arrived shows the search
 * result (the latest request wins), a search that matches nothing leaves
 * the first page on screen instead of an empty list, and typing on while a
 * search runs ends on the text as typed.  Also the 动态 panel: newest first,
 * and a new change appears at the top without a key.  The screen is curses
 * on /dev/null; the officer is a city officer of the test database. */
#include "config.h"

#include <locale.h>
#include <poll.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <wchar.h>
#include <cmocka.h>

#include "core/xalloc.h"
#include "db/db.h"
#include "db/listen.h"
#include "screen_util.h"
#include "ui/client.h"
#include "ui/export.h"
#include "ui/listview.h"
#include "ui/record.h"
#include "ui/panels.h"
#include "ui/term.h"

static PGconn *admin;
static char *login;		/* the officer's login role (city) */
static char *dlogin;		/* a district officer's (张浦镇) */
static char *alogin;		/* an agency officer's (the first agency by name) */
static char *last_name;		/* the last enterprise in name order */

static PGresult *admin_exec(const char *sql, int n, const char *const *params)
{
	struct db_error err = { 0 };
	PGresult *res = db_exec(admin, sql, n, params, &err);

	if (res == NULL)
		fail_msg("%s: %s", sql, err.message ? err.message : "?");
	return res;
}

static int setup(void **state)
{
	struct db_error err = { 0 };
	const char *params[1];
	PGresult *res;

	admin = db_connect(NULL, &err);
	if (admin == NULL)
		return -1;
	login = xasprintf("%s_lv", PQdb(admin));
	dlogin = xasprintf("%s_lvd", PQdb(admin));
	alogin = xasprintf("%s_lva", PQdb(admin));
	params[0] = login;
	PQclear(admin_exec("SELECT gb.admin_sample(400, 11)", 0, NULL));
	PQclear(admin_exec("SELECT gb.admin_officer_add($1, 'city', NULL, NULL, '列表测试')",
			   1, params));
	params[0] = dlogin;
	PQclear(admin_exec("SELECT gb.admin_officer_add($1, 'district', '张浦镇', NULL, '区镇测试')",
			   1, params));
	params[0] = alogin;
	PQclear(admin_exec("SELECT gb.admin_officer_add($1, 'agency', NULL, "
			   "(SELECT min(name) FROM gb.agency), '机构测试')", 1, params));
	res = admin_exec("SELECT name FROM gb.enterprise ORDER BY name DESC, id DESC LIMIT 1",
			 0, NULL);
	last_name = xstrdup(PQgetvalue(res, 0, 0));
	PQclear(res);
	return 0;
}

static int teardown(void **state)
{
	const char *params[1] = { login };

	PQclear(admin_exec("SELECT gb.admin_officer_remove($1)", 1, params));
	params[0] = dlogin;
	PQclear(admin_exec("SELECT gb.admin_officer_remove($1)", 1, params));
	params[0] = alogin;
	PQclear(admin_exec("SELECT gb.admin_officer_remove($1)", 1, params));
	PQfinish(admin);
	free(login);
	free(dlogin);
	free(alogin);
	free(last_name);
	return 0;
}

/* A client as client_run() makes it, on a curses screen on /dev/null, for
 * the officer of role ("city", "district" of 张浦镇, "agency"; "observer"
 * is the city login with the client told it is an observer). */
static void client_open_as(struct client *cl, const char *role)
{
	struct db_error err = { 0 };
	bool district = strcmp(role, "district") == 0;
	const char *who = district ? dlogin : strcmp(role, "agency") == 0 ? alogin : login;
	char *conninfo = xasprintf("user=%s", who);

	memset(cl, 0, sizeof(*cl));
	cl->db = listen_open(conninfo, "gb_change", "SET jit = off", &err);
	free(conninfo);
	if (cl->db == NULL)
		fail_msg("connect as %s: %s", login, err.message ? err.message : "?");
	cl->login = xstrdup(who);
	cl->officer_name = xstrdup("列表测试");
	cl->role = xstrdup(role);
	cl->role_label = xstrdup(district ? "区镇" : "市信用办");
	if (district) {
		PGresult *res = admin_exec("SELECT id::text FROM gb.district WHERE name = '张浦镇'",
					   0, NULL);

		cl->district_id = xstrdup(PQgetvalue(res, 0, 0));
		cl->district_name = xstrdup("张浦镇");
		PQclear(res);
	}
	cl->year = xstrdup("2020");
	screen_open(40, 120);
	panels_create(cl);
}

static void client_close(struct client *cl)
{
	while (cl->nmodal > 0) {
		cl->nmodal--;
		cl->modal[cl->nmodal]->ops->destroy(cl->modal[cl->nmodal]);
	}
	for (int i = 0; i < CLIENT_PANELS; i++)
		cl->panels[i]->ops->destroy(cl->panels[i]);
	listen_close(&cl->db);
	screen_close();
	free(cl->login);
	free(cl->officer_name);
	free(cl->role);
	free(cl->role_label);
	free(cl->year);
	client_free_status(cl);
	free(cl->district_id);
	free(cl->district_name);
}

static void client_open(struct client *cl)
{
	client_open_as(cl, "city");
}

/* Run the connection until nothing is pending (at most ~5 s). */
static void settle(struct client *cl)
{
	for (int i = 0; i < 500 && listen_pending(cl->db) > 0; i++) {
		struct pollfd p = { .fd = listen_socket(cl->db), .events = POLLIN };

		poll(&p, 1, 10);
		listen_poll(cl->db);
	}
	assert_int_equal(listen_pending(cl->db), 0);
}

/* The UTF-8 text typed as keys, one character at a time. */
static void type(struct screen *s, const char *text)
{
	wchar_t wc[256];
	size_t n = mbstowcs(wc, text, 255);

	assert_true(n != (size_t)-1);
	for (size_t i = 0; i < n; i++)
		s->ops->key(s, OK, (wint_t)wc[i]);
}

static struct listview *panel(struct client *cl, int i)
{
	return (struct listview *)cl->panels[i];
}

/* Whether text is on one of the rows of the body as drawn. */
static bool on_screen_rows(const char *text)
{
	bool found = false;

	for (int y = 2; y < 38 && !found; y++)
		found = screen_find(y, text) >= 0;
	return found;
}

/* The 企业 list draws the row under the cursor: its name is on screen. */
static bool on_screen(struct client *cl, const char *text)
{
	bool found = false;

	erase();
	cl->panels[1]->ops->draw(cl->panels[1], stdscr, 2, 0, 36, 120);
	for (int y = 2; y < 38 && !found; y++)
		found = screen_find(y, text) >= 0;
	return found;
}

/* "/" and the name of the last enterprise, typed before the first page
 * arrived: the list ends on that enterprise, not on the first page. */
static void test_search_before_first_page(void **state)
{
	struct client cl;
	struct listview *lv;

	client_open(&cl);
	client_show_panel(&cl, 1);	/* the first page is asked for */
	lv = panel(&cl, 1);
	assert_true(lv->fetching);
	type(&lv->s, "/");
	type(&lv->s, last_name);	/* one search, then typing on while it runs */
	settle(&cl);
	assert_true(listview_cursor(lv) >= 0);
	assert_string_equal(listview_cell(lv, listview_cursor(lv), 0), last_name);
	assert_true(on_screen(&cl, last_name));
	client_close(&cl);
}

/* A search that matches nothing, typed before the first page arrived:
 * the first page shows with "没有找到", not an empty list. */
static void test_no_match_before_first_page(void **state)
{
	struct client cl;
	struct listview *lv;

	client_open(&cl);
	client_show_panel(&cl, 1);
	lv = panel(&cl, 1);
	type(&lv->s, "/没有这样的企业名称");
	settle(&cl);
	/* Said while typing, beside the search field. */
	assert_true(on_screen(&cl, "没有找到“没有这样的企业名称”"));
	assert_true(on_screen(&cl, "/搜索："));
	assert_true(lv->pager.nrows > 0);
	assert_int_equal(listview_cursor(lv), 0);
	assert_non_null(lv->note);
	assert_non_null(strstr(lv->note, "没有找到"));
	assert_non_null(strstr(lv->s.keys, "Enter 结束输入"));	/* the keys line while typing */
	type(&lv->s, "\r");
	assert_non_null(strstr(lv->s.keys, "/ 搜索"));		/* the panel's again */
	assert_false(on_screen(&cl, "（没有记录）"));
	client_close(&cl);
}

/* g (the first page again) after a search that is still running: the
 * later request wins, the search result never replaces the first page. */
static void test_later_request_wins(void **state)
{
	struct client cl;
	struct listview *lv;
	PGresult *res;

	client_open(&cl);
	client_show_panel(&cl, 1);
	lv = panel(&cl, 1);
	settle(&cl);
	type(&lv->s, "/");
	type(&lv->s, last_name);
	type(&lv->s, "\r");	/* the search is still on its way */
	type(&lv->s, "g");
	settle(&cl);
	res = admin_exec("SELECT name FROM gb.enterprise ORDER BY name, id LIMIT 1", 0, NULL);
	assert_int_equal(listview_cursor(lv), 0);
	assert_string_equal(listview_cell(lv, 0, 0), PQgetvalue(res, 0, 0));
	PQclear(res);
	client_close(&cl);
}

/* Whether text shows in the modal screens drawn over the body. */
static bool modal_shows(struct client *cl, const char *text)
{
	bool found = false;

	erase();
	for (int i = 0; i < cl->nmodal; i++)
		cl->modal[i]->ops->draw(cl->modal[i], stdscr, 2, 0, 36, 120);
	for (int y = 0; y < LINES && !found; y++)
		found = screen_find(y, text) >= 0;
	return found;
}

/* x, then a file name that cannot be created (its folder does not exist):
 * the name is not lost, the prompt opens again with it as typed. */
static void test_export_name_kept_on_error(void **state)
{
	const char *path = "/nonexistent-guanbiao-dir/企业名单.csv";
	struct client cl;
	wchar_t wpath[128];

	client_open(&cl);
	client_show_panel(&cl, 1);
	settle(&cl);
	type(cl.panels[1], "x");
	screen_keys_to_top(&cl, OK, L"1");			/* GB18030 */
	assert_int_equal(cl.nmodal, 1);
	assert_true(modal_shows(&cl, "企业-2020.csv"));	/* the proposed name */
	screen_keys_to_top(&cl, OK, L"\x15");		/* Ctrl-U, then the officer's name */
	assert_true(mbstowcs(wpath, path, 128) != (size_t)-1);
	screen_keys_to_top(&cl, OK, wpath);
	screen_keys_to_top(&cl, OK, L"\r");
	assert_non_null(strstr(cl.status, "不能创建"));
	assert_int_equal(cl.nmodal, 1);		/* asked again … */
	assert_true(modal_shows(&cl, "企业名单.csv"));	/* … with the name as typed */
	screen_keys_to_top(&cl, OK, L"\x1b");		/* unchanged since: closes at once */
	assert_int_equal(cl.nmodal, 0);
	assert_non_null(strstr(cl.status, "未导出"));
	client_close(&cl);
}

/* The ids of the officer's newest changes in the server's own order:
 * by time, newest first (as the officer's connection sees them). */
static PGresult *newest_changes(int n)
{
	struct db_error err = { 0 };
	char *conninfo = xasprintf("user=%s", login), *sql;
	PGconn *c = db_connect(conninfo, &err);
	PGresult *res;

	free(conninfo);
	assert_non_null(c);
	sql = xasprintf("SELECT id::text FROM gb.v_activity ORDER BY at DESC, id DESC LIMIT %d", n);
	res = db_exec(c, sql, 0, NULL, &err);
	free(sql);
	assert_non_null(res);
	PQfinish(c);
	return res;
}

/* Run the connection and hand notifications to the panels, as the client's
 * loop does, until the 动态 panel's first row is the change id (~5 s). */
static void wait_top_change(struct client *cl, const char *id)
{
	struct listview *lv = panel(cl, 5);

	for (int i = 0; i < 500; i++) {
		struct pollfd p = { .fd = listen_socket(cl->db), .events = POLLIN };

		if (listen_pending(cl->db) == 0 && lv->pager.nrows > 0 &&
		    strcmp(lv->pager.rows[0].id, id) == 0)
			return;
		poll(&p, 1, 10);
		listen_poll(cl->db);
		client_take_notifications(cl);
	}
	fail_msg("the newest change %s never came to the top (top: %s)", id,
		 lv->pager.nrows > 0 ? lv->pager.rows[0].id : "none");
}

/* 动态: newest first by the time of the change, not by id (the sample has
 * changes whose ids do not follow their times); a change made meanwhile
 * comes on top without a key. */
static void test_activity_newest_first(void **state)
{
	struct client cl;
	struct listview *lv;
	PGresult *want, *by_id, *res;
	bool differs = false;

	want = newest_changes(60);
	by_id = admin_exec("SELECT id::text FROM gb.history ORDER BY id DESC LIMIT 60", 0, NULL);
	for (int i = 0; i < PQntuples(want) && i < PQntuples(by_id); i++)
		differs |= strcmp(PQgetvalue(want, i, 0), PQgetvalue(by_id, i, 0)) != 0;
	assert_true(differs);	/* else this test could not tell the orders apart */
	client_open(&cl);
	client_show_panel(&cl, 5);
	settle(&cl);
	lv = panel(&cl, 5);
	assert_true(lv->pager.nrows >= PQntuples(want));
	for (int i = 0; i < PQntuples(want); i++)
		assert_string_equal(lv->pager.rows[i].id, PQgetvalue(want, i, 0));
	PQclear(want);
	PQclear(by_id);
	/* Someone else changes an enterprise: its change shows on top. */
	PQclear(admin_exec("UPDATE gb.enterprise SET contact_name = '动态测试' "
			   "WHERE id = (SELECT min(id) FROM gb.enterprise)", 0, NULL));
	res = newest_changes(1);
	wait_top_change(&cl, PQgetvalue(res, 0, 0));
	PQclear(res);
	client_close(&cl);
}

/* Help lines are "key<TAB>description": a key column never holds a
 * description run into it with spaces ("r        刷新<TAB>q / Esc  返回"). */
static void assert_help_well_formed(const struct screen *s)
{
	for (int l = 0; s->help && s->help[l]; l++) {
		const char *tab = strchr(s->help[l], '\t');
		char *key = tab ? xstrndup(s->help[l], (size_t)(tab - s->help[l])) : NULL;

		if (key != NULL && (strstr(key, "  ") != NULL || tab - s->help[l] > 30))
			fail_msg("help line with a description in its key column: %s", s->help[l]);
		free(key);
	}
}

/* The help overlay's lines of a screen, joined. */
static char *help_of(const struct screen *s)
{
	char *all = xstrdup("");

	for (int i = 0; s->help && s->help[i]; i++) {
		char *t = xasprintf("%s%s\n", all, s->help[i]);

		free(all);
		all = t;
	}
	return all;
}

/* ? on every list panel names every key the lists share (the filter and
 * the marks only where the list has them), each panel's Enter, and the
 * key columns are real keys ("key<TAB>description"). */
static void test_help_lists_every_key(void **state)
{
	static const char *const shared[] = {
		"上/下 j k\t", "PgUp PgDn\t", "g G\t", "左/右 h l\t", "/\t边输入边搜索：",
		"n N\t", "s\t", "x\t",
	};
	struct client cl;

	client_open(&cl);
	for (int i = 1; i < CLIENT_PANELS; i++) {
		struct listview *lv = panel(&cl, i);
		char *h = help_of(&lv->s);

		for (size_t k = 0; k < sizeof(shared) / sizeof(shared[0]); k++)
			if (strstr(h, shared[k]) == NULL)
				fail_msg("panel %d: no help line for %s", i + 1, shared[k]);
		assert_int_equal(strstr(h, "\nf F\t") != NULL, lv->spec->filter != NULL);
		assert_int_equal(strstr(h, "\nSpace\t") != NULL, lv->spec->marks);
		assert_non_null(strstr(h, "Enter"));
		/* No description stuck in the key column ("Enter 查看…<TAB>/ 搜索"). */
		assert_help_well_formed(&lv->s);
		free(h);
	}
	client_close(&cl);
}

/* A list key a panel has no use for answers on the status line instead of
 * doing nothing: f where the list has no filter, Space where nothing is
 * marked for, / on 区镇指标. */
static void test_unused_keys_answer(void **state)
{
	struct client cl;

	client_open(&cl);
	client_show_panel(&cl, 4);	/* 机构 */
	settle(&cl);
	client_key(&cl, OK, 'f');
	assert_non_null(strstr(cl.status, "没有筛选"));
	client_show_panel(&cl, 1);	/* 企业 */
	settle(&cl);
	client_key(&cl, OK, ' ');
	assert_non_null(strstr(cl.status, "不用标记"));
	assert_int_equal(panel(&cl, 1)->nmarks, 0);
	client_show_panel(&cl, 0);	/* 区镇指标 */
	client_key(&cl, OK, '/');
	assert_non_null(strstr(cl.status, "没有 / 键"));
	client_key(&cl, OK, 'x');	/* no list to export here: the report says how */
	assert_non_null(strstr(cl.status, "guanbiao report progress --year 2020"));
	settle(&cl);
	client_close(&cl);
	/* An observer does not mark 待办 items: marks are for a, refused anyway. */
	client_open_as(&cl, "observer");
	client_show_panel(&cl, 2);
	settle(&cl);
	client_key(&cl, OK, ' ');
	assert_int_equal(panel(&cl, 2)->nmarks, 0);
	assert_non_null(strstr(cl.status, "观察员只能查看"));
	client_close(&cl);
}

/* o opens the row's enterprise and e edits it, the same in every list that
 * has enterprises (示范's e used to open it). */
static void test_o_and_e_on_rows(void **state)
{
	struct client cl;

	client_open(&cl);
	for (int i = 1; i <= 3; i++) {	/* 企业, 待办, 示范 */
		client_show_panel(&cl, i);
		settle(&cl);
		assert_true(listview_cursor(panel(&cl, i)) >= 0);
		client_key(&cl, OK, 'o');
		assert_int_equal(cl.nmodal, 1);
		assert_non_null(strstr(cl.modal[0]->keys, "标签"));	/* the enterprise's tabs */
		assert_help_well_formed(cl.modal[0]);
		settle(&cl);
		/* Who saved last is named, never by a login role ("gb_admin"). */
		assert_true(modal_shows(&cl, "版本"));
		assert_false(modal_shows(&cl, "gb_admin"));
		assert_true(modal_shows(&cl, "系统）"));
		client_key(&cl, OK, 'q');
		assert_int_equal(cl.nmodal, 0);
		client_key(&cl, OK, 'e');
		assert_int_equal(cl.nmodal, 1);
		assert_non_null(strstr(cl.modal[0]->keys, "保存"));	/* the edit form */
		settle(&cl);
		client_key(&cl, OK, 27);
		assert_int_equal(cl.nmodal, 0);
	}
	client_close(&cl);
}

/* 区镇指标 as a district officer: Enter on another district says it cannot
 * be listed (row security would show an empty list as if it had none);
 * Enter on the own district lists its enterprises; on 合计 it says how. */
static void test_district_enter_own_only(void **state)
{
	struct client cl;
	int refused = 0;

	client_open_as(&cl, "district");
	client_show_panel(&cl, 0);
	settle(&cl);
	for (int i = 0; i < 12 && cl.active == 0; i++) {
		client_key(&cl, OK, '\r');
		if (cl.active == 0) {
			assert_non_null(strstr(cl.status, "只能查看本区镇（张浦镇）的企业"));
			refused++;
			client_key(&cl, OK, 'j');
		}
	}
	assert_true(refused > 0);
	assert_int_equal(cl.active, 1);
	assert_int_equal(panel(&cl, 1)->nfilters, 1);
	assert_string_equal(panel(&cl, 1)->filters[0].label, "区镇=张浦镇");
	settle(&cl);
	assert_true(panel(&cl, 1)->pager.nrows > 0);
	/* Its filter menu offers no district: another would only be empty. */
	client_key(&cl, OK, 'f');
	assert_int_equal(cl.nmodal, 1);
	assert_false(modal_shows(&cl, "按区镇"));
	assert_true(modal_shows(&cl, "按贯标阶段"));
	client_key(&cl, OK, 27);
	assert_int_equal(cl.nmodal, 0);
	client_show_panel(&cl, 0);
	client_key(&cl, OK, 'G');
	client_key(&cl, OK, '\r');
	assert_int_equal(cl.active, 0);
	assert_non_null(strstr(cl.status, "合计行"));
	/* PgUp/PgDn page here as in the lists: to the first row and back to 合计. */
	client_free_status(&cl);
	cl.status = NULL;
	client_key(&cl, KEY_CODE_YES, KEY_PPAGE);
	client_key(&cl, OK, '\r');
	assert_non_null(strstr(cl.status, "只能查看本区镇"));	/* 昆山开发区, the first */
	client_key(&cl, KEY_CODE_YES, KEY_NPAGE);
	client_key(&cl, OK, '\r');
	assert_non_null(strstr(cl.status, "合计行"));
	client_close(&cl);
}

/* 机构 as an agency officer: row security shows it only its own contracts,
 * so the other agencies would show 0 of everything; it lists itself. */
static void test_agency_sees_itself(void **state)
{
	struct client cl;
	struct listview *lv;
	PGresult *res;

	client_open_as(&cl, "agency");
	client_show_panel(&cl, 4);
	settle(&cl);
	lv = panel(&cl, 4);
	res = admin_exec("SELECT min(name) FROM gb.agency", 0, NULL);
	assert_int_equal(lv->pager.nrows, 1);
	assert_string_equal(listview_cell(lv, 0, 0), PQgetvalue(res, 0, 0));
	PQclear(res);
	client_close(&cl);
}

/* x with the proposed name: the prompt names the folder the file goes to,
 * and the message names the file by its full path (a bare name alone left
 * officers looking for it). */
static void test_export_names_full_path(void **state)
{
	char dir[] = "/tmp/gb_export_XXXXXX", *old = getcwd(NULL, 0), *want, *file;
	struct client cl;

	assert_non_null(mkdtemp(dir));
	assert_int_equal(chdir(dir), 0);
	client_open(&cl);
	client_show_panel(&cl, 1);
	settle(&cl);
	type(cl.panels[1], "x");
	screen_keys_to_top(&cl, OK, L"1");
	want = xasprintf("保存在 %s", dir);
	assert_true(modal_shows(&cl, want));
	free(want);
	screen_keys_to_top(&cl, OK, L"\r");
	settle(&cl);
	file = xasprintf("%s/企业-2020.csv", dir);
	want = xasprintf("到 %s（GB18030）", file);
	if (strstr(cl.status, want) == NULL)
		fail_msg("status: %s", cl.status);
	free(want);
	client_close(&cl);
	assert_int_equal(unlink(file), 0);
	free(file);
	assert_int_equal(chdir(old), 0);
	assert_int_equal(rmdir(dir), 0);
	free(old);
}

/* 待办's days left read as the deadline strip does: 逾期N天, never a
 * negative count. */
static void test_queue_overdue_in_words(void **state)
{
	struct client cl;
	struct listview *lv;
	int overdue = 0;

	client_open(&cl);
	client_show_panel(&cl, 2);
	settle(&cl);
	lv = panel(&cl, 2);
	assert_true(lv->pager.nrows > 0);
	for (int r = 0; r < lv->pager.nrows; r++) {
		const char *d = listview_cell(lv, r, 2);

		assert_true(d[0] != '-');
		if (strncmp(d, "逾期", strlen("逾期")) == 0) {
			overdue++;
			assert_non_null(strstr(d, "天"));
		}
	}
	assert_true(overdue > 0);	/* the 2020 programme's deadlines are past */
	client_close(&cl);
}

/* j and Enter typed on 待办 before its first page arrived: they wait for
 * the page and act on it in order (the second item opens), none is
 * dropped.  Then a change from elsewhere reloads the list: its rows stay
 * meanwhile and Enter opens the item under the cursor at once. */
static void test_keys_wait_for_first_page(void **state)
{
	struct client cl;
	struct listview *lv;
	char *second;

	client_open(&cl);
	client_show_panel(&cl, 2);
	lv = panel(&cl, 2);
	assert_true(lv->fetching);
	assert_int_equal(listview_cursor(lv), -1);
	client_key(&cl, OK, 'j');
	client_key(&cl, OK, '\r');
	assert_int_equal(cl.nmodal, 0);
	settle(&cl);
	assert_true(lv->pager.nrows > 1);
	assert_int_equal(listview_cursor(lv), 1);
	assert_int_equal(cl.nmodal, 1);
	second = xstrdup(listview_cell(lv, 1, 0));
	assert_true(modal_shows(&cl, second));
	client_key(&cl, OK, 'q');
	assert_int_equal(cl.nmodal, 0);
	cl.panels[2]->ops->changed(cl.panels[2], "gb_case", 1);
	assert_true(lv->fetching);
	client_key(&cl, OK, '\r');
	assert_int_equal(cl.nmodal, 1);
	settle(&cl);
	assert_true(modal_shows(&cl, second));
	free(second);
	client_close(&cl);
}

/* Keys typed into a record form before its record arrived act on top of
 * it, in order: the fields the record fills do not replace what was typed. */
static void test_form_keys_wait_for_record(void **state)
{
	struct client cl;
	PGresult *res = admin_exec("SELECT m.kind, m.gb_case_id::text, m.ref, g.enterprise_id::text "
				   "FROM gb.material m JOIN gb.gb_case g ON g.id = m.gb_case_id "
				   "WHERE m.status = 'received' AND m.ref <> '' ORDER BY m.id LIMIT 1", 0, NULL);
	char *tag = xasprintf("mat:%s:::received:gb:%s", PQgetvalue(res, 0, 0), PQgetvalue(res, 0, 1));
	char *typed = xasprintf("%s甲乙", PQgetvalue(res, 0, 2));

	client_open(&cl);
	settle(&cl);
	assert_true(record_line(&cl, PQgetvalue(res, 0, 3), tag));
	assert_int_equal(cl.nmodal, 1);
	/* To the 编号 field (the fifth) and type, before the record is here. */
	for (int i = 0; i < 4; i++)
		client_key(&cl, OK, '\t');
	type(cl.modal[0], "甲乙");
	settle(&cl);
	assert_true(modal_shows(&cl, "已收"));
	assert_true(modal_shows(&cl, typed));
	free(tag);
	free(typed);
	PQclear(res);
	client_close(&cl);
}

/* The line of the screen on top drawn as selected (the kvlist's cursor
 * attribute at its first column, below the title and tabs), or -1. */
static int selected_line(struct client *cl)
{
	erase();
	for (int i = 0; i < cl->nmodal; i++)
		cl->modal[i]->ops->draw(cl->modal[i], stdscr, 2, 0, 36, 120);
	for (int y = 4; y < 38; y++) {
		cchar_t cc;
		wchar_t wc[CCHARW_MAX + 1];
		attr_t a;
		short pair;

		mvin_wch(y, 1, &cc);
		getcchar(&cc, wc, &a, &pair, NULL);
		if ((a & ~A_COLOR) == (term_theme.cursor & ~A_COLOR) &&
		    pair == (short)PAIR_NUMBER(term_theme.cursor))
			return y;
	}
	return -1;
}

/* g G and Home End on the enterprise screen, as on every list: the first
 * and the last line; its help says so. */
static void test_enterprise_first_last_line(void **state)
{
	struct client cl;
	int first, last;
	bool in_help = false;

	client_open(&cl);
	client_show_panel(&cl, 1);
	settle(&cl);
	client_key(&cl, OK, 'o');
	settle(&cl);
	assert_int_equal(cl.nmodal, 1);
	for (int i = 0; cl.modal[0]->help[i]; i++)
		in_help = in_help || strncmp(cl.modal[0]->help[i], "g G\t", 4) == 0;
	assert_true(in_help);
	first = selected_line(&cl);
	assert_int_equal(first, 4);
	client_key(&cl, OK, 'G');
	last = selected_line(&cl);
	assert_true(last > first + 5);
	client_key(&cl, OK, 'g');
	assert_int_equal(selected_line(&cl), first);
	client_key(&cl, KEY_CODE_YES, KEY_END);
	assert_int_equal(selected_line(&cl), last);
	client_key(&cl, KEY_CODE_YES, KEY_HOME);
	assert_int_equal(selected_line(&cl), first);
	assert_int_equal(cl.nmodal, 1);
	client_close(&cl);
}

/* A status message longer than the line ends in "…" and says where to
 * read it whole; m shows it whole (wrapped) in the message history. */
static void test_long_status_cut_with_ellipsis(void **state)
{
	struct client cl;
	char *row, *msg = xstrdup("未能导出");
	bool whole = false;

	for (int i = 0; i < 8; i++) {
		char *t = xasprintf("%s：第%d个原因是文件夹不存在或没有写入权限", msg, i);

		free(msg);
		msg = t;
	}
	client_open(&cl);
	client_show_panel(&cl, 1);
	settle(&cl);
	client_status(&cl, true, "%s。结尾XYZ", msg);
	client_draw(&cl);
	row = screen_row(38);
	assert_true(screen_cols(row) <= 120);
	assert_non_null(strstr(row, "…"));
	assert_non_null(strstr(row, "m 看全文"));
	assert_null(strstr(row, "XYZ"));
	free(row);
	client_key(&cl, OK, 'm');
	assert_int_equal(cl.nmodal, 1);
	client_draw(&cl);
	for (int y = 2; y < 38 && !whole; y++)
		whole = screen_find(y, "结尾XYZ") >= 0;
	assert_true(whole);
	client_key(&cl, OK, 'q');
	assert_int_equal(cl.nmodal, 0);
	free(msg);
	client_close(&cl);
}

/* 区镇指标's deadline strip shows whole items only ("… 07-" read as a
 * date), and says more follow with "…"; district names show whole; at 120
 * and 80 columns. */
static void test_deadline_strip_whole_items(void **state)
{
	struct client cl;

	client_open(&cl);
	client_show_panel(&cl, 0);
	settle(&cl);
	for (int width = 120; width >= 80; width -= 40) {
		char *row, *p;

		erase();
		cl.panels[0]->ops->draw(cl.panels[0], stdscr, 2, 0, 36, width);
		/* The district names whole, the longest too, at 80 columns as at 120. */
		bool seen = false;

		for (int y = 3; y < 20 && !seen; y++) {
			char *r = screen_row(y);

			seen = strstr(r, "花桥经济开发区") != NULL;
			free(r);
		}
		if (!seen)
			fail_msg("花桥经济开发区 cut at %d columns", width);
		row = screen_row(2);
		assert_non_null(strstr(row, "期限："));
		/* Every item ends in 天）; the line ends in one or in …. */
		for (p = row + strlen(row); p > row && p[-1] == ' '; p--)
			;
		*p = '\0';
		if (!(strlen(row) >= strlen("天）") && strcmp(p - strlen("天）"), "天）") == 0) &&
		    !(strcmp(p - strlen("…"), "…") == 0))
			fail_msg("the strip ends in a cut item at %d columns: %s", width, row);
		free(row);
	}
	client_close(&cl);
}

/* The top bar keeps the connection state in view however narrow the
 * terminal: the officer's unit is cut before it, not the state. */
static void test_top_bar_keeps_connection_state(void **state)
{
	struct client cl;
	char *row;

	client_open(&cl);
	client_show_panel(&cl, 0);
	settle(&cl);
	screen_close();
	screen_open(10, 40);
	client_draw(&cl);
	row = screen_row(0);
	assert_non_null(strstr(row, "已连接"));
	assert_non_null(strstr(row, "2020年度"));
	free(row);
	client_close(&cl);
}

/* : finds enterprises by part of the name; the menu says it lists at most
 * 50, so an officer with more matches knows to type more. */
static void test_lookup_says_it_stops_at_50(void **state)
{
	struct client cl;

	client_open(&cl);
	client_show_panel(&cl, 1);
	settle(&cl);
	client_key(&cl, OK, ':');
	screen_keys_to_top(&cl, OK, L"昆山\r");
	settle(&cl);
	assert_int_equal(cl.nmodal, 1);
	assert_true(modal_shows(&cl, "最多列出 50 家"));
	screen_keys_to_top(&cl, OK, L"1");	/* the first: the enterprise opens */
	settle(&cl);
	assert_int_equal(cl.nmodal, 1);
	assert_non_null(strstr(cl.modal[0]->keys, "标签"));
	client_close(&cl);
}

/* 企业 at 120 and 80 columns: a name of 16 to 18 Chinese characters (up
 * to 36 columns) shows whole; it was cut at 28 however wide the terminal
 * ("中星（中国）自动化设备有限…"), the other columns taking the room. */
static void test_enterprise_names_whole(void **state)
{
	struct client cl;
	struct listview *lv;
	PGresult *res = admin_exec("SELECT name FROM gb.enterprise WHERE length(name) "
				   "BETWEEN 16 AND 18 AND octet_length(name) = 3 * length(name) "
				   "ORDER BY name DESC LIMIT 1", 0, NULL);
	const char *name;

	assert_int_equal(PQntuples(res), 1);
	name = PQgetvalue(res, 0, 0);
	client_open(&cl);
	client_show_panel(&cl, 1);
	settle(&cl);
	lv = panel(&cl, 1);
	type(&lv->s, "/");
	type(&lv->s, name);
	type(&lv->s, "\r");
	settle(&cl);
	assert_string_equal(listview_cell(lv, listview_cursor(lv), 0), name);
	for (int width = 120; width >= 80; width -= 40) {
		erase();
		lv->s.ops->draw(&lv->s, stdscr, 2, 0, 36, width);
		if (!on_screen_rows(name))
			fail_msg("%s cut at %d columns", name, width);
	}
	PQclear(res);
	client_close(&cl);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_search_before_first_page),
		cmocka_unit_test(test_no_match_before_first_page),
		cmocka_unit_test(test_later_request_wins),
		cmocka_unit_test(test_export_name_kept_on_error),
		cmocka_unit_test(test_export_names_full_path),
		cmocka_unit_test(test_activity_newest_first),
		cmocka_unit_test(test_help_lists_every_key),
		cmocka_unit_test(test_unused_keys_answer),
		cmocka_unit_test(test_o_and_e_on_rows),
		cmocka_unit_test(test_district_enter_own_only),
		cmocka_unit_test(test_agency_sees_itself),
		cmocka_unit_test(test_queue_overdue_in_words),
		cmocka_unit_test(test_keys_wait_for_first_page),
		cmocka_unit_test(test_form_keys_wait_for_record),
		cmocka_unit_test(test_enterprise_first_last_line),
		cmocka_unit_test(test_long_status_cut_with_ellipsis),
		cmocka_unit_test(test_deadline_strip_whole_items),
		cmocka_unit_test(test_top_bar_keeps_connection_state),
		cmocka_unit_test(test_lookup_says_it_stops_at_50),
		cmocka_unit_test(test_enterprise_names_whole),
	};

	setlocale(LC_ALL, "");
	return cmocka_run_group_tests_name("ui list panels on a server", tests, setup, teardown);
}
