#include "config.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "core/syserr.h"
#include "core/xalloc.h"
#include "db/migrate.h"

/* Any fixed number: serialises concurrent migrations of one database. */
#define MIGRATE_LOCK_KEY "4721001"

struct migration {
	int number;
	char *name;	/* file name */
};

const char *migrate_sqldir(void)
{
	const char *d = getenv("GUANBIAO_SQLDIR");

	return (d != NULL && d[0] != '\0') ? d : PKGDATADIR "/sql";
}

/* NNN_something.sql -> NNN, or -1 when the name is not a migration. */
static int migration_number(const char *name)
{
	size_t len = strlen(name);
	int n = 0;
	size_t i;

	if (len < 9 || strcmp(name + len - 4, ".sql") != 0)
		return -1;
	for (i = 0; i < 3; i++) {
		if (!isdigit((unsigned char)name[i]))
			return -1;
		n = n * 10 + (name[i] - '0');
	}
	if (name[3] != '_' || n == 0)
		return -1;
	return n;
}

static int migration_cmp(const void *a, const void *b)
{
	const struct migration *x = a, *y = b;

	return (x->number > y->number) - (x->number < y->number);
}

static void migrations_free(struct migration *m, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(m[i].name);
	free(m);
}

/* The migrations in sqldir, sorted; refuses two files with one number. */
static struct migration *migrations_list(const char *sqldir, size_t *count,
					 struct db_error *err)
{
	DIR *d = opendir(sqldir);
	struct migration *m = NULL;
	size_t n = 0;
	struct dirent *e;

	*count = 0;
	if (d == NULL) {
		db_error_clear(err);
		err->message = xasprintf("无法打开迁移目录 %s：%s", sqldir, syserr_text(errno));
		return NULL;
	}
	while ((e = readdir(d)) != NULL) {
		int num = migration_number(e->d_name);

		if (num < 0)
			continue;
		m = xreallocarray(m, n + 1, sizeof(*m));
		m[n].number = num;
		m[n].name = xstrdup(e->d_name);
		n++;
	}
	closedir(d);
	if (n == 0) {
		/* qsort's pointer is declared nonnull: never pass it NULL. */
		return xcalloc(1, sizeof(*m));
	}
	qsort(m, n, sizeof(*m), migration_cmp);
	for (size_t i = 1; i < n; i++) {
		if (m[i].number == m[i - 1].number) {
			db_error_clear(err);
			err->message = xasprintf("迁移编号重复：%s 与 %s", m[i - 1].name, m[i].name);
			migrations_free(m, n);
			return NULL;
		}
	}
	*count = n;
	return m;
}

int migrate_latest_known(const char *sqldir, struct db_error *err)
{
	size_t n;
	struct migration *m = migrations_list(sqldir, &n, err);
	int latest;

	if (m == NULL)
		return -1;
	latest = n ? m[n - 1].number : 0;
	migrations_free(m, n);
	return latest;
}

int migrate_current(PGconn *conn, struct db_error *err)
{
	PGresult *res = db_exec(conn,
		"SELECT coalesce(max(version), 0) FROM public.gb_schema_version", 0, NULL, err);
	int v;

	if (res == NULL) {
		/* 42P01: the table does not exist yet, a fresh database. */
		if (strcmp(err->sqlstate, "42P01") == 0) {
			db_error_clear(err);
			return 0;
		}
		return -1;
	}
	v = atoi(PQgetvalue(res, 0, 0));
	PQclear(res);
	return v;
}

/* Read a whole file into a NUL-terminated buffer.  Caller frees. */
static char *slurp(const char *path, struct db_error *err)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t len = 0, cap = 0, got;

	if (f == NULL) {
		db_error_clear(err);
		err->message = xasprintf("无法读取 %s：%s", path, syserr_text(errno));
		return NULL;
	}
	do {
		if (cap - len < 65536) {
			cap = cap ? cap * 2 : 131072;
			buf = xrealloc(buf, cap);
		}
		got = fread(buf + len, 1, cap - len - 1, f);
		len += got;
	} while (got > 0);
	fclose(f);
	buf[len] = '\0';
	return buf;
}

