/* Concurrency (RELIABILITY.md §4-6) against the real server, with officers
 * logged in as themselves on separate connections: two sessions acting on
 * one case with one version (exactly one wins, the other gets GB004); two
 * enrolments racing for the last place of a quota (exactly one wins); two
 * nominations racing for the one open 示范 case; and a stress run of several
 * sessions firing random legal and illegal actions, after which every
 * case's history is one unbroken chain of legal steps whose replay is the
 * stored state, with every acknowledged action in it exactly once. */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <poll.h>
#include <cmocka.h>

#include "core/xalloc.h"
#include "db/db.h"

#define STRESS_SESSIONS 4
#define STRESS_CASES 12
#define STRESS_ACTIONS 400

struct fixture {
	PGconn *admin;		/* superuser, for setting up and checking */
	char city[64];		/* login names of the officers */
	char district[64];
	char agency[64];
};

/* Run sql as the superuser; fail the test on error.  Caller PQclears. */
static PGresult *must(PGconn *c, const char *sql, int n, const char *const *p)
{
	struct db_error err = { 0 };
	PGresult *r = db_exec(c, sql, n, p, &err);

	if (r == NULL)
		fail_msg("%s: %s", sql, err.message);
	return r;
}

static void must_run(PGconn *c, const char *sql)
{
	PQclear(must(c, sql, 0, NULL));
}

/* The single value of a one-row query. Caller frees. */
static char *value(PGconn *c, const char *sql, int n, const char *const *p)
{
	PGresult *r = must(c, sql, n, p);
	char *v = xstrdup(PQntuples(r) > 0 ? PQgetvalue(r, 0, 0) : "");

	PQclear(r);
	return v;
}

static long long value_ll(PGconn *c, const char *sql, int n, const char *const *p)
{
	char *v = value(c, sql, n, p);
	long long x = strtoll(v, NULL, 10);

	free(v);
	return x;
}

/* A connection logged in as login (the test cluster trusts local users). */
static PGconn *connect_as(const char *login)
{
	struct db_error err = { 0 };
	char *ci = xasprintf("user=%s dbname=%s", login, getenv("PGDATABASE"));
	PGconn *c = db_connect(ci, &err);

	free(ci);
	if (c == NULL)
		fail_msg("connect as %s: %s", login, err.message);
	return c;
}

static void add_officer(struct fixture *f, char *out, const char *suffix, const char *role,
			const char *district, const char *agency)
{
	const char *p[4];

	snprintf(out, 64, "%s_%s", getenv("PGDATABASE"), suffix);
	p[0] = out;
	p[1] = role;
	p[2] = district;
	p[3] = agency;
	PQclear(must(f->admin, "SELECT gb.admin_officer_add($1, $2, $3, $4, $1)", 4, p));
}

