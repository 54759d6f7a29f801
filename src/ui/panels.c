#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"
#include "db/entlist.h"
#include "ui/casework.h"
#include "ui/dialog.h"
#include "ui/enterprise.h"
#include "ui/listview.h"
#include "ui/panels.h"
#include "ui/progress.h"
#include "ui/term.h"

/* ---------------------------------------------------------------- 企业 */

enum { ENT_NAME, ENT_DISTRICT, ENT_PRODUCTS, ENT_SALES, ENT_EMPLOYEES, ENT_GB, ENT_DEMO,
       ENT_AGENCY, ENT_CONTACT, ENT_PHONE, ENT_USCC, ENT_NDISPLAY };

/* Sorts the indexes of sql 016 serve at any size; the others would read and
 * sort every enterprise for one screen. */
#define ENT_NOSORT_TEXT "按这一列排序要读遍全部企业，企业多时很慢；请用 / 搜索"
#define ENT_NOSORT_CASE "这一列来自贯标、示范和合同记录，企业多时无法快速排序；请用 f 筛选"
static const char *const ent_nosort[ENTLIST_NCOLS] = {
	[ENTLIST_PRODUCTS] = ENT_NOSORT_TEXT, [ENTLIST_CONTACT] = ENT_NOSORT_TEXT,
	[ENTLIST_PHONE] = ENT_NOSORT_TEXT, [ENTLIST_GB] = ENT_NOSORT_CASE,
	[ENTLIST_DEMO] = ENT_NOSORT_CASE, [ENTLIST_AGENCY] = ENT_NOSORT_CASE,
};
_Static_assert((int)ENT_NDISPLAY == (int)ENTLIST_NCOLS, "the panel shows the list's columns");

static const struct table_col ent_tcols[] = {
	/* 36: most names whole (18 characters); the other columns scroll. */
	{ "名称", 36, WIDTH_LEFT }, { "区镇", 10, WIDTH_LEFT }, { "主要产品", 18, WIDTH_LEFT },
	{ "去年销售收入", 12, WIDTH_RIGHT }, { "职工人数", 8, WIDTH_RIGHT },
	{ "贯标阶段", 10, WIDTH_LEFT }, { "示范", 10, WIDTH_LEFT }, { "服务机构", 16, WIDTH_LEFT },
	{ "联系人", 8, WIDTH_LEFT }, { "电话", 13, WIDTH_LEFT }, { "统一社会信用代码", 18, WIDTH_LEFT },
};

static const char *const ent_tables[] = { "enterprise", "gb_case", "demo_case", "contract", NULL };

static const char *const ent_help[] = {
	"你有权查看的企业（区镇：本区镇的；服务机构：所服务的）",
	"Enter o\t打开企业（基本信息、贯标、示范、信用核查、历史）",
	"e\t编辑企业",
	"+\t新建企业（区镇工作人员；市信用办先选区镇）",
	"a\t可做的操作：申请贯标、提交、审核……以及“为什么不能”",
	NULL,
};

/* Filter picked from a second-level menu: ctx is the list, value the id. */
static void ent_filter_district(struct client *cl, void *ctx, const char *value, const char *label)
{
	char *l;

	if (value == NULL)
		return;
	l = xasprintf("区镇=%s", label);
	listview_set_filter(ctx, "district_id = %s::int", value, l);
	free(l);
}

static void ent_filter_stage(struct client *cl, void *ctx, const char *value, const char *label)
{
	char *l;

	if (value == NULL)
		return;
	l = xasprintf("贯标阶段=%s", label);
	if (value[0] == '\0')
		listview_set_filter(ctx, ENTLIST_NO_CASE_COND, NULL, l);
	else
		listview_set_filter(ctx, "gb_state = %s", value, l);
	free(l);
}

static void ent_filter_agency(struct client *cl, void *ctx, const char *value, const char *label)
{
	char *l;

	if (value == NULL)
		return;
	l = xasprintf("服务机构=%s", label);
	listview_set_filter(ctx, "agency_name = %s", value, l);
	free(l);
}

