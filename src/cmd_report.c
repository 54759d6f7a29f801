#include "config.h"

#include <stdio.h>
#include <string.h>

#include "app.h"
#include "cli_util.h"
#include "report_text.h"
#include "tables.h"

static void report_usage(FILE *out)
{
	fputs("用法: guanbiao report progress [--year 年度] [--format text|csv|xlsx]\n"
	      "                [--encoding gb18030|utf-8-bom|utf-8] [-o 文件]\n"
	      "\n"
	      "区镇考核通报：每个区镇的贯标配额、列入、通过、完成率和排名，示范在办与认定数，\n"
	      "逾期事项，以及合计。text 格式按中文显示宽度对齐，适合 80 列终端（数字很大、一行\n"
	      "放不下时分成贯标进度、示范与逾期两张表）。\n", out);
}

int cmd_report(int argc, char **argv, const struct app_options *opt)
{
	enum cli_format fmt = CLI_TEXT;
	enum enc_kind enc = ENC_GB18030;
	const char *what = NULL, *output = NULL, *year_text = NULL;
	struct tables_doc doc = { 0 };
	struct db_error err = { 0 };
	PGconn *conn;
	int year = 0, rc;

	for (int i = 1; i < argc; i++) {
		const char *v;

		if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
			report_usage(stdout);
			return APP_OK;
		} else if ((v = cli_option(argc, argv, &i, "--year", NULL)) != NULL) {
			year_text = v;
		} else if ((v = cli_option(argc, argv, &i, "--format", NULL)) != NULL) {
			if (!cli_parse_format("report", v, CLI_TEXT | CLI_CSV | CLI_XLSX, &fmt))
				return APP_ERROR;
		} else if ((v = cli_option(argc, argv, &i, "--encoding", NULL)) != NULL) {
			if (!cli_parse_out_encoding("report", v, &enc))
				return APP_ERROR;
		} else if ((v = cli_option(argc, argv, &i, "--output", "-o")) != NULL) {
			output = v;
		} else if (argv[i][0] != '-' && what == NULL) {
			what = argv[i];
		} else {
			fprintf(stderr, "guanbiao report: 无法理解的参数 %s（见 guanbiao report --help）\n",
				argv[i]);
			return APP_ERROR;
		}
	}
	if (what == NULL || strcmp(what, "progress") != 0) {
		report_usage(stderr);
		return APP_ERROR;
	}
	if (year_text != NULL && !cli_parse_year("report", year_text, &year))
		return APP_ERROR;
	conn = cli_connect("report", opt);
	if (conn == NULL)
		return APP_ERROR;
	if (year == 0 && (year = cli_default_year("report", conn)) < 0) {
		PQfinish(conn);
		return APP_ERROR;
	}
	if (!tables_progress(conn, year, &doc, &err)) {
		rc = cli_db_fail("report", &err);
	} else if (fmt == CLI_TEXT && doc.n == 1) {
		struct out_table *parts[2];
		size_t n = report_text_tables(doc.tables[0], parts);

		printf("%d 年度信用管理贯标考核通报\n\n", year);
		rc = cli_write_tables("report", parts, n, fmt, enc, output);
		for (size_t i = 0; n > 1 && i < n; i++)
			out_table_free(&parts[i]);
	} else {
		rc = cli_write_tables("report", doc.tables, doc.n, fmt, enc, output);
	}
	tables_doc_free(&doc);
	PQfinish(conn);
	return rc;
}
