#include "config.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/csv.h"
#include "core/encoding.h"
#include "core/import_sheet.h"
#include "core/uscc.h"
#include "core/utf8.h"
#include "core/xalloc.h"
#include "core/xlsx_read.h"

/* Header spellings seen in district tables, main spelling first. */
static const struct {
	enum import_col col;
	const char *names[4];
} headers[] = {
	{ IMPORT_USCC, { "统一社会信用代码", "社会信用代码", "信用代码", "USCC" } },
	{ IMPORT_NAME, { "企业名称", "企业名", "单位名称", NULL } },
	{ IMPORT_DISTRICT, { "区镇", "所在区镇", "区镇名称", NULL } },
	{ IMPORT_INDUSTRY, { "行业", "所属行业", NULL, NULL } },
	{ IMPORT_ABOVE_SCALE, { "规模以上", "是否规模以上", NULL, NULL } },
	{ IMPORT_ESTABLISHED, { "成立日期", "成立时间", NULL, NULL } },
	{ IMPORT_INDEPENDENT, { "独立法人", "是否独立法人", NULL, NULL } },
	{ IMPORT_PRODUCTS, { "主要产品", NULL, NULL, NULL } },
	{ IMPORT_REVENUE, { "去年销售收入", "销售收入", NULL, NULL } },
	{ IMPORT_EMPLOYEES, { "职工人数", "员工人数", NULL, NULL } },
	{ IMPORT_CONTACT, { "联系人", NULL, NULL, NULL } },
	{ IMPORT_PHONE, { "电话", "联系电话", NULL, NULL } },
};

/* Columns our own exports add that an import reads past. */
static const char *const ignored_headers[] = {
	"序号", "贯标年度", "贯标状态", "示范级别", "示范状态", "服务机构",
};

const char *import_sheet_col_name(enum import_col c)
{
	for (size_t i = 0; i < sizeof(headers) / sizeof(headers[0]); i++)
		if (headers[i].col == c)
			return headers[i].names[0];
	return "?";
}

/* Append a string to a growing array of strings. */
static void push(char ***arr, size_t *n, size_t *cap, char *s)
{
	if (*n == *cap) {
		*cap = *cap ? *cap * 2 : 16;
		*arr = xreallocarray(*arr, *cap, sizeof(**arr));
	}
	(*arr)[(*n)++] = s;
}

void import_sheet_problem(struct import_sheet *sheet, const char *label, size_t line,
			  const char *col, const char *fmt, ...)
{
	va_list ap;
	char reason[512];

	size_t cap = sheet->pcap;

	va_start(ap, fmt);
	vsnprintf(reason, sizeof(reason), fmt, ap);
	va_end(ap);
	push(&sheet->problems, &sheet->nproblems, &sheet->pcap,
	     col ? xasprintf("%s:%zu: %s: %s", label, line, col, reason)
		 : xasprintf("%s:%zu: %s", label, line, reason));
	if (sheet->pcap != cap)
		sheet->problem_lines = xreallocarray(sheet->problem_lines, sheet->pcap,
						     sizeof(*sheet->problem_lines));
	sheet->problem_lines[sheet->nproblems - 1] = line;
}

void import_sheet_sort_problems(struct import_sheet *sheet)
{
	for (size_t i = 1; i < sheet->nproblems; i++) {
		size_t line = sheet->problem_lines[i], j = i;
		char *text = sheet->problems[i];

		if (sheet->problem_lines[i - 1] <= line)
			continue;
		while (j > 0 && sheet->problem_lines[j - 1] > line) {
			sheet->problem_lines[j] = sheet->problem_lines[j - 1];
			sheet->problems[j] = sheet->problems[j - 1];
			j--;
		}
		sheet->problem_lines[j] = line;
		sheet->problems[j] = text;
	}
}

void import_sheet_note(struct import_sheet *sheet, const char *label, size_t line,
		       const char *what)
{
	push(&sheet->notes, &sheet->nnotes, &sheet->ncap,
	     xasprintf("%s:%zu: %s", label, line, what));
}

void import_sheet_free(struct import_sheet *sheet)
{
	for (size_t i = 0; i < sheet->nproblems; i++)
		free(sheet->problems[i]);
	for (size_t i = 0; i < sheet->nnotes; i++)
		free(sheet->notes[i]);
	free(sheet->problems);
	free(sheet->problem_lines);
	free(sheet->notes);
	memset(sheet, 0, sizeof(*sheet));
}

/* The line an officer's editor shows for byte offset off. */
static size_t line_of(const char *bytes, size_t off)
{
	size_t line = 1;

	for (size_t i = 0; i < off; i++)
		if (bytes[i] == '\n')
			line++;
	return line;
}

