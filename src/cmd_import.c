#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "app.h"
#include "cli_util.h"
#include "core/csv.h"
#include "core/import_sheet.h"
#include "core/xalloc.h"
#include "core/xlsx_read.h"

/* New rows from this many on may take gb.enterprise_insert_staged's bulk
 * path (sql 022; the function's default too), which locks the table. */
#define IMPORT_BULK_MIN 10000
#define STR_(x) #x
#define STR(x) STR_(x)

/* How each import column lands in gb.enterprise.  Identifiers only, from
 * this table: values always travel through COPY or as parameters. */
static const struct merge_col {
	enum import_col col;
	const char *column;	/* column of the staging table and of gb.enterprise */
	const char *type;	/* staging type */
	const char *insert_default;	/* NOT NULL columns: the schema's default for a new
					   enterprise when the cell is empty; NULL = nullable */
} merge_cols[] = {
	{ IMPORT_USCC, "uscc", "text", NULL },
	{ IMPORT_NAME, "name", "text", "name" },
	{ IMPORT_DISTRICT, "district", "text", NULL },
	{ IMPORT_INDUSTRY, "industry", "text", "'制造业'" },
	{ IMPORT_ABOVE_SCALE, "above_scale", "boolean", "false" },
	{ IMPORT_ESTABLISHED, "established_on", "date", NULL },
	{ IMPORT_INDEPENDENT, "independent_legal_person", "boolean", "true" },
	{ IMPORT_PRODUCTS, "main_products", "text", NULL },
	{ IMPORT_REVENUE, "sales_revenue_wan", "numeric", NULL },
	{ IMPORT_EMPLOYEES, "employees", "int", NULL },
	{ IMPORT_CONTACT, "contact_name", "text", NULL },
	{ IMPORT_PHONE, "contact_phone", "text", NULL },
};
#define NMERGE (sizeof(merge_cols) / sizeof(merge_cols[0]))

struct import_run {
	const char *file;
	enum enc_kind enc;
	const char *format;	/* "csv", "xlsx", or NULL: by content */
	bool dry_run;
	bool progress;		/* stderr is a terminal */
	PGconn *conn;
	struct csv_out copy;	/* COPY rows not yet sent */
	bool copy_failed;
	size_t sent;
	struct import_sheet sheet;
	struct timespec start;
	bool show_times;	/* GUANBIAO_IMPORT_TIMES: print the phases' times */
	double phase_start;
	struct csv_out times;	/* "phase x.x 秒；" for each phase done */
};

static double elapsed(const struct import_run *run)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - run->start.tv_sec) +
	       (double)(now.tv_nsec - run->start.tv_nsec) / 1e9;
}

/* The end of a phase: note its time for GUANBIAO_IMPORT_TIMES (benchmarks
 * read where an import spends its time). */
static void phase_done(struct import_run *run, const char *what)
{
	double now = elapsed(run);
	char piece[128];

	if (!run->show_times)
		return;
	snprintf(piece, sizeof(piece), "%s%s %.2f 秒", run->times.len ? "，" : "", what,
		 now - run->phase_start);
	csv_out_append(&run->times, piece, strlen(piece));
	run->phase_start = now;
}

/* A value in COPY text format at o (room for every byte escaped): \N for
 * NULL, backslash escapes.  Returns the end. */
static char *copy_value(char *o, const char *v)
{
	if (v == NULL) {
		*o++ = '\\';
		*o++ = 'N';
		return o;
	}
	for (;;) {
		size_t run = strcspn(v, "\\\t\n\r");

		memcpy(o, v, run);
		o += run;
		v += run;
		if (*v == '\0')
			return o;
		*o++ = '\\';
		*o++ = *v == '\\' ? '\\' : *v == '\t' ? 't' : *v == '\n' ? 'n' : 'r';
		v++;
	}
}

static void copy_flush(struct import_run *run)
{
	if (run->copy.len > 0 && !run->copy_failed &&
	    PQputCopyData(run->conn, run->copy.data, (int)run->copy.len) != 1)
		run->copy_failed = true;
	run->copy.len = 0;
}

