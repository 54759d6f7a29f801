/* The client's database layer against a real server: the asynchronous
 * statement queue, notifications, reconnection after the backend is
 * killed, and keyset paging (first, next, previous, last, reload, search
 * forwards and backwards, in both sort directions) over a table of
 * Chinese names, with values that would break SQL built from strings; and
 * the client's enterprise list (db/entlist.h, sql 016) as a city and a
 * district officer: every sortable column pages in the right order both
 * ways, each keyset page is an index condition under the row policy, the
 * 贯标 stage follows the programme year. */
#include "config.h"

#include <poll.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core/xalloc.h"
#include "db/db.h"
#include "db/entlist.h"
#include "db/listen.h"
#include "db/pager.h"

#define NROWS 2500

static struct listen_conn *lc;
static PGconn *admin;

struct answer {
	bool done;
	PGresult *res;		/* a copy (PQcopyResult) */
	char sqlstate[6];
	char *message;
};

static void on_done(void *ctx, const PGresult *res, const struct db_error *err)
{
	struct answer *a = ctx;

	a->done = true;
	if (res != NULL)
		a->res = PQcopyResult(res, PG_COPYRES_ATTRS | PG_COPYRES_TUPLES);
	if (err != NULL) {
		memcpy(a->sqlstate, err->sqlstate, sizeof(a->sqlstate));
		a->message = xstrdup(err->message ? err->message : "");
	}
}

/* Run the loop until a is answered (at most ~5 s). */
static void wait_for(struct answer *a)
{
	for (int i = 0; i < 500 && !a->done; i++) {
		struct pollfd p = { .fd = listen_socket(lc), .events = POLLIN };
		int t = listen_timeout_ms(lc);

		if (p.fd >= 0)
			poll(&p, 1, t < 0 || t > 10 ? 10 : t);
		else
			poll(NULL, 0, 10);
		listen_poll(lc);
	}
	assert_true(a->done);
}

static void answer_clear(struct answer *a)
{
	PQclear(a->res);
	free(a->message);
	memset(a, 0, sizeof(*a));
}

/* Build, run and apply one pager statement; returns rows received. */
static int page(struct pager *p, enum pager_op op, int anchor, const char *text)
{
	struct pager_query q;
	struct answer a = { 0 };
	int n, shift;

	pager_build(p, op, anchor, text, &q);
	listen_send(lc, p, q.sql, q.nparams, (const char *const *)q.params, on_done, &a);
	wait_for(&a);
	if (a.res == NULL)
		fail_msg("%s: %s", q.sql, a.message);
	n = pager_apply(p, &q, a.res, &shift);
	pager_query_clear(&q);
	answer_clear(&a);
	return n;
}

static int setup(void **state)
{
	struct db_error err = { 0 };
	PGresult *res;

	admin = db_connect(NULL, &err);
	assert_non_null(admin);
	res = db_exec(admin,
		      "CREATE TABLE public.t_pager AS SELECT i AS id, "
		      "(ARRAY['张','李','王','O''Brien','$$'])[1 + i % 5] || '公司' || lpad(i::text, 5, '0') AS name, "
		      "CASE WHEN i % 7 = 0 THEN NULL ELSE i * 10 END AS revenue "
		      "FROM generate_series(1, 2500) i", 0, NULL, &err);
	assert_non_null(res);
	PQclear(res);
	lc = listen_open(NULL, "gb_change", "SET jit = off", &err);
	assert_non_null(lc);
	return 0;
}

static int teardown(void **state)
{
	PGresult *res = PQexec(admin, "DROP TABLE public.t_pager");

	PQclear(res);
	listen_close(&lc);
	PQfinish(admin);
	return 0;
}

static const struct pager_col cols[] = {
	{ "name", "name" },
	{ "revenue", "coalesce(revenue, -1)" },
};
static const char *const search[] = { "name" };
static const struct pager_spec spec = {
	.from = "public.t_pager", .id = "id", .cols = cols, .ncols = 2,
	.search = search, .nsearch = 1, .page_rows = 100, .max_rows = 300,
};

/* The window moves forwards and backwards in order and never grows past
 * max_rows, whatever the length of the table. */
static void test_paging(void **state)
{
	struct pager p;
	char prev[64] = "";

	pager_init(&p, &spec, 0);
	assert_int_equal(page(&p, PAGER_FIRST, -1, NULL), 100);
	assert_true(p.at_start);
	assert_false(p.at_end);
	for (int i = 0; i < 30 && !p.at_end; i++) {
		page(&p, PAGER_NEXT, -1, NULL);
		assert_true(p.nrows <= spec.max_rows);
	}
	assert_true(p.at_end);
	assert_false(p.at_start);
	/* Keys strictly increase across the window (name, then id). */
	for (int i = 0; i < p.nrows; i++) {
		assert_true(strcmp(prev, p.rows[i].key) <= 0);
		snprintf(prev, sizeof(prev), "%s", p.rows[i].key);
	}
	for (int i = 0; i < 30 && !p.at_start; i++)
		page(&p, PAGER_PREV, -1, NULL);
	assert_true(p.at_start);
	assert_int_equal(p.nrows, 300);
	pager_clear(&p);
}

/* A first or last page brings only what one screen shows (first_rows),
 * the next pages page_rows; the window still reaches both ends in order. */
