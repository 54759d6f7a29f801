/* Pieces shared by the command-line subcommands (lookup, export, import,
 * report): connecting, reporting errors, option values, output. */
#ifndef GB_CLI_UTIL_H
#define GB_CLI_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <libpq-fe.h>

#include "app.h"
#include "core/encoding.h"
#include "db/db.h"
#include "out_table.h"

enum cli_format { CLI_TEXT = 1, CLI_CSV = 2, CLI_JSON = 4, CLI_XLSX = 8 };

/* Connect as the caller (their own rights); on failure print why, prefixed
 * with "guanbiao CMD: ", and return NULL. */
PGconn *cli_connect(const char *cmd, const struct app_options *opt);

/* Print a database error for the officer; returns APP_ERROR. */
int cli_db_fail(const char *cmd, struct db_error *err);

/* Parse a --format value among the allowed ones (a mask of cli_format). */
bool cli_parse_format(const char *cmd, const char *s, unsigned allowed,
		      enum cli_format *f);

/* Parse an --encoding value for output: gb18030, utf-8-bom or utf-8. */
bool cli_parse_out_encoding(const char *cmd, const char *s, enum enc_kind *enc);

/* Parse a year; prints the error. */
bool cli_parse_year(const char *cmd, const char *s, int *year);

/* The value of an option "--name VALUE" or "--name=VALUE" at argv[*i];
 * advances *i past a separate value.  NULL when argv[*i] is not it. */
const char *cli_option(int argc, char **argv, int *i, const char *name, const char *alias);

/* Write s as a JSON string literal. */
void cli_json_string(FILE *out, const char *s);

/* Read a whole file.  Returns NULL with a Chinese message on failure.
 * Caller frees. */
char *cli_read_file(const char *path, size_t *len, char *msg, size_t msgsize);

/* Write tables as text (stdout), CSV (enc; path or stdout) or XLSX (path
 * required).  Prints the error; returns APP_OK or APP_ERROR. */
int cli_write_tables(const char *cmd, struct out_table *const *tables, size_t n,
		     enum cli_format fmt, enum enc_kind enc, const char *path);

/* The programme year in force: the latest gb.programme_year not after the
 * current date's year, or the current year.  -1 on a database error
 * (printed). */
int cli_default_year(const char *cmd, PGconn *conn);

#endif
