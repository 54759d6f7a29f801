/* One enterprise: the detail screen with its tabs, the edit form saved by
 * compare-and-set (with the conflict dialog), a new enterprise, and the
 * actions on its cases. */
#ifndef GB_ENTERPRISE_H
#define GB_ENTERPRISE_H

#include "ui/client.h"

/* A material of gb.v_material m in words (SQL expression): its validity
 * (有效, 已过期, 缺失, 不适用), when received, issued, valid until, its ref. */
#define ENTERPRISE_MATERIAL_VALUE \
	"m.validity_label || CASE WHEN m.status = 'received' THEN ' 已收 ' || m.received_on || " \
	"coalesce(' 出具 ' || m.issued_on, '') || coalesce(' 有效期至 ' || m.valid_until, '') || " \
	"coalesce(' 编号 ' || m.ref, '') ELSE '' END"

/* Open the detail screen of enterprise id. */
void enterprise_open(struct client *cl, const char *id);

/* Open the edit form (id NULL: a new enterprise in district_id). */
void enterprise_edit(struct client *cl, const char *id, const char *district_id);

/* The actions menu: record an application, case actions, why not. */
void enterprise_actions(struct client *cl, const char *id);

#endif