/* The first filter menu: what to filter by. */
static void ent_filter_kind(struct client *cl, void *ctx, const char *value, const char *label)
{
	struct screen *m;

	if (value == NULL)
		return;
	if (strcmp(value, "clear") == 0) {
		listview_clear_filters(ctx);
		return;
	}
	if (strcmp(value, "district") == 0) {
		m = dialog_menu(cl, "按区镇筛选", ent_filter_district, ctx);
		dialog_menu_load(m, "SELECT id::text, name FROM gb.district WHERE active "
				 "ORDER BY sort_order, id", 0, NULL);
	} else if (strcmp(value, "stage") == 0) {
		m = dialog_menu(cl, "按贯标阶段筛选", ent_filter_stage, ctx);
		dialog_menu_load(m, "SELECT '', '（未申请）' UNION ALL (SELECT code, label "
				 "FROM gb.wf_state WHERE kind = 'gb' ORDER BY sort_order)", 0, NULL);
	} else {
		m = dialog_menu(cl, "按服务机构筛选", ent_filter_agency, ctx);
		dialog_menu_load(m, "SELECT name, name FROM gb.agency ORDER BY name", 0, NULL);
	}
	client_push(cl, m);
}

static void ent_filter(struct listview *lv)
{
	struct client *cl = lv->s.cl;
	struct screen *m = dialog_menu(cl, "筛选", ent_filter_kind, lv);

	/* A district officer sees one district, an agency its own enterprises:
	 * filtering by another would only ever give an empty list. */
	if (!client_role_is(cl, "district"))
		dialog_menu_add(m, "district", "按区镇…");
	dialog_menu_add(m, "stage", "按贯标阶段…");
	if (!client_role_is(cl, "agency"))
		dialog_menu_add(m, "agency", "按服务机构…");
	dialog_menu_add(m, "clear", "清除筛选");
	client_push(lv->s.cl, m);
}

/* A district for the new enterprise (city officers pick one). */
static void new_in_district(struct client *cl, void *ctx, const char *value, const char *label)
{
	if (value != NULL)
		enterprise_edit(cl, NULL, value);
}

/* e and o on a row that belongs to an enterprise (its id in column col,
 * -1: the row's own id): e edits it, o opens it, the same in every list. */
static bool enterprise_row_key(struct listview *lv, int ret, wint_t ch, int col)
{
	int r = listview_cursor(lv);
	struct client *cl = lv->s.cl;
	const char *id;

	if (ret != OK || (ch != 'e' && ch != 'o'))
		return false;
	if (r < 0)
		return true;
	id = col < 0 ? lv->pager.rows[r].id : listview_cell(lv, r, col);
	if (id[0] == '\0')
		client_status(cl, false, "这一行不涉及具体企业");
	else if (ch == 'o')
		enterprise_open(cl, id);
	else if (!client_refuse_edit_enterprise(cl))
		enterprise_edit(cl, id, NULL);
	return true;
}

static bool ent_key(struct listview *lv, int ret, wint_t ch)
{
	int r = listview_cursor(lv);
	struct client *cl = lv->s.cl;

	if (screen_key_enter(ret, ch))
		return enterprise_row_key(lv, OK, 'o', -1);
	if (enterprise_row_key(lv, ret, ch, -1))
		return true;
	if (ret != OK)
		return false;
	if (ch == 'a' && r >= 0) {
		if (!client_refuse_act(cl))
			enterprise_actions(cl, lv->pager.rows[r].id);
		return true;
	}
	if (ch == '+') {
		if (client_refuse_edit_enterprise(cl)) {
		} else if (cl->district_id) {
			enterprise_edit(cl, NULL, cl->district_id);
		} else {
			struct screen *m = dialog_menu(cl, "新建企业：选择区镇", new_in_district, NULL);

			dialog_menu_load(m, "SELECT id::text, name FROM gb.district WHERE active "
					 "ORDER BY sort_order, id", 0, NULL);
			client_push(cl, m);
		}
		return true;
	}
	return false;
}

static const struct listview_spec ent_spec = {
	.name = "企业",
	.pager = {
		/* The stage of the programme year picked with Y (sql 016). */
		.from = ENTLIST_FROM, .id = "id",
		.cols = entlist_cols, .ncols = ENT_NDISPLAY, .ties = entlist_ties,
		.nosort = ent_nosort,
		/* ILIKE cannot use the trigram indexes under row security (not
		 * leakproof): the server's search function can (sql 013). */
		.search = entlist_search, .nsearch = 4,
		.search_sql = ENTLIST_SEARCH_SQL, .search_sql_min = ENTLIST_SEARCH_MIN,
		.search_walk = ENTLIST_SEARCH_WALK, .search_walk_rows = ENTLIST_SEARCH_WALK_ROWS,
		.page_rows = 100, .max_rows = 400,
	},
	.tcols = ent_tcols, .ndisplay = ENT_NDISPLAY, .frozen = 1,
	.default_sort = ENT_NAME,
	.year_cond = ENTLIST_YEAR_COND,
	.tables = ent_tables,
	.keys = "Enter 打开  / 搜索  n/N  f 筛选  s 排序  e 编辑  + 新建  a 操作  ? 帮助  Q 退出",
	.help = ent_help,
	.search_what = "名称、信用代码、主要产品、联系人",
	.key = ent_key,
	.filter = ent_filter,
};

