#include "config.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/syserr.h"
#include "app.h"
#include "core/encoding.h"
#include "core/xalloc.h"
#include "db/admin_load.h"
#include "db/db.h"
#include "db/migrate.h"

/* The sample indicator table shipped with the program (see sql/local.mk)
 * and the version name `admin sample` loads it as. */
#define SAMPLE_INDICATORS_FILE "indicators-sample.csv"
#define SAMPLE_INDICATORS_NAME "样例指标体系"

/* Print a database error for the officer and return APP_ERROR. */
static int admin_fail(const char *what, struct db_error *err)
{
	char *text = db_error_text(err);

	/* 42501: the server's own words are English; say what it means here. */
	if (strcmp(err->sqlstate, "42501") == 0)
		fprintf(stderr, "guanbiao admin %s: 只有数据库管理员（gb_admin）可以执行此命令"
			"（数据库拒绝：%s）\n提示：在数据库服务器上以管理员身份运行，"
			"例如 PGUSER=gb_admin guanbiao admin %s …\n", what, text, what);
	else
		fprintf(stderr, "guanbiao admin %s: %s\n", what, text);
	free(text);
	db_error_clear(err);
	return APP_ERROR;
}

/* admin migrate [--sqldir DIR]: bring the schema up to date. */
static int admin_migrate(int argc, char **argv, const struct app_options *opt)
{
	const char *sqldir = migrate_sqldir();
	struct db_error err = { 0 };
	PGconn *conn;
	int n;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--sqldir") == 0 && i + 1 < argc) {
			sqldir = argv[++i];
		} else {
			fprintf(stderr, "用法: guanbiao admin migrate [--sqldir 目录]\n");
			return APP_ERROR;
		}
	}
	conn = db_connect(opt->conninfo, &err);
	if (conn == NULL)
		return admin_fail("migrate", &err);
	n = migrate_apply(conn, sqldir, stdout, &err);
	if (n < 0) {
		PQfinish(conn);
		return admin_fail("migrate", &err);
	}
	printf("数据库结构已是最新（本次应用 %d 个迁移）\n", n);
	PQfinish(conn);
	return APP_OK;
}


/* Connect or print why not.  Returns NULL after printing. */
static PGconn *admin_connect(const char *what, const struct app_options *opt)
{
	struct db_error err = { 0 };
	PGconn *conn = db_connect(opt->conninfo, &err);
	PGresult *res;

	if (conn == NULL) {
		admin_fail(what, &err);
		return NULL;
	}
	/* The server's notices (e.g. a GRANT of a role the login already has)
	 * are English chatter to the administrator: keep warnings and errors. */
	res = db_exec(conn, "SET client_min_messages = warning", 0, NULL, &err);
	if (res == NULL) {
		PQfinish(conn);
		admin_fail(what, &err);
		return NULL;
	}
	PQclear(res);
	return conn;
}

/* Run one admin SQL function returning a text line and print that line. */
static int admin_call(const char *what, const struct app_options *opt, const char *sql,
		      int nparams, const char *const *params)
{
	struct db_error err = { 0 };
	PGconn *conn = admin_connect(what, opt);
	PGresult *res;

	if (conn == NULL)
		return APP_ERROR;
	res = db_exec(conn, sql, nparams, params, &err);
	if (res == NULL) {
		PQfinish(conn);
		return admin_fail(what, &err);
	}
	printf("%s\n", PQgetvalue(res, 0, 0));
	PQclear(res);
	PQfinish(conn);
	return APP_OK;
}

static const char officer_usage[] =
	"用法: guanbiao admin officer add 登录名 --role city|district|agency|observer\n"
	"                                 [--district 区镇名] [--agency 机构名] [--name 姓名]\n"
	"       guanbiao admin officer list\n"
	"       guanbiao admin officer remove 登录名\n";

/* officer add LOGIN --role R [--district D] [--agency A] [--name N] */
static int officer_add(int argc, char **argv, const struct app_options *opt)
{
	const char *p[5] = { NULL, NULL, NULL, NULL, NULL };

	if (argc < 2 || argv[1][0] == '-') {
		fputs(officer_usage, stderr);
		return APP_ERROR;
	}
	p[0] = argv[1];
	for (int i = 2; i < argc; i++) {
		int slot = strcmp(argv[i], "--role") == 0 ? 1 : strcmp(argv[i], "--district") == 0 ? 2
			 : strcmp(argv[i], "--agency") == 0 ? 3 : strcmp(argv[i], "--name") == 0 ? 4 : -1;

		if (slot < 0 || i + 1 >= argc) {
			fprintf(stderr, "guanbiao admin officer add: 参数 %s 有误\n%s", argv[i], officer_usage);
			return APP_ERROR;
		}
		p[slot] = argv[++i];
	}
	if (p[1] == NULL) {
		fprintf(stderr, "guanbiao admin officer add: 需要 --role\n%s", officer_usage);
		return APP_ERROR;
	}
	return admin_call("officer add", opt, "SELECT gb.admin_officer_add($1, $2, $3, $4, $5)", 5, p);
}

