/* The six panels of the client and the quick lookup. */
#ifndef GB_PANELS_H
#define GB_PANELS_H

#include "ui/client.h"

/* Create the six panels in cl->panels; none loads until client_show_panel
 * shows it (only what is on screen asks the server). */
void panels_create(struct client *cl);

/* ':' — type a USCC or part of a name, pick, open the enterprise. */
void panels_open_lookup(struct client *cl);

/* Show the enterprise panel filtered to one district. */
void panels_show_district(struct client *cl, const char *district_id, const char *name);

#endif
