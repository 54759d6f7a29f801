/* The 考核通报 (report progress) as text for an 80-column terminal: the
 * progress table as it is when it fits, else split in two narrower tables
 * (the 贯标 columns, then 示范 and 逾期), each keeping 区镇 and the 合计
 * row, so that counts of any size (six-digit quotas, seven-digit totals)
 * stay aligned without wrapping. */
#ifndef GB_REPORT_TEXT_H
#define GB_REPORT_TEXT_H

#include <stddef.h>

#include "out_table.h"

#define REPORT_TEXT_COLS 80

/* Display width of the widest line out_text_write prints for t (title
 * lines aside). */
size_t report_text_width(const struct out_table *t);

/* The tables to print for progress table t (the columns of
 * tables_progress): t itself when it fits (returns 1, out[0] = t, nothing
 * to free) or two new tables (returns 2; caller frees both). */
size_t report_text_tables(struct out_table *t, struct out_table *out[2]);

#endif