static void test_first_screen(void **state)
{
	struct pager p;

	pager_init(&p, &spec, 0);
	p.first_rows = 40;
	assert_int_equal(page(&p, PAGER_FIRST, -1, NULL), 40);
	assert_true(p.at_start);
	assert_false(p.at_end);
	assert_int_equal(page(&p, PAGER_NEXT, -1, NULL), 100);
	assert_int_equal(p.nrows, 140);
	assert_true(strcmp(p.rows[39].key, p.rows[40].key) <= 0);
	assert_int_equal(page(&p, PAGER_LAST, -1, NULL), 40);
	assert_true(p.at_end);
	/* A reload keeps every row of the window, not just one screen. */
	assert_int_equal(page(&p, PAGER_PREV, -1, NULL), 100);
	assert_int_equal(page(&p, PAGER_RELOAD, -1, NULL), 140);
	pager_clear(&p);
}

/* End, then reload keeps the window; the last row is the greatest. */
static void test_last_and_reload(void **state)
{
	struct pager p;
	struct answer a = { 0 };

	pager_init(&p, &spec, 0);
	assert_int_equal(page(&p, PAGER_LAST, -1, NULL), 100);
	assert_true(p.at_end);
	listen_send(lc, &p, "SELECT max(name) FROM public.t_pager", 0, NULL, on_done, &a);
	wait_for(&a);
	assert_string_equal(p.rows[p.nrows - 1].cells[0], PQgetvalue(a.res, 0, 0));
	answer_clear(&a);
	char *first = xstrdup(p.rows[0].id);

	assert_int_equal(page(&p, PAGER_RELOAD, -1, NULL), 100);
	assert_string_equal(p.rows[0].id, first);
	free(first);
	pager_clear(&p);
}

/* Searching: forwards from a row, on past it, backwards; text with LIKE
 * wildcards and quotes is taken literally. */
static void test_find(void **state)
{
	struct pager p;

	pager_init(&p, &spec, 0);
	page(&p, PAGER_FIRST, -1, NULL);
	assert_true(page(&p, PAGER_FIND, 0, "王公司01") > 0);
	assert_string_equal(p.rows[0].cells[0], "王公司01002");
	assert_true(page(&p, PAGER_FIND_AFTER, 0, "王公司01") > 0);
	assert_string_equal(p.rows[0].cells[0], "王公司01007");
	assert_true(page(&p, PAGER_FIND_BEFORE, 0, "王公司01") > 0);
	assert_string_equal(p.rows[0].cells[0], "王公司01002");
	assert_true(page(&p, PAGER_FIND, -1, "O'Brien") > 0);
	assert_string_equal(p.rows[0].cells[0], "O'Brien公司00003");
	assert_true(page(&p, PAGER_FIND, -1, "$$公司00004") > 0);
	assert_string_equal(p.rows[0].cells[0], "$$公司00004");
	/* "%" is not a wildcard: nothing matches, the window stays. */
	char *keep = xstrdup(p.rows[0].id);

	assert_int_equal(page(&p, PAGER_FIND, -1, "公司%1"), 0);
	assert_string_equal(p.rows[0].id, keep);
	free(keep);
	pager_clear(&p);
}

/* Descending sort by a column with NULLs (sorted as -1), and filters. */
static void test_sort_and_filter(void **state)
{
	struct pager p;

	pager_init(&p, &spec, 0);
	assert_true(pager_set_sort(&p, 1, true));
	assert_false(pager_set_sort(&p, 5, false));
	page(&p, PAGER_FIRST, -1, NULL);
	assert_string_equal(p.rows[0].cells[1], "25000");
	page(&p, PAGER_NEXT, -1, NULL);
	for (int i = 1; i < p.nrows; i++)
		assert_true(atof(p.rows[i - 1].key) >= atof(p.rows[i].key));
	page(&p, PAGER_LAST, -1, NULL);
	assert_string_equal(p.rows[p.nrows - 1].cells[1], "");
	pager_add_cond(&p, "name LIKE %s", "李%");
	assert_int_equal(p.nrows, 0);
	page(&p, PAGER_FIRST, -1, NULL);
	for (int i = 0; i < p.nrows; i++)
		assert_true(strncmp(p.rows[i].cells[0], "李", 3) == 0);
	/* A stale result (built before the filter changed) is refused. */
	struct pager_query q;
	struct answer a = { 0 };
	int shift;

	pager_build(&p, PAGER_FIRST, -1, NULL, &q);
	pager_add_cond(&p, "id < %s", "10");
	listen_send(lc, &p, q.sql, q.nparams, (const char *const *)q.params, on_done, &a);
	wait_for(&a);
	assert_int_equal(pager_apply(&p, &q, a.res, &shift), -1);
	pager_query_clear(&q);
	answer_clear(&a);
	pager_clear(&p);
}

/* Errors come back with their SQLSTATE; the queue goes on afterwards. */
static void test_errors_and_order(void **state)
{
	struct answer a = { 0 }, b = { 0 };
	const char *bad[1] = { "x';DROP TABLE public.t_pager;--" };

	listen_send(lc, NULL, "SELECT $1::int", 1, bad, on_done, &a);
	listen_send(lc, NULL, "SELECT count(*) FROM public.t_pager", 0, NULL, on_done, &b);
	wait_for(&b);
	assert_true(a.done);
	assert_string_equal(a.sqlstate, "22P02");
	assert_string_equal(PQgetvalue(b.res, 0, 0), "2500");
	answer_clear(&a);
	answer_clear(&b);
}

/* A cancelled statement does not call back; its context is freed. */
static int freed;
static void count_free(void *ctx)
{
	freed++;
	free(ctx);
}