/* Decode the file into UTF-8 text at *text (*text_len bytes, not
 * NUL-terminated).  Strict UTF-8 is read where it is, after its BOM; other
 * encodings are converted into *owned, which the caller frees.  False with a
 * problem when the bytes are not text in a supported encoding. */
static bool decode(const char *label, const char *bytes, size_t len, enum enc_kind enc,
		   struct import_sheet *sheet, const char **text, size_t *text_len,
		   char **owned)
{
	struct enc_error err = { 0 };
	size_t bom = 0, utf8_bad = 0;
	bool auto_detect = enc == ENC_UNKNOWN;
	bool has_bom = len >= 3 && memcmp(bytes, "\xef\xbb\xbf", 3) == 0;
	size_t start = has_bom ? 3 : 0;
	const char *nul;

	*owned = NULL;
	if (auto_detect && !enc_detect(bytes, len, &enc, &bom, &err)) {
		import_sheet_problem(sheet, label, 1, NULL, "%s", err.message);
		return false;
	}
	if (enc == ENC_UTF8 && has_bom)
		enc = ENC_UTF8_BOM;
	/* Valid UTF-8 holds no NUL; enc_detect has checked every byte when it
	 * says ENC_UTF8.  Anything else takes the checks below, which say
	 * what is wrong and where. */
	if ((enc == ENC_UTF8 || enc == ENC_UTF8_BOM) &&
	    ((auto_detect && enc == ENC_UTF8) || utf8_validate(bytes + start, len - start, NULL))) {
		sheet->encoding = enc;
		*text = bytes + start;
		*text_len = len - start;
		return true;
	}
	nul = memchr(bytes, '\0', len);
	if (nul != NULL) {
		import_sheet_problem(sheet, label, line_of(bytes, (size_t)(nul - bytes)), NULL,
				     "字节偏移 %zu 处是 NUL 字节：文件可能是 UTF-16 编码或二进制文件；"
				     "请另存为 UTF-8 或 GB18030 编码的 CSV",
				     (size_t)(nul - bytes));
		return false;
	}
	sheet->encoding = enc;
	*owned = enc_to_utf8(bytes, len, enc, text_len, &err);
	*text = *owned;
	if (*owned != NULL)
		return true;
	/* Detection tried UTF-8 first: report the reading that got further. */
	if (auto_detect && enc == ENC_GB18030 && !utf8_validate(bytes, len, &utf8_bad) &&
	    utf8_bad >= err.offset) {
		struct enc_error u8 = { 0 };
		char *again = enc_to_utf8(bytes, len, ENC_UTF8, text_len, &u8);

		free(again);
		import_sheet_problem(sheet, label, line_of(bytes, utf8_bad), NULL,
				     "%s（按 GB18030 读也不行：%s）", u8.message, err.message);
	} else {
		import_sheet_problem(sheet, label, line_of(bytes, err.offset), NULL, "%s%s",
				     err.message, auto_detect ? "（也不是有效的 UTF-8）" : "");
	}
	return false;
}

/* How many bytes at p a header key leaves out: an ASCII space, tab or line
 * break (1), U+3000 ideographic space (3), or 0 for a byte it keeps. */
