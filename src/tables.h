/* The official tables and lists, read from the database with the caller's
 * rights and built as out_table documents: 附件1, 附件2, the district
 * assessment (progress), the enterprise list and the case list. */
#ifndef GB_TABLES_H
#define GB_TABLES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <libpq-fe.h>

#include "db/db.h"
#include "out_table.h"

/* A document: one or more tables (worksheets).  With stream set, the
 * single-query tables (progress, enterprises, cases, annex1) are written
 * to it as CSV in stream_enc row by row instead of being kept. */
struct tables_doc {
	struct out_table **tables;
	size_t n;
	FILE *stream;
	enum enc_kind stream_enc;
};

void tables_doc_free(struct tables_doc *doc);

/* 附件1 考核指标分解表 for year: 区镇名称, 贯标企业数, 示范企业数, 合计. */
bool tables_annex1(PGconn *conn, int year, struct tables_doc *doc, struct db_error *err);

/* 附件2 信用管理贯标企业汇总表: one table per district the caller may see
 * (or only district, when not NULL). */
bool tables_annex2(PGconn *conn, int year, const char *district, struct tables_doc *doc,
		   struct db_error *err);

/* The district assessment: quota, enrolled, passed, completion and rank,
 * 示范 counts, overdue items, 合计. */
bool tables_progress(PGconn *conn, int year, struct tables_doc *doc, struct db_error *err);

/* Every enterprise the caller may see (in district when not NULL), one row
 * each with its USCC: the plain layout that import reads back. */
bool tables_enterprises(PGconn *conn, const char *district, struct tables_doc *doc,
			struct db_error *err);

/* The 贯标 and 示范 cases of year with their stages. */
bool tables_cases(PGconn *conn, int year, const char *district, struct tables_doc *doc,
		  struct db_error *err);

#endif