/* officer list: one officer a line, tab-separated, active ones first. */
static int officer_list(const struct app_options *opt)
{
	struct db_error err = { 0 };
	PGconn *conn = admin_connect("officer list", opt);
	PGresult *res;

	if (conn == NULL)
		return APP_ERROR;
	res = db_exec(conn,
		"SELECT o.login, o.name, gb.role_label(o.role) AS role,"
		" coalesce(d.name, a.name, '') AS scope,"
		" CASE WHEN o.active THEN '在册' ELSE '已注销' END AS status"
		" FROM gb.officer o LEFT JOIN gb.district d ON d.id = o.district_id"
		" LEFT JOIN gb.agency a ON a.id = o.agency_id"
		" ORDER BY NOT o.active, o.role, o.login", 0, NULL, &err);
	if (res == NULL) {
		PQfinish(conn);
		return admin_fail("officer list", &err);
	}
	printf("登录名\t姓名\t角色\t区镇/机构\t状态\n");
	for (int r = 0; r < PQntuples(res); r++)
		printf("%s\t%s\t%s\t%s\t%s\n", db_get(res, r, "login"), db_get(res, r, "name"),
		       db_get(res, r, "role"), db_get(res, r, "scope"), db_get(res, r, "status"));
	PQclear(res);
	PQfinish(conn);
	return APP_OK;
}

/* officer add|list|remove */
static int admin_officer(int argc, char **argv, const struct app_options *opt)
{
	if (argc >= 2 && strcmp(argv[1], "add") == 0)
		return officer_add(argc - 1, argv + 1, opt);
	if (argc == 2 && strcmp(argv[1], "list") == 0)
		return officer_list(opt);
	if (argc == 3 && strcmp(argv[1], "remove") == 0) {
		const char *p[1] = { argv[2] };

		return admin_call("officer remove", opt, "SELECT gb.admin_officer_remove($1)", 1, p);
	}
	fputs(officer_usage, argc >= 2 && strcmp(argv[1], "--help") == 0 ? stdout : stderr);
	return argc >= 2 && strcmp(argv[1], "--help") == 0 ? APP_OK : APP_ERROR;
}

/* Read a whole file.  Caller frees.  NULL with a message printed under
 * "guanbiao admin <what>". */
static char *read_file(const char *what, const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t cap = 0, got;

	*len = 0;
	if (f == NULL) {
		fprintf(stderr, "guanbiao admin %s: 无法打开 %s：%s\n", what, path, syserr_text(errno));
		return NULL;
	}
	do {
		if (cap - *len < 65536) {
			cap = cap ? cap * 2 : 131072;
			buf = xrealloc(buf, cap);
		}
		got = fread(buf + *len, 1, cap - *len, f);
		*len += got;
	} while (got > 0);
	if (ferror(f)) {
		fprintf(stderr, "guanbiao admin %s: 读取 %s 出错\n", what, path);
		free(buf);
		buf = NULL;
	}
	fclose(f);
	return buf;
}

/* Load indicator file (encoding kind) as version into conn, printing why
 * not under "guanbiao admin <what>".  Returns the version id, or -1. */
static long long indicators_load_file(PGconn *conn, const char *what, const char *file,
				      enum enc_kind kind, const char *version, bool sample)
{
	struct enc_error eerr;
	struct db_error err = { 0 };
	size_t len, ulen;
	char *raw, *utf8;
	long long id;

	raw = read_file(what, file, &len);
	if (raw == NULL)
		return -1;
	utf8 = enc_to_utf8(raw, len, kind, &ulen, &eerr);
	free(raw);
	if (utf8 == NULL) {
		fprintf(stderr, "guanbiao admin %s: %s：%s\n", what, file, eerr.message);
		return -1;
	}
	id = admin_load_indicators(conn, utf8, ulen, version, sample, &err);
	free(utf8);
	if (id < 0) {
		char *text = db_error_text(&err);

		fprintf(stderr, "guanbiao admin %s: %s：%s\n", what, file, text);
		free(text);
		db_error_clear(&err);
	}
	return id;
}

