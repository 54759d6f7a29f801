/* XLSX output of out_table documents through libxlsxwriter: one worksheet
 * per table, bold headers and totals, numbers as numbers, column widths
 * fitted to the display width of the (Chinese) text.  Text cells are
 * typed as strings, so a cell such as "=1+1" is shown, never evaluated. */
#ifndef GB_OUT_XLSX_H
#define GB_OUT_XLSX_H

#include <stdbool.h>
#include <stddef.h>

#include "out_table.h"

/* Write the tables to path.  On failure returns false with a Chinese
 * message in msg. */
bool out_xlsx_write(struct out_table *const *tables, size_t n, const char *path,
		    char *msg, size_t msgsize);

#endif
