#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/csv.h"
#include "core/xalloc.h"

struct csv_reader {
	const char *buf;
	size_t len;
	size_t pos;
	size_t line;		/* current physical line, 1-based */
	size_t line_start;	/* offset of the first byte of that line */
	size_t width;		/* fields in the first record, 0 before it */
	size_t max_field;
	bool allow_ragged;
	bool failed;
	bool any_record;
	/* The current record: field bytes back to back, each NUL-terminated. */
	struct csv_out scratch;
	size_t *starts;		/* offsets into scratch */
	char **fields;
	size_t *lens;
	size_t nfields, fields_cap;
};

struct csv_reader *csv_reader_new(const char *buf, size_t len,
				  const struct csv_options *opt)
{
	struct csv_reader *r = xcalloc(1, sizeof(*r));

	r->buf = buf;
	r->len = len;
	r->line = 1;
	r->max_field = CSV_DEFAULT_MAX_FIELD_BYTES;
	if (opt != NULL) {
		if (opt->max_field_bytes > 0)
			r->max_field = opt->max_field_bytes;
		r->allow_ragged = opt->allow_ragged;
	}
	return r;
}

void csv_reader_free(struct csv_reader **rp)
{
	struct csv_reader *r = *rp;

	if (r == NULL)
		return;
	csv_out_free(&r->scratch);
	free(r->starts);
	free(r->fields);
	free(r->lens);
	free(r);
	*rp = NULL;
}

size_t csv_reader_offset(const struct csv_reader *r)
{
	return r->pos;
}

/* Characters (not bytes) between the start of the line and off, plus one:
 * the column an officer sees in an editor. */
static size_t column_at(const struct csv_reader *r, size_t off)
{
	size_t col = 1;

	for (size_t i = r->line_start; i < off && i < r->len; i++)
		if (((unsigned char)r->buf[i] & 0xC0) != 0x80)
			col++;
	return col;
}

/* Fill err for a problem at byte offset off on the current line. */
static enum csv_status fail_at(struct csv_reader *r, struct csv_error *err,
			       enum csv_error_kind kind, size_t off, const char *what)
{
	err->kind = kind;
	err->line = r->line;
	err->column = column_at(r, off);
	err->offset = off;
	snprintf(err->message, sizeof(err->message), "第 %zu 行第 %zu 列：%s",
		 err->line, err->column, what);
	r->failed = true;
	return CSV_ERROR;
}

/* Append n bytes to the scratch buffer, keeping room for one more (the
 * field's NUL).  No terminator is written after each piece. */
static void scratch_put(struct csv_reader *r, const char *s, size_t n)
{
	memcpy(csv_out_reserve(&r->scratch, n), s, n);
	r->scratch.len += n;
}

/* Append n bytes to the current field, refusing a field over the limit. */
static bool scratch_add(struct csv_reader *r, size_t field_start,
			const char *s, size_t n)
{
	if (r->scratch.len - field_start + n > r->max_field)
		return false;
	scratch_put(r, s, n);
	return true;
}

/* Close the current field: NUL-terminate it and remember where it starts. */
static void field_close(struct csv_reader *r, size_t field_start)
{
	scratch_put(r, "", 1);
	if (r->nfields == r->fields_cap) {
		r->fields_cap = r->fields_cap ? r->fields_cap * 2 : 16;
		r->starts = xreallocarray(r->starts, r->fields_cap, sizeof(*r->starts));
		r->lens = xreallocarray(r->lens, r->fields_cap, sizeof(*r->lens));
		r->fields = xreallocarray(r->fields, r->fields_cap, sizeof(*r->fields));
	}
	r->starts[r->nfields] = field_start;
	r->lens[r->nfields] = r->scratch.len - 1 - field_start;
	r->nfields++;
}

/* The bytes that end a run of field text: for an unquoted field a comma,
 * a line end or NUL (an error); inside quotes a quote, a line end (kept,
 * but counted) or NUL. */
static const bool ends_plain[256] = { [','] = true, ['\n'] = true, ['\r'] = true, ['\0'] = true };
static const bool ends_quoted[256] = { ['"'] = true, ['\n'] = true, ['\r'] = true, ['\0'] = true };

#define BYTES_01 UINT64_C(0x0101010101010101)
#define BYTES_80 UINT64_C(0x8080808080808080)

/* Nonzero when one of the 8 bytes in w is zero. */
static uint64_t has_zero_byte(uint64_t w)
{
	return (w - BYTES_01) & ~w & BYTES_80;
}

/* Where the run of field text from pos ends: the first byte at or after
 * pos that ends (a table above, whose fourth byte besides NUL, CR and LF is
 * mark), or len.  Eight bytes at a time while none of them is one. */
