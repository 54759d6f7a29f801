#include "config.h"

#include <errno.h>
#include <expat.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

#include "core/xalloc.h"
#include "core/xlsx_read.h"

#define DEFAULT_PART_BYTES ((uint64_t)4 << 30)
#define DEFAULT_STRINGS_BYTES ((uint64_t)512 << 20)
#define DEFAULT_CELL_BYTES ((size_t)1 << 20)
#define DEFAULT_ROW_BYTES ((size_t)16 << 20)
/* The small parts (relationships, workbook) are never this big. */
#define SMALL_PART_BYTES ((uint64_t)16 << 20)
#define CHUNK 65536
#define MAX_ROW 1048576u	/* Excel's limits */
#define MAX_COL 16384u
/* Names are matched by their local part: "x:row" is "row".  No namespace
 * processing (it would cost more than all the rest of the parsing): no
 * part of an XLSX file uses one name for two things. */
#define NS_SEP ':'

/* A growable byte buffer, always NUL-terminated once used. */
struct buf {
	char *data;
	size_t len, cap;
};

/* Append n bytes, growing by doubling (cells arrive in small pieces). */
static void buf_add(struct buf *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		b->cap = (b->len + n + 1) * 2;
		b->data = xrealloc(b->data, b->cap);
	}
	memcpy(b->data + b->len, s, n);
	b->len += n;
	b->data[b->len] = '\0';
}

/* The buffer's text (an empty string when nothing was added yet). */
static char *buf_str(struct buf *b)
{
	if (b->data == NULL)
		buf_add(b, "", 0);
	return b->data;
}

/* Empty the buffer but keep its memory for the next cell or row. */
static void buf_reset(struct buf *b)
{
	b->len = 0;
	if (b->data != NULL)
		b->data[0] = '\0';
}

/* One relationship of a .rels part. */
struct rel {
	char *id, *type, *target;
};

struct rels {
	struct rel *v;
	size_t n, cap;
};

/* A worksheet the workbook lists, in tab order. */
struct sheet_ref {
	char *name, *rid;
	bool hidden;
};

/* Where text goes while a part is parsed. */
enum collect {
	COLLECT_NONE,
	COLLECT_VALUE,		/* <v> of a cell */
	COLLECT_TEXT,		/* <t> of an inline or shared string */
};

struct xlsx_reader {
	zip_t *zip;
	struct xlsx_limits lim;
	char *sheet_name;
	size_t nvisible;	/* visible worksheets */
	bool date1904;

	/* shared strings */
	char **ss;
	size_t *sslen;
	size_t nss, sscap;
	uint64_t ss_bytes;

	/* small-part parsing */
	struct rels rels;
	struct sheet_ref *sheets;
	size_t nsheets, sheetcap;

	/* the worksheet stream */
	const char *part;	/* the part being parsed, for messages */
	char *sheet_path;
	zip_file_t *zf;
	XML_Parser xp;
	uint64_t part_bytes, part_cap;
	bool suspended, final_fed, failed, done;
	char msg[256];
	size_t fail_line;

	/* parse state */
	int depth_rph;		/* inside phonetic runs: not part of the text */
	bool in_si, in_is, in_sheet_data, in_row, in_cell;
	enum collect collect;
	struct buf text;	/* the value or string being collected */
	size_t row_num;		/* current row (1-based), 0 before the first */
	size_t col;		/* current cell's column (0-based) */
	size_t next_col;
	char cell_type[12];

	/* the row being built: strings in rowbuf, offsets per column */
	struct buf rowbuf;
	size_t *off;
	unsigned char *kind;
	size_t ncols, colcap;
	size_t last_value;	/* columns up to here hold values */
	bool row_ready;
	char **cells;
	size_t *lens;
	size_t cellcap;
};

