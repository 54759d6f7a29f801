/* core/xlsx_read and the XLSX import seam: workbooks written by
 * libxlsxwriter (as Excel would), hand-made ones (inline strings, sparse
 * cells, rich text, prefixed XML) zipped with libzip here, and every kind
 * of broken or hostile file, each with a clear message. */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include <xlsxwriter.h>
#include <zip.h>

#include "core/csv.h"
#include "core/import_sheet.h"
#include "core/xalloc.h"
#include "core/xlsx_read.h"
#include "out_table.h"
#include "out_xlsx.h"

/* The bytes of a file.  Caller frees. */
static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *b;
	long n;

	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	b = xmalloc((size_t)n + 1);
	assert_int_equal(fread(b, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	*len = (size_t)n;
	return b;
}

static char *temp_path(void)
{
	char *p = xstrdup("/tmp/gb-xlsx-test-XXXXXX");
	int fd = mkstemp(p);

	assert_true(fd >= 0);
	close(fd);
	return p;
}

/* A ZIP of parts: names[i] holds texts[i]; encrypt names one part to
 * protect with a password.  Caller frees. */
static char *make_zip(const char *const *names, const char *const *texts, size_t n,
		      const char *encrypt, size_t *len)
{
	char *path = temp_path(), *bytes;
	int err = 0;
	zip_t *z = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, &err);

	assert_non_null(z);
	for (size_t i = 0; i < n; i++) {
		zip_source_t *s = zip_source_buffer(z, texts[i], strlen(texts[i]), 0);
		zip_int64_t at = zip_file_add(z, names[i], s, ZIP_FL_ENC_UTF_8);

		assert_true(at >= 0);
		if (encrypt != NULL && strcmp(encrypt, names[i]) == 0)
			assert_int_equal(zip_file_set_encryption(z, (zip_uint64_t)at,
								 ZIP_EM_AES_256, "secret"), 0);
	}
	assert_int_equal(zip_close(z), 0);
	bytes = slurp(path, len);
	unlink(path);
	free(path);
	return bytes;
}

#define NS_MAIN "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
#define NS_REL "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
#define NS_PKG "http://schemas.openxmlformats.org/package/2006/relationships"

static const char root_rels[] =
	"<?xml version=\"1.0\" encoding=\"UTF-8\"?><Relationships xmlns=\"" NS_PKG "\">"
	"<Relationship Id=\"rId1\" Type=\"" NS_REL "/officeDocument\" Target=\"xl/workbook.xml\"/>"
	"</Relationships>";
static const char workbook[] =
	"<workbook xmlns=\"" NS_MAIN "\" xmlns:r=\"" NS_REL "\"><sheets>"
	"<sheet name=\"企业\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>";
static const char wb_rels[] =
	"<Relationships xmlns=\"" NS_PKG "\">"
	"<Relationship Id=\"rId1\" Type=\"" NS_REL "/worksheet\" Target=\"worksheets/sheet1.xml\"/>"
	"<Relationship Id=\"rId2\" Type=\"" NS_REL "/sharedStrings\" Target=\"sharedStrings.xml\"/>"
	"</Relationships>";

/* A workbook of one sheet (sheetData content) and shared strings (<si>
 * items, NULL for none).  Caller frees. */
static char *make_book(const char *rows, const char *strings, size_t *len)
{
	char *sheet = xasprintf("<?xml version=\"1.0\"?><worksheet xmlns=\"" NS_MAIN "\">"
				"<sheetData>%s</sheetData></worksheet>", rows);
	char *sst = xasprintf("<sst xmlns=\"" NS_MAIN "\">%s</sst>", strings ? strings : "");
	const char *names[] = { "_rels/.rels", "xl/workbook.xml", "xl/_rels/workbook.xml.rels",
				"xl/worksheets/sheet1.xml", "xl/sharedStrings.xml" };
	const char *texts[] = { root_rels, workbook, wb_rels, sheet, sst };
	char *b = make_zip(names, texts, strings ? 5 : 4, NULL, len);

	free(sheet);
	free(sst);
	return b;
}