static size_t key_drops(const char *p)
{
	if (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
		return 1;
	return strncmp(p, "\xe3\x80\x80", 3) == 0 ? 3 : 0;
}

/* A header cell reduced to its words: no spaces (ASCII or full-width),
 * no line breaks, no unit such as "（万元）" or "(人)".  Caller frees. */
static char *header_key(const char *s)
{
	char *k = xmalloc(strlen(s) + 1);
	size_t o = 0;
	const char *paren;

	for (const char *p = s; *p; ) {
		size_t drop = key_drops(p);

		if (drop == 0)
			k[o++] = *p;
		p += drop > 0 ? drop : 1;
	}
	k[o] = '\0';
	paren = strstr(k, "（");
	if (paren == NULL)
		paren = strchr(k, '(');
	if (paren != NULL && paren != k)
		k[paren - k] = '\0';
	return k;
}

/* Which column a header names: 0..IMPORT_NCOLS-1, -1 ignored, -2 unknown. */
static int header_col(const char *cell)
{
	char *k = header_key(cell);
	int col = -2;

	for (size_t i = 0; i < sizeof(headers) / sizeof(headers[0]) && col == -2; i++)
		for (size_t j = 0; j < 4 && headers[i].names[j]; j++)
			if (strcmp(k, headers[i].names[j]) == 0)
				col = (int)headers[i].col;
	for (size_t i = 0; i < sizeof(ignored_headers) / sizeof(ignored_headers[0]); i++)
		if (col == -2 && strcmp(k, ignored_headers[i]) == 0)
			col = -1;
	if (col == -2 && k[0] == '\0')
		col = -1;
	free(k);
	return col;
}

static bool record_blank(const struct csv_record *rec)
{
	for (size_t i = 0; i < rec->nfields; i++)
		if (rec->lens[i] > 0)
			return false;
	return true;
}

/* The first three bytes of the key header_key makes of s (fewer when the
 * key is shorter), found without making it: enough to tell that a data
 * cell is no header or heading.  Returns how many it found. */
static size_t key_head(const char *s, char head[3])
{
	size_t k = 0;

	for (const char *p = s; *p && k < 3; ) {
		size_t drop = key_drops(p);

		if (drop == 0)
			head[k++] = *p;
		p += drop > 0 ? drop : 1;
	}
	return k;
}

/* Every spelling of the name header (企业名称, 企业名, 单位名称) starts with
 * 企 or 单 and has 名, and header_key only drops spaces and a trailing
 * unit: a cell whose key starts otherwise cannot be one, and the check of
 * each data row stays cheap. */
static bool record_is_header(const struct csv_record *rec)
{
	char head[3];

	for (size_t i = 0; i < rec->nfields; i++)
		if (key_head(rec->fields[i], head) == 3 &&
		    (memcmp(head, "企", 3) == 0 || memcmp(head, "单", 3) == 0) &&
		    strstr(rec->fields[i], "名") != NULL && header_col(rec->fields[i]) == IMPORT_NAME)
			return true;
	return false;
}

/* A heading typed into one (merged) cell goes on after the district:
 * "区镇：张浦镇　业务负责人：王五…".  Cut d at the next label. */
static void cut_at_next_label(char *d)
{
	static const char *const labels[] = { "业务负责人", "负责人", "联系方式", "联系人", "电话" };

	for (size_t i = 0; i < sizeof(labels) / sizeof(labels[0]); i++) {
		char *at = strstr(d, labels[i]);

		if (at != NULL && at != d)
			*at = '\0';
	}
}

/* A 附件2 heading line: "区镇,昆山开发区,业务负责人,…" or "区镇：昆山开发区".
 * Returns the district named (a new string) or NULL.  Caller frees. */
static char *heading_district(const struct csv_record *rec)
{
	size_t i = 0;
	char *k, *d = NULL, head[3];
	const char *rest;

	while (i < rec->nfields && rec->lens[i] == 0)
		i++;
	/* The key starts with 区镇, so the cell has both (cheap for data rows). */
	if (i == rec->nfields || key_head(rec->fields[i], head) < 3 ||
	    memcmp(head, "区", 3) != 0 || strstr(rec->fields[i], "镇") == NULL)
		return NULL;
	k = header_key(rec->fields[i]);
	if (strncmp(k, "区镇", 6) != 0) {
		free(k);
		return NULL;
	}
	rest = k + 6;
	if (strncmp(rest, "：", 3) == 0)
		rest += 3;
	else if (*rest == ':')
		rest++;
	if (*rest != '\0') {
		d = xstrdup(rest);
		cut_at_next_label(d);
	} else {
		for (size_t j = i + 1; j < rec->nfields && d == NULL; j++)
			if (rec->lens[j] > 0)
				d = header_key(rec->fields[j]);
	}
	free(k);
	return d;
}

/* Where each import column is in the records (-1 = absent). */
struct colmap {
	int at[IMPORT_NCOLS];
	size_t width;
	size_t line;
};

static bool map_header(const char *label, const struct csv_record *rec,
		       struct import_sheet *sheet, struct colmap *m)
{
	bool ok = true;

	for (int c = 0; c < IMPORT_NCOLS; c++)
		m->at[c] = -1;
	m->width = rec->nfields;
	m->line = rec->line;
	for (size_t i = 0; i < rec->nfields; i++) {
		int c = header_col(rec->fields[i]);

		if (c == -2) {
			char *what = xasprintf("第 %zu 列“%s”不是可导入的列，已忽略", i + 1,
					       rec->fields[i]);

			import_sheet_note(sheet, label, rec->line, what);
			free(what);
		} else if (c >= 0 && m->at[c] >= 0) {
			import_sheet_problem(sheet, label, rec->line, import_sheet_col_name(c),
					     "这一列出现了两次（第 %d 列和第 %zu 列）", m->at[c] + 1,
					     i + 1);
			ok = false;
		} else if (c >= 0) {
			m->at[c] = (int)i;
		}
	}
	for (int c = 0; c < IMPORT_NCOLS; c++)
		sheet->has[c] = m->at[c] >= 0;
	return ok;
}

/* --- cell checks: each returns NULL when good, else the reason --- */

/* A row's normalised values go one after another, each NUL-terminated,
 * into one buffer kept from row to row (no allocation per cell): a check
 * puts its value there and says at which offset it starts. */
static size_t val_put(struct csv_out *vals, const char *s, size_t n)
{
	size_t at = vals->len;

	csv_out_append(vals, s, n);
	vals->len++;	/* the NUL belongs to the value */
	return at;
}

/* Where a check's value went: VAL_NONE for no value. */
#define VAL_NONE ((size_t)-1)

/* Spaces around a number, code or name typed in Excel are not part of it:
 * s without them is *n bytes from the pointer returned. */
static const char *trim(const char *s, size_t *n)
{
	size_t len;

	while (*s == ' ')
		s++;
	len = strlen(s);
	while (len > 0 && s[len - 1] == ' ')
		len--;
	*n = len;
	return s;
}

static bool span_is(const char *s, size_t n, const char *word)
{
	return strlen(word) == n && memcmp(s, word, n) == 0;
}

static const char *check_text(const char *s, struct csv_out *vals, size_t *out)
{
	const char *v = csv_unneutralise(s);

	*out = val_put(vals, v, strlen(v));
	return NULL;
}

/* The database keeps names without surrounding spaces: so does the import,
 * or every re-import would "change" them. */
static const char *check_name(const char *s, struct csv_out *vals, size_t *out)
{
	size_t n, at;
	const char *t = trim(s, &n);
	const char *v;

	at = val_put(vals, t, n);
	v = csv_unneutralise(vals->data + at);
	if (*v == '\0')
		return "不能为空";
	*out = at + (size_t)(v - (vals->data + at));
	return NULL;
}

/* The common case, a valid code (lower case accepted), is known by its
 * check character alone; anything else goes to uscc_validate, which says
 * what is wrong. */
static const char *check_uscc(const char *s, struct csv_out *vals, size_t *out, char *why,
			      size_t whysize)
{
	struct uscc_result r;
	size_t n, at;
	const char *t = trim(s, &n);
	char code[19];
	bool ok;

	if (n == 18) {
		for (size_t i = 0; i < 18; i++)
			code[i] = t[i] >= 'a' && t[i] <= 'z' ? (char)(t[i] - 'a' + 'A') : t[i];
		code[18] = '\0';
		if (uscc_check_char(code) == code[17]) {
			*out = val_put(vals, code, 18);
			return NULL;
		}
	}
	at = val_put(vals, t, n);
	ok = uscc_validate(vals->data + at, &r);
	if (!ok) {
		snprintf(why, whysize, "%s", r.message);
		return why;
	}
	*out = val_put(vals, r.code, strlen(r.code));
	return NULL;
}

static const char *check_bool(const char *s, struct csv_out *vals, size_t *out)
{
	size_t n;
	const char *t = trim(s, &n);

	if (span_is(t, n, "是") || span_is(t, n, "Y") || span_is(t, n, "y"))
		*out = val_put(vals, "true", 4);
	else if (span_is(t, n, "否") || span_is(t, n, "N") || span_is(t, n, "n"))
		*out = val_put(vals, "false", 5);
	else
		return "应填“是”或“否”";
	return NULL;
}

/* The value of n decimal digits (n <= 9: no overflow). */
static int digits_value(const char *s, size_t n)
{
	int v = 0;

	for (size_t i = 0; i < n; i++)
		v = v * 10 + (s[i] - '0');
	return v;
}

/* True when the n bytes at s are ASCII digits. */
static bool all_digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

static const char *check_revenue(const char *s, struct csv_out *vals, size_t *out)
{
	size_t n;
	const char *t = trim(s, &n);
	size_t at = val_put(vals, t, n);

	if (!csv_is_number(vals->data + at))
		return "不是数字（以万元为单位，如 1234.5）";
	if (t[0] == '-')
		return "销售收入不能为负数";
	*out = at;
	return NULL;
}

static const char *check_employees(const char *s, struct csv_out *vals, size_t *out)
{
	size_t n;
	const char *t = trim(s, &n);

	if (n == 0 || n > 9 || !all_digits(t, n))
		return "应为正整数";
	if (digits_value(t, n) == 0)
		return "职工人数不能为零";
	*out = val_put(vals, t, n);
	return NULL;
}

/* Days in month mo (1..12) of year y, proleptic Gregorian as mktime. */
static int days_in_month(int y, int mo)
{
	static const int days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

	return mo == 2 && leap ? 29 : days[mo - 1];
}

/* Today's local date as YYYY-MM-DD, worked out again only when the clock
 * has moved on a second: localtime reads the time zone file on every call,
 * which cost more than the rest of a row's checks. */
static const char *today_date(void)
{
	static char today[11];
	static time_t at = -1;
	time_t now = time(NULL);

	if (now != at) {
		strftime(today, sizeof(today), "%Y-%m-%d", localtime(&now));
		at = now;
	}
	return today;
}

/* A date as YYYY-MM-DD, YYYY/MM/DD or YYYY.MM.DD (what sscanf's
 * "%4d%c%2d%c%2d" takes, such as 2010-1-5 or a sign; the plain form is
 * read without it, the same way).  False when it is not one. */
static bool parse_date(const char *t, size_t n, int *y, int *mo, int *d, struct csv_out *vals)
{
	char sep1, sep2;
	int used = 0;
	size_t at;

	if (n == 10 && all_digits(t, 4) && all_digits(t + 5, 2) && all_digits(t + 8, 2) &&
	    t[4] == t[7] && (t[4] == '-' || t[4] == '/' || t[4] == '.')) {
		*y = digits_value(t, 4);
		*mo = digits_value(t + 5, 2);
		*d = digits_value(t + 8, 2);
		return true;
	}
	at = val_put(vals, t, n);
	t = vals->data + at;
	return sscanf(t, "%4d%c%2d%c%2d%n", y, &sep1, mo, &sep2, d, &used) == 5 &&
	       t[used] == '\0' && sep1 == sep2 && (sep1 == '-' || sep1 == '/' || sep1 == '.');
}

/* v (0 <= v < 10^width) in width digits at o, as %0*d; returns the end. */
static char *put_digits(char *o, int v, int width)
{
	for (int i = width - 1; i >= 0; i--, v /= 10)
		o[i] = (char)('0' + v % 10);
	return o + width;
}

/* The date as YYYY-MM-DD, not after today (snprintf only for a year
 * before 0, which sscanf lets through). */
static const char *check_date(const char *s, struct csv_out *vals, size_t *out)
{
	size_t n;
	const char *t = trim(s, &n);
	int y, mo, d;
	char date[32];

	if (!parse_date(t, n, &y, &mo, &d, vals))
		return "日期格式应为 YYYY-MM-DD";
	if (mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, mo))
		return "不是有效的日期";
	if (y >= 0 && y <= 9999) {
		char *p = put_digits(date, y, 4);

		*p++ = '-';
		p = put_digits(p, mo, 2);
		*p++ = '-';
		p = put_digits(p, d, 2);
		*p = '\0';
	} else {
		snprintf(date, sizeof(date), "%04d-%02d-%02d", y, mo, d);
	}
	if (strcmp(date, today_date()) > 0)
		return "成立日期不能晚于今天";
	*out = val_put(vals, date, strlen(date));
	return NULL;
}

