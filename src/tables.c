#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"
#include "tables.h"

void tables_doc_free(struct tables_doc *doc)
{
	for (size_t i = 0; i < doc->n; i++)
		out_table_free(&doc->tables[i]);
	XFREE(doc->tables);
	doc->n = 0;
}

static void doc_add(struct tables_doc *doc, struct out_table *t)
{
	doc->tables = xreallocarray(doc->tables, doc->n + 1, sizeof(*doc->tables));
	doc->tables[doc->n++] = t;
}

/* An error of ours (not the server's) for the officer. */
static bool fail(struct db_error *err, char *message)
{
	db_error_clear(err);
	err->message = message;
	return false;
}

/* Run sql and append each result row as a row of kind to t (result
 * column i is cell i; SQL NULL is an empty cell).  Rows come one at a
 * time (libpq single-row mode), so a streaming table never holds them. */
static bool add_rows(PGconn *conn, struct out_table *t, enum out_row_kind kind,
		     const char *sql, int nparams, const char *const *params,
		     struct db_error *err)
{
	const char **cells = xcalloc(t->ncols, sizeof(*cells));
	PGresult *res;
	bool ok = true;

	if (!PQsendQueryParams(conn, sql, nparams, NULL, params, NULL, NULL, 0)) {
		db_error_from_result(NULL, conn, err);
		free(cells);
		return false;
	}
	PQsetSingleRowMode(conn);
	while ((res = PQgetResult(conn)) != NULL) {
		ExecStatusType st = PQresultStatus(res);

		if (st == PGRES_SINGLE_TUPLE && ok) {
			for (size_t c = 0; c < t->ncols; c++)
				cells[c] = (int)c < PQnfields(res) && !PQgetisnull(res, 0, (int)c)
					   ? PQgetvalue(res, 0, (int)c) : NULL;
			out_table_add(t, kind, cells);
		} else if (st != PGRES_TUPLES_OK && st != PGRES_SINGLE_TUPLE && ok) {
			db_error_from_result(res, conn, err);
			ok = false;
		}
		PQclear(res);
	}
	free(cells);
	return ok;
}

/* The year must be a programme year. */
static bool check_year(PGconn *conn, const char *year, struct db_error *err)
{
	const char *p[] = { year };
	PGresult *res = db_exec(conn, "SELECT 1 FROM gb.programme_year WHERE year = $1::int",
				1, p, err);
	bool found;

	if (res == NULL)
		return false;
	found = PQntuples(res) > 0;
	PQclear(res);
	if (!found)
		return fail(err, xasprintf("没有 %s 年度的工作方案（先由市信用办登记该年度）", year));
	return true;
}

/* A --district the caller may read: it exists, and a district officer
 * names their own. */
static bool check_district(PGconn *conn, const char *district, struct db_error *err)
{
	const char *p[] = { district };
	PGresult *res;
	const char *own;
	bool ok = true;

	if (district == NULL)
		return true;
	res = db_exec(conn,
		"SELECT d.id, me.role, me.district_id, me.district_name"
		" FROM gb.current_officer() me LEFT JOIN gb.district d ON d.name = $1", 1, p, err);
	if (res == NULL)
		return false;
	own = db_get(res, 0, "district_name");
	if (PQgetisnull(res, 0, 0))
		ok = fail(err, xasprintf("没有名为“%s”的区镇", district));
	else if (strcmp(db_get(res, 0, "role"), "district") == 0 && own != NULL &&
		 strcmp(db_get(res, 0, "id"), db_get(res, 0, "district_id")) != 0)
		ok = fail(err, xasprintf("您只能导出本区镇（%s）的数据，不能导出“%s”", own, district));
	PQclear(res);
	return ok;
}

/* A table made of a header, the rows of one query and optionally a 合计
 * row from a second query over the same parameters. */
struct table_spec {
	const char *sheet;
	size_t ncols;
	const enum out_col_kind *kinds;
	const char *const *headers;
	const char *data_sql;
	const char *total_sql;	/* NULL: no 合计 row */
};

static bool build_table(PGconn *conn, const struct table_spec *spec, int nparams,
			const char *const *params, struct tables_doc *doc, struct db_error *err)
{
	struct out_table *t = out_table_new(spec->sheet, spec->ncols, spec->kinds);
	char msg[300];

	if (doc->stream != NULL)
		out_table_stream_csv(t, doc->stream_enc, doc->stream);
	out_table_header(t, spec->headers);
	if (!add_rows(conn, t, OUT_ROW_DATA, spec->data_sql, nparams, params, err) ||
	    (spec->total_sql != NULL &&
	     !add_rows(conn, t, OUT_ROW_TOTAL, spec->total_sql, nparams, params, err))) {
		out_table_free(&t);
		return false;
	}
	if (doc->stream != NULL && !out_table_stream_end(t, msg, sizeof(msg))) {
		out_table_free(&t);
		return fail(err, xstrdup(msg));
	}
	doc_add(doc, t);
	return true;
}