static size_t run_end(const char *buf, size_t pos, size_t len, const bool ends[256], char mark)
{
	uint64_t marks = BYTES_01 * (unsigned char)mark;

	while (pos + 8 <= len) {
		uint64_t w;

		memcpy(&w, buf + pos, sizeof(w));
		if (has_zero_byte(w) | has_zero_byte(w ^ marks) |
		    has_zero_byte(w ^ (BYTES_01 * '\n')) | has_zero_byte(w ^ (BYTES_01 * '\r')))
			break;
		pos += 8;
	}
	while (pos < len && !ends[(unsigned char)buf[pos]])
		pos++;
	return pos;
}

/* Step over one line end (CRLF, LF or a lone CR) at pos. */
static void skip_newline(struct csv_reader *r)
{
	if (r->buf[r->pos] == '\r' && r->pos + 1 < r->len && r->buf[r->pos + 1] == '\n')
		r->pos++;
	r->pos++;
	r->line++;
	r->line_start = r->pos;
}

static enum csv_status too_big(struct csv_reader *r, struct csv_error *err, size_t field_off)
{
	char what[128];

	snprintf(what, sizeof(what), "字段超过 %zu 字节的上限（从此处开始）", r->max_field);
	return fail_at(r, err, CSV_ERR_FIELD_TOO_BIG, field_off, what);
}

/* A quoted field starting at the opening quote; leaves pos after the
 * closing quote. */
static enum csv_status read_quoted(struct csv_reader *r, size_t field_start,
				   struct csv_error *err)
{
	size_t open = r->pos, open_line = r->line, open_line_start = r->line_start;

	r->pos++;
	for (;;) {
		size_t run = run_end(r->buf, r->pos, r->len, ends_quoted, '"');

		if (!scratch_add(r, field_start, r->buf + r->pos, run - r->pos)) {
			r->line = open_line;
			r->line_start = open_line_start;
			return too_big(r, err, open);
		}
		r->pos = run;
		if (r->pos >= r->len) {
			r->line = open_line;
			r->line_start = open_line_start;
			return fail_at(r, err, CSV_ERR_UNTERMINATED, open,
				       "引号未闭合：从此处开始的带引号字段一直到文件结束");
		}
		if (r->buf[r->pos] == '\0')
			return fail_at(r, err, CSV_ERR_NUL, r->pos, "含有 NUL 字节");
		if (r->buf[r->pos] == '"') {
			if (r->pos + 1 < r->len && r->buf[r->pos + 1] == '"') {
				if (!scratch_add(r, field_start, "\"", 1))
					return too_big(r, err, open);
				r->pos += 2;
				continue;
			}
			r->pos++;
			return CSV_ROW;
		}
		/* A line end inside quotes belongs to the field, as written. */
		{
			size_t n = (r->buf[r->pos] == '\r' && r->pos + 1 < r->len &&
				    r->buf[r->pos + 1] == '\n') ? 2 : 1;

			if (!scratch_add(r, field_start, r->buf + r->pos, n))
				return too_big(r, err, open);
			r->pos += n;
			r->line++;
			r->line_start = r->pos;
		}
	}
}

/* An unquoted field: everything up to a comma, a line end or the end.  A
 * quote inside it is taken literally, as Excel and WPS do (csv-spectrum's
 * location_coordinates: 37°36'37.8"N). */
static enum csv_status read_plain(struct csv_reader *r, size_t field_start,
				  struct csv_error *err)
{
	size_t start = r->pos, run = run_end(r->buf, r->pos, r->len, ends_plain, ',');

	if (run < r->len && r->buf[run] == '\0')
		return fail_at(r, err, CSV_ERR_NUL, run, "含有 NUL 字节");
	if (!scratch_add(r, field_start, r->buf + start, run - start))
		return too_big(r, err, start);
	r->pos = run;
	return CSV_ROW;
}

/* One field, then what follows it: a comma (more fields) or the end of the
 * record.  *more says which. */
static enum csv_status read_field(struct csv_reader *r, bool *more, struct csv_error *err)
{
	size_t field_start = r->scratch.len;
	enum csv_status st;

	if (r->pos < r->len && r->buf[r->pos] == '"') {
		st = read_quoted(r, field_start, err);
		if (st != CSV_ROW)
			return st;
		if (r->pos < r->len && r->buf[r->pos] != ',' &&
		    r->buf[r->pos] != '\n' && r->buf[r->pos] != '\r')
			return fail_at(r, err, CSV_ERR_BAD_QUOTE, r->pos,
				       "右引号后面还有文字（应紧跟逗号或换行）");
	} else {
		st = read_plain(r, field_start, err);
		if (st != CSV_ROW)
			return st;
	}
	field_close(r, field_start);
	*more = r->pos < r->len && r->buf[r->pos] == ',';
	if (*more)
		r->pos++;
	else if (r->pos < r->len)
		skip_newline(r);
	return CSV_ROW;
}