static const char *check_industry(const char *s, struct csv_out *vals, size_t *out)
{
	size_t n;
	const char *t = trim(s, &n);

	if (!span_is(t, n, "制造业") && !span_is(t, n, "生产性服务业") && !span_is(t, n, "其他"))
		return "应为“制造业”、“生产性服务业”或“其他”";
	*out = val_put(vals, t, n);
	return NULL;
}

/* Check one cell into vals at *out; NULL when good, else the reason. */
static const char *check_cell(enum import_col c, const char *s, struct csv_out *vals,
			      size_t *out, char *why, size_t whysize)
{
	switch (c) {
	case IMPORT_USCC: return check_uscc(s, vals, out, why, whysize);
	case IMPORT_ABOVE_SCALE:
	case IMPORT_INDEPENDENT: return check_bool(s, vals, out);
	case IMPORT_ESTABLISHED: return check_date(s, vals, out);
	case IMPORT_INDUSTRY: return check_industry(s, vals, out);
	case IMPORT_REVENUE: return check_revenue(s, vals, out);
	case IMPORT_EMPLOYEES: return check_employees(s, vals, out);
	case IMPORT_NAME: return check_name(s, vals, out);
	default: return check_text(s, vals, out);
	}
}

/* A USCC seen on a line, to find the same enterprise twice in one file. */
struct seen {
	char code[19];
	uint32_t hash;
	size_t line;
};

