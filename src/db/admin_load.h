/* Bulk loads for `guanbiao admin`: an indicator version through COPY, so
 * that PostgreSQL parses the CSV (RFC 4180) and gb.admin_indicators_load
 * checks the tree.  No curses here. */
#ifndef GB_ADMIN_LOAD_H
#define GB_ADMIN_LOAD_H

#include <stdbool.h>
#include <stddef.h>
#include <libpq-fe.h>

#include "db/db.h"

/* Load csv (UTF-8, len bytes, a header line then code, parent code, title,
 * maximum score) as indicator version `version` (marked as a sample when
 * sample), all or nothing.  Returns the new version's id, or -1 with err
 * naming the line. */
long long admin_load_indicators(PGconn *conn, const char *csv, size_t len,
				const char *version, bool sample, struct db_error *err);

#endif