/* indicators load FILE --version NAME [--sample] [--encoding E] */
static int admin_indicators(int argc, char **argv, const struct app_options *opt)
{
	const char *file = NULL, *version = NULL;
	enum enc_kind kind = ENC_UNKNOWN;
	bool sample = false;
	PGconn *conn;
	long long id;

	for (int i = 2; i < argc; i++) {
		if (strcmp(argv[i], "--version") == 0 && i + 1 < argc)
			version = argv[++i];
		else if (strcmp(argv[i], "--sample") == 0)
			sample = true;
		else if (strcmp(argv[i], "--encoding") == 0 && i + 1 < argc && enc_parse_name(argv[i + 1], &kind))
			i++;
		else if (file == NULL && argv[i][0] != '-')
			file = argv[i];
		else {
			file = NULL;
			break;
		}
	}
	if (argc < 2 || strcmp(argv[1], "load") != 0 || file == NULL || version == NULL) {
		fputs("用法: guanbiao admin indicators load 文件.csv --version 版本名 [--sample]"
		      " [--encoding auto|utf-8|gb18030]\n"
		      "文件每行：代码,上级代码,名称,满分（第一行为标题，一级指标的上级代码留空）\n", stderr);
		return APP_ERROR;
	}
	conn = admin_connect("indicators", opt);
	if (conn == NULL)
		return APP_ERROR;
	id = indicators_load_file(conn, "indicators", file, kind, version, sample);
	PQfinish(conn);
	if (id < 0)
		return APP_ERROR;
	printf("已载入指标体系 %s（编号 %lld%s）\n", version, id, sample ? "，样例" : "");
	return APP_OK;
}

/* Parse a positive int option value; false when it is not one. */
static bool parse_count(const char *s, long max, int *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || v < 0 || v > max)
		return false;
	*out = (int)v;
	return true;
}

/* Print the summary line an admin_load function returned, or why not. */
static int admin_report(const char *what, char *summary, struct db_error *err)
{
	if (summary == NULL)
		return admin_fail(what, err);
	printf("%s\n", summary);
	free(summary);
	return APP_OK;
}

/* A programme year from the command line: 2000 to 2100 (the table's range). */
static bool parse_year(const char *s, int *out)
{
	return parse_count(s, 2100, out) && *out >= 2000;
}

static const char programme_usage[] =
	"用法: guanbiao admin programme load-2020\n"
	"       guanbiao admin programme copy 年度 --to 新年度（2000 到 2100）\n";

/* programme load-2020 | copy FROM --to YEAR */
static int admin_programme(int argc, char **argv, const struct app_options *opt)
{
	struct db_error err = { 0 };
	int from, to;
	PGconn *conn;
	char *summary;

	if (argc == 2 && strcmp(argv[1], "load-2020") == 0)
		return admin_call("programme", opt, "SELECT gb.admin_programme_load_2020()", 0, NULL);
	if (argc != 5 || strcmp(argv[1], "copy") != 0 || !parse_year(argv[2], &from) ||
	    strcmp(argv[3], "--to") != 0 || !parse_year(argv[4], &to) || from == to) {
		fputs(programme_usage, stderr);
		return APP_ERROR;
	}
	conn = admin_connect("programme", opt);
	if (conn == NULL)
		return APP_ERROR;
	summary = admin_copy_programme(conn, from, to, &err);
	PQfinish(conn);
	return admin_report("programme", summary, &err);
}

/* The shipped sample indicator table: installed beside the migrations, or
 * in contrib/ of the source tree when GUANBIAO_SQLDIR names its sql/;
 * the installed path when neither is there (for the message).  Caller frees. */
static char *sample_indicators_path(void)
{
	const char *dir = migrate_sqldir();
	char *path = xasprintf("%s/" SAMPLE_INDICATORS_FILE, dir);
	char *tree = xasprintf("%s/../contrib/" SAMPLE_INDICATORS_FILE, dir);

	if (access(path, R_OK) != 0 && access(tree, R_OK) == 0) {
		free(path);
		return tree;
	}
	free(tree);
	return path;
}

/* The sample scores its cases against the current year's indicator
 * version; when there is none (nor an earlier sample version), load the
 * shipped sample table, marked as a sample, for gb.admin_sample to assign. */