/* COPY data goes to the server in pieces of about this size.  The server
 * parses a piece only once it has all of it: small pieces keep it busy
 * while the client reads on (1 MiB pieces made the phase for a million
 * rows a second longer), and they stay in the processor's cache while
 * libpq and the kernel copy them. */
#define COPY_CHUNK (64u << 10)

/* n in decimal at o; returns the end (printf is slow for a million rows). */
static char *decimal(char *o, size_t n)
{
	char digits[24];
	size_t k = 0;

	do
		digits[k++] = (char)('0' + n % 10);
	while ((n /= 10) > 0);
	while (k > 0)
		*o++ = digits[--k];
	return o;
}

/* Each good row goes to the staging table as it is read: its COPY line is
 * written straight into the buffer, room made for it once. */
static void on_row(const struct import_row *row, void *ctx)
{
	struct import_run *run = ctx;
	size_t need = 24;	/* the line number and the newline */
	char *start, *o;

	for (size_t i = 0; i < NMERGE; i++) {
		const char *v = row->v[merge_cols[i].col];

		need += 3 + (v != NULL ? 2 * strlen(v) : 0);
	}
	start = o = csv_out_reserve(&run->copy, need);
	o = decimal(o, row->line);
	for (size_t i = 0; i < NMERGE; i++) {
		*o++ = '\t';
		o = copy_value(o, row->v[merge_cols[i].col]);
	}
	*o++ = '\n';
	run->copy.len += (size_t)(o - start);
	if (run->copy.len >= COPY_CHUNK)
		copy_flush(run);
	if (run->progress && ++run->sent % 20000 == 0)
		fprintf(stderr, "\r已读取 %zu 行…", run->sent);
}

/* Append ", piece" (or just piece when *list is empty).  Frees piece. */
static void list_add(char **list, char *piece)
{
	char *next = **list ? xasprintf("%s, %s", *list, piece) : xstrdup(piece);

	free(*list);
	free(piece);
	*list = next;
}

/* Run a statement; false after printing the server's error. */
static bool exec_ok(struct import_run *run, const char *sql, int n, const char *const *params)
{
	struct db_error err = { 0 };
	PGresult *res = db_exec(run->conn, sql, n, params, &err);

	if (res == NULL) {
		cli_db_fail("import", &err);
		return false;
	}
	PQclear(res);
	return true;
}

/* Only the city and district officers write enterprises: say so before
 * reading the file (GB001 for a login that is not an officer at all). */
static bool may_import(struct import_run *run)
{
	struct db_error err = { 0 };
	PGresult *res = db_exec(run->conn, "SELECT role, role_label FROM gb.current_officer()",
				0, NULL, &err);
	bool ok;

	if (res == NULL) {
		cli_db_fail("import", &err);
		return false;
	}
	ok = strcmp(PQgetvalue(res, 0, 0), "city") == 0 || strcmp(PQgetvalue(res, 0, 0), "district") == 0;
	if (!ok)
		fprintf(stderr, "guanbiao import: 只有市信用办和区镇工作人员可以导入企业（您的角色：%s）\n",
			PQgetvalue(res, 0, 1));
	PQclear(res);
	return ok;
}

