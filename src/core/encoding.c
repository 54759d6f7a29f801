#include "config.h"

#include <errno.h>
#include <iconv.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/encoding.h"
#include "core/escape.h"
#include "core/utf8.h"
#include "core/xalloc.h"

/*
 * Quirks of glibc's converters (2.36, measured by tests/core/test_encoding.c):
 *
 * - "GB18030" maps the 2-byte codes that GB18030-2005 gave to private-use
 *   code points (FE51, FE52, FE53, FE6C, FE76, FE91, A6D9..A6DF, ...) to
 *   the standard characters instead (FE51 -> U+20087).  So 24 private-use
 *   code points (U+E78D..U+E796, U+E816, U+E817, U+E818, U+E81E, U+E826,
 *   U+E82B, U+E82C, U+E831, U+E832, U+E83B, U+E843, U+E854, U+E855, U+E864)
 *   cannot be written as GB18030: that is an EILSEQ error, reported.  Other
 *   private-use code points, e.g. U+E5E5 <-> A3A0, round-trip.
 * - Six 4-byte GB18030 codes (95329031, 95329033, 95329730, 9536B937,
 *   9630BA35, 9635B630) decode to the same characters as FE51, FE52, FE53,
 *   FE6C, FE76, FE91; writing those characters back gives the 2-byte form.
 *   Every other GB18030 code read and written again keeps its bytes.
 * - 18 four-byte GB18030 codes, 82359037..82359134 and 84318236..84318335
 *   (U+9FB4..U+9FBB and U+FE10..U+FE19 in GB18030-2005, characters that
 *   have two-byte codes now), are refused as invalid bytes.
 * - "GBK" is CP936: € is the single byte 0x80 (GB18030 has it at A2E3).
 * - "GBK" silently DROPS the tag characters U+E0000..U+E007F when writing
 *   (no error, no output).  Hence enc_from_utf8() converts its output back
 *   and compares: a character lost that way is reported like any other
 *   character the target cannot hold.
 */

struct enc_info {
	const char *name;	/* as shown and as accepted by enc_parse_name */
	const char *iconv_name;
};

static const struct enc_info enc_table[] = {
	[ENC_UNKNOWN] = { "auto", NULL },
	[ENC_UTF8] = { "UTF-8", "UTF-8" },
	[ENC_UTF8_BOM] = { "UTF-8-BOM", "UTF-8" },
	[ENC_GB18030] = { "GB18030", "GB18030" },
	[ENC_GBK] = { "GBK", "GBK" },
};

#define UTF8_BOM "\xef\xbb\xbf"

static const struct {
	const char *name;
	enum enc_kind kind;
} enc_aliases[] = {
	{ "auto", ENC_UNKNOWN },
	{ "utf-8", ENC_UTF8 },
	{ "utf8", ENC_UTF8 },
	{ "utf-8-bom", ENC_UTF8_BOM },
	{ "utf8-bom", ENC_UTF8_BOM },
	{ "gb18030", ENC_GB18030 },
	{ "gbk", ENC_GBK },
	{ "cp936", ENC_GBK },
};

bool enc_parse_name(const char *name, enum enc_kind *kind)
{
	for (size_t i = 0; i < sizeof(enc_aliases) / sizeof(enc_aliases[0]); i++) {
		if (strcasecmp(name, enc_aliases[i].name) == 0) {
			*kind = enc_aliases[i].kind;
			return true;
		}
	}
	return false;
}

const char *enc_name(enum enc_kind kind)
{
	if ((size_t)kind >= sizeof(enc_table) / sizeof(enc_table[0]))
		return "?";
	return enc_table[kind].name;
}

/* Fill err: where, which bytes (at most 4, never past the input), and the
 * message, which ends with the bytes in hex when there are any. */
static void set_error(struct enc_error *err, const char *in, size_t len,
		      size_t offset, size_t nbytes, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));
