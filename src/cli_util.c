#include "config.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/syserr.h"
#include "cli_util.h"
#include "core/csv.h"
#include "core/escape.h"
#include "core/utf8.h"
#include "core/xalloc.h"
#include "out_xlsx.h"

PGconn *cli_connect(const char *cmd, const struct app_options *opt)
{
	struct db_error err = { 0 };
	PGconn *conn = db_connect(opt->conninfo, &err);

	if (conn == NULL)
		cli_db_fail(cmd, &err);
	return conn;
}

int cli_db_fail(const char *cmd, struct db_error *err)
{
	char *text = db_error_text(err);

	fprintf(stderr, "guanbiao %s: %s\n", cmd, text);
	free(text);
	db_error_clear(err);
	return APP_ERROR;
}

static const struct {
	const char *name;
	enum cli_format fmt;
} formats[] = {
	{ "text", CLI_TEXT }, { "csv", CLI_CSV }, { "json", CLI_JSON }, { "xlsx", CLI_XLSX },
};

bool cli_parse_format(const char *cmd, const char *s, unsigned allowed,
		      enum cli_format *f)
{
	for (size_t i = 0; i < sizeof(formats) / sizeof(formats[0]); i++) {
		if (strcmp(s, formats[i].name) == 0 && (allowed & formats[i].fmt)) {
			*f = formats[i].fmt;
			return true;
		}
	}
	fprintf(stderr, "guanbiao %s: 不支持的格式 %s（可用：", cmd, s);
	for (size_t i = 0, n = 0; i < sizeof(formats) / sizeof(formats[0]); i++)
		if (allowed & formats[i].fmt)
			fprintf(stderr, "%s%s", n++ ? "、" : "", formats[i].name);
	fputs("）\n", stderr);
	return false;
}

bool cli_parse_out_encoding(const char *cmd, const char *s, enum enc_kind *enc)
{
	if (enc_parse_name(s, enc) && (*enc == ENC_GB18030 || *enc == ENC_UTF8_BOM ||
				       *enc == ENC_UTF8))
		return true;
	fprintf(stderr, "guanbiao %s: 不支持的编码 %s（可用：gb18030、utf-8-bom、utf-8）\n",
		cmd, s);
	return false;
}

bool cli_parse_year(const char *cmd, const char *s, int *year)
{
	char *end;
	long y;

	errno = 0;
	y = strtol(s, &end, 10);
	if (errno != 0 || *end != '\0' || y < 2000 || y > 2100) {
		fprintf(stderr, "guanbiao %s: 年度 %s 无效（应为 2000 至 2100 之间的四位年份）\n",
			cmd, s);
		return false;
	}
	*year = (int)y;
	return true;
}

const char *cli_option(int argc, char **argv, int *i, const char *name, const char *alias)
{
	const char *a = argv[*i];
	size_t n = strlen(name);

	if (strcmp(a, name) == 0 || (alias != NULL && strcmp(a, alias) == 0)) {
		if (*i + 1 >= argc)
			return NULL;
		return argv[++*i];
	}
	if (strncmp(a, name, n) == 0 && a[n] == '=')
		return a + n + 1;
	return NULL;
}

void cli_json_string(FILE *out, const char *s)
{
	fputc('"', out);
	for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++) {
		switch (*p) {
		case '"': fputs("\\\"", out); break;
		case '\\': fputs("\\\\", out); break;
		case '\n': fputs("\\n", out); break;
		case '\r': fputs("\\r", out); break;
		case '\t': fputs("\\t", out); break;
		default: {
			uint32_t cp;
			size_t n = utf8_decode((const char *)p, strlen((const char *)p), &cp);

			/* C0, DEL, C1 and bidi overrides as \uXXXX: valid JSON
			 * that cannot act on a terminal it is printed to. */
			if (n > 0 && cp <= 0xffff && escape_cp_needed(cp)) {
				fprintf(out, "\\u%04x", (unsigned)cp);
				p += n - 1;
			} else {
				fputc(*p, out);
			}
		}
		}
	}
	fputc('"', out);
}

char *cli_read_file(const char *path, size_t *len, char *msg, size_t msgsize)
{
	FILE *f = fopen(path, "rb");
	struct csv_out o = { 0 };
	struct stat st;
	size_t n;

	if (f == NULL) {
		snprintf(msg, msgsize, "无法打开 %s：%s", path, syserr_text(errno));
		return NULL;
	}
	/* A regular file is read straight into a buffer of its size (and a
	 * byte to meet the end in): a large file is neither grown nor copied. */
	o.cap = fstat(fileno(f), &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0
		? (size_t)st.st_size + 2 : 65536;
	o.data = xmalloc(o.cap);
	do {
		if (o.cap - o.len < 2) {
			o.cap *= 2;
			o.data = xrealloc(o.data, o.cap);
		}
		n = fread(o.data + o.len, 1, o.cap - o.len - 1, f);
		o.len += n;
	} while (n > 0);
	o.data[o.len] = '\0';
	if (ferror(f)) {
		snprintf(msg, msgsize, "读取 %s 失败：%s", path, syserr_text(errno));
		fclose(f);
		csv_out_free(&o);
		return NULL;
	}
	fclose(f);
	*len = o.len;
	return o.data;
}

int cli_write_tables(const char *cmd, struct out_table *const *tables, size_t n,
		     enum cli_format fmt, enum enc_kind enc, const char *path)
{
	char msg[512];
	bool ok = true;

	switch (fmt) {
	case CLI_TEXT:
		for (size_t i = 0; i < n; i++) {
			if (i > 0)
				putchar('\n');
			out_text_write(tables[i], stdout);
		}
		ok = fflush(stdout) == 0;
		snprintf(msg, sizeof(msg), "写入标准输出失败：%s", syserr_text(errno));
		break;
	case CLI_CSV:
		ok = out_csv_write(tables, n, enc, path, msg, sizeof(msg));
		break;
	case CLI_XLSX:
		if (path == NULL || strcmp(path, "-") == 0) {
			snprintf(msg, sizeof(msg), "XLSX 格式需要用 -o 指定输出文件");
			ok = false;
			break;
		}
		ok = out_xlsx_write(tables, n, path, msg, sizeof(msg));
		break;
	case CLI_JSON:
		snprintf(msg, sizeof(msg), "此处不支持 JSON 格式");
		ok = false;
		break;
	}
	if (!ok) {
		fprintf(stderr, "guanbiao %s: %s\n", cmd, msg);
		return APP_ERROR;
	}
	return APP_OK;
}

int cli_default_year(const char *cmd, PGconn *conn)
{
	struct db_error err = { 0 };
	PGresult *res = db_exec(conn,
		"SELECT coalesce((SELECT max(year) FROM gb.programme_year"
		" WHERE year <= extract(year FROM current_date)),"
		" (SELECT min(year) FROM gb.programme_year),"
		" extract(year FROM current_date)::int)", 0, NULL, &err);
	int year;

	if (res == NULL) {
		cli_db_fail(cmd, &err);
		return -1;
	}
	year = atoi(PQgetvalue(res, 0, 0));
	PQclear(res);
	return year;
}
