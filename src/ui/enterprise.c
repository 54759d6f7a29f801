#include "config.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/uscc.h"
#include "core/xalloc.h"
#include "db/db.h"
#include "ui/casework.h"
#include "ui/dialog.h"
#include "ui/draw.h"
#include "ui/enterprise.h"
#include "ui/form.h"
#include "ui/kvlist.h"
#include "ui/record.h"
#include "ui/term.h"

/* ================================================================ detail */

static const char *const tab_names[] = { "基本信息", "贯标", "示范", "信用核查", "历史" };
#define NTABS 5

/* A value of history row h's jsonb side for key k, in words: codes of
 * levels and material states by their labels, true/false as 是/否. */
#define HISTORY_VALUE(side) \
	"CASE WHEN h." side "->>k IS NULL THEN '（空）' " \
	"WHEN k = 'level' THEN coalesce(gb.level_label(h." side "->>k), h." side "->>k) " \
	"WHEN k = 'status' THEN CASE h." side "->>k WHEN 'received' THEN '已收' WHEN 'missing' THEN '缺' " \
	"WHEN 'not_applicable' THEN '不适用' ELSE h." side "->>k END " \
	"WHEN jsonb_typeof(h." side "->k) = 'boolean' THEN CASE WHEN (h." side "->>k)::boolean " \
	"THEN '是' ELSE '否' END ELSE h." side "->>k END"

/* Each tab is one statement returning (label, value, tag) lines; $1 the
 * enterprise, $2 the programme year.  A tag says how Enter records the
 * line in place (record.h), "" for none. */
