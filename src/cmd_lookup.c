#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "cli_util.h"
#include "core/escape.h"
#include "core/width.h"
#include "core/xalloc.h"

/* One query for everything a lookup shows, so that a script calling
 * lookup in a loop costs one connection and one round trip each.  The
 * officer check comes first (GB001 for a login that is not an officer,
 * rather than an empty answer). */
static const char lookup_sql[] =
	"SELECT v.uscc, v.name, v.district_name, v.gb_year, v.gb_state_label,"
	" (SELECT max(c.year) FROM gb.gb_case c WHERE c.enterprise_id = v.id"
	"   AND c.state = 'passed') AS gb_passed_year,"
	" gb.level_label(v.demo_level) AS demo_level, v.demo_state_label,"
	" (SELECT string_agg(gb.level_label(m.level) || CASE"
	"    WHEN m.state = 'revoked' THEN '：' || coalesce(m.revoked_on::text || ' ', '') || '已取消资格'"
	"    ELSE '：' || coalesce(extract(year FROM m.designated_on)::text || ' 年', '') || '认定'"
	"      || coalesce('（' || m.designation_doc_no || '）', '')"
	"      || CASE WHEN m.state = 'rectifying' THEN '，限期整改中' ELSE '' END END,"
	"    '；' ORDER BY m.level DESC, m.year)"
	"   FROM gb.demo_case m WHERE m.enterprise_id = v.id"
	"   AND m.state IN ('designated', 'rectifying', 'revoked')) AS demo_designation,"
	" (SELECT string_agg(d.due_on || ' ' || d.label || '（' || CASE WHEN d.days_left >= 0"
	"    THEN '还有 ' || d.days_left || ' 天' ELSE '已逾期 ' || -d.days_left || ' 天' END"
	"    || '）', E'\\n' ORDER BY d.due_on)"
	"   FROM (SELECT g.year, g.deadline FROM gb.v_gb_case g WHERE g.enterprise_id = v.id"
	"         UNION SELECT m.year, m.deadline FROM gb.v_demo_case m WHERE m.enterprise_id = v.id) x"
	"   JOIN gb.v_deadlines d ON d.year = x.year AND d.due_on = x.deadline) AS deadlines"
	" FROM gb.v_enterprise_list v"
	" WHERE (SELECT count(*) FROM gb.current_officer()) > 0"
	"   AND v.id IN (SELECT id FROM gb.enterprise WHERE uscc = upper($1)"
	"                UNION ALL SELECT id FROM gb.enterprise WHERE name LIKE $2)"
	" ORDER BY v.name, v.id LIMIT 500";

/* Result columns and how each is shown. */
static const struct {
	const char *column;
	const char *label;	/* text and CSV */
	const char *key;	/* JSON */
} fields[] = {
	{ "uscc", "统一社会信用代码", "uscc" },
	{ "name", "企业名称", "name" },
	{ "district_name", "区镇", "district" },
	{ "gb_year", "贯标年度", "gb_year" },
	{ "gb_state_label", "贯标状态", "gb_state" },
	{ "gb_passed_year", "贯标通过年度", "gb_passed_year" },
	{ "demo_level", "示范级别", "demo_level" },
	{ "demo_state_label", "示范状态", "demo_state" },
	{ "demo_designation", "示范认定", "demo_designation" },
	{ "deadlines", "待办期限", "deadlines" },
};
#define NFIELDS (sizeof(fields) / sizeof(fields[0]))

/* A LIKE pattern matching term anywhere, with its wildcards taken
 * literally.  Caller frees. */
static char *contains_pattern(const char *term)
{
	char *p = xmalloc(2 * strlen(term) + 3);
	size_t o = 0;

	p[o++] = '%';
	for (const char *s = term; *s; s++) {
		if (*s == '%' || *s == '_' || *s == '\\')
			p[o++] = '\\';
		p[o++] = *s;
	}
	p[o++] = '%';
	p[o] = '\0';
	return p;
}

/* "贯标状态（2020 年度，2020 年通过）" style summaries for the text form. */
static char *gb_summary(const PGresult *res, int r)
{
	const char *state = db_get(res, r, "gb_state_label");
	const char *year = db_get(res, r, "gb_year");
	const char *passed = db_get(res, r, "gb_passed_year");

	if (state == NULL)
		return passed ? xasprintf("%s 年通过", passed) : xstrdup("未参加");
	if (passed != NULL)
		return xasprintf("%s（%s 年度；%s 年通过验收）", state, year, passed);
	return xasprintf("%s（%s 年度）", state, year);
}

static char *demo_summary(const PGresult *res, int r)
{
	const char *level = db_get(res, r, "demo_level");
	const char *state = db_get(res, r, "demo_state_label");
	const char *desig = db_get(res, r, "demo_designation");

	if (level == NULL)
		return xstrdup("无");
	if (desig != NULL)
		return xstrdup(desig);
	return xasprintf("%s %s", level, state);
}