/* Stop parsing with a Chinese message; the first failure wins. */
static void fail(struct xlsx_reader *r, size_t line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void fail(struct xlsx_reader *r, size_t line, const char *fmt, ...)
{
	va_list ap;

	if (r->failed)
		return;
	r->failed = true;
	r->fail_line = line;
	va_start(ap, fmt);
	vsnprintf(r->msg, sizeof(r->msg), fmt, ap);
	va_end(ap);
	if (r->xp != NULL)
		XML_StopParser(r->xp, XML_FALSE);
}

/* The local part of a name ("x:row" -> "row"). */
static const char *local(const char *name)
{
	const char *p = strchr(name, NS_SEP);

	return p ? p + 1 : name;
}

/* An attribute by local name; want_ns: only a namespaced one (r:id). */
static const char *attr(const char **atts, const char *name, bool want_ns)
{
	for (size_t i = 0; atts[i] != NULL; i += 2) {
		bool has_ns = strchr(atts[i], NS_SEP) != NULL;

		if (has_ns == want_ns && strcmp(local(atts[i]), name) == 0)
			return atts[i + 1];
	}
	return NULL;
}

bool xlsx_looks_like(const void *bytes, size_t len)
{
	return len >= 4 && memcmp(bytes, "PK\x03\x04", 4) == 0;
}

/* OOXML never declares a DTD: refusing one also refuses every entity
 * (external ones and the "billion laughs"). */
static void on_doctype(void *ud, const XML_Char *name, const XML_Char *sysid,
		       const XML_Char *pubid, int has_internal)
{
	struct xlsx_reader *r = ud;

	fail(r, 0, "XLSX 文件的 %s 含有 DTD 声明，Excel 不会这样写，拒绝读取", r->part);
}

/* A parser for one part, with r as user data and DTDs refused. */
static XML_Parser parser_new(struct xlsx_reader *r)
{
	XML_Parser p = XML_ParserCreate(NULL);

	if (p == NULL)
		fatal("out of memory (XML parser)");
	XML_SetUserData(p, r);
	XML_SetStartDoctypeDeclHandler(p, on_doctype);
	XML_SetParamEntityParsing(p, XML_PARAM_ENTITY_PARSING_NEVER);
	return p;
}

/* Turn Excel's _xHHHH_ escapes (control characters in strings) back into
 * characters, in place; returns the new length. */
static size_t unescape_x(char *s, size_t len)
{
	size_t o = 0;

	for (size_t i = 0; i < len; ) {
		unsigned cp = 0;
		bool esc = i + 7 <= len && s[i] == '_' && s[i + 1] == 'x' && s[i + 6] == '_';

		for (size_t k = 2; esc && k < 6; k++) {
			char c = s[i + k];
			int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 :
				c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;

			esc = d >= 0;
			cp = cp * 16 + (unsigned)(d < 0 ? 0 : d);
		}
		if (!esc || (cp >= 0xD800 && cp <= 0xDFFF)) {
			s[o++] = s[i++];
			continue;
		}
		i += 7;
		if (cp == 0)
			continue;
		if (cp < 0x80) {
			s[o++] = (char)cp;
		} else if (cp < 0x800) {
			s[o++] = (char)(0xC0 | (cp >> 6));
			s[o++] = (char)(0x80 | (cp & 0x3F));
		} else {
			s[o++] = (char)(0xE0 | (cp >> 12));
			s[o++] = (char)(0x80 | ((cp >> 6) & 0x3F));
			s[o++] = (char)(0x80 | (cp & 0x3F));
		}
	}
	s[o] = '\0';
	return o;
}

/* Text inside the element being collected, up to the cell limit. */
static void on_text(void *ud, const XML_Char *s, int len)
{
	struct xlsx_reader *r = ud;

	if (r->collect == COLLECT_NONE || r->depth_rph > 0)
		return;
	if (r->text.len + (size_t)len > r->lim.max_cell_bytes) {
		fail(r, r->row_num, "%s 中有一个单元格的文字超过 %zu 字节上限", r->part,
		     r->lim.max_cell_bytes);
		return;
	}
	buf_add(&r->text, s, (size_t)len);
}

/* --- opening parts --- */

/* Find a part by name (exact, then ignoring case as Excel does). */
static bool locate(struct xlsx_reader *r, const char *path, zip_uint64_t *index)
{
	zip_int64_t i = zip_name_locate(r->zip, path, 0);

	if (i < 0)
		i = zip_name_locate(r->zip, path, ZIP_FL_NOCASE);
	if (i < 0)
		return false;
	*index = (zip_uint64_t)i;
	return true;
}

/* Open a part for reading, refusing encrypted and oversized ones. */
static zip_file_t *open_part(struct xlsx_reader *r, const char *path, uint64_t cap)
{
	zip_uint64_t index;
	zip_stat_t st;
	zip_file_t *zf;

	r->part = path;
	if (!locate(r, path, &index)) {
		fail(r, 0, "XLSX 文件不完整：缺少 %s", path);
		return NULL;
	}
	if (zip_stat_index(r->zip, index, 0, &st) != 0) {
		fail(r, 0, "XLSX 文件已损坏：读不出 %s 的目录信息（%s）", path, zip_strerror(r->zip));
		return NULL;
	}
	if ((st.valid & ZIP_STAT_ENCRYPTION_METHOD) && st.encryption_method != ZIP_EM_NONE) {
		fail(r, 0, "XLSX 文件加了密码，无法读取：请在 Excel 中取消密码后另存再导入");
		return NULL;
	}
	if ((st.valid & ZIP_STAT_SIZE) && st.size > cap) {
		fail(r, 0, "XLSX 文件中的 %s 解压后有 %" PRIu64 " 字节，超过 %" PRIu64
		     " 字节上限（可能是恶意构造的压缩文件）", path, (uint64_t)st.size, cap);
		return NULL;
	}
	zf = zip_fopen_index(r->zip, index, 0);
	if (zf == NULL)
		fail(r, 0, "XLSX 文件中的 %s 无法解压（%s）", path, zip_strerror(r->zip));
	r->part_bytes = 0;
	r->part_cap = cap;
	return zf;
}

/* Read up to CHUNK bytes of the part into the parser and parse them.
 * Returns the parser's status; sets final_fed at the end of the part. */
static enum XML_Status feed(struct xlsx_reader *r)
{
	void *b = XML_GetBuffer(r->xp, CHUNK);
	zip_int64_t n;

	if (b == NULL)
		fatal("out of memory (XML buffer)");
	n = zip_fread(r->zf, b, CHUNK);
	if (n < 0) {
		fail(r, r->row_num, "XLSX 文件已损坏或不完整：%s 解压出错（%s）", r->part,
		     zip_file_strerror(r->zf));
		return XML_STATUS_ERROR;
	}
	r->part_bytes += (uint64_t)n;
	if (r->part_bytes > r->part_cap) {
		fail(r, r->row_num, "XLSX 文件中的 %s 解压后超过 %" PRIu64
		     " 字节上限（可能是恶意构造的压缩文件）", r->part, r->part_cap);
		return XML_STATUS_ERROR;
	}
	r->final_fed = n == 0;
	return XML_ParseBuffer(r->xp, (int)n, r->final_fed);
}

/* After XML_STATUS_ERROR: our own failure, or the XML's. */
static void xml_failed(struct xlsx_reader *r)
{
	if (!r->failed)
		fail(r, r->row_num, "XLSX 文件中的 %s 不是有效的 XML（第 %lu 行第 %lu 列：%s）",
		     r->part, (unsigned long)XML_GetCurrentLineNumber(r->xp),
		     (unsigned long)XML_GetCurrentColumnNumber(r->xp) + 1,
		     XML_ErrorString(XML_GetErrorCode(r->xp)));
}

/* Parse a whole (small) part with the handlers set on r->xp. */
static bool parse_part(struct xlsx_reader *r, const char *path, uint64_t cap)
{
	enum XML_Status st = XML_STATUS_OK;

	r->zf = open_part(r, path, cap);
	if (r->zf == NULL)
		return false;
	r->final_fed = false;
	while (st == XML_STATUS_OK && !r->final_fed)
		st = feed(r);
	if (st != XML_STATUS_OK)
		xml_failed(r);
	zip_fclose(r->zf);
	r->zf = NULL;
	r->part = "";	/* path belongs to the caller */
	return !r->failed;
}

/* --- relationships --- */

static void on_rel(void *ud, const XML_Char *name, const XML_Char **atts)
{
	struct xlsx_reader *r = ud;
	const char *id = attr(atts, "Id", false), *type = attr(atts, "Type", false);
	const char *target = attr(atts, "Target", false);

	if (strcmp(local(name), "Relationship") != 0 || !id || !type || !target)
		return;
	if (r->rels.n == r->rels.cap) {
		r->rels.cap = r->rels.cap ? r->rels.cap * 2 : 8;
		r->rels.v = xreallocarray(r->rels.v, r->rels.cap, sizeof(*r->rels.v));
	}
	r->rels.v[r->rels.n++] = (struct rel){ xstrdup(id), xstrdup(type), xstrdup(target) };
}

/* Forget the relationships of the previous .rels part. */
static void rels_free(struct rels *rs)
{
	for (size_t i = 0; i < rs->n; i++) {
		free(rs->v[i].id);
		free(rs->v[i].type);
		free(rs->v[i].target);
	}
	free(rs->v);
	memset(rs, 0, sizeof(*rs));
}

/* Load the relationships of a .rels part into r->rels (replacing them). */
static bool read_rels(struct xlsx_reader *r, const char *path)
{
	bool ok;

	rels_free(&r->rels);
	r->xp = parser_new(r);
	XML_SetStartElementHandler(r->xp, on_rel);
	ok = parse_part(r, path, SMALL_PART_BYTES);
	XML_ParserFree(r->xp);
	r->xp = NULL;
	return ok;
}

/* The relationship whose type ends in /suffix (or has the given id). */
static const struct rel *find_rel(const struct xlsx_reader *r, const char *suffix,
				  const char *id)
{
	for (size_t i = 0; i < r->rels.n; i++) {
		const struct rel *x = &r->rels.v[i];
		const char *slash = strrchr(x->type, '/');

		if (id != NULL ? strcmp(x->id, id) == 0
			       : slash != NULL && strcmp(slash + 1, suffix) == 0)
			return x;
	}
	return NULL;
}

/* A relationship target as a part name: relative to the folder of the
 * part that refers to it, "/" from the top, ".." resolved.  Caller frees. */
static char *resolve(const char *base_part, const char *target)
{
	char *path, *out;
	size_t o = 0;

	if (target[0] == '/') {
		path = xstrdup(target + 1);
	} else {
		const char *slash = strrchr(base_part, '/');
		int dir = slash ? (int)(slash - base_part + 1) : 0;

		path = xasprintf("%.*s%s", dir, base_part, target);
	}
	out = xmalloc(strlen(path) + 1);
	for (char *seg = path, *end; seg != NULL; seg = end ? end + 1 : NULL) {
		end = strchr(seg, '/');
		if (end != NULL)
			*end = '\0';
		if (strcmp(seg, "..") == 0) {
			while (o > 0 && out[o - 1] != '/')
				o--;
			if (o > 0)
				o--;
			while (o > 0 && out[o - 1] != '/')
				o--;
		} else if (*seg != '\0' && strcmp(seg, ".") != 0) {
			memcpy(out + o, seg, strlen(seg));
			o += strlen(seg);
			if (end != NULL)
				out[o++] = '/';
		}
	}
	out[o] = '\0';
	free(path);
	return out;
}

/* The .rels part that belongs to a part: xl/workbook.xml ->
 * xl/_rels/workbook.xml.rels.  Caller frees. */
static char *rels_of(const char *part)
{
	const char *slash = strrchr(part, '/');
	int dir = slash ? (int)(slash - part + 1) : 0;

	return xasprintf("%.*s_rels/%s.rels", dir, part, part + dir);
}

/* --- workbook --- */

static void on_workbook(void *ud, const XML_Char *name, const XML_Char **atts)
{
	struct xlsx_reader *r = ud;
	const char *el = local(name);

	if (strcmp(el, "workbookPr") == 0) {
		const char *v = attr(atts, "date1904", false);

		r->date1904 = v != NULL && (strcmp(v, "1") == 0 || strcmp(v, "true") == 0);
	} else if (strcmp(el, "sheet") == 0) {
		const char *sname = attr(atts, "name", false), *rid = attr(atts, "id", true);
		const char *state = attr(atts, "state", false);

		if (rid == NULL)
			return;
		if (r->nsheets == r->sheetcap) {
			r->sheetcap = r->sheetcap ? r->sheetcap * 2 : 8;
			r->sheets = xreallocarray(r->sheets, r->sheetcap, sizeof(*r->sheets));
		}
		r->sheets[r->nsheets++] = (struct sheet_ref){
			xstrdup(sname ? sname : ""), xstrdup(rid),
			state != NULL && strcmp(state, "visible") != 0 };
	}
}

/* The relationship of a listed sheet when it is a worksheet (chart
 * sheets are not tables). */
static const struct rel *worksheet_rel(const struct xlsx_reader *r, const struct sheet_ref *s)
{
	const struct rel *x = find_rel(r, NULL, s->rid);
	const char *slash = x ? strrchr(x->type, '/') : NULL;

	return slash != NULL && strcmp(slash + 1, "worksheet") == 0 ? x : NULL;
}

/* The first visible worksheet, else the first hidden one. */
static bool pick_sheet(struct xlsx_reader *r, const char *wb_part)
{
	for (size_t i = 0; i < r->nsheets; i++)
		if (!r->sheets[i].hidden && worksheet_rel(r, &r->sheets[i]) != NULL)
			r->nvisible++;
	for (int pass = 0; pass < 2 && r->sheet_path == NULL; pass++)
		for (size_t i = 0; i < r->nsheets && r->sheet_path == NULL; i++) {
			const struct rel *x = worksheet_rel(r, &r->sheets[i]);

			if ((pass == 0 && r->sheets[i].hidden) || x == NULL)
				continue;
			r->sheet_path = resolve(wb_part, x->target);
			r->sheet_name = xstrdup(r->sheets[i].name);
		}
	if (r->sheet_path == NULL)
		fail(r, 0, "XLSX 文件里没有工作表（只有图表或目录损坏）");
	return r->sheet_path != NULL;
}

/* --- shared strings --- */

static void ss_push(struct xlsx_reader *r)
{
	if (r->nss == r->sscap) {
		r->sscap = r->sscap ? r->sscap * 2 : 1024;
		r->ss = xreallocarray(r->ss, r->sscap, sizeof(*r->ss));
		r->sslen = xreallocarray(r->sslen, r->sscap, sizeof(*r->sslen));
	}
	r->sslen[r->nss] = unescape_x(buf_str(&r->text), r->text.len);
	r->ss[r->nss] = xstrndup(r->text.data, r->sslen[r->nss]);
	r->ss_bytes += r->sslen[r->nss] + 1 + sizeof(char *) + sizeof(size_t);
	r->nss++;
	if (r->ss_bytes > r->lim.max_strings_bytes)
		fail(r, 0, "XLSX 文件的共享字符串超过 %" PRIu64 " 字节上限",
		     r->lim.max_strings_bytes);
}

/* Start of an element that can hold string text (<si> or <is>): <t>
 * collects, <rPh> (phonetic guide) does not. */
static void string_start(struct xlsx_reader *r, const char *el)
{
	if (strcmp(el, "rPh") == 0)
		r->depth_rph++;
	else if (strcmp(el, "t") == 0)
		r->collect = COLLECT_TEXT;
}

/* End of an element inside <si> or <is>: see string_start(). */
static void string_end(struct xlsx_reader *r, const char *el)
{
	if (strcmp(el, "rPh") == 0 && r->depth_rph > 0)
		r->depth_rph--;
	else if (strcmp(el, "t") == 0)
		r->collect = COLLECT_NONE;
}

/* Shared strings: each <si> is one string, its runs joined. */
static void on_ss_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
	struct xlsx_reader *r = ud;
	const char *el = local(name);

	if (strcmp(el, "si") == 0) {
		r->in_si = true;
		buf_reset(&r->text);
	} else if (r->in_si) {
		string_start(r, el);
	}
}