struct reading {
	const char *label;
	struct import_source *src;
	struct import_sheet *sheet;
	import_row_fn fn;
	void *ctx;
	struct colmap map;
	char *district;		/* from the last 附件2 heading */
	struct csv_out vals;	/* the current row's values */
	struct seen *seen;
	size_t nseen, seencap;
};

static uint32_t code_hash(const char *code)
{
	uint32_t h = 2166136261u;	/* FNV-1a */

	for (size_t i = 0; i < 18; i++)
		h = (h ^ (unsigned char)code[i]) * 16777619u;
	/* Mix the high bits into the low ones, which pick the slot. */
	h ^= h >> 16;
	h *= 0x85ebca6bu;
	h ^= h >> 13;
	return h;
}

/* Note a good row's code for report_duplicates. */
static void seen_add(struct reading *rd, const char *code, size_t line)
{
	if (rd->nseen == UINT32_MAX)
		fatal("import: too many rows");
	if (rd->nseen == rd->seencap) {
		rd->seencap = rd->seencap ? rd->seencap * 2 : 1024;
		rd->seen = xreallocarray(rd->seen, rd->seencap, sizeof(*rd->seen));
	}
	memcpy(rd->seen[rd->nseen].code, code, 19);
	rd->seen[rd->nseen].hash = code_hash(code);
	rd->seen[rd->nseen++].line = line;
}