void panels_show_district(struct client *cl, const char *district_id, const char *name)
{
	char *l = xasprintf("区镇=%s", name);

	cl->panel_loaded[1] = true;	/* the filter loads it */
	listview_set_filter((struct listview *)cl->panels[1], "district_id = %s::int",
			    district_id, l);
	free(l);
	client_show_panel(cl, 1);
}

/* ---------------------------------------------------------------- 待办 */

enum { Q_NAME, Q_DEADLINE, Q_DAYS, Q_DISTRICT, Q_KIND, Q_STATE, Q_ACTION, Q_NDISPLAY,
       Q_KINDCODE = Q_NDISPLAY, Q_CASE, Q_ENT, Q_NCOLS };

static const struct pager_col queue_cols[] = {
	{ "enterprise_name", "enterprise_name" },
	{ "deadline", "coalesce(deadline, '9999-12-31'::date)" },
	/* As the deadline strip says it: 逾期 N 天 rather than a negative count. */
	{ "CASE WHEN days_left < 0 THEN '逾期' || -days_left || '天' ELSE days_left::text END",
	  "coalesce(days_left, 99999)" },
	{ "district_name", "coalesce(district_name, '')" },
	{ "CASE kind WHEN 'gb' THEN '贯标' ELSE '示范' END", "kind" },
	{ "state_label", "coalesce(state_label, '')" },
	{ "action_label", "coalesce(action_label, '')" },
	{ "kind", NULL },
	{ "case_id", NULL },
	{ "enterprise_id", NULL },
};

static const struct table_col queue_tcols[] = {
	{ "企业名称", 28, WIDTH_LEFT }, { "期限", 10, WIDTH_LEFT }, { "剩余天数", 10, WIDTH_RIGHT },
	{ "区镇", 10, WIDTH_LEFT }, { "类别", 4, WIDTH_LEFT }, { "阶段", 12, WIDTH_LEFT },
	{ "待办事项", 16, WIDTH_LEFT },
};

static const char *const queue_search[] = { "enterprise_name", "district_name" };
static const char *const queue_tables[] = { "gb_case", "demo_case", "enterprise", "material",
					    "training", "credit_check", NULL };

static const char *const queue_help[] = {
	"等你处理的事项，按期限排列，剩余天数为负的已逾期",
	"Enter\t审核：打开事项（清单、材料、资格），一键通过/退回，然后自动打开下一项",
	"a\t对当前事项（或已标记的多项，先显示将要改变什么）执行操作",
	"o\t打开该企业",
	"e\t编辑该企业",
	NULL,
};

static attr_t queue_row_attr(struct listview *lv, int row)
{
	const char *d = listview_cell(lv, row, Q_DAYS);

	return strncmp(d, "逾期", strlen("逾期")) == 0 ? term_theme.overdue : term_theme.normal;
}

/* After an action in the review screen: open the next item of the queue. */
static void queue_next(struct client *cl, void *ctx)
{
	struct listview *lv = ctx;
	int r = listview_cursor(lv);

	if (r < 0 || r + 1 >= lv->pager.nrows) {
		client_status(cl, false, "%s；待办已处理到最后一项", cl->status ? cl->status : "");
		return;
	}
	lv->table.cursor = r + 1;
	casework_open(cl, listview_cell(lv, r + 1, Q_KINDCODE), listview_cell(lv, r + 1, Q_CASE),
		      queue_next, lv);
}

/* a on marked items: collect kinds and case ids from the rows in the window. */
static void queue_batch(struct listview *lv)
{
	char **kinds = xcalloc((size_t)lv->nmarks, sizeof(char *));
	char **ids = xcalloc((size_t)lv->nmarks, sizeof(char *));
	int n = 0;

	for (int r = 0; r < lv->pager.nrows; r++) {
		if (!listview_is_marked(lv, lv->pager.rows[r].id))
			continue;
		kinds[n] = xstrdup(listview_cell(lv, r, Q_KINDCODE));
		ids[n++] = xstrdup(listview_cell(lv, r, Q_CASE));
	}
	casework_batch(lv->s.cl, n, kinds, ids);
	listview_clear_marks(lv);
}

