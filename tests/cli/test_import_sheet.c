/* core/import_sheet: both layouts, every encoding, and every kind of bad
 * file or cell reported as FILE:LINE: 列名: 原因. */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core/csv.h"
#include "core/encoding.h"
#include "core/import_sheet.h"
#include "core/xalloc.h"

/* Rows handed to the callback, one line each: "LINE|v0|v1|…". */
static void collect(const struct import_row *row, void *ctx)
{
	struct csv_out *o = ctx;
	char num[32];

	snprintf(num, sizeof(num), "%zu", row->line);
	csv_out_append(o, num, strlen(num));
	for (int c = 0; c < IMPORT_NCOLS; c++) {
		csv_out_append(o, "|", 1);
		if (row->v[c])
			csv_out_append(o, row->v[c], strlen(row->v[c]));
	}
	csv_out_append(o, "\n", 1);
}

struct result {
	bool ok;
	struct import_sheet sheet;
	struct csv_out rows;
};

static void read_bytes(const char *bytes, size_t len, enum enc_kind enc, struct result *r)
{
	memset(r, 0, sizeof(*r));
	csv_out_append(&r->rows, "", 0);
	r->ok = import_sheet_read("f.csv", bytes, len, enc, collect, &r->rows, &r->sheet);
}

static void result_free(struct result *r)
{
	import_sheet_free(&r->sheet);
	csv_out_free(&r->rows);
}

/* The problem list joined by newlines.  Caller frees. */
static char *problems(const struct result *r)
{
	struct csv_out o = { 0 };

	csv_out_append(&o, "", 0);
	for (size_t i = 0; i < r->sheet.nproblems; i++) {
		csv_out_append(&o, r->sheet.problems[i], strlen(r->sheet.problems[i]));
		csv_out_append(&o, "\n", 1);
	}
	return o.data;
}

static void assert_problem(const struct result *r, const char *want)
{
	char *all = problems(r);

	if (strstr(all, want) == NULL)
		fail_msg("no problem \"%s\" in:\n%s", want, all);
	free(all);
}

#define PLAIN_HEADER "统一社会信用代码,企业名称,区镇,主要产品,去年销售收入（万元）,职工人数,联系人,电话\r\n"

static void test_plain_layout(void **state)
{
	const char *text = PLAIN_HEADER
		"91320583ma1pk2l0xj,昆山甲公司,昆山开发区,\"电子,元件\",1234.5,120,张三,0512-1\r\n"
		" 914403001922038216 , '=乙公司 ,张浦镇,,0,8,,\r\n"
		"91350200776049653A,   ,张浦镇,,0,8,,\r\n";
	struct result r;

	read_bytes(text, strlen(text), ENC_UNKNOWN, &r);
	assert_true(r.ok);
	assert_int_equal(r.sheet.layout, IMPORT_LAYOUT_PLAIN);
	assert_int_equal(r.sheet.encoding, ENC_UTF8);
	assert_true(r.sheet.has[IMPORT_USCC]);
	assert_false(r.sheet.has[IMPORT_INDUSTRY]);
	assert_string_equal(r.rows.data,
		"2|91320583MA1PK2L0XJ|昆山甲公司|昆山开发区|||||电子,元件|1234.5|120|张三|0512-1\n"
		"3|914403001922038216|=乙公司|张浦镇||||||0|8||\n");
	assert_int_equal(r.sheet.nproblems, 1);
	assert_string_equal(r.sheet.problems[0], "f.csv:4: 企业名称: 不能为空");
	result_free(&r);
}