static const char *const tab_sql[NTABS] = {
	"SELECT k, v, '' FROM gb.enterprise e, LATERAL (VALUES "
	"('统一社会信用代码', e.uscc), ('名称', e.name), "
	"('区镇', (SELECT name FROM gb.district d WHERE d.id = e.district_id)), "
	"('行业', e.industry), ('规模以上', CASE WHEN e.above_scale THEN '是' ELSE '否' END), "
	"('成立日期', e.established_on::text), "
	"('独立法人', CASE WHEN e.independent_legal_person THEN '是' ELSE '否' END), "
	"('主要产品', e.main_products), "
	"('去年销售收入（万元）', e.sales_revenue_wan::text || coalesce('（' || e.sales_year || '年）', '')), "
	"('职工人数', e.employees::text), ('联系人', e.contact_name), ('电话', e.contact_phone), "
	"('版本', e.version || '（' || to_char(e.updated_at, 'YYYY-MM-DD HH24:MI') || ' ' || coalesce((SELECT o.name FROM gb.officer o WHERE o.login = e.updated_by), '系统') || '）')"
	") AS t(k, v) WHERE e.id = $1::bigint AND $2::int IS NOT NULL",

	"SELECT k, v, t FROM ("
	" SELECT 1 AS o, g.year AS y, 0 AS n, g.year || '年度 贯标' AS k, coalesce(s.label, g.state) || "
	"  '（版本 ' || g.version || '）' AS v, '' AS t FROM gb.gb_case g LEFT JOIN gb.wf_state s "
	"  ON s.kind = 'gb' AND s.code = g.state WHERE g.enterprise_id = $1::bigint"
	" UNION ALL SELECT 2, g.year, x.n, '  ' || x.k, x.v, '' FROM gb.gb_case g, LATERAL (VALUES "
	"  (1, '管理层承诺', CASE WHEN g.management_committed THEN '✓' ELSE '✗' END), "
	"  (2, '成立工作组', CASE WHEN g.working_group_formed THEN '✓' ELSE '✗' END), "
	"  (3, '工作方案', CASE WHEN g.work_plan_done THEN '✓' ELSE '✗' END), "
	"  (4, '专职人员', coalesce(g.dedicated_staff, '✗')), "
	"  (5, '信用管理部门和职责', CASE WHEN g.department_defined THEN '✓' ELSE '✗' END), "
	"  (6, '培训', (SELECT count(*) || ' 次' || coalesce('：' || string_agg(t.held_on || ' ' || t.topic, '；' "
	"   ORDER BY t.held_on), '') FROM gb.training t WHERE t.gb_case_id = g.id)), "
	"  (7, '内部评价报告', CASE WHEN g.internal_evaluation_done THEN '✓' ELSE '✗' END)) AS x(n, k, v) "
	"  WHERE g.enterprise_id = $1::bigint AND g.year = $2::int"
	" UNION ALL SELECT 3, 0, m.sort_order, '  材料：' || m.kind_label, " ENTERPRISE_MATERIAL_VALUE ", "
	"  'mat:' || m.kind || ':' || coalesce(m.id::text, '') || ':' || coalesce(m.version::text, '') || ':' || "
	"  m.status || ':gb:' || g.id FROM gb.gb_case g JOIN gb.v_material m ON m.gb_case_id = g.id "
	"  WHERE g.enterprise_id = $1::bigint AND g.year = $2::int"
	" UNION ALL SELECT 4, 0, CASE t.level WHEN 0 THEN 0 ELSE t.ordinality END, CASE t.level "
	"  WHEN 0 THEN '  评分合计' ELSE '    ' || t.title END, '满分 ' || trim_scale(t.max_score) || "
	"  '  自评 ' || coalesce(trim_scale(t.self_score)::text, '—') || '  验收 ' || "
	"  coalesce(trim_scale(t.acceptance_score)::text, '—') || CASE t.level WHEN 0 THEN '（已评 自评 ' || "
	"  t.self_scored || '、验收 ' || t.acceptance_scored || ' / 共 ' || t.leaves || ' 项）' ELSE '' END, "
	"  'scores:gb:' || g.id FROM gb.gb_case g CROSS JOIN LATERAL gb.evaluation_tree('gb', g.id) "
	"  WITH ORDINALITY t WHERE g.enterprise_id = $1::bigint AND g.year = $2::int AND t.level <= 1"
" UNION ALL SELECT 5, 0, row_number() OVER (ORDER BY v.visited_on DESC, v.id DESC), '  上门服务', "
	"  v.visited_on || coalesce(' ' || v.staff_name, '') || ' ' || v.summary, '' FROM gb.visit v "
	"  WHERE v.enterprise_id = $1::bigint"
	" UNION ALL SELECT 6, 0, row_number() OVER (), '资格（申请）', "
	"  CASE WHEN x.ok THEN '✓ ' ELSE '✗ ' END || coalesce(x.reason, CASE WHEN x.ok THEN '符合' ELSE '不符合' END), '' "
	"  FROM gb.explain($1::bigint, 'gb_apply', $2::int) x"
	" UNION ALL SELECT 7, 0, row_number() OVER (), '资格（验收）', "
	"  CASE WHEN x.ok THEN '✓ ' ELSE '✗ ' END || coalesce(x.reason, CASE WHEN x.ok THEN '符合' ELSE '不符合' END), '' "
	"  FROM gb.explain($1::bigint, 'gb_acceptance', $2::int) x"
	") q ORDER BY o, y DESC, n",

	"SELECT k, v, t FROM ("
	" SELECT 1 AS o, d.year AS y, d.id AS c, 0 AS n, d.year || '年度 ' || CASE d.level WHEN 'suzhou' "
	"  THEN '苏州市级示范' ELSE '江苏省级示范' END AS k, coalesce(s.label, d.state) || "
	"  coalesce('，公示至 ' || d.publicity_to, '') || coalesce('，整改期限 ' || d.rectify_by, '') || "
	"  coalesce('，命名文号 ' || d.designation_doc_no, '') AS v, 'demo:' || d.id AS t FROM gb.demo_case d "
	"  LEFT JOIN gb.wf_state s ON s.kind = 'demo' AND s.code = d.state WHERE d.enterprise_id = $1::bigint"
	" UNION ALL SELECT 1, d.year, d.id, row_number() OVER (PARTITION BY d.id ORDER BY x.occurred_on, x.id), "
	"  '  ' || gb.demo_event_label(x.kind) || ' ' || x.occurred_on, concat_ws('，', "
	"  '期限 ' || x.deadline_on, '结果 ' || x.outcome, '文号 ' || x.announcement_ref, x.note), "
	"  'demo:' || d.id FROM gb.demo_case d JOIN gb.demo_event x ON x.demo_case_id = d.id "
	"  WHERE d.enterprise_id = $1::bigint"
	" UNION ALL SELECT 1, d.year, d.id, 1000 + CASE t.level WHEN 0 THEN 0 ELSE t.ordinality END, "
	"  CASE t.level WHEN 0 THEN '  评分合计' ELSE '    ' || t.title END, '满分 ' || trim_scale(t.max_score) || "
	"  '  自评 ' || coalesce(trim_scale(t.self_score)::text, '—') || '  验收 ' || "
	"  coalesce(trim_scale(t.acceptance_score)::text, '—'), 'scores:demo:' || d.id "
	"  FROM gb.demo_case d CROSS JOIN LATERAL gb.evaluation_tree('demo', d.id) WITH ORDINALITY t "
	"  WHERE d.enterprise_id = $1::bigint AND t.level <= 1 AND EXISTS (SELECT 1 FROM gb.evaluation e "
	"  WHERE e.demo_case_id = d.id)"
	" UNION ALL SELECT 2, 0, 0, row_number() OVER (), '资格（苏州市级）', "
	"  CASE WHEN x.ok THEN '✓ ' ELSE '✗ ' END || coalesce(x.reason, CASE WHEN x.ok THEN '符合' ELSE '不符合' END), '' "
	"  FROM gb.explain($1::bigint, 'demo_suzhou', $2::int) x"
	" UNION ALL SELECT 3, 0, 0, row_number() OVER (), '资格（江苏省级）', "
	"  CASE WHEN x.ok THEN '✓ ' ELSE '✗ ' END || coalesce(x.reason, CASE WHEN x.ok THEN '符合' ELSE '不符合' END), '' "
	"  FROM gb.explain($1::bigint, 'demo_province', $2::int) x"
	") q ORDER BY o, y DESC, c DESC, n",

	"SELECT issued_on || ' ' || source, coalesce(report_no, '') || CASE WHEN serious_dishonesty "
	"THEN ' 严重失信：' || coalesce(finding, '') ELSE ' 无严重失信' || coalesce('：' || finding, '') END "
	"|| '（' || CASE stage WHEN 'gb_apply' THEN '贯标申请' WHEN 'gb_acceptance' THEN '贯标验收' "
	"WHEN 'demo_apply' THEN '示范申报' ELSE '动态监管' END || '）', '' "
	"FROM gb.credit_check WHERE enterprise_id = $1::bigint AND $2::int IS NOT NULL "
	"ORDER BY issued_on DESC, id DESC",
	"SELECT to_char(h.at, 'YYYY-MM-DD HH24:MI') || ' ' || coalesce(o.name, '系统'), "
	"gb.table_label(h.table_name) || ' ' || coalesce(gb.action_label(x.kind, h.action), "
	"CASE h.action WHEN 'insert' THEN '新增' WHEN 'update' THEN '修改' WHEN 'delete' THEN '删除' "
	"WHEN 'sample' THEN '样例数据' ELSE h.action END) || "
	"coalesce(CASE WHEN h.to_state IS DISTINCT FROM h.from_state THEN ' ' || "
	"coalesce(gb.state_label(x.kind, h.from_state), '新建') || ' → ' || "
	"gb.state_label(x.kind, h.to_state) END, '') || "
	"coalesce('：' || (SELECT string_agg(coalesce(l.label, k) || ' ' || " HISTORY_VALUE("before") " || "
	"' → ' || " HISTORY_VALUE("after") ", '；') FROM jsonb_object_keys(coalesce(h.after, '{}')) k "
	"LEFT JOIN gb.field_label l ON l.table_name = h.table_name AND l.column_name = k "
	"WHERE k NOT IN ('version', 'updated_at', 'updated_by', 'state_changed_at', 'state', 'last_action') "
	"AND h.before->k IS DISTINCT FROM h.after->k AND h.before IS NOT NULL), '') || "
	"coalesce('（' || h.note || '）', ''), '' "
	"FROM gb.history h CROSS JOIN LATERAL (SELECT CASE h.table_name WHEN 'gb_case' THEN 'gb' "
	"WHEN 'demo_case' THEN 'demo' END AS kind) x LEFT JOIN gb.officer o ON o.login = h.login "
	"WHERE h.enterprise_id = $1::bigint AND $2::int IS NOT NULL ORDER BY h.id DESC LIMIT 200",
};