static void test_cancel(void **state)
{
	struct answer b = { 0 };
	int owner;

	listen_send_ex(lc, &owner, "SELECT pg_sleep(0.05)", 0, NULL, on_done, xmalloc(4), count_free);
	listen_cancel(lc, &owner);
	listen_send(lc, NULL, "SELECT 1", 0, NULL, on_done, &b);
	wait_for(&b);
	assert_int_equal(freed, 1);
	answer_clear(&b);
}

/* Notifications on the channel arrive; the payload names table and id. */
static void test_notify(void **state)
{
	struct answer a = { 0 };
	char *payload = NULL, table[32];
	long long id;
	PGresult *res = PQexec(admin, "NOTIFY gb_change, '{\"table\":\"enterprise\",\"id\":123,\"version\":4}'");

	PQclear(res);
	listen_send(lc, NULL, "SELECT pg_sleep(0.05)", 0, NULL, on_done, &a);
	wait_for(&a);
	answer_clear(&a);
	for (int i = 0; i < 100 && (payload = listen_next_payload(lc)) == NULL; i++) {
		poll(NULL, 0, 10);
		listen_poll(lc);
	}
	assert_non_null(payload);
	assert_true(listen_parse_payload(payload, table, sizeof(table), &id));
	assert_string_equal(table, "enterprise");
	assert_int_equal(id, 123);
	free(payload);
	assert_false(listen_parse_payload("{\"id\":5}", table, sizeof(table), &id));
}

/* A search condition given as SQL gets the raw text (no %…% pattern) as a
 * parameter: the enterprise panel searches through gb.enterprise_search. */
static void test_search_sql(void **state)
{
	static const struct pager_spec sspec = {
		.from = "public.t_pager", .id = "id", .cols = cols, .ncols = 2,
		.search = search, .nsearch = 1,
		.search_sql = "id IN (SELECT i FROM generate_series(1, 2500) i "
			      "WHERE '公司' || lpad(i::text, 5, '0') = right(%s, 7))",
		.page_rows = 100, .max_rows = 300,
	};
	struct pager p;
	struct pager_query q;
	struct db_error err = { 0 };
	PGresult *res;

	pager_init(&p, &sspec, 0);
	pager_build(&p, PAGER_FIND, -1, "王公司00042", &q);
	assert_non_null(strstr(q.sql, "generate_series"));
	assert_null(strstr(q.sql, "ILIKE"));
	assert_string_equal(q.params[0], "王公司00042");
	res = db_exec(admin, q.sql, q.nparams, (const char *const *)q.params, &err);
	assert_non_null(res);
	assert_true(PQntuples(res) > 0);
	assert_string_equal(PQgetvalue(res, 0, 0), "王公司00042");
	PQclear(res);
	pager_query_clear(&q);
	pager_clear(&p);
}

/* With search_sql_min, a text of fewer characters (not bytes: 王公 is six)
 * is searched with the ILIKE columns in the list's order, a longer one
 * with the spec's condition. */
static void test_search_sql_min(void **state)
{
	static const struct pager_spec sspec = {
		.from = "public.t_pager", .id = "id", .cols = cols, .ncols = 2,
		.search = search, .nsearch = 1,
		.search_sql = "id IN (SELECT i FROM generate_series(1, 2500) i "
			      "WHERE '公司' || lpad(i::text, 5, '0') = right(%s, 7))",
		.search_sql_min = 3, .page_rows = 100, .max_rows = 300,
	};
	struct pager p;
	struct pager_query q;

	pager_init(&p, &sspec, 0);
	pager_build(&p, PAGER_FIND, -1, "王公", &q);
	assert_null(strstr(q.sql, "generate_series"));
	assert_non_null(strstr(q.sql, "ILIKE"));
	assert_string_equal(q.params[0], "%王公%");
	pager_query_clear(&q);
	assert_int_equal(page(&p, PAGER_FIND, -1, "李公"), 100);
	for (int i = 0; i < p.nrows; i++)
		assert_non_null(strstr(p.rows[i].cells[0], "李公"));
	pager_build(&p, PAGER_FIND, -1, "王公司", &q);
	assert_non_null(strstr(q.sql, "generate_series"));
	assert_null(strstr(q.sql, "ILIKE"));
	pager_query_clear(&q);
	pager_clear(&p);
}

/* Run the statement for op on the admin connection without applying it:
 * NULL and the message in *msg (caller frees) when the server refused. */
static PGresult *try_find(struct pager *p, enum pager_op op, int anchor, const char *text,
			  char **msg)
{
	struct pager_query q;
	struct db_error err = { 0 };
	PGresult *res;

	pager_build(p, op, anchor, text, &q);
	res = db_exec(admin, q.sql, q.nparams, (const char *const *)q.params, &err);
	*msg = res == NULL ? xstrdup(err.message ? err.message : "") : NULL;
	db_error_clear(&err);
	pager_query_clear(&q);
	return res;
}

/* op for text from row anchor finds a row named want, first on the page. */
static void find_is(struct pager *p, enum pager_op op, int anchor, const char *text,
		    const char *want)
{
	assert_true(page(p, op, anchor, text) > 0);
	assert_string_equal(p->rows[0].cells[0], want);
}

/* The walk (search_walk): a text in many rows is met among the next rows
 * of the list, in its order and both directions, without running
 * search_sql (here a function that fails when called); a text not met
 * there goes to search_sql, unless the walk reached the end of the list. */
