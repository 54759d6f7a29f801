#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"
#include "db/db.h"
#include "ui/casework.h"
#include "ui/dialog.h"
#include "ui/draw.h"
#include "ui/enterprise.h"
#include "ui/kvlist.h"
#include "ui/record.h"
#include "ui/term.h"

/* The case, its enterprise and state, and the version we act on. */
static const char *const case_sql[2] = {
	"SELECT c.version::text, e.name, coalesce(s.label, c.state), c.enterprise_id::text, "
	"c.year::text FROM gb.gb_case c JOIN gb.enterprise e ON e.id = c.enterprise_id "
	"LEFT JOIN gb.wf_state s ON s.kind = 'gb' AND s.code = c.state WHERE c.id = $1::bigint",
	"SELECT c.version::text, e.name, coalesce(s.label, c.state) || '（' || CASE c.level "
	"WHEN 'suzhou' THEN '苏州市级' ELSE '江苏省级' END || '）', c.enterprise_id::text, "
	"c.year::text FROM gb.demo_case c JOIN gb.enterprise e ON e.id = c.enterprise_id "
	"LEFT JOIN gb.wf_state s ON s.kind = 'demo' AND s.code = c.state WHERE c.id = $1::bigint",
};

/* What the reviewer needs: checklist, materials, eligibility ($1 case id),
 * each line with a tag saying how it is recorded in place ("" for not). */
static const char *const facts_sql[2] = {
	"SELECT k, v, t FROM ("
	" SELECT 1 AS o, x.n, x.k, x.v, x.t FROM gb.gb_case g, LATERAL (VALUES "
	"  (1, '管理层承诺', CASE WHEN g.management_committed THEN '✓' ELSE '✗' END, 'chk:management_committed'), "
	"  (2, '成立工作组', CASE WHEN g.working_group_formed THEN '✓' ELSE '✗' END, 'chk:working_group_formed'), "
	"  (3, '工作方案', CASE WHEN g.work_plan_done THEN '✓' ELSE '✗' END, 'chk:work_plan_done'), "
	"  (4, '专职人员', coalesce(g.dedicated_staff, '✗'), 'staff'), "
	"  (5, '信用管理部门和职责', CASE WHEN g.department_defined THEN '✓' ELSE '✗' END, 'chk:department_defined'), "
	"  (6, '培训', (SELECT count(*) || ' 次' || coalesce('：' || string_agg(t.held_on || ' ' || t.topic, '；' "
	"   ORDER BY t.held_on), '') FROM gb.training t WHERE t.gb_case_id = g.id), 'train'), "
	"  (7, '内部评价报告', CASE WHEN g.internal_evaluation_done THEN '✓' ELSE '✗' END, 'chk:internal_evaluation_done'), "
	"  (8, '验收得分', coalesce(g.acceptance_score::text, '—'), '')) AS x(n, k, v, t) WHERE g.id = $1::bigint"
	" UNION ALL SELECT 2, m.sort_order, '材料：' || m.kind_label, " ENTERPRISE_MATERIAL_VALUE ", "
	"  'mat:' || m.kind || ':' || coalesce(m.id::text, '') || ':' || coalesce(m.version::text, '') || ':' || "
	"  m.status || ':gb:' || m.gb_case_id FROM gb.v_material m WHERE m.gb_case_id = $1::bigint"
	" UNION ALL SELECT 2, 1000, '评分', gb.score_summary('gb', $1::bigint) || '（Enter 打开评分表）', "
	"  'scores:gb:' || $1"
	" UNION ALL SELECT 3, 0, '信用报告', coalesce((SELECT issued_on || ' ' || source || CASE WHEN "
	"  serious_dishonesty THEN ' 严重失信' ELSE '' END FROM gb.credit_check cc WHERE cc.enterprise_id = "
	"  g.enterprise_id ORDER BY issued_on DESC LIMIT 1), '缺'), '' FROM gb.gb_case g WHERE g.id = $1::bigint"
	" UNION ALL SELECT 4, row_number() OVER (), '资格', CASE WHEN x.ok THEN '✓ ' "
	"  ELSE '✗ ' END || coalesce(x.reason, CASE WHEN x.ok THEN '符合' ELSE '不符合' END), '' FROM "
	"  gb.explain_case('gb', $1::bigint) x"
	") q ORDER BY o, n",
	"SELECT k, v, t FROM ("
	" SELECT 1 AS o, 0::bigint AS n, '公示' AS k, coalesce(c.publicity_from || ' 至 ' || c.publicity_to, '—') AS v, "
	"  '' AS t FROM gb.demo_case c WHERE c.id = $1::bigint"
	" UNION ALL SELECT 1, 1, '评价得分', coalesce(c.evaluation_score::text, '—'), '' FROM gb.demo_case c "
	"  WHERE c.id = $1::bigint"
	" UNION ALL SELECT 1, 2, '整改期限', coalesce(c.rectify_by::text, '—'), '' FROM gb.demo_case c "
	"  WHERE c.id = $1::bigint"
	" UNION ALL SELECT 2, m.sort_order, '材料：' || m.kind_label, " ENTERPRISE_MATERIAL_VALUE ", "
	"  'mat:' || m.kind || ':' || coalesce(m.id::text, '') || ':' || coalesce(m.version::text, '') || ':' || "
	"  m.status || ':demo:' || m.demo_case_id FROM gb.v_material m WHERE m.demo_case_id = $1::bigint"
	" UNION ALL SELECT 2, 1000, '评分', gb.score_summary('demo', $1::bigint) || '（Enter 打开评分表）', "
	"  'scores:demo:' || $1"
	" UNION ALL SELECT 3, row_number() OVER (), '资格', CASE WHEN x.ok THEN '✓ ' "
	"  ELSE '✗ ' END || coalesce(x.reason, CASE WHEN x.ok THEN '符合' ELSE '不符合' END), '' FROM "
	"  gb.explain_case('demo', $1::bigint) x"
	") q ORDER BY o, n",
};