struct detail {
	struct screen s;
	char *id;
	int tab;
	struct kvlist kv;
	bool loading;
	char *error;
	char *title;
};

static const char *const detail_help[] = {
	"左/右 / Tab\t切换标签：基本信息 贯标 示范 信用核查 历史",
	"上/下 j k\t选择一行；PgUp/PgDn 翻页",
	"g G\t到第一行、到最后一行（也可用 Home End）",
	"Enter\t打开或就地记录所选行：评分行打开评分表（满分、自评、验收），示范案件行登记监管事项",
	"+\t登记（数据库允许时）：评分、上门服务、信用核查、示范监管事项；不能登记的项目写明原因",
	"w\t为什么（不）能：申请贯标、验收、苏州市级/江苏省级示范，以及我能登记什么（所有人可用）",
	"e\t编辑企业（保存时核对版本，他人先改会提示冲突）",
	"a\t可做的操作（申请、提交、审核……）和“为什么不能”",
	"r\t刷新", "q / Esc\t返回",
	NULL,
};

static void detail_clear(struct detail *d)
{
	kvlist_clear(&d->kv);
	XFREE(d->error);
}

static void detail_loaded(void *ctx, const PGresult *res, const struct db_error *err)
{
	struct detail *d = ctx;

	d->loading = false;
	detail_clear(d);
	if (err != NULL) {
		d->error = db_error_text(err);
		return;
	}
	kvlist_load(&d->kv, res);
	if (d->tab == 0 && kvlist_get(&d->kv, "名称")) {
		free(d->title);
		d->title = xstrdup(kvlist_get(&d->kv, "名称"));
	}
}

