#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"
#include "db/admin_load.h"

/* Rows land here in file order; line counts the header as line 1. */
static const char create_sql[] =
	"CREATE TEMP TABLE indicator_load ("
	" line int GENERATED ALWAYS AS IDENTITY (START WITH 2),"
	" code text, parent_code text, title text, max_score text) ON COMMIT DROP";

static const char copy_sql[] =
	"COPY pg_temp.indicator_load (code, parent_code, title, max_score)"
	" FROM STDIN (FORMAT csv, HEADER true)";

/* Fill err from a failed COPY, keeping the server's CONTEXT (which names
 * the line) in the detail. */
static void copy_error(PGresult *res, PGconn *conn, struct db_error *err)
{
	const char *ctx = res ? PQresultErrorField(res, PG_DIAG_CONTEXT) : NULL;

	db_error_from_result(res, conn, err);
	if (ctx != NULL) {
		char *d = err->detail ? xasprintf("%s；%s", err->detail, ctx) : xstrdup(ctx);

		free(err->detail);
		err->detail = d;
	}
}

/* Send the whole buffer through COPY FROM STDIN.  Returns true on success. */
static bool copy_in(PGconn *conn, const char *csv, size_t len, struct db_error *err)
{
	PGresult *res = PQexec(conn, copy_sql);
	size_t off = 0;
	bool ok;

	if (PQresultStatus(res) != PGRES_COPY_IN) {
		copy_error(res, conn, err);
		PQclear(res);
		return false;
	}
	PQclear(res);
	while (off < len) {
		size_t n = len - off > 65536 ? 65536 : len - off;

		if (PQputCopyData(conn, csv + off, (int)n) != 1)
			break;
		off += n;
	}
	PQputCopyEnd(conn, off < len ? "client could not send the file" : NULL);
	res = PQgetResult(conn);
	ok = PQresultStatus(res) == PGRES_COMMAND_OK;
	if (!ok)
		copy_error(res, conn, err);
	PQclear(res);
	/* Drain: COPY leaves exactly one more NULL result. */
	while ((res = PQgetResult(conn)) != NULL)
		PQclear(res);
	return ok;
}

long long admin_load_indicators(PGconn *conn, const char *csv, size_t len,
				const char *version, bool sample, struct db_error *err)
{
	const char *params[2] = { version, sample ? "true" : "false" };
	PGresult *res;
	long long id = -1;

	if (!db_exec_script(conn, "BEGIN", err))
		return -1;
	if (!db_exec_script(conn, create_sql, err) || !copy_in(conn, csv, len, err))
		goto rollback;
	res = db_exec(conn, "SELECT gb.admin_indicators_load($1, $2::boolean)", 2, params, err);
	if (res == NULL)
		goto rollback;
	id = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
	PQclear(res);
	if (!db_exec_script(conn, "COMMIT", err))
		return -1;
	return id;
rollback:
	PQclear(PQexec(conn, "ROLLBACK"));
	return -1;
}

/* Run each statement of a NULL-terminated list with params in the open
 * transaction.  Returns false with err on the first failure. */
static bool exec_all(PGconn *conn, const char *const *sql, int nparams, const char *const *params,
		     struct db_error *err)
{
	for (; *sql != NULL; sql++) {
		PGresult *res = db_exec(conn, *sql, nparams, params, err);

		if (res == NULL)
			return false;
		PQclear(res);
	}
	return true;
}

/* One text value of a query run in the open transaction.  Caller frees.
 * NULL with err. */
static char *query_text(PGconn *conn, const char *sql, int nparams, const char *const *params,
			struct db_error *err)
{
	PGresult *res = db_exec(conn, sql, nparams, params, err);
	char *v;

	if (res == NULL)
		return NULL;
	v = xstrdup(PQgetvalue(res, 0, 0));
	PQclear(res);
	return v;
}

/* Refuse with our own Chinese message (no SQLSTATE: not from the server). */
static void refuse(struct db_error *err, char *message)
{
	db_error_clear(err);
	err->message = message;
}

/* $1 = from year, $2 = to year.  The year row takes every column of the
 * source (so parameters added by later migrations follow), with its own
 * document number marked as copied; the calendar moves by whole years
 * (29 February becomes the 28th); quotas and district contacts stay. */