static const char *const act_sql[2] = {
	"SELECT gb.gb_case_act($1::bigint, $2::int, $3, $4)::text",
	"SELECT gb.demo_case_act($1::bigint, $2::int, $3, $4)::text",
};

/* What the officer may do to case $2 of kind $1 now, with the state each
 * action leads to and whether it must be confirmed: every action that needs
 * a reason (return, withdraw, disqualify, reject, fail, revoke …) and every
 * one that ends the case (its new state is not open). */
#define ACTIONS_FROM \
	"(SELECT x.action, x.label, x.note_required, coalesce(s.label, '') AS to_label, " \
	"x.note_required OR NOT coalesce(s.is_open, true) AS confirm " \
	"FROM gb.case_actions($1, $2::bigint) x LEFT JOIN LATERAL (SELECT t.to_state " \
	"FROM gb.wf_transition t WHERE t.kind = $1 AND t.action = x.action AND t.from_state = " \
	"(SELECT state FROM gb.gb_case WHERE $1 = 'gb' AND id = $2::bigint UNION ALL " \
	"SELECT state FROM gb.demo_case WHERE $1 = 'demo' AND id = $2::bigint) LIMIT 1) t ON true " \
	"LEFT JOIN gb.wf_state s ON s.kind = $1 AND s.code = t.to_state) a"

/* The same for a menu: value "action\tnote_required\tconfirm\tto_label". */
static const char menu_actions_sql[] =
	"SELECT action || E'\\t' || note_required::text || E'\\t' || confirm::text || E'\\t' || "
	"to_label, label FROM " ACTIONS_FROM;

static int kind_index(const char *kind)
{
	return strcmp(kind, "demo") == 0 ? 1 : 0;
}

/* ---------------------------------------------------------------- one action */

/* An action about to run on one case. */
struct act {
	struct client *cl;
	int kind;
	char *case_id, *version, *action, *label, *name;
	char *from, *to;	/* state labels before and after, for the question */
	bool note_required, confirm;
	char *note;		/* the reason given, or NULL */
	casework_next_fn next;
	void *next_ctx;
	struct screen *review;	/* closed on success, or NULL */
};

static void act_free(struct act *a)
{
	free(a->case_id);
	free(a->version);
	free(a->action);
	free(a->label);
	free(a->name);
	free(a->from);
	free(a->to);
	free(a->note);
	free(a);
}

static void act_free_cb(void *ctx)
{
	act_free(ctx);
}

/* Fill the action from a menu value "action\tnote_required\tconfirm\tto_label". */
static void act_set_choice(struct act *a, const char *value, const char *label)
{
	char *copy = xstrdup(value), *p = copy;
	const char *action = strsep(&p, "\t"), *note = strsep(&p, "\t");
	const char *confirm = strsep(&p, "\t"), *to = strsep(&p, "\t");

	a->action = xstrdup(action);
	a->label = xstrdup(label);
	/* Booleans as text are "true"/"false" (or "t"/"f"). */
	a->note_required = note != NULL && note[0] == 't';
	/* Unknown: ask rather than run. */
	a->confirm = confirm == NULL || confirm[0] != 'f';
	a->to = xstrdup(to ? to : "");
	free(copy);
}

static void act_done(void *ctx, const PGresult *res, const struct db_error *err)
{
	struct act *a = ctx;
	struct client *cl = a->cl;

	if (err != NULL) {
		char *t = db_error_text(err);

		client_status(cl, true, "%s", t);
		if (strcmp(err->sqlstate, "GB004") == 0 || strcmp(err->sqlstate, "GB005") == 0 ||
		    strcmp(err->sqlstate, "GB003") == 0)
			client_push(cl, dialog_message(cl, strcmp(err->sqlstate, "GB004") == 0 ?
						       "已被他人处理" : "数据库拒绝了该操作", t));
		free(t);
		if (a->review && a->review->ops->reload)
			a->review->ops->reload(a->review);
		act_free(a);
		return;
	}
	client_status(cl, false, "已%s：%s（版本 %s）", a->label, a->name ? a->name : "",
		      PQgetvalue(res, 0, 0));
	if (a->review)
		a->review->closed = true;
	if (a->next)
		a->next(cl, a->next_ctx);
	act_free(a);
}

