/* 统一社会信用代码: the examples of DOMAIN.md §6, each kind of invalid
 * code with the message the officer reads, and every single-character
 * corruption of a valid code refused. */
#include "config.h"

#include <locale.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core/uscc.h"

static const char alphabet[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";

static const char *const valid[] = {
	"914403001922038216", "91350200776049653A", "91320583MA1PK2L0XJ",
};

static void test_valid_examples(void **state)
{
	struct uscc_result r;

	for (size_t i = 0; i < sizeof(valid) / sizeof(valid[0]); i++) {
		assert_true(uscc_validate(valid[i], &r));
		assert_int_equal(r.status, USCC_OK);
		assert_string_equal(r.code, valid[i]);
		assert_int_equal(r.bad_pos, 0);
		assert_false(r.org_warning);
		assert_int_equal(r.org_expected, valid[i][16]);
		assert_int_equal(uscc_check_char(valid[i]), valid[i][17]);
	}
}

static void test_lower_case_accepted_upper_returned(void **state)
{
	struct uscc_result r;

	assert_true(uscc_validate("91350200776049653a", &r));
	assert_string_equal(r.code, "91350200776049653A");
	assert_true(uscc_validate("91320583ma1pk2l0xj", &r));
	assert_string_equal(r.code, "91320583MA1PK2L0XJ");
}

static void test_empty_and_length(void **state)
{
	struct uscc_result r;

	assert_false(uscc_validate("", &r));
	assert_int_equal(r.status, USCC_EMPTY);
	assert_string_equal(r.message, "统一社会信用代码为空");
	assert_false(uscc_validate(NULL, &r));
	assert_int_equal(r.status, USCC_EMPTY);

	assert_false(uscc_validate("91440300192203821", &r));
	assert_int_equal(r.status, USCC_BAD_LENGTH);
	assert_string_equal(r.message, "统一社会信用代码应为 18 位，实为 17 位");
	assert_false(uscc_validate("9144030019220382160", &r));
	assert_int_equal(r.status, USCC_BAD_LENGTH);
	assert_non_null(strstr(r.message, "实为 19 位"));
	/* Surrounding spaces are not trimmed silently. */
	assert_false(uscc_validate(" 914403001922038216", &r));
	assert_int_equal(r.status, USCC_BAD_LENGTH);
	/* Length counts characters, not bytes: 18 fullwidth digits. */
	assert_false(uscc_validate("９１４４０３００１９２２０３８２１６", &r));
	assert_int_equal(r.status, USCC_BAD_CHAR);
	assert_int_equal(r.bad_pos, 1);
	assert_string_equal(r.message,
		"第 1 位字符“９”不允许：只能用数字和大写字母（不用 I、O、S、V、Z）");
}

static void test_forbidden_letters(void **state)
{
	static const char forbidden[] = "IOSVZiosvz";
	struct uscc_result r;
	char code[19];
	char want[200];

	for (size_t k = 0; forbidden[k] != '\0'; k++) {
		strcpy(code, "91320583MA1PK2L0XJ");
		code[8] = forbidden[k];		/* position 9 */
		assert_false(uscc_validate(code, &r));
		assert_int_equal(r.status, USCC_BAD_CHAR);
		assert_int_equal(r.bad_pos, 9);
		assert_string_equal(r.code, "");
		snprintf(want, sizeof(want),
			 "第 9 位字符“%c”不允许：只能用数字和大写字母（不用 I、O、S、V、Z）",
			 forbidden[k]);
		assert_string_equal(r.message, want);
	}
}

static void test_other_bad_characters(void **state)
{
	struct uscc_result r;

	assert_false(uscc_validate("91440300192203821-", &r));
	assert_int_equal(r.bad_pos, 18);
	assert_false(uscc_validate("9144030019220 8216", &r));
	assert_int_equal(r.bad_pos, 14);
	assert_string_equal(r.message, "第 14 位是空格：统一社会信用代码中不能有空格");
	assert_false(uscc_validate("91440300192203821中", &r));
	assert_int_equal(r.status, USCC_BAD_CHAR);
	assert_int_equal(r.bad_pos, 18);
	assert_non_null(strstr(r.message, "“中”"));
	/* A control character is named by its escape, not sent raw. */
	assert_false(uscc_validate("9144030019220382\x1b" "6", &r));
	assert_int_equal(r.bad_pos, 17);
	assert_non_null(strstr(r.message, "“\\x1b”"));
	assert_false(uscc_validate("9144030019220382\xff" "6", &r));
	assert_int_equal(r.bad_pos, 17);
	assert_non_null(strstr(r.message, "“\\xff”"));
}

static void test_bad_check_character(void **state)
{
	struct uscc_result r;

	assert_false(uscc_validate("914403001922038217", &r));
	assert_int_equal(r.status, USCC_BAD_CHECK);
	assert_int_equal(r.bad_pos, 18);
	assert_int_equal(r.expected_check, '6');
	assert_string_equal(r.message, "第 18 位校验位应为 6，实为 7");
	assert_string_equal(r.code, "914403001922038217");	/* kept for the form */
	assert_false(uscc_validate("91350200776049653b", &r));
	assert_string_equal(r.message, "第 18 位校验位应为 A，实为 B");
	assert_string_equal(r.code, "91350200776049653B");
}

/* The check character from the formula, computed here from scratch:
 * c = 31 - (sum of value * 3^(i-1) mod 31) mod 31, 31 -> 0. */
static char reference_check(const char *first17)
{
	int sum = 0, weight = 1;

	for (int i = 0; i < 17; i++) {
		sum += (int)(strchr(alphabet, first17[i]) - alphabet) * weight;
		weight = weight * 3 % 31;
	}
	return alphabet[(31 - sum % 31) % 31];
}

static void test_check_char_formula(void **state)
{
	char body[18] = "00000000000000000";
	unsigned seed = 7;

	assert_int_equal(uscc_check_char(body), '0');	/* sum 0: 31 -> 0 */
	for (int round = 0; round < 2000; round++) {
		for (int i = 0; i < 17; i++) {
			seed = seed * 1103515245 + 12345;
			body[i] = alphabet[(seed >> 16) % 31];
		}
		assert_int_equal(uscc_check_char(body), reference_check(body));
	}
	assert_int_equal(uscc_check_char("9144030019220382I"), 0);
	assert_int_equal(uscc_check_char("9144030019220382a"), 0);
}

/* Each position x each other character of the alphabet: 18 x 30 codes,
 * all refused.  The check detects every single substitution because 31 is
 * prime and no weight is 0 mod 31. */
static void test_every_single_corruption_refused(void **state)
{
	const char *good = "91320583MA1PK2L0XJ";
	struct uscc_result r;
	int refused = 0;

	for (int pos = 0; pos < 18; pos++)
		for (size_t k = 0; k < 31; k++) {
			char code[19];

			if (alphabet[k] == good[pos])
				continue;
			strcpy(code, good);
			code[pos] = alphabet[k];
			if (uscc_validate(code, &r))
				fail_msg("corruption %s accepted", code);
			assert_int_equal(r.status, USCC_BAD_CHECK);
			assert_int_equal(r.expected_check,
					 pos == 17 ? 'J' : reference_check(code));
			refused++;
		}
	assert_int_equal(refused, 18 * 30);
}

static void test_organisation_code_warning(void **state)
{
	struct uscc_result r;
	char code[19] = "91320583MA1PK2L0YJ";	/* org check X -> Y */

	code[17] = uscc_check_char(code);	/* keep the USCC check right */
	assert_true(uscc_validate(code, &r));
	assert_int_equal(r.status, USCC_OK);
	assert_true(r.org_warning);
	assert_int_equal(r.org_expected, 'X');
	assert_string_equal(r.warning,
		"提示：第 9–17 位组织机构代码的校验位应为 X，实为 Y");
	/* Body 00000000: sum 0, 11 - 0 = 11 -> '0'. */
	strcpy(code, "91320583000000000");
	code[17] = uscc_check_char(code);
	code[18] = '\0';
	assert_true(uscc_validate(code, &r));
	assert_false(r.org_warning);
	assert_int_equal(r.org_expected, '0');
	/* Letters count 10..35 in the organisation alphabet (I, O, S, V, Z
	 * included there): body MA1PK2L0 sums to 595, 11 - 1 = 10 -> 'X'. */
	assert_true(uscc_validate("91320583MA1PK2L0XJ", &r));
	assert_int_equal(r.org_expected, 'X');
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_valid_examples),
		cmocka_unit_test(test_lower_case_accepted_upper_returned),
		cmocka_unit_test(test_empty_and_length),
		cmocka_unit_test(test_forbidden_letters),
		cmocka_unit_test(test_other_bad_characters),
		cmocka_unit_test(test_bad_check_character),
		cmocka_unit_test(test_check_char_formula),
		cmocka_unit_test(test_every_single_corruption_refused),
		cmocka_unit_test(test_organisation_code_warning),
	};

	setlocale(LC_ALL, "");
	return cmocka_run_group_tests_name("uscc", tests, NULL, NULL);
}