/* One labelled line; a multi-line value continues under the value column. */
static void text_line(const char *label, const char *value, size_t label_cols)
{
	char *pad = width_pad(label, label_cols, WIDTH_LEFT);
	const char *v = value ? value : "";

	printf("  %s  ", pad);
	free(pad);
	for (;;) {
		const char *nl = strchr(v, '\n');
		char *esc = escape_display_n(v, nl ? (size_t)(nl - v) : strlen(v));

		printf("%s\n", esc);
		free(esc);
		if (nl == NULL)
			break;
		printf("  %*s  ", (int)label_cols, "");
		v = nl + 1;
	}
}

static void print_text(const PGresult *res)
{
	size_t cols = width_str_cols("统一社会信用代码");

	for (int r = 0; r < PQntuples(res); r++) {
		char *name = escape_display(db_get(res, r, "name"));
		char *gb = gb_summary(res, r);
		char *demo = demo_summary(res, r);
		const char *dl = db_get(res, r, "deadlines");

		printf("%s%s\n", r > 0 ? "\n" : "", name);
		text_line("统一社会信用代码", db_get(res, r, "uscc"), cols);
		text_line("区镇", db_get(res, r, "district_name"), cols);
		text_line("贯标", gb, cols);
		text_line("示范", demo, cols);
		text_line("待办期限", dl ? dl : "无", cols);
		free(name);
		free(gb);
		free(demo);
	}
}

static void print_json(const PGresult *res)
{
	putchar('[');
	for (int r = 0; r < PQntuples(res); r++) {
		printf("%s\n  {", r > 0 ? "," : "");
		for (size_t f = 0; f < NFIELDS; f++) {
			const char *v = db_get(res, r, fields[f].column);

			printf("%s\"%s\": ", f > 0 ? ", " : "", fields[f].key);
			if (v == NULL)
				fputs("null", stdout);
			else if (strcmp(fields[f].key, "gb_year") == 0 ||
				 strcmp(fields[f].key, "gb_passed_year") == 0)
				fputs(v, stdout);
			else
				cli_json_string(stdout, v);
		}
		putchar('}');
	}
	puts(PQntuples(res) > 0 ? "\n]" : "]");
}

static int print_csv(const PGresult *res)
{
	enum out_col_kind kinds[NFIELDS];
	const char *cells[NFIELDS];
	struct out_table *t;
	int rc;

	for (size_t f = 0; f < NFIELDS; f++) {
		kinds[f] = strstr(fields[f].column, "year") ? OUT_NUMBER : OUT_TEXT;
		cells[f] = fields[f].label;
	}
	t = out_table_new("lookup", NFIELDS, kinds);
	out_table_header(t, cells);
	for (int r = 0; r < PQntuples(res); r++) {
		for (size_t f = 0; f < NFIELDS; f++)
			cells[f] = db_get(res, r, fields[f].column);
		out_table_add(t, OUT_ROW_DATA, cells);
	}
	rc = cli_write_tables("lookup", &t, 1, CLI_CSV, ENC_UTF8, NULL);
	out_table_free(&t);
	return rc;
}

static void lookup_usage(FILE *out)
{
	fputs("用法: guanbiao lookup 统一社会信用代码或名称片段 [--format text|csv|json]\n"
	      "\n"
	      "显示匹配企业的区镇、贯标状态（及通过年度）、示范级别和认定（或取消）情况、\n"
	      "待办期限。找到时退出码为 0，没有匹配为 1，出错为 2。\n", out);
}

int cmd_lookup(int argc, char **argv, const struct app_options *opt)
{
	enum cli_format fmt = CLI_TEXT;
	const char *term = NULL;
	struct db_error err = { 0 };
	PGconn *conn;
	PGresult *res;
	char *pattern;
	int rc;

	for (int i = 1; i < argc; i++) {
		const char *v;

		if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
			lookup_usage(stdout);
			return APP_OK;
		} else if ((v = cli_option(argc, argv, &i, "--format", NULL)) != NULL) {
			if (!cli_parse_format("lookup", v, CLI_TEXT | CLI_CSV | CLI_JSON, &fmt))
				return APP_ERROR;
		} else if (term == NULL && (argv[i][0] != '-' || argv[i][1] == '\0')) {
			term = argv[i];
		} else {
			fprintf(stderr, "guanbiao lookup: 无法理解的参数 %s（见 guanbiao lookup --help）\n",
				argv[i]);
			return APP_ERROR;
		}
	}
	if (term == NULL || term[0] == '\0') {
		lookup_usage(stderr);
		return APP_ERROR;
	}
	conn = cli_connect("lookup", opt);
	if (conn == NULL)
		return APP_ERROR;
	pattern = contains_pattern(term);
	{
		const char *params[] = { term, pattern };

		res = db_exec(conn, lookup_sql, 2, params, &err);
	}
	free(pattern);
	if (res == NULL) {
		PQfinish(conn);
		return cli_db_fail("lookup", &err);
	}
	rc = PQntuples(res) > 0 ? APP_OK : APP_NOT_FOUND;
	if (fmt == CLI_JSON)
		print_json(res);
	else if (fmt == CLI_CSV)
		rc = print_csv(res) == APP_OK ? rc : APP_ERROR;
	else if (rc == APP_OK)
		print_text(res);
	else {
		char *esc = escape_display(term);

		printf("没有找到与“%s”匹配的企业\n", esc);
		free(esc);
	}
	PQclear(res);
	PQfinish(conn);
	return rc;
}