bool tables_annex1(PGconn *conn, int year, struct tables_doc *doc, struct db_error *err)
{
	static const enum out_col_kind k[] = { OUT_TEXT, OUT_NUMBER, OUT_NUMBER };
	static const char *const hdr[] = { "区镇名称", "贯标企业数", "示范企业数" };
	static const struct table_spec spec = {
		"附件1", 3, k, hdr,
		"SELECT name, quota_gb, quota_demo FROM gb.v_district_progress"
		" WHERE year = $1::int ORDER BY sort_order, district_id",
		/* The 示范 figure is city-wide unless districts have their own. */
		"SELECT '合计', (SELECT sum(quota_gb) FROM gb.v_district_progress WHERE year = $1::int),"
		" coalesce((SELECT sum(quota_demo) FROM gb.v_district_progress WHERE year = $1::int),"
		"          (SELECT demo_suzhou_quota FROM gb.programme_year WHERE year = $1::int))",
	};
	char ys[16];
	const char *p[] = { ys };

	snprintf(ys, sizeof(ys), "%d", year);
	return check_year(conn, ys, err) && build_table(conn, &spec, 1, p, doc, err);
}

/* One district's 附件2: title, heading line, header, its enterprises. */
static bool annex2_district(PGconn *conn, const char *year, PGresult *dist, int r,
			    struct tables_doc *doc, struct db_error *err)
{
	static const enum out_col_kind k[] = { OUT_NUMBER, OUT_TEXT, OUT_TEXT, OUT_NUMBER,
					       OUT_NUMBER, OUT_TEXT, OUT_TEXT };
	static const char *const hdr[] = { "序号", "企业名称", "主要产品", "去年销售收入",
					   "职工人数", "联系人", "电话" };
	const char *name = db_get(dist, r, "name");
	const char *p[] = { year, db_get(dist, r, "id") };
	char *title = xasprintf("%s年信用管理贯标企业汇总表", year);
	const char *title_row[] = { title, NULL, NULL, NULL, NULL, NULL, NULL };
	const char *heading[] = { "区镇", name, "业务负责人", db_get(dist, r, "head_name"),
				  "联系方式", db_get(dist, r, "head_phone"), NULL };
	struct out_table *t = out_table_new(name, 7, k);
	bool ok;

	out_table_add(t, OUT_ROW_TITLE, title_row);
	out_table_add(t, OUT_ROW_TITLE, heading);
	out_table_header(t, hdr);
	free(title);
	ok = add_rows(conn, t, OUT_ROW_DATA,
		"SELECT row_number() OVER (ORDER BY c.id), e.name, e.main_products,"
		" e.sales_revenue_wan, e.employees, e.contact_name, e.contact_phone"
		" FROM gb.gb_case c JOIN gb.enterprise e ON e.id = c.enterprise_id"
		" WHERE c.year = $1::int AND e.district_id = $2::int AND c.state <> 'withdrawn'"
		" ORDER BY c.id", 2, p, err);
	if (!ok) {
		out_table_free(&t);
		return false;
	}
	doc_add(doc, t);
	return true;
}

bool tables_annex2(PGconn *conn, int year, const char *district, struct tables_doc *doc,
		   struct db_error *err)
{
	char ys[16];
	const char *p[] = { ys, district };
	PGresult *res;
	bool ok = true;

	snprintf(ys, sizeof(ys), "%d", year);
	if (!check_year(conn, ys, err) || !check_district(conn, district, err))
		return false;
	res = db_exec(conn,
		"SELECT d.id, d.name, q.head_name, q.head_phone"
		" FROM gb.district_year q JOIN gb.district d ON d.id = q.district_id"
		" CROSS JOIN gb.current_officer() me"
		" WHERE q.year = $1::int AND ($2::text IS NULL OR d.name = $2)"
		"   AND (me.role <> 'district' OR d.id = me.district_id)"
		" ORDER BY d.sort_order, d.id", 2, p, err);
	if (res == NULL)
		return false;
	for (int r = 0; r < PQntuples(res) && ok; r++)
		ok = annex2_district(conn, ys, res, r, doc, err);
	PQclear(res);
	if (ok && doc->n == 0)
		return fail(err, xasprintf("%d 年度没有可导出的区镇", year));
	return ok;
}