static void act_run(struct act *a)
{
	const char *params[4] = { a->case_id, a->version, a->action, a->note };

	/* Owned by the review screen when there is one: closing it cancels. */
	listen_send_ex(a->cl->db, a->review ? (void *)a->review : (void *)a->cl, act_sql[a->kind], 4,
		       params, act_done, a, act_free_cb);
}

static void act_confirmed(struct client *cl, void *ctx, bool yes)
{
	struct act *a = ctx;

	if (!yes) {
		client_status(cl, false, "已取消“%s”，未做任何修改", a->label);
		act_free(a);
		return;
	}
	act_run(a);
}

/* Run the action, after a question showing what will change when it needs one. */
static void act_confirm(struct act *a, const char *note)
{
	char *title, *text;

	a->note = note ? xstrdup(note) : NULL;
	if (!a->confirm) {
		act_run(a);
		return;
	}
	title = xasprintf("确认“%s”", a->label);
	text = xasprintf("企业：%s\n状态：%s → %s%s%s", a->name ? a->name : "",
			 a->from && a->from[0] ? a->from : "（当前状态）",
			 a->to && a->to[0] ? a->to : "（新状态）", a->note ? "\n理由：" : "",
			 a->note ? a->note : "");
	client_push(a->cl, dialog_confirm(a->cl, title, text, act_confirmed, a));
	free(title);
	free(text);
}

static void reason_typed(struct client *cl, void *ctx, const char *text)
{
	struct act *a = ctx;

	if (text == NULL || text[0] == '\0') {
		client_status(cl, true, "“%s”需要填写理由，未执行", a->label);
		act_free(a);
		return;
	}
	act_confirm(a, text);
}

static void reason_picked(struct client *cl, void *ctx, const char *value, const char *label)
{
	struct act *a = ctx;

	if (value == NULL) {
		act_free(a);
		return;
	}
	if (value[0] == '\0') {
		char *t = xasprintf("%s：理由", a->label);

		client_push(cl, dialog_prompt(cl, t, "理由：", "", reason_typed, a));
		free(t);
		return;
	}
	act_confirm(a, value);
}

/* Take the action: with a reason when the database requires one (pick a
 * recent reason or type one), confirmed when it is destructive or final. */
static void act_start(struct act *a)
{
	struct screen *m;
	const char *params[1] = { a->action };
	char *t;

	if (!a->note_required) {
		act_confirm(a, NULL);
		return;
	}
	t = xasprintf("%s：选择或输入理由", a->label);
	m = dialog_menu(a->cl, t, reason_picked, a);
	free(t);
	dialog_menu_add(m, "", "输入新的理由…");
	dialog_menu_load(m, "SELECT note, note FROM (SELECT note, max(id) AS last FROM gb.history "
			 "WHERE action = $1 AND note IS NOT NULL AND btrim(note) <> '' "
			 "GROUP BY note ORDER BY last DESC LIMIT 8) r", 1, params);
	client_push(a->cl, m);
}

/* ---------------------------------------------------------------- review */

struct review {
	struct screen s;
	int kind;
	char *case_id;
	char *version, *name, *state, *enterprise_id;
	struct kvlist kv;
	char **values, **labels;	/* menu values (see menu_actions_sql), labels */
	int nactions;
	int yes_i, no_i;	/* the y and n quick keys' actions, or -1 */
	char *keys_text;	/* the bottom line, naming them */
	char *error;
	casework_next_fn next;
	void *next_ctx;
};

static void clear_actions(struct review *r)
{
	for (int i = 0; i < r->nactions; i++) {
		free(r->values[i]);
		free(r->labels[i]);
	}
	XFREE(r->values);
	XFREE(r->labels);
	r->nactions = 0;
	r->yes_i = r->no_i = -1;
}

static void review_clear(struct review *r)
{
	kvlist_clear(&r->kv);
	clear_actions(r);
}

static void review_case_loaded(void *ctx, const PGresult *res, const struct db_error *err)
{
	struct review *r = ctx;

	XFREE(r->error);
	if (err != NULL || PQntuples(res) != 1) {
		r->error = err ? db_error_text(err) : xstrdup("找不到该案件（可能无权查看）");
		return;
	}
	free(r->version);
	free(r->name);
	free(r->state);
	free(r->enterprise_id);
	r->version = xstrdup(PQgetvalue(res, 0, 0));
	r->name = xstrdup(PQgetvalue(res, 0, 1));
	r->state = xstrdup(PQgetvalue(res, 0, 2));
	r->enterprise_id = xstrdup(PQgetvalue(res, 0, 3));
}