/* BEGIN, the staging table, and COPY … FROM STDIN. */
static bool stage_begin(struct import_run *run)
{
	char *create = xstrdup("CREATE TEMP TABLE gb_copy (line int");
	PGresult *res;
	bool ok;

	for (size_t i = 0; i < NMERGE; i++) {
		char *next = xasprintf("%s, %s %s", create, merge_cols[i].column, merge_cols[i].type);

		free(create);
		create = next;
	}
	/* The staging tables of a large file stay in memory (temp_buffers can
	 * only be set before the session's first temporary table), and the
	 * merge's sorts, hashes and the history triggers' transition tables
	 * need not spill to disk. */
	ok = exec_ok(run, "SET temp_buffers = '256MB'", 0, NULL) &&
	     exec_ok(run, "BEGIN", 0, NULL) &&
	     exec_ok(run, "SET LOCAL work_mem = '64MB'", 0, NULL);
	if (ok) {
		char *sql = xasprintf("%s) ON COMMIT DROP", create);

		ok = exec_ok(run, sql, 0, NULL);
		free(sql);
	}
	free(create);
	if (!ok)
		return false;
	res = PQexec(run->conn, "COPY gb_copy (line, uscc, name, district, industry, above_scale,"
			" established_on, independent_legal_person, main_products, sales_revenue_wan,"
			" employees, contact_name, contact_phone) FROM STDIN");
	ok = PQresultStatus(res) == PGRES_COPY_IN;
	if (!ok) {
		struct db_error err = { 0 };

		db_error_from_result(res, run->conn, &err);
		cli_db_fail("import", &err);
	}
	PQclear(res);
	return ok;
}

/* Finish the COPY (cancelled when the file had problems). */
static bool stage_end(struct import_run *run, bool cancel)
{
	PGresult *res;
	bool ok = true;

	copy_flush(run);
	if (PQputCopyEnd(run->conn, cancel || run->copy_failed ? "文件有错误，取消导入" : NULL) != 1)
		ok = false;
	while ((res = PQgetResult(run->conn)) != NULL) {
		if (PQresultStatus(res) != PGRES_COMMAND_OK && !cancel) {
			struct db_error err = { 0 };

			db_error_from_result(res, run->conn, &err);
			cli_db_fail("import", &err);
			ok = false;
		}
		PQclear(res);
	}
	return ok && !cancel;
}

/* Print every problem; returns APP_ERROR. */
static int report_problems(struct import_run *run)
{
	if (run->progress)
		fputs("\r\033[K", stderr);
	for (size_t i = 0; i < run->sheet.nproblems; i++)
		fprintf(stderr, "%s\n", run->sheet.problems[i]);
	fprintf(stderr, "guanbiao import: 发现 %zu 处问题，导入已取消，数据库没有任何改动\n",
		run->sheet.nproblems);
	return APP_ERROR;
}

/* The staged value of a column in gb_import: for a new enterprise (a USCC
 * not yet in gb.enterprise) the schema's default when the cell is empty,
 * so that gb_import's new rows are what gb.enterprise_insert_staged
 * inserts; for an existing one the cell as it is (empty keeps the old
 * value).  Caller frees. */
static char *resolve_value(const struct merge_col *m)
{
	if (m->col == IMPORT_NAME || m->insert_default == NULL)
		return xasprintf("c.%s", m->column);
	return xasprintf("CASE WHEN c.uscc IS NOT NULL AND e.id IS NULL THEN coalesce(c.%s, %s)"
			 " ELSE c.%s END AS %s", m->column, m->insert_default, m->column, m->column);
}

/* Link staged rows to districts and existing enterprises in one pass (by
 * USCC; a 附件2 row without one by its unique name in its district).
 * district_id is where a new enterprise goes (the caller's district when
 * the file names none); gb_owner may read the table, for
 * gb.enterprise_insert_staged. */
static bool stage_resolve(struct import_run *run)
{
	char *cols = xstrdup("c.line");
	char *sql;
	bool ok;

	for (size_t i = 0; i < NMERGE; i++)
		list_add(&cols, resolve_value(&merge_cols[i]));
	sql = xasprintf("CREATE TEMP TABLE gb_import ON COMMIT DROP AS"
			" SELECT %s, d.id AS did, e.id AS eid,"
			" coalesce(d.id, (SELECT me.district_id FROM gb.current_officer() me)) AS district_id"
			" FROM gb_copy c LEFT JOIN gb.district d ON d.name = c.district"
			" LEFT JOIN gb.enterprise e ON e.uscc = c.uscc", cols);
	ok = exec_ok(run, sql, 0, NULL);
	free(sql);
	free(cols);
	return ok &&
	       (run->sheet.has[IMPORT_USCC] ||
		exec_ok(run, "UPDATE gb_import s SET uscc = m.uscc, eid = m.id FROM ("
			     " SELECT s2.line, min(e.uscc) AS uscc, min(e.id) AS id, count(*) AS n"
			     " FROM gb_import s2 CROSS JOIN gb.current_officer() me"
			     " JOIN gb.enterprise e ON e.name = s2.name"
			     "  AND e.district_id = coalesce(s2.did, me.district_id)"
			     " WHERE s2.uscc IS NULL GROUP BY s2.line) m"
			     " WHERE m.line = s.line AND m.n = 1", 0, NULL)) &&
	       exec_ok(run, "GRANT SELECT ON gb_import TO gb_owner", 0, NULL) &&
	       exec_ok(run, "ANALYZE gb_import", 0, NULL);
}