static int sample_indicators(PGconn *conn)
{
	struct db_error err = { 0 };
	PGresult *res = db_exec(conn, "SELECT gb.sample_indicator_version() IS NULL", 0, NULL, &err);
	bool missing;
	char *path;
	long long id;

	if (res == NULL)
		return admin_fail("sample", &err);
	missing = strcmp(PQgetvalue(res, 0, 0), "t") == 0;
	PQclear(res);
	if (!missing)
		return APP_OK;
	path = sample_indicators_path();
	id = indicators_load_file(conn, "sample", path, ENC_UTF8, SAMPLE_INDICATORS_NAME, true);
	free(path);
	if (id < 0)
		return APP_ERROR;
	printf("已载入%s（编号 %lld，样例）\n", SAMPLE_INDICATORS_NAME, id);
	return APP_OK;
}

/* sample --enterprises N [--seed S]: generated in the server, timed;
 * sample --year Y [--seed S]: early cases in year Y. */
static int admin_sample(int argc, char **argv, const struct app_options *opt)
{
	int n = -1, seed = 1, year = -1;
	char nbuf[16], sbuf[16], *summary;
	const char *p[2] = { nbuf, sbuf };
	struct timespec t0, t1;
	struct db_error err = { 0 };
	PGconn *conn;
	PGresult *res;
	int rc;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--enterprises") == 0 && i + 1 < argc && parse_count(argv[i + 1], 10000000, &n))
			i++;
		else if (strcmp(argv[i], "--seed") == 0 && i + 1 < argc && parse_count(argv[i + 1], 2147483647, &seed))
			i++;
		else if (strcmp(argv[i], "--year") == 0 && i + 1 < argc && parse_year(argv[i + 1], &year))
			i++;
		else {
			n = year = -1;
			break;
		}
	}
	if ((n < 1) == (year < 0)) {
		fputs("用法: guanbiao admin sample --enterprises N [--seed S]（N 为 1 到 10000000）\n"
		      "       guanbiao admin sample --year 年度 [--seed S]（在该年度生成几十个早期阶段的贯标案件）\n", stderr);
		return APP_ERROR;
	}
	if (year > 0) {
		conn = admin_connect("sample", opt);
		if (conn == NULL)
			return APP_ERROR;
		summary = admin_sample_year(conn, year, seed, &err);
		PQfinish(conn);
		return admin_report("sample", summary, &err);
	}
	snprintf(nbuf, sizeof(nbuf), "%d", n);
	snprintf(sbuf, sizeof(sbuf), "%d", seed);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	conn = admin_connect("sample", opt);
	if (conn == NULL)
		return APP_ERROR;
	rc = sample_indicators(conn);
	if (rc == APP_OK) {
		res = db_exec(conn, "SELECT gb.admin_sample($1::int, $2::int)", 2, p, &err);
		if (res == NULL)
			rc = admin_fail("sample", &err);
		else
			printf("%s\n", PQgetvalue(res, 0, 0));
		PQclear(res);
	}
	PQfinish(conn);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if (rc == APP_OK)
		printf("用时 %.1f 秒\n", (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
	return rc;
}

struct admin_command {
	const char *name;
	int (*run)(int argc, char **argv, const struct app_options *opt);
	const char *summary;
};

static const struct admin_command admin_commands[] = {
	{ "migrate", admin_migrate, "应用缺少的数据库迁移" },
	{ "officer", admin_officer, "工作人员：add 登录名 --role …、list、remove 登录名" },
	{ "programme", admin_programme, "load-2020：登记 2020 年度工作方案；copy 年度 --to 新年度：复制为新年度" },
	{ "indicators", admin_indicators, "load 文件 --version 版本名：载入评价指标体系" },
	{ "sample", admin_sample, "--enterprises N [--seed S]：生成样例数据；--year 年度：该年度的早期案件" },
};

static void admin_usage(FILE *out)
{
	fputs("用法: guanbiao admin 命令 [参数…]\n\n命令:\n", out);
	for (size_t i = 0; i < sizeof(admin_commands) / sizeof(admin_commands[0]); i++)
		fprintf(out, "  %-10s %s\n", admin_commands[i].name, admin_commands[i].summary);
}

int cmd_admin(int argc, char **argv, const struct app_options *opt)
{
	if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		admin_usage(argc < 2 ? stderr : stdout);
		return argc < 2 ? APP_ERROR : APP_OK;
	}
	for (size_t i = 0; i < sizeof(admin_commands) / sizeof(admin_commands[0]); i++) {
		if (strcmp(argv[1], admin_commands[i].name) == 0)
			return admin_commands[i].run(argc - 1, argv + 1, opt);
	}
	fprintf(stderr, "guanbiao admin: 未知命令 %s\n", argv[1]);
	admin_usage(stderr);
	return APP_ERROR;
}