static const char *const copy_programme_sql[] = {
	"INSERT INTO gb.programme_year SELECT (jsonb_populate_record(NULL::gb.programme_year, to_jsonb(p)"
	" || jsonb_build_object('year', $2::int, 'doc_no', format('待发文（复制自 %s）', p.doc_no),"
	" 'title', replace(p.title, $1::int || '年', $2::int || '年'), 'is_sample', false,"
	" 'version', 1, 'updated_at', now(), 'updated_by', session_user))).*"
	" FROM gb.programme_year p WHERE p.year = $1::int",
	"INSERT INTO gb.deadline (year, code, label, due_on, sort_order)"
	" SELECT $2::int, d.code, d.label, (d.due_on + make_interval(years => $2::int - $1::int))::date, d.sort_order"
	" FROM gb.deadline d WHERE d.year = $1::int ORDER BY d.sort_order, d.id",
	"INSERT INTO gb.district_year (year, district_id, quota_gb, quota_demo, head_name, head_phone)"
	" SELECT $2::int, q.district_id, q.quota_gb, q.quota_demo, q.head_name, q.head_phone"
	" FROM gb.district_year q WHERE q.year = $1::int ORDER BY q.id",
	NULL
};

char *admin_copy_programme(PGconn *conn, int from, int to, struct db_error *err)
{
	char fbuf[16], tbuf[16];
	const char *params[2] = { fbuf, tbuf };
	char *state, *summary = NULL;

	snprintf(fbuf, sizeof(fbuf), "%d", from);
	snprintf(tbuf, sizeof(tbuf), "%d", to);
	if (!db_exec_script(conn, "BEGIN", err))
		return NULL;
	state = query_text(conn, "SELECT (SELECT count(*) FROM gb.programme_year WHERE year = $1::int)"
			   " || '/' || (SELECT count(*) FROM gb.programme_year WHERE year = $2::int)", 2, params, err);
	if (state == NULL)
		goto rollback;
	if (strcmp(state, "1/0") != 0) {
		refuse(err, state[0] == '0' ? xasprintf("没有 %d 年度工作方案，无从复制", from)
			    : xasprintf("%d 年度工作方案已存在，未改动", to));
		free(state);
		goto rollback;
	}
	free(state);
	if (!exec_all(conn, copy_programme_sql, 2, params, err))
		goto rollback;
	summary = query_text(conn, "SELECT format('已将 %s 年度工作方案复制为 %s 年度：%s，%s 个区镇名额，%s 个时间节点（日期顺延 %s 年）',"
			     " $1::int, $2::int, p.doc_no,"
			     " (SELECT count(*) FROM gb.district_year q WHERE q.year = p.year),"
			     " (SELECT count(*) FROM gb.deadline d WHERE d.year = p.year), $2::int - $1::int)"
			     " FROM gb.programme_year p WHERE p.year = $2::int", 2, params, err);
	if (summary == NULL)
		goto rollback;
	if (db_exec_script(conn, "COMMIT", err))
		return summary;
	free(summary);
	return NULL;
rollback:
	PQclear(PQexec(conn, "ROLLBACK"));
	return NULL;
}

/* $1 = year, $2 = seed.  Per district, eligible enterprises (operating
 * two years or more, no serious-dishonesty finding, no 贯标 case but
 * withdrawn, failed or returned ones), in hash order, up to
 * five (and the quota), through a six-state cycle: two of any five
 * consecutive count against the quota (enrolled, implementing), so no
 * district (quotas 2 and up) goes over it. */
static const char sample_year_sql[] =
	"SELECT count(gb.sample_gb_case(s.id, $1::int,"
	" (ARRAY['applied', 'implementing', 'submitted', 'enrolled', 'draft', 'returned'])[1 + (s.k + s.district_id) % 6],"
	" $2::int))"
	" FROM (SELECT e.id, e.district_id, q.quota_gb,"
	"        row_number() OVER (PARTITION BY e.district_id ORDER BY gb.sample_rnd($2::int, e.id, 80), e.id) AS k"
	"       FROM gb.enterprise e JOIN gb.district_year q ON q.district_id = e.district_id AND q.year = $1::int"
	"       WHERE e.above_scale AND e.independent_legal_person AND e.industry IN ('制造业', '生产性服务业')"
	"         AND e.established_on <= make_date($1::int - 3, 1, 1)"
	"         AND NOT EXISTS (SELECT 1 FROM gb.gb_case c WHERE c.enterprise_id = e.id"
	"                         AND c.state NOT IN ('withdrawn', 'failed', 'returned'))"
	"         AND NOT EXISTS (SELECT 1 FROM gb.credit_check k WHERE k.enterprise_id = e.id AND k.serious_dishonesty)"
	"       ORDER BY e.district_id, k) s"
	" WHERE s.k <= least(s.quota_gb, 5)";

/* $1 = year, $2 = seed.  About half of the year's implementing cases have
 * done their internal evaluation and self-assessed every leaf on the
 * year's indicator version (018's gb.sample_spread), so the current year
 * shows scores too; only this year's new cases are touched. */
