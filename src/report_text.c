#include "config.h"

#include <stdlib.h>

#include "core/width.h"
#include "report_text.h"

size_t report_text_width(const struct out_table *t)
{
	size_t total = t->ncols > 0 ? 2 * (t->ncols - 1) : 0;

	for (size_t c = 0; c < t->ncols; c++) {
		size_t w = 0;

		for (size_t r = 0; r < t->nrows; r++) {
			const char *s = t->rows[r].cells[c];

			if (t->rows[r].kind != OUT_ROW_TITLE && s != NULL && width_str_cols(s) > w)
				w = width_str_cols(s);
		}
		total += w;
	}
	return total;
}

/* A new table of the given columns of t, under a title line. */
static struct out_table *pick(const struct out_table *t, const char *title,
			      const size_t *cols, size_t n)
{
	enum out_col_kind kinds[16];
	const char *cells[16] = { title };
	struct out_table *p;

	for (size_t i = 0; i < n; i++)
		kinds[i] = t->kinds[cols[i]];
	p = out_table_new(title, n, kinds);
	out_table_add(p, OUT_ROW_TITLE, cells);
	for (size_t r = 0; r < t->nrows; r++) {
		if (t->rows[r].kind == OUT_ROW_TITLE)
			continue;
		for (size_t i = 0; i < n; i++)
			cells[i] = t->rows[r].cells[cols[i]];
		out_table_add(p, t->rows[r].kind, cells);
	}
	return p;
}

size_t report_text_tables(struct out_table *t, struct out_table *out[2])
{
	/* tables_progress: 排名 区镇 配额 列入 通过 完成率% 示范在办 示范认定 逾期 */
	static const size_t gb_cols[] = { 0, 1, 2, 3, 4, 5 };
	static const size_t demo_cols[] = { 1, 6, 7, 8 };

	if (t->ncols != 9 || report_text_width(t) <= REPORT_TEXT_COLS) {
		out[0] = t;
		return 1;
	}
	out[0] = pick(t, "贯标进度", gb_cols, sizeof(gb_cols) / sizeof(gb_cols[0]));
	out[1] = pick(t, "示范与逾期", demo_cols, sizeof(demo_cols) / sizeof(demo_cols[0]));
	return 2;
}
