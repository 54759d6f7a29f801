/* Bulk loads for `guanbiao admin`: an indicator version through COPY, so
 * that PostgreSQL parses the CSV (RFC 4180) and gb.admin_indicators_load
 * checks the tree; copying a programme year; a year's early sample cases.
 * No curses here. */
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

/* Copy programme year `from` as year `to`: parameters, indicator version,
 * quotas and district contacts as they are, the calendar shifted by whole
 * years, the document number marked as copied; all or nothing.  Refuses
 * (err, no SQLSTATE) when `from` is missing or `to` exists.  Returns the
 * summary line.  Caller frees.  NULL with err. */
char *admin_copy_programme(PGconn *conn, int from, int to, struct db_error *err);

/* A few dozen sample 贯标 cases in the early states (draft to implementing)
 * in programme year `year`, within quotas, deterministic for seed, about
 * half of the implementing ones with self scores on the year's indicator
 * version (when it has one); refuses
 * when the year is missing, already has cases, or there are no agencies
 * yet.  Returns the summary line.  Caller frees.  NULL with err. */
char *admin_sample_year(PGconn *conn, int year, int seed, struct db_error *err);

#endif