static const char *const sample_year_scores_sql[] = {
	"UPDATE gb.gb_case c SET internal_evaluation_done = true, department_defined = true,"
	" dedicated_staff = coalesce(c.dedicated_staff, e.contact_name)"
	" FROM gb.enterprise e, gb.programme_year p"
	" WHERE e.id = c.enterprise_id AND p.year = c.year AND p.indicator_version_id IS NOT NULL"
	" AND c.year = $1::int AND c.state = 'implementing' AND gb.sample_rnd($2::int, c.id, 60) < 0.5",
	"INSERT INTO gb.evaluation (gb_case_id, indicator_version_id, evaluated_on, evaluator, version, updated_at, updated_by)"
	" SELECT c.id, p.indicator_version_id, c.started_on + 60, '企业自评', 1, c.started_on + 60 + time '16:00', session_user"
	" FROM gb.gb_case c JOIN gb.programme_year p ON p.year = c.year"
	" WHERE c.year = $1::int AND c.state = 'implementing' AND c.internal_evaluation_done"
	" AND p.indicator_version_id IS NOT NULL AND $2::int IS NOT NULL ORDER BY c.id",
	"INSERT INTO gb.evaluation_score (evaluation_id, indicator_id, self_score, version, updated_at, updated_by)"
	" SELECT f.evaluation_id, f.indicator_id, f.score, 1, v.updated_at, session_user"
	" FROM (SELECT array_agg(v.id ORDER BY v.id) AS ids, array_agg(v.indicator_version_id ORDER BY v.id) AS vers,"
	"        array_agg(floor(iv.total_score * (0.6 + 0.3 * gb.sample_rnd($2::int, c.id, 63)))::numeric ORDER BY v.id) AS targets"
	"       FROM gb.evaluation v JOIN gb.gb_case c ON c.id = v.gb_case_id"
	"       JOIN gb.indicator_version iv ON iv.id = v.indicator_version_id WHERE c.year = $1::int) a"
	" CROSS JOIN LATERAL gb.sample_spread($2::int, 70, a.ids, a.vers, a.targets) f"
	" JOIN gb.evaluation v ON v.id = f.evaluation_id ORDER BY f.evaluation_id, f.indicator_id",
	NULL
};

char *admin_sample_year(PGconn *conn, int year, int seed, struct db_error *err)
{
	char ybuf[16], sbuf[16];
	const char *params[2] = { ybuf, sbuf };
	char *state, *n, *note, *summary = NULL;
	PGresult *res;

	snprintf(ybuf, sizeof(ybuf), "%d", year);
	snprintf(sbuf, sizeof(sbuf), "%d", seed);
	if (!db_exec_script(conn, "BEGIN", err))
		return NULL;
	state = query_text(conn, "SELECT (SELECT count(*) FROM gb.programme_year WHERE year = $1::int)"
			   " || '/' || (SELECT count(*) > 0 FROM gb.gb_case WHERE year = $1::int)"
			   " || '/' || (SELECT count(*) > 0 FROM gb.agency)", 1, params, err);
	if (state == NULL)
		goto rollback;
	if (strcmp(state, "1/false/true") != 0) {
		refuse(err, state[0] == '0' ? xasprintf("没有 %d 年度工作方案（可先 admin programme copy）", year)
			    : strstr(state, "true/") != NULL ? xasprintf("%d 年度已有贯标案件，未生成", year)
			    : xstrdup("还没有服务机构和企业，请先运行 admin sample --enterprises N"));
		free(state);
		goto rollback;
	}
	free(state);
	/* As the full sample: triggers off, history written by the generator. */
	if (!db_exec_script(conn, "SET LOCAL session_replication_role = replica", err))
		goto rollback;
	n = query_text(conn, sample_year_sql, 2, params, err);
	if (n == NULL)
		goto rollback;
	if (!exec_all(conn, sample_year_scores_sql, 2, params, err)) {
		free(n);
		goto rollback;
	}
	summary = xasprintf("已在 %d 年度生成 %s 个早期阶段的贯标案件（种子 %d）", year, n, seed);
	free(n);
	note = xasprintf("样例数据：%s", summary);
	res = db_exec(conn, "INSERT INTO gb.history (table_name, action, note) VALUES ('gb_case', 'sample', $1)",
		      1, (const char *const *)&note, err);
	free(note);
	PQclear(res);
	if (res == NULL || !db_exec_script(conn, "COMMIT", err)) {
		free(summary);
		goto rollback;
	}
	return summary;
rollback:
	PQclear(PQexec(conn, "ROLLBACK"));
	return NULL;
}