static void detail_reload(struct screen *s)
{
	struct detail *d = (struct detail *)s;
	const char *params[2] = { d->id, s->cl->year };

	d->loading = true;
	listen_cancel(s->cl->db, s);
	listen_send(s->cl->db, s, tab_sql[d->tab], 2, params, detail_loaded, d);
}

static void detail_draw(struct screen *s, WINDOW *w, int y, int x, int h, int width)
{
	struct detail *d = (struct detail *)s;
	int cx = x;

	for (int i = 0; i < h; i++)
		draw_fill(w, y + i, x, width, term_theme.normal);
	draw_line(w, y, x, width, d->title ? d->title : "企业", term_theme.title);
	for (int t = 0; t < NTABS; t++) {
		char *l = xasprintf(" %s ", tab_names[t]);

		cx += draw_text(w, y + 1, cx, l, 0, (size_t)(width - (cx - x)),
				t == d->tab ? A_REVERSE | A_BOLD : term_theme.normal);
		free(l);
	}
	if (d->error)
		draw_text(w, y + 3, x + 1, d->error, 0, (size_t)width - 1, term_theme.error);
	else if (d->kv.n == 0)
		draw_text(w, y + 3, x + 1, d->loading ? "正在读取…" : "（无记录）", 0,
			  (size_t)width - 1, term_theme.dim);
	kvlist_draw(&d->kv, w, y + 2, x + 1, h - 2, width - 1);
}

/* Move the selected line by delta, within the lines. */
static void detail_move(struct detail *d, int delta)
{
	d->kv.cursor += delta;
	if (d->kv.cursor >= d->kv.n)
		d->kv.cursor = d->kv.n - 1;
	if (d->kv.cursor < 0)
		d->kv.cursor = 0;
}

static bool detail_key(struct screen *s, int ret, wint_t ch)
{
	struct detail *d = (struct detail *)s;
	int old = d->tab;

	if (ret == KEY_CODE_YES) {
		switch (ch) {
		case KEY_RIGHT: d->tab = (d->tab + 1) % NTABS; break;
		case KEY_LEFT: case KEY_BTAB: d->tab = (d->tab + NTABS - 1) % NTABS; break;
		case KEY_DOWN: detail_move(d, 1); return true;
		case KEY_UP: detail_move(d, -1); return true;
		case KEY_NPAGE: detail_move(d, 10); return true;
		case KEY_PPAGE: detail_move(d, -10); return true;
		case KEY_HOME: detail_move(d, -d->kv.n); return true;
		case KEY_END: detail_move(d, d->kv.n); return true;
		default: return false;
		}
	} else if (screen_key_enter(ret, ch)) {
		if (!record_line(s->cl, d->id, kvlist_tag(&d->kv)))
			client_status(s->cl, false, "这一行不能在此记录；按 + 登记，按 w 看为什么（不）能");
		return true;
	} else {
		switch (ch) {
		case '\t': case 'l': d->tab = (d->tab + 1) % NTABS; break;
		case 'h': d->tab = (d->tab + NTABS - 1) % NTABS; break;
		case 'j': detail_move(d, 1); return true;
		case 'k': detail_move(d, -1); return true;
		case 'g': detail_move(d, -d->kv.n); return true;
		case 'G': detail_move(d, d->kv.n); return true;
		case '+':
			if (!client_refuse_act(s->cl))
				record_menu(s->cl, d->id, kvlist_tag(&d->kv));
			return true;
		case 'w': record_why(s->cl, d->id); return true;
		case 'q': case 27: s->closed = true; return true;
		case 'e':
			if (!client_refuse_edit_enterprise(s->cl))
				enterprise_edit(s->cl, d->id, NULL);
			return true;
		case 'a':
			if (!client_refuse_act(s->cl))
				enterprise_actions(s->cl, d->id);
			return true;
		case 'r': detail_reload(s); return true;
		default: return false;
		}
	}
	if (d->tab != old) {
		d->kv.top = 0;
		d->kv.cursor = 0;
		detail_reload(s);
	}
	return true;
}

static void detail_changed(struct screen *s, const char *table, long long id)
{
	struct detail *d = (struct detail *)s;

	static const char *const tables[] = { "gb_case", "demo_case", "material", "credit_check",
					      "visit", "training", "demo_event", "evaluation",
					      "evaluation_score", NULL };
	bool mine = strcmp(table, "enterprise") == 0 && id == atoll(d->id);

	for (int i = 0; !mine && tables[i]; i++)
		mine = strcmp(table, tables[i]) == 0;
	if (mine)
		detail_reload(s);
}

