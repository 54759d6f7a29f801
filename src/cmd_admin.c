#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "core/xalloc.h"
#include "db/db.h"
#include "db/migrate.h"

/* Print a database error for the officer and return APP_ERROR. */
static int admin_fail(const char *what, struct db_error *err)
{
	char *text = db_error_text(err);

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

struct admin_command {
	const char *name;
	int (*run)(int argc, char **argv, const struct app_options *opt);
	const char *summary;
};

static const struct admin_command admin_commands[] = {
	{ "migrate", admin_migrate, "应用缺少的数据库迁移" },
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
