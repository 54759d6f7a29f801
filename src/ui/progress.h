/* Panel 1, 区镇指标: one row per district with its counts, completion bar
 * and the 合计 row, under a strip of the nearest deadlines. */
#ifndef GB_PROGRESS_H
#define GB_PROGRESS_H

#include "ui/client.h"

struct screen *progress_new(struct client *cl);

#endif