/* The record has nothing in column c (or the file has no such column). */
static bool cell_empty(const struct reading *rd, const struct csv_record *rec, enum import_col c)
{
	int at = rd->map.at[c];

	return at < 0 || (size_t)at >= rec->nfields || rec->lens[at] == 0;
}

/* Excel's day number (how a date cell is stored) as YYYY-MM-DD: day 1 is
 * 1900-01-01, and Excel counts a 1900-02-29 that never was (day 60);
 * 1904-based workbooks count from 1904-01-01 as day 0. */
static bool serial_date(const char *s, bool date1904, char out[32])
{
	struct tm tm = { .tm_hour = 12 };
	char *end;
	long n;

	if (*s < '0' || *s > '9')
		return false;
	n = strtol(s, &end, 10);
	if (*end == '.')
		end += 1 + strspn(end + 1, "0123456789");
	if (*end != '\0' || n > 2958465 || (!date1904 && (n < 1 || n == 60)))
		return false;
	tm.tm_year = date1904 ? 4 : -1;
	tm.tm_mon = date1904 ? 0 : 11;
	tm.tm_mday = (int)n + (date1904 ? 1 : n < 60 ? 31 : 30);
	if (timegm(&tm) == (time_t)-1)
		return false;
	snprintf(out, 32, "%04d-%02d-%02d", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
	return true;
}

/* A cell as typed in an XLSX file: the text to check in *s (a date's day
 * number turned into a date, a boolean into 是/否, an amount to the 15
 * digits Excel keeps: libxlsxwriter stores 633.93 as 633.9299999999999),
 * or why the cell cannot be right whatever it shows.  buf holds 32 bytes. */
static const char *typed_cell(const struct reading *rd, enum import_col c, int at,
			      const char **s, char *buf, char *why, size_t whysize)
{
	unsigned char k = rd->src->kinds != NULL ? rd->src->kinds[at] : XLSX_TEXT;

	if (k == XLSX_ERROR) {
		snprintf(why, whysize, "单元格是公式的错误值 %s", *s);
		return why;
	}
	if (k == XLSX_NUMBER && c == IMPORT_USCC) {
		snprintf(why, whysize, "单元格存成了数字（%s），而统一社会信用代码必须是文本："
			 "Excel 的数字只保留 15 位，代码可能已经变了；请把这一列设为“文本”格式后重新填写",
			 *s);
		return why;
	}
	if (k == XLSX_NUMBER && c == IMPORT_ESTABLISHED && serial_date(*s, rd->src->date1904, buf))
		*s = buf;
	if (k == XLSX_NUMBER && (c == IMPORT_REVENUE || c == IMPORT_EMPLOYEES)) {
		char *end;
		double v = strtod(*s, &end);

		if (*end == '\0' && end != *s && snprintf(buf, 32, "%.15g", v) < 32 &&
		    csv_is_number(buf))
			*s = buf;
	}
	if (k == XLSX_BOOL && (c == IMPORT_ABOVE_SCALE || c == IMPORT_INDEPENDENT))
		*s = strcmp(*s, "TRUE") == 0 ? "是" : "否";
	return NULL;
}

/* Check and hand on one data record. */
static void data_row(struct reading *rd, const struct csv_record *rec)
{
	struct import_sheet *sheet = rd->sheet;
	struct import_row row = { .line = rec->line };
	size_t before = sheet->nproblems;
	size_t at[IMPORT_NCOLS];
	bool even = rec->nfields == rd->map.width ||
		    (rd->src->sparse && rec->nfields < rd->map.width);
	char why[256], buf[32];

	sheet->nrows++;
	rd->vals.len = 0;
	for (int c = 0; c < IMPORT_NCOLS; c++)
		at[c] = VAL_NONE;
	if (!even && rd->src->sparse)
		import_sheet_problem(sheet, rd->label, rec->line, NULL,
				     "第 %zu 列有内容，但第 %zu 行的表头只有 %zu 列",
				     rec->nfields, rd->map.line, rd->map.width);
	else if (!even)
		import_sheet_problem(sheet, rd->label, rec->line, NULL,
				     "这一行有 %zu 个字段，而第 %zu 行的表头有 %zu 个",
				     rec->nfields, rd->map.line, rd->map.width);
	/* Every bad cell of the row is reported, unless the row is ragged
	 * (its cells would be taken for the wrong columns). */
	for (int c = 0; c < IMPORT_NCOLS && even; c++) {
		int col = rd->map.at[c];
		const char *reason, *s;

		if (col < 0 || (size_t)col >= rec->nfields || rec->lens[col] == 0)
			continue;
		s = rec->fields[col];
		reason = typed_cell(rd, c, col, &s, buf, why, sizeof(why));
		if (reason == NULL)
			reason = check_cell(c, s, &rd->vals, &at[c], why, sizeof(why));
		if (reason != NULL)
			import_sheet_problem(sheet, rd->label, rec->line,
					     import_sheet_col_name(c), "%s", reason);
	}
	if (even && cell_empty(rd, rec, IMPORT_NAME))
		import_sheet_problem(sheet, rd->label, rec->line,
				     import_sheet_col_name(IMPORT_NAME), "不能为空");
	if (even && rd->map.at[IMPORT_USCC] >= 0 && cell_empty(rd, rec, IMPORT_USCC))
		import_sheet_problem(sheet, rd->label, rec->line,
				     import_sheet_col_name(IMPORT_USCC), "不能为空");
	if (at[IMPORT_DISTRICT] == VAL_NONE && rd->district != NULL)
		at[IMPORT_DISTRICT] = val_put(&rd->vals, rd->district, strlen(rd->district));
	/* The values are in place: only now can they be pointed at. */
	for (int c = 0; c < IMPORT_NCOLS; c++)
		row.v[c] = at[c] == VAL_NONE ? NULL : rd->vals.data + at[c];
	if (sheet->nproblems == before && row.v[IMPORT_USCC] != NULL)
		seen_add(rd, row.v[IMPORT_USCC], rec->line);
	if (sheet->nproblems == before && rd->fn != NULL)
		rd->fn(&row, rd->ctx);
	if (sheet->nproblems != before)
		sheet->nbad++;
}

static int by_code_then_line(const void *a, const void *b)
{
	const struct seen *x = a, *y = b;
	int c = strcmp(x->code, y->code);

	return c != 0 ? c : (x->line > y->line) - (x->line < y->line);
}

/* Codes with the same hash (keys[0..n), in line order): each later line
 * of a code is reported against the one before it. */
static void report_same_hash(struct reading *rd, const uint64_t *keys, size_t n)
{
	struct seen *run = xreallocarray(NULL, n, sizeof(*run));

	for (size_t i = 0; i < n; i++)
		run[i] = rd->seen[(uint32_t)keys[i]];
	qsort(run, n, sizeof(*run), by_code_then_line);
	for (size_t i = 1; i < n; i++) {
		if (strcmp(run[i].code, run[i - 1].code) != 0)
			continue;
		import_sheet_problem(rd->sheet, rd->label, run[i].line,
				     import_sheet_col_name(IMPORT_USCC),
				     "%s 与第 %zu 行重复", run[i].code, run[i - 1].line);
		rd->sheet->nbad++;
	}
	free(run);
}

/* The same USCC on two lines: report the later ones.  The codes are put in
 * order of their hash by a radix sort, which reads and writes memory in
 * sequence (a hash table's look-up per row missed the cache every time);
 * only the few with the same hash are compared. */
static void report_duplicates(struct reading *rd)
{
	size_t n = rd->nseen, count[256];
	uint64_t *keys, *tmp;

	if (n < 2)
		return;
	keys = xreallocarray(NULL, n, sizeof(*keys));
	tmp = xreallocarray(NULL, n, sizeof(*tmp));
	for (size_t i = 0; i < n; i++)
		keys[i] = (uint64_t)rd->seen[i].hash << 32 | i;
	/* Stable, byte by byte from the hash's lowest: the lines of one
	 * code stay in file order. */
	for (int shift = 32; shift < 64; shift += 8) {
		uint64_t *swap;
		size_t at = 0;

		memset(count, 0, sizeof(count));
		for (size_t i = 0; i < n; i++)
			count[keys[i] >> shift & 0xFF]++;
		for (size_t b = 0; b < 256; b++) {
			size_t c = count[b];

			count[b] = at;
			at += c;
		}
		for (size_t i = 0; i < n; i++)
			tmp[count[keys[i] >> shift & 0xFF]++] = keys[i];
		swap = keys;
		keys = tmp;
		tmp = swap;
	}
	for (size_t i = 0, j; i < n; i = j) {
		for (j = i + 1; j < n && keys[j] >> 32 == keys[i] >> 32; j++)
			continue;
		if (j - i > 1)
			report_same_hash(rd, keys + i, j - i);
	}
	free(keys);
	free(tmp);
}

/* In a 附件2 table, a line with only its first cell filled and that not a
 * number (序号 is): the title of the next district's table. */
static bool record_is_title(const struct csv_record *rec)
{
	for (size_t i = 1; i < rec->nfields; i++)
		if (rec->lens[i] > 0)
			return false;
	return !csv_is_number(rec->fields[0]);
}

/* Walk the records: titles and 区镇 headings, a header, data rows. */
static bool walk(struct reading *rd)
{
	struct csv_record rec;
	struct csv_error err;
	enum csv_status st;
	bool in_data = false, header_seen = false, ok = true;

	while ((st = rd->src->next(rd->src->state, &rec, &err)) == CSV_ROW) {
		char *district = NULL;

		if (record_blank(&rec))
			continue;
		if (record_is_header(&rec)) {
			ok = map_header(rd->label, &rec, rd->sheet, &rd->map) && ok;
			in_data = header_seen = true;
			if (rd->sheet->layout == IMPORT_LAYOUT_PLAIN && rd->map.at[IMPORT_USCC] < 0) {
				import_sheet_problem(rd->sheet, rd->label, rec.line,
						     import_sheet_col_name(IMPORT_USCC),
						     "缺少这一列（附件2 格式以外的表格须有统一社会信用代码列）");
				ok = false;
			}
		} else if ((district = heading_district(&rec)) != NULL) {
			free(rd->district);
			rd->district = district;
			rd->sheet->layout = IMPORT_LAYOUT_ANNEX2;
			in_data = false;
		} else if (rd->sheet->layout == IMPORT_LAYOUT_ANNEX2 && record_is_title(&rec)) {
			in_data = false;
		} else if (in_data && ok) {
			data_row(rd, &rec);
		}
	}
	if (st == CSV_ERROR) {
		import_sheet_problem(rd->sheet, rd->label, err.line, NULL, "%s", err.message);
		ok = false;
	} else if (!header_seen) {
		import_sheet_problem(rd->sheet, rd->label, 1, NULL,
				     "找不到表头：需要有一行含“企业名称”列");
		ok = false;
	}
	return ok;
}

bool import_sheet_read_source(const char *label, struct import_source *src,
			      import_row_fn fn, void *ctx, struct import_sheet *sheet)
{
	struct reading rd = { .label = label, .src = src, .sheet = sheet, .fn = fn, .ctx = ctx };
	bool ok;

	sheet->layout = IMPORT_LAYOUT_PLAIN;
	ok = walk(&rd);
	if (ok && sheet->nrows == 0) {
		import_sheet_problem(sheet, label, rd.map.line, NULL, "表头之后没有企业数据");
		ok = false;
	}
	report_duplicates(&rd);
	import_sheet_sort_problems(sheet);
	free(rd.seen);
	free(rd.district);
	csv_out_free(&rd.vals);
	return ok;
}

static enum csv_status csv_next(void *state, struct csv_record *rec, struct csv_error *err)
{
	return csv_read(state, rec, err);
}

bool import_sheet_read(const char *label, const char *bytes, size_t len,
		       enum enc_kind enc, import_row_fn fn, void *ctx,
		       struct import_sheet *sheet)
{
	struct csv_options opt = { .allow_ragged = true };
	struct import_source src = { .next = csv_next };
	struct csv_reader *cr;
	size_t text_len = 0;
	const char *text = NULL;
	char *owned;
	bool ok;

	sheet->layout = IMPORT_LAYOUT_PLAIN;
	if (len == 0) {
		import_sheet_problem(sheet, label, 1, NULL, "文件是空的");
		return false;
	}
	if (!decode(label, bytes, len, enc, sheet, &text, &text_len, &owned))
		return false;
	cr = csv_reader_new(text, text_len, &opt);
	src.state = cr;
	ok = import_sheet_read_source(label, &src, fn, ctx, sheet);
	csv_reader_free(&cr);
	free(owned);
	return ok;
}