static int setup(void **state)
{
	struct fixture *f = xcalloc(1, sizeof(*f));
	struct db_error err = { 0 };

	f->admin = db_connect(NULL, &err);
	if (f->admin == NULL)
		return -1;
	must_run(f->admin, "SET client_min_messages = warning");
	must_run(f->admin, "SELECT gb.admin_programme_load_2020()");
	must_run(f->admin, "INSERT INTO gb.agency (name) VALUES ('并发测试机构')");
	add_officer(f, f->city, "c", "city", NULL, NULL);
	add_officer(f, f->district, "d", "district", "张浦镇", NULL);
	add_officer(f, f->agency, "a", "agency", NULL, "并发测试机构");
	/* A case of enterprise n that meets every rule of every step (its
	 * trainings and materials written past the triggers: a case created
	 * in a state where they may no longer change). */
	must_run(f->admin,
		"CREATE FUNCTION pg_temp.ready_case(n int, st text) RETURNS bigint LANGUAGE plpgsql AS $$"
		" DECLARE e bigint; c bigint; BEGIN"
		" INSERT INTO gb.enterprise (uscc, name, district_id, above_scale, established_on)"
		" VALUES (gb.sample_uscc(70000 + n), '并发企业' || n, (SELECT id FROM gb.district WHERE name = '张浦镇'),"
		"  true, current_date - 4000) RETURNING id INTO e;"
		" INSERT INTO gb.contract (agency_id, enterprise_id, kind, year, signed_on, starts_on)"
		" VALUES ((SELECT id FROM gb.agency WHERE name = '并发测试机构'), e, 'gb_consult', 2020, current_date, current_date);"
		" INSERT INTO gb.gb_case (enterprise_id, year, state, management_committed, working_group_formed,"
		"  work_plan_done, dedicated_staff, department_defined, internal_evaluation_done, acceptance_score, last_action)"
		" VALUES (e, 2020, st, true, true, true, '王五', true, true, 700, 'create') RETURNING id INTO c;"
		" PERFORM set_config('session_replication_role', 'replica', true);"
		" INSERT INTO gb.training (gb_case_id, held_on, topic) VALUES (c, current_date, '一'), (c, current_date, '二');"
		" INSERT INTO gb.material (programme, gb_case_id, kind, status, received_on)"
		"  SELECT 'gb', c, code, 'received', current_date FROM gb.material_kind WHERE programme = 'gb';"
		" PERFORM set_config('session_replication_role', 'origin', true);"
		" INSERT INTO gb.credit_check (enterprise_id, stage, issued_on, source)"
		"  VALUES (e, 'gb_acceptance', current_date, '江苏省公共信用信息中心');"
		" RETURN c; END $$");
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	const char *logins[3] = { f->city, f->district, f->agency };

	for (int i = 0; i < 3; i++) {
		char *sql = xasprintf("DROP ROLE IF EXISTS \"%s\"", logins[i]);

		PQclear(PQexec(f->admin, sql));
		free(sql);
	}
	PQfinish(f->admin);
	free(f);
	return 0;
}

/* Send an action without waiting. */
static void send_act(PGconn *c, const char *case_id, const char *version, const char *action,
		     const char *note)
{
	const char *p[4] = { case_id, version, action, note };

	if (!PQsendQueryParams(c, "SELECT gb.gb_case_act($1, $2, $3, $4)", 4, NULL, p, NULL, NULL, 0))
		fail_msg("send: %s", PQerrorMessage(c));
}

/* Wait for the result of a sent query: the SQLSTATE ("" on success). */
static void wait_result(PGconn *c, char sqlstate[6])
{
	PGresult *r;

	sqlstate[0] = '\0';
	while ((r = PQgetResult(c)) != NULL) {
		if (PQresultStatus(r) != PGRES_TUPLES_OK) {
			const char *s = PQresultErrorField(r, PG_DIAG_SQLSTATE);

			snprintf(sqlstate, 6, "%s", s ? s : "?????");
		}
		PQclear(r);
	}
}

/* True once the session is waiting for a lock held by another. */
static int blocked(PGconn *admin, PGconn *c)
{
	char pid[16];
	const char *p[1] = { pid };

	snprintf(pid, sizeof(pid), "%d", PQbackendPID(c));
	return value_ll(admin, "SELECT count(*) FROM pg_stat_activity WHERE pid = $1 AND wait_event_type = 'Lock'",
			1, p) == 1;
}

static void wait_blocked(PGconn *admin, PGconn *c)
{
	for (int i = 0; i < 500 && !blocked(admin, c); i++)
		must_run(admin, "SELECT pg_sleep(0.01)");
	assert_true(blocked(admin, c));
}

/* Two officers act on one case with the version both read: one wins, the
 * other is told who changed it. */