static void set_error(struct enc_error *err, const char *in, size_t len,
		      size_t offset, size_t nbytes, const char *fmt, ...)
{
	va_list ap;
	size_t used;

	memset(err, 0, sizeof(*err));
	err->offset = offset;
	if (nbytes > sizeof(err->bytes))
		nbytes = sizeof(err->bytes);
	if (offset > len)
		nbytes = 0;
	else if (nbytes > len - offset)
		nbytes = len - offset;
	memcpy(err->bytes, in + offset, nbytes);
	err->nbytes = nbytes;
	va_start(ap, fmt);
	vsnprintf(err->message, sizeof(err->message), fmt, ap);
	va_end(ap);
	used = strlen(err->message);
	for (size_t i = 0; i < nbytes && used < sizeof(err->message); i++) {
		snprintf(err->message + used, sizeof(err->message) - used, " 0x%02X",
			 err->bytes[i]);
		used = strlen(err->message);
	}
}

/* Bytes a UTF-8 lead byte announces (1 for a byte that is not a lead). */
static size_t utf8_announced(unsigned char b)
{
	if ((b & 0xE0) == 0xC0)
		return 2;
	if ((b & 0xF0) == 0xE0)
		return 3;
	if ((b & 0xF8) == 0xF0)
		return 4;
	return 1;
}

/* True when the bytes from s to the end are the start of a valid UTF-8
 * sequence that the end of input cut short.  Completing it with 0x80 or
 * 0xA0 continuation bytes covers every lead's allowed second-byte range. */
static bool utf8_cut_short(const char *s, size_t avail)
{
	static const char fills[] = { '\x80', '\xa0' };
	size_t need = utf8_announced((unsigned char)s[0]);

	if (need <= avail)
		return false;
	for (size_t f = 0; f < sizeof(fills); f++) {
		char tmp[4];
		uint32_t cp;

		memcpy(tmp, s, avail);
		memset(tmp + avail, fills[f], need - avail);
		if (utf8_decode(tmp, need, &cp) == need)
			return true;
	}
	return false;
}

/* Strict UTF-8 check of in[start..len) with the error naming the bytes. */
static bool check_utf8(const char *in, size_t len, size_t start,
		       struct enc_error *err)
{
	size_t bad;

	if (utf8_validate(in + start, len - start, &bad))
		return true;
	bad += start;
	if (in[bad] == '\0')
		set_error(err, in, len, bad, 1,
			  "字节偏移 %zu 处有空字节（NUL），文本中不允许：", bad);
	else if (utf8_cut_short(in + bad, len - bad))
		set_error(err, in, len, bad, 4,
			  "字节偏移 %zu 处的 UTF-8 字符不完整（文件在字符中间结束）：", bad);
	else
		set_error(err, in, len, bad, utf8_announced((unsigned char)in[bad]),
			  "字节偏移 %zu 处有无效的 UTF-8 字节", bad);
	return false;
}

/* Length of the GB18030/GBK sequence starting at s as far as its first two
 * bytes tell (1 for a byte that cannot start one), for error messages. */
static size_t gb_announced(const unsigned char *s, size_t avail, enum enc_kind k)
{
	if (s[0] < 0x81 || s[0] == 0xFF || avail < 2)
		return 1;
	if (k == ENC_GB18030 && s[1] >= 0x30 && s[1] <= 0x39)
		return 4;
	return 2;
}

/* Run cd over in[0..len) into a buffer that grows on E2BIG.  Returns the
 * NUL-terminated output, or NULL with *bad_off and *bad_errno set. */
static char *run_iconv(iconv_t cd, const char *in, size_t len, size_t *out_len,
		       size_t *bad_off, int *bad_errno)
{
	size_t cap = len + 16, used = 0;
	char *out = xmalloc(cap + 1);
	char *ip = (char *)in;
	size_t il = len;
	bool flushing = false;

	for (;;) {
		char *op = out + used;
		size_t ol = cap - used;
		size_t r = flushing ? iconv(cd, NULL, NULL, &op, &ol)
				    : iconv(cd, &ip, &il, &op, &ol);

		used = (size_t)(op - out);
		if (r != (size_t)-1) {
			if (flushing)
				break;
			flushing = true;	/* write any shift state back */
			continue;
		}
		if (errno != E2BIG) {
			*bad_errno = errno;
			*bad_off = (size_t)(ip - in);
			free(out);
			return NULL;
		}
		cap = cap * 2;
		out = xrealloc(out, cap + 1);
	}
	out[used] = '\0';
	*out_len = used;
	return out;
}

/* iconv_open() only fails for an unknown name or no memory: both bugs. */
static iconv_t open_cd(const char *to, const char *from)
{
	iconv_t cd = iconv_open(to, from);

	if (cd == (iconv_t)-1)
		fatal("iconv_open(%s, %s): %s", to, from, strerror(errno));
	return cd;
}