/* The end of an <si> keeps the string collected. */
static void on_ss_end(void *ud, const XML_Char *name)
{
	struct xlsx_reader *r = ud;
	const char *el = local(name);

	if (strcmp(el, "si") == 0 && r->in_si) {
		r->in_si = false;
		ss_push(r);
	} else if (r->in_si) {
		string_end(r, el);
	}
}

/* Load the workbook's shared strings (cells refer to them by number). */
static bool read_shared_strings(struct xlsx_reader *r, const char *wb_part)
{
	const struct rel *x = find_rel(r, "sharedStrings", NULL);
	zip_uint64_t index;
	char *path;
	bool ok;

	if (x == NULL)
		return true;	/* a workbook with inline strings only */
	path = resolve(wb_part, x->target);
	/* Listed but left out: a cell that refers to one says so. */
	if (!locate(r, path, &index)) {
		free(path);
		return true;
	}
	r->xp = parser_new(r);
	XML_SetElementHandler(r->xp, on_ss_start, on_ss_end);
	XML_SetCharacterDataHandler(r->xp, on_text);
	ok = parse_part(r, path, r->lim.max_strings_bytes);
	XML_ParserFree(r->xp);
	r->xp = NULL;
	free(path);
	return ok;
}

/* --- the worksheet --- */