/* All rows as text: "LINE:cell|cell…" per row, kinds as a letter after
 * each cell (t text, n number, b bool, e error, - empty).  On failure the
 * message after "FAIL ".  Caller frees. */
static char *dump(const char *bytes, size_t len, const struct xlsx_limits *lim)
{
	char msg[256];
	struct xlsx_reader *r = xlsx_open(bytes, len, lim, msg, sizeof(msg));
	struct csv_out o = { 0 };
	struct xlsx_row row;
	enum xlsx_status st;
	size_t line = 0;

	csv_out_append(&o, "", 0);
	if (r == NULL) {
		char *s = xasprintf("OPEN %s", msg);

		csv_out_free(&o);
		return s;
	}
	while ((st = xlsx_next_row(r, &row, &line, msg, sizeof(msg))) == XLSX_ROW) {
		char head[32];

		snprintf(head, sizeof(head), "%zu:", row.line);
		csv_out_append(&o, head, strlen(head));
		for (size_t i = 0; i < row.ncells; i++) {
			assert_int_equal(strlen(row.cells[i]), row.lens[i]);
			csv_out_append(&o, row.cells[i], row.lens[i]);
			csv_out_append(&o, &"-tnbe"[row.kinds[i]], 1);
			csv_out_append(&o, i + 1 < row.ncells ? "|" : "\n", 1);
		}
	}
	if (st == XLSX_FAIL) {
		char *s = xasprintf("%sFAIL@%zu %s", o.data, line, msg);

		csv_out_free(&o);
		o.data = s;
	}
	xlsx_close(&r);
	return o.data;
}

/* A workbook as Excel users make them, through libxlsxwriter. */
static char *make_excel_book(size_t *len, bool constant_memory)
{
	char *path = temp_path(), *b;
	lxw_workbook_options opt = { .constant_memory = constant_memory };
	lxw_workbook *wb = workbook_new_opt(path, &opt);
	lxw_worksheet *ws = workbook_add_worksheet(wb, "名单");

	worksheet_write_string(ws, 0, 0, "统一社会信用代码", NULL);
	worksheet_write_string(ws, 0, 1, "企业名称", NULL);
	worksheet_write_string(ws, 0, 3, "职工人数", NULL);
	worksheet_write_number(ws, 1, 0, 12345, NULL);
	worksheet_write_string(ws, 1, 1, "苏州甲公司", NULL);
	worksheet_write_boolean(ws, 1, 2, 1, NULL);
	worksheet_write_number(ws, 1, 3, 1234.5, NULL);
	/* rows 3 and 4 left out: a gap; row 5 starts at column C */
	worksheet_write_string(ws, 4, 2, "只有 C 列", NULL);
	worksheet_write_boolean(ws, 4, 3, 0, NULL);
	worksheet_write_string(ws, 5, 0, "苏州甲公司", NULL);	/* shared twice */
	assert_int_equal(workbook_close(wb), LXW_NO_ERROR);
	b = slurp(path, len);
	unlink(path);
	free(path);
	return b;
}

static void test_libxlsxwriter_book(void **state)
{
	for (int cm = 0; cm < 2; cm++) {
		size_t len;
		char *b = make_excel_book(&len, cm == 1);
		char *d;

		assert_true(xlsx_looks_like(b, len));
		d = dump(b, len, NULL);
		assert_string_equal(d, "1:统一社会信用代码t|企业名称t|-|职工人数t\n"
				       "2:12345n|苏州甲公司t|TRUEb|1234.5n\n"
				       "5:-|-|只有 C 列t|FALSEb\n"
				       "6:苏州甲公司t\n");
		free(d);
		free(b);
	}
}

/* Inline strings, cells found by reference, rows and cells without
 * numbers, rich-text runs with a phonetic guide, escapes, formulas. */