/* 附件2: title, 区镇 heading, 序号 header, for two districts; GB18030. */
static void test_annex2_gb18030(void **state)
{
	const char *utf8 =
		"2020年昆山市信用管理贯标企业汇总表,,,,,,\r\n"
		"区镇,昆山开发区,业务负责人,张三,联系方式,57266159,\r\n"
		"序号,企业名称,主要产品,去年销售收入,职工人数,联系人,电话\r\n"
		"1,𠀾科技有限公司,芯片,100,10,李四,138\r\n"
		"\r\n"
		"2020年昆山市信用管理贯标企业汇总表,,,,,,\r\n"
		"区镇：周市镇,,业务负责人,王五,联系方式,1,\r\n"
		"序号,企业名称,主要产品,去年销售收入,职工人数,联系人,电话\r\n"
		"1,周市丙公司,,,,,\r\n";
	struct enc_error err;
	size_t len;
	char *gb = enc_from_utf8(utf8, strlen(utf8), ENC_GB18030, &len, &err);
	struct result r;

	assert_non_null(gb);
	read_bytes(gb, len, ENC_UNKNOWN, &r);
	assert_true(r.ok);
	assert_int_equal(r.sheet.encoding, ENC_GB18030);
	assert_int_equal(r.sheet.layout, IMPORT_LAYOUT_ANNEX2);
	assert_false(r.sheet.has[IMPORT_USCC]);
	assert_string_equal(r.rows.data,
		"4||𠀾科技有限公司|昆山开发区|||||芯片|100|10|李四|138\n"
		"9||周市丙公司|周市镇|||||||||\n");
	result_free(&r);
	free(gb);
}

static void test_bom_and_declared_encoding(void **state)
{
	const char *text = "\xef\xbb\xbf" PLAIN_HEADER "914403001922038216,甲,,,,,,\r\n";
	struct result r;

	read_bytes(text, strlen(text), ENC_UTF8, &r);
	assert_true(r.ok);
	assert_int_equal(r.sheet.encoding, ENC_UTF8_BOM);
	assert_string_equal(r.rows.data, "2|914403001922038216|甲||||||||||\n");
	result_free(&r);
}

/* Every bad cell is named by line and column, and no bad row is passed on. */
static void test_bad_cells(void **state)
{
	const char *text = PLAIN_HEADER
		"914403001922038217,甲,,,1,1,,\r\n"
		"91350200776049653A,,,,1,1,,\r\n"
		"91320583MA1PK2L0XJ,丙,,,-5,1,,\r\n"
		"914403001922038216,丁,,,abc,1,,\r\n"
		"91320583MA1PK2L0XJ,戊,,,1,0,,\r\n"
		"91350200776049653A,己,,,1,1,,\r\n"
		"91350200776049653A,庚,,,1,1,,\r\n"
		"91350200776049653A,辛,,,1,1\r\n";
	struct result r;

	read_bytes(text, strlen(text), ENC_UNKNOWN, &r);
	assert_true(r.ok);
	assert_problem(&r, "f.csv:2: 统一社会信用代码: ");
	assert_problem(&r, "f.csv:2: 统一社会信用代码: 第 18 位校验位应为 6，实为 7\n");
	assert_problem(&r, "f.csv:3: 企业名称: 不能为空");
	assert_problem(&r, "f.csv:4: 去年销售收入: 销售收入不能为负数");
	assert_problem(&r, "f.csv:5: 去年销售收入: 不是数字");
	assert_problem(&r, "f.csv:6: 职工人数: 职工人数不能为零");
	assert_problem(&r, "f.csv:8: 统一社会信用代码: 91350200776049653A 与第 7 行重复");
	assert_problem(&r, "f.csv:9: 这一行有 6 个字段，而第 1 行的表头有 8 个");
	assert_int_equal(r.sheet.nrows, 8);
	/* In file order, the duplicate included. */
	assert_string_equal(r.sheet.problems[5], "f.csv:8: 统一社会信用代码: 91350200776049653A 与第 7 行重复");
	assert_string_equal(r.rows.data, "7|91350200776049653A|己|||||||1|1||\n"
			    "8|91350200776049653A|庚|||||||1|1||\n");
	result_free(&r);
}