/* Column index of a cell reference "C7" (0-based); false when malformed
 * or beyond XFD.  *row gets the row number in it. */
static bool parse_ref(const char *ref, size_t *col, size_t *row)
{
	size_t c = 0, n = 0, i = 0;

	while (ref[i] >= 'A' && ref[i] <= 'Z' && i < 3)
		c = c * 26 + (size_t)(ref[i++] - 'A' + 1);
	if (i == 0 || c > MAX_COL)
		return false;
	if (ref[i] < '1' || ref[i] > '9')
		return false;
	for (; ref[i] >= '0' && ref[i] <= '9' && n <= MAX_ROW; i++)
		n = n * 10 + (size_t)(ref[i] - '0');
	if (ref[i] != '\0' || n > MAX_ROW)
		return false;
	*col = c - 1;
	*row = n;
	return true;
}

/* A row number attribute; 0 when malformed. */
static size_t parse_row_num(const char *s)
{
	size_t n = 0;

	if (*s < '1' || *s > '9')
		return 0;
	for (; *s >= '0' && *s <= '9' && n <= MAX_ROW; s++)
		n = n * 10 + (size_t)(*s - '0');
	return *s == '\0' && n <= MAX_ROW ? n : 0;
}

/* Column letters for messages ("C" for 2). */
static void col_name(size_t col, char out[4])
{
	char tmp[4];
	size_t n = 0, o = 0;

	col++;
	while (col > 0 && n < 3) {
		tmp[n++] = (char)('A' + (col - 1) % 26);
		col = (col - 1) / 26;
	}
	while (n > 0)
		out[o++] = tmp[--n];
	out[o] = '\0';
}