/* GB18030/GBK into UTF-8; a NUL byte is refused after the bytes before it
 * converted cleanly, so the first problem in the input is the one named. */
static char *legacy_to_utf8(const char *in, size_t len, enum enc_kind from,
			    size_t *out_len, struct enc_error *err)
{
	const char *nul = memchr(in, '\0', len);
	size_t upto = nul != NULL ? (size_t)(nul - in) : len;
	iconv_t cd = open_cd("UTF-8", enc_table[from].iconv_name);
	size_t bad = 0;
	int e = 0;
	char *out = run_iconv(cd, in, upto, out_len, &bad, &e);
	const char *name = enc_table[from].name;

	iconv_close(cd);
	if (out == NULL && e == EINVAL)
		set_error(err, in, len, bad, upto - bad,
			  "字节偏移 %zu 处的 %s 字符不完整（文件在字符中间结束）：",
			  bad, name);
	else if (out == NULL)
		set_error(err, in, len, bad,
			  gb_announced((const unsigned char *)in + bad, upto - bad, from),
			  "字节偏移 %zu 处有无效的 %s 字节", bad, name);
	else if (nul != NULL) {
		free(out);
		out = NULL;
		set_error(err, in, len, upto, 1,
			  "字节偏移 %zu 处有空字节（NUL），文本中不允许：", upto);
	}
	return out;
}

/* Detect, then convert: what ENC_UNKNOWN ("auto") means. */
static char *auto_to_utf8(const char *in, size_t len, size_t *out_len,
			  struct enc_error *err)
{
	enum enc_kind kind;
	size_t bom_len;

	if (!enc_detect(in, len, &kind, &bom_len, err))
		return NULL;
	return enc_to_utf8(in, len, kind, out_len, err);
}

char *enc_to_utf8(const char *in, size_t len, enum enc_kind from,
		  size_t *out_len, struct enc_error *err)
{
	struct enc_error dummy;
	size_t start = 0;

	if (len == 0)
		in = "";	/* an empty input may come as NULL */
	if (err == NULL)
		err = &dummy;
	switch (from) {
	case ENC_UNKNOWN:
		return auto_to_utf8(in, len, out_len, err);
	case ENC_UTF8:
	case ENC_UTF8_BOM:
		/* A BOM is skipped whichever of the two was asked for. */
		if (len >= 3 && memcmp(in, UTF8_BOM, 3) == 0)
			start = 3;
		if (!check_utf8(in, len, start, err))
			return NULL;
		*out_len = len - start;
		return xstrndup(in + start, len - start);
	case ENC_GB18030:
	case ENC_GBK:
		return legacy_to_utf8(in, len, from, out_len, err);
	}
	fatal("enc_to_utf8: bad encoding %d", (int)from);
}

/* True when the n bytes of one UTF-8 character at s come back unchanged
 * from a trip through cd_to and cd_back. */
static bool char_survives(iconv_t cd_to, iconv_t cd_back, const char *s, size_t n)
{
	size_t glen = 0, blen = 0, bad = 0;
	int e = 0;
	char *g = run_iconv(cd_to, s, n, &glen, &bad, &e);
	char *b = g != NULL ? run_iconv(cd_back, g, glen, &blen, &bad, &e) : NULL;
	bool ok = b != NULL && blen == n && memcmp(b, s, n) == 0;

	free(g);
	free(b);
	return ok;
}

/* Report the first character of in (valid UTF-8) that does not survive a
 * trip into the target and back: the one the target cannot hold. */
static void find_lost_char(const char *in, size_t len, enum enc_kind to,
			   struct enc_error *err)
{
	iconv_t cd_to = open_cd(enc_table[to].iconv_name, "UTF-8");
	iconv_t cd_back = open_cd("UTF-8", enc_table[to].iconv_name);
	size_t i = 0, n = 0;
	uint32_t cp = 0;
	char shown[ESCAPE_MAX_BYTES];