/* Apply one migration file and record it, in one transaction; *done says
 * whether it ran (false: it was already recorded). */
static bool migrate_one(PGconn *conn, const char *sqldir, const struct migration *m,
			bool *done, struct db_error *err)
{
	char *path = xasprintf("%s/%s", sqldir, m->name);
	char *sql = slurp(path, err);
	char num[16];
	const char *params[2] = { num, m->name };
	PGresult *res;
	bool ok = false;

	*done = false;
	free(path);
	if (sql == NULL)
		return false;
	snprintf(num, sizeof(num), "%d", m->number);
	if (!db_exec_script(conn, "BEGIN", err))
		goto out;
	res = db_exec(conn, "SELECT 1 FROM public.gb_schema_version WHERE version = $1",
		      1, params, err);
	if (res != NULL && PQntuples(res) > 0) {
		PQclear(res);
		ok = db_exec_script(conn, "COMMIT", err);
		goto out;
	}
	if (res != NULL)
		PQclear(res);
	else
		db_error_clear(err);	/* first migration creates the table */
	if (!db_exec_script(conn, sql, err)) {
		char *msg = xasprintf("迁移 %s 失败：%s", m->name, err->message ? err->message : "");

		free(err->message);
		err->message = msg;
		goto rollback;
	}
	res = db_exec(conn, "INSERT INTO public.gb_schema_version(version, name) VALUES ($1, $2)",
		      2, params, err);
	if (res == NULL)
		goto rollback;
	PQclear(res);
	ok = *done = db_exec_script(conn, "COMMIT", err);
	goto out;
rollback:
	PQclear(PQexec(conn, "ROLLBACK"));
out:
	free(sql);
	return ok;
}

static int migrate_locked(PGconn *conn, const char *sqldir, struct migration *m,
			  size_t n, FILE *log, struct db_error *err);

int migrate_apply(PGconn *conn, const char *sqldir, FILE *log, struct db_error *err)
{
	size_t n;
	struct migration *m = migrations_list(sqldir, &n, err);
	int applied;

	if (m == NULL)
		return -1;
	/* One migrator at a time per database, for the whole run. */
	if (!db_exec_script(conn, "SELECT pg_advisory_lock(" MIGRATE_LOCK_KEY ")", err)) {
		migrations_free(m, n);
		return -1;
	}
	applied = migrate_locked(conn, sqldir, m, n, log, err);
	PQclear(PQexec(conn, "SELECT pg_advisory_unlock(" MIGRATE_LOCK_KEY ")"));
	migrations_free(m, n);
	return applied;
}

/* migrate_apply with the lock held. */
static int migrate_locked(PGconn *conn, const char *sqldir, struct migration *m,
			  size_t n, FILE *log, struct db_error *err)
{
	int current, applied = 0;

	/* The version table lives outside the migrations so that it exists
	 * before the first one runs. */
	if (!db_exec_script(conn,
		"SET client_min_messages = warning;"
		"CREATE TABLE IF NOT EXISTS public.gb_schema_version ("
		" version integer PRIMARY KEY,"
		" name text NOT NULL,"
		" applied_at timestamptz NOT NULL DEFAULT now(),"
		" applied_by name NOT NULL DEFAULT session_user);"
		"RESET client_min_messages;", err)) {
		return -1;
	}
	current = migrate_current(conn, err);
	if (current < 0) {
		return -1;
	}
	if (n > 0 && current > m[n - 1].number) {
		db_error_clear(err);
		err->message = xasprintf("数据库的结构版本 %d 比本程序认识的 %d 新，请先升级 guanbiao",
					 current, m[n - 1].number);
		return -1;
	}
	/* Every file not yet recorded, in order, also below the current
	 * maximum: a migration numbered before one that landed first (two
	 * branches merged out of order) is not skipped for ever. */
	for (size_t i = 0; i < n; i++) {
		bool done;

		if (!migrate_one(conn, sqldir, &m[i], &done, err)) {
			return -1;
		}
		if (!done)
			continue;
		if (log != NULL)
			fprintf(log, "已应用 %s\n", m[i].name);
		applied++;
	}
	return applied;
}