static void test_same_version_one_wins(void **state)
{
	struct fixture *f = *state;
	char *cid = value(f->admin, "SELECT pg_temp.ready_case(1, 'submitted')", 0, NULL);
	PGconn *a = connect_as(f->city), *b = connect_as(f->district);
	char sa[6], sb[6];

	must_run(a, "BEGIN");
	send_act(a, cid, "1", "enrol", NULL);
	wait_result(a, sa);
	/* b sends while a holds the row: it must wait, then lose. */
	send_act(b, cid, "1", "withdraw", "企业放弃");
	wait_blocked(f->admin, b);
	must_run(a, "COMMIT");
	wait_result(b, sb);
	assert_string_equal(sa, "");
	assert_string_equal(sb, "GB004");
	{
		const char *p[1] = { cid };
		char *st = value(f->admin, "SELECT state || ' ' || version || ' ' || "
				 "(SELECT count(*) FROM gb.history WHERE table_name = 'gb_case' AND record_id = $1)"
				 " FROM gb.gb_case WHERE id = $1", 1, p);

		/* the creation and the one winning action */
		assert_string_equal(st, "enrolled 2 2");
		free(st);
	}
	PQfinish(a);
	PQfinish(b);
	free(cid);
}

/* Two enrolments for the last place of the district's quota, sent at once
 * by two city sessions: exactly one is enrolled. */
static void test_quota_race(void **state)
{
	struct fixture *f = *state;
	char *c1 = value(f->admin, "SELECT pg_temp.ready_case(11, 'submitted')", 0, NULL);
	char *c2 = value(f->admin, "SELECT pg_temp.ready_case(12, 'submitted')", 0, NULL);
	PGconn *a = connect_as(f->city), *b = connect_as(f->city);
	char sa[6], sb[6];
	long long enrolled;

	/* quota - 1 places taken: one left */
	must_run(f->admin, "UPDATE gb.district_year SET quota_gb = 1 + (SELECT count(*) FROM gb.gb_case c"
		 " JOIN gb.enterprise e ON e.id = c.enterprise_id WHERE e.district_id = district_year.district_id"
		 " AND c.year = 2020 AND c.enrolled_on IS NOT NULL AND c.state <> 'withdrawn')"
		 " WHERE year = 2020 AND district_id = (SELECT id FROM gb.district WHERE name = '张浦镇')");
	must_run(a, "BEGIN");
	send_act(a, c1, "1", "enrol", NULL);
	wait_result(a, sa);
	send_act(b, c2, "1", "enrol", NULL);
	wait_blocked(f->admin, b);
	must_run(a, "COMMIT");
	wait_result(b, sb);
	assert_string_equal(sa, "");
	assert_string_equal(sb, "GB007");
	/* And both at once without a transaction around them. */
	must_run(f->admin, "UPDATE gb.district_year SET quota_gb = quota_gb + 1"
		 " WHERE year = 2020 AND district_id = (SELECT id FROM gb.district WHERE name = '张浦镇')");
	free(c1);
	c1 = value(f->admin, "SELECT pg_temp.ready_case(13, 'submitted')", 0, NULL);
	free(c2);
	c2 = value(f->admin, "SELECT pg_temp.ready_case(14, 'submitted')", 0, NULL);
	send_act(a, c1, "1", "enrol", NULL);
	send_act(b, c2, "1", "enrol", NULL);
	wait_result(a, sa);
	wait_result(b, sb);
	assert_true((sa[0] == '\0') != (sb[0] == '\0'));
	assert_string_equal(sa[0] ? sa : sb, "GB007");
	{
		char *ids = xasprintf("{%s,%s}", c1, c2);
		const char *p[1] = { ids };

		enrolled = value_ll(f->admin, "SELECT count(*) FROM gb.gb_case WHERE id = ANY ($1::bigint[])"
				    " AND state = 'enrolled'", 1, p);
		free(ids);
	}
	assert_int_equal(enrolled, 1);
	assert_int_equal(value_ll(f->admin, "SELECT count(*) FROM gb.district_year q WHERE q.quota_gb < (SELECT count(*)"
				  " FROM gb.gb_case c JOIN gb.enterprise e ON e.id = c.enterprise_id"
				  " WHERE e.district_id = q.district_id AND c.year = q.year"
				  " AND c.enrolled_on IS NOT NULL AND c.state <> 'withdrawn')", 0, NULL), 0);
	PQfinish(a);
	PQfinish(b);
	free(c1);
	free(c2);
}