static void detail_destroy(struct screen *s)
{
	struct detail *d = (struct detail *)s;

	listen_cancel(s->cl->db, s);
	detail_clear(d);
	free(d->id);
	free(d->title);
	free(d);
}

static const struct screen_ops detail_ops = {
	.draw = detail_draw, .key = detail_key, .changed = detail_changed,
	.reload = detail_reload, .destroy = detail_destroy,
};

void enterprise_open(struct client *cl, const char *id)
{
	struct detail *d = xcalloc(1, sizeof(*d));

	d->s.ops = &detail_ops;
	d->s.cl = cl;
	d->s.keys = !client_may_act(cl) ? "左/右 标签  上/下 选择  Enter 打开  w 为什么  r 刷新  q 返回  ? 帮助" :
		    !client_may_edit_enterprise(cl) ?
		    "左/右 标签  Enter 打开/记录  + 登记  w 为什么  a 操作  r 刷新  q 返回  ? 帮助" :
		    "左/右 标签  Enter 打开/记录  + 登记  w 为什么  e 编辑  a 操作  q 返回  ? 帮助";
	d->s.help = detail_help;
	d->s.modal_full = true;
	d->id = xstrdup(id);
	d->kv.cursor = 0;
	client_push(cl, &d->s);
	detail_reload(&d->s);
}

/* ================================================================ edit */

/* The fields of the form: column, label, maximum characters. */
static const struct {
	const char *col, *label;
	size_t max;
} edit_fields[] = {
	{ "name", "企业名称", 100 },
	{ "uscc", "统一社会信用代码", 18 },
	{ "industry", "行业（制造业/生产性服务业/其他）", 10 },
	{ "above_scale", "规模以上（是/否）", 1 },
	{ "established_on", "成立日期（YYYY-MM-DD）", 10 },
	{ "independent_legal_person", "独立法人（是/否）", 1 },
	{ "main_products", "主要产品", 200 },
	{ "sales_revenue_wan", "去年销售收入（万元）", 16 },
	{ "sales_year", "销售收入年份", 4 },
	{ "employees", "职工人数", 9 },
	{ "contact_name", "联系人", 30 },
	{ "contact_phone", "电话", 30 },
};
#define NFIELDS (sizeof(edit_fields) / sizeof(edit_fields[0]))

static const char *const edit_load_sql =
	"SELECT name, uscc, industry, CASE WHEN above_scale THEN '是' ELSE '否' END, "
	"established_on::text, CASE WHEN independent_legal_person THEN '是' ELSE '否' END, "
	"main_products, sales_revenue_wan::text, sales_year::text, employees::text, contact_name, "
	"contact_phone, version::text FROM gb.enterprise WHERE id = $1::bigint";

struct edit {
	struct screen s;
	struct form form;
	char *id;		/* NULL: new */
	char *district_id;
	char *version;
	bool loaded, saving;
};

static const char *const edit_help[] = {
	"Tab / 下 / Enter\t下一项；Shift-Tab / 上：上一项",
	"左/右 Home End\t在字段内按字移动；Backspace Delete：删除一个字",
	"Ctrl-U / Ctrl-K\t删除到开头/结尾",
	"F2 / Ctrl-S\t保存（在最后一项按 Enter 也保存）",
	"Esc\t放弃修改并返回",
	"保存时核对版本：若他人已先保存，会显示谁、何时、改了哪些字段，可选择重新载入或以你的修改覆盖",
	NULL,
};

/* Fill the form from a row of edit_load_sql. */
static void edit_fill(struct edit *e, const PGresult *res, bool reset)
{
	for (size_t i = 0; i < NFIELDS; i++) {
		const char *v = PQgetisnull(res, 0, (int)i) ? "" : PQgetvalue(res, 0, (int)i);

		if (reset)
			form_reset_field(&e->form, edit_fields[i].col, v);
		else
			form_add(&e->form, edit_fields[i].col, edit_fields[i].label, v, edit_fields[i].max);
	}
	free(e->version);
	e->version = xstrdup(PQgetvalue(res, 0, (int)NFIELDS));
}

static void edit_loaded(void *ctx, const PGresult *res, const struct db_error *err)
{
	struct edit *e = ctx;

	if (err != NULL || PQntuples(res) != 1) {
		char *t = err ? db_error_text(err) : xstrdup("找不到该企业（可能无权查看）");

		form_set_message(&e->form, t, true);
		free(t);
		return;
	}
	edit_fill(e, res, e->loaded);
	e->loaded = true;
}

