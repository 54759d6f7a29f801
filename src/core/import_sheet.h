/* The enterprise tables that districts send in (附件2 and a plain
 * one-row-per-enterprise list with a USCC column), read from CSV bytes in
 * any supported encoding: columns found by their Chinese headers, every
 * cell checked, every problem reported as "FILE:LINE: 列名: 原因".  No
 * database here: district rights and existing records are checked by the
 * importer against the server. */
#ifndef GB_IMPORT_SHEET_H
#define GB_IMPORT_SHEET_H

#include <stdbool.h>
#include <stddef.h>

#include "core/csv.h"
#include "core/encoding.h"

/* The fields an import can carry, in the order of import_sheet_col_name(). */
enum import_col {
	IMPORT_USCC,
	IMPORT_NAME,
	IMPORT_DISTRICT,
	IMPORT_INDUSTRY,
	IMPORT_ABOVE_SCALE,	/* 是/否 -> "true"/"false" */
	IMPORT_ESTABLISHED,	/* YYYY-MM-DD */
	IMPORT_INDEPENDENT,	/* 是/否 -> "true"/"false" */
	IMPORT_PRODUCTS,
	IMPORT_REVENUE,		/* 万元, a decimal >= 0 */
	IMPORT_EMPLOYEES,	/* an integer > 0 */
	IMPORT_CONTACT,
	IMPORT_PHONE,
	IMPORT_NCOLS
};

enum import_layout {
	IMPORT_LAYOUT_PLAIN,	/* a header row with 统一社会信用代码 */
	IMPORT_LAYOUT_ANNEX2,	/* 附件2: 区镇 heading lines, 序号/企业名称/... */
};

struct import_row {
	size_t line;			/* physical line in the file */
	char *v[IMPORT_NCOLS];		/* normalised values; NULL = absent or empty */
};

/* Called for each good data row; the row is valid only during the call. */
typedef void (*import_row_fn)(const struct import_row *row, void *ctx);

struct import_sheet {
	enum import_layout layout;
	enum enc_kind encoding;		/* what the file was read as */
	bool has[IMPORT_NCOLS];		/* the column is in the file */
	size_t nrows;			/* data rows seen, good or bad */
	size_t nbad;			/* data rows with a problem */
	char **problems;		/* "FILE:LINE: 列名: 原因", in file order */
	size_t *problem_lines;
	size_t nproblems, pcap;
	char **notes;			/* warnings that do not stop the import */
	size_t nnotes, ncap;
};

/* Chinese header of a column (the main spelling). */
const char *import_sheet_col_name(enum import_col c);

/* Read a file's bytes: enc ENC_UNKNOWN detects (BOM, then strict UTF-8,
 * then GB18030).  label names the file in messages.  Each good data row
 * goes to fn (which may be NULL).  Returns true when the file is readable
 * as a table at all; false when it is not (a problem says why).  Even on
 * true, nproblems > 0 means some rows are bad.  sheet starts zeroed;
 * caller frees with import_sheet_free(). */
bool import_sheet_read(const char *label, const char *bytes, size_t len,
		       enum enc_kind enc, import_row_fn fn, void *ctx,
		       struct import_sheet *sheet);

/* The same for an XLSX workbook's first worksheet (core/xlsx_read.h):
 * LINE in messages is the sheet's row number; a cell's type in the file
 * is checked too (a USCC stored as a number, a formula error, a date
 * stored as Excel's day number). */
bool import_sheet_read_xlsx(const char *label, const char *bytes, size_t len,
			    import_row_fn fn, void *ctx, struct import_sheet *sheet);

/* Where import_sheet_read_source() takes its records from: the CSV reader
 * or another format's reader handing out its rows the same way. */
struct import_source {
	/* The next record; CSV_ERROR with err->line and err->message set. */
	enum csv_status (*next)(void *state, struct csv_record *rec, struct csv_error *err);
	void *state;
	const unsigned char *kinds;	/* set by next: enum xlsx_cell_kind per field, or NULL */
	bool sparse;			/* cells missing at the end of a row are empty */
	bool date1904;			/* day numbers count from 1904 */
};

/* Read the records of src as a district table (see import_sheet_read). */
bool import_sheet_read_source(const char *label, struct import_source *src,
			      import_row_fn fn, void *ctx, struct import_sheet *sheet);

void import_sheet_free(struct import_sheet *sheet);

/* Add a problem in the standard form (for checks done elsewhere, such as
 * the database's). col may be NULL for a problem of the whole line. */
void import_sheet_problem(struct import_sheet *sheet, const char *label, size_t line,
			  const char *col, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

/* Add a warning that does not stop the import ("FILE:LINE: what"). */
void import_sheet_note(struct import_sheet *sheet, const char *label, size_t line,
		       const char *what);

/* Put the problems in file order (stable: a line's problems keep their
 * order), e.g. after adding the database's. */
void import_sheet_sort_problems(struct import_sheet *sheet);

#endif