static void test_optional_columns(void **state)
{
	const char *text = "统一社会信用代码,企业名称,行业,规模以上,成立日期,独立法人\n"
		"914403001922038216,甲,制造业,是,2010/3/5,否\n"
		"91350200776049653A,乙,农业,好,2010-02-30,是\n"
		"91320583MA1PK2L0XJ,丙,制造业,是,2999-01-01,是\n";
	struct result r;

	read_bytes(text, strlen(text), ENC_UNKNOWN, &r);
	assert_true(r.ok);
	assert_string_equal(r.rows.data, "2|914403001922038216|甲||制造业|true|2010-03-05|false|||||\n");
	assert_problem(&r, "f.csv:3: 行业: 应为“制造业”、“生产性服务业”或“其他”");
	assert_problem(&r, "f.csv:4: 成立日期: 成立日期不能晚于今天");
	result_free(&r);
}

/* The problem list joined by newlines must be exactly want. */
static void assert_problems(const struct result *r, const char *want)
{
	char *all = problems(r);

	assert_string_equal(all, want);
	free(all);
}

#define EDGE_HEADER "统一社会信用代码,企业名称,成立日期,职工人数,去年销售收入,规模以上\r\n"

/* Dates as officers type them: the three separators, leap days (2000 is
 * one, 1900 and 2019 are not), days past the month's end, one-digit month
 * and day, a short year, and what is not a date at all. */
static void test_date_edges(void **state)
{
	const char *text = EDGE_HEADER
		"914403001922038216,甲,2020-02-29,1,1,是\r\n"
		"914403001922038216,乙, 2000-02-29 ,1,1,是\r\n"
		"914403001922038216,丙,2010/1/5,1,1,是\r\n"
		"914403001922038216,丁,2010.12.31,1,1,是\r\n"
		"914403001922038216,戊,201-1-1,1,1,是\r\n"
		"914403001922038216,己,2019-02-29,1,1,是\r\n"
		"914403001922038216,庚,1900-02-29,1,1,是\r\n"
		"914403001922038216,辛,2010-02-30,1,1,是\r\n"
		"914403001922038216,壬,2010-04-31,1,1,是\r\n"
		"914403001922038216,癸,2010-13-01,1,1,是\r\n"
		"914403001922038216,子,2010-00-10,1,1,是\r\n"
		"914403001922038216,丑,2010-01/01,1,1,是\r\n"
		"914403001922038216,寅,20100101,1,1,是\r\n"
		"914403001922038216,卯,2010-01-01x,1,1,是\r\n"
		"914403001922038216,辰,2010_01_01,1,1,是\r\n"
		"914403001922038216,巳,9999-12-31,1,1,是\r\n";
	struct result r;

	read_bytes(text, strlen(text), ENC_UNKNOWN, &r);
	assert_true(r.ok);
	assert_problems(&r,
		"f.csv:3: 统一社会信用代码: 914403001922038216 与第 2 行重复\n"
		"f.csv:4: 统一社会信用代码: 914403001922038216 与第 3 行重复\n"
		"f.csv:5: 统一社会信用代码: 914403001922038216 与第 4 行重复\n"
		"f.csv:6: 统一社会信用代码: 914403001922038216 与第 5 行重复\n"
		"f.csv:7: 成立日期: 不是有效的日期\n"
		"f.csv:8: 成立日期: 不是有效的日期\n"
		"f.csv:9: 成立日期: 不是有效的日期\n"
		"f.csv:10: 成立日期: 不是有效的日期\n"
		"f.csv:11: 成立日期: 不是有效的日期\n"
		"f.csv:12: 成立日期: 不是有效的日期\n"
		"f.csv:13: 成立日期: 日期格式应为 YYYY-MM-DD\n"
		"f.csv:14: 成立日期: 日期格式应为 YYYY-MM-DD\n"
		"f.csv:15: 成立日期: 日期格式应为 YYYY-MM-DD\n"
		"f.csv:16: 成立日期: 日期格式应为 YYYY-MM-DD\n"
		"f.csv:17: 成立日期: 成立日期不能晚于今天\n");
	/* Rows with a duplicate code are still handed on (staged). */
	assert_string_equal(r.rows.data,
		"2|914403001922038216|甲|||true|2020-02-29|||1|1||\n"
		"3|914403001922038216|乙|||true|2000-02-29|||1|1||\n"
		"4|914403001922038216|丙|||true|2010-01-05|||1|1||\n"
		"5|914403001922038216|丁|||true|2010-12-31|||1|1||\n"
		"6|914403001922038216|戊|||true|0201-01-01|||1|1||\n");
	result_free(&r);
}