static void test_hand_made(void **state)
{
	size_t len;
	char *b = make_book(
		"<row r=\"2\"><c r=\"A2\" t=\"s\"><v>0</v></c><c r=\"C2\" t=\"inlineStr\">"
		"<is><t xml:space=\"preserve\"> 内联 </t></is></c></row>"
		"<row r=\"7\" spans=\"1:5\"><c r=\"C7\" t=\"s\"><v>1</v></c><c t=\"str\"><f>A1</f>"
		"<v>公式结果</v></c><c r=\"F7\" s=\"3\"/></row>"
		"<row><c t=\"inlineStr\"><is><r><t>富</t></r><r><rPr><b/></rPr><t>文本</t></r></is></c>"
		"<c t=\"e\"><v>#N/A</v></c><c><v>0.30000000000000004</v></c></row>"
		"<row r=\"9\"><c r=\"B9\" s=\"1\"/></row>"
		"<row r=\"10\"><c r=\"A10\" t=\"s\"><v>2</v></c></row>",
		"<si><t>共享</t></si>"
		"<si><r><t>甲</t></r><r><rPr><i/></rPr><t>乙</t></r><rPh sb=\"0\" eb=\"1\"><t>ジャ</t></rPh></si>"
		"<si><t>第一行_x000D__x000A_第二行_x005F_x0041_</t></si>", &len);
	char *d = dump(b, len, NULL);

	assert_string_equal(d, "2:共享t|-| 内联 t\n"
			       "7:-|-|甲乙t|公式结果t\n"
			       "8:富文本t|#N/Ae|0.30000000000000004n\n"
			       "10:第一行\r\n第二行_x0041_t\n");
	free(d);
	free(b);
}

/* Prefixed element names, an absolute target, a hidden first sheet and a
 * 1904 workbook without shared strings. */
static void test_prefixed_hidden(void **state)
{
	static const char wb[] =
		"<x:workbook xmlns:x=\"" NS_MAIN "\" xmlns:r=\"" NS_REL "\">"
		"<x:workbookPr date1904=\"1\"/><x:sheets>"
		"<x:sheet name=\"隐藏\" sheetId=\"1\" state=\"hidden\" r:id=\"rId1\"/>"
		"<x:sheet name=\"第二张\" sheetId=\"2\" r:id=\"rId2\"/></x:sheets></x:workbook>";
	static const char rels[] =
		"<Relationships xmlns=\"" NS_PKG "\">"
		"<Relationship Id=\"rId1\" Type=\"" NS_REL "/worksheet\" Target=\"/xl/worksheets/hidden.xml\"/>"
		"<Relationship Id=\"rId2\" Type=\"" NS_REL "/worksheet\" Target=\"./worksheets/../worksheets/s2.xml\"/>"
		"</Relationships>";
	static const char s2[] =
		"<x:worksheet xmlns:x=\"" NS_MAIN "\"><x:sheetData><x:row r=\"3\">"
		"<x:c r=\"B3\" t=\"inlineStr\"><x:is><x:t>第二张的 B3</x:t></x:is></x:c>"
		"</x:row></x:sheetData></x:worksheet>";
	const char *names[] = { "_rels/.rels", "xl/workbook.xml", "xl/_rels/workbook.xml.rels",
				"xl/worksheets/hidden.xml", "xl/worksheets/s2.xml" };
	const char *texts[] = { root_rels, wb, rels, "<worksheet/>", s2 };
	size_t len;
	char *b = make_zip(names, texts, 5, NULL, &len);
	char msg[256];
	struct xlsx_reader *r = xlsx_open(b, len, NULL, msg, sizeof(msg));
	char *d;

	assert_non_null(r);
	assert_string_equal(xlsx_sheet_name(r), "第二张");
	assert_int_equal(xlsx_sheet_count(r), 1);
	assert_true(xlsx_date1904(r));
	xlsx_close(&r);
	d = dump(b, len, NULL);
	assert_string_equal(d, "3:-|第二张的 B3t\n");
	free(d);
	free(b);
}

