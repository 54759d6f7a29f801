#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/syserr.h"
#include "app.h"
#include "cli_util.h"
#include "core/xalloc.h"
#include "tables.h"

static void export_usage(FILE *out)
{
	fputs("用法: guanbiao export 表 [选项]\n"
	      "\n"
	      "表:\n"
	      "  annex1       附件1 考核指标分解表\n"
	      "  annex2       附件2 信用管理贯标企业汇总表（每个区镇一张）\n"
	      "  progress     区镇考核通报\n"
	      "  enterprises  企业清单（可用 guanbiao import enterprises 导回）\n"
	      "  cases        贯标、示范案件清单\n"
	      "\n"
	      "选项:\n"
	      "  --year 年度          默认为当前年度\n"
	      "  --district 区镇名    只导出一个区镇（annex2、enterprises、cases）\n"
	      "  --format csv|xlsx    默认 csv\n"
	      "  --encoding 编码      CSV 的编码：gb18030（默认）、utf-8-bom、utf-8\n"
	      "  -o 文件              输出文件（CSV 默认写到标准输出；XLSX 必须指定）\n", out);
}

struct export_args {
	const char *what;
	const char *district;
	const char *output;
	const char *year_text;
	enum cli_format format;
	enum enc_kind encoding;
};

/* Parse the arguments; returns APP_OK, or APP_ERROR after a message, or
 * -1 after --help. */
static int export_parse(int argc, char **argv, struct export_args *a)
{
	a->format = CLI_CSV;
	a->encoding = ENC_GB18030;
	for (int i = 1; i < argc; i++) {
		const char *v;

		if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
			export_usage(stdout);
			return -1;
		} else if ((v = cli_option(argc, argv, &i, "--year", NULL)) != NULL) {
			a->year_text = v;
		} else if ((v = cli_option(argc, argv, &i, "--district", NULL)) != NULL) {
			a->district = v;
		} else if ((v = cli_option(argc, argv, &i, "--format", NULL)) != NULL) {
			if (!cli_parse_format("export", v, CLI_CSV | CLI_XLSX, &a->format))
				return APP_ERROR;
		} else if ((v = cli_option(argc, argv, &i, "--encoding", NULL)) != NULL) {
			if (!cli_parse_out_encoding("export", v, &a->encoding))
				return APP_ERROR;
		} else if ((v = cli_option(argc, argv, &i, "--output", "-o")) != NULL) {
			a->output = v;
		} else if (argv[i][0] != '-' && a->what == NULL) {
			a->what = argv[i];
		} else {
			fprintf(stderr, "guanbiao export: 无法理解的参数 %s（见 guanbiao export --help）\n",
				argv[i]);
			return APP_ERROR;
		}
	}
	if (a->what == NULL) {
		export_usage(stderr);
		return APP_ERROR;
	}
	return APP_OK;
}

/* Build the asked table into doc. */
static bool export_build(PGconn *conn, const struct export_args *a, int year,
			 struct tables_doc *doc, struct db_error *err)
{
	if (strcmp(a->what, "annex1") == 0)
		return tables_annex1(conn, year, doc, err);
	if (strcmp(a->what, "annex2") == 0)
		return tables_annex2(conn, year, a->district, doc, err);
	if (strcmp(a->what, "progress") == 0)
		return tables_progress(conn, year, doc, err);
	if (strcmp(a->what, "enterprises") == 0)
		return tables_enterprises(conn, a->district, doc, err);
	return tables_cases(conn, year, a->district, doc, err);
}

/* A single-table CSV export written row by row as the rows arrive; a
 * file that fails half-way is removed rather than left looking complete. */
static int export_streamed(PGconn *conn, const struct export_args *a, int year,
			   struct tables_doc *doc)
{
	bool to_stdout = a->output == NULL || strcmp(a->output, "-") == 0;
	struct db_error err = { 0 };
	bool ok;

	doc->stream = to_stdout ? stdout : fopen(a->output, "wb");
	doc->stream_enc = a->encoding;
	if (doc->stream == NULL) {
		fprintf(stderr, "guanbiao export: 无法写入 %s：%s\n", a->output, syserr_text(errno));
		return APP_ERROR;
	}
	ok = export_build(conn, a, year, doc, &err);
	if (!to_stdout && fclose(doc->stream) != 0 && ok) {
		fprintf(stderr, "guanbiao export: 写入 %s 失败：%s\n", a->output, syserr_text(errno));
		ok = false;
	} else if (!ok) {
		cli_db_fail("export", &err);
	}
	if (!ok && !to_stdout)
		unlink(a->output);
	return ok ? APP_OK : APP_ERROR;
}

int cmd_export(int argc, char **argv, const struct app_options *opt)
{
	static const char *const known[] = { "annex1", "annex2", "progress", "enterprises", "cases" };
	struct export_args a = { 0 };
	struct tables_doc doc = { 0 };
	struct db_error err = { 0 };
	bool found = false;
	PGconn *conn;
	int year = 0, rc = export_parse(argc, argv, &a);

	if (rc != APP_OK)
		return rc < 0 ? APP_OK : rc;
	for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++)
		found = found || strcmp(a.what, known[i]) == 0;
	if (!found) {
		fprintf(stderr, "guanbiao export: 没有名为 %s 的表（可用：annex1、annex2、progress、"
			"enterprises、cases）\n", a.what);
		return APP_ERROR;
	}
	if (a.year_text != NULL && !cli_parse_year("export", a.year_text, &year))
		return APP_ERROR;
	if (a.format == CLI_XLSX && (a.output == NULL || strcmp(a.output, "-") == 0)) {
		fprintf(stderr, "guanbiao export: XLSX 格式需要用 -o 指定输出文件\n");
		return APP_ERROR;
	}
	conn = cli_connect("export", opt);
	if (conn == NULL)
		return APP_ERROR;
	if (year == 0 && (year = cli_default_year("export", conn)) < 0) {
		PQfinish(conn);
		return APP_ERROR;
	}
	if (a.format == CLI_CSV && strcmp(a.what, "annex2") != 0)
		rc = export_streamed(conn, &a, year, &doc);
	else if (!export_build(conn, &a, year, &doc, &err))
		rc = cli_db_fail("export", &err);
	else
		rc = cli_write_tables("export", doc.tables, doc.n, a.format, a.encoding, a.output);
	tables_doc_free(&doc);
	PQfinish(conn);
	return rc;
}