/* Append "key": value to a JSON object text, the value as a JSON string
 * (or null when empty). */
static void json_add(char **json, const char *key, const char *val, bool as_bool)
{
	size_t n = strlen(*json), cap = n + strlen(key) + 6 * strlen(val) + 16;
	char *o = xmalloc(cap), *p;

	memcpy(o, *json, n);
	p = o + n;
	p += sprintf(p, "%s\"%s\":", n > 1 ? "," : "", key);
	if (val[0] == '\0') {
		p += sprintf(p, "null");
	} else if (as_bool) {
		p += sprintf(p, "%s", strcmp(val, "是") == 0 ? "true" : "false");
	} else {
		*p++ = '"';
		for (const unsigned char *s = (const unsigned char *)val; *s; s++) {
			if (*s == '"' || *s == '\\')
				p += sprintf(p, "\\%c", *s);
			else if (*s < 0x20)
				p += sprintf(p, "\\u%04x", *s);
			else
				*p++ = (char)*s;
		}
		*p++ = '"';
	}
	*p = '\0';
	free(*json);
	*json = o;
}

static bool all_digits(const char *s)
{
	if (*s == '\0')
		return false;
	for (; *s; s++)
		if (!isdigit((unsigned char)*s))
			return false;
	return true;
}

/* Per-field checks before saving; messages name what is wrong. */
static char *check_field(const char *col, const char *v)
{
	struct uscc_result ur;
	struct tm tm;
	char *end;

	if (strcmp(col, "name") == 0 && v[0] == '\0')
		return xstrdup("企业名称不能为空");
	if (strcmp(col, "uscc") == 0 && !uscc_validate(v, &ur))
		return xstrdup(ur.message);
	if (v[0] == '\0')
		return NULL;
	if ((strcmp(col, "above_scale") == 0 || strcmp(col, "independent_legal_person") == 0) &&
	    strcmp(v, "是") != 0 && strcmp(v, "否") != 0)
		return xasprintf("请填“是”或“否”（现为“%s”）", v);
	if (strcmp(col, "established_on") == 0) {
		if (!record_parse_date(v, &tm))
			return xasprintf("日期应为 YYYY-MM-DD 且真实存在（现为“%s”）", v);
		if (mktime(&tm) > time(NULL))
			return xasprintf("成立日期不能晚于今天（%s）", v);
	}
	if (strcmp(col, "sales_revenue_wan") == 0) {
		double d = strtod(v, &end);

		if (*end != '\0' || end == v)
			return xasprintf("应为数字（万元），现为“%s”", v);
		if (d < 0)
			return xasprintf("不能为负数（%s）", v);
	}
	if (strcmp(col, "employees") == 0 && (!all_digits(v) || atol(v) <= 0))
		return xasprintf("应为大于 0 的整数（现为“%s”）", v);
	if (strcmp(col, "sales_year") == 0 && (!all_digits(v) || strlen(v) != 4))
		return xasprintf("应为四位年份（现为“%s”）", v);
	if (strcmp(col, "contact_phone") == 0) {
		for (const char *p = v; *p; p++)
			if (!isdigit((unsigned char)*p) && *p != '-' && *p != ' ' && *p != '+')
				return xasprintf("电话只能包含数字、“-”和“+”（现为“%s”）", v);
	}
	return NULL;
}

/* Check every field; true when all pass. */
static bool edit_validate(struct edit *e)
{
	bool ok = true;

	form_clear_errors(&e->form);
	for (int i = 0; i < e->form.nfields; i++) {
		char *v = input_text(&e->form.fields[i].in);
		char *msg = check_field(e->form.fields[i].key, v);

		if (msg) {
			form_set_error(&e->form, e->form.fields[i].key, msg);
			if (ok)
				e->form.focus = i;
			ok = false;
		}
		free(msg);
		free(v);
	}
	if (!ok)
		form_set_message(&e->form, "有字段需要改正（见红字）", true);
	return ok;
}

static void edit_send_save(struct edit *e);

/* The current version arrived: save my changes on top of it. */
static void reapply_version(void *ctx, const PGresult *res, const struct db_error *err)
{
	struct edit *e = ctx;

	if (err != NULL || PQntuples(res) != 1) {
		form_set_message(&e->form, "无法读取最新版本", true);
		return;
	}
	free(e->version);
	e->version = xstrdup(PQgetvalue(res, 0, 0));
	edit_send_save(e);
}