static void review_facts_loaded(void *ctx, const PGresult *res, const struct db_error *err)
{
	struct review *r = ctx;

	if (err != NULL) {
		free(r->error);
		r->error = db_error_text(err);
		return;
	}
	kvlist_load(&r->kv, res);
}

/* The bottom line names what y and n do for this case. */
static void review_set_keys(struct review *r)
{
	char *y = r->yes_i >= 0 ? xasprintf("y %s  ", r->labels[r->yes_i]) : xstrdup("");
	char *n = r->no_i >= 0 ? xasprintf("n %s  ", r->labels[r->no_i]) : xstrdup("");

	free(r->keys_text);
	r->keys_text = xasprintf("%s%s%sw 为什么  o 企业  r 刷新  q 返回  ? 帮助", y, n,
				 client_may_act(r->s.cl) ? "a 全部操作  Space 记录所选行  " : "");
	r->s.keys = r->keys_text;
	free(y);
	free(n);
}

static void review_actions_loaded(void *ctx, const PGresult *res, const struct db_error *err)
{
	struct review *r = ctx;

	if (err != NULL)
		return;
	clear_actions(r);
	r->nactions = PQntuples(res);
	r->values = xcalloc((size_t)r->nactions + 1, sizeof(char *));
	r->labels = xcalloc((size_t)r->nactions + 1, sizeof(char *));
	for (int i = 0; i < r->nactions; i++) {
		const char *tab = strchr(PQgetvalue(res, i, 0), '\t');
		bool note = tab != NULL && tab[1] == 't';

		r->values[i] = xstrdup(PQgetvalue(res, i, 0));
		r->labels[i] = xstrdup(PQgetvalue(res, i, 1));
		/* y: the first action without a reason (forward); n: the first with one. */
		if (!note && r->yes_i < 0)
			r->yes_i = i;
		if (note && r->no_i < 0)
			r->no_i = i;
	}
	review_set_keys(r);
}

static void review_reload(struct screen *s)
{
	struct review *r = (struct review *)s;
	const char *params[2] = { r->case_id, r->kind ? "demo" : "gb" };
	const char *p2[2] = { params[1], r->case_id };

	/* The lines stay until the new ones arrive: keys typed meanwhile still count. */
	listen_cancel(s->cl->db, s);
	listen_send(s->cl->db, s, case_sql[r->kind], 1, params, review_case_loaded, r);
	listen_send(s->cl->db, s, facts_sql[r->kind], 1, params, review_facts_loaded, r);
	listen_send(s->cl->db, s, menu_actions_sql, 2, p2, review_actions_loaded, r);
}

static void review_draw(struct screen *s, WINDOW *w, int y, int x, int h, int width)
{
	struct review *r = (struct review *)s;
	char *title = xasprintf("%s  %s  %s", r->kind ? "示范" : "贯标", r->name ? r->name : "",
				r->state ? r->state : "");
	int ly = y + 1, cx = x + 1;

	for (int i = 0; i < h; i++)
		draw_fill(w, y + i, x, width, term_theme.normal);
	draw_line(w, y, x, width, title, term_theme.title);
	free(title);
	if (r->error)
		draw_text(w, ly++, x + 1, r->error, 0, (size_t)width - 1, term_theme.error);
	/* The quick keys, then every action through the a menu. */
	cx += draw_text(w, ly, cx, "操作：", 0, (size_t)width - 1, A_BOLD);
	if (r->nactions == 0)
		draw_text(w, ly, cx, "（你现在不能对该案件做任何操作；按 w 看原因）", 0,
			  (size_t)(width - (cx - x)), term_theme.dim);
	for (int k = 0; k < 2 && r->nactions > 0; k++) {
		int i = k == 0 ? r->yes_i : r->no_i;
		char *t = i >= 0 ? xasprintf("%c %s  ", k == 0 ? 'y' : 'n', r->labels[i]) : NULL;

		if (t && cx < x + width)
			cx += draw_text(w, ly, cx, t, 0, (size_t)(width - (cx - x)), term_theme.ok | A_BOLD);
		free(t);
	}
	if (r->nactions > 0 && cx < x + width) {
		char *t = xasprintf("a 全部操作（%d 项）", r->nactions);

		draw_text(w, ly, cx, t, 0, (size_t)(width - (cx - x)), A_BOLD);
		free(t);
	}
	ly += 2;
	if (ly < y + h)
		kvlist_draw(&r->kv, w, ly, x + 1, h - (ly - y), width - 1);
}

/* w: the database's explanation of the eligibility rules, each line
 * ✓ or ✗ with its Chinese reason (never the rule's code). */