static void test_search_walk(void **state)
{
	struct pager_spec ws = {
		.from = "public.t_pager", .id = "id", .cols = cols, .ncols = 2,
		.search = search, .nsearch = 1,
		.search_sql = "public.t_boom(%s)", .search_sql_min = 3,
		.search_walk = "strpos(name, %s) > 0", .search_walk_rows = 50,
		.page_rows = 100, .max_rows = 300,
	};
	struct pager p;
	PGresult *res = PQexec(admin, "CREATE FUNCTION public.t_boom(text) RETURNS boolean "
			       "LANGUAGE plpgsql VOLATILE AS $$BEGIN RAISE EXCEPTION "
			       "'search_sql ran'; END$$");
	char *msg;

	assert_int_equal(PQresultStatus(res), PGRES_COMMAND_OK);
	PQclear(res);
	pager_init(&p, &ws, 0);
	/* 公司0 is in every name: the first row, then the next, then back. */
	assert_int_equal(page(&p, PAGER_FIND, -1, "公司0"), 100);
	assert_string_equal(p.rows[0].cells[0], "$$公司00004");
	find_is(&p, PAGER_FIND_AFTER, 0, "公司0", "$$公司00009");
	find_is(&p, PAGER_FIND_BEFORE, 0, "公司0", "$$公司00004");
	/* A rarer text, met after a few rows: the first in the order. */
	find_is(&p, PAGER_FIND, -1, "公司0009", "$$公司00094");
	/* Largest first: the walk goes the other way. */
	assert_true(pager_set_sort(&p, 0, true));
	find_is(&p, PAGER_FIND, -1, "公司0", "王公司02497");
	find_is(&p, PAGER_FIND_AFTER, 0, "公司0", "王公司02492");
	/* 王公司 is first met 2000 rows down in name order: search_sql runs. */
	assert_true(pager_set_sort(&p, 0, false));
	assert_int_equal(page(&p, PAGER_FIRST, -1, NULL), 100);
	res = try_find(&p, PAGER_FIND, 0, "王公司", &msg);
	assert_null(res);
	assert_non_null(strstr(msg, "search_sql ran"));
	free(msg);
	/* So does a text shorter than search_sql_min (no slow ILIKE walk). */
	res = try_find(&p, PAGER_FIND, 0, "王公", &msg);
	assert_null(res);
	assert_non_null(strstr(msg, "search_sql ran"));
	free(msg);
	pager_clear(&p);
	/* Nothing matches and the walk read to the end: no search_sql. */
	ws.search_walk_rows = 5000;
	pager_init(&p, &ws, 0);
	res = try_find(&p, PAGER_FIND, -1, "没有的", &msg);
	assert_non_null(res);
	assert_int_equal(PQntuples(res), 0);
	PQclear(res);
	pager_clear(&p);
	/* With a real search_sql, the text 2000 rows down is found by it. */
	ws.search_sql = "strpos(name, %s) > 0 AND id > 0";
	ws.search_walk_rows = 50;
	pager_init(&p, &ws, 0);
	find_is(&p, PAGER_FIND, -1, "王公司", "王公司00002");
	find_is(&p, PAGER_FIND_BEFORE, 0, "李公司", "李公司02496");
	pager_clear(&p);
	res = PQexec(admin, "DROP FUNCTION public.t_boom(text)");
	PQclear(res);
}

/* listen_interrupt stops the statement of that ctx (a search the officer
 * typed past): running, it ends at once with 57014 instead of after its
 * 30 s; queued, it is never sent (its 30 s would show); the statement after
 * them runs untouched; an answered one is not found. */
static void test_interrupt(void **state)
{
	struct answer a = { 0 }, b = { 0 }, c = { 0 };

	listen_send(lc, NULL, "SELECT pg_sleep(30)", 0, NULL, on_done, &a);
	listen_send(lc, NULL, "SELECT pg_sleep(30)", 0, NULL, on_done, &b);
	listen_send(lc, NULL, "SELECT 'after'", 0, NULL, on_done, &c);
	listen_poll(lc);
	assert_true(listen_interrupt(lc, &b));		/* queued: not sent */
	assert_true(listen_interrupt(lc, &a));		/* running: cancelled */
	wait_for(&a);
	assert_null(a.res);
	assert_string_equal(a.sqlstate, "57014");
	wait_for(&b);
	assert_null(b.res);
	assert_string_equal(b.sqlstate, "57014");
	wait_for(&c);
	assert_non_null(c.res);
	assert_string_equal(PQgetvalue(c.res, 0, 0), "after");
	assert_false(listen_interrupt(lc, &c));		/* answered */
	answer_clear(&a);
	answer_clear(&b);
	answer_clear(&c);
}

/* A statement that changes many enterprises sends one payload without an
 * id (sql 012); the client must recognise it to refresh everything. */
static void test_bulk_notify(void **state)
{
	struct answer a = { 0 };
	char *payload, table[32];
	long long count = -1;
	bool seen = false;
	PGresult *res = PQexec(admin,
		"SELECT gb.admin_programme_load_2020(); SELECT gb.admin_sample(20, 3);"
		"UPDATE gb.enterprise SET contact_name = contact_name || '乙' "
		"WHERE id IN (SELECT id FROM gb.enterprise ORDER BY id LIMIT 3)");

	assert_int_equal(PQresultStatus(res), PGRES_COMMAND_OK);
	PQclear(res);
	listen_send(lc, NULL, "SELECT pg_sleep(0.05)", 0, NULL, on_done, &a);
	wait_for(&a);
	answer_clear(&a);
	for (int i = 0; i < 100 && !seen; i++) {
		while (!seen && (payload = listen_next_payload(lc)) != NULL) {
			seen = listen_parse_bulk(payload, table, sizeof(table), &count);
			free(payload);
		}
		poll(NULL, 0, 10);
		listen_poll(lc);
	}
	assert_true(seen);
	assert_string_equal(table, "enterprise");
	assert_int_equal(count, 3);
	assert_false(listen_parse_bulk("{\"table\":\"enterprise\",\"id\":5,\"version\":2}",
				       table, sizeof(table), &count));
}

