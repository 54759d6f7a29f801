#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "core/import_sheet.h"
#include "core/xalloc.h"
#include "core/xlsx_read.h"

/* The worksheet's rows as the records import_sheet walks. */
struct xlsx_source {
	struct xlsx_reader *r;
	struct import_source *src;
};

/* The next sheet row as a CSV record, its cell types beside it. */
static enum csv_status xlsx_next(void *state, struct csv_record *rec, struct csv_error *err)
{
	struct xlsx_source *xs = state;
	struct xlsx_row row;
	size_t line = 0;

	switch (xlsx_next_row(xs->r, &row, &line, err->message, sizeof(err->message))) {
	case XLSX_ROW:
		*rec = (struct csv_record){ .nfields = row.ncells, .fields = row.cells,
					    .lens = row.lens, .line = row.line,
					    .end_line = row.line };
		xs->src->kinds = row.kinds;
		return CSV_ROW;
	case XLSX_END:
		return CSV_END;
	default:
		err->line = line > 0 ? line : 1;
		return CSV_ERROR;
	}
}

bool import_sheet_read_xlsx(const char *label, const char *bytes, size_t len,
			    import_row_fn fn, void *ctx, struct import_sheet *sheet)
{
	struct import_source src = { .next = xlsx_next, .sparse = true };
	struct xlsx_source xs = { .src = &src };
	char msg[256];
	bool ok;

	sheet->layout = IMPORT_LAYOUT_PLAIN;
	sheet->encoding = ENC_UTF8;
	xs.r = xlsx_open(bytes, len, NULL, msg, sizeof(msg));
	if (xs.r == NULL) {
		import_sheet_problem(sheet, label, 1, NULL, "%s", msg);
		return false;
	}
	if (xlsx_sheet_count(xs.r) > 1) {
		char *what = xasprintf("工作簿有 %zu 张工作表，只导入第一张“%s”；其余工作表里的企业"
				       "请另存为单独的文件再导入", xlsx_sheet_count(xs.r),
				       xlsx_sheet_name(xs.r));

		import_sheet_note(sheet, label, 1, what);
		free(what);
	}
	src.state = &xs;
	src.date1904 = xlsx_date1904(xs.r);
	ok = import_sheet_read_source(label, &src, fn, ctx, sheet);
	xlsx_close(&xs.r);
	return ok;
}
