#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/csv.h"
#include "core/encoding.h"
#include "core/syserr.h"
#include "core/xalloc.h"
#include "ui/client.h"
#include "ui/dialog.h"
#include "ui/export.h"

/* An export in progress: its own pager over the list's relation. */
struct export {
	struct client *cl;
	const struct listview_spec *spec;
	struct pager_spec export_spec;	/* the list's, in pages of 1000 */
	struct pager pager;
	struct pager_query q;
	enum enc_kind enc;
	char *path;
	int fd;
	long rows;
	bool header_done;
};

static void export_free(struct export *x)
{
	if (x->fd >= 0)
		close(x->fd);
	pager_query_clear(&x->q);
	pager_clear(&x->pager);
	free(x->path);
	free(x);
}

static void export_free_cb(void *ctx)
{
	export_free(ctx);
}

/* Write buf fully; false with errno on failure. */
static bool write_all(int fd, const char *buf, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, buf, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return false;
		buf += n;
		len -= (size_t)n;
	}
	return true;
}

/* Convert one chunk of CSV to the file's encoding and write it. */
static bool write_chunk(struct export *x, const struct csv_out *o, bool first)
{
	struct enc_error err;
	size_t len;
	enum enc_kind enc = x->enc == ENC_UTF8_BOM && !first ? ENC_UTF8 : x->enc;
	char *conv = enc_from_utf8(o->data, o->len, enc, &len, &err);
	bool ok;

	if (conv == NULL) {
		client_status(x->cl, true, "导出失败：%s", err.message);
		return false;
	}
	ok = write_all(x->fd, conv, len);
	free(conv);
	if (!ok)
		client_status(x->cl, true, "写入 %s 失败：%s", x->path, syserr_text(errno));
	return ok;
}

/* The header line and rows [from, nrows) of the window as CSV. */
static void rows_csv(struct export *x, int from, struct csv_out *o)
{
	const struct listview_spec *sp = x->spec;

	if (!x->header_done) {
		for (int c = 0; c < sp->ndisplay; c++)
			csv_write_field(o, c == 0, sp->tcols[c].title, CSV_TEXT);
		csv_end_record(o);
	}
	for (int r = from; r < x->pager.nrows; r++) {
		for (int c = 0; c < sp->ndisplay; c++)
			csv_write_field(o, c == 0, x->pager.rows[r].cells[c],
					sp->tcols[c].align == WIDTH_RIGHT ? CSV_NUMBER : CSV_TEXT);
		csv_end_record(o);
	}
}

static void export_next(struct export *x, enum pager_op op);

/* A page arrived: write it and ask for the next, or finish. */
static void page_done(void *ctx, const PGresult *res, const struct db_error *err)
{
	struct export *x = ctx;
	struct csv_out o = { 0 };
	int n, shift;
	bool first = !x->header_done;

	if (err != NULL) {
		char *t = db_error_text(err);

		client_status(x->cl, true, "导出中断（%ld 行已写入 %s）：%s", x->rows, x->path, t);
		free(t);
		export_free(x);
		return;
	}
	n = pager_apply(&x->pager, &x->q, res, &shift);
	pager_query_clear(&x->q);
	rows_csv(x, x->pager.nrows - (n > 0 ? n : 0), &o);
	x->header_done = true;
	bool ok = write_chunk(x, &o, first);

	csv_out_free(&o);
	if (!ok) {
		export_free(x);
		return;
	}
	x->rows += n > 0 ? n : 0;
	if (x->pager.at_end) {
		client_status(x->cl, false, "已导出 %ld 行到 %s（%s）", x->rows, x->path, enc_name(x->enc));
		export_free(x);
		return;
	}
	client_status(x->cl, false, "正在导出… 已写入 %ld 行", x->rows);
	export_next(x, PAGER_NEXT);
}

static void export_next(struct export *x, enum pager_op op)
{
	pager_build(&x->pager, op, -1, NULL, &x->q);
	listen_send_ex(x->cl->db, x->cl, x->q.sql, x->q.nparams, (const char *const *)x->q.params,
		       page_done, x, export_free_cb);
}

static void path_typed(struct client *cl, void *ctx, const char *text);

/* The prompt for the file name, with the folder a bare name goes to: the
 * officer must know where to find the file. */
static struct screen *name_prompt(struct client *cl, const char *name, struct export *x)
{
	char *cwd = getcwd(NULL, 0);
	char *title = xasprintf("导出到文件（保存在 %s）", cwd ? cwd : ".");
	struct screen *p = dialog_prompt(cl, title, "文件名：", name, path_typed, x);

	free(title);
	free(cwd);
	return p;
}

/* The file name typed: create it (never overwrite) and start. */
static void path_typed(struct client *cl, void *ctx, const char *text)
{
	struct export *x = ctx;

	if (text == NULL || text[0] == '\0') {
		client_status(cl, false, "未导出");
		export_free(x);
		return;
	}
	x->path = xstrdup(text);
	x->fd = open(x->path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (x->fd >= 0 && x->path[0] != '/') {
		/* Messages name the file by its full path. */
		char *full = realpath(x->path, NULL);

		if (full != NULL) {
			free(x->path);
			x->path = full;
		}
	}
	if (x->fd < 0) {
		/* In words an officer reads (core/syserr), with what to do. */
		int e = errno;

		client_status(cl, true, "不能创建 %s：%s%s", x->path, syserr_text(e),
			      e == EEXIST ? "，请换一个文件名" : "");
		/* Ask again with the name as typed, to be corrected, not retyped. */
		XFREE(x->path);
		client_push(cl, name_prompt(cl, text, x));
		return;
	}
	export_next(x, PAGER_FIRST);
}

static void encoding_picked(struct client *cl, void *ctx, const char *value, const char *label)
{
	struct export *x = ctx;
	char *name;

	if (value == NULL) {
		export_free(x);
		return;
	}
	x->enc = strcmp(value, "gb18030") == 0 ? ENC_GB18030 : ENC_UTF8_BOM;
	name = xasprintf("%s-%s.csv", x->spec->name, cl->year);
	client_push(cl, name_prompt(cl, name, x));
	free(name);
}

void export_start(struct listview *lv)
{
	struct export *x = xcalloc(1, sizeof(*x));
	struct screen *m;

	x->cl = lv->s.cl;
	x->spec = lv->spec;
	x->fd = -1;
	/* The same relation, conditions and sort as the list, in big pages. */
	pager_init(&x->pager, &lv->spec->pager, lv->pager.sort_col);
	x->pager.desc = lv->pager.desc;
	for (int i = 0; i < lv->pager.nconds; i++)
		pager_add_cond(&x->pager, lv->pager.conds[i].sql, lv->pager.conds[i].value);
	x->export_spec = lv->spec->pager;
	x->export_spec.page_rows = 1000;
	x->export_spec.max_rows = 1000;
	x->pager.spec = &x->export_spec;
	m = dialog_menu(lv->s.cl, "导出为 CSV", encoding_picked, x);
	dialog_menu_add(m, "gb18030", "GB18030（Excel、WPS 直接打开）");
	dialog_menu_add(m, "utf8bom", "UTF-8 带 BOM");
	client_push(lv->s.cl, m);
}
