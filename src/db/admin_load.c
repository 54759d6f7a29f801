#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"
#include "db/admin_load.h"

/* Rows land here in file order; line counts the header as line 1. */
static const char create_sql[] =
	"CREATE TEMP TABLE indicator_load ("
	" line int GENERATED ALWAYS AS IDENTITY (START WITH 2),"
	" code text, parent_code text, title text, max_score text) ON COMMIT DROP";

static const char copy_sql[] =
	"COPY pg_temp.indicator_load (code, parent_code, title, max_score)"
	" FROM STDIN (FORMAT csv, HEADER true)";

/* Fill err from a failed COPY, keeping the server's CONTEXT (which names
 * the line) in the detail. */
static void copy_error(PGresult *res, PGconn *conn, struct db_error *err)
{
	const char *ctx = res ? PQresultErrorField(res, PG_DIAG_CONTEXT) : NULL;

	db_error_from_result(res, conn, err);
	if (ctx != NULL) {
		char *d = err->detail ? xasprintf("%s；%s", err->detail, ctx) : xstrdup(ctx);

		free(err->detail);
		err->detail = d;
	}
}

/* Send the whole buffer through COPY FROM STDIN.  Returns true on success. */
static bool copy_in(PGconn *conn, const char *csv, size_t len, struct db_error *err)
{
	PGresult *res = PQexec(conn, copy_sql);
	size_t off = 0;
	bool ok;

	if (PQresultStatus(res) != PGRES_COPY_IN) {
		copy_error(res, conn, err);
		PQclear(res);
		return false;
	}
	PQclear(res);
	while (off < len) {
		size_t n = len - off > 65536 ? 65536 : len - off;

		if (PQputCopyData(conn, csv + off, (int)n) != 1)
			break;
		off += n;
	}
	PQputCopyEnd(conn, off < len ? "client could not send the file" : NULL);
	res = PQgetResult(conn);
	ok = PQresultStatus(res) == PGRES_COMMAND_OK;
	if (!ok)
		copy_error(res, conn, err);
	PQclear(res);
	/* Drain: COPY leaves exactly one more NULL result. */
	while ((res = PQgetResult(conn)) != NULL)
		PQclear(res);
	return ok;
}

long long admin_load_indicators(PGconn *conn, const char *csv, size_t len,
				const char *version, bool sample, struct db_error *err)
{
	const char *params[2] = { version, sample ? "true" : "false" };
	PGresult *res;
	long long id = -1;

	if (!db_exec_script(conn, "BEGIN", err))
		return -1;
	if (!db_exec_script(conn, create_sql, err) || !copy_in(conn, csv, len, err))
		goto rollback;
	res = db_exec(conn, "SELECT gb.admin_indicators_load($1, $2::boolean)", 2, params, err);
	if (res == NULL)
		goto rollback;
	id = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
	PQclear(res);
	if (!db_exec_script(conn, "COMMIT", err))
		return -1;
	return id;
rollback:
	PQclear(PQexec(conn, "ROLLBACK"));
	return -1;
}