/* dump() of a workbook must fail with a message holding want. */
static void assert_fails(const char *bytes, size_t len, const struct xlsx_limits *lim,
			 const char *want)
{
	char *d = dump(bytes, len, lim);

	if (strstr(d, "FAIL") == NULL && strncmp(d, "OPEN ", 5) != 0)
		fail_msg("no failure, got:\n%s", d);
	if (strstr(d, want) == NULL)
		fail_msg("no \"%s\" in:\n%s", want, d);
	free(d);
}

/* The same for a ZIP of the given parts. */
static void assert_zip_fails(const char *const *names, const char *const *texts, size_t n,
			     const char *encrypt, const char *want)
{
	size_t len;
	char *b = make_zip(names, texts, n, encrypt, &len);

	assert_fails(b, len, NULL, want);
	free(b);
}

static void test_not_a_workbook(void **state)
{
	static const char cfb[] = "\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1 rest of an OLE file";
	size_t len;
	char *b = make_excel_book(&len, false);

	assert_false(xlsx_looks_like("a,b\n", 4));
	assert_fails("a,b\n1,2\n", 8, NULL, "不是有效的 XLSX 文件");
	assert_fails(cfb, sizeof(cfb) - 1, NULL, "加了密码");
	assert_fails("", 0, NULL, "不是有效的 XLSX 文件");
	/* cut short: the ZIP directory at the end is gone */
	assert_fails(b, len / 2, NULL, "不是有效的 XLSX 文件");
	/* a byte of the compressed worksheet flipped: inflate or CRC fails */
	for (size_t i = 0; i + 20 < len; i++)
		if (memcmp(b + i, "xl/worksheets/sheet1.xml", 24) == 0) {
			b[i + 24 + 40] ^= 0x55;
			break;
		}
	assert_fails(b, len, NULL, "sheet1.xml");
	free(b);
}

static void test_missing_parts(void **state)
{
	const char *names[] = { "_rels/.rels", "xl/workbook.xml", "xl/_rels/workbook.xml.rels" };
	const char *texts[] = { root_rels, workbook, wb_rels };
	const char *nosheets[] = { root_rels, "<workbook xmlns=\"" NS_MAIN "\"/>", wb_rels };

	assert_zip_fails(names, texts, 3, NULL, "缺少 xl/worksheets/sheet1.xml");
	assert_zip_fails(names, texts, 1, NULL, "缺少 xl/workbook.xml");
	assert_zip_fails(names, nosheets, 3, NULL, "没有工作表");
}

/* A workbook of these rows (and shared strings) must fail saying want. */
static void assert_book_fails(const char *rows, const char *strings, const char *want)
{
	size_t len;
	char *b = make_book(rows, strings, &len);

	assert_fails(b, len, NULL, want);
	free(b);
}

static void test_bad_xml(void **state)
{
	size_t len;
	char *d, *b;

	/* The good first row comes out, then the error. */
	assert_book_fails("<row r=\"1\"><c t=\"inlineStr\"><is><t>好</t></is></c></row>"
			  "<row r=\"2\"><c><v>1</v></c>", NULL,
			  "1:好t\nFAIL@2 XLSX 文件中的 xl/worksheets/sheet1.xml 不是有效的 XML");
	assert_book_fails("<row r=\"2\"><c r=\"A2\" t=\"s\"><v>5</v></c></row>", "<si><t>x</t></si>",
			  "第 2 行 A 列引用了不存在的共享字符串“5”");
	assert_book_fails("<row r=\"2\"><c r=\"2A\"><v>5</v></c></row>", NULL, "单元格引用“2A”无效");
	assert_book_fails("<row r=\"2\"><c r=\"XFE2\"><v>5</v></c></row>", NULL,
			  "单元格引用“XFE2”无效");
	assert_book_fails("<row r=\"5\"/><row r=\"3\"/>", NULL, "行的顺序不对");
	assert_book_fails("<row r=\"1\"><row r=\"2\"><c><v>1</v></c></row></row>", NULL,
			  "第 1 行里又套了一行");
	assert_book_fails("<row r=\"1\"><c><c><v>1</v></c></c></row>", NULL,
			  "第 1 行的单元格里又套了单元格");
	assert_book_fails("<row r=\"1048577\"/>", NULL, "行号“1048577”无效");
	/* a cell outside any row is not part of the table */
	b = make_book("<c><v>0</v></c><row r=\"3\"><c><v>3</v></c></row><c><v>4</v></c>", NULL, &len);
	d = dump(b, len, NULL);
	assert_string_equal(d, "3:3n\n");
	free(d);
	free(b);
}

