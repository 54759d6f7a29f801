#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xlsxwriter.h>

#include "core/csv.h"
#include "core/width.h"
#include "core/xalloc.h"
#include "out_xlsx.h"

/* Excel's limits on worksheet names: 31 characters, none of []:*?/\,
 * unique in the workbook.  Returns a usable name.  Caller frees. */
static char *sheet_name(lxw_workbook *wb, const char *want, size_t index)
{
	const unsigned char *p = (const unsigned char *)want;
	char buf[128];
	size_t o = 0, chars = 0;

	while (*p && chars < 28) {
		size_t n = *p < 0x80 ? 1 : *p >= 0xF0 ? 4 : *p >= 0xE0 ? 3 : 2;

		if (strnlen((const char *)p, n) < n || o + n + 1 > sizeof(buf))
			break;
		if (n == 1)
			buf[o++] = strchr("[]:*?/\\'", *p) || *p < 0x20 ? '_' : (char)*p;
		else
			memcpy(buf + o, p, n), o += n;
		p += n;
		chars++;
	}
	buf[o] = '\0';
	if (o == 0 || workbook_validate_sheet_name(wb, buf) != LXW_NO_ERROR)
		return xasprintf("%s(%zu)", buf, index + 1);
	return xstrdup(buf);
}

/* Rows that column widths are fitted to: the header and enough data to
 * see its shape, without measuring a list of a million rows cell by cell. */
#define FIT_ROWS 1000
/* From this many rows in all, libxlsxwriter writes each row to a
 * temporary file as the next one starts (its constant_memory mode, inline
 * strings) instead of holding the whole workbook in memory until close. */
#define CONSTANT_MEMORY_ROWS 5000

/* Column widths in Excel character units: a CJK character counts two,
 * like its display width; a margin of two. */
static void fit_columns(lxw_worksheet *ws, const struct out_table *t)
{
	for (size_t c = 0; c < t->ncols; c++) {
		size_t w = 4;

		for (size_t r = 0; r < t->nrows && r < FIT_ROWS; r++) {
			const char *s = t->rows[r].cells[c];
			size_t cols;

			if (t->rows[r].kind == OUT_ROW_TITLE || s == NULL)
				continue;
			cols = width_str_cols(s);
			if (cols > w)
				w = cols;
		}
		if (w > 60)
			w = 60;
		worksheet_set_column(ws, (lxw_col_t)c, (lxw_col_t)c, (double)w + 2, NULL);
	}
}

/* One cell: a number in a numeric column of a data row, text otherwise. */
static lxw_error write_cell(lxw_worksheet *ws, const struct out_table *t, size_t r,
			    size_t c, lxw_format *fmt)
{
	const struct out_row *row = &t->rows[r];
	const char *s = row->cells[c];
	bool data = row->kind == OUT_ROW_DATA || row->kind == OUT_ROW_TOTAL;

	if (s == NULL || s[0] == '\0')
		return fmt ? worksheet_write_blank(ws, (lxw_row_t)r, (lxw_col_t)c, fmt) : LXW_NO_ERROR;
	if (data && t->kinds[c] == OUT_NUMBER && csv_is_number(s))
		return worksheet_write_number(ws, (lxw_row_t)r, (lxw_col_t)c, strtod(s, NULL), fmt);
	return worksheet_write_string(ws, (lxw_row_t)r, (lxw_col_t)c, s, fmt);
}

static lxw_error write_sheet(lxw_workbook *wb, const struct out_table *t, size_t index,
			     lxw_format *bold)
{
	char *name = sheet_name(wb, t->name, index);
	lxw_worksheet *ws = workbook_add_worksheet(wb, name);
	lxw_error e = LXW_NO_ERROR;

	free(name);
	if (ws == NULL)
		return LXW_ERROR_SHEETNAME_ALREADY_USED;
	fit_columns(ws, t);
	for (size_t r = 0; r < t->nrows && e == LXW_NO_ERROR; r++) {
		enum out_row_kind k = t->rows[r].kind;
		lxw_format *fmt = k == OUT_ROW_HEADER || k == OUT_ROW_TOTAL ||
				  k == OUT_ROW_TITLE ? bold : NULL;

		for (size_t c = 0; c < t->ncols && e == LXW_NO_ERROR; c++)
			e = write_cell(ws, t, r, c, fmt);
	}
	return e;
}

bool out_xlsx_write(struct out_table *const *tables, size_t n, const char *path,
		    char *msg, size_t msgsize)
{
	lxw_workbook_options opt = { .constant_memory = LXW_FALSE };
	lxw_workbook *wb;
	lxw_format *bold;
	lxw_error e = LXW_NO_ERROR;
	size_t rows = 0;

	for (size_t i = 0; i < n; i++)
		rows += tables[i]->nrows;
	opt.constant_memory = rows >= CONSTANT_MEMORY_ROWS;
	wb = workbook_new_opt(path, &opt);
	if (wb == NULL) {
		snprintf(msg, msgsize, "无法创建 XLSX 文件 %s", path);
		return false;
	}
	bold = workbook_add_format(wb);
	format_set_bold(bold);
	for (size_t i = 0; i < n && e == LXW_NO_ERROR; i++)
		e = write_sheet(wb, tables[i], i, bold);
	if (e != LXW_NO_ERROR) {
		snprintf(msg, msgsize, "生成 XLSX 失败：%s", lxw_strerror(e));
		workbook_close(wb);
		return false;
	}
	e = workbook_close(wb);
	if (e != LXW_NO_ERROR) {
		snprintf(msg, msgsize, "写入 XLSX 文件 %s 失败：%s", path, lxw_strerror(e));
		return false;
	}
	return true;
}