/* A <row>: its number (or the next one), rows only going down. */
static void row_start(struct xlsx_reader *r, const char **atts)
{
	const char *rn = attr(atts, "r", false);
	size_t n = rn ? parse_row_num(rn) : r->row_num + 1;

	if (n == 0 || n > MAX_ROW || n <= r->row_num) {
		if (rn != NULL && (n == 0 || n > MAX_ROW))
			fail(r, r->row_num, "XLSX 工作表的行号“%s”无效", rn);
		else
			fail(r, r->row_num, "XLSX 工作表的第 %zu 行出现在第 %zu 行之后，"
			     "行的顺序不对，文件可能已损坏", n, r->row_num);
		return;
	}
	r->row_num = n;
	r->next_col = 0;
	r->ncols = 0;
	r->last_value = 0;
	buf_reset(&r->rowbuf);
	buf_add(&r->rowbuf, "", 0);	/* offset 0: the empty string of gaps */
	r->rowbuf.len = 1;
}

/* A <c>: its column from the reference (or the next one) and its type. */
static void cell_start(struct xlsx_reader *r, const char **atts)
{
	const char *ref = attr(atts, "r", false), *t = attr(atts, "t", false);
	size_t col = r->next_col, rown = r->row_num;

	if (ref != NULL && (!parse_ref(ref, &col, &rown) || rown != r->row_num)) {
		fail(r, r->row_num, "XLSX 工作表第 %zu 行的单元格引用“%.20s”无效", r->row_num, ref);
		return;
	}
	if (col >= MAX_COL) {
		fail(r, r->row_num, "XLSX 工作表第 %zu 行的单元格超出了 XFD 列", r->row_num);
		return;
	}
	r->col = col;
	r->next_col = col + 1;
	r->in_is = false;
	r->depth_rph = 0;
	t = t != NULL && strlen(t) < sizeof(r->cell_type) ? t : "n";
	memcpy(r->cell_type, t, strlen(t) + 1);
	buf_reset(&r->text);
}

