#include "config.h"

#include "db/entlist.h"

/* Each sort key matches an index expression of sql 001/016 exactly, and is
 * leakproof under the row policy (no COALESCE, no numeric comparison), so
 * the keyset condition is an index condition. */
const struct pager_col entlist_cols[ENTLIST_NCOLS] = {
	[ENTLIST_NAME] = { "name", "name" },
	[ENTLIST_DISTRICT] = { "district_name", "district_id" },
	[ENTLIST_PRODUCTS] = { "main_products", NULL },
	[ENTLIST_SALES] = { "sales_revenue_wan", "gb.sales_key(sales_revenue_wan)" },
	[ENTLIST_EMPLOYEES] = { "employees", "CASE WHEN employees IS NULL THEN -1 ELSE employees END" },
	[ENTLIST_GB] = { "gb_state_label", NULL },
	[ENTLIST_DEMO] = { "demo_state_label", NULL },
	[ENTLIST_AGENCY] = { "agency_name", NULL },
	[ENTLIST_CONTACT] = { "contact_name", NULL },
	[ENTLIST_PHONE] = { "contact_phone", NULL },
	[ENTLIST_USCC] = { "uscc", "uscc" },
};

/* What the ILIKE search reads: name, USCC, products, contact. */
const char *const entlist_search[4] = { "name", "uscc", "main_products", "contact_name" };

const char *const entlist_ties[ENTLIST_NCOLS] = {
	[ENTLIST_DISTRICT] = "name",
	[ENTLIST_SALES] = "name",
	[ENTLIST_EMPLOYEES] = "name",
};
