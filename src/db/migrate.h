/* Numbered schema migrations (sql/NNN_name.sql), applied in order, each in
 * its own transaction, recorded in gb_schema_version. */
#ifndef GB_MIGRATE_H
#define GB_MIGRATE_H

#include <stdbool.h>
#include <stdio.h>
#include <libpq-fe.h>

#include "db/db.h"

/* The folder holding the migrations: $GUANBIAO_SQLDIR, else the installed one. */
const char *migrate_sqldir(void);

/* Highest migration number found in sqldir (0 when none), or -1 on error. */
int migrate_latest_known(const char *sqldir, struct db_error *err);

/* Highest migration applied to the database (0 for a fresh one), or -1. */
int migrate_current(PGconn *conn, struct db_error *err);

/* Apply every missing migration from sqldir in order, reporting each on log
 * (may be NULL).  Refuses a database newer than the program.  Idempotent.
 * Returns the number applied, or -1 with err filled. */
int migrate_apply(PGconn *conn, const char *sqldir, FILE *log, struct db_error *err);

#endif