static void review_why(struct review *r)
{
	char *text = xstrdup("");

	for (int i = 0; i < r->kv.n; i++) {
		if (strncmp(r->kv.keys[i], "资格", strlen("资格")) != 0)
			continue;
		char *t = xasprintf("%s%s%s", text, text[0] ? "\n" : "", r->kv.vals[i]);

		free(text);
		text = t;
	}
	client_push(r->s.cl, dialog_message(r->s.cl, "为什么（数据库规则说明）",
					    text[0] ? text : "（没有适用的规则说明）"));
	free(text);
}

/* ---------------------------------------------------------------- recording in place */

/* Checklist columns that can be switched: identifiers from here, never data. */
static const char *const checklist_cols[] = {
	"management_committed", "working_group_formed", "work_plan_done",
	"department_defined", "internal_evaluation_done", NULL,
};

/* The database answered a change made in place. */
static void recorded(void *ctx, const PGresult *res, const struct db_error *err)
{
	struct review *r = ctx;

	if (err != NULL) {
		char *t = db_error_text(err);

		client_status(r->s.cl, true, "未能记录：%s", t);
		free(t);
	} else if (PQntuples(res) == 0) {
		client_status(r->s.cl, true, "该项刚被他人修改，已重新读取，请再试一次");
	} else {
		client_status(r->s.cl, false, "已记录");
	}
	review_reload(&r->s);
}

static void record(struct review *r, const char *sql, int n, const char *const *params)
{
	listen_send(r->s.cl->db, r, sql, n, params, recorded, r);
}

/* Switch a checklist item, compare-and-set on the case's version. */
static void toggle_check(struct review *r, const char *col)
{
	const char *params[2] = { r->case_id, r->version };
	char *sql;

	for (int i = 0; checklist_cols[i]; i++) {
		if (strcmp(checklist_cols[i], col) != 0)
			continue;
		sql = xasprintf("UPDATE gb.gb_case SET %s = NOT %s WHERE id = $1::bigint "
				"AND version = $2::int RETURNING version::text", col, col);
		record(r, sql, 2, params);
		free(sql);
		return;
	}
}

/* A material: missing -> received (today) -> not applicable -> missing. */
static void cycle_material(struct review *r, const char *tag)
{
	/* tag: mat:KIND:ID:VERSION:STATUS, ID and VERSION empty when no row yet */
	char *f[5] = { NULL }, *copy = xstrdup(tag), *p = copy;
	const char *next;
	int n = 0;

	while (n < 5 && (f[n++] = strsep(&p, ":")) != NULL)
		;
	if (n < 5 || f[4] == NULL) {
		free(copy);
		return;
	}
	const char *kind = f[1], *id = f[2], *ver = f[3], *st = f[4];

	next = strcmp(st, "missing") == 0 ? "received" :
	       strcmp(st, "received") == 0 ? "not_applicable" : "missing";
	if (id[0] == '\0') {
		const char *params[3] = { r->case_id, kind, next };

		record(r, r->kind ? "INSERT INTO gb.material (programme, demo_case_id, kind, status, received_on) "
			  "VALUES ('demo', $1::bigint, $2, $3, CASE WHEN $3 = 'received' THEN current_date END) "
			  "RETURNING version::text"
			: "INSERT INTO gb.material (programme, gb_case_id, kind, status, received_on) "
			  "VALUES ('gb', $1::bigint, $2, $3, CASE WHEN $3 = 'received' THEN current_date END) "
			  "RETURNING version::text", 3, params);
		free(copy);
		return;
	}
	const char *params[3] = { id, ver, next };

	record(r, "UPDATE gb.material SET status = $3, received_on = CASE WHEN $3 = 'received' "
	       "THEN current_date END WHERE id = $1::bigint AND version = $2::int RETURNING version::text",
	       3, params);
	free(copy);
}

static void staff_typed(struct client *cl, void *ctx, const char *text)
{
	struct review *r = ctx;
	const char *params[3] = { r->case_id, r->version, text };

	if (text == NULL)
		return;
	record(r, "UPDATE gb.gb_case SET dedicated_staff = nullif(btrim($3), '') WHERE id = $1::bigint "
	       "AND version = $2::int RETURNING version::text", 3, params);
}

/* "YYYY-MM-DD topic": a training held for the case. */
static void training_typed(struct client *cl, void *ctx, const char *text)
{
	struct review *r = ctx;
	const char *sp;

	if (text == NULL || text[0] == '\0')
		return;
	sp = strchr(text, ' ');
	if (sp == NULL || sp == text || sp[1] == '\0') {
		client_status(cl, true, "培训：请输入“日期 主题”，如 2020-05-06 信用管理制度培训");
		return;
	}
	char *date = xstrndup(text, (size_t)(sp - text));
	const char *params[3] = { r->case_id, date, sp + 1 };

	record(r, "INSERT INTO gb.training (gb_case_id, held_on, topic) "
	       "VALUES ($1::bigint, $2::date, $3) RETURNING id::text", 3, params);
	free(date);
}

