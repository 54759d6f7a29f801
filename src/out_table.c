#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/syserr.h"
#include "core/csv.h"
#include "core/encoding.h"
#include "core/escape.h"
#include "core/width.h"
#include "core/xalloc.h"
#include "out_table.h"

struct out_stream {
	FILE *f;
	enum enc_kind enc;	/* for the next chunk (the BOM only once) */
	struct csv_out buf;	/* UTF-8 rows not yet written */
	bool failed;
	char msg[300];
};

struct out_table *out_table_new(const char *name, size_t ncols,
				const enum out_col_kind *kinds)
{
	struct out_table *t = xcalloc(1, sizeof(*t));

	t->name = xstrdup(name ? name : "Sheet1");
	t->ncols = ncols;
	t->kinds = xcalloc(ncols, sizeof(*t->kinds));
	for (size_t i = 0; i < ncols; i++)
		t->kinds[i] = kinds ? kinds[i] : OUT_TEXT;
	return t;
}

void out_table_free(struct out_table **tp)
{
	struct out_table *t = *tp;

	if (t == NULL)
		return;
	for (size_t r = 0; r < t->nrows; r++) {
		for (size_t c = 0; c < t->ncols; c++)
			free(t->rows[r].cells[c]);
		free(t->rows[r].cells);
	}
	if (t->stream != NULL) {
		csv_out_free(&t->stream->buf);
		free(t->stream);
	}
	free(t->rows);
	free(t->kinds);
	free(t->name);
	free(t);
	*tp = NULL;
}

void out_table_stream_csv(struct out_table *t, enum enc_kind enc, FILE *f)
{
	t->stream = xcalloc(1, sizeof(*t->stream));
	t->stream->f = f;
	t->stream->enc = enc;
}

/* Write converted bytes to f.  Data never reaches a terminal raw
 * (RELIABILITY.md §13): on a terminal, UTF-8 output is written line by line
 * with controls, escape sequences and bidi overrides shown escaped, and any
 * other encoding (which the terminal could not show anyway) is refused. */
static bool out_write(FILE *f, const char *bytes, size_t len, enum enc_kind enc,
		      char *msg, size_t msgsize)
{
	size_t start = 0;

	if (!isatty(fileno(f)))
		return fwrite(bytes, 1, len, f) == len;
	if (enc != ENC_UTF8 && enc != ENC_UTF8_BOM) {
		snprintf(msg, msgsize, "标准输出是终端，%s 编码的文件不能直接显示："
			 "请用 -o 文件名 保存，或加 --encoding utf-8 在终端查看", enc_name(enc));
		return false;
	}
	if (len >= 3 && memcmp(bytes, "\xef\xbb\xbf", 3) == 0)
		start = 3;	/* the BOM is for Excel, not for the terminal */
	while (start < len) {
		const char *nl = memchr(bytes + start, '\n', len - start);
		size_t end = nl ? (size_t)(nl - bytes) : len;
		char *line = escape_display_n(bytes + start, end - start);
		bool ok = fputs(line, f) >= 0 && (nl == NULL || fputc('\n', f) != EOF);

		free(line);
		if (!ok) {
			snprintf(msg, msgsize, "写入失败：%s", syserr_text(errno));
			return false;
		}
		start = end + 1;
	}
	return true;
}

/* Convert and write the buffered rows; remember the first failure. */
static void stream_flush(struct out_stream *st)
{
	struct enc_error err = { 0 };
	size_t len;
	char *bytes;

	if (st->failed || st->buf.len == 0)
		return;
	bytes = enc_from_utf8(st->buf.data, st->buf.len, st->enc, &len, &err);
	if (bytes == NULL) {
		snprintf(st->msg, sizeof(st->msg), "无法转换为 %s：%s", enc_name(st->enc), err.message);
		st->failed = true;
	} else if (!out_write(st->f, bytes, len, st->enc, st->msg, sizeof(st->msg))) {
		if (st->msg[0] == '\0')
			snprintf(st->msg, sizeof(st->msg), "写入失败：%s", syserr_text(errno));
		st->failed = true;
	}
	if (st->enc == ENC_UTF8_BOM)
		st->enc = ENC_UTF8;
	free(bytes);
	st->buf.len = 0;
}

/* One row as CSV: numbers in numeric columns of data rows stay numbers. */
static void csv_row(struct csv_out *o, const struct out_table *t, enum out_row_kind kind,
		    char *const *cells)
{
	bool data = kind == OUT_ROW_DATA || kind == OUT_ROW_TOTAL;

	for (size_t c = 0; c < t->ncols; c++)
		csv_write_field(o, c == 0, cells[c],
				data && t->kinds[c] == OUT_NUMBER ? CSV_NUMBER : CSV_TEXT);
	csv_end_record(o);
}

bool out_table_stream_end(struct out_table *t, char *msg, size_t msgsize)
{
	struct out_stream *st = t->stream;

	stream_flush(st);
	if (!st->failed && fflush(st->f) != 0) {
		snprintf(st->msg, sizeof(st->msg), "写入失败：%s", syserr_text(errno));
		st->failed = true;
	}
	if (st->failed)
		snprintf(msg, msgsize, "%s", st->msg);
	return !st->failed;
}

