#include "config.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "core/escape.h"
#include "core/uscc.h"
#include "core/utf8.h"

#define USCC_LEN 18

/* GB 32100-2015: the 31 characters of a USCC (no I, O, S, V, Z), in value
 * order. */
static const char uscc_alphabet[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";

/* Weights of positions 1..17: 3^(i-1) mod 31. */
static const int uscc_weights[17] = {
	1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28
};

/* GB 11714: weights of the eight body characters of the organisation code. */
static const int org_weights[8] = { 3, 7, 9, 10, 5, 8, 4, 2 };

/* Value of an upper-case character in the USCC alphabet, or -1. */
static int uscc_value(char c)
{
	const char *p = c != '\0' ? strchr(uscc_alphabet, c) : NULL;

	return p != NULL ? (int)(p - uscc_alphabet) : -1;
}

char uscc_check_char(const char *first17)
{
	int sum = 0;

	for (int i = 0; i < 17; i++) {
		int v = uscc_value(first17[i]);

		if (v < 0)
			return 0;
		sum += v * uscc_weights[i];
	}
	return uscc_alphabet[(31 - sum % 31) % 31];
}

/* Value in the organisation code's 0-9A-Z alphabet, or -1. */
static int org_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'A' && c <= 'Z')
		return c - 'A' + 10;
	return -1;
}

/* Check character of the organisation code whose body is org8. */
static char org_check_char(const char *org8)
{
	int sum = 0, c;

	for (int i = 0; i < 8; i++)
		sum += org_value(org8[i]) * org_weights[i];
	c = 11 - sum % 11;
	if (c == 10)
		return 'X';
	return c == 11 ? '0' : (char)('0' + c);
}

static char ascii_upper(char c)
{
	return c >= 'a' && c <= 'z' ? (char)(c - 'a' + 'A') : c;
}

/* The bad character as the officer typed it, safe to show. */
static void show_char(const char *s, size_t n, char out[ESCAPE_MAX_BYTES])
{
	uint32_t cp = 0;

	if (utf8_decode(s, n, &cp) != n)
		escape_byte((unsigned char)s[0], out);
	else if (escape_cp_needed(cp))
		escape_cp(cp, out);
	else
		snprintf(out, ESCAPE_MAX_BYTES, "%.*s", (int)n, s);
}

/* Upper-case s into r->code, stopping at the first character outside the
 * alphabet (reported by its 1-based position in characters).  s has
 * USCC_LEN characters. */
static bool uscc_copy_upper(const char *s, struct uscc_result *r)
{
	size_t i = 0, len = strlen(s);

	for (int pos = 1; pos <= USCC_LEN; pos++) {
		uint32_t cp;
		size_t n = utf8_decode(s + i, len - i, &cp);
		char up = n == 1 ? ascii_upper(s[i]) : 0;
		char shown[ESCAPE_MAX_BYTES];

		if (up == 0 || uscc_value(up) < 0) {
			show_char(s + i, n ? n : 1, shown);
			r->status = USCC_BAD_CHAR;
			r->bad_pos = pos;
			if (up == ' ')
				snprintf(r->message, sizeof(r->message),
					 "第 %d 位是空格：统一社会信用代码中不能有空格", pos);
			else
				snprintf(r->message, sizeof(r->message),
					 "第 %d 位字符“%s”不允许：只能用数字和大写字母"
					 "（不用 I、O、S、V、Z）", pos, shown);
			return false;
		}
		r->code[pos - 1] = up;
		i += n;
	}
	r->code[USCC_LEN] = '\0';
	return true;
}

/* Characters 9..17 are the organisation code; its own check failing is only
 * a warning (codes were issued with it wrong). */
static void uscc_org_check(struct uscc_result *r)
{
	char expected = org_check_char(r->code + 8);

	r->org_expected = expected;
	if (expected != r->code[16]) {
		r->org_warning = true;
		snprintf(r->warning, sizeof(r->warning),
			 "提示：第 9–17 位组织机构代码的校验位应为 %c，实为 %c",
			 expected, r->code[16]);
	}
}

bool uscc_validate(const char *s, struct uscc_result *r)
{
	size_t nchars;

	memset(r, 0, sizeof(*r));
	if (s == NULL || s[0] == '\0') {
		r->status = USCC_EMPTY;
		snprintf(r->message, sizeof(r->message), "统一社会信用代码为空");
		return false;
	}
	nchars = utf8_count_chars(s, strlen(s));
	if (nchars != USCC_LEN) {
		r->status = USCC_BAD_LENGTH;
		snprintf(r->message, sizeof(r->message),
			 "统一社会信用代码应为 18 位，实为 %zu 位", nchars);
		return false;
	}
	if (!uscc_copy_upper(s, r)) {
		r->code[0] = '\0';
		return false;
	}
	r->expected_check = uscc_check_char(r->code);
	if (r->expected_check != r->code[17]) {
		r->status = USCC_BAD_CHECK;
		r->bad_pos = 18;
		snprintf(r->message, sizeof(r->message),
			 "第 18 位校验位应为 %c，实为 %c", r->expected_check, r->code[17]);
		return false;
	}
	uscc_org_check(r);
	r->status = USCC_OK;
	return true;
}
