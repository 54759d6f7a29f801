/* x: export the list on screen (its filter and sort, every row, not just
 * the window) to a CSV file in GB18030 or UTF-8 with BOM, page by page so
 * that memory stays flat however long the list. */
#ifndef GB_EXPORT_H
#define GB_EXPORT_H

#include "ui/listview.h"

/* Ask for the encoding and the file name, then export. */
void export_start(struct listview *lv);

#endif