static bool queue_key(struct listview *lv, int ret, wint_t ch)
{
	int r = listview_cursor(lv);

	if (screen_key_enter(ret, ch)) {
		if (r >= 0)
			casework_open(lv->s.cl, listview_cell(lv, r, Q_KINDCODE),
				      listview_cell(lv, r, Q_CASE), queue_next, lv);
		return true;
	}
	if (enterprise_row_key(lv, ret, ch, Q_ENT))
		return true;
	if (ret == OK && ch == 'a') {
		if (client_refuse_act(lv->s.cl))
			;
		else if (lv->nmarks > 0)
			queue_batch(lv);
		else if (r >= 0)
			casework_actions(lv->s.cl, listview_cell(lv, r, Q_KINDCODE),
					 listview_cell(lv, r, Q_CASE));
		return true;
	}
	return false;
}

static const struct listview_spec queue_spec = {
	.name = "待办",
	.pager = {
		.from = "gb.v_work_queue",
		.id = "(kind || ':' || case_id::text || ':' || coalesce(action, ''))",
		.cols = queue_cols, .ncols = Q_NCOLS,
		.search = queue_search, .nsearch = 2,
		.page_rows = 100, .max_rows = 400,
	},
	.tcols = queue_tcols, .ndisplay = Q_NDISPLAY, .frozen = 1,
	.default_sort = Q_DEADLINE,
	.year_cond = "year = %s::int",
	.tables = queue_tables,
	.keys = "Enter 审核  a 操作  Space 标记  o 企业  / 搜索  s 排序  r 刷新  ? 帮助  Q 退出",
	.help = queue_help,
	.search_what = "企业名称、区镇",
	.marks = true,
	.empty = "（本年度没有等你处理的事项）",
	.key = queue_key,
	.row_attr = queue_row_attr,
};

/* ---------------------------------------------------------------- 示范 */

enum { D_NAME, D_LEVEL, D_YEAR, D_STATE, D_PUB_TO, D_RECTIFY, D_DISTRICT, D_NDISPLAY,
       D_ENT = D_NDISPLAY, D_NCOLS };

static const struct pager_col demo_cols[] = {
	{ "enterprise_name", "enterprise_name" },
	{ "level_label", "level_label" },
	{ "year", "year" },
	{ "state_label", "coalesce(state_label, '')" },
	{ "publicity_to", "coalesce(publicity_to, '9999-12-31'::date)" },
	{ "rectify_by", "coalesce(rectify_by, '9999-12-31'::date)" },
	{ "district_name", "coalesce(district_name, '')" },
	{ "enterprise_id", NULL },
};

static const struct table_col demo_tcols[] = {
	{ "企业名称", 28, WIDTH_LEFT }, { "级别", 12, WIDTH_LEFT }, { "年度", 4, WIDTH_LEFT },
	{ "状态", 12, WIDTH_LEFT }, { "公示截止", 10, WIDTH_LEFT }, { "整改期限", 10, WIDTH_LEFT },
	{ "区镇", 10, WIDTH_LEFT },
};

static const char *const demo_search[] = { "enterprise_name", "uscc" };
static const char *const demo_tables[] = { "demo_case", "enterprise", NULL };
static const char *const demo_help[] = {
	"苏州市级和江苏省级示范案件：状态、公示截止日期、监管整改期限",
	"Enter\t打开案件（资格、操作）",
	"o\t打开该企业",
	"e\t编辑该企业",
	"a\t对案件可做的操作",
	NULL,
};

static bool demo_key(struct listview *lv, int ret, wint_t ch)
{
	int r = listview_cursor(lv);

	if (r < 0)
		return false;
	if (screen_key_enter(ret, ch)) {
		casework_open(lv->s.cl, "demo", lv->pager.rows[r].id, NULL, NULL);
		return true;
	}
	if (enterprise_row_key(lv, ret, ch, D_ENT))
		return true;
	if (ret == OK && ch == 'a') {
		if (!client_refuse_act(lv->s.cl))
			casework_actions(lv->s.cl, "demo", lv->pager.rows[r].id);
		return true;
	}
	return false;
}

static attr_t demo_row_attr(struct listview *lv, int row)
{
	return strcmp(listview_cell(lv, row, D_RECTIFY), "") != 0 ? term_theme.warn
								  : term_theme.normal;
}