/* What the caller may not do or the file does not say, line by line: one
 * scan finds the rows with a problem (usually none), the reasons are
 * worked out for those.  The same USCC on two lines of the file the reader
 * reported already; with_names adds the check for rows that got their
 * USCC from their name (a file without that column). */
static char *check_sql(bool with_names)
{
	return xasprintf(
		"WITH me AS (SELECT * FROM gb.current_officer()),"
		" bad AS MATERIALIZED (SELECT s.* FROM gb_import s, me"
		"  WHERE (s.district IS NOT NULL AND s.did IS NULL)"
		"   OR (me.role = 'district' AND s.did <> me.district_id)"
		"   OR (s.eid IS NULL AND s.did IS NULL AND me.district_id IS NULL AND s.uscc IS NOT NULL)"
		"   OR s.uscc IS NULL) "
		"SELECT line, col, reason FROM ("
		" SELECT s.line, '区镇' AS col, '没有名为“' || s.district || '”的区镇' AS reason"
		"  FROM bad s WHERE s.district IS NOT NULL AND s.did IS NULL"
		" UNION ALL"
		" SELECT s.line, '区镇', '您只能导入本区镇（' || me.district_name || '）的企业，不能写入“'"
		"   || s.district || '”'"
		"  FROM bad s, me WHERE me.role = 'district' AND s.did <> me.district_id"
		" UNION ALL"
		" SELECT s.line, '区镇', '新企业须填写区镇'"
		"  FROM bad s, me WHERE s.eid IS NULL AND s.did IS NULL AND me.district_id IS NULL"
		"   AND s.uscc IS NOT NULL"
		" UNION ALL"
		" SELECT s.line, '企业名称', '在' || coalesce(s.district, me.district_name, '所填区镇')"
		"   || '找不到唯一一家名为“' || s.name || '”的企业；新企业请填写“统一社会信用代码”列'"
		"  FROM bad s, me WHERE s.uscc IS NULL"
		"%s"
		") p ORDER BY line, col",
		with_names ?
		" UNION ALL"
		" SELECT s.line, '统一社会信用代码', s.uscc || ' 与第 ' || f.first || ' 行是同一家企业'"
		"  FROM gb_import s JOIN (SELECT uscc, min(line) AS first FROM gb_import"
		"   WHERE uscc IS NOT NULL GROUP BY uscc HAVING count(*) > 1) f"
		"  ON f.uscc = s.uscc AND s.line > f.first" : "");
}

/* Add the database's findings to the sheet's problems. */
static bool stage_check(struct import_run *run)
{
	struct db_error err = { 0 };
	char *sql = check_sql(!run->sheet.has[IMPORT_USCC]);
	PGresult *res = db_exec(run->conn, sql, 0, NULL, &err);

	free(sql);
	if (res == NULL) {
		cli_db_fail("import", &err);
		return false;
	}
	for (int r = 0; r < PQntuples(res); r++)
		import_sheet_problem(&run->sheet, run->file, strtoul(PQgetvalue(res, r, 0), NULL, 10),
				     PQgetvalue(res, r, 1), "%s", PQgetvalue(res, r, 2));
	PQclear(res);
	return true;
}

