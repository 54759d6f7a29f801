/* Tables for the command line: the official tables and lists are built as
 * out_table rows once, then written as CSV (GB18030, UTF-8 with BOM or
 * UTF-8, formula cells neutralised), as aligned text for a terminal, or as
 * XLSX (out_xlsx.h). */
#ifndef GB_OUT_TABLE_H
#define GB_OUT_TABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "core/encoding.h"

enum out_col_kind {
	OUT_TEXT,
	OUT_NUMBER,	/* right-aligned; a number in CSV and XLSX */
};

enum out_row_kind {
	OUT_ROW_TITLE,	/* a heading line above the column headers */
	OUT_ROW_HEADER,	/* the column headers (bold in XLSX) */
	OUT_ROW_DATA,
	OUT_ROW_TOTAL,	/* 合计 (bold in XLSX) */
};

struct out_row {
	enum out_row_kind kind;
	char **cells;	/* ncols cells; NULL is an empty cell */
};

struct out_stream;

struct out_table {
	char *name;	/* worksheet name (XLSX), e.g. the district */
	size_t ncols;
	enum out_col_kind *kinds;
	struct out_row *rows;
	size_t nrows, cap;
	struct out_stream *stream;	/* non-NULL: rows are written, not kept */
};

/* A table with ncols columns of the given kinds (copied).  Caller frees
 * with out_table_free(). */
struct out_table *out_table_new(const char *name, size_t ncols,
				const enum out_col_kind *kinds);
void out_table_free(struct out_table **t);

/* Append a row; cells (ncols of them, NULL for empty) are copied. */
void out_table_add(struct out_table *t, enum out_row_kind kind,
		   const char *const *cells);

/* Append a row of column headers from a NULL-free array of ncols names. */
void out_table_header(struct out_table *t, const char *const *names);

/* From now on write each row added to t as CSV in enc to f (in chunks)
 * instead of keeping it: an export of a million rows in little memory. */
void out_table_stream_csv(struct out_table *t, enum enc_kind enc, FILE *f);

/* Write what is left of a streaming table.  False with a Chinese message
 * when converting or writing failed at any point. */
bool out_table_stream_end(struct out_table *t, char *msg, size_t msgsize);

/* The tables as one CSV document in UTF-8 (tables separated by an empty
 * line), neutralising formula starts except for numbers in numeric
 * columns.  Caller frees. */
char *out_csv_utf8(struct out_table *const *tables, size_t n, size_t *len);

/* Write the tables as CSV in the given encoding to path (NULL or "-" for
 * standard output).  On failure returns false with a Chinese message in
 * msg. */
bool out_csv_write(struct out_table *const *tables, size_t n, enum enc_kind enc,
		   const char *path, char *msg, size_t msgsize);

/* Print a table as text aligned by display width (numbers to the right),
 * every cell escaped for the terminal. */
void out_text_write(const struct out_table *t, FILE *out);

#endif
