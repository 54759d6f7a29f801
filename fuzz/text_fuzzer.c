/* libFuzzer target for the Chinese-text core: display escaping, widths,
 * fitting, truncation, padding and USCC validation on arbitrary bytes (the
 * converters have fuzz/encoding_fuzzer.c).  The first byte picks the
 * settings; the rest is the text.  Any broken property aborts. */
#include "config.h"

#include <locale.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/escape.h"
#include "core/uscc.h"
#include "core/utf8.h"
#include "core/width.h"
#include "core/xalloc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(bool ok)
{
	if (!ok)
		abort();
}

/* Escaping: clean, idempotent output whose width is the input's. */
static void check_escape(const char *s, size_t len)
{
	char *e = escape_display_n(s, len);
	char *again = escape_display(e);

	check(utf8_validate(e, strlen(e), NULL));
	check(!escape_needed(e));
	check(strcmp(e, again) == 0);
	check(width_strn_cols(s, len) == width_str_cols(e));
	free(again);
	free(e);
}

/* Every window is filled exactly and slices stay inside the input. */
static void check_fit(const char *s, size_t len, size_t max)
{
	size_t total = width_strn_cols(s, len);

	for (size_t skip = 0; skip <= total + 1 && skip < 64; skip++) {
		struct width_slice sl;
		size_t visible = skip < total ? total - skip : 0;

		width_fit_n(s, len, skip, max, &sl);
		check(sl.start_byte + sl.len_bytes <= len);
		check(sl.lead_pad_cols + sl.cols + sl.trail_pad_cols ==
		      (max < visible ? max : visible));
	}
}

/* Truncation and padding on the NUL-terminated text. */
static void check_pad(const char *s, size_t cols)
{
	char *t = width_truncate(s, cols);
	char *p = width_pad(s, cols, (enum width_align)(cols % 3));

	check(width_str_cols(t) <= cols);
	check(width_str_cols(p) == cols);
	free(t);
	free(p);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static bool locale_set;
	const char *s = (const char *)data + 1;
	size_t len;
	char *z;
	struct uscc_result r;

	if (!locale_set) {
		setlocale(LC_ALL, "C.UTF-8");
		locale_set = true;
	}
	if (size == 0)
		return 0;
	len = size - 1;
	width_set_ambiguous_wide(data[0] & 1);
	check_escape(s, len);
	check_fit(s, len, data[0] >> 1 & 7);
	z = xstrndup(s, len);
	check_pad(z, data[0] >> 4);
	if (uscc_validate(z, &r))
		check(strlen(r.code) == 18 && uscc_check_char(r.code) == r.code[17]);
	free(z);
	return 0;
}