/* No DTD, hence no entities: neither a file on the machine nor the
 * billion laughs. */
static void test_entities_refused(void **state)
{
	const char *names[] = { "_rels/.rels", "xl/workbook.xml", "xl/_rels/workbook.xml.rels",
				"xl/worksheets/sheet1.xml" };
	const char *texts[] = { root_rels, workbook, wb_rels,
		"<?xml version=\"1.0\"?><!DOCTYPE w [<!ENTITY e SYSTEM \"file:///etc/passwd\">]>"
		"<worksheet xmlns=\"" NS_MAIN "\"><sheetData><row r=\"1\"><c t=\"inlineStr\">"
		"<is><t>&e;</t></is></c></row></sheetData></worksheet>" };
	const char *laughs[] = { "<!DOCTYPE r [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;\">]>"
				 "<Relationships>&b;</Relationships>" };

	assert_zip_fails(names, texts, 4, NULL, "DTD");
	assert_zip_fails(names, laughs, 1, NULL, "_rels/.rels 含有 DTD");
}

/* A small file that unpacks to far more than the cap stops at the cap;
 * a big cell and a big row too. */
static void test_limits(void **state)
{
	struct xlsx_limits lim = { .max_part_bytes = 100000 };
	size_t pad = 2000000, len;
	char *rows = xmalloc(pad + 64);
	char *b;

	memset(rows, ' ', pad);
	strcpy(rows + pad, "<row r=\"1\"><c><v>1</v></c></row>");
	b = make_book(rows, NULL, &len);
	assert_true(len < 20000);
	assert_fails(b, len, &lim, "超过 100000 字节上限");
	free(b);
	lim = (struct xlsx_limits){ .max_strings_bytes = 100000 };
	memset(rows, 'x', pad);
	memcpy(rows, "<si><t>", 7);
	strcpy(rows + pad, "</t></si>");
	b = make_book("<row r=\"1\"><c t=\"s\"><v>0</v></c></row>", rows, &len);
	assert_fails(b, len, &lim, "xl/sharedStrings.xml 解压后有 2000086 字节，超过 100000 字节上限");
	free(b);
	/* Small in the file, bigger in memory: counted as they are kept. */
	for (size_t i = 0; i < 15000; i++)
		memcpy(rows + 5 * i, "<si/>", 5);
	rows[5 * 15000] = '\0';
	b = make_book("<row r=\"1\"><c t=\"s\"><v>0</v></c></row>", rows, &len);
	assert_fails(b, len, &lim, "共享字符串超过 100000 字节上限");
	free(b);
	lim = (struct xlsx_limits){ .max_cell_bytes = 100 };
	b = make_book("<row r=\"4\"><c t=\"inlineStr\"><is><t>"
		      "0123456789012345678901234567890123456789012345678901234567890123456789"
		      "0123456789012345678901234567890123456789</t></is></c></row>", NULL, &len);
	assert_fails(b, len, &lim, "FAIL@4 ");
	assert_fails(b, len, &lim, "超过 100 字节上限");
	free(b);
	lim = (struct xlsx_limits){ .max_row_bytes = 50 };
	b = make_book("<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c><c r=\"B1\" t=\"s\"><v>0</v></c>"
		      "<c r=\"C1\" t=\"s\"><v>0</v></c></row>",
		      "<si><t>一二三四五六七八九十</t></si>", &len);
	assert_fails(b, len, &lim, "第 1 行的文字超过 50 字节上限");
	free(b);
	free(rows);
}