/* The new value of a column for existing enterprise e from staged row s. */
static char *new_value(const struct merge_col *m)
{
	if (m->col == IMPORT_DISTRICT)
		return xstrdup("coalesce(s.did, e.district_id)");
	if (m->insert_default != NULL)
		return xasprintf("coalesce(s.%s, e.%s)", m->column, m->column);
	return xasprintf("s.%s", m->column);
}

static const char *target_column(const struct merge_col *m)
{
	return m->col == IMPORT_DISTRICT ? "district_id" : m->column;
}

/* SQL pieces over the columns the file has: "changed" is true when an
 * existing enterprise e would change by staged row s, "labels" names the
 * changed columns, "set" is the UPDATE's SET list.  Caller frees each. */
static void merge_sql(const struct import_sheet *sheet, char **changed, char **labels, char **set)
{
	char *names = xstrdup("");

	*changed = xstrdup("false");
	*set = xstrdup("");
	for (size_t i = 0; i < NMERGE; i++) {
		const struct merge_col *m = &merge_cols[i];
		char *v, *c;

		if (m->col == IMPORT_USCC || !sheet->has[m->col])
			continue;
		v = new_value(m);
		c = xasprintf("%s OR e.%s IS DISTINCT FROM %s", *changed, target_column(m), v);
		free(*changed);
		*changed = c;
		list_add(&names, xasprintf("CASE WHEN e.%s IS DISTINCT FROM %s THEN '%s' END",
					   target_column(m), v, import_sheet_col_name(m->col)));
		list_add(set, xasprintf("%s = %s", target_column(m), v));
		free(v);
	}
	*labels = *names ? xasprintf("concat_ws('、', %s)", names) : xstrdup("''");
	free(names);
}

/* The INSERT of new enterprises that skips a USCC another district holds
 * (the row exists but the caller cannot see it) and returns first how many
 * it inserted, then the lines it refused.  Caller frees. */
static char *guarded_insert_sql(void)
{
	char *cols = xstrdup("district_id");
	char *sql;

	for (size_t i = 0; i < NMERGE; i++)
		if (merge_cols[i].col != IMPORT_DISTRICT)
			list_add(&cols, xstrdup(merge_cols[i].column));
	sql = xasprintf("WITH ins AS (INSERT INTO gb.enterprise (%s)"
			" SELECT %s FROM gb_import s WHERE s.eid IS NULL ORDER BY s.line"
			" ON CONFLICT (uscc) DO NOTHING RETURNING uscc)"
			" SELECT 0 AS line, NULL AS uscc, count(*) AS n FROM ins"
			" UNION ALL (SELECT s.line, s.uscc, NULL FROM gb_import s"
			" WHERE s.eid IS NULL AND NOT EXISTS (SELECT 1 FROM ins WHERE ins.uscc = s.uscc)"
			" ORDER BY s.line)", cols, cols);
	free(cols);
	return sql;
}

/* Insert the new enterprises; false after printing an error.  The rows
 * left in gb_import go through gb.enterprise_insert_staged, which takes
 * the bulk path for a large batch (see sql/README "Bulk import (022, 024)"),
 * but not for a dry run, which must not lock the table for nothing.  When
 * it meets a USCC the caller cannot see, everything is undone to the
 * savepoint (the bulk path's index drops too) and the guarded INSERT
 * lists every such line. */