/* Numbers, yes/no and codes at their edges: leading zeros, a lone point,
 * a zero written twice, ten digits, a sign, spaces around, lower case. */
static void test_number_and_code_edges(void **state)
{
	const char *text = EDGE_HEADER
		"91320583ma1pk2l0xj,甲,,007,.5,y\r\n"
		"914403001922038216,乙,, 42 , 7 , 否 \r\n"
		"91350200776049653A,丙,,1,5.,N\r\n"
		"91350200776049653B,丁,,00,-0,yes\r\n"
		"9135020077604965,戊,,1234567890,\"1,000\",n\r\n"
		" 91350200776049653a ,己,,+5,-,是\r\n";
	struct result r;

	read_bytes(text, strlen(text), ENC_UNKNOWN, &r);
	assert_true(r.ok);
	assert_string_equal(r.rows.data,
		"2|91320583MA1PK2L0XJ|甲|||true||||.5|007||\n"
		"3|914403001922038216|乙|||false||||7|42||\n"
		"4|91350200776049653A|丙|||false||||5.|1||\n");
	assert_problems(&r,
		"f.csv:5: 统一社会信用代码: 第 18 位校验位应为 A，实为 B\n"
		"f.csv:5: 规模以上: 应填“是”或“否”\n"
		"f.csv:5: 去年销售收入: 销售收入不能为负数\n"
		"f.csv:5: 职工人数: 职工人数不能为零\n"
		"f.csv:6: 统一社会信用代码: 统一社会信用代码应为 18 位，实为 16 位\n"
		"f.csv:6: 去年销售收入: 不是数字（以万元为单位，如 1234.5）\n"
		"f.csv:6: 职工人数: 应为正整数\n"
		"f.csv:7: 去年销售收入: 不是数字（以万元为单位，如 1234.5）\n"
		"f.csv:7: 职工人数: 应为正整数\n");
	result_free(&r);
}

/* Header cells with spaces, a unit or another spelling are headers; a data
 * cell that merely starts like one (企业名称有限公司) is not; 区镇 headings
 * with spaces inside still name their district. */
static void test_header_spellings(void **state)
{
	const char *text =
		"区 镇 ： 张浦镇,,\r\n"
		"序号,　企 业 名 称（全称）,主要产品\r\n"
		"1,企业名称有限公司,\r\n"
		"2,单位名称,\r\n"
		"区镇\t周市镇,,\r\n"
		"序号,单位名称,主要产品\r\n"
		"1,单位甲,芯片\r\n";
	struct result r;

	read_bytes(text, strlen(text), ENC_UNKNOWN, &r);
	assert_true(r.ok);
	assert_int_equal(r.sheet.layout, IMPORT_LAYOUT_ANNEX2);
	assert_string_equal(r.rows.data,
		"3||企业名称有限公司|张浦镇|||||||||\n"
		"7||单位甲|周市镇|||||芯片||||\n");
	result_free(&r);
}

/* A file that cannot be read as a table: false and one clear problem. */
static void check_unreadable(const char *bytes, size_t len, const char *want)
{
	struct result r;

	read_bytes(bytes, len, ENC_UNKNOWN, &r);
	assert_false(r.ok);
	assert_problem(&r, want);
	assert_string_equal(r.rows.data, "");
	result_free(&r);
}