static void test_encrypted_entry(void **state)
{
	const char *names[] = { "_rels/.rels", "xl/workbook.xml", "xl/_rels/workbook.xml.rels",
				"xl/worksheets/sheet1.xml" };
	const char *texts[] = { root_rels, workbook, wb_rels, "<worksheet/>" };

	if (!zip_encryption_method_supported(ZIP_EM_AES_256, 1))
		fail_msg("libzip cannot write AES archives here");
	assert_zip_fails(names, texts, 4, "xl/worksheets/sheet1.xml", "加了密码");
}

/* --- the import seam --- */

/* Each row handed on: "LINE 列名=value …" for the values it has. */
static void collect(const struct import_row *row, void *ctx)
{
	struct csv_out *o = ctx;
	char *head = xasprintf("%zu", row->line);

	csv_out_append(o, head, strlen(head));
	free(head);
	for (int c = 0; c < IMPORT_NCOLS; c++) {
		char *kv;

		if (row->v[c] == NULL)
			continue;
		kv = xasprintf(" %s=%s", import_sheet_col_name(c), row->v[c]);
		csv_out_append(o, kv, strlen(kv));
		free(kv);
	}
	csv_out_append(o, "\n", 1);
}

/* Import bytes as XLSX: the rows, and the problems after "--\n". */
static char *import(const char *bytes, size_t len, bool *ok)
{
	struct import_sheet sheet = { 0 };
	struct csv_out o = { 0 };

	csv_out_append(&o, "", 0);
	*ok = import_sheet_read_xlsx("f.xlsx", bytes, len, collect, &o, &sheet);
	csv_out_append(&o, "--\n", 3);
	for (size_t i = 0; i < sheet.nproblems; i++) {
		csv_out_append(&o, sheet.problems[i], strlen(sheet.problems[i]));
		csv_out_append(&o, "\n", 1);
	}
	import_sheet_free(&sheet);
	return o.data;
}

#define IS(t) "<c t=\"inlineStr\"><is><t>" t "</t></is></c>"

static void test_import_rows(void **state)
{
	size_t len;
	bool ok;
	char *b, *d;

	b = make_book(
		"<row r=\"1\">" IS("企业名单") "</row>"
		"<row r=\"3\">" IS("统一社会信用代码") IS("企业名称") IS("成立日期") IS("规模以上")
		IS("职工人数") IS("去年销售收入（万元）") "</row>"
		"<row r=\"4\">" IS("91350200776049653A") IS(" 苏州甲 ") "<c><v>45292</v></c>"
		"<c t=\"b\"><v>1</v></c><c><v>120</v></c><c><v>633.92999999999995</v></c></row>"
		"<row r=\"6\"><c r=\"A6\" t=\"inlineStr\"><is><t>91320583MA1PK2L0XJ</t></is></c>"
		"<c r=\"B6\" t=\"inlineStr\"><is><t>苏州乙</t></is></c></row>", NULL, &len);
	d = import(b, len, &ok);
	assert_true(ok);
	/* 633.93 as libxlsxwriter stores it comes back as 633.93 */
	assert_string_equal(d, "4 统一社会信用代码=91350200776049653A 企业名称=苏州甲 规模以上=true"
			       " 成立日期=2024-01-01 去年销售收入=633.93 职工人数=120\n"
			       "6 统一社会信用代码=91320583MA1PK2L0XJ 企业名称=苏州乙\n--\n");
	free(d);
	free(b);
}