/* Space on a line: record it in place, as far as the database allows. */
static void review_record_line(struct review *r)
{
	const char *tag = kvlist_tag(&r->kv);

	if (tag == NULL || tag[0] == '\0' || r->version == NULL) {
		client_status(r->s.cl, false, "这一行不能在此修改");
		return;
	}
	if (strncmp(tag, "chk:", 4) == 0)
		toggle_check(r, tag + 4);
	else if (strncmp(tag, "mat:", 4) == 0)
		cycle_material(r, tag);
	else if (strcmp(tag, "staff") == 0)
		client_push(r->s.cl, dialog_prompt(r->s.cl, "专职人员", "姓名（用、分隔）：",
						   strcmp(kvlist_get(&r->kv, "专职人员"), "✗") == 0 ? "" :
						   kvlist_get(&r->kv, "专职人员"), staff_typed, r));
	else if (strcmp(tag, "train") == 0)
		client_push(r->s.cl, dialog_prompt(r->s.cl, "登记一次培训", "日期 主题：", "",
						   training_typed, r));
}

/* Action i of the list (from a quick key or the menu) on the case as shown. */
static void review_act(struct review *r, int i)
{
	struct act *a;

	if (i < 0 || i >= r->nactions || r->version == NULL) {
		client_status(r->s.cl, true, "没有这项操作；按 a 查看可做的操作，按 w 看原因");
		return;
	}
	a = xcalloc(1, sizeof(*a));
	a->cl = r->s.cl;
	a->kind = r->kind;
	a->case_id = xstrdup(r->case_id);
	a->version = xstrdup(r->version);
	a->name = xstrdup(r->name ? r->name : "");
	a->from = xstrdup(r->state ? r->state : "");
	act_set_choice(a, r->values[i], r->labels[i]);
	a->next = r->next;
	a->next_ctx = r->next_ctx;
	a->review = &r->s;
	act_start(a);
}

/* Picked from the a menu: the value is the action's index. */
static void review_menu_picked(struct client *cl, void *ctx, const char *value, const char *label)
{
	struct review *r = ctx;

	if (value != NULL)
		review_act(r, atoi(value));
}

/* a: every action the officer may take, as a menu (digits pick there). */
static void review_menu(struct review *r)
{
	struct screen *m = dialog_menu(r->s.cl, "可做的操作", review_menu_picked, r);

	for (int i = 0; i < r->nactions; i++) {
		char v[16];

		snprintf(v, sizeof(v), "%d", i);
		dialog_menu_add(m, v, r->labels[i]);
	}
	client_push(r->s.cl, m);
}

static bool review_key(struct screen *s, int ret, wint_t ch)
{
	struct review *r = (struct review *)s;

	if (screen_key_enter(ret, ch)) {
		/* Enter: a material's form (dates, validity) or the score tree. */
		if (!record_line(s->cl, r->enterprise_id ? r->enterprise_id : "0", kvlist_tag(&r->kv)))
			client_status(s->cl, false, "这一行没有可打开的内容；Space 就地记录，w 看为什么");
		return true;
	}
	if (ret == KEY_CODE_YES) {
		if (ch == KEY_DOWN && r->kv.cursor + 1 < r->kv.n)
			r->kv.cursor++;
		else if (ch == KEY_UP && r->kv.cursor > 0)
			r->kv.cursor--;
		else if (ch != KEY_DOWN && ch != KEY_UP)
			return false;
		return true;
	}
	switch (ch) {
	case 'y':
	case 'n':
		review_act(r, ch == 'y' ? r->yes_i : r->no_i);
		return true;
	case 'a':
		if (!client_refuse_act(s->cl))
			review_menu(r);
		return true;
	default:
		break;
	}
	switch (ch) {
	case 'j':
		if (r->kv.cursor + 1 < r->kv.n)
			r->kv.cursor++;
		return true;
	case 'k':
		if (r->kv.cursor > 0)
			r->kv.cursor--;
		return true;
	case ' ':
		if (!client_refuse_act(s->cl))
			review_record_line(r);
		return true;
	case 'w': review_why(r); return true;
	case 'o':
		if (r->enterprise_id)
			enterprise_open(s->cl, r->enterprise_id);
		return true;
	case 'r': review_reload(s); return true;
	case 'q': case 27: s->closed = true; return true;
	default: return false;
	}
}

static void review_changed(struct screen *s, const char *table, long long id)
{
	struct review *r = (struct review *)s;

	if ((strcmp(table, r->kind ? "demo_case" : "gb_case") == 0 && id == atoll(r->case_id)) ||
	    strcmp(table, "material") == 0 || strcmp(table, "training") == 0 ||
	    strcmp(table, "evaluation_score") == 0 || strcmp(table, "credit_check") == 0)
		review_reload(s);
}