/* Two nominations of one enterprise for Suzhou 示范 at once: the partial
 * unique index lets one through, the other gets GB005. */
static void test_one_open_demo_case(void **state)
{
	struct fixture *f = *state;
	char *eid = value(f->admin,
		"WITH e AS (INSERT INTO gb.enterprise (uscc, name, district_id, above_scale, established_on)"
		" VALUES (gb.sample_uscc(79999), '示范并发', (SELECT id FROM gb.district WHERE name = '张浦镇'), true, '2000-01-01')"
		" RETURNING id), g AS (INSERT INTO gb.gb_case (enterprise_id, year, state, passed_on)"
		" SELECT id, 2020, 'passed', current_date - 800 FROM e) SELECT id FROM e", 0, NULL);
	PGconn *a = connect_as(f->city), *b = connect_as(f->district);
	const char *p[1] = { eid };
	const char *sql = "SELECT gb.demo_case_nominate($1, 'suzhou', 2020)";
	char sa[6], sb[6];

	must_run(a, "BEGIN");
	assert_true(PQsendQueryParams(a, sql, 1, NULL, p, NULL, NULL, 0));
	wait_result(a, sa);
	assert_true(PQsendQueryParams(b, sql, 1, NULL, p, NULL, NULL, 0));
	wait_blocked(f->admin, b);
	must_run(a, "COMMIT");
	wait_result(b, sb);
	assert_string_equal(sa, "");
	assert_string_equal(sb, "GB005");
	assert_int_equal(value_ll(f->admin, "SELECT count(*) FROM gb.demo_case WHERE enterprise_id = $1", 1, p), 1);
	PQfinish(a);
	PQfinish(b);
	free(eid);
}

struct session {
	PGconn *conn;
	int busy;
	long long case_id;
	int version;
	const char *action;
};

struct ack {
	long long case_id;
	int version;		/* the new version the action returned */
	const char *action;
};

/* Actions to fire, terminal ones rarer so that cases keep moving. */
static const char *const stress_actions[] = {
	"apply", "submit", "return", "enrol", "start", "request_acceptance", "rectify",
	"apply", "submit", "return", "enrol", "start", "request_acceptance", "rectify",
	"pass", "fail", "withdraw", "disqualify",
};

/* Pick a case, read its version now (it may be stale by the time the
 * action runs: that is part of the test), and send mostly a forward step
 * legal from its state (for some role), otherwise any action at all. */
static void stress_send(struct fixture *f, struct session *s, const long long *cases, unsigned *seed)
{
	char id[24];
	const char *p[1] = { id };
	PGresult *r;
	char *legal, *tok, *save = NULL;
	int nlegal = 0, pick;
	const char *choice[16];

	s->case_id = cases[rand_r(seed) % STRESS_CASES];
	snprintf(id, sizeof(id), "%lld", s->case_id);
	r = must(f->admin, "SELECT g.version, coalesce((SELECT string_agg(DISTINCT t.action, ',')"
		 " FROM gb.wf_transition t WHERE t.kind = 'gb' AND t.from_state = g.state"
		 " AND t.action NOT IN ('pass', 'fail', 'withdraw', 'disqualify')), '')"
		 " FROM gb.gb_case g WHERE g.id = $1", 1, p);
	s->version = atoi(PQgetvalue(r, 0, 0));
	legal = xstrdup(PQgetvalue(r, 0, 1));
	PQclear(r);
	for (tok = strtok_r(legal, ",", &save); tok != NULL && nlegal < 16; tok = strtok_r(NULL, ",", &save)) {
		for (size_t i = 0; i < sizeof(stress_actions) / sizeof(stress_actions[0]); i++) {
			if (strcmp(tok, stress_actions[i]) == 0) {
				choice[nlegal++] = stress_actions[i];
				break;
			}
		}
	}
	pick = rand_r(seed) % 4;
	if (nlegal > 0 && pick > 0)
		s->action = choice[rand_r(seed) % nlegal];
	else
		s->action = stress_actions[rand_r(seed) % (sizeof(stress_actions) / sizeof(stress_actions[0]))];
	free(legal);
	{
		char ver[16];

		snprintf(ver, sizeof(ver), "%d", s->version);
		send_act(s->conn, id, ver, s->action, "压力测试");
	}
	s->busy = 1;
}

