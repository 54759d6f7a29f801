/* syserr_text: the file errors an officer meets read in Chinese; any other
 * errno still says its number and the C library's words. */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "core/syserr.h"

static void test_common_file_errors_in_chinese(void **state)
{
	assert_string_equal(syserr_text(ENOENT), "文件或目录不存在");
	assert_string_equal(syserr_text(EEXIST), "文件已存在");
	assert_string_equal(syserr_text(EACCES), "没有权限");
	assert_string_equal(syserr_text(ENOSPC), "磁盘空间不足");
}

/* What fopen really sets reaches the officer in Chinese. */
static void test_real_failure(void **state)
{
	FILE *f = fopen("/nonexistent-folder-gb/x.csv", "rb");

	assert_null(f);
	assert_string_equal(syserr_text(errno), "文件或目录不存在");
}

static void test_other_errors_keep_number_and_text(void **state)
{
	char want[160];

	snprintf(want, sizeof(want), "系统错误 %d（%s）", ECHILD, strerror(ECHILD));
	assert_string_equal(syserr_text(ECHILD), want);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_common_file_errors_in_chinese),
		cmocka_unit_test(test_real_failure),
		cmocka_unit_test(test_other_errors_keep_number_and_text),
	};

	return cmocka_run_group_tests_name("syserr", tests, NULL, NULL);
}