/* The officer's choice in the conflict dialog: theirs (reload) or mine. */
static void conflict_chosen(struct client *cl, void *ctx, bool reapply)
{
	struct edit *e = ctx;
	const char *params[1] = { e->id };

	if (reapply) {
		listen_send(cl->db, e, "SELECT version::text FROM gb.enterprise WHERE id = $1::bigint",
			    1, params, reapply_version, e);
	} else {
		listen_send(cl->db, e, edit_load_sql, 1, params, edit_loaded, e);
		form_set_message(&e->form, "已重新载入对方保存的内容", false);
	}
}

static void show_conflict(struct edit *e, const struct db_error *err)
{
	char *t = xasprintf("%s：%s", err->message ? err->message : "记录已被他人修改",
			    err->detail ? err->detail : "");

	form_set_message(&e->form, t, true);
	free(t);
	client_push(e->s.cl, record_conflict(e->s.cl, err, conflict_chosen, e));
}

/* The database answered the save. */
static void edit_saved(void *ctx, const PGresult *res, const struct db_error *err)
{
	struct edit *e = ctx;

	e->saving = false;
	if (err == NULL) {
		client_status(e->s.cl, false, "已保存（版本 %s）", PQgetvalue(res, 0, 1));
		e->s.closed = true;
		return;
	}
	if (strcmp(err->sqlstate, "GB004") == 0) {
		show_conflict(e, err);
		return;
	}
	char *t = db_error_text(err);

	if (strcmp(err->sqlstate, "GB006") == 0 && err->detail && strncmp(err->detail, "字段 ", 7) == 0)
		form_set_error(&e->form, err->detail + 7, err->message);
	form_set_message(&e->form, t, true);
	free(t);
}

/* Send the changed fields (all filled ones for a new enterprise). */
static void edit_send_save(struct edit *e)
{
	char *json = xstrdup("{");
	const char *params[3];

	for (int i = 0; i < e->form.nfields; i++) {
		struct form_field *fl = &e->form.fields[i];
		char *v;

		if (e->id != NULL && !form_field_changed(fl))
			continue;
		v = input_text(&fl->in);
		if (e->id == NULL && v[0] == '\0') {
			free(v);	/* a new enterprise: the database's default */
			continue;
		}
		json_add(&json, fl->key, v, strcmp(fl->key, "above_scale") == 0 ||
			 strcmp(fl->key, "independent_legal_person") == 0);
		free(v);
	}
	if (e->id == NULL && e->district_id)
		json_add(&json, "district_id", e->district_id, false);
	char *j = xasprintf("%s}", json);

	params[0] = e->id;
	params[1] = e->version;
	params[2] = j;
	e->saving = true;
	form_set_message(&e->form, "正在保存…", false);
	listen_send(e->s.cl->db, e, "SELECT id::text, version::text FROM "
		    "gb.enterprise_save($1::bigint, $2::int, $3::jsonb)", 3, params, edit_saved, e);
	free(j);
	free(json);
}

static void edit_draw(struct screen *s, WINDOW *w, int y, int x, int h, int width)
{
	struct edit *e = (struct edit *)s;
	int bw = width > 90 ? 90 : width, bh = h;

	form_draw(&e->form, w, y, x + (width - bw) / 2, bh, bw);
	if (e->form.nfields > 0 && e->s.cl->nmodal > 0 && e->s.cl->modal[e->s.cl->nmodal - 1] == s) {
		int cy, cx;

		getyx(w, cy, cx);
		client_cursor(s->cl, cy, cx);
	}
}

/* The answer to "放弃修改？": only a yes throws the typed text away. */
static void edit_discard_answered(struct client *cl, void *ctx, bool yes)
{
	struct edit *e = ctx;

	if (yes) {
		e->s.closed = true;
		client_status(cl, false, "已放弃修改");
	} else {
		client_status(cl, false, "继续编辑");
	}
}

static bool edit_dirty(struct screen *s)
{
	struct edit *e = (struct edit *)s;

	return e->loaded && form_dirty(&e->form);
}

static bool edit_key(struct screen *s, int ret, wint_t ch)
{
	struct edit *e = (struct edit *)s;

	switch (form_key(&e->form, ret, ch)) {
	case FORM_CANCEL:
		/* Typed text is never thrown away without asking. */
		if (edit_dirty(s)) {
			client_push(s->cl, dialog_ask(s->cl, "放弃修改？",
						      "表单里有尚未保存的修改。\n\n"
						      "按 y 放弃修改并返回，按 n 或 Esc 继续编辑",
						      "y 放弃  n/Esc 继续编辑",
						      edit_discard_answered, e));
			break;
		}
		s->closed = true;
		client_status(s->cl, false, "未修改，已返回");
		break;
	case FORM_SUBMIT:
		if (!e->loaded || e->saving)
			break;
		if (edit_validate(e))
			edit_send_save(e);
		break;
	default:
		break;
	}
	return true;
}