/* Collect a finished result: an acknowledged action, or a refusal whose
 * code must be one of ours. */
static void stress_collect(struct session *s, struct ack *acks, int *nacks, int *refused)
{
	PGresult *r;

	while ((r = PQgetResult(s->conn)) != NULL) {
		if (PQresultStatus(r) == PGRES_TUPLES_OK) {
			acks[*nacks].case_id = s->case_id;
			acks[*nacks].version = atoi(PQgetvalue(r, 0, 0));
			acks[*nacks].action = s->action;
			(*nacks)++;
		} else {
			const char *st = PQresultErrorField(r, PG_DIAG_SQLSTATE);

			if (st == NULL || strncmp(st, "GB", 2) != 0)
				fail_msg("unexpected error: %s", PQresultErrorMessage(r));
			(*refused)++;
		}
		PQclear(r);
	}
	s->busy = 0;
}

/* Several sessions, random actions on shared cases, all in flight at once. */
static void test_stress_history_replays(void **state)
{
	struct fixture *f = *state;
	struct session ss[STRESS_SESSIONS];
	long long cases[STRESS_CASES];
	struct ack *acks = xcalloc(STRESS_ACTIONS, sizeof(*acks));
	int sent = 0, done = 0, nacks = 0, refused = 0;
	unsigned seed = 20201;
	const char *who[STRESS_SESSIONS] = { f->city, f->city, f->district, f->agency };

	for (int i = 0; i < STRESS_CASES; i++) {
		char n[16];
		const char *p[1] = { n };

		snprintf(n, sizeof(n), "%d", 100 + i);
		cases[i] = value_ll(f->admin, "SELECT pg_temp.ready_case($1::int, 'draft')", 1, p);
	}
	/* A tight quota, so that enrolments compete for it. */
	must_run(f->admin, "UPDATE gb.district_year SET quota_gb = 4 + (SELECT count(*) FROM gb.gb_case c"
		 " JOIN gb.enterprise e ON e.id = c.enterprise_id WHERE e.district_id = district_year.district_id"
		 " AND c.year = 2020 AND c.enrolled_on IS NOT NULL AND c.state <> 'withdrawn')"
		 " WHERE year = 2020 AND district_id = (SELECT id FROM gb.district WHERE name = '张浦镇')");
	for (int i = 0; i < STRESS_SESSIONS; i++) {
		ss[i].conn = connect_as(who[i]);
		ss[i].busy = 0;
	}
	while (done < STRESS_ACTIONS) {
		struct pollfd pfd[STRESS_SESSIONS];

		for (int i = 0; i < STRESS_SESSIONS; i++) {
			if (!ss[i].busy && sent < STRESS_ACTIONS) {
				stress_send(f, &ss[i], cases, &seed);
				sent++;
			}
			pfd[i].fd = PQsocket(ss[i].conn);
			pfd[i].events = POLLIN;
		}
		poll(pfd, STRESS_SESSIONS, 1000);
		for (int i = 0; i < STRESS_SESSIONS; i++) {
			if (!ss[i].busy)
				continue;
			PQconsumeInput(ss[i].conn);
			if (!PQisBusy(ss[i].conn)) {
				stress_collect(&ss[i], acks, &nacks, &refused);
				done++;
			}
		}
	}
	for (int i = 0; i < STRESS_SESSIONS; i++)
		PQfinish(ss[i].conn);
	assert_int_equal(nacks + refused, STRESS_ACTIONS);
	assert_true(nacks > 30);	/* the run did move cases */
	assert_true(refused > 30);	/* and met conflicts and illegal steps */

	/* Put the acknowledged actions and the cases in tables, then check. */
	must_run(f->admin, "CREATE TEMP TABLE ack (case_id bigint, version int, action text)");
	must_run(f->admin, "CREATE TEMP TABLE stress_case (id bigint)");
	for (int i = 0; i < nacks; i++) {
		char id[24], v[16];
		const char *p[3] = { id, v, acks[i].action };

		snprintf(id, sizeof(id), "%lld", acks[i].case_id);
		snprintf(v, sizeof(v), "%d", acks[i].version);
		PQclear(must(f->admin, "INSERT INTO ack VALUES ($1, $2, $3)", 3, p));
	}
	for (int i = 0; i < STRESS_CASES; i++) {
		char id[24];
		const char *p[1] = { id };

		snprintf(id, sizeof(id), "%lld", cases[i]);
		PQclear(must(f->admin, "INSERT INTO stress_case VALUES ($1)", 1, p));
	}
	must_run(f->admin,
		"CREATE TEMP VIEW chain AS SELECT h.*, (h.after->>'version')::int AS v,"
		" row_number() OVER w AS n, lag(h.to_state) OVER w AS prev"
		" FROM gb.history h JOIN stress_case s ON s.id = h.record_id WHERE h.table_name = 'gb_case'"
		" WINDOW w AS (PARTITION BY h.record_id ORDER BY h.id)");
	/* Versions 1, 2, 3 … in order; each step starts where the last ended. */
	assert_int_equal(value_ll(f->admin, "SELECT count(*) FROM chain WHERE v <> n"
				  " OR from_state IS DISTINCT FROM prev", 0, NULL), 0);
	/* Each step after the first is a transition the actor's role may take. */
	assert_int_equal(value_ll(f->admin, "SELECT count(*) FROM chain c WHERE n > 1 AND NOT EXISTS ("
				  " SELECT 1 FROM gb.wf_transition t JOIN gb.officer o ON o.role = t.role"
				  " WHERE t.kind = 'gb' AND (t.from_state, t.action, t.to_state) = (c.from_state, c.action, c.to_state)"
				  " AND o.login = c.login)", 0, NULL), 0);
	/* Replaying the chain gives the stored state and version. */
	assert_int_equal(value_ll(f->admin, "SELECT count(*) FROM gb.gb_case g JOIN stress_case s ON s.id = g.id"
				  " WHERE g.state || '/' || g.version IS DISTINCT FROM (SELECT c.to_state || '/' || c.v FROM chain c"
				  " WHERE c.record_id = g.id ORDER BY c.n DESC LIMIT 1)", 0, NULL), 0);
	/* Every acknowledged action is in the history exactly once, and
	 * nothing else is. */
	assert_int_equal(value_ll(f->admin, "SELECT count(*) FROM ack a WHERE (SELECT count(*) FROM chain c"
				  " WHERE c.record_id = a.case_id AND c.v = a.version AND c.action = a.action) <> 1",
				  0, NULL), 0);
	assert_int_equal(value_ll(f->admin, "SELECT count(*) FROM chain WHERE n > 1", 0, NULL), nacks);
	/* The quota held. */
	assert_int_equal(value_ll(f->admin, "SELECT count(*) FROM gb.district_year q WHERE q.quota_gb < (SELECT count(*)"
				  " FROM gb.gb_case c JOIN gb.enterprise e ON e.id = c.enterprise_id"
				  " WHERE e.district_id = q.district_id AND c.year = q.year"
				  " AND c.enrolled_on IS NOT NULL AND c.state <> 'withdrawn')", 0, NULL), 0);
	free(acks);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_same_version_one_wins),
		cmocka_unit_test(test_quota_race),
		cmocka_unit_test(test_one_open_demo_case),
		cmocka_unit_test(test_stress_history_replays),
	};

	return cmocka_run_group_tests_name("db_concurrency", tests, setup, teardown);
}