/* The backend is killed: the statement fails, the connection comes back
 * with LISTEN again, and both events are reported. */
static void test_reconnect(void **state)
{
	struct answer a = { 0 }, b = { 0 };
	char pid[16];
	const char *params[1] = { pid };
	PGresult *res;

	snprintf(pid, sizeof(pid), "%d", PQbackendPID(listen_pgconn(lc)));
	listen_send(lc, NULL, "SELECT pg_sleep(2)", 0, NULL, on_done, &a);
	listen_poll(lc);
	res = PQexecParams(admin, "SELECT pg_terminate_backend($1::int)", 1, NULL, params, NULL, NULL, 0);
	PQclear(res);
	wait_for(&a);
	assert_null(a.res);
	/* The running statement's outcome is unknown, and the officer is told. */
	assert_non_null(strstr(a.message, "是否完成未知"));
	answer_clear(&a);
	assert_true(listen_take_events(lc) & LISTEN_EV_LOST);
	for (int i = 0; i < 300 && !listen_up(lc); i++) {
		poll(NULL, 0, 10);
		listen_poll(lc);
	}
	assert_true(listen_up(lc));
	assert_true(listen_take_events(lc) & LISTEN_EV_RESTORED);
	res = PQexec(admin, "NOTIFY gb_change, '{\"table\":\"gb_case\",\"id\":9}'");
	PQclear(res);
	listen_send(lc, NULL, "SELECT pg_sleep(0.05)", 0, NULL, on_done, &b);
	wait_for(&b);
	answer_clear(&b);
	char *payload = NULL;

	for (int i = 0; i < 100 && (payload = listen_next_payload(lc)) == NULL; i++) {
		poll(NULL, 0, 10);
		listen_poll(lc);
	}
	assert_non_null(payload);
	free(payload);
}

/* ------------------------------------------------ the enterprise list */

static char city_login[64], district_login[64];

/* Sample enterprises, cases in several years, and ties and NULLs in the
 * sort keys; a city and a district officer. */
static void entlist_setup(void)
{
	static bool done;
	struct db_error err = { 0 };
	const char *p[1];
	PGresult *res;

	if (done)
		return;
	done = true;
	res = db_exec(admin, "SELECT gb.admin_sample(700, 3)", 0, NULL, &err);
	assert_non_null(res);
	PQclear(res);
	/* Equal sales and employees (name decides), and NULLs (first, as -1). */
	res = db_exec(admin, "UPDATE gb.enterprise SET sales_revenue_wan = CASE WHEN id % 6 = 0 "
		      "THEN NULL WHEN id % 6 = 1 THEN 100.5 ELSE sales_revenue_wan END, "
		      "employees = CASE WHEN id % 5 = 0 THEN NULL WHEN id % 5 = 1 THEN 30 "
		      "ELSE employees END", 0, NULL, &err);
	assert_non_null(res);
	PQclear(res);
	snprintf(city_login, sizeof(city_login), "%s_lcity", getenv("PGDATABASE"));
	snprintf(district_login, sizeof(district_login), "%s_ldist", getenv("PGDATABASE"));
	p[0] = city_login;
	res = db_exec(admin, "SELECT gb.admin_officer_add($1, 'city', NULL, NULL, '列表测试')", 1, p, &err);
	assert_non_null(res);
	PQclear(res);
	p[0] = district_login;
	res = db_exec(admin, "SELECT gb.admin_officer_add($1, 'district', "
		      "(SELECT name FROM gb.district WHERE id = 3), NULL, '列表测试')", 1, p, &err);
	assert_non_null(res);
	PQclear(res);
	res = db_exec(admin, "ANALYZE gb.enterprise", 0, NULL, &err);
	assert_non_null(res);
	PQclear(res);
}

/* A connection as login (the row policy applies: not a superuser). */
static struct listen_conn *connect_as(const char *login)
{
	struct db_error err = { 0 };
	char *ci = xasprintf("user=%s", login);
	struct listen_conn *c = listen_open(ci, "gb_change", "SET jit = off", &err);

	free(ci);
	assert_non_null(c);
	return c;
}

/* Run q on c and apply it to p. */
static int page_on(struct listen_conn *c, struct pager *p, enum pager_op op)
{
	struct listen_conn *saved = lc;
	int n;

	lc = c;
	n = page(p, op, -1, NULL);
	lc = saved;
	return n;
}

/* The ids the officer may see in the expected order of column col, from
 * the raw columns (not the client's sort expressions), comma-separated. */
static char *expected_order(const char *login, int col, bool desc)
{
	static const char *const asc[ENTLIST_NCOLS] = {
		[ENTLIST_NAME] = "name, id",
		[ENTLIST_DISTRICT] = "district_id, name, id",
		[ENTLIST_SALES] = "sales_revenue_wan NULLS FIRST, name, id",
		[ENTLIST_EMPLOYEES] = "employees NULLS FIRST, name, id",
		[ENTLIST_USCC] = "uscc, id",
	};
	static const char *const dsc[ENTLIST_NCOLS] = {
		[ENTLIST_NAME] = "name DESC, id DESC",
		[ENTLIST_DISTRICT] = "district_id DESC, name DESC, id DESC",
		[ENTLIST_SALES] = "sales_revenue_wan DESC NULLS LAST, name DESC, id DESC",
		[ENTLIST_EMPLOYEES] = "employees DESC NULLS LAST, name DESC, id DESC",
		[ENTLIST_USCC] = "uscc DESC, id DESC",
	};
	struct db_error err = { 0 };
	char *sql = xasprintf("SELECT string_agg(id::text, ',' ORDER BY %s) FROM gb.enterprise "
			      "WHERE $1 = 'city' OR district_id = 3", desc ? dsc[col] : asc[col]);
	const char *p[1] = { strstr(login, "_lcity") ? "city" : "district" };
	PGresult *res = db_exec(admin, sql, 1, p, &err);
	char *out;

	assert_non_null(res);
	out = xstrdup(PQgetvalue(res, 0, 0));
	PQclear(res);
	free(sql);
	return out;
}