static void test_import_problems(void **state)
{
	size_t len;
	bool ok;
	char *b = make_book(
		"<row r=\"2\">" IS("统一社会信用代码") IS("企业名称") IS("成立日期") "</row>"
		"<row r=\"3\"><c><v>9.14403001922038E+17</v></c>" IS("甲") "</row>"
		"<row r=\"5\">" IS("91350200776049653A") "<c t=\"e\"><v>#REF!</v></c>"
		"<c><v>60</v></c></row>"
		"<row r=\"9\">" IS("91320583MA1PK2L0XJ") IS("丙") "<c r=\"E9\"><v>1</v></c></row>",
		NULL, &len);
	char *d = import(b, len, &ok);

	assert_true(ok);
	assert_string_equal(d, "--\n"
		"f.xlsx:3: 统一社会信用代码: 单元格存成了数字（9.14403001922038E+17），而统一社会信用代码必须是文本："
		"Excel 的数字只保留 15 位，代码可能已经变了；请把这一列设为“文本”格式后重新填写\n"
		"f.xlsx:5: 企业名称: 单元格是公式的错误值 #REF!\n"
		"f.xlsx:5: 成立日期: 日期格式应为 YYYY-MM-DD\n"
		"f.xlsx:9: 第 5 列有内容，但第 2 行的表头只有 3 列\n");
	free(d);
	free(b);
	/* A broken file: one problem at line 1, nothing handed on. */
	d = import("PK\x03\x04 but not a zip", 21, &ok);
	assert_false(ok);
	assert_true(strncmp(d, "--\nf.xlsx:1: 不是有效的 XLSX 文件", strlen("--\nf.xlsx:1: 不是有效的 XLSX 文件")) == 0);
	free(d);
	/* An error in the sheet after good rows: the import fails there. */
	b = make_book("<row r=\"1\">" IS("统一社会信用代码") IS("企业名称") "</row>"
		      "<row r=\"2\">" IS("91320583MA1PK2L0XJ") IS("丙") "</row><row r=\"3\"><c><v>1</v></c>",
		      NULL, &len);
	d = import(b, len, &ok);
	assert_false(ok);
	assert_non_null(strstr(d, "--\nf.xlsx:3: XLSX 文件中的 xl/worksheets/sheet1.xml"));
	free(d);
	free(b);
}

/* A 附件2 workbook as districts fill it: title and heading in merged
 * cells (only the first holds text), the heading all in one cell. */
static void test_import_annex2_merged(void **state)
{
	size_t len;
	bool ok;
	char *b = make_book(
		"<row r=\"1\">" IS("附件2") "</row>"
		"<row r=\"2\">" IS("信用管理贯标企业汇总表") "</row>"
		"<row r=\"3\">" IS("区镇：张浦镇　　业务负责人：王五　　联系方式：0512-57451234") "</row>"
		"<row r=\"4\">" IS("序号") IS("企业名称") IS("主要产品") IS("去年销售收入（万元）")
		IS("职工人数") IS("联系人") IS("电话") "</row>"
		"<row r=\"5\"><c><v>1</v></c>" IS("张浦甲公司") IS("模具") "<c><v>88.5</v></c>"
		"<c><v>12</v></c>" IS("赵六") "<c><v>13912345678</v></c></row>", NULL, &len);
	char *d = import(b, len, &ok);

	assert_true(ok);
	assert_string_equal(d, "5 企业名称=张浦甲公司 区镇=张浦镇 主要产品=模具 去年销售收入=88.5"
			       " 职工人数=12 联系人=赵六 电话=13912345678\n--\n");
	free(d);
	free(b);
}

/* A workbook of several sheets: the first is imported, and the officer is
 * told the others were not. */