/* Put a finished cell's text into the row. */
static void row_set(struct xlsx_reader *r, const char *s, size_t len, enum xlsx_cell_kind k)
{
	if (r->rowbuf.len + len + 1 > r->lim.max_row_bytes) {
		fail(r, r->row_num, "XLSX 工作表第 %zu 行的文字超过 %zu 字节上限", r->row_num,
		     r->lim.max_row_bytes);
		return;
	}
	if (r->col >= r->colcap) {
		size_t cap = r->colcap ? r->colcap : 16;

		while (cap <= r->col)
			cap *= 2;
		r->off = xreallocarray(r->off, cap, sizeof(*r->off));
		r->kind = xreallocarray(r->kind, cap, 1);
		r->colcap = cap;
	}
	for (; r->ncols <= r->col; r->ncols++) {
		r->off[r->ncols] = 0;
		r->kind[r->ncols] = XLSX_EMPTY;
	}
	if (len == 0 && k != XLSX_TEXT)
		return;
	r->off[r->col] = r->rowbuf.len;
	r->kind[r->col] = (unsigned char)k;
	buf_add(&r->rowbuf, s, len);
	buf_add(&r->rowbuf, "", 0);
	r->rowbuf.len++;
	if (len > 0 && r->col + 1 > r->last_value)
		r->last_value = r->col + 1;
}

/* A shared-string cell: its <v> is the index of the string. */
static void cell_shared(struct xlsx_reader *r)
{
	char *end;
	unsigned long long i;
	char col[4];

	col_name(r->col, col);
	errno = 0;
	i = strtoull(buf_str(&r->text), &end, 10);
	if (r->text.len == 0 || *end != '\0' || errno != 0 || i >= r->nss) {
		fail(r, r->row_num, "XLSX 工作表第 %zu 行 %s 列引用了不存在的共享字符串“%.20s”",
		     r->row_num, col, r->text.data);
		return;
	}
	row_set(r, r->ss[i], r->sslen[i], XLSX_TEXT);
}

/* The end of a <c>: its text by type (shared, inline, bool, error, number). */
static void cell_end(struct xlsx_reader *r)
{
	const char *t = r->cell_type;
	char *v = buf_str(&r->text);

	if (strcmp(t, "s") == 0) {
		cell_shared(r);
	} else if (strcmp(t, "inlineStr") == 0 || strcmp(t, "str") == 0 || strcmp(t, "d") == 0) {
		row_set(r, v, unescape_x(v, r->text.len), XLSX_TEXT);
	} else if (strcmp(t, "b") == 0) {
		row_set(r, r->text.len == 0 ? "" : strcmp(v, "0") == 0 ? "FALSE" : "TRUE",
			r->text.len == 0 ? 0 : strcmp(v, "0") == 0 ? 5 : 4, XLSX_BOOL);
	} else if (strcmp(t, "e") == 0) {
		row_set(r, v, r->text.len, XLSX_ERROR);
	} else {
		row_set(r, v, r->text.len, XLSX_NUMBER);
	}
	r->collect = COLLECT_NONE;
}