/* Fail with where got and want part, when they differ. */
static void same_order(const char *got, const char *want, const char *what, int col, bool desc)
{
	size_t i = 0;

	while (got[i] && got[i] == want[i])
		i++;
	if (got[i] == want[i])
		return;
	i = i > 20 ? i - 20 : 0;
	fail_msg("%s, column %d %s: from character %zu got \"%.60s\" want \"%.60s\"", what, col,
		 desc ? "DESC" : "ASC", i, got + i, want + i);
}

/* Append the ids of the n rows a page brought to *acc: the last n of the
 * window going forwards, the first n (back to front) going backwards. */
static void add_ids(char **acc, const struct pager *p, bool backwards, int n)
{
	for (int k = 0; k < n; k++) {
		const char *id = p->rows[backwards ? n - 1 - k : p->nrows - n + k].id;
		char *t = xasprintf("%s%s%s", *acc, **acc ? "," : "", id);

		free(*acc);
		*acc = t;
	}
}

/* Every sortable column of the list, both directions, as both officers:
 * FIRST then NEXT to the end, and LAST then PREV to the start, give every
 * row the officer may see in the order of the raw columns. */
static void test_entlist_sort_order(void **state)
{
	const char *logins[2];

	entlist_setup();
	logins[0] = city_login;
	logins[1] = district_login;
	for (int o = 0; o < 2; o++) {
		struct listen_conn *c = connect_as(logins[o]);
		struct pager_spec es = {
			.from = ENTLIST_FROM, .id = "id", .cols = entlist_cols,
			.ncols = ENTLIST_NCOLS, .ties = entlist_ties,
			.page_rows = 37, .max_rows = 37,
		};

		for (int col = 0; col < ENTLIST_NCOLS; col++) {
			for (int d = 0; d < 2; d++) {
				struct pager p;
				char *want, *fwd = xstrdup(""), *back = xstrdup("");

				pager_init(&p, &es, 0);
				if (!pager_set_sort(&p, col, d == 1)) {
					assert_null(entlist_cols[col].sort);
					pager_clear(&p);
					free(fwd);
					free(back);
					continue;
				}
				pager_add_cond(&p, ENTLIST_YEAR_COND, "2020");
				want = expected_order(logins[o], col, d == 1);
				add_ids(&fwd, &p, false, page_on(c, &p, PAGER_FIRST));
				for (int i = 0; i < 100 && !p.at_end; i++)
					add_ids(&fwd, &p, false, page_on(c, &p, PAGER_NEXT));
				add_ids(&back, &p, true, page_on(c, &p, PAGER_LAST));
				for (int i = 0; i < 100 && !p.at_start; i++)
					add_ids(&back, &p, true, page_on(c, &p, PAGER_PREV));
				assert_true(strlen(want) > 100);
				same_order(fwd, want, logins[o], col, d == 1);
				/* back holds the order reversed: compare with the
				 * other direction's expectation. */
				char *rev = expected_order(logins[o], col, d == 0);

				same_order(back, rev, "backwards", col, d == 1);
				free(rev);
				free(want);
				free(fwd);
				free(back);
				pager_clear(&p);
			}
		}
		listen_close(&c);
	}
}

/* The plan of every page of every sortable column, as a district officer
 * (the row policy filters): the keyset row comparison is an index
 * condition (not a filter checked from the start of the order), on the
 * index made for that column.  Sequential scans and sorts are priced out
 * so that a table of 700 rows is planned as a million would be. */
