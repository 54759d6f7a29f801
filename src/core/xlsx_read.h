/* A streaming reader of the first worksheet of an XLSX workbook (the
 * tables districts save from Excel or WPS).  The file is a ZIP (libzip) of
 * XML parts (expat, streamed): only the shared strings are kept in memory,
 * the worksheet is parsed a piece at a time and handed out row by row.
 * Every uncompressed part is capped (a small file must not unpack into
 * gigabytes), DTDs are refused (no entities at all), and every problem
 * gets a Chinese message naming the part or the sheet row. */
#ifndef GB_XLSX_READ_H
#define GB_XLSX_READ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* What a cell held in the file. */
enum xlsx_cell_kind {
	XLSX_EMPTY = 0,		/* no cell, or a cell without a value */
	XLSX_TEXT,		/* shared or inline string */
	XLSX_NUMBER,		/* the number exactly as stored ("12345", "1.5E+17") */
	XLSX_BOOL,		/* "TRUE" or "FALSE" */
	XLSX_ERROR,		/* a formula error such as "#N/A" */
};

/* One worksheet row: cells[i] is column i (A = 0), NUL-terminated, ""
 * for a gap; ncells stops after the last cell with a value.  Valid until
 * the next xlsx_next_row() or xlsx_close(). */
struct xlsx_row {
	size_t line;		/* the sheet's row number (1-based) */
	size_t ncells;
	char **cells;
	size_t *lens;
	unsigned char *kinds;	/* enum xlsx_cell_kind per cell */
};

/* Caps on what a file may unpack to; 0 takes the default. */
struct xlsx_limits {
	uint64_t max_part_bytes;	/* the worksheet (default 4 GiB) */
	uint64_t max_strings_bytes;	/* shared strings, kept in memory (default 512 MiB) */
	size_t max_cell_bytes;		/* one cell (default 1 MiB) */
	size_t max_row_bytes;		/* one row (default 16 MiB) */
};

enum xlsx_status {
	XLSX_ROW = 0,
	XLSX_END,
	XLSX_FAIL,
};

struct xlsx_reader;

/* True when bytes start like a ZIP archive (an XLSX file). */
bool xlsx_looks_like(const void *bytes, size_t len);

/* Open the workbook in len bytes at data (not copied: keep it alive),
 * find its first worksheet and load its shared strings.  NULL with a
 * Chinese message in msg when the file is not a readable workbook.
 * lim may be NULL.  Caller frees with xlsx_close(). */
struct xlsx_reader *xlsx_open(const void *data, size_t len, const struct xlsx_limits *lim,
			      char *msg, size_t msgsize);

/* Name of the worksheet being read (as the workbook lists it). */
const char *xlsx_sheet_name(const struct xlsx_reader *r);

/* The next row that has any cell.  On XLSX_FAIL msg says what and where
 * (*line, when not NULL, gets the row it happened at or 0) and the reader
 * stays failed. */
enum xlsx_status xlsx_next_row(struct xlsx_reader *r, struct xlsx_row *row, size_t *line,
			       char *msg, size_t msgsize);

/* How many visible worksheets the workbook has (the first is read). */
size_t xlsx_sheet_count(const struct xlsx_reader *r);

/* The workbook counts days from 1904 (old Mac Excel) rather than 1900. */
bool xlsx_date1904(const struct xlsx_reader *r);

void xlsx_close(struct xlsx_reader **r);

#endif