static void edit_resize(struct screen *s)
{
	/* The layout is computed on every draw; the typed text stays in the inputs. */
}

static void edit_destroy(struct screen *s)
{
	struct edit *e = (struct edit *)s;

	listen_cancel(s->cl->db, s);
	form_free(&e->form);
	free(e->id);
	free(e->district_id);
	free(e->version);
	free(e);
}

static const struct screen_ops edit_ops = {
	.draw = edit_draw, .key = edit_key, .resize = edit_resize, .dirty = edit_dirty,
	.destroy = edit_destroy,
};

void enterprise_edit(struct client *cl, const char *id, const char *district_id)
{
	struct edit *e = xcalloc(1, sizeof(*e));

	e->s.ops = &edit_ops;
	e->s.cl = cl;
	e->s.keys = "Tab 下一项  F2/Ctrl-S 保存  Esc 放弃  F1 帮助";
	e->s.help = edit_help;
	e->s.modal_full = true;
	form_init(&e->form, id ? "编辑企业" : "新建企业");
	if (id != NULL) {
		const char *params[1] = { id };

		e->id = xstrdup(id);
		listen_send(cl->db, e, edit_load_sql, 1, params, edit_loaded, e);
	} else {
		e->district_id = xstrdup(district_id);
		for (size_t i = 0; i < NFIELDS; i++)
			form_add(&e->form, edit_fields[i].col, edit_fields[i].label,
				 strcmp(edit_fields[i].col, "industry") == 0 ? "制造业" :
				 strcmp(edit_fields[i].col, "independent_legal_person") == 0 ? "是" : "",
				 edit_fields[i].max);
		e->loaded = true;
	}
	client_push(cl, &e->s);
}

/* ================================================================ actions */

struct ent_actions {
	struct client *s_cl;
	char *id;
	char *gb_case;		/* latest 贯标 case of the year, or NULL */
};

static void applied(void *ctx, const PGresult *res, const struct db_error *err)
{
	struct client *cl = ctx;

	if (err != NULL) {
		char *t = db_error_text(err);

		client_status(cl, true, "%s", t);
		free(t);
		return;
	}
	client_status(cl, false, "已登记贯标申请（案件 %s），可在“操作”中提交市信用办",
		      PQgetvalue(res, 0, 0));
}

static void action_picked(struct client *cl, void *ctx, const char *value, const char *label)
{
	struct ent_actions *a = ctx;
	const char *params[3] = { a->id, cl->year, NULL };

	if (value != NULL && strcmp(value, "apply") == 0) {
		listen_send(cl->db, cl, "SELECT gb.gb_case_apply($1::bigint, $2::int)::text", 2,
			    params, applied, cl);
	} else if (value != NULL && strncmp(value, "why:", 4) == 0) {
		record_explain(cl, a->id, value + 4);
	} else if (value != NULL && strcmp(value, "case") == 0 && a->gb_case) {
		casework_actions(cl, "gb", a->gb_case);
	}
	free(a->id);
	free(a->gb_case);
	free(a);
}

/* The latest case arrived: build the menu. */
static void actions_case_loaded(void *ctx, const PGresult *res, const struct db_error *err)
{
	struct ent_actions *a = ctx;
	struct screen *m;

	if (err == NULL && PQntuples(res) == 1)
		a->gb_case = xstrdup(PQgetvalue(res, 0, 0));
	m = dialog_menu(a->s_cl, "操作", action_picked, a);
	if (a->gb_case)
		dialog_menu_add(m, "case", "本年度贯标案件的操作（提交、审核、验收……）");
	else
		dialog_menu_add(m, "apply", "登记本年度贯标申请");
	dialog_menu_add(m, "why:gb_apply", "为什么（不）能申请贯标？");
	dialog_menu_add(m, "why:gb_acceptance", "为什么（不）能申请验收？");
	dialog_menu_add(m, "why:demo_suzhou", "为什么（不）能推荐苏州市级示范？");
	dialog_menu_add(m, "why:demo_province", "为什么（不）能推荐江苏省级示范？");
	client_push(a->s_cl, m);
}

void enterprise_actions(struct client *cl, const char *id)
{
	struct ent_actions *a = xcalloc(1, sizeof(*a));
	const char *params[2] = { id, cl->year };

	a->id = xstrdup(id);
	a->s_cl = cl;
	listen_send(cl->db, cl, "SELECT id::text FROM gb.gb_case WHERE enterprise_id = $1::bigint "
		    "AND year = $2::int", 2, params, actions_case_loaded, a);
}