static void test_import_first_of_many(void **state)
{
	char *path = temp_path(), *b;
	lxw_workbook *wb = workbook_new(path);
	lxw_worksheet *ws = workbook_add_worksheet(wb, "名单");
	lxw_worksheet *ws2 = workbook_add_worksheet(wb, "说明");
	struct import_sheet sheet = { 0 };
	struct csv_out o = { 0 };
	size_t len;

	worksheet_write_string(ws, 0, 0, "统一社会信用代码", NULL);
	worksheet_write_string(ws, 0, 1, "企业名称", NULL);
	worksheet_write_string(ws, 1, 0, "91320583MA1PK2L0XJ", NULL);
	worksheet_write_string(ws, 1, 1, "第一张的企业", NULL);
	worksheet_write_string(ws2, 0, 0, "填表说明：每行一家企业", NULL);
	assert_int_equal(workbook_close(wb), LXW_NO_ERROR);
	b = slurp(path, &len);
	csv_out_append(&o, "", 0);
	assert_true(import_sheet_read_xlsx("f.xlsx", b, len, collect, &o, &sheet));
	assert_string_equal(o.data, "2 统一社会信用代码=91320583MA1PK2L0XJ 企业名称=第一张的企业\n");
	assert_int_equal(sheet.nnotes, 1);
	assert_string_equal(sheet.notes[0], "f.xlsx:1: 工作簿有 2 张工作表，只导入第一张“名单”；"
			    "其余工作表里的企业请另存为单独的文件再导入");
	import_sheet_free(&sheet);
	csv_out_free(&o);
	free(b);
	unlink(path);
	free(path);
}

/* Our own XLSX export read back: a small list (shared strings) and one
 * long enough for libxlsxwriter's constant-memory mode (inline strings)
 * give back every cell. */
static void test_export_read_back(void **state)
{
	static const enum out_col_kind k[] = { OUT_TEXT, OUT_NUMBER, OUT_TEXT };
	static const char *const hdr[] = { "企业名称", "去年销售收入", "备注" };

	for (size_t nrows = 10; nrows <= 6000; nrows += 5990) {
		struct out_table *t = out_table_new("企业", 3, k);
		char *path = temp_path(), *b, msg[256], name[64], num[32];
		struct xlsx_reader *r;
		struct xlsx_row row;
		size_t len, n = 0;

		out_table_header(t, hdr);
		for (size_t i = 0; i < nrows; i++) {
			const char *cells[3] = { name, num, i % 3 == 0 ? NULL : "=1+1" };

			snprintf(name, sizeof(name), "苏州%zu号有限公司", i);
			snprintf(num, sizeof(num), "%zu.93", i);
			out_table_add(t, OUT_ROW_DATA, cells);
		}
		assert_true(out_xlsx_write(&t, 1, path, msg, sizeof(msg)));
		b = slurp(path, &len);
		/* the ZIP directory names its parts in the clear */
		assert_int_equal(memmem(b, len, "xl/sharedStrings.xml", 20) != NULL, nrows < 5000);
		r = xlsx_open(b, len, NULL, msg, sizeof(msg));
		assert_non_null(r);
		while (xlsx_next_row(r, &row, NULL, msg, sizeof(msg)) == XLSX_ROW) {
			const struct out_row *want = &t->rows[n++];

			assert_int_equal(row.line, n);
			for (size_t c = 0; c < 3; c++) {
				const char *w = want->cells[c] ? want->cells[c] : "";

				if (n > 1 && c == 1)
					assert_true(strtod(row.cells[c], NULL) == strtod(w, NULL));
				else
					assert_string_equal(c < row.ncells ? row.cells[c] : "", w);
			}
		}
		assert_int_equal(n, nrows + 1);
		xlsx_close(&r);
		out_table_free(&t);
		free(b);
		unlink(path);
		free(path);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_libxlsxwriter_book),
		cmocka_unit_test(test_hand_made),
		cmocka_unit_test(test_prefixed_hidden),
		cmocka_unit_test(test_not_a_workbook),
		cmocka_unit_test(test_missing_parts),
		cmocka_unit_test(test_bad_xml),
		cmocka_unit_test(test_entities_refused),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_encrypted_entry),
		cmocka_unit_test(test_import_rows),
		cmocka_unit_test(test_import_problems),
		cmocka_unit_test(test_import_annex2_merged),
		cmocka_unit_test(test_import_first_of_many),
		cmocka_unit_test(test_export_read_back),
	};

	return cmocka_run_group_tests_name("xlsx_read", tests, NULL, NULL);
}
