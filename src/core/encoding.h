/* Strict conversion between UTF-8 and GB18030/GBK through iconv: every
 * error names the byte offset and the bytes, nothing is skipped or
 * replaced (never //IGNORE or //TRANSLIT). */
#ifndef GB_ENCODING_H
#define GB_ENCODING_H

#include <stdbool.h>
#include <stddef.h>

enum enc_kind {
	ENC_UNKNOWN = 0,
	ENC_UTF8,		/* UTF-8 without BOM */
	ENC_UTF8_BOM,		/* UTF-8 with EF BB BF */
	ENC_GB18030,		/* GB18030 (superset of GBK and GB2312) */
	ENC_GBK,
};

struct enc_error {
	size_t offset;			/* byte offset of the bad sequence in the input */
	unsigned char bytes[4];		/* the offending bytes */
	size_t nbytes;
	char message[256];		/* Chinese, for the officer, e.g.
					   "字节偏移 17 处有无效的 GB18030 字节 0x81 0x20" */
};

/* Parse an encoding name as a user types it: "utf-8", "utf8", "utf-8-bom",
 * "gb18030", "gbk", "auto" (returns ENC_UNKNOWN for auto).  Returns false
 * for a name we do not support. */
bool enc_parse_name(const char *name, enum enc_kind *kind);
const char *enc_name(enum enc_kind kind);

/* Look at the start of a file: a UTF-8 BOM gives ENC_UTF8_BOM; a UTF-16 or
 * UTF-32 BOM is refused (false, with a message saying to save as UTF-8 or
 * GB18030); otherwise strict UTF-8 when the whole buffer is valid UTF-8,
 * else GB18030.  *bom_len is set to the bytes to skip. */
bool enc_detect(const char *buf, size_t len, enum enc_kind *kind,
		size_t *bom_len, struct enc_error *err);

/* Convert len bytes of in from the given encoding into NUL-terminated
 * UTF-8 (a leading UTF-8 BOM is skipped for ENC_UTF8 and ENC_UTF8_BOM;
 * UTF-8 input is validated strictly; ENC_UNKNOWN detects first with
 * enc_detect).  A NUL byte is an error in every encoding.  Returns a new
 * buffer and *out_len, or NULL with err filled (EILSEQ: invalid bytes;
 * EINVAL: truncated sequence at the end of input); offsets count from the
 * start of in, BOM included.  err may be NULL.  Caller frees. */
char *enc_to_utf8(const char *in, size_t len, enum enc_kind from,
		  size_t *out_len, struct enc_error *err);

/* Convert strict UTF-8 into the given encoding (ENC_UTF8_BOM prepends the
 * BOM).  Returns a new buffer (NUL-terminated after *out_len bytes), or
 * NULL with err filled (invalid UTF-8, or a character that the target
 * cannot hold: an error naming it, never a '?').  err may be NULL.
 * Caller frees. */
char *enc_from_utf8(const char *in, size_t len, enum enc_kind to,
		    size_t *out_len, struct enc_error *err);

#endif