static void test_entlist_sort_indexes(void **state)
{
	static const char *const index[ENTLIST_NCOLS] = {
		[ENTLIST_NAME] = "enterprise_name_id",
		[ENTLIST_DISTRICT] = "enterprise_district_name",
		[ENTLIST_SALES] = "enterprise_sales_name",
		[ENTLIST_EMPLOYEES] = "enterprise_employees_name",
		[ENTLIST_USCC] = "enterprise_uscc_key",
	};
	struct pager_spec es = {
		.from = ENTLIST_FROM, .id = "id", .cols = entlist_cols, .ncols = ENTLIST_NCOLS,
		.ties = entlist_ties, .page_rows = 40, .max_rows = 80,
	};
	struct listen_conn *c;
	PGconn *pc;

	entlist_setup();
	c = connect_as(district_login);
	pc = listen_pgconn(c);
	PQsetnonblocking(pc, 0);
	PQclear(PQexec(pc, "SET enable_seqscan = off; SET enable_sort = off; "
		       "SET enable_bitmapscan = off"));
	for (int col = 0; col < ENTLIST_NCOLS; col++) {
		struct pager p;

		if (entlist_cols[col].sort == NULL)
			continue;
		for (int d = 0; d < 2; d++) {
			pager_init(&p, &es, 0);
			assert_true(pager_set_sort(&p, col, d == 1));
			pager_add_cond(&p, ENTLIST_YEAR_COND, "2020");
			page_on(c, &p, PAGER_FIRST);
			for (int op = PAGER_FIRST; op <= PAGER_PREV; op++) {
				struct pager_query q;
				struct db_error err = { 0 };
				char *sql, *plan = xstrdup("");
				PGresult *res;

				PQsetnonblocking(pc, 0);
				pager_build(&p, op, -1, NULL, &q);
				sql = xasprintf("EXPLAIN (COSTS OFF) %s", q.sql);
				res = db_exec(pc, sql, q.nparams, (const char *const *)q.params, &err);
				assert_non_null(res);
				for (int i = 0; i < PQntuples(res); i++) {
					char *t = xasprintf("%s%s\n", plan, PQgetvalue(res, i, 0));

					free(plan);
					plan = t;
				}
				PQclear(res);
				const char *at = strstr(plan, index[col]);

				if (at == NULL)
					fail_msg("column %d op %d: not on %s:\n%s", col, op, index[col], plan);
				/* The line under the scan: its index condition. */
				at = strchr(at, '\n');
				at += strspn(at, "\n ");
				if ((op == PAGER_NEXT || op == PAGER_PREV) &&
				    strncmp(at, "Index Cond: ", 12) != 0)
					fail_msg("column %d op %d: keyset not an index condition:\n%s",
						 col, op, plan);
				free(plan);
				free(sql);
				pager_query_clear(&q);
			}
			PQsetnonblocking(pc, 1);
			pager_clear(&p);
		}
	}
	listen_close(&c);
}

/* The 贯标 stage is the one of the programme year asked for (Y in the
 * client), and so are the stage filters; the list itself is the same. */
static void test_entlist_year(void **state)
{
	struct pager_spec es = {
		.from = ENTLIST_FROM, .id = "id", .cols = entlist_cols, .ncols = ENTLIST_NCOLS,
		.ties = entlist_ties, .page_rows = 50, .max_rows = 100,
	};
	struct db_error err = { 0 };
	struct listen_conn *c;
	PGresult *res;
	char *ent, *y1, *y2, *label1;

	entlist_setup();
	/* An enterprise with a case in one year and none in another. */
	res = db_exec(admin, "SELECT c.enterprise_id::text, c.year::text, s.label, "
		      "(SELECT max(y.year)::text FROM gb.programme_year y WHERE NOT EXISTS "
		      "(SELECT FROM gb.gb_case o WHERE o.enterprise_id = c.enterprise_id AND o.year = y.year)) "
		      "FROM gb.gb_case c JOIN gb.wf_state s ON s.kind = 'gb' AND s.code = c.state "
		      "ORDER BY c.year, c.id LIMIT 1", 0, NULL, &err);
	assert_non_null(res);
	assert_int_equal(PQntuples(res), 1);
	assert_false(PQgetisnull(res, 0, 3));
	ent = xstrdup(PQgetvalue(res, 0, 0));
	y1 = xstrdup(PQgetvalue(res, 0, 1));
	label1 = xstrdup(PQgetvalue(res, 0, 2));
	y2 = xstrdup(PQgetvalue(res, 0, 3));
	PQclear(res);
	c = connect_as(city_login);
	for (int k = 0; k < 2; k++) {
		struct pager p;
		const char *year = k == 0 ? y1 : y2;

		pager_init(&p, &es, 0);
		pager_add_cond(&p, ENTLIST_YEAR_COND, year);
		pager_add_cond(&p, "id = %s::bigint", ent);
		assert_int_equal(page_on(c, &p, PAGER_FIRST), 1);
		assert_string_equal(p.rows[0].cells[ENTLIST_GB], k == 0 ? label1 : "");
		/* "No case this year" keeps it only in the year without one. */
		pager_add_cond(&p, ENTLIST_NO_CASE_COND, NULL);
		assert_int_equal(page_on(c, &p, PAGER_FIRST), k == 0 ? 0 : 1);
		pager_clear(&p);
		/* A stage filter finds it in its year only. */
		pager_init(&p, &es, 0);
		pager_add_cond(&p, ENTLIST_YEAR_COND, year);
		pager_add_cond(&p, "gb_state = (SELECT code FROM gb.wf_state WHERE kind = 'gb' AND label = %s)",
			       label1);
		page_on(c, &p, PAGER_FIRST);
		for (int i = 0; i < 20 && !p.at_end; i++)
			page_on(c, &p, PAGER_NEXT);
		assert_true(p.at_end);
		assert_int_equal(pager_find_id(&p, ent) >= 0, k == 0);
		pager_clear(&p);
	}
	listen_close(&c);
	free(ent);
	free(y1);
	free(y2);
	free(label1);
}

/* Search in the enterprise list as the panel does it: a whole name finds
 * that enterprise from the top of every order (through the search
 * function; at 1M contrib/bench-ui.sh shows it reads the matches by id);
 * one character is searched row by row with ILIKE from the cursor. */