static const struct listview_spec demo_spec = {
	.name = "示范",
	.pager = {
		.from = "gb.v_demo_case",
		.id = "id",
		.cols = demo_cols, .ncols = D_NCOLS,
		.search = demo_search, .nsearch = 2,
		.page_rows = 100, .max_rows = 400,
	},
	.tcols = demo_tcols, .ndisplay = D_NDISPLAY, .frozen = 1,
	.default_sort = D_STATE,
	.tables = demo_tables,
	.keys = "Enter 案件  o 企业  a 操作  / 搜索  s 排序  ? 帮助  Q 退出",
	.help = demo_help,
	.search_what = "企业名称、信用代码",
	.key = demo_key,
	.row_attr = demo_row_attr,
};

/* ---------------------------------------------------------------- 机构 */

enum { A_NAME, A_CONTRACTS, A_ENTS, A_IMPL, A_PASSED, A_CONTACT, A_PHONE, A_NCOLS };

static const struct pager_col agency_cols[] = {
	{ "name", "name" },
	{ "contracts", "contracts" },
	{ "enterprises", "enterprises" },
	{ "implementing", "implementing" },
	{ "passed", "passed" },
	{ "contact_name", "contact_name" },
	{ "contact_phone", "contact_phone" },
};

static const struct table_col agency_tcols[] = {
	{ "服务机构", 28, WIDTH_LEFT }, { "合同数", 6, WIDTH_RIGHT }, { "服务企业", 8, WIDTH_RIGHT },
	{ "实施中", 6, WIDTH_RIGHT }, { "已通过", 6, WIDTH_RIGHT }, { "联系人", 8, WIDTH_LEFT },
	{ "电话", 13, WIDTH_LEFT },
};

static const char *const agency_search[] = { "name", "contact_name" };
static const char *const agency_tables[] = { "agency", "contract", "gb_case", NULL };
static const char *const agency_help[] = {
	"服务机构及其合同、所服务企业的进度（实施中、已通过）；只计你有权查看的合同和企业",
	"Enter\t查看该机构服务的企业（企业面板，按该机构筛选）",
	NULL,
};

static bool agency_key(struct listview *lv, int ret, wint_t ch)
{
	int r = listview_cursor(lv);

	if (r >= 0 && screen_key_enter(ret, ch)) {
		struct listview *ent = (struct listview *)lv->s.cl->panels[1];
		char *l = xasprintf("服务机构=%s", listview_cell(lv, r, A_NAME));

		lv->s.cl->panel_loaded[1] = true;	/* the filter loads it */
		listview_set_filter(ent, "agency_name = %s", listview_cell(lv, r, A_NAME), l);
		free(l);
		client_show_panel(lv->s.cl, 1);
		return true;
	}
	return false;
}

static struct listview_spec agency_spec = {
	.name = "机构",
	.pager = {
		.from = "(SELECT a.id, a.name, coalesce(a.contact_name, '') AS contact_name, "
			"coalesce(a.contact_phone, '') AS contact_phone, count(DISTINCT c.id) AS contracts, "
			"count(DISTINCT c.enterprise_id) AS enterprises, "
			"count(DISTINCT g.id) FILTER (WHERE g.state IN ('enrolled', 'implementing', "
			"'acceptance_requested')) AS implementing, "
			"count(DISTINCT g.id) FILTER (WHERE g.state = 'passed') AS passed "
			"FROM gb.agency a LEFT JOIN gb.contract c ON c.agency_id = a.id "
			"LEFT JOIN gb.gb_case g ON g.enterprise_id = c.enterprise_id AND g.year = c.year "
			"GROUP BY a.id) ag",
		.id = "id",
		.cols = agency_cols, .ncols = A_NCOLS,
		.search = agency_search, .nsearch = 2,
		.page_rows = 100, .max_rows = 400,
	},
	.tcols = agency_tcols, .ndisplay = A_NCOLS, .frozen = 1,
	.default_sort = A_NAME,
	.tables = agency_tables,
	.keys = "Enter 服务的企业  / 搜索  s 排序  r 刷新  ? 帮助  Q 退出",
	.help = agency_help,
	.search_what = "机构名称、联系人",
	.key = agency_key,
};

/* ---------------------------------------------------------------- 动态 */

/* Newest first by the time of the change (at DESC, id DESC as the tie
 * breaker): ids do not follow times (backdated records, sample data). */
static const struct pager_col act_cols[] = {
	{ "to_char(at, 'YYYY-MM-DD HH24:MI')", "at" },
	{ "coalesce(officer_name, '系统')", NULL },
	{ "summary", NULL },
	{ "enterprise_id", NULL },
};

