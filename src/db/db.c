#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"
#include "db/db.h"

void db_error_clear(struct db_error *err)
{
	if (err == NULL)
		return;
	XFREE(err->message);
	XFREE(err->detail);
	XFREE(err->hint);
	err->sqlstate[0] = '\0';
}

char *db_error_text(const struct db_error *err)
{
	const char *msg = err->message ? err->message : "未知错误";

	if (err->detail && err->hint)
		return xasprintf("%s（%s）提示：%s", msg, err->detail, err->hint);
	if (err->detail)
		return xasprintf("%s（%s）", msg, err->detail);
	if (err->hint)
		return xasprintf("%s 提示：%s", msg, err->hint);
	return xstrdup(msg);
}

/* Copy a libpq message without its trailing newline. */
static char *chomp_dup(const char *s)
{
	size_t n;

	if (s == NULL)
		return NULL;
	n = strlen(s);
	while (n > 0 && (s[n - 1] == '\n' || s[n - 1] == '\r'))
		n--;
	return xstrndup(s, n);
}

void db_error_from_result(const PGresult *res, PGconn *conn, struct db_error *err)
{
	const char *state = NULL;
	const char *primary = NULL;

	if (err == NULL)
		return;
	db_error_clear(err);
	if (res != NULL) {
		state = PQresultErrorField(res, PG_DIAG_SQLSTATE);
		primary = PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY);
		err->detail = chomp_dup(PQresultErrorField(res, PG_DIAG_MESSAGE_DETAIL));
		err->hint = chomp_dup(PQresultErrorField(res, PG_DIAG_MESSAGE_HINT));
	}
	if (state != NULL) {
		strncpy(err->sqlstate, state, sizeof(err->sqlstate) - 1);
		err->sqlstate[sizeof(err->sqlstate) - 1] = '\0';
	}
	if (primary != NULL)
		err->message = chomp_dup(primary);
	else if (res != NULL && PQresultErrorMessage(res)[0] != '\0')
		err->message = chomp_dup(PQresultErrorMessage(res));
	else if (conn != NULL)
		err->message = chomp_dup(PQerrorMessage(conn));
	else
		err->message = xstrdup("数据库连接失败");
}

/* libpq says why a connection failed in English: lead with what it means
 * and, for the usual first-day mistakes, what to do. */
static void db_error_explain_connect(struct db_error *err)
{
	char *raw = err->message;

	err->message = xasprintf("无法连接数据库：%s", raw ? raw : "");
	if (raw != NULL && err->hint == NULL) {
		if (strstr(raw, "database") && strstr(raw, "does not exist"))
			err->hint = xstrdup("数据库尚未建立：请管理员执行 createdb guanbiao，"
					    "再运行 guanbiao admin migrate");
		else if (strstr(raw, "role") && strstr(raw, "does not exist"))
			err->hint = xstrdup("当前登录名没有数据库角色：请市信用办用 "
					    "guanbiao admin officer add 登记");
		else if (strstr(raw, "No such file") || strstr(raw, "Connection refused"))
			err->hint = xstrdup("数据库服务器没有运行，或 PGHOST/PGPORT 指向了别处");
	}
	free(raw);
}

PGconn *db_connect(const char *conninfo, struct db_error *err)
{
	PQconninfoOption *opts = NULL;
	const char *keys[64];
	const char *vals[64];
	bool have_db = getenv("PGDATABASE") != NULL || getenv("PGSERVICE") != NULL;
	char *perr = NULL;
	int n = 0;
	PGconn *conn;

	/* Parse the officer's conninfo (keywords or URI) so we can add defaults
	 * without overriding anything it names. */
	if (conninfo != NULL && conninfo[0] != '\0') {
		opts = PQconninfoParse(conninfo, &perr);
		if (opts == NULL) {
			db_error_clear(err);
			err->message = xasprintf("连接参数有误：%s", perr ? perr : conninfo);
			PQfreemem(perr);
			return NULL;
		}
		for (PQconninfoOption *o = opts; o->keyword != NULL && n < 60; o++) {
			if (o->val == NULL)
				continue;
			if (strcmp(o->keyword, "dbname") == 0 || strcmp(o->keyword, "service") == 0)
				have_db = true;
			keys[n] = o->keyword;
			vals[n++] = o->val;
		}
	}
	if (!have_db) {
		keys[n] = "dbname";
		vals[n++] = "guanbiao";
	}
	keys[n] = "fallback_application_name";
	vals[n++] = "guanbiao";
	keys[n] = "client_encoding";
	vals[n++] = "UTF8";
	keys[n] = NULL;
	vals[n] = NULL;
	conn = PQconnectdbParams(keys, vals, 0);
	if (opts != NULL)
		PQconninfoFree(opts);
	if (conn == NULL || PQstatus(conn) != CONNECTION_OK) {
		db_error_from_result(NULL, conn, err);
		PQfinish(conn);
		db_error_explain_connect(err);
		return NULL;
	}
	return conn;
}

PGresult *db_exec(PGconn *conn, const char *sql, int nparams,
		  const char *const *params, struct db_error *err)
{
	PGresult *res = PQexecParams(conn, sql, nparams, NULL, params, NULL, NULL, 0);
	ExecStatusType st = PQresultStatus(res);

	if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK)
		return res;
	db_error_from_result(res, conn, err);
	PQclear(res);
	return NULL;
}

bool db_exec_script(PGconn *conn, const char *sql, struct db_error *err)
{
	PGresult *res = PQexec(conn, sql);
	ExecStatusType st = PQresultStatus(res);
	bool ok = (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK || st == PGRES_EMPTY_QUERY);

	if (!ok)
		db_error_from_result(res, conn, err);
	PQclear(res);
	return ok;
}

const char *db_get(const PGresult *res, int row, const char *column)
{
	int col = PQfnumber(res, column);

	if (col < 0 || row < 0 || row >= PQntuples(res) || PQgetisnull(res, row, col))
		return NULL;
	return PQgetvalue(res, row, col);
}

bool db_is_true(const char *value)
{
	return value != NULL && (strcmp(value, "t") == 0 || strcmp(value, "true") == 0);
}