/* Worksheet elements: only rows and cells inside <sheetData> matter. */
static void on_sheet_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
	struct xlsx_reader *r = ud;
	const char *el = local(name);

	if (strcmp(el, "sheetData") == 0) {
		r->in_sheet_data = true;
	} else if (!r->in_sheet_data) {
		return;
	} else if (strcmp(el, "row") == 0) {
		if (r->in_row)
			fail(r, r->row_num, "XLSX 工作表第 %zu 行里又套了一行，文件已损坏", r->row_num);
		r->in_row = true;
		row_start(r, atts);
	} else if (strcmp(el, "c") == 0 && r->in_row) {
		if (r->in_cell)
			fail(r, r->row_num, "XLSX 工作表第 %zu 行的单元格里又套了单元格，文件已损坏",
			     r->row_num);
		r->in_cell = true;
		cell_start(r, atts);
	} else if (!r->in_cell) {
		return;
	} else if (strcmp(el, "v") == 0 && strcmp(r->cell_type, "inlineStr") != 0) {
		r->collect = COLLECT_VALUE;
	} else if (strcmp(el, "is") == 0) {
		r->in_is = true;
	} else if (r->in_is) {
		string_start(r, el);
	}
}

/* The end of a row hands it out (suspending the parser). */
static void on_sheet_end(void *ud, const XML_Char *name)
{
	struct xlsx_reader *r = ud;
	const char *el = local(name);

	if (!r->in_sheet_data)
		return;
	if (strcmp(el, "sheetData") == 0) {
		r->in_sheet_data = false;
	} else if (strcmp(el, "c") == 0 && r->in_cell) {
		r->in_cell = false;
		cell_end(r);
	} else if (!r->in_cell && strcmp(el, "row") == 0 && r->in_row) {
		r->in_row = false;
		if (r->last_value == 0)
			return;
		/* Hand the row out: suspend here, resume on the next call. */
		r->row_ready = true;
		XML_StopParser(r->xp, XML_TRUE);
	} else if (!r->in_cell) {
		return;
	} else if (strcmp(el, "v") == 0) {
		r->collect = COLLECT_NONE;
	} else if (strcmp(el, "is") == 0) {
		r->in_is = false;
	} else if (r->in_is) {
		string_end(r, el);
	}
}

/* Start streaming the chosen worksheet. */
static bool open_sheet(struct xlsx_reader *r)
{
	r->zf = open_part(r, r->sheet_path, r->lim.max_part_bytes);
	if (r->zf == NULL)
		return false;
	r->part = r->sheet_path;
	r->xp = parser_new(r);
	XML_SetElementHandler(r->xp, on_sheet_start, on_sheet_end);
	XML_SetCharacterDataHandler(r->xp, on_text);
	r->final_fed = false;
	return true;
}

/* Find the workbook, its first worksheet and shared strings. */
static bool open_workbook(struct xlsx_reader *r)
{
	const struct rel *x;
	char *wb;
	bool ok;

	if (!read_rels(r, "_rels/.rels"))
		return false;
	x = find_rel(r, "officeDocument", NULL);
	wb = x ? resolve("", x->target) : xstrdup("xl/workbook.xml");
	r->xp = parser_new(r);
	XML_SetStartElementHandler(r->xp, on_workbook);
	ok = parse_part(r, wb, SMALL_PART_BYTES);
	XML_ParserFree(r->xp);
	r->xp = NULL;
	if (ok) {
		char *wb_rels = rels_of(wb);

		ok = read_rels(r, wb_rels) && pick_sheet(r, wb) && read_shared_strings(r, wb);
		free(wb_rels);
	}
	free(wb);
	return ok && open_sheet(r);
}

/* libzip's reason a buffer is not a readable archive, in Chinese. */
static const char *zip_reason(int code)
{
	switch (code) {
	/* It starts like a ZIP (checked before): the directory at the end is missing. */
	case ZIP_ER_NOZIP: return "文件不完整（找不到末尾的 ZIP 目录，可能没有传完）或已损坏";
	case ZIP_ER_INCONS: return "ZIP 目录前后不一致，文件可能已损坏或不完整";
	case ZIP_ER_CRC: return "校验和不符，文件已损坏";
	case ZIP_ER_EOF: case ZIP_ER_READ: case ZIP_ER_SEEK:
		return "文件不完整（可能没有传完）";
	case ZIP_ER_MEMORY: return "内存不足";
	default: return "ZIP 结构损坏";
	}
}

