/* Working on cases (贯标 and 示范): the review screen of one item of the
 * work queue with eligibility, materials and the actions the database
 * allows, the reason prompt, and batches over marked items. */
#ifndef GB_CASEWORK_H
#define GB_CASEWORK_H

#include "ui/client.h"

/* Called after an action succeeded (e.g. to open the next queue item). */
typedef void (*casework_next_fn)(struct client *cl, void *ctx);

/* Open the review screen of case_id of kind "gb" or "demo". */
void casework_open(struct client *cl, const char *kind, const char *case_id,
		   casework_next_fn next, void *ctx);

/* Show the actions menu of a case (no review screen). */
void casework_actions(struct client *cl, const char *kind, const char *case_id);

/* Run one action on every marked case (kinds[i], ids[i]), after showing a
 * summary; report each refusal. */
void casework_batch(struct client *cl, int n, char **kinds, char **ids);

#endif
