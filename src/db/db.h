/* The libpq layer: connecting, running parameterised statements, and turning
 * server errors into something an officer can read.  No curses here. */
#ifndef GB_DB_H
#define GB_DB_H

#include <stdbool.h>
#include <libpq-fe.h>

/* An error from the server or the connection, split into its parts. */
struct db_error {
	char sqlstate[6];	/* "" when not from the server */
	char *message;		/* primary message (Chinese for our own rules) */
	char *detail;		/* may be NULL */
	char *hint;		/* may be NULL */
};

/* Free the strings in err (not err itself) and clear it. */
void db_error_clear(struct db_error *err);

/* "message（detail）提示：hint" for a status line or stderr.  Caller frees. */
char *db_error_text(const struct db_error *err);

/* Connect with conninfo (NULL or "" means the PG* environment; dbname
 * defaults to "guanbiao" when neither names one), UTF-8 client encoding,
 * application_name "guanbiao".  Returns NULL with err filled on failure. */
PGconn *db_connect(const char *conninfo, struct db_error *err);

/* Run sql with text parameters (NULL entries are SQL NULL).  Returns the
 * result on success (PGRES_COMMAND_OK or PGRES_TUPLES_OK; caller PQclears),
 * or NULL with err filled.  Values are never spliced into the SQL. */
PGresult *db_exec(PGconn *conn, const char *sql, int nparams,
		  const char *const *params, struct db_error *err);

/* Like db_exec for a statement without parameters that may hold several
 * commands (migrations).  Returns true on success. */
bool db_exec_script(PGconn *conn, const char *sql, struct db_error *err);

/* Fill err from a failed result or the connection. */
void db_error_from_result(const PGresult *res, PGconn *conn, struct db_error *err);

/* True for a boolean from the server in either text form ("t", or "true"
 * from a ::text cast).  NULL (SQL NULL) is false. */
bool db_is_true(const char *value);

/* Value of row r, column name (NULL when SQL NULL or no such column). */
const char *db_get(const PGresult *res, int row, const char *column);

#endif