struct xlsx_reader *xlsx_open(const void *data, size_t len, const struct xlsx_limits *lim,
			      char *msg, size_t msgsize)
{
	struct xlsx_reader *r = xcalloc(1, sizeof(*r));
	zip_error_t zerr;
	zip_source_t *src;

	if (lim != NULL)
		r->lim = *lim;
	if (r->lim.max_part_bytes == 0)
		r->lim.max_part_bytes = DEFAULT_PART_BYTES;
	if (r->lim.max_strings_bytes == 0)
		r->lim.max_strings_bytes = DEFAULT_STRINGS_BYTES;
	if (r->lim.max_cell_bytes == 0)
		r->lim.max_cell_bytes = DEFAULT_CELL_BYTES;
	if (r->lim.max_row_bytes == 0)
		r->lim.max_row_bytes = DEFAULT_ROW_BYTES;
	if (len >= 8 && memcmp(data, "\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", 8) == 0) {
		snprintf(msg, msgsize, "这是旧版 Excel（.xls）文件或加了密码的 .xlsx 文件，无法读取："
			 "请在 Excel 中取消密码并另存为 .xlsx 或 CSV 后再导入");
		xlsx_close(&r);
		return NULL;
	}
	if (!xlsx_looks_like(data, len)) {
		snprintf(msg, msgsize, "不是有效的 XLSX 文件：开头不是 ZIP 格式（Excel 2007 以后的 .xlsx "
			 "文件都是 ZIP 格式）");
		xlsx_close(&r);
		return NULL;
	}
	zip_error_init(&zerr);
	src = zip_source_buffer_create(data, len, 0, &zerr);
	r->zip = src ? zip_open_from_source(src, ZIP_RDONLY, &zerr) : NULL;
	if (r->zip == NULL) {
		snprintf(msg, msgsize, "不是有效的 XLSX 文件：%s（%s）",
			 zip_reason(zip_error_code_zip(&zerr)), zip_error_strerror(&zerr));
		zip_source_free(src);
		zip_error_fini(&zerr);
		xlsx_close(&r);
		return NULL;
	}
	zip_error_fini(&zerr);
	if (!open_workbook(r)) {
		snprintf(msg, msgsize, "%s", r->msg);
		xlsx_close(&r);
		return NULL;
	}
	return r;
}

const char *xlsx_sheet_name(const struct xlsx_reader *r)
{
	return r->sheet_name;
}

size_t xlsx_sheet_count(const struct xlsx_reader *r)
{
	return r->nvisible;
}

bool xlsx_date1904(const struct xlsx_reader *r)
{
	return r->date1904;
}

/* The finished row as the caller sees it. */
static void row_out(struct xlsx_reader *r, struct xlsx_row *row)
{
	size_t n = r->last_value;

	if (n > r->cellcap) {
		r->cellcap = n;
		r->cells = xreallocarray(r->cells, n, sizeof(*r->cells));
		r->lens = xreallocarray(r->lens, n, sizeof(*r->lens));
	}
	for (size_t i = 0; i < n; i++) {
		r->cells[i] = r->rowbuf.data + r->off[i];
		r->lens[i] = strlen(r->cells[i]);
	}
	*row = (struct xlsx_row){ .line = r->row_num, .ncells = n, .cells = r->cells,
				  .lens = r->lens, .kinds = r->kind };
}

enum xlsx_status xlsx_next_row(struct xlsx_reader *r, struct xlsx_row *row, size_t *line,
			       char *msg, size_t msgsize)
{
	while (!r->failed && !r->done) {
		enum XML_Status st;

		r->row_ready = false;
		if (r->suspended)
			st = XML_ResumeParser(r->xp);
		else if (r->final_fed)
			break;
		else
			st = feed(r);
		r->suspended = st == XML_STATUS_SUSPENDED;
		if (st == XML_STATUS_ERROR) {
			xml_failed(r);
		} else if (r->row_ready) {
			row_out(r, row);
			return XLSX_ROW;
		} else if (!r->suspended && r->final_fed) {
			r->done = true;
		}
	}
	if (r->failed) {
		snprintf(msg, msgsize, "%s", r->msg);
		if (line != NULL)
			*line = r->fail_line;
		return XLSX_FAIL;
	}
	r->done = true;
	return XLSX_END;
}

void xlsx_close(struct xlsx_reader **rp)
{
	struct xlsx_reader *r = *rp;

	if (r == NULL)
		return;
	if (r->xp != NULL)
		XML_ParserFree(r->xp);
	if (r->zf != NULL)
		zip_fclose(r->zf);
	if (r->zip != NULL)
		zip_discard(r->zip);
	for (size_t i = 0; i < r->nss; i++)
		free(r->ss[i]);
	for (size_t i = 0; i < r->nsheets; i++) {
		free(r->sheets[i].name);
		free(r->sheets[i].rid);
	}
	rels_free(&r->rels);
	free(r->sheets);
	free(r->ss);
	free(r->sslen);
	free(r->sheet_name);
	free(r->sheet_path);
	free(r->text.data);
	free(r->rowbuf.data);
	free(r->off);
	free(r->kind);
	free(r->cells);
	free(r->lens);
	free(r);
	*rp = NULL;
}