static bool insert_new(struct import_run *run, long *inserts)
{
	struct db_error err = { 0 };
	const char *params[] = { run->dry_run ? "9223372036854775807" : STR(IMPORT_BULK_MIN) };
	PGresult *res;
	char *sql;

	if (!exec_ok(run, "SAVEPOINT gb_insert", 0, NULL) ||
	    !exec_ok(run, "DELETE FROM gb_import WHERE eid IS NOT NULL", 0, NULL))
		return false;
	res = db_exec(run->conn, "SELECT gb.enterprise_insert_staged('gb_import', 'line', $1)",
		      1, params, &err);
	if (res != NULL) {
		*inserts = atol(PQgetvalue(res, 0, 0));
		PQclear(res);
		return exec_ok(run, "RELEASE SAVEPOINT gb_insert", 0, NULL);
	}
	if (strcmp(err.sqlstate, "23505") != 0) {
		cli_db_fail("import", &err);
		return false;
	}
	db_error_clear(&err);
	if (!exec_ok(run, "ROLLBACK TO SAVEPOINT gb_insert", 0, NULL))
		return false;
	sql = guarded_insert_sql();
	res = db_exec(run->conn, sql, 0, NULL, &err);
	free(sql);
	if (res == NULL) {
		cli_db_fail("import", &err);
		return false;
	}
	*inserts = atol(PQgetvalue(res, 0, 2));
	for (int r = 1; r < PQntuples(res); r++)
		import_sheet_problem(&run->sheet, run->file, strtoul(PQgetvalue(res, r, 0), NULL, 10),
				     import_sheet_col_name(IMPORT_USCC),
				     "%s 已登记在您无权修改的区镇，不能导入", PQgetvalue(res, r, 1));
	PQclear(res);
	return true;
}

struct plan_counts {
	long inserts, updates, same;
};

/* --dry-run: list on out what the merge will insert and update. */
static bool plan_list(struct import_run *run, const char *changed, const char *labels,
		      FILE *out)
{
	struct db_error err = { 0 };
	char *sql = xasprintf("SELECT s.line, s.uscc, s.name, CASE WHEN s.eid IS NULL THEN 'insert'"
			      " WHEN %s THEN 'update' ELSE 'same' END AS op, %s AS fields"
			      " FROM gb_import s LEFT JOIN gb.enterprise e ON e.id = s.eid"
			      " ORDER BY s.line", changed, labels);
	PGresult *res = db_exec(run->conn, sql, 0, NULL, &err);

	free(sql);
	if (res == NULL) {
		cli_db_fail("import", &err);
		return false;
	}
	for (int r = 0; r < PQntuples(res); r++) {
		const char *op = db_get(res, r, "op");
		const char *fields = db_get(res, r, "fields");

		if (strcmp(op, "same") == 0)
			continue;
		fprintf(out, "%s:%s: %s %s %s%s%s%s\n", run->file, db_get(res, r, "line"),
		       strcmp(op, "insert") == 0 ? "新增" : "更新", db_get(res, r, "uscc"),
		       db_get(res, r, "name"), fields && *fields ? "（" : "",
		       fields ? fields : "", fields && *fields ? "）" : "");
	}
	PQclear(res);
	return true;
}

/* Update the changed enterprises and insert the new ones (history comes
 * from the table triggers, in the caller's name); count what was done. */
static bool merge(struct import_run *run, const char *changed, const char *set,
		  struct plan_counts *pc)
{
	struct db_error err = { 0 };
	char *upd = xasprintf("UPDATE gb.enterprise e SET %s FROM gb_import s"
			      " WHERE e.id = s.eid AND (%s)", set, changed);
	PGresult *res = *set == '\0' ? NULL : db_exec(run->conn, upd, 0, NULL, &err);
	bool ok = *set == '\0' || res != NULL;

	free(upd);
	if (!ok) {
		cli_db_fail("import", &err);
		return false;
	}
	if (res != NULL)
		pc->updates = atol(PQcmdTuples(res));
	PQclear(res);
	phase_done(run, "更新");
	if (run->progress)
		fprintf(stderr, "\r\033[K已核对 %zu 行，正在写入新企业和修改记录%s…", run->sheet.nrows,
			run->sheet.nrows >= IMPORT_BULK_MIN && !run->dry_run
			? "（新企业多时企业表会短暂锁定，其他人查看企业需稍候）" : "");
	if (!insert_new(run, &pc->inserts))
		return false;
	phase_done(run, "新增");
	pc->same = (long)run->sheet.nrows - pc->inserts - pc->updates;
	return true;
}

