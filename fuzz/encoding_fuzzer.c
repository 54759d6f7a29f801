/* libFuzzer target for core/encoding and the import reader: detection and
 * strict conversion of any bytes either succeed with valid UTF-8 that
 * converts back and forth unchanged, or fail with an offset inside the
 * input; the import reader never crashes on what they produce. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/encoding.h"
#include "core/import_sheet.h"
#include "core/utf8.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* UTF-8 text must survive a trip through the target encoding. */
static void check_back_and_forth(const char *utf8, size_t len, enum enc_kind to)
{
	struct enc_error err;
	size_t out_len, back_len;
	char *out = enc_from_utf8(utf8, len, to, &out_len, &err);
	char *back;

	if (out == NULL) {
		if (err.offset > len)
			abort();
		return;
	}
	back = enc_to_utf8(out, out_len, to, &back_len, &err);
	if (back == NULL || back_len != len || memcmp(back, utf8, len) != 0)
		abort();
	free(back);
	free(out);
}

static void convert(const char *in, size_t len, enum enc_kind from)
{
	struct enc_error err;
	size_t out_len;
	char *out = enc_to_utf8(in, len, from, &out_len, &err);

	if (out == NULL) {
		if (err.offset > len)
			abort();
		return;
	}
	if (!utf8_validate(out, out_len, NULL) || out[out_len] != '\0')
		abort();
	check_back_and_forth(out, out_len, ENC_GB18030);
	check_back_and_forth(out, out_len, ENC_UTF8_BOM);
	free(out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *in = (const char *)data;
	struct import_sheet sheet = { 0 };
	struct enc_error err;
	enum enc_kind kind;
	size_t bom;

	if (enc_detect(in, size, &kind, &bom, &err))
		convert(in, size, kind);
	convert(in, size, ENC_GB18030);
	convert(in, size, ENC_GBK);
	convert(in, size, ENC_UTF8);
	import_sheet_read("fuzz.csv", in, size, ENC_UNKNOWN, NULL, NULL, &sheet);
	import_sheet_free(&sheet);
	return 0;
}