static void review_destroy(struct screen *s)
{
	struct review *r = (struct review *)s;

	listen_cancel(s->cl->db, s);
	review_clear(r);
	free(r->keys_text);
	free(r->case_id);
	free(r->version);
	free(r->name);
	free(r->state);
	free(r->enterprise_id);
	free(r->error);
	free(r);
}

static const struct screen_ops review_ops = {
	.draw = review_draw, .key = review_key, .changed = review_changed,
	.reload = review_reload, .destroy = review_destroy,
};

static const char *const review_help[] = {
	"y\t执行第一项不需理由的操作（如 报市信用办、入选、通过；标题下的“操作”行写明是哪一项）",
	"n\t执行第一项需要理由的操作（如 退回、整改、不予通过），先选择或输入理由",
	"a\t全部可做的操作（菜单中可按数字选择）",
	"\t撤回、取消资格、退回等需理由或结束案件的操作：先显示企业和状态变化，按 y 才执行",
	"\t操作成功后自动打开待办中的下一项",
	"上/下 j k\t选择一行",
	"Space\t就地记录所选的一行（数据库允许时）：清单项切换 ✓/✗；材料在 缺、已收、不适用 间切换；专职人员、培训可填写",
	"Enter\t材料行：登记收到、出具日期和有效期（显示 有效/已过期/缺失）；评分行：打开评分表",
	"w\t为什么（资格规则的说明，来自数据库）",
	"o\t打开企业",
	"r\t刷新",
	"q / Esc\t返回",
	NULL,
};

void casework_open(struct client *cl, const char *kind, const char *case_id,
		   casework_next_fn next, void *ctx)
{
	struct review *r = xcalloc(1, sizeof(*r));

	r->s.ops = &review_ops;
	r->s.cl = cl;
	r->yes_i = r->no_i = -1;
	review_set_keys(r);
	r->s.help = review_help;
	r->s.modal_full = true;
	r->kind = kind_index(kind);
	r->case_id = xstrdup(case_id);
	r->next = next;
	r->next_ctx = ctx;
	client_push(cl, &r->s);
	review_reload(&r->s);
}

/* ---------------------------------------------------------------- menu only */

struct quick {
	struct client *cl;
	int kind;
	char *case_id, *version, *name, *state;
};

static void quick_free(struct quick *q)
{
	free(q->case_id);
	free(q->version);
	free(q->name);
	free(q->state);
	free(q);
}

/* Menu values: see menu_actions_sql. */
static void quick_picked(struct client *cl, void *ctx, const char *value, const char *label)
{
	struct quick *q = ctx;

	if (value != NULL && q->version) {
		struct act *a = xcalloc(1, sizeof(*a));

		a->cl = cl;
		a->kind = q->kind;
		a->case_id = xstrdup(q->case_id);
		a->version = xstrdup(q->version);
		a->name = xstrdup(q->name ? q->name : "");
		a->from = xstrdup(q->state ? q->state : "");
		act_set_choice(a, value, label);
		act_start(a);
	}
	quick_free(q);
}

static void quick_version(void *ctx, const PGresult *res, const struct db_error *err)
{
	struct quick *q = ctx;

	if (err == NULL && PQntuples(res) == 1) {
		q->version = xstrdup(PQgetvalue(res, 0, 0));
		q->name = xstrdup(PQgetvalue(res, 0, 1));
		q->state = xstrdup(PQgetvalue(res, 0, 2));
	}
}

void casework_actions(struct client *cl, const char *kind, const char *case_id)
{
	struct quick *q = xcalloc(1, sizeof(*q));
	const char *params[2] = { kind, case_id };
	struct screen *m;

	q->cl = cl;
	q->kind = kind_index(kind);
	q->case_id = xstrdup(case_id);
	listen_send(cl->db, cl, case_sql[q->kind], 1, params + 1, quick_version, q);
	m = dialog_menu(cl, "可做的操作", quick_picked, q);
	dialog_menu_load(m, menu_actions_sql, 2, params);
	client_push(cl, m);
}

/* ---------------------------------------------------------------- batch */

struct batch {
	struct client *cl;
	int n, done;
	char **kinds, **ids, **versions, **names, **changes;
	char *action, *label;
	char *report;
	int refused;
};

static void batch_free(struct batch *b)
{
	for (int i = 0; i < b->n; i++) {
		free(b->kinds[i]);
		free(b->ids[i]);
		free(b->versions[i]);
		free(b->names[i]);
		free(b->changes[i]);
	}
	free(b->kinds);
	free(b->ids);
	free(b->versions);
	free(b->names);
	free(b->changes);
	free(b->action);
	free(b->label);
	free(b->report);
	free(b);
}