/* Point the record at the fields gathered in scratch. */
static void fill_record(struct csv_reader *r, struct csv_record *rec, size_t first_line)
{
	for (size_t i = 0; i < r->nfields; i++)
		r->fields[i] = r->scratch.data + r->starts[i];
	rec->nfields = r->nfields;
	rec->fields = r->fields;
	rec->lens = r->lens;
	rec->line = first_line;
	rec->end_line = r->line > first_line && r->line_start == r->pos ? r->line - 1 : r->line;
}

enum csv_status csv_read(struct csv_reader *r, struct csv_record *rec,
			 struct csv_error *err)
{
	size_t first_line;
	bool more = true;

	/* err is cleared field by field: a whole memset of its message buffer
	 * for every record was a noticeable share of reading a large file. */
	err->kind = CSV_ERR_NONE;
	err->line = err->column = err->offset = 0;
	err->message[0] = '\0';
	if (r->failed)
		return fail_at(r, err, CSV_ERR_NONE, r->pos, "读取已因前面的错误中止");
	while (r->pos < r->len && (r->buf[r->pos] == '\n' || r->buf[r->pos] == '\r'))
		skip_newline(r);
	if (r->pos >= r->len) {
		if (r->any_record)
			return CSV_END;
		return fail_at(r, err, CSV_ERR_EMPTY, r->pos, "文件是空的，没有任何数据行");
	}
	first_line = r->line;
	r->nfields = 0;
	r->scratch.len = 0;
	while (more) {
		enum csv_status st = read_field(r, &more, err);

		if (st != CSV_ROW)
			return st;
	}
	if (r->width == 0) {
		r->width = r->nfields;
	} else if (r->nfields != r->width && !r->allow_ragged) {
		char what[160];

		snprintf(what, sizeof(what), "这一行有 %zu 个字段，而第一行有 %zu 个",
			 r->nfields, r->width);
		r->line = first_line;
		r->line_start = r->pos;
		err->kind = CSV_ERR_RAGGED;
		err->line = first_line;
		err->column = 1;
		err->offset = r->pos;
		snprintf(err->message, sizeof(err->message), "第 %zu 行：%s", first_line, what);
		r->failed = true;
		return CSV_ERROR;
	}
	r->any_record = true;
	fill_record(r, rec, first_line);
	return CSV_ROW;
}

void csv_out_free(struct csv_out *o)
{
	XFREE(o->data);
	o->len = o->cap = 0;
}

char *csv_out_reserve(struct csv_out *o, size_t n)
{
	if (o->len + n + 1 > o->cap) {
		size_t cap = o->cap ? o->cap : 1024;

		while (cap < o->len + n + 1)
			cap *= 2;
		o->data = xrealloc(o->data, cap);
		o->cap = cap;
	}
	return o->data + o->len;
}

void csv_out_append(struct csv_out *o, const char *s, size_t len)
{
	memcpy(csv_out_reserve(o, len), s, len);
	o->len += len;
	o->data[o->len] = '\0';
}

bool csv_is_formula_start(const char *s)
{
	return s != NULL && s[0] != '\0' && strchr("=+-@\t\r", s[0]) != NULL;
}

/* A formula start behind any number of apostrophes: such a cell gets one
 * more apostrophe on output, so reading it back can take exactly one off. */
static bool formula_like(const char *s)
{
	while (*s == '\'')
		s++;
	return csv_is_formula_start(s);
}

bool csv_is_number(const char *s)
{
	size_t i = 0, digits = 0;

	if (s == NULL)
		return false;
	if (s[i] == '-')
		i++;
	while (s[i] >= '0' && s[i] <= '9')
		i++, digits++;
	if (s[i] == '.') {
		i++;
		while (s[i] >= '0' && s[i] <= '9')
			i++, digits++;
	}
	return digits > 0 && s[i] == '\0';
}

void csv_write_field(struct csv_out *o, bool first, const char *s,
		     enum csv_cell_kind kind)
{
	bool neutralise, quote;

	if (s == NULL)
		s = "";
	neutralise = formula_like(s) && !(kind == CSV_NUMBER && csv_is_number(s));
	quote = strpbrk(s, ",\"\r\n") != NULL;
	if (!first)
		csv_out_append(o, ",", 1);
	if (quote)
		csv_out_append(o, "\"", 1);
	if (neutralise)
		csv_out_append(o, "'", 1);
	if (!quote) {
		csv_out_append(o, s, strlen(s));
		return;
	}
	for (const char *p = s; *p; ) {
		const char *q = strchr(p, '"');
		size_t n = q ? (size_t)(q - p) + 1 : strlen(p);

		csv_out_append(o, p, n);
		if (q)
			csv_out_append(o, "\"", 1);
		p += n;
	}
	csv_out_append(o, "\"", 1);
}

void csv_end_record(struct csv_out *o)
{
	csv_out_append(o, "\r\n", 2);
}

const char *csv_unneutralise(const char *s)
{
	if (s != NULL && s[0] == '\'' && formula_like(s))
		return s + 1;
	return s;
}