bool tables_progress(PGconn *conn, int year, struct tables_doc *doc, struct db_error *err)
{
	static const enum out_col_kind k[] = { OUT_NUMBER, OUT_TEXT, OUT_NUMBER, OUT_NUMBER,
					       OUT_NUMBER, OUT_NUMBER, OUT_NUMBER, OUT_NUMBER,
					       OUT_NUMBER };
	static const char *const hdr[] = { "排名", "区镇", "配额", "列入", "通过", "完成率%",
					   "示范在办", "示范认定", "逾期" };
	static const struct table_spec spec = {
		"考核通报", 9, k, hdr,
		"SELECT rank() OVER (ORDER BY coalesce(completion_pct, 0) DESC, passed DESC),"
		" name, quota_gb, enrolled, passed, coalesce(completion_pct, 0),"
		" demo_open, demo_designated, overdue"
		" FROM gb.v_district_progress WHERE year = $1::int"
		" ORDER BY sort_order, district_id",
		"SELECT NULL, '合计', sum(quota_gb), sum(enrolled), sum(passed),"
		" CASE WHEN sum(quota_gb) > 0 THEN round(100.0 * sum(passed) / sum(quota_gb), 1)"
		" ELSE 0 END, sum(demo_open), sum(demo_designated), sum(overdue)"
		" FROM gb.v_district_progress WHERE year = $1::int",
	};
	char ys[16];
	const char *p[] = { ys };

	snprintf(ys, sizeof(ys), "%d", year);
	return check_year(conn, ys, err) && build_table(conn, &spec, 1, p, doc, err);
}

bool tables_enterprises(PGconn *conn, const char *district, struct tables_doc *doc,
			struct db_error *err)
{
	static const enum out_col_kind k[] = {
		OUT_TEXT, OUT_TEXT, OUT_TEXT, OUT_TEXT, OUT_TEXT, OUT_TEXT, OUT_TEXT, OUT_TEXT,
		OUT_NUMBER, OUT_NUMBER, OUT_TEXT, OUT_TEXT, OUT_NUMBER, OUT_TEXT, OUT_TEXT, OUT_TEXT,
	};
	static const char *const hdr[] = {
		"统一社会信用代码", "企业名称", "区镇", "行业", "规模以上", "成立日期", "独立法人",
		"主要产品", "去年销售收入", "职工人数", "联系人", "电话", "贯标年度", "贯标状态",
		"示范级别", "示范状态",
	};
	static const struct table_spec spec = {
		"企业", 16, k, hdr,
		"SELECT e.uscc, e.name, v.district_name, e.industry,"
		" CASE WHEN e.above_scale THEN '是' ELSE '否' END, e.established_on,"
		" CASE WHEN e.independent_legal_person THEN '是' ELSE '否' END,"
		" e.main_products, e.sales_revenue_wan, e.employees, e.contact_name,"
		" e.contact_phone, v.gb_year, v.gb_state_label, gb.level_label(v.demo_level),"
		" v.demo_state_label"
		" FROM gb.enterprise e JOIN gb.v_enterprise_list v ON v.id = e.id"
		" WHERE $1::text IS NULL OR v.district_name = $1"
		" ORDER BY e.uscc",
		NULL,
	};
	const char *p[] = { district };

	return check_district(conn, district, err) && build_table(conn, &spec, 1, p, doc, err);
}

bool tables_cases(PGconn *conn, int year, const char *district, struct tables_doc *doc,
		  struct db_error *err)
{
	static const enum out_col_kind k[] = { OUT_TEXT, OUT_NUMBER, OUT_TEXT, OUT_TEXT,
					       OUT_TEXT, OUT_TEXT, OUT_TEXT, OUT_TEXT };
	static const char *const hdr[] = { "类别", "年度", "统一社会信用代码", "企业名称", "区镇",
					   "状态", "服务机构", "截止日期" };
	static const struct table_spec spec = {
		"案件", 8, k, hdr,
		"SELECT kind, year, uscc, enterprise_name, district_name, state_label,"
		" agency_name, deadline FROM ("
		" SELECT '贯标' AS kind, 0 AS k, year, uscc, enterprise_name, district_name,"
		"  state_label, agency_name, deadline, id FROM gb.v_gb_case"
		" UNION ALL"
		" SELECT level_label, CASE level WHEN 'suzhou' THEN 1 ELSE 2 END, year,"
		"  uscc, enterprise_name, district_name, state_label, NULL, deadline, id"
		" FROM gb.v_demo_case) c"
		" WHERE year = $1::int AND ($2::text IS NULL OR district_name = $2)"
		" ORDER BY k, district_name, uscc, id",
		NULL,
	};
	char ys[16];
	const char *p[] = { ys, district };

	snprintf(ys, sizeof(ys), "%d", year);
	return check_year(conn, ys, err) && check_district(conn, district, err) &&
	       build_table(conn, &spec, 2, p, doc, err);
}