/* One item of the batch answered; report at the end. */
static void batch_item_done(void *ctx, const PGresult *res, const struct db_error *err)
{
	struct batch *b = ctx;
	int i = b->done++;

	if (err != NULL) {
		char *t = db_error_text(err);
		char *r = xasprintf("%s\n✗ %s：%s", b->report, b->names[i] ? b->names[i] : b->ids[i], t);

		free(b->report);
		b->report = r;
		b->refused++;
		free(t);
	}
	if (b->done < b->n)
		return;
	char *title = xasprintf("批量%s：%d 项成功，%d 项被拒绝", b->label, b->n - b->refused, b->refused);

	client_push(b->cl, dialog_message(b->cl, title, b->refused ? b->report + 1 : "全部完成"));
	client_status(b->cl, b->refused > 0, "%s", title);
	free(title);
	batch_free(b);
}

/* y on the summary: run every item with the version it was shown at. */
static void batch_confirmed(struct client *cl, void *ctx, bool yes)
{
	struct batch *b = ctx;

	if (!yes) {
		client_status(cl, false, "已取消，未做任何修改");
		batch_free(b);
		return;
	}
	for (int i = 0; i < b->n; i++) {
		const char *params[4] = { b->ids[i], b->versions[i] ? b->versions[i] : "0", b->action, NULL };

		listen_send(cl->db, cl, act_sql[kind_index(b->kinds[i])], 4, params, batch_item_done, b);
	}
}

/* One marked case ($1 kind, $2 id) before action $3: version, enterprise,
 * its state now and the state the action leads to. */
static const char batch_item_sql[] =
	"SELECT c.version::text, e.name, coalesce(gb.state_label($1, c.state), c.state), "
	"coalesce(gb.state_label($1, (SELECT t.to_state FROM gb.wf_transition t WHERE t.kind = $1 "
	"AND t.from_state = c.state AND t.action = $3 LIMIT 1)), '（此状态下不能执行）') "
	"FROM (SELECT version, state, enterprise_id FROM gb.gb_case WHERE $1 = 'gb' AND id = $2::bigint "
	"UNION ALL SELECT version, state, enterprise_id FROM gb.demo_case WHERE $1 = 'demo' "
	"AND id = $2::bigint) c JOIN gb.enterprise e ON e.id = c.enterprise_id";

/* The versions and names of the marked cases, then the summary: each item
 * with its state now and after. */
static void batch_loaded(void *ctx, const PGresult *res, const struct db_error *err)
{
	struct batch *b = ctx;
	int i = b->done++;
	char *t, *text;

	if (err == NULL && PQntuples(res) == 1) {
		b->versions[i] = xstrdup(PQgetvalue(res, 0, 0));
		b->names[i] = xstrdup(PQgetvalue(res, 0, 1));
		b->changes[i] = xasprintf("%s → %s", PQgetvalue(res, 0, 2), PQgetvalue(res, 0, 3));
	}
	if (b->done < b->n)
		return;
	b->done = 0;
	text = xstrdup("");
	for (int k = 0; k < b->n; k++) {
		char *l = xasprintf("%s%s· %s：%s", text, k ? "\n" : "", b->names[k] ? b->names[k] : b->ids[k],
				    b->changes[k] ? b->changes[k] : "（无法读取，可能无权查看）");

		free(text);
		text = l;
	}
	t = xasprintf("将对以下 %d 项执行“%s”：", b->n, b->label);
	client_push(b->cl, dialog_confirm(b->cl, t, text, batch_confirmed, b));
	free(t);
	free(text);
}

static void batch_action_picked(struct client *cl, void *ctx, const char *value, const char *label)
{
	struct batch *b = ctx;
	const char *tab;

	if (value == NULL) {
		batch_free(b);
		return;
	}
	tab = strchr(value, '\t');
	if (tab && tab[1] == 't') {
		client_status(cl, true, "“%s”需要逐项填写理由，请逐项处理", label);
		batch_free(b);
		return;
	}
	b->action = tab ? xstrndup(value, (size_t)(tab - value)) : xstrdup(value);
	b->label = xstrdup(label);
	for (int i = 0; i < b->n; i++) {
		const char *params[3] = { b->kinds[i], b->ids[i], b->action };

		listen_send(cl->db, cl, batch_item_sql, 3, params, batch_loaded, b);
	}
}

void casework_batch(struct client *cl, int n, char **kinds, char **ids)
{
	struct batch *b = xcalloc(1, sizeof(*b));
	struct screen *m;
	const char *params[2];

	b->cl = cl;
	b->n = n;
	b->kinds = kinds;
	b->ids = ids;
	b->versions = xcalloc((size_t)n + 1, sizeof(char *));
	b->names = xcalloc((size_t)n + 1, sizeof(char *));
	b->changes = xcalloc((size_t)n + 1, sizeof(char *));
	b->report = xstrdup("");
	if (n == 0) {
		batch_free(b);
		client_status(cl, true, "标记的项目不在当前窗口中，请重新标记");
		return;
	}
	params[0] = kinds[0];
	params[1] = ids[0];
	m = dialog_menu(cl, "对标记的项目执行", batch_action_picked, b);
	dialog_menu_load(m, menu_actions_sql, 2, params);
	client_push(cl, m);
}
