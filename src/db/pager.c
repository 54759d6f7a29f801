#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"
#include "db/pager.h"

/* A growing string for assembling statements from the program's own SQL. */
struct sbuf {
	char *s;
	size_t len, cap;
};

static void sb_add(struct sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void sb_add(struct sbuf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (b->len + (size_t)n + 1 > b->cap) {
		b->cap = (b->len + (size_t)n + 1) * 2;
		b->s = xrealloc(b->s, b->cap);
	}
	va_start(ap, fmt);
	vsnprintf(b->s + b->len, b->cap - b->len, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

static void row_free(struct pager_row *r, int ncols)
{
	for (int c = 0; c < ncols; c++)
		free(r->cells[c]);
	free(r->cells);
	free(r->key);
	free(r->tie);
	free(r->id);
}

/* Drop every row of the window. */
static void drop_rows(struct pager *p)
{
	for (int i = 0; i < p->nrows; i++)
		row_free(&p->rows[i], p->spec->ncols);
	XFREE(p->rows);
	p->nrows = 0;
	p->at_start = p->at_end = false;
}

void pager_init(struct pager *p, const struct pager_spec *spec, int sort_col)
{
	memset(p, 0, sizeof(*p));
	p->spec = spec;
	p->sort_col = sort_col;
}

void pager_clear(struct pager *p)
{
	drop_rows(p);
	pager_clear_conds(p);
}

bool pager_set_sort(struct pager *p, int col, bool desc)
{
	if (col < 0 || col >= p->spec->ncols || p->spec->cols[col].sort == NULL)
		return false;
	p->sort_col = col;
	p->desc = desc;
	p->gen++;
	drop_rows(p);
	return true;
}

void pager_add_cond(struct pager *p, const char *sql_fmt, const char *value)
{
	p->conds = xreallocarray(p->conds, (size_t)p->nconds + 1, sizeof(*p->conds));
	p->conds[p->nconds].sql = xstrdup(sql_fmt);
	p->conds[p->nconds].value = value ? xstrdup(value) : NULL;
	p->nconds++;
	p->gen++;
	drop_rows(p);
}

void pager_clear_conds(struct pager *p)
{
	for (int i = 0; i < p->nconds; i++) {
		free(p->conds[i].sql);
		free(p->conds[i].value);
	}
	XFREE(p->conds);
	if (p->nconds > 0) {
		p->gen++;
		drop_rows(p);
	}
	p->nconds = 0;
}

static void add_param(struct pager_query *q, const char *v)
{
	q->params = xreallocarray(q->params, (size_t)q->nparams + 1, sizeof(char *));
	q->params[q->nparams++] = xstrdup(v);
}

/* "(fmt)" with value as the next parameter where fmt says "%s" (fmt as it
 * is when it has none or value is NULL). */
static void add_expr(struct sbuf *b, struct pager_query *q, const char *fmt, const char *value)
{
	const char *pct = strstr(fmt, "%s");

	if (value == NULL || pct == NULL) {
		sb_add(b, "(%s)", fmt);
		return;
	}
	add_param(q, value);
	sb_add(b, "(%.*s$%d%s)", (int)(pct - fmt), fmt, q->nparams, pct + 2);
}

/* " AND (fmt)", as add_expr. */
static void add_cond(struct sbuf *b, struct pager_query *q, const char *fmt, const char *value)
{
	sb_add(b, " AND ");
	add_expr(b, q, fmt, value);
}

/* " AND cond" for the fixed and the officer's conditions, values as parameters. */
static void add_where(const struct pager *p, struct sbuf *b, struct pager_query *q)
{
	sb_add(b, " WHERE TRUE");
	if (p->spec->where != NULL)
		sb_add(b, " AND (%s)", p->spec->where);
	for (int i = 0; i < p->nconds; i++)
		add_cond(b, q, p->conds[i].sql, p->conds[i].value);
}

/* Characters (not bytes) of UTF-8 text. */
static int utf8_chars(const char *s)
{
	int n = 0;

	for (; *s; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

/* " AND (c1 ILIKE $n OR …)" for the search text, or the spec's search
 * condition when the text is long enough for it. */
static void add_search(const struct pager *p, struct sbuf *b, struct pager_query *q,
		       const char *text)
{
	char *pat;

	if (p->spec->search_sql != NULL &&
	    (p->spec->nsearch == 0 || utf8_chars(text ? text : "") >= p->spec->search_sql_min)) {
		add_cond(b, q, p->spec->search_sql, text ? text : "");
		return;
	}
	pat = pager_like_pattern(text ? text : "");

	add_param(q, pat);
	free(pat);
	sb_add(b, " AND (FALSE");
	for (int i = 0; i < p->spec->nsearch; i++)
		sb_add(b, " OR %s ILIKE $%d", p->spec->search[i], q->nparams);
	sb_add(b, ")");
}

/* The tie expression of the sort column, or NULL. */
static const char *sort_tie(const struct pager *p)
{
	return p->spec->ties ? p->spec->ties[p->sort_col] : NULL;
}

/* "key, tie, id" (or "key, id"): the order, and the row compared in keysets. */
static void add_keys(const struct pager *p, struct sbuf *b)
{
	if (sort_tie(p) != NULL)
		sb_add(b, "%s, %s, %s", p->spec->cols[p->sort_col].sort, sort_tie(p), p->spec->id);
	else
		sb_add(b, "%s, %s", p->spec->cols[p->sort_col].sort, p->spec->id);
}

/* " AND (key, tie, id) OP ($a, $b, $c)" against a row of the window: one
 * row comparison, which a btree on the same expressions answers. */
static void add_keycmp(const struct pager *p, struct sbuf *b, struct pager_query *q,
		       const char *op, const struct pager_row *r)
{
	int first = q->nparams + 1;

	add_param(q, r->key);
	if (sort_tie(p) != NULL)
		add_param(q, r->tie);
	add_param(q, r->id);
	sb_add(b, " AND (");
	add_keys(p, b);
	sb_add(b, ") %s ($%d", op, first);
	for (int i = first + 1; i <= q->nparams; i++)
		sb_add(b, ", $%d", i);
	sb_add(b, ")");
}

static void add_order(const struct pager *p, struct sbuf *b, bool forward, int limit)
{
	const char *dir = (forward != p->desc) ? "ASC" : "DESC";

	sb_add(b, " ORDER BY %s %s, ", p->spec->cols[p->sort_col].sort, dir);
	if (sort_tie(p) != NULL)
		sb_add(b, "%s %s, ", sort_tie(p), dir);
	sb_add(b, "%s %s LIMIT %d", p->spec->id, dir, limit);
}

/* "SELECT columns, key, tie, id FROM relation" */
static void add_select(const struct pager *p, struct sbuf *b)
{
	sb_add(b, "SELECT ");
	for (int c = 0; c < p->spec->ncols; c++)
		sb_add(b, "%s::text, ", p->spec->cols[c].name);
	sb_add(b, "(%s)::text AS _k, (%s)::text AS _t, %s::text AS _id FROM %s",
	       p->spec->cols[p->sort_col].sort, sort_tie(p) ? sort_tie(p) : "NULL",
	       p->spec->id, p->spec->from);
}

/* "SELECT key, tie, id FROM relation WHERE … ORDER BY … LIMIT 1": the
 * first match from the anchor row (none: from the start) in the search's
 * direction, by the spec's search (add_search), or when gate is given by
 * search_sql only, and only where the condition gate holds. */
static void add_first_match(const struct pager *p, bool back, int anchor_row, const char *cmp,
			    const char *text, const char *gate, struct sbuf *b,
			    struct pager_query *q)
{
	sb_add(b, "SELECT ");
	add_keys(p, b);
	sb_add(b, " FROM %s", p->spec->from);
	add_where(p, b, q);
	if (gate != NULL)
		add_cond(b, q, p->spec->search_sql, text ? text : "");
	else
		add_search(p, b, q, text);
	if (anchor_row >= 0 && anchor_row < p->nrows)
		add_keycmp(p, b, q, cmp, &p->rows[anchor_row]);
	if (gate != NULL)
		sb_add(b, " AND %s", gate);
	add_order(p, b, !back, 1);
}

/* The walk of a search (see pager_spec.search_walk): w holds the next
 * rows of the list from the anchor with whether each matches, m the first
 * that does, or else (the walk did not reach the end of the list) the first
 * match that search_sql finds, for a text of any length; UNION ALL under
 * LIMIT 1 runs that second part only when the first gave nothing. */
static void add_walk(const struct pager *p, bool back, int anchor_row, const char *cmp,
		     const char *text, struct sbuf *b, struct pager_query *q)
{
	const char *dir = (!back != p->desc) ? "ASC" : "DESC";
	int k = p->spec->search_walk_rows;
	char *gate = xasprintf("NOT EXISTS (SELECT FROM w WHERE _hit) AND (SELECT count(*) FROM w) = %d", k);

	sb_add(b, "WITH w AS (SELECT %s AS _k, ", p->spec->cols[p->sort_col].sort);
	if (sort_tie(p) != NULL)
		sb_add(b, "%s AS _t, ", sort_tie(p));
	sb_add(b, "%s AS _i, ", p->spec->id);
	add_expr(b, q, p->spec->search_walk, text ? text : "");
	sb_add(b, " AS _hit FROM %s", p->spec->from);
	add_where(p, b, q);
	if (anchor_row >= 0 && anchor_row < p->nrows)
		add_keycmp(p, b, q, cmp, &p->rows[anchor_row]);
	add_order(p, b, !back, k);
	sb_add(b, "), m AS ((SELECT %s FROM w WHERE _hit ORDER BY _k %s, ",
	       sort_tie(p) != NULL ? "_k, _t, _i" : "_k, _i", dir);
	if (sort_tie(p) != NULL)
		sb_add(b, "_t %s, ", dir);
	sb_add(b, "_i %s LIMIT 1) UNION ALL (", dir);
	add_first_match(p, back, anchor_row, cmp, text, gate, b, q);
	sb_add(b, ") LIMIT 1) ");
	free(gate);
}

/* The FIND statements: locate one match in a CTE, then a page from it. */
static void build_find(const struct pager *p, enum pager_op op, int anchor_row,
		       const char *text, struct sbuf *b, struct pager_query *q)
{
	bool back = op == PAGER_FIND_BEFORE;
	const char *lt = p->desc ? ">" : "<", *gt = p->desc ? "<" : ">";
	const char *ge = p->desc ? "<=" : ">=";
	const char *cmp = back ? lt : op == PAGER_FIND ? ge : gt;

	if (p->spec->search_walk != NULL && p->spec->search_walk_rows > 0 &&
	    p->spec->search_sql != NULL) {
		add_walk(p, back, anchor_row, cmp, text, b, q);
	} else {
		sb_add(b, "WITH m AS (");
		add_first_match(p, back, anchor_row, cmp, text, NULL, b, q);
		sb_add(b, ") ");
	}
	add_select(p, b);
	add_where(p, b, q);
	sb_add(b, " AND (");
	add_keys(p, b);
	sb_add(b, ") %s (SELECT * FROM m)", ge);
	add_order(p, b, true, q->limit);
}

void pager_build(const struct pager *p, enum pager_op op, int anchor_row,
		 const char *text, struct pager_query *q)
{
	struct sbuf b = { 0 };
	const char *gt = p->desc ? "<" : ">", *lt = p->desc ? ">" : "<";
	bool reload_all = op == PAGER_RELOAD && (p->at_start || p->nrows == 0);

	memset(q, 0, sizeof(*q));
	q->op = reload_all ? PAGER_FIRST : op;
	q->gen = p->gen;
	q->limit = p->spec->page_rows;
	if ((q->op == PAGER_FIRST || q->op == PAGER_LAST) && p->first_rows > 0 &&
	    p->first_rows < q->limit)
		q->limit = p->first_rows;
	if (op == PAGER_RELOAD && p->nrows > q->limit)
		q->limit = p->nrows;
	if (op == PAGER_FIND || op == PAGER_FIND_AFTER || op == PAGER_FIND_BEFORE) {
		build_find(p, op, anchor_row, text, &b, q);
		q->sql = b.s;
		return;
	}
	add_select(p, &b);
	add_where(p, &b, q);
	if (op == PAGER_NEXT && p->nrows > 0)
		add_keycmp(p, &b, q, gt, &p->rows[p->nrows - 1]);
	else if (op == PAGER_PREV && p->nrows > 0)
		add_keycmp(p, &b, q, lt, &p->rows[0]);
	else if (op == PAGER_RELOAD && !reload_all)
		add_keycmp(p, &b, q, p->desc ? "<=" : ">=", &p->rows[0]);
	add_order(p, &b, !(op == PAGER_LAST || op == PAGER_PREV), q->limit);
	q->sql = b.s;
}

void pager_query_clear(struct pager_query *q)
{
	for (int i = 0; i < q->nparams; i++)
		free(q->params[i]);
	free(q->params);
	free(q->sql);
	memset(q, 0, sizeof(*q));
}

/* Copy the rows of res (in res order, or reversed) into a fresh array. */
static struct pager_row *take_rows(const struct pager *p, const PGresult *res, bool reverse)
{
	int n = PQntuples(res), nc = p->spec->ncols;
	struct pager_row *rows = xcalloc(n > 0 ? (size_t)n : 1, sizeof(*rows));

	for (int i = 0; i < n; i++) {
		struct pager_row *r = &rows[reverse ? n - 1 - i : i];

		r->cells = xcalloc((size_t)nc, sizeof(char *));
		for (int c = 0; c < nc; c++)
			r->cells[c] = xstrdup(PQgetisnull(res, i, c) ? "" : PQgetvalue(res, i, c));
		r->key = xstrdup(PQgetvalue(res, i, nc));
		r->tie = xstrdup(PQgetvalue(res, i, nc + 1));
		r->id = xstrdup(PQgetvalue(res, i, nc + 2));
	}
	return rows;
}

/* Keep at most max_rows, dropping from the front (true) or the back. */
static int trim(struct pager *p, bool front)
{
	int extra = p->nrows - p->spec->max_rows;

	if (extra <= 0)
		return 0;
	if (front) {
		for (int i = 0; i < extra; i++)
			row_free(&p->rows[i], p->spec->ncols);
		memmove(p->rows, p->rows + extra, (size_t)(p->nrows - extra) * sizeof(*p->rows));
		p->at_start = false;
	} else {
		for (int i = p->nrows - extra; i < p->nrows; i++)
			row_free(&p->rows[i], p->spec->ncols);
		p->at_end = false;
	}
	p->nrows -= extra;
	return extra;
}

/* Insert rows (n of them) at the front or the back of the window. */
static void splice(struct pager *p, struct pager_row *rows, int n, bool front)
{
	p->rows = xreallocarray(p->rows, (size_t)(p->nrows + n) + 1, sizeof(*p->rows));
	if (front) {
		memmove(p->rows + n, p->rows, (size_t)p->nrows * sizeof(*p->rows));
		memcpy(p->rows, rows, (size_t)n * sizeof(*rows));
	} else {
		memcpy(p->rows + p->nrows, rows, (size_t)n * sizeof(*rows));
	}
	p->nrows += n;
	free(rows);
}

int pager_apply(struct pager *p, const struct pager_query *q, const PGresult *res,
		int *shift)
{
	int n = PQntuples(res);
	bool full = n >= q->limit, was_start = p->at_start;
	struct pager_row *rows;

	*shift = 0;
	if (q->gen != p->gen || PQnfields(res) != p->spec->ncols + 3)
		return -1;
	if (n == 0 && q->op >= PAGER_FIND)
		return 0;
	rows = take_rows(p, res, q->op == PAGER_LAST || q->op == PAGER_PREV);
	switch (q->op) {
	case PAGER_NEXT:
		splice(p, rows, n, false);
		p->at_end = !full;
		*shift = -trim(p, true);
		break;
	case PAGER_PREV:
		splice(p, rows, n, true);
		p->at_start = !full;
		*shift = n;
		trim(p, false);
		break;
	default:
		drop_rows(p);
		p->rows = rows;
		p->nrows = n;
		p->at_start = q->op == PAGER_FIRST || (q->op == PAGER_RELOAD && was_start) ||
			      (q->op == PAGER_LAST && !full);
		p->at_end = q->op == PAGER_LAST || !full;
		break;
	}
	return n;
}

const char *pager_nosort_reason(const struct pager_spec *spec, int col)
{
	if (spec->nosort == NULL || col < 0 || col >= spec->ncols)
		return NULL;
	return spec->nosort[col];
}

int pager_find_id(const struct pager *p, const char *id)
{
	for (int i = 0; i < p->nrows; i++) {
		if (strcmp(p->rows[i].id, id) == 0)
			return i;
	}
	return -1;
}

char *pager_like_pattern(const char *text)
{
	size_t n = strlen(text);
	char *out = xmalloc(2 * n + 3), *o = out;

	*o++ = '%';
	for (const char *s = text; *s; s++) {
		if (*s == '%' || *s == '_' || *s == '\\')
			*o++ = '\\';
		*o++ = *s;
	}
	*o++ = '%';
	*o = '\0';
	return out;
}
