/* The client's database layer against a real server: the asynchronous
 * statement queue, notifications, reconnection after the backend is
 * killed, and keyset paging (first, next, previous, last, reload, search
 * forwards and backwards, in both sort directions) over a table of
 * Chinese names, with values that would break SQL built from strings. */
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
		cmocka_unit_test(test_reconnect),
	};

	return cmocka_run_group_tests_name("db listen and pager", tests, setup, teardown);
}
