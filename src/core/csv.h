/* CSV per RFC 4180 over UTF-8 text: a reader that hands out one record at a
 * time and names the line and column of every problem, and a writer that
 * quotes only when needed and neutralises cells that spreadsheets would
 * take for formulas (OWASP CSV injection). */
#ifndef GB_CSV_H
#define GB_CSV_H

#include <stdbool.h>
#include <stddef.h>

/* Default limit on one field, in bytes. */
#define CSV_DEFAULT_MAX_FIELD_BYTES ((size_t)1 << 20)

enum csv_status {
	CSV_ROW = 0,		/* a record was read */
	CSV_END,		/* no more records */
	CSV_ERROR,		/* malformed input: see struct csv_error */
};

enum csv_error_kind {
	CSV_ERR_NONE = 0,
	CSV_ERR_EMPTY,		/* the input holds no record at all */
	CSV_ERR_UNTERMINATED,	/* a quoted field runs to the end of the input */
	CSV_ERR_BAD_QUOTE,	/* text after a closing quote */
	CSV_ERR_RAGGED,		/* a record with another number of fields than the first */
	CSV_ERR_FIELD_TOO_BIG,	/* a field longer than max_field_bytes */
	CSV_ERR_NUL,		/* a NUL byte */
};

struct csv_error {
	enum csv_error_kind kind;
	size_t line;		/* 1-based physical line of the problem */
	size_t column;		/* 1-based character column on that line */
	size_t offset;		/* byte offset in the input */
	char message[256];	/* Chinese, names the line and column */
};

struct csv_options {
	size_t max_field_bytes;	/* 0 = CSV_DEFAULT_MAX_FIELD_BYTES */
	bool allow_ragged;	/* accept records of different widths */
};

/* One record: fields[i] is NUL-terminated, lens[i] its length in bytes.
 * Valid until the next csv_read() or csv_reader_free(). */
struct csv_record {
	size_t nfields;
	char **fields;
	size_t *lens;
	size_t line;		/* physical line where the record starts */
	size_t end_line;	/* physical line where it ends (quoted newlines) */
};

struct csv_reader;

/* A reader over len bytes of UTF-8 at buf (not copied: keep buf alive).
 * opt may be NULL for the defaults.  Caller frees with csv_reader_free(). */
struct csv_reader *csv_reader_new(const char *buf, size_t len,
				  const struct csv_options *opt);
void csv_reader_free(struct csv_reader **r);

/* Read the next record into *rec.  Lines that are completely empty are
 * skipped.  On CSV_ERROR err says what and where; the reader then stays
 * in error. */
enum csv_status csv_read(struct csv_reader *r, struct csv_record *rec,
			 struct csv_error *err);

/* Byte offset reached so far (for progress). */
size_t csv_reader_offset(const struct csv_reader *r);

/* A growable output buffer for the writer. */
struct csv_out {
	char *data;
	size_t len;
	size_t cap;
};

void csv_out_free(struct csv_out *o);
void csv_out_append(struct csv_out *o, const char *s, size_t len);

/* Room for n more bytes and a NUL after them: returns where they go
 * (data + len).  The caller writes them and adds what it wrote to len. */
char *csv_out_reserve(struct csv_out *o, size_t n);

/* How a cell is written. */
enum csv_cell_kind {
	CSV_TEXT,	/* neutralised if it starts a formula */
	CSV_NUMBER,	/* written as is when it looks like a number, else as text */
};

/* True when a spreadsheet would read s as a formula: it starts with
 * '=', '+', '-', '@', a tab or a carriage return.  On output such a cell
 * (also one that starts so after leading apostrophes) gets one apostrophe
 * in front; csv_unneutralise() takes exactly that one off again, so
 * export and import are inverse. */
bool csv_is_formula_start(const char *s);

/* True when s is a plain decimal number ("-12", "3.50"), which a
 * spreadsheet reads as a number rather than a formula. */
bool csv_is_number(const char *s);

/* Append one field (a comma first unless it is the first of the record).
 * A text cell that starts a formula is prefixed with an apostrophe; a
 * field holding a comma, quote, CR or LF is quoted. */
void csv_write_field(struct csv_out *o, bool first, const char *s,
		     enum csv_cell_kind kind);

/* End the record with CRLF (RFC 4180). */
void csv_end_record(struct csv_out *o);

/* Undo csv_write_field's neutralisation on a field read back: "'=x" is
 * "=x", "''=x" is "'=x", "'abc" stays.
 * Returns a pointer into s. */
const char *csv_unneutralise(const char *s);

#endif