	while (i < len) {
		n = utf8_decode(in + i, len - i, &cp);
		if (!char_survives(cd_to, cd_back, in + i, n))
			break;
		i += n;
	}
	iconv_close(cd_to);
	iconv_close(cd_back);
	if (i == len) {
		set_error(err, in, len, 0, 0, "转换为 %s 时丢失了字符", enc_table[to].name);
		return;
	}
	if (escape_cp_needed(cp))
		escape_cp(cp, shown);
	else
		snprintf(shown, sizeof(shown), "%.*s", (int)n, in + i);
	set_error(err, in, len, i, n,
		  "字节偏移 %zu 处的字符“%s”（U+%04X）无法用 %s 表示：",
		  i, shown, (unsigned)cp, enc_table[to].name);
}

/* UTF-8 into GB18030/GBK, checked by converting back (see the GBK quirk). */
static char *utf8_to_legacy(const char *in, size_t len, enum enc_kind to,
			    size_t *out_len, struct enc_error *err)
{
	iconv_t cd = open_cd(enc_table[to].iconv_name, "UTF-8");
	size_t bad = 0, back_len = 0;
	int e = 0;
	char *out = run_iconv(cd, in, len, out_len, &bad, &e);
	char *back;

	iconv_close(cd);
	if (out == NULL) {
		find_lost_char(in, len, to, err);
		return NULL;
	}
	cd = open_cd("UTF-8", enc_table[to].iconv_name);
	back = run_iconv(cd, out, *out_len, &back_len, &bad, &e);
	iconv_close(cd);
	if (back == NULL || back_len != len || memcmp(back, in, len) != 0) {
		free(out);
		out = NULL;
		find_lost_char(in, len, to, err);
	}
	free(back);
	return out;
}

/* UTF8_BOM + in[0..len), NUL-terminated. */
static char *with_bom(const char *in, size_t len, size_t *out_len)
{
	char *out = xmalloc(len + 4);

	memcpy(out, UTF8_BOM, 3);
	memcpy(out + 3, in, len);
	out[len + 3] = '\0';
	*out_len = len + 3;
	return out;
}

char *enc_from_utf8(const char *in, size_t len, enum enc_kind to,
		    size_t *out_len, struct enc_error *err)
{
	struct enc_error dummy;

	if (len == 0)
		in = "";	/* an empty input may come as NULL */
	if (err == NULL)
		err = &dummy;
	if (!check_utf8(in, len, 0, err))
		return NULL;
	switch (to) {
	case ENC_UNKNOWN:
		break;
	case ENC_UTF8:
		*out_len = len;
		return xstrndup(in, len);
	case ENC_UTF8_BOM:
		return with_bom(in, len, out_len);
	case ENC_GB18030:
	case ENC_GBK:
		return utf8_to_legacy(in, len, to, out_len, err);
	}
	fatal("enc_from_utf8: no target encoding (%d)", (int)to);
}

/* UTF-16/32 byte-order marks, longest first (FF FE 00 00 starts with FF FE). */
static const struct {
	const char *bytes;
	size_t len;
	const char *name;
} foreign_boms[] = {
	{ "\xff\xfe\x00\x00", 4, "UTF-32 LE" },
	{ "\x00\x00\xfe\xff", 4, "UTF-32 BE" },
	{ "\xff\xfe", 2, "UTF-16 LE" },
	{ "\xfe\xff", 2, "UTF-16 BE" },
};

bool enc_detect(const char *buf, size_t len, enum enc_kind *kind,
		size_t *bom_len, struct enc_error *err)
{
	struct enc_error dummy;

	if (err == NULL)
		err = &dummy;
	*bom_len = 0;
	*kind = ENC_UNKNOWN;
	for (size_t i = 0; i < sizeof(foreign_boms) / sizeof(foreign_boms[0]); i++) {
		if (len >= foreign_boms[i].len &&
		    memcmp(buf, foreign_boms[i].bytes, foreign_boms[i].len) == 0) {
			set_error(err, buf, len, 0, foreign_boms[i].len,
				  "文件是 %s 编码（以字节顺序标记开头），不支持；"
				  "请另存为 UTF-8 或 GB18030 编码后再试：",
				  foreign_boms[i].name);
			return false;
		}
	}
	if (len >= 3 && memcmp(buf, UTF8_BOM, 3) == 0) {
		*kind = ENC_UTF8_BOM;
		*bom_len = 3;
	} else {
		*kind = utf8_validate(buf, len, NULL) ? ENC_UTF8 : ENC_GB18030;
	}
	return true;
}