/* After the rows are staged: resolve, check, plan, merge, commit. */
static int import_apply(struct import_run *run)
{
	struct plan_counts pc = { 0 };
	char *changed = NULL, *labels = NULL, *set = NULL;
	char *plan_text = NULL;
	size_t plan_len = 0;
	FILE *plan = NULL;
	int rc = APP_ERROR;

	if (run->progress)
		fprintf(stderr, "\r\033[K已读取 %zu 行，正在核对…", run->sheet.nrows);
	if (!stage_resolve(run) || !stage_check(run))
		goto out;
	phase_done(run, "核对");
	if (run->sheet.nproblems > 0) {
		import_sheet_sort_problems(&run->sheet);
		rc = report_problems(run);
		goto out;
	}
	if (run->progress)
		fprintf(stderr, "\r\033[K已核对 %zu 行，正在更新有变化的企业…", run->sheet.nrows);
	merge_sql(&run->sheet, &changed, &labels, &set);
	/* The plan is taken before the merge changes what it compares with,
	 * but shown only when the merge found no problem: a dry run never
	 * lists as 新增 a row it then refuses. */
	if (run->dry_run) {
		plan = open_memstream(&plan_text, &plan_len);
		if (plan == NULL)
			fatal("open_memstream failed");
		if (!plan_list(run, changed, labels, plan))
			goto out;
		phase_done(run, "试运行清单");
	}
	if (!merge(run, changed, set, &pc))
		goto out;
	if (run->sheet.nproblems > 0) {
		rc = report_problems(run);
		goto out;
	}
	if (plan != NULL) {
		fclose(plan);
		plan = NULL;
		fputs(plan_text, stdout);
	}
	if (run->progress)
		fputs("\r\033[K", stderr);
	if (run->dry_run) {
		printf("试运行：将新增 %ld 家企业，更新 %ld 家，%ld 家无变化；数据库没有任何改动\n",
		       pc.inserts, pc.updates, pc.same);
		rc = APP_OK;
	} else if (exec_ok(run, "COMMIT", 0, NULL)) {
		double t = elapsed(run);
		long rows = pc.inserts + pc.updates + pc.same;

		phase_done(run, "提交");
		printf("已导入 %s：新增 %ld 家企业，更新 %ld 家，%ld 家无变化（%ld 行，%.1f 秒，每秒 %.0f 行）\n",
		       run->file, pc.inserts, pc.updates, pc.same, rows, t, t > 0 ? rows / t : 0.0);
		rc = APP_OK;
	}
out:
	if (plan != NULL)
		fclose(plan);
	free(plan_text);
	free(changed);
	free(labels);
	free(set);
	return rc;
}

static void import_usage(FILE *out)
{
	fputs("用法: guanbiao import enterprises 文件 [--format auto|csv|xlsx]\n"
	      "                [--encoding auto|utf-8|gb18030] [--dry-run]\n"
	      "\n"
	      "导入区镇报送的企业表：附件2 格式（区镇、业务负责人、联系方式标题行，序号、企业名称、\n"
	      "主要产品、去年销售收入、职工人数、联系人、电话），或每行一家企业、含“统一社会信用代码”\n"
	      "列的清单。列按中文表头识别。已有企业（按统一社会信用代码）更新并留下修改记录，新企业\n"
	      "新增。任何一行有问题时整份文件都不导入，并逐条列出“文件:行: 列名: 原因”。\n"
	      "\n"
	      "  --format 格式    默认 auto：.xlsx 按内容识别（读第一张工作表），其余按 CSV\n"
	      "  --encoding 编码  CSV 的编码，默认 auto：识别 BOM，先按 UTF-8 严格检查，\n"
	      "                   再按 GB18030\n"
	      "  --dry-run        只检查并列出将新增和更新的企业，不改动数据库\n", out);
}

/* Parse the arguments into run; APP_OK, APP_ERROR after a message, or -1
 * after --help. */