void out_table_add(struct out_table *t, enum out_row_kind kind,
		   const char *const *cells)
{
	struct out_row *row;

	if (t->stream != NULL) {
		csv_row(&t->stream->buf, t, kind, (char *const *)cells);
		if (t->stream->buf.len >= (1u << 20))
			stream_flush(t->stream);
		return;
	}

	if (t->nrows == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 32;
		t->rows = xreallocarray(t->rows, t->cap, sizeof(*t->rows));
	}
	row = &t->rows[t->nrows++];
	row->kind = kind;
	row->cells = xcalloc(t->ncols, sizeof(*row->cells));
	for (size_t c = 0; c < t->ncols; c++)
		row->cells[c] = cells[c] ? xstrdup(cells[c]) : NULL;
}

void out_table_header(struct out_table *t, const char *const *names)
{
	out_table_add(t, OUT_ROW_HEADER, names);
}

char *out_csv_utf8(struct out_table *const *tables, size_t n, size_t *len)
{
	struct csv_out o = { 0 };

	csv_out_append(&o, "", 0);
	for (size_t i = 0; i < n; i++) {
		const struct out_table *t = tables[i];

		if (i > 0)
			csv_end_record(&o);
		for (size_t r = 0; r < t->nrows; r++)
			csv_row(&o, t, t->rows[r].kind, t->rows[r].cells);
	}
	*len = o.len;
	return o.data;
}

/* Write len bytes to path (or standard output), reporting errno in msg. */
static bool write_bytes(const char *path, const char *data, size_t len,
			enum enc_kind enc, char *msg, size_t msgsize)
{
	bool to_stdout = path == NULL || strcmp(path, "-") == 0;
	FILE *f = to_stdout ? stdout : fopen(path, "wb");
	bool ok;

	if (f == NULL) {
		snprintf(msg, msgsize, "无法写入 %s：%s", path, syserr_text(errno));
		return false;
	}
	msg[0] = '\0';
	ok = out_write(f, data, len, enc, msg, msgsize);
	if (!ok && msg[0] != '\0') {
		if (!to_stdout)
			fclose(f);
		return false;
	}
	ok = (to_stdout ? fflush(f) == 0 : fclose(f) == 0) && ok;
	if (!ok)
		snprintf(msg, msgsize, "写入 %s 失败：%s", to_stdout ? "标准输出" : path,
			 syserr_text(errno));
	return ok;
}

bool out_csv_write(struct out_table *const *tables, size_t n, enum enc_kind enc,
		   const char *path, char *msg, size_t msgsize)
{
	size_t len, out_len;
	char *utf8 = out_csv_utf8(tables, n, &len);
	struct enc_error err = { 0 };
	char *bytes = enc_from_utf8(utf8, len, enc, &out_len, &err);
	bool ok;

	free(utf8);
	if (bytes == NULL) {
		snprintf(msg, msgsize, "无法转换为 %s：%s", enc_name(enc), err.message);
		return false;
	}
	ok = write_bytes(path, bytes, out_len, enc, msg, msgsize);
	free(bytes);
	return ok;
}

/* The cell as it may reach a terminal.  Caller frees. */
static char *display_cell(const char *s)
{
	return escape_display(s ? s : "");
}

/* Columns each column needs: the widest header or data cell. */
static size_t *column_widths(const struct out_table *t)
{
	size_t *w = xcalloc(t->ncols, sizeof(*w));

	for (size_t r = 0; r < t->nrows; r++) {
		if (t->rows[r].kind == OUT_ROW_TITLE)
			continue;
		for (size_t c = 0; c < t->ncols; c++) {
			char *s = display_cell(t->rows[r].cells[c]);
			size_t cols = width_str_cols(s);

			if (cols > w[c])
				w[c] = cols;
			free(s);
		}
	}
	return w;
}

/* A title row: its non-empty cells, escaped, two spaces apart. */
static void write_title(const struct out_row *row, size_t ncols, FILE *out)
{
	bool first = true;

	for (size_t c = 0; c < ncols; c++) {
		char *s;

		if (row->cells[c] == NULL || row->cells[c][0] == '\0')
			continue;
		s = display_cell(row->cells[c]);
		fprintf(out, "%s%s", first ? "" : "  ", s);
		free(s);
		first = false;
	}
	fputc('\n', out);
}

static void write_rule(const size_t *w, size_t ncols, FILE *out)
{
	size_t total = 0;

	for (size_t c = 0; c < ncols; c++)
		total += w[c] + (c > 0 ? 2 : 0);
	for (size_t i = 0; i < total; i++)
		fputc('-', out);
	fputc('\n', out);
}

void out_text_write(const struct out_table *t, FILE *out)
{
	size_t *w = column_widths(t);

	for (size_t r = 0; r < t->nrows; r++) {
		const struct out_row *row = &t->rows[r];

		if (row->kind == OUT_ROW_TITLE) {
			write_title(row, t->ncols, out);
			continue;
		}
		if (row->kind == OUT_ROW_TOTAL)
			write_rule(w, t->ncols, out);
		for (size_t c = 0; c < t->ncols; c++) {
			char *s = display_cell(row->cells[c]);
			bool last = c + 1 == t->ncols;
			enum width_align a = t->kinds[c] == OUT_NUMBER ? WIDTH_RIGHT : WIDTH_LEFT;
			char *p = last && a == WIDTH_LEFT ? xstrdup(s) : width_pad(s, w[c], a);

			fprintf(out, "%s%s", c > 0 ? "  " : "", p);
			free(p);
			free(s);
		}
		fputc('\n', out);
		if (row->kind == OUT_ROW_HEADER)
			write_rule(w, t->ncols, out);
	}
	free(w);
}