static const struct table_col act_tcols[] = {
	{ "时间", 16, WIDTH_LEFT }, { "工作人员", 10, WIDTH_LEFT }, { "内容", 80, WIDTH_LEFT },
};

static const char *const act_search[] = { "summary", "officer_name" };
static const char *const act_tables[] = { "*", NULL };
static const char *const act_help[] = {
	"你有权看到的变动，最新的在上，实时更新（谁、做了什么、何时）",
	"Enter o\t打开相关企业",
	"e\t编辑相关企业",
	NULL,
};

static bool act_key(struct listview *lv, int ret, wint_t ch)
{
	int r = listview_cursor(lv);

	if (r >= 0 && screen_key_enter(ret, ch))
		return enterprise_row_key(lv, OK, 'o', 3);
	return enterprise_row_key(lv, ret, ch, 3);
}

static const struct listview_spec act_spec = {
	.name = "动态",
	.pager = {
		.from = "gb.v_activity", .id = "id",
		.cols = act_cols, .ncols = 4,
		.search = act_search, .nsearch = 2,
		.page_rows = 100, .max_rows = 400,
	},
	.tcols = act_tcols, .ndisplay = 3, .frozen = 1,
	.default_sort = 0, .default_desc = true,
	.tables = act_tables,
	.keys = "Enter 打开企业  / 搜索  r 刷新  ? 帮助  Q 退出",
	.help = act_help,
	.search_what = "内容、工作人员",
	.key = act_key,
};

/* ---------------------------------------------------------------- lookup */

static void lookup_picked(struct client *cl, void *ctx, const char *value, const char *label)
{
	if (value != NULL)
		enterprise_open(cl, value);
}

static void lookup_typed(struct client *cl, void *ctx, const char *text)
{
	struct screen *m;
	char *pat;

	if (text == NULL || text[0] == '\0')
		return;
	pat = pager_like_pattern(text);
	const char *params[2] = { text, pat };

	/* The list stops at 50: the title says so, a longer text narrows it. */
	m = dialog_menu(cl, "选择企业（最多列出 50 家）", lookup_picked, NULL);
	dialog_menu_load(m, "(SELECT id::text, name || '  ' || uscc FROM gb.enterprise "
			 "WHERE uscc = upper($1)) UNION ALL (SELECT id::text, name || '  ' || uscc "
			 "FROM gb.enterprise WHERE name ILIKE $2 AND uscc <> upper($1) "
			 "ORDER BY name, id LIMIT 50)", 2, params);
	free(pat);
	client_push(cl, m);
}

void panels_open_lookup(struct client *cl)
{
	client_push(cl, dialog_prompt(cl, "快速查找", "信用代码或名称：", "", lookup_typed, NULL));
}

/* An agency sees only its own contracts: the other agencies would show as
 * having none.  Its 机构 panel lists the agency itself. */
static struct listview_spec agency_own_spec;

void panels_create(struct client *cl)
{
	const struct listview_spec *agencies = &agency_spec;

	if (client_role_is(cl, "agency")) {
		agency_own_spec = agency_spec;
		agency_own_spec.pager.where = "id = (SELECT agency_id FROM gb.current_officer())";
		agencies = &agency_own_spec;
	}
	cl->panels[0] = progress_new(cl);
	cl->panels[1] = &listview_new(cl, &ent_spec)->s;
	cl->panels[2] = &listview_new(cl, &queue_spec)->s;
	cl->panels[3] = &listview_new(cl, &demo_spec)->s;
	cl->panels[4] = &listview_new(cl, agencies)->s;
	cl->panels[5] = &listview_new(cl, &act_spec)->s;
	/* The keys line offers only what the officer's role may do. */
	if (!client_may_act(cl)) {
		cl->panels[1]->keys = "Enter 打开  / 搜索  n/N  f 筛选  s 排序  ? 帮助  Q 退出";
		cl->panels[2]->keys = "Enter 查看  o 企业  / 搜索  s 排序  r 刷新  ? 帮助  Q 退出";
		cl->panels[3]->keys = "Enter 案件  o 企业  / 搜索  s 排序  ? 帮助  Q 退出";
	} else if (!client_may_edit_enterprise(cl)) {
		cl->panels[1]->keys = "Enter 打开  / 搜索  n/N  f 筛选  s 排序  a 操作  ? 帮助  Q 退出";
	}
	cl->active = 0;	/* shown (and loaded) by the caller */
}