static void test_entlist_search(void **state)
{
	struct pager_spec es = {
		.from = ENTLIST_FROM, .id = "id", .cols = entlist_cols, .ncols = ENTLIST_NCOLS,
		.ties = entlist_ties, .search = entlist_search, .nsearch = 4,
		.search_sql = ENTLIST_SEARCH_SQL, .search_sql_min = ENTLIST_SEARCH_MIN,
		.search_walk = ENTLIST_SEARCH_WALK, .search_walk_rows = ENTLIST_SEARCH_WALK_ROWS,
		.page_rows = 50, .max_rows = 100,
	};
	struct db_error err = { 0 };
	struct listen_conn *c;
	struct pager p;
	struct pager_query q;
	PGresult *res;
	char *id, *name;

	entlist_setup();
	res = db_exec(admin, "SELECT id::text, name FROM gb.enterprise ORDER BY name, id "
		      "OFFSET (SELECT count(*) * 9 / 10 FROM gb.enterprise) LIMIT 1", 0, NULL, &err);
	assert_non_null(res);
	id = xstrdup(PQgetvalue(res, 0, 0));
	name = xstrdup(PQgetvalue(res, 0, 1));
	PQclear(res);
	c = connect_as(city_login);
	for (int col = 0; col < ENTLIST_NCOLS; col++) {
		if (entlist_cols[col].sort == NULL)
			continue;
		pager_init(&p, &es, 0);
		assert_true(pager_set_sort(&p, col, col % 2 == 1));
		pager_add_cond(&p, ENTLIST_YEAR_COND, "2020");
		page_on(c, &p, PAGER_FIRST);
		pager_build(&p, PAGER_FIND, 0, name, &q);
		assert_null(strstr(q.sql, "ILIKE"));
		pager_query_clear(&q);
		struct listen_conn *saved = lc;

		lc = c;
		assert_true(page(&p, PAGER_FIND, 0, name) > 0);
		lc = saved;
		assert_string_equal(p.rows[0].id, id);
		pager_clear(&p);
	}
	/* A text in most names: the walk meets the next in the order. */
	pager_init(&p, &es, 0);
	pager_add_cond(&p, ENTLIST_YEAR_COND, "2020");
	assert_int_equal(page_on(c, &p, PAGER_FIRST), 50);
	{
		struct listen_conn *was = lc;
		const char *after[2] = { p.rows[3].key, p.rows[3].id };

		res = db_exec(admin, "SELECT id::text FROM gb.enterprise WHERE gb.enterprise_match("
			      "name, main_products, contact_name, uscc, '有限公司') AND (name, id) > "
			      "($1, $2::bigint) ORDER BY name, id LIMIT 1", 2, after, &err);
		assert_non_null(res);
		assert_int_equal(PQntuples(res), 1);
		lc = c;
		assert_true(page(&p, PAGER_FIND_AFTER, 3, "有限公司") > 0);
		lc = was;
		assert_string_equal(p.rows[0].id, PQgetvalue(res, 0, 0));
		PQclear(res);
	}
	pager_clear(&p);
	/* One character: the walk too, the first row (by name) that holds it. */
	pager_init(&p, &es, 0);
	pager_add_cond(&p, ENTLIST_YEAR_COND, "2020");
	pager_build(&p, PAGER_FIND, -1, "司", &q);
	assert_non_null(strstr(q.sql, "gb.enterprise_match"));
	assert_null(strstr(q.sql, "ILIKE"));
	pager_query_clear(&q);
	assert_int_equal(page_on(c, &p, PAGER_FIRST), 50);
	struct listen_conn *saved = lc;

	lc = c;
	assert_true(page(&p, PAGER_FIND, -1, "司") > 0);
	lc = saved;
	res = db_exec(admin, "SELECT id::text FROM gb.enterprise WHERE name LIKE '%司%' OR "
		      "main_products LIKE '%司%' OR contact_name LIKE '%司%' ORDER BY name, id LIMIT 1",
		      0, NULL, &err);
	assert_non_null(res);
	assert_string_equal(p.rows[0].id, PQgetvalue(res, 0, 0));
	PQclear(res);
	pager_clear(&p);
	listen_close(&c);
	free(id);
	free(name);
}

/* Columns without a sort key are refused, with the reason the panel gives. */
static void test_entlist_nosort(void **state)
{
	static const char *const why[ENTLIST_NCOLS] = { [ENTLIST_GB] = "来自贯标记录" };
	struct pager_spec es = {
		.from = ENTLIST_FROM, .id = "id", .cols = entlist_cols, .ncols = ENTLIST_NCOLS,
		.ties = entlist_ties, .nosort = why, .page_rows = 50, .max_rows = 100,
	};
	struct pager p;

	pager_init(&p, &es, 0);
	assert_false(pager_set_sort(&p, ENTLIST_GB, false));
	assert_int_equal(p.sort_col, 0);
	assert_string_equal(pager_nosort_reason(&es, ENTLIST_GB), "来自贯标记录");
	assert_null(pager_nosort_reason(&es, ENTLIST_SALES));
	assert_null(pager_nosort_reason(&spec, 0));
	assert_true(pager_set_sort(&p, ENTLIST_SALES, true));
	pager_clear(&p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_paging),
		cmocka_unit_test(test_last_and_reload),
		cmocka_unit_test(test_first_screen),
		cmocka_unit_test(test_find),
		cmocka_unit_test(test_sort_and_filter),
		cmocka_unit_test(test_errors_and_order),
		cmocka_unit_test(test_cancel),
		cmocka_unit_test(test_notify),
		cmocka_unit_test(test_bulk_notify),
		cmocka_unit_test(test_search_sql),
		cmocka_unit_test(test_search_sql_min),
		cmocka_unit_test(test_search_walk),
		cmocka_unit_test(test_interrupt),
		cmocka_unit_test(test_reconnect),
		cmocka_unit_test(test_entlist_sort_order),
		cmocka_unit_test(test_entlist_sort_indexes),
		cmocka_unit_test(test_entlist_year),
		cmocka_unit_test(test_entlist_search),
		cmocka_unit_test(test_entlist_nosort),
	};

	return cmocka_run_group_tests_name("db listen and pager", tests, setup, teardown);
}