static void test_unreadable_files(void **state)
{
	static const char utf16[] = "\xff\xfe\x4f\x4f";
	static const char utf16_nobom[] = "a\0b\0\n\0";
	static const char bad_gb[] = PLAIN_HEADER "914403001922038216,\x81\x20,,,,,,\r\n";
	static const char cut_utf8[] = PLAIN_HEADER "914403001922038216,\xe6\x98";

	check_unreadable("", 0, "f.csv:1: 文件是空的");
	check_unreadable("\r\n\r\n", 4, "f.csv:3: 第 3 行第 1 列：文件是空的");
	check_unreadable(utf16, sizeof(utf16) - 1, "f.csv:1: 文件是 UTF-16");
	check_unreadable(utf16_nobom, sizeof(utf16_nobom) - 1, "f.csv:1: 字节偏移 1 处是 NUL 字节");
	check_unreadable(bad_gb, sizeof(bad_gb) - 1, "f.csv:2: ");
	check_unreadable(bad_gb, sizeof(bad_gb) - 1, "字节偏移 139 处有无效的 UTF-8 字节 0x81");
	check_unreadable(cut_utf8, sizeof(cut_utf8) - 1, "f.csv:2: ");
	check_unreadable(PLAIN_HEADER "914403001922038216,\"甲\r\n",
			 strlen(PLAIN_HEADER "914403001922038216,\"甲\r\n"),
			 "f.csv:2: 第 2 行第 20 列：引号未闭合");
	check_unreadable("名称,代码\n甲,1\n", strlen("名称,代码\n甲,1\n"), "f.csv:1: 找不到表头");
	check_unreadable("企业名称,主要产品\n甲,1\n", strlen("企业名称,主要产品\n甲,1\n"), "统一社会信用代码: 缺少这一列");
	check_unreadable(PLAIN_HEADER, strlen(PLAIN_HEADER), "f.csv:1: 表头之后没有企业数据");
	{
		const char *dup = "统一社会信用代码,企业名称,电话,联系电话\n914403001922038216,甲,1,2\n";

		check_unreadable(dup, strlen(dup), "f.csv:1: 电话: 这一列出现了两次（第 3 列和第 4 列）");
	}
}

/* A GB18030 file with a bad pair: line, offset and both bytes. */
static void test_bad_gb18030_bytes(void **state)
{
	const char *header = PLAIN_HEADER "914403001922038216,甲公司,";
	struct enc_error err;
	size_t len;
	char *gb = enc_from_utf8(header, strlen(header), ENC_GB18030, &len, &err);
	char *text = xmalloc(len + 16);

	assert_non_null(gb);
	memcpy(text, gb, len);
	memcpy(text + len, "\x81\x20,,,,,\r\n", 9);
	check_unreadable(text, len + 9, "f.csv:2: ");
	{
		char *want = xasprintf("字节偏移 %zu 处有无效的 GB18030 字节 0x81 0x20", len);

		check_unreadable(text, len + 9, want);
		free(want);
	}
	free(text);
	free(gb);
}

/* A 10 MB cell: refused by the 1 MiB field limit with its line. */
static void test_huge_cell(void **state)
{
	size_t big = 10u << 20, n = strlen(PLAIN_HEADER);
	char *text = xmalloc(n + big + 64);
	struct result r;

	memcpy(text, PLAIN_HEADER "914403001922038216,", n + 19);
	n += 19;
	memset(text + n, 'x', big);
	n += big;
	read_bytes(text, n, ENC_UNKNOWN, &r);
	assert_false(r.ok);
	assert_problem(&r, "f.csv:2: 第 2 行第 20 列：字段超过 1048576 字节的上限");
	result_free(&r);
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain_layout),
		cmocka_unit_test(test_annex2_gb18030),
		cmocka_unit_test(test_bom_and_declared_encoding),
		cmocka_unit_test(test_bad_cells),
		cmocka_unit_test(test_optional_columns),
		cmocka_unit_test(test_date_edges),
		cmocka_unit_test(test_number_and_code_edges),
		cmocka_unit_test(test_header_spellings),
		cmocka_unit_test(test_unreadable_files),
		cmocka_unit_test(test_bad_gb18030_bytes),
		cmocka_unit_test(test_huge_cell),
	};

	return cmocka_run_group_tests_name("import_sheet", tests, NULL, NULL);
}
