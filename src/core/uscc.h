/* 统一社会信用代码 (unified social credit code, GB 32100-2015) validation. */
#ifndef GB_USCC_H
#define GB_USCC_H

#include <stdbool.h>

enum uscc_status {
	USCC_OK = 0,
	USCC_EMPTY,
	USCC_BAD_LENGTH,	/* not 18 characters */
	USCC_BAD_CHAR,		/* a character outside 0-9 A-H J-N P-R T U W-Y */
	USCC_BAD_CHECK,		/* character 18 is not the check character */
};

struct uscc_result {
	enum uscc_status status;
	char code[19];		/* upper-case form (when status is USCC_OK or
				   USCC_BAD_CHECK; else "") */
	int bad_pos;		/* 1-based position of the bad character, or 0 */
	char expected_check;	/* for USCC_BAD_CHECK: what character 18 should be */
	bool org_warning;	/* the organisation code (chars 9-17) fails its own check */
	char org_expected;	/* what character 17 should be for the organisation code */
	char message[200];	/* Chinese, names the position or the expected character */
	char warning[200];	/* Chinese, for org_warning */
};

/* Validate s (lower case accepted; surrounding spaces are an error).
 * Returns true when status is USCC_OK (a warning may still be set). */
bool uscc_validate(const char *s, struct uscc_result *r);

/* The check character for the first 17 characters (already upper case and
 * in the alphabet), or 0 when they are not. */
char uscc_check_char(const char *first17);

#endif