static int import_parse(int argc, char **argv, struct import_run *run)
{
	const char *what = NULL;

	run->enc = ENC_UNKNOWN;
	for (int i = 1; i < argc; i++) {
		const char *v;

		if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
			import_usage(stdout);
			return -1;
		} else if (strcmp(argv[i], "--dry-run") == 0) {
			run->dry_run = true;
		} else if ((v = cli_option(argc, argv, &i, "--format", NULL)) != NULL) {
			if (strcmp(v, "csv") != 0 && strcmp(v, "xlsx") != 0 && strcmp(v, "auto") != 0) {
				fprintf(stderr, "guanbiao import: 不支持的格式 %s（可用：auto、csv、xlsx）\n", v);
				return APP_ERROR;
			}
			run->format = strcmp(v, "auto") == 0 ? NULL : v;
		} else if ((v = cli_option(argc, argv, &i, "--encoding", NULL)) != NULL) {
			if (!enc_parse_name(v, &run->enc) || run->enc == ENC_UTF8_BOM) {
				fprintf(stderr, "guanbiao import: 不支持的编码 %s（可用：auto、utf-8、gb18030、gbk）\n", v);
				return APP_ERROR;
			}
		} else if (argv[i][0] != '-' && what == NULL) {
			what = argv[i];
		} else if (argv[i][0] != '-' && run->file == NULL) {
			run->file = argv[i];
		} else {
			fprintf(stderr, "guanbiao import: 无法理解的参数 %s（见 guanbiao import --help）\n",
				argv[i]);
			return APP_ERROR;
		}
	}
	if (what == NULL || strcmp(what, "enterprises") != 0 || run->file == NULL) {
		import_usage(stderr);
		return APP_ERROR;
	}
	return APP_OK;
}

/* XLSX when asked or when the file is a ZIP archive; CSV otherwise. */
static bool import_read(struct import_run *run, const char *bytes, size_t len)
{
	if (run->format != NULL ? strcmp(run->format, "xlsx") == 0 : xlsx_looks_like(bytes, len))
		return import_sheet_read_xlsx(run->file, bytes, len, on_row, run, &run->sheet);
	return import_sheet_read(run->file, bytes, len, run->enc, on_row, run, &run->sheet);
}

int cmd_import(int argc, char **argv, const struct app_options *opt)
{
	struct import_run run = { 0 };
	char msg[512];
	size_t len;
	char *bytes;
	bool readable;
	int rc = import_parse(argc, argv, &run);

	if (rc != APP_OK)
		return rc < 0 ? APP_OK : rc;
	clock_gettime(CLOCK_MONOTONIC, &run.start);
	run.progress = isatty(STDERR_FILENO);
	run.show_times = getenv("GUANBIAO_IMPORT_TIMES") != NULL;
	bytes = cli_read_file(run.file, &len, msg, sizeof(msg));
	if (bytes == NULL) {
		fprintf(stderr, "guanbiao import: %s\n", msg);
		return APP_ERROR;
	}
	run.conn = cli_connect("import", opt);
	if (run.conn == NULL || !may_import(&run) || !stage_begin(&run)) {
		free(bytes);
		PQfinish(run.conn);
		return APP_ERROR;
	}
	readable = import_read(&run, bytes, len);
	free(bytes);
	for (size_t i = 0; i < run.sheet.nnotes; i++)
		fprintf(stderr, "%s%s\n", i == 0 && run.progress ? "\r\033[K" : "", run.sheet.notes[i]);
	/* Good rows of a file with bad ones are still staged, so that the
	 * database's checks (districts, rights) are reported too. */
	if (!stage_end(&run, !readable)) {
		rc = run.sheet.nproblems > 0 ? report_problems(&run) : APP_ERROR;
	} else {
		phase_done(&run, "读取并暂存");
		rc = import_apply(&run);
	}
	if (run.times.len > 0)
		fprintf(stderr, "guanbiao import: 各阶段耗时：%.*s\n", (int)run.times.len, run.times.data);
	/* Anything not committed is rolled back: the file changes all or nothing. */
	PQfinish(run.conn);
	import_sheet_free(&run.sheet);
	csv_out_free(&run.copy);
	csv_out_free(&run.times);
	return rc;
}
